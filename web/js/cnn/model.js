// model.js: the CNN view's model. The digits as engine data (the training
// set, and the test set and 1,000 training digits in chunks of 50, so one
// evaluation chunk of a CNN fits a frame); the net's options from the
// settings; each layer of a built or loaded net described from the engine
// (net.layers(): kind, shapes, window, weights), with its multiply-adds;
// the checks a loaded file must pass; and the confusion matrix with which
// test digit fell in which cell. Training itself is mnist/model.js's Run.
import { PIXELS, SCALE } from '../mnist.js';
import { predictBytes, evaluateChunk, QUICK_TEST } from '../mnist/model.js';
import { INPUT_SHAPE, CLASSES, LIMITS, formatLayer, maxBatchFor, parseArch, archError, failureText, netLayers, plan, totals } from './arch.js';

// a saved net as large as the view trains is 16 MB (weights and optimiser state)
const MAX_FILE_BYTES = 64 * 2 ** 20;

export const CHUNK = 50;

/** The engine-side data: {train, test (chunks), quick (the first 1,000 test digits), quickTrain, nTrain}. */
export function makeSets(nn, mnist) {
  const wrap = (images, labels) => nn.data({ x8: images, scale: SCALE, labels: Int32Array.from(labels), dims: PIXELS });
  const chunks = (set, n) => Array.from({ length: Math.ceil(n / CHUNK) }, (_, i) => {
    const s = i * CHUNK, e = Math.min(n, s + CHUNK);
    return wrap(set.images.subarray(s * PIXELS, e * PIXELS), set.labels.subarray(s, e));
  });
  const test = chunks(mnist.test, mnist.test.n);
  return {
    train: wrap(mnist.train.images, mnist.train.labels),
    test,
    quick: test.slice(0, QUICK_TEST / CHUNK),
    quickTrain: chunks(mnist.train, Math.min(QUICK_TEST, mnist.train.n)),
    nTrain: mnist.train.n,
  };
}

/** createNet options: the checked layer list (arch.js netLayers) with the shared MNIST training settings `s`. */
export function netOptions(s, layers, maxBatch) {
  return {
    shape: INPUT_SHAPE, outputs: CLASSES, output: 'softmax', maxBatch, layers,
    init: s.init, seed: s.seed, optimizer: { name: s.optimizer, lr: s.lr, momentum: s.momentum }, l2: s.l2,
  };
}

/** Why the engine cannot hold a net of `layers` (arch.js) at its largest batch, as a failure of arch.js, or null: its own memory plan. */
export function memoryProblem(nn, layers, shared) {
  const batch = maxBatchFor(totals(plan(layers).rows).macs);
  const bytes = nn.netBytes(netOptions(shared, netLayers(layers), batch));
  if (bytes <= LIMITS.megabytes * 2 ** 20) return null;
  return { key: 'cnnErrMemory', values: { mb: Math.ceil(bytes / 2 ** 20), batch, max: LIMITS.megabytes }, layer: -1 };
}

/**
 * The net of an architecture string with the shared MNIST settings, built
 * only after every check (arch.js, then the engine's memory plan); throws an
 * Error in the words of `t` otherwise.
 */
export function buildNet(nn, arch, shared, t) {
  const { layers } = parseArch(arch);
  const problem = archError(arch) ?? memoryProblem(nn, layers, shared);
  if (problem) throw new Error(failureText(t, problem));
  try {
    return nn.createNet(netOptions(shared, netLayers(layers), maxBatchFor(totals(plan(layers).rows).macs)));
  } catch (e) {
    throw new Error(t('cnnErrBuild', { msg: e.message }), { cause: e });
  }
}

/** The message for a link's architecture `arch` that cannot be used, because `why`. */
export function linkText(t, arch, why) {
  return t('cnnLinkArch', { arch: arch.slice(0, 80), why, preset: t('cnnPreset_convnetjs') });
}

/** What to say of a link's architecture that could not be read (state.js rejected(): [key, raw]), or null. */
export function linkProblem(rejected, t) {
  const bad = rejected.find(([key]) => key === 'cArch');
  if (!bad) return null;
  const error = archError(bad[1]);
  return linkText(t, bad[1], error ? failureText(t, error) : '');
}

/**
 * A net read from a file, built and checked completely (loadedProblem, a
 * finite loss on 50 test digits) before it is returned; throws an Error in
 * the words of `t`, having freed what it built, otherwise.
 */
export async function readNet(nn, file, sets, t) {
  if (file.size > MAX_FILE_BYTES) throw new Error(t('mTooBig'));
  let net = null;
  try {
    try {
      net = nn.loadNet(new Uint8Array(await file.arrayBuffer()));
    } catch (e) {
      throw new Error(t('mUnreadable', { msg: e.message }), { cause: e });
    }
    const problem = loadedProblem(net, describeNet(net));
    if (problem) throw new Error(t(problem.key, problem.values));
    if (evaluateChunk(net, sets.quick[0]).diverged) throw new Error(t('mBadWeights'));
    return net;
  } catch (e) {
    net?.free();
    throw e;
  }
}

