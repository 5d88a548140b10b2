// engines/tfjs.mjs: TensorFlow.js 4.22 (tfjs-core) as two benchmark engines,
// the wasm backend and the pure-JS cpu backend, in production mode. Weights
// are variables, training is optimizer.minimize inside tf.tidy on
// mini-batch tensors made once, predictions are one batched forward pass per
// call (fused matMul) with the probabilities read back. The CNN is built from
// ops (conv2d, maxPool, matMul) on NHWC tensors.

import { createRequire, register } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { NET_2D, NET_MNIST, NET_CNN, perSecond, jsRunners } from '../cases.mjs';

const require = createRequire(import.meta.url);
let tf = null, tfWasm = null, loading = null;

// tfjs-core's Node bundle registers no gradients: apps get them from the
// @tensorflow/tfjs union package or a bundler, through the ES module
// dist/register_all_gradients.js. Node loads that file with a resolve hook;
// the registry and the engine are process globals, shared by both builds.
async function registerGradients() {
  register('./tfjs-hook.mjs', import.meta.url);
  const file = require.resolve('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  await import(pathToFileURL(file).href);
}

// Loads tfjs-core, its gradients and both backends once; the wasm binaries
// come from the package's dist/ folder (no network).
async function setup() {
  try {
    tf = require('@tensorflow/tfjs-core');
    require('@tensorflow/tfjs-backend-cpu');
    tfWasm = require('@tensorflow/tfjs-backend-wasm');
  } catch (e) {
    throw new Error(`TF.js packages missing (npm install): ${e.message}`, { cause: e });
  }
  tf.enableProdMode();
  await registerGradients();
  const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  tfWasm.setWasmPaths(dist + path.sep);
}

function loadTf() {
  loading ??= setup();
  return loading;
}

/** Makes `backend` the active one; throws when it cannot initialise. */
export async function useBackend(backend) {
  await loadTf();
  if (tf.getBackend() === backend) return;
  if (!(await tf.setBackend(backend))) throw new Error(`TF.js backend ${backend} failed to initialise`);
}

/** How the wasm backend runs here: binary, SIMD, threads. */
export async function wasmVariant() {
  await useBackend('wasm');
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  const binary = `tfjs-backend-wasm${simd && threads ? '-threaded-simd' : simd ? '-simd' : ''}.wasm`;
  return { binary, simd, threads, threadCount: tfWasm.getThreadsCount() };
}

// Glorot-uniform weights (in, out) and zero biases, as variables.
function createNet(spec, seed) {
  const sizes = [spec.inputs, ...spec.hidden, spec.outputs];
  return tf.tidy(() => sizes.slice(1).map((n, i) => {
    const lim = Math.sqrt(6 / (sizes[i] + n));
    return {
      W: tf.variable(tf.randomUniform([sizes[i], n], -lim, lim, 'float32', seed + i)),
      b: tf.variable(tf.zeros([n])),
    };
  }));
}

// Logits of x. Training: matMul + add, twice as fast here as the gradient of
// the fused op. Inference: bias (and sigmoid, where fusable) fused into matMul.
function logits(layers, x, spec, train) {
  const act = spec.activation === 'tanh' ? tf.tanh : tf.sigmoid;
  const last = layers.length - 1;
  return layers.reduce((h, { W, b }, i) => {
    if (train) {
      const z = tf.add(tf.matMul(h, W), b);
      return i === last ? z : act(z);
    }
    if (i === last) return tf.fused.matMul({ a: h, b: W, bias: b });
    if (spec.activation === 'sigmoid') return tf.fused.matMul({ a: h, b: W, bias: b, activation: 'sigmoid' });
    return act(tf.fused.matMul({ a: h, b: W, bias: b }));
  }, x);
}

// The CNN's variables: per stage a filter (k, k, in, out) and a bias, then
// the dense layer (256, outputs); Glorot-uniform weights, zero biases.
function createCnn(spec, seed) {
  const [depth, side] = spec.shape;
  let c = depth, s = side;
  const uniform = (shape, fanIn, fanOut, i) => {
    const lim = Math.sqrt(6 / (fanIn + fanOut));
    return tf.variable(tf.randomUniform(shape, -lim, lim, 'float32', seed + i));
  };
  return tf.tidy(() => {
    const conv = spec.conv.map((l, i) => {
      const k = l.kernel, W = uniform([k, k, c, l.filters], k * k * c, k * k * l.filters, i);
      c = l.filters;
      s = Math.floor((s + 2 * l.pad - k + 1 - l.pool) / l.pool) + 1;   // conv, then pool
      return { W, b: tf.variable(tf.zeros([l.filters])), pad: l.pad, kernel: k, pool: l.pool };
    });
    const flat = c * s * s;
    const conv2d = hasConv2dGrad() ? (a, W) => tf.conv2d(a, W, 1, 'same') : conv2dFilterGradByConv();
    return { conv, conv2d, flat, dense: { W: uniform([flat, spec.outputs], flat, spec.outputs, 9), b: tf.variable(tf.zeros([spec.outputs])) } };
  });
}

// conv2d 'same', stride 1, for a backend without the Conv2DBackpropFilter
// kernel (TF.js 4.22 wasm has none, so tf.conv2d cannot train there): the
// input gradient is TF.js's own (conv2dTranspose), the filter gradient the
// same sum as a 'valid' conv2d of the padded input, batch and channels
// swapped, with dy as the filter. Of the ways around the missing kernel this
// is the fastest (tf.conv3d with depth 1, which has wasm gradients, runs at
// about a third of its speed), so the ratio against nnplay is the harder one.
let conv2dSame = null;
function conv2dFilterGradByConv() {
  conv2dSame ??= tf.customGrad((x, W, save) => {
    save([x, W]);
    const gradFunc = (dy, [xs, Ws]) => {
      const p = (Ws.shape[0] - 1) / 2;
      const xp = tf.pad(xs, [[0, 0], [p, p], [p, p], [0, 0]]);
      const dW = tf.conv2d(tf.transpose(xp, [3, 1, 2, 0]), tf.transpose(dy, [1, 2, 0, 3]), 1, 'valid');
      return [tf.conv2dTranspose(dy, Ws, xs.shape, 1, 'same'), tf.transpose(dW, [1, 2, 0, 3])];
    };
    return { value: tf.conv2d(x, W, 1, 'same'), gradFunc };
  });
  return conv2dSame;
}

/** Whether the active backend trains tf.conv2d with its own kernels. */
export function hasConv2dGrad() {
  return tf.getKernel('Conv2DBackpropFilter', tf.getBackend()) !== undefined;
}

// Logits of the CNN on x (batch, h, w, c). 'same' padding is nnplay's pad
// (k - 1) / 2 at stride 1; the pools are 'valid', as nnplay's.
function cnnLogits(net, x) {
  const h = net.conv.reduce((a, l) => {
    if (2 * l.pad !== l.kernel - 1) throw new Error(`TF.js CNN: pad ${l.pad} is not 'same' for kernel ${l.kernel}`);
    const z = tf.relu(tf.add(net.conv2d(a, l.W), l.b));
    return tf.maxPool(z, l.pool, l.pool, 'valid');
  }, x);
  return tf.add(tf.matMul(tf.reshape(h, [-1, net.flat]), net.dense.W), net.dense.b);
}

function cnnVars(net) {
  return [...net.conv.flatMap((l) => [l.W, l.b]), net.dense.W, net.dense.b];
}

// The mini-batches of a set as tensors: x (batch, d), or (batch, h, w, c) for
// a spec with a shape, and one-hot y (batch, k).
function toBatches(set, spec) {
  const shape = spec.shape ? [spec.shape[1], spec.shape[2], spec.shape[0]] : [];
  const d = spec.shape ? shape.reduce((a, b) => a * b, 1) : spec.inputs, bs = spec.batch, out = [];
  for (let s = 0; s + bs <= set.n; s += bs) {
    out.push(tf.tidy(() => ({
      xs: tf.tensor(set.x.subarray(s * d, (s + bs) * d), spec.shape ? [bs, ...shape] : [bs, d]),
      ys: tf.cast(tf.oneHot(tf.tensor1d(set.labels.subarray(s, s + bs), 'int32'), spec.outputs), 'float32'),
    })));
  }
  return out;
}

// samples/s of SGD steps over the batches in turn (same batches every epoch);
// forward(xs) gives the logits, vars are the variables to train.
function trainer(forward, vars, set, spec) {
  const batches = toBatches(set, spec);
  const opt = tf.train.sgd(spec.lr);
  let next = 0;
  const step = () => {
    const { xs, ys } = batches[next];
    next = (next + 1) % batches.length;
    const loss = () => tf.losses.softmaxCrossEntropy(ys, forward(xs));
    tf.tidy(() => { opt.minimize(loss, false, vars); });
    return spec.batch;
  };
  return (ms) => perSecond(ms, step);
}

function predictor(forward, spec) {
  const shape = spec.shape ? [spec.shape[1], spec.shape[2], spec.shape[0]] : [spec.inputs];
  const d = shape.reduce((a, b) => a * b, 1);
  return (x, out) => {
    const xs = () => tf.tensor(x, [x.length / d, ...shape]);
    const probs = tf.tidy(() => tf.softmax(forward(xs())));
    out.set(probs.dataSync());
    probs.dispose();
    return out;
  };
}

// The CNN's primitives, or none on the cpu backend: there one step of 20
// digits takes seconds (about 5 samples/s measured), longer than the budget.
function cnnPrimitives(backend, shared) {
  if (backend === 'cpu') return {};
  const cnn = createCnn(NET_CNN, 21);
  return {
    trainCnn: trainer((xs) => cnnLogits(cnn, xs), cnnVars(cnn), shared.mnist.train, NET_CNN),
    predictCnn: predictor((xs) => cnnLogits(cnn, xs), NET_CNN),
    cnnParams: () => [...cnn.conv, cnn.dense].map((l) => l.W.size + l.b.size),
  };
}

// The GEMM cases: out = x·W + b for n x n variables, one fused matMul read back.
function gemm(n) {
  const W = tf.variable(tf.randomUniform([n, n], -0.05, 0.05, 'float32', 31)), b = tf.variable(tf.zeros([n]));
  return (x, out) => {
    const y = tf.tidy(() => tf.fused.matMul({ a: tf.tensor2d(x, [n, n]), b: W, bias: b }));
    out.set(y.dataSync());
    y.dispose();
  };
}

/** The case runners of TF.js on `backend` ('wasm' or 'cpu'); make it active before each use. */
export async function tfjsRunners(backend, shared) {
  await useBackend(backend);
  const net2d = createNet(NET_2D, 1), netMnist = createNet(NET_MNIST, 11);
  const mlp = (layers, spec, train) => (xs) => logits(layers, xs, spec, train);
  const vars = (layers) => layers.flatMap(({ W, b }) => [W, b]);
  return jsRunners(shared, {
    train2d: trainer(mlp(net2d, NET_2D, true), vars(net2d), shared.points, NET_2D),
    predict2d: predictor(mlp(net2d, NET_2D, false), NET_2D),
    trainMnist: trainer(mlp(netMnist, NET_MNIST, true), vars(netMnist), shared.mnist.train, NET_MNIST),
    predictMnist: predictor(mlp(netMnist, NET_MNIST, false), NET_MNIST),
    ...cnnPrimitives(backend, shared),
    gemm,
  });
}

/** Live tensors, to check that nothing leaks between rounds. */
export function tensorCount() { return tf ? tf.memory().numTensors : 0; }
