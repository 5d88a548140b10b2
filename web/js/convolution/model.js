// model.js: the convolution explainer's arithmetic (COURSE.md section 12).
// The 3 x 3 kernels, the course slide's 5 x 5 patch, the output-size formula,
// typed kernels checked, the patch under an output pixel with its nine
// products, a pooling window and its winner: pure functions for the page and
// the Node tests. The maps themselves come from the engine: Convolver builds a
// one-layer conv net (two channels: the kernel and the kernel flipped, bias
// 0, no activation, then the pool) with the weights set through the JS API.

/** The kernels' weights, row by row (state.js KERNELS names them; 'custom' is typed). */
export const KERNELS = {
  identity: [0, 0, 0, 0, 1, 0, 0, 0, 0],
  // Sobel: a horizontal edge is a change from one row to the next
  hedges: [-1, -2, -1, 0, 0, 0, 1, 2, 1],
  vedges: [-1, 0, 1, -2, 0, 2, -1, 0, 1],
  laplacian: [0, 1, 0, 1, -4, 1, 0, 1, 0],
  sharpen: [0, -1, 0, -1, 5, -1, 0, -1, 0],
  box: Array(9).fill(1 / 9),
  gauss: [1, 2, 1, 2, 4, 2, 1, 2, 1].map((v) => v / 16),
  emboss: [-2, -1, 0, -1, 1, 1, 0, 1, 2],
  // the course slide's: picks the pixel above the centre
  slide: [0, 1, 0, 0, 0, 0, 0, 0, 0],
};

/**
 * The course slide's 5 x 5 patch of grey levels, rows as printed. The first
 * cells of the first two rows are unreadable on the slide; FILLED are those
 * cells and the plausible values put there (the levels grow to the right and
 * downwards). They are outside the centre's 3 x 3 window, so the slide's 42
 * (and 56 with the kernel flipped) do not depend on them.
 */
export const SLIDE = {
  side: 5,
  patch: [
    38, 40, 41, 45, 50,
    39, 40, 42, 46, 52,
    42, 46, 50, 55, 55,
    48, 52, 56, 58, 60,
    56, 60, 65, 70, 75,
  ],
  filled: [[0, 0], [1, 0]],
  // what the slide computes at the centre, and what a true convolution gives
  correlation: 42,
  convolution: 56,
};

/** Limits of a typed weight (as the URL's, state.js vWeights). */
export const WEIGHT_LIMIT = 1000;

/** The kernel of the explainer's settings: a preset's weights, or the typed ones. */
export function kernelOf(s) {
  return s.kernel === 'custom' ? s.weights.slice() : KERNELS[s.kernel].slice();
}

/** The kernel turned by 180 degrees: a true convolution is a cross-correlation with it. */
export function flipKernel(k) {
  return k.slice().reverse();
}

/** The side of a window's output: floor((n + 2p - k) / s) + 1, or 0 when the window does not fit. */
export function outputSide(n, k, p = 0, s = 1) {
  const span = n + 2 * p - k;
  return span < 0 ? 0 : Math.floor(span / s) + 1;
}

/**
 * A typed kernel: 9 numbers, row by row, separated by spaces, semicolons,
 * line breaks or commas; a token a/b is a fraction (1/9). When the numbers are
 * separated by spaces or semicolons, a comma inside one is a decimal comma
 * (French: 0,25). Returns {values} or {error: 'count' | 'nan' | 'range', n, token, k}.
 */
export function parseKernel(text) {
  const raw = String(text ?? '').trim();
  let tokens = raw === '' ? [] : raw.split(/[\s;]+/).filter(Boolean);
  if (tokens.length !== 9) tokens = raw === '' ? [] : raw.split(/[\s;,]+/).filter(Boolean);
  else tokens = tokens.map((tk) => tk.replace(',', '.'));
  if (tokens.length !== 9) return { error: 'count', n: tokens.length };
  const values = [];
  for (let i = 0; i < 9; i++) {
    const tk = tokens[i].replace(/^\u2212/, '-');
    const m = /^(-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)(?:\/(\d+\.?\d*|\.\d+))?$/i.exec(tk);
    const v = m ? Number(m[1]) / (m[2] === undefined ? 1 : Number(m[2])) : NaN;
    if (!Number.isFinite(v)) return { error: 'nan', token: tokens[i], k: i + 1 };
    if (Math.abs(v) > WEIGHT_LIMIT) return { error: 'range', token: tokens[i], k: i + 1 };
    values.push(v + 0);
  }
  return { values };
}