/**
 * Every layer of `net` as the engine reports it: {index, type, activation,
 * inShape, shape, kernel, stride, pad, params, W, b, macs, token} (W and b
 * are fresh views of the weights; the input is 1 x 28 x 28).
 */
export function describeNet(net) {
  let inShape = INPUT_SHAPE;
  return net.layers().map((l, index) => {
    const [c, h, w] = l.shape, n = inShape[0] * inShape[1] * inShape[2];
    const macs = l.type === 'conv' ? c * h * w * inShape[0] * l.kernel * l.kernel : l.type === 'dense' ? n * l.outputs : 0;
    const d = { index, type: l.type, activation: l.activation, inShape, shape: l.shape, kernel: l.kernel, stride: l.stride,
      pad: l.pad, params: l.params, W: l.W, b: l.b, macs, last: false };
    d.token = tokenOf(d);
    inShape = l.shape;
    return d;
  }).map((d, i, all) => ({ ...d, last: i === all.length - 1 }));
}

// The architecture token of a layer (arch.js), or its kind for one the strings do not write (dropout).
function tokenOf(d) {
  switch (d.type) {
    case 'conv': return formatLayer({ kind: 'conv', filters: d.shape[0], kernel: d.kernel, stride: d.stride, pad: d.pad });
    case 'maxpool': case 'avgpool': return formatLayer({ kind: d.type, size: d.kernel, stride: d.stride });
    case 'dense': return formatLayer({ kind: 'dense', units: d.shape[0] });
    case 'batchnorm': return 'bn';
    case 'activation': return d.activation;
    default: return d.type;
  }
}

/**
 * Why a loaded net cannot be shown and trained here, as {key, values} of
 * cnn/strings.js, or null: 784 inputs read as a 28 x 28 image, 10 softmax
 * outputs (cross-entropy), and the limits of a net built here.
 */
export function loadedProblem(net, layers) {
  if (net.inputs !== PIXELS || net.outputs !== CLASSES || net.lossName !== 'softmax_ce') return { key: 'cnnNotMnist', values: {} };
  // a conv decoder's layers, or a convolution as the output layer, are the autoencoder's, not this view's
  if (layers.at(-1).type !== 'dense' || layers.some((d) => d.type === 'upsample' || d.type === 'reshape')) {
    return { key: 'cnnNotClassifier', values: {} };
  }
  const first = layers[0];
  if (['conv', 'maxpool', 'avgpool'].includes(first.type)) {
    const side = Math.floor((INPUT_SHAPE[1] + 2 * first.pad - first.kernel) / first.stride) + 1;
    const channels = first.type === 'conv' ? first.W.length / (first.shape[0] * first.kernel * first.kernel) : first.shape[0];
    if (side !== first.shape[1] || channels !== 1) return { key: 'cnnNotImage', values: {} };
  }
  const params = layers.reduce((a, d) => a + d.params, 0), macs = layers.reduce((a, d) => a + d.macs, 0);
  if (params > LIMITS.params) return { key: 'cnnLoadedParams', values: { n: params, max: LIMITS.params } };
  if (macs > LIMITS.macs) return { key: 'cnnLoadedMacs', values: { n: macs, max: LIMITS.macs } };
  return null;
}

/** The batch a net trains on here: the setting, capped by its maximum batch and by a step's cost (arch.js). */
export function batchFor(setting, net, layers) {
  return Math.min(setting, net.maxBatch, maxBatchFor(layers.reduce((a, d) => a + d.macs, 0)));
}

/**
 * The confusion matrix over a test set, `chunk` digits per animation frame:
 * {m (10 x 10, rows: true class), preds (the predicted class of each digit)},
 * or null when `alive()` turns false (the net was replaced).
 */
export async function confusion(net, images, labels, alive = () => true, chunk = 2 * CHUNK) {
  const m = Array.from({ length: CLASSES }, () => new Array(CLASSES).fill(0));
  const preds = new Uint8Array(labels.length);
  for (let s = 0; s < labels.length; s += chunk) {
    if (!alive()) return null;
    const n = Math.min(chunk, labels.length - s);
    const p = predictBytes(net, images.subarray(s * PIXELS, (s + n) * PIXELS), n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let k = 1; k < CLASSES; k++) if (p[i * CLASSES + k] > p[i * CLASSES + best]) best = k;
      preds[s + i] = best;
      m[labels[s + i]][best] += 1;
    }
    await new Promise((r) => requestAnimationFrame(r));
  }
  return { m, preds };
}

/** The indices of the test digits of class `truth` predicted as `pred`, at most `max`. */
export function cellDigits(preds, labels, truth, pred, max = 40) {
  const out = [];
  for (let i = 0; i < labels.length && out.length < max; i++) if (labels[i] === truth && preds[i] === pred) out.push(i);
  return out;
}

/** The digit `index` of a set as 784 floats in [0, 1], as the engine reads its bytes. */
export function digitOf(set, index) {
  const x = new Float32Array(PIXELS), bytes = set.images.subarray(index * PIXELS, (index + 1) * PIXELS);
  for (let i = 0; i < PIXELS; i++) x[i] = bytes[i] * SCALE;
  return x;
}
