// engines/tfjs.mjs: TensorFlow.js 4.22 (tfjs-core) as two benchmark engines,
// the wasm backend and the pure-JS cpu backend, in production mode. Weights
// are variables, training is optimizer.minimize inside tf.tidy on
// mini-batch tensors made once, predictions are one batched forward pass per
// call (fused matMul) with the probabilities read back.

import { createRequire, register } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { NET_2D, NET_MNIST, perSecond, jsRunners } from '../cases.mjs';

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

// The mini-batches of a set as tensors: x (batch, d) and one-hot y (batch, k).
function toBatches(set, spec) {
  const d = spec.inputs, bs = spec.batch, out = [];
  for (let s = 0; s + bs <= set.n; s += bs) {
    out.push(tf.tidy(() => ({
      xs: tf.tensor2d(set.x.subarray(s * d, (s + bs) * d), [bs, d]),
      ys: tf.cast(tf.oneHot(tf.tensor1d(set.labels.subarray(s, s + bs), 'int32'), spec.outputs), 'float32'),
    })));
  }
  return out;
}

// samples/s of SGD steps over the batches in turn (same batches every epoch).
function trainer(layers, set, spec) {
  const batches = toBatches(set, spec);
  const opt = tf.train.sgd(spec.lr);
  const vars = layers.flatMap(({ W, b }) => [W, b]);
  let next = 0;
  const step = () => {
    const { xs, ys } = batches[next];
    next = (next + 1) % batches.length;
    const loss = () => tf.losses.softmaxCrossEntropy(ys, logits(layers, xs, spec, true));
    tf.tidy(() => { opt.minimize(loss, false, vars); });
    return spec.batch;
  };
  return (ms) => perSecond(ms, step);
}

function predictor(layers, spec) {
  return (x, out) => {
    const xs = () => tf.tensor2d(x, [x.length / spec.inputs, spec.inputs]);
    const probs = tf.tidy(() => tf.softmax(logits(layers, xs(), spec, false)));
    out.set(probs.dataSync());
    probs.dispose();
    return out;
  };
}

/** The case runners of TF.js on `backend` ('wasm' or 'cpu'); make it active before each use. */
export async function tfjsRunners(backend, shared) {
  await useBackend(backend);
  const net2d = createNet(NET_2D, 1), netMnist = createNet(NET_MNIST, 11);
  return jsRunners(shared, {
    train2d: trainer(net2d, shared.points, NET_2D),
    predict2d: predictor(net2d, NET_2D),
    trainMnist: trainer(netMnist, shared.mnist.train, NET_MNIST),
    predictMnist: predictor(netMnist, NET_MNIST),
  });
}

/** Live tensors, to check that nothing leaks between rounds. */
export function tensorCount() { return tf ? tf.memory().numTensors : 0; }