/**
 * The output pixel [row, col] the settings' pixel names in a map of side o,
 * clamped. [-1, -1] names none: then the centre, or, given the map, its
 * first largest |value| (a digit's centre is often blank).
 */
export function pickPixel(pixel, o, map = null) {
  if (pixel[0] < 0 || pixel[1] < 0) {
    if (!map) return [Math.floor((o - 1) / 2), Math.floor((o - 1) / 2)];
    let best = 0;
    for (let i = 1; i < o * o; i++) if (Math.abs(map[i]) > Math.abs(map[best])) best = i;
    return [Math.floor(best / o), best % o];
  }
  return [Math.min(o - 1, pixel[0]), Math.min(o - 1, pixel[1])];
}

/**
 * The arithmetic of output pixel (r, c): the 3 x 3 patch of the input (side n)
 * under the kernel, zeros where it lies in the padding, the nine products and
 * their sum. {rows, cols (input coordinates of the patch's rows and columns),
 * patch, padded (true where a zero of the padding), products, sum}.
 */
export function arithmetic(input, n, kernel, r, c, { pad = 0, stride = 1 } = {}) {
  const k = Math.round(Math.sqrt(kernel.length));
  const r0 = r * stride - pad, c0 = c * stride - pad;
  const rows = Array.from({ length: k }, (_, i) => r0 + i), cols = Array.from({ length: k }, (_, j) => c0 + j);
  const patch = [], padded = [], products = [];
  let sum = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const y = rows[i], x = cols[j];
      const out = y < 0 || y >= n || x < 0 || x >= n;
      const v = out ? 0 : input[y * n + x];
      patch.push(v);
      padded.push(out);
      products.push(v * kernel[i * k + j]);
      sum += v * kernel[i * k + j];
    }
  }
  return { rows, cols, patch, padded, products, sum };
}

/**
 * The pooling window of pooled cell (r, c) over a map of side n: its cells
 * {r, c, v}, its value (max or mean) and, for max, the winner: the first
 * largest cell in row-major order, as the engine's max pool picks it.
 */
export function poolWindow(map, n, r, c, { kind = 'max', size = 2, stride = size } = {}) {
  const cells = [];
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const y = r * stride + i, x = c * stride + j;
      cells.push({ r: y, c: x, v: map[y * n + x] });
    }
  }
  if (kind === 'avg') return { cells, value: cells.reduce((a, e) => a + e.v, 0) / cells.length, winner: null };
  let winner = cells[0];
  for (const e of cells) if (e.v > winner.v) winner = e;
  return { cells, value: winner.v, winner };
}

/**
 * The maps of an input through the engine: a net of one convolution to two
 * channels (the kernel, and the kernel flipped), bias 0, no activation, then
 * the pool when its window fits the map. The net is built again only when a
 * shape changes; the weights are set before each run.
 */
export class Convolver {
  constructor(nn) {
    this.nn = nn;
    this.net = null;
    this.key = '';
  }

  /**
   * input: n * n values; kernel: 9 weights. Returns {side (the conv map's),
   * maps: [correlation, convolution] (Float32Array side * side each),
   * poolSide (0 when the window does not fit), pooled: [two maps] or null}.
   */
  run(input, n, kernel, { pad = 0, stride = 1, pool = 'max', poolSize = 2, poolStride = poolSize } = {}) {
    const side = outputSide(n, 3, pad, stride);
    if (side < 1) throw new Error(`a 3 x 3 kernel does not fit a ${n} x ${n} input`);
    const poolSide = outputSide(side, poolSize, 0, poolStride);
    const key = `${n}/${pad}/${stride}/${poolSide ? `${pool}${poolSize}s${poolStride}` : ''}`;
    if (key !== this.key) {
      this.net?.free();
      this.net = null;
      const layers = [{ conv: 2, kernel: 3, stride, pad }];
      if (poolSide) layers.push({ [pool === 'avg' ? 'avgpool' : 'maxpool']: poolSize, stride: poolStride });
      this.net = this.nn.createNet({ shape: [1, n, n], layers, outputs: 1, output: 'linear', maxBatch: 1, seed: 1 });
      this.key = key;
    }
    const conv = this.net.layers()[0];
    conv.W.set([...kernel, ...flipKernel(kernel)]);
    conv.b.fill(0);
    const acts = this.net.activations(Float32Array.from(input));
    const split = (a, s) => [a.subarray(0, s * s), a.subarray(s * s, 2 * s * s)];
    return { side, maps: split(acts[0], side), poolSide, pooled: poolSide ? split(acts[1], poolSide) : null };
  }

  free() {
    this.net?.free();
    this.net = null;
    this.key = '';
  }
}
