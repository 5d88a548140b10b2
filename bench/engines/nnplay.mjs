// engines/nnplay.mjs: nnplay's wasm builds (SIMD and scalar) as benchmark
// engines, through the public JS API of build/wasm/nnplay.mjs only: data in
// wasm memory, many mini-batches per train() call, predict into a
// preallocated output array.

import { NET_2D, NET_MNIST, NET_CNN, MAX_BATCH, perSecond, jsRunners } from '../cases.mjs';

const WASM_API = new URL('../../build/wasm/nnplay.mjs', import.meta.url);
const STEPS_2D = 200;    // 10 epochs of 200 points per train() call
const STEPS_MNIST = 10;  // 640 digits per train() call
const STEPS_CNN = 5;     // 100 digits per train() call

/** Loads one wasm build: simd true or false. */
export async function loadNNPlay(simd) {
  const { load } = await import(WASM_API.href);
  return load({ simd });
}

function createNet(nn, spec, maxBatch) {
  return nn.createNet({
    inputs: spec.inputs, layers: spec.hidden, activation: spec.activation, outputs: spec.outputs,
    output: 'softmax', loss: 'softmax_ce', optimizer: { name: 'sgd', lr: spec.lr }, maxBatch,
  });
}

// The CNN of cases.mjs as an nnplay layer list: conv, relu, maxpool per stage.
function createCnn(nn, spec) {
  const layers = spec.conv.flatMap((c) => [{ conv: c.filters, kernel: c.kernel, pad: c.pad }, 'relu', { maxpool: c.pool }]);
  return nn.createNet({
    shape: spec.shape, layers, outputs: spec.outputs, output: 'softmax', loss: 'softmax_ce',
    optimizer: { name: 'sgd', lr: spec.lr }, maxBatch: spec.batch,
  });
}

// The GEMM cases' net: one n x n dense layer, linear output, predicting n rows at once.
function gemmNet(nn, n) {
  const net = nn.createNet({ inputs: n, layers: [], outputs: n, output: 'linear', loss: 'mse', maxBatch: n });
  return (x, out) => net.predict(x, out);
}

// samples/s of train() calls of `steps` full mini-batches.
function trainer(net, data, spec, steps) {
  return (ms) => perSecond(ms, () => net.train(data, { batchSize: spec.batch, steps }).steps * spec.batch);
}

/** The case runners of one loaded nnplay instance; maxBatch {2d, mnist} as in cases.mjs. */
export function nnplayRunners(nn, shared, maxBatch = MAX_BATCH) {
  const { points, mnist } = shared;
  const net2d = createNet(nn, NET_2D, maxBatch['2d']);
  const netMnist = createNet(nn, NET_MNIST, maxBatch.mnist);
  const circle = nn.data({ x: points.x, labels: points.labels, dims: NET_2D.inputs });
  const digits = nn.data({ x: mnist.train.x, labels: mnist.train.labels, dims: NET_MNIST.inputs });
  const cnn = createCnn(nn, NET_CNN);
  return jsRunners(shared, {
    train2d: trainer(net2d, circle, NET_2D, STEPS_2D),
    predict2d: (x, out) => net2d.predict(x, out),
    trainMnist: trainer(netMnist, digits, NET_MNIST, STEPS_MNIST),
    predictMnist: (x, out) => netMnist.predict(x, out),
    trainCnn: trainer(cnn, digits, NET_CNN, STEPS_CNN),
    predictCnn: (x, out) => cnn.predict(x, out),
    cnnParams: () => cnn.layers().map((l) => l.params).filter((n) => n > 0),
    gemm: (n) => gemmNet(nn, n),
  });
}
