// nnplay-codes.mjs: the autoencoder calls of the API ("Autoencoders" in
// engine/nn.h): targets that are the inputs, the codes of a layer for a set
// (encode) and the rest of the net run from codes (decode), the input noise
// of a denoising autoencoder, and the measures of a code space: PCA and
// k-NN accuracy. Net (nnplay-net.mjs) and NNPlay (nnplay.mjs) call these
// with themselves; every argument is checked here, every C status becomes an
// Error through nn.check.

import { fail, lookup, number, numbers, options, describe, LIMITS, NOISES } from './nnplay-names.mjs';
import { writeStruct, sizeOf } from './nnplay-struct.mjs';

/**
 * Whether `targets` asks for targets equal to the inputs ('inputs'), for a
 * net that can take them: as many outputs as inputs, targets not labels.
 * Any other value than undefined or 'inputs' throws, as does `y` beside it.
 */
export function targetsAreInputs(targets, what, y, net) {
  if (targets === undefined) return false;
  if (targets !== 'inputs') fail(`${what}: targets must be 'inputs' when given, got ${describe(targets)}`);
  if (y !== null && y !== undefined) fail(`${what}: targets 'inputs' and y together: give one`);
  if (net) {
    if (net.lossName === 'softmax_ce') fail(`${what}: targets 'inputs' need a squared-error or BCE loss, not softmax_ce`);
    if (net.outputs !== net.inputs) fail(`${what}: targets 'inputs' need as many outputs as inputs (net: ${net.inputs} in, ${net.outputs} out)`);
  }
  return true;
}

// the index and output width of layer k, checked
function layerWidth(net, k, what) {
  const m = net.nn.m, count = m._nn_layer_count(net.live());
  number(k, `${what}: k`, { min: 0, max: count - 1, integer: true });
  const layers = net.layers();
  return layers[k].outputs;
}

/** The outputs of layer k for a Data of this instance or inputs x (n * inputs): a Float32Array (n * width). */
export function encode(net, input, k) {
  const width = layerWidth(net, k, 'encode');
  const nn = net.nn, m = nn.m;
  const own = input && input.ptr !== undefined && input.nn === nn;
  let rows, x = null;
  if (own) {
    input.live();
    if (input.dims !== net.inputs) fail(`encode: data have ${input.dims} inputs, the net ${net.inputs}`);
    rows = input.n;
  } else {
    x = numbers(input, 'encode: x', { scan: false });
    rows = x.length / net.inputs;
    if (!Number.isInteger(rows)) fail(`encode: x has ${x.length} values, not a multiple of ${net.inputs} inputs`);
  }
  const outBytes = rows * width * 4;
  const dataBytes = own ? 0 : sizeOf('nn_data') + rows * net.inputs * 4;
  const p = nn.alloc(outBytes + dataBytes);
  try {
    const dp = own ? input.ptr : p + outBytes;
    if (!own) {
      const px = dp + sizeOf('nn_data');
      nn.heap().f32.set(x, px >> 2);
      writeStruct(nn.heap(), dp, 'nn_data', { x: px, y: 0, label: 0, n: rows, dx: net.inputs, dy: 0, x8: 0, x8_scale: 0, y_is_x: 0 });
    }
    nn.check(m._nn_encode(net.ptr, k, dp, p), 'encode');
    return nn.heap().f32.slice(p >> 2, (p >> 2) + rows * width);
  } finally {
    nn.free(p);
  }
}

/** Layers k+1.. and the output function on codes (n * width of layer k): a Float32Array (n * outputs). */
export function decode(net, act, k) {
  const width = layerWidth(net, k, 'decode');
  numbers(act, 'decode: codes', { scan: false });
  const rows = act.length / width;
  if (!Number.isInteger(rows)) fail(`decode: codes have ${act.length} values, not a multiple of layer ${k}'s width ${width}`);
  const nn = net.nn, out = rows * net.outputs;
  const p = nn.alloc((act.length + out) * 4);
  try {
    nn.heap().f32.set(act, p >> 2);
    const po = p + act.length * 4;
    nn.check(nn.m._nn_decode(net.ptr, k, p, rows, po), 'decode');
    return nn.heap().f32.slice(po >> 2, (po >> 2) + out);
  } finally {
    nn.free(p);
  }
}

// a noise kind and amount, checked as the engine checks them
function noiseArgs(o, what) {
  const { kind = 'none', amount = 0 } = options(o, what);
  const k = lookup(NOISES, kind, 'noise kind');
  number(amount, `${what}: amount`, { min: 0, max: NOISES[k] === 'mask' ? 1 : Infinity });
  return { k, amount };
}

/** Sets the input noise of training: {kind: 'none' | 'mask' | 'gaussian', amount}. */
export function setInputNoise(net, o) {
  const { k, amount } = noiseArgs(o, 'setInputNoise');
  net.nn.check(net.nn.m._nn_set_input_noise(net.live(), k, amount), 'setInputNoise');
}

