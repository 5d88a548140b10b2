// receptive.js: what one feature-map cell is made of, from the engine's own
// numbers: the layer's input (the digit, or the previous layer's output from
// net.activations), its weights (net.layers(), views of net.params()) and
// the cell's value as the engine computed it. A convolution cell is the sum
// over input channels of its k x k patch times the kernel, plus the bias; a
// max-pool cell the largest value of its window (the first one, as the
// engine routes the gradient), an average-pool cell their mean; a dense cell
// the sum over all inputs. The elementwise layers around it (activation,
// batch norm, dropout) follow as a chain. Also the cell's receptive field in
// the 28 x 28 input. Pure: no DOM.
const ELEMENTWISE = new Set(['activation', 'batchnorm', 'dropout']);

/** Whether a layer's output (model.js describeNet) is drawn as images: more than one position per channel. */
export const isSpatial = (d) => d.shape[1] * d.shape[2] > 1;

/** The flat index of a cell {c, y, x} in a layer of shape [C, H, W]. */
export const cellIndex = (shape, { c, y, x }) => (c * shape[1] + y) * shape[2] + x;

/** The cell at a flat index of a layer of shape [C, H, W]. */
export function cellAt(shape, i) {
  const hw = shape[1] * shape[2];
  return { c: Math.floor(i / hw), y: Math.floor((i % hw) / shape[2]), x: i % shape[2] };
}

/** The layer a cell's value comes from: back from `k` over elementwise layers to a conv, pool, dense (or the input: -1). */
export function baseOf(layers, k) {
  let b = k;
  while (b >= 0 && ELEMENTWISE.has(layers[b].type)) b--;
  return b;
}

/**
 * The rows and columns of the input (inclusive, unclipped: they may reach
 * into the padding) that cell {y, x} of layer `k` depends on; the whole
 * image when a dense layer is on the way ({full: true}).
 */
export function receptiveField(layers, k, { y, x }) {
  let r = { y0: y, y1: y, x0: x, x1: x, full: false };
  for (let j = k; j >= 0; j--) {
    const d = layers[j];
    if (d.type === 'dense') return { y0: 0, y1: 27, x0: 0, x1: 27, full: true };
    if (d.type === 'conv' || d.type === 'maxpool' || d.type === 'avgpool') r = under(d, r);
  }
  return r;
}

// The input rows and columns of a window layer under output rows y0..y1, columns x0..x1.
function under(d, r) {
  const s = d.stride, p = d.pad, k = d.kernel;
  return { y0: r.y0 * s - p, y1: r.y1 * s - p + k - 1, x0: r.x0 * s - p, x1: r.x1 * s - p + k - 1, full: false };
}

/**
 * The arithmetic of cell {c, y, x} of layer `k`: {base (the layer that
 * computes it, or -1 for the input itself), kind, ... per kind, chain (the
 * elementwise layers from base + 1 on, each {layer, type, activation,
 * input, value, gamma, beta}), patch (the window in the base layer's input,
 * per its own rows and columns), field (receptiveField)}. Every number is
 * read from `acts` (net.activations of the one input `x`) and the layers'
 * W and b; `engine` is the base layer's own output for the cell.
 */
export function explain(layers, acts, x, k, cell) {
  const base = baseOf(layers, k);
  const shape = layers[k].shape, idx = cellIndex(shape, cell);
  let end = base;
  while (end + 1 < layers.length && ELEMENTWISE.has(layers[end + 1].type)) end++;
  const out = { layer: k, cell, base, field: receptiveField(layers, base, cell) };
  const input = (j) => (j === 0 ? x : acts[j - 1]);
  if (base < 0) Object.assign(out, { kind: 'input', value: x[idx], engine: x[idx] });
  else Object.assign(out, compute(layers[base], input(base), acts[base], cell, idx));
  let value = out.kind === 'input' ? x[idx] : out.engine;
  out.chain = [];
  for (let j = base + 1; j <= end; j++) {
    const d = layers[j], v = acts[j][idx];
    const step = { layer: j, type: d.type, activation: d.activation, input: value, value: v };
    // one gamma and beta per channel (a dense layer's output is n channels of 1 x 1)
    if (d.type === 'batchnorm') Object.assign(step, { gamma: d.W[cell.c], beta: d.b[cell.c] });
    out.chain.push(step);
    value = v;
  }
  return out;
}

// The arithmetic of the base layer d at cell (idx) from its input `inp` and its output `outp`.
function compute(d, inp, outp, cell, idx) {
  const engine = outp[idx];
  if (d.type === 'dense') return dense(d, inp, idx, engine);
  const [C, H, W] = d.inShape, k = d.kernel, s = d.stride, p = d.pad;
  const y0 = cell.y * s - p, x0 = cell.x * s - p;
  const patch = { y0, x0, y1: y0 + k - 1, x1: x0 + k - 1 };
  // the window of channel ci: k x k values, null where it reaches into the padding
  const windowOf = (ci) => Array.from({ length: k }, (_, ky) => Array.from({ length: k }, (__, kx) => {
    const iy = y0 + ky, ix = x0 + kx;
    return iy < 0 || iy >= H || ix < 0 || ix >= W ? null : inp[(ci * H + iy) * W + ix];
  }));
  if (d.type === 'conv') {
    const channels = [];
    let total = 0;
    for (let ci = 0; ci < C; ci++) {
      const values = windowOf(ci);
      const weights = Array.from({ length: k }, (_, ky) => Array.from({ length: k },
        (__, kx) => d.W[((cell.c * C + ci) * k + ky) * k + kx]));
      let sum = 0;
      values.forEach((row, ky) => row.forEach((v, kx) => { if (v !== null) sum += v * weights[ky][kx]; }));
      channels.push({ channel: ci, values, weights, sum });
      total += sum;
    }
    const bias = d.b[cell.c];
    return { kind: 'conv', patch, channels, total, bias, z: total + bias, engine };
  }
  const values = windowOf(cell.c);
  if (d.type === 'maxpool') {
    // the first largest value in reading order: the engine's winner
    let win = null;
    values.forEach((row, ky) => row.forEach((v, kx) => { if (v !== null && (!win || v > values[win.ky][win.kx])) win = { ky, kx }; }));
    return { kind: 'maxpool', patch, values, winner: win, z: values[win.ky][win.kx], engine };
  }
  let sum = 0;
  values.forEach((row) => row.forEach((v) => { sum += v ?? 0; }));
  return { kind: 'avgpool', patch, values, sum, count: k * k, z: sum / (k * k), engine };
}

// A dense cell: the sum over every input, and the terms that weigh most.
function dense(d, inp, unit, engine) {
  const n = inp.length;
  const terms = [];
  let total = 0, nonzero = 0;
  for (let i = 0; i < n; i++) {
    const w = d.W[unit * n + i], v = inp[i], t = w * v;
    total += t;
    if (v !== 0) nonzero++;
    terms.push({ i, v, w, t });
  }
  terms.sort((a, b) => Math.abs(b.t) - Math.abs(a.t));
  const bias = d.b[unit];
  return { kind: 'dense', n, nonzero, top: terms.slice(0, 6), total, bias, z: total + bias, engine };
}
