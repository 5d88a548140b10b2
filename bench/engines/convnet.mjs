// engines/convnet.mjs: ConvNetJS 0.3.0 as a benchmark engine, used as its
// demos use it: a Net of fc layers with a softmax layer, a Trainer with plain
// SGD (momentum 0, no decay) and batch_size, one Vol per training example
// made once, and one reused Vol for predictions.

import { createRequire } from 'node:module';
import { NET_2D, NET_MNIST, perSecond, jsRunners } from '../cases.mjs';

const require = createRequire(import.meta.url);

function loadConvnet() {
  try {
    return require('convnetjs');
  } catch {
    throw new Error('convnetjs is not installed (npm install; package.json pins 0.3.0)');
  }
}

function createNet(cnn, spec) {
  const net = new cnn.Net();
  net.makeLayers([
    { type: 'input', out_sx: 1, out_sy: 1, out_depth: spec.inputs },
    ...spec.hidden.map((n) => ({ type: 'fc', num_neurons: n, activation: spec.activation })),
    { type: 'softmax', num_classes: spec.outputs },
  ]);
  const sgd = new cnn.Trainer(net, {
    method: 'sgd', learning_rate: spec.lr, batch_size: spec.batch, momentum: 0, l1_decay: 0, l2_decay: 0,
  });
  return { net, trainer: sgd };
}

function toVols(cnn, x, n, d) {
  return Array.from({ length: n }, (_, i) => {
    const v = new cnn.Vol(1, 1, d, 0);
    v.w.set(x.subarray(i * d, (i + 1) * d));
    return v;
  });
}

// samples/s, `chunk` examples per timed step, reshuffled every epoch.
function trainer(cnn, { trainer: t }, set, spec, chunk) {
  const vols = toVols(cnn, set.x, set.n, spec.inputs);
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
  const v = new cnn.Vol(1, 1, spec.inputs, 0);
  const d = spec.inputs, k = spec.outputs;
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
  const net2d = createNet(cnn, NET_2D), netMnist = createNet(cnn, NET_MNIST);
  return jsRunners(shared, {
    train2d: trainer(cnn, net2d, shared.points, NET_2D, shared.points.n),
    predict2d: predictor(cnn, net2d, NET_2D),
    trainMnist: trainer(cnn, netMnist, shared.mnist.train, NET_MNIST, NET_MNIST.batch),
    predictMnist: predictor(cnn, netMnist, NET_MNIST),
  });
}