/** The input noise of training: {kind, amount}. */
export function inputNoise(net) {
  const p = net.ioBuffer(8);
  net.nn.check(net.nn.m._nn_get_input_noise(net.live(), p, p + 4), 'inputNoise');
  const h = net.nn.heap();
  return { kind: NOISES[h.i32[p >> 2]], amount: h.f32[(p + 4) >> 2] };
}

/** A corrupted copy of x (rows of `dims`): {dims, kind, amount, seed}. */
export function corrupt(nn, x, o) {
  const { dims, seed = 1 } = options(o, 'corrupt');
  const { k, amount } = noiseArgs(o, 'corrupt');
  numbers(x, 'corrupt: x', { scan: false });
  number(dims, 'corrupt: dims', { min: 1, max: LIMITS.NN_MAX_UNITS, integer: true });
  number(seed, 'corrupt: seed', { min: 0, max: LIMITS.UINT32_MAX, integer: true });
  const n = x.length / dims;
  if (!Number.isInteger(n)) fail(`corrupt: x has ${x.length} values, not a multiple of ${dims} dims`);
  const p = nn.alloc(x.length * 4);
  try {
    nn.heap().f32.set(x, p >> 2);
    nn.check(nn.m._nn_corrupt(p, n, dims, k, amount, seed >>> 0), 'corrupt');
    return nn.heap().f32.slice(p >> 2, (p >> 2) + x.length);
  } finally {
    nn.free(p);
  }
}

/**
 * The top principal components of x (n rows of `dims`): {mean (dims),
 * components (components * dims, unit rows by decreasing variance, the
 * largest entry of each positive), projected (n * components), explained
 * (each one's share of the variance)}. components in [1, NN_PCA_MAX].
 */
export function pca(nn, x, o) {
  const { n, dims, components = 2 } = options(o, 'pca');
  numbers(x, 'pca: x');
  number(dims, 'pca: dims', { min: 1, max: LIMITS.NN_MAX_UNITS, integer: true });
  number(components, 'pca: components', { min: 1, max: Math.min(LIMITS.NN_PCA_MAX, dims), integer: true });
  const rows = n ?? x.length / dims;
  number(rows, 'pca: n', { min: 2, max: LIMITS.INT_MAX, integer: true });
  if (x.length !== rows * dims) fail(`pca: x has ${x.length} values, not ${rows} rows of ${dims}`);
  const m = components;
  const sizes = [x.length, dims, m * dims, rows * m, m];
  const p = nn.alloc(sizes.reduce((a, b) => a + b) * 4);
  try {
    const at = [p];
    for (let i = 1; i < sizes.length; i++) at.push(at[i - 1] + sizes[i - 1] * 4);
    nn.heap().f32.set(x, p >> 2);
    nn.check(nn.m._nn_pca(p, rows, dims, m, at[1], at[2], at[3], at[4]), 'pca');
    const f = nn.heap().f32;
    const take = (i) => f.slice(at[i] >> 2, (at[i] >> 2) + sizes[i]);
    return { mean: take(1), components: take(2), projected: take(3), explained: take(4) };
  } finally {
    nn.free(p);
  }
}

/**
 * The share of query rows whose label is the majority label of their k
 * nearest ref rows (Euclidean; a tie in votes goes to the nearest): a
 * number in [0, 1]. {ref, refLabels, query, queryLabels, dims, k = 5}.
 */
export function knnAccuracy(nn, o) {
  const { ref, refLabels, query, queryLabels, dims, k = 5 } = options(o, 'knnAccuracy');
  number(dims, 'knnAccuracy: dims', { min: 1, max: LIMITS.NN_MAX_UNITS, integer: true });
  numbers(ref, 'knnAccuracy: ref');
  numbers(query, 'knnAccuracy: query');
  const nRef = ref.length / dims, nQuery = query.length / dims;
  if (!Number.isInteger(nRef) || nRef < 1) fail(`knnAccuracy: ref has ${ref.length} values, not rows of ${dims}`);
  if (!Number.isInteger(nQuery) || nQuery < 1) fail(`knnAccuracy: query has ${query.length} values, not rows of ${dims}`);
  numbers(refLabels, 'knnAccuracy: refLabels', { length: nRef, labels: true });
  numbers(queryLabels, 'knnAccuracy: queryLabels', { length: nQuery, labels: true });
  number(k, 'knnAccuracy: k', { min: 1, max: Math.min(nRef, LIMITS.NN_KNN_MAX_K), integer: true });
  // ref and query rows (dims floats each), both label arrays and the accuracy
  const p = nn.alloc((ref.length + nRef + query.length + nQuery + 1) * 4);
  try {
    const h = nn.heap(), pl = p + ref.length * 4, pq = pl + nRef * 4, pql = pq + query.length * 4, pa = pql + nQuery * 4;
    h.f32.set(ref, p >> 2);
    h.i32.set(refLabels, pl >> 2);
    h.f32.set(query, pq >> 2);
    h.i32.set(queryLabels, pql >> 2);
    nn.check(nn.m._nn_knn_accuracy(p, pl, nRef, pq, pql, nQuery, dims, k, pa), 'knnAccuracy');
    return nn.heap().f32[pa >> 2];
  } finally {
    nn.free(p);
  }
}
