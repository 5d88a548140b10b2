// engines/convnet.mjs: ConvNetJS 0.3.0 as a benchmark engine, used as its
// demos use it: a Net of fc layers (or, for the CNN, its own conv and pool
// layers) with a softmax layer, a Trainer with plain SGD (momentum 0, no
// decay) and batch_size, one Vol per training example made once, and one
// reused Vol for predictions.

import { createRequire } from 'node:module';
import { NET_2D, NET_MNIST, NET_CNN, perSecond, jsRunners } from '../cases.mjs';

const require = createRequire(import.meta.url);

function loadConvnet() {
  try {
    return require('convnetjs');
  } catch {
    throw new Error('convnetjs is not installed (npm install; package.json pins 0.3.0)');
  }
}

// Layer definitions of an MLP spec.
function mlpLayers(spec) {
  return [
    { type: 'input', out_sx: 1, out_sy: 1, out_depth: spec.inputs },
    ...spec.hidden.map((n) => ({ type: 'fc', num_neurons: n, activation: spec.activation })),
    { type: 'softmax', num_classes: spec.outputs },
  ];
}

// Layer definitions of the CNN spec, as in ConvNetJS's MNIST demo.
function cnnLayers(spec) {
  const [depth, sy, sx] = spec.shape;
  return [
    { type: 'input', out_sx: sx, out_sy: sy, out_depth: depth },
    ...spec.conv.flatMap((c) => [
      { type: 'conv', sx: c.kernel, filters: c.filters, stride: 1, pad: c.pad, activation: 'relu' },
      { type: 'pool', sx: c.pool, stride: c.pool },
    ]),
    { type: 'softmax', num_classes: spec.outputs },
  ];
}

// The CNN's output shapes (depth x height x width) must be nnplay's, so that
// both do the same work; throws otherwise.
function checkCnnShapes(net) {
  const shapes = net.layers.filter((l) => ['conv', 'pool', 'softmax'].includes(l.layer_type))
    .map((l) => `${l.out_depth}x${l.out_sy}x${l.out_sx}`);
  const want = ['8x28x28', '8x14x14', '16x14x14', '16x4x4', '10x1x1'];
  if (shapes.join() !== want.join()) throw new Error(`ConvNetJS CNN shapes ${shapes}, expected ${want}`);
}

function createNet(cnn, spec, layers) {
  const net = new cnn.Net();
  net.makeLayers(layers);
  const sgd = new cnn.Trainer(net, {
    method: 'sgd', learning_rate: spec.lr, batch_size: spec.batch, momentum: 0, l1_decay: 0, l2_decay: 0,
  });
  return { net, trainer: sgd };
}

// A Vol of spec's input shape: (1, 1, inputs), or for the CNN (width, height,
// depth), whose w is row-major (y, x, depth), i.e. the pixels in MNIST order.
function newVol(cnn, spec) {
  const [depth, sy, sx] = spec.shape ?? [spec.inputs, 1, 1];
  return new cnn.Vol(sx, sy, depth, 0);
}

function inputSize(spec) {
  return spec.shape ? spec.shape.reduce((a, b) => a * b, 1) : spec.inputs;
}

function toVols(cnn, x, n, spec) {
  const d = inputSize(spec);
  return Array.from({ length: n }, (_, i) => {
    const v = newVol(cnn, spec);
    v.w.set(x.subarray(i * d, (i + 1) * d));
    return v;
  });
}

// samples/s, `chunk` examples per timed step, reshuffled every epoch.
function trainer(cnn, { trainer: t }, set, spec, chunk) {
  const vols = toVols(cnn, set.x, set.n, spec);
  let order = cnn.randperm(set.n), pos = 0;
  const step = () => {
    for (let k = 0; k < chunk; k++) {
      if (pos === set.n) { order = cnn.randperm(set.n); pos = 0; }
      const i = order[pos++];
      t.train(vols[i], set.labels[i]);
    }
    return chunk;
  };
  return (ms) => perSecond(ms, step);
}

function predictor(cnn, { net }, spec) {
  const v = newVol(cnn, spec);
  const d = inputSize(spec), k = spec.outputs;
  return (x, out) => {
    const n = x.length / d;
    for (let i = 0; i < n; i++) {
      v.w.set(x.subarray(i * d, (i + 1) * d));
      const p = net.forward(v, false).w;
      for (let j = 0; j < k; j++) out[i * k + j] = p[j];
    }
    return out;
  };
}

/** The case runners of ConvNetJS. */
export function convnetRunners(shared) {
  const cnn = loadConvnet();
  const net2d = createNet(cnn, NET_2D, mlpLayers(NET_2D));
  const netMnist = createNet(cnn, NET_MNIST, mlpLayers(NET_MNIST));
  const netCnn = createNet(cnn, NET_CNN, cnnLayers(NET_CNN));
  checkCnnShapes(netCnn.net);
  return jsRunners(shared, {
    train2d: trainer(cnn, net2d, shared.points, NET_2D, shared.points.n),
    predict2d: predictor(cnn, net2d, NET_2D),
    trainMnist: trainer(cnn, netMnist, shared.mnist.train, NET_MNIST, NET_MNIST.batch),
    predictMnist: predictor(cnn, netMnist, NET_MNIST),
    trainCnn: trainer(cnn, netCnn, shared.mnist.train, NET_CNN, NET_CNN.batch),
    predictCnn: predictor(cnn, netCnn, NET_CNN),
    cnnParams: () => netCnn.net.layers.map((l) => l.getParamsAndGrads().reduce((n, p) => n + p.params.length, 0))
      .filter((n) => n > 0),
  });
}
