// arch.js: the CNN view's architecture as a compact string, e.g.
// c8k5p2-relu-mp2-c16k5p2-relu-mp3 (conv 8 filters 5 x 5 padding 2, ReLU,
// max pool 2, ...), parsed defensively, formatted back, and checked BEFORE
// anything is built: each layer's output shape, parameters and
// multiply-adds from the 1 x 28 x 28 input, and the first layer that cannot
// work, named with why. Pure: no DOM, no engine (the engine's own memory
// plan is asked by the view). The net ends with dense 10 + softmax, always.
//
// Tokens, joined by '-': c<F>k<K>[s<S>][p<P>] convolution (stride 1 and no
// padding by default), mp<K>[s<S>] and ap<K>[s<S>] max and average pooling
// (stride: the window), bn batch norm (per channel after a spatial layer),
// d<N> dense, and an activation name (relu, tanh, sigmoid, ...).

export const INPUT_SHAPE = [1, 28, 28];
export const CLASSES = 10;
export const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'leaky_relu', 'prelu', 'elu', 'gelu', 'swish', 'selu', 'linear'];
export const KINDS = ['conv', 'maxpool', 'avgpool', 'bn', 'act', 'dense'];

// Limits, so that whatever a link asks for stays interactive on a 2-core
// machine (README, "The CNN view"): a step of the largest batch fits a few
// frames, an evaluation chunk of 50 digits one frame.
export const LIMITS = {
  layers: 16,
  params: 1_000_000,
  // multiply-adds of one digit's forward pass (ConvNetJS's net: 0.78 million)
  macs: 4_000_000,
  // multiply-adds of one batch's forward pass: the batch is capped to fit (maxBatchFor)
  stepMacs: 20_000_000,
  batch: 64,
  // the engine's memory for the net (its nn_plan), at the largest batch
  megabytes: 64,
  filters: [1, 64], kernel: [1, 28], stride: [1, 28], pad: [0, 14], pool: [1, 28], units: [1, 1024],
};

export const PRESETS = {
  convnetjs: 'c8k5p2-relu-mp2-c16k5p2-relu-mp3',
  // LeNet-5 on 28 x 28 digits: C1 6@5x5 (padded to keep 28), S2 average pooling, C3 16@5x5, S4, F5 120, F6 84, tanh
  lenet: 'c6k5p2-tanh-ap2-c16k5-tanh-ap2-d120-tanh-d84-tanh',
};
export const DEFAULT_ARCH = PRESETS.convnetjs;

/** A failure: {key (a string of cnn/strings.js), values (for its placeholders), layer (index, or -1)}. */
const failure = (key, values = {}, layer = -1) => ({ key, values, layer });

const TOKEN = {
  conv: /^c(\d{1,4})k(\d{1,4})(?:s(\d{1,4}))?(?:p(\d{1,4}))?$/,
  pool: /^(mp|ap)(\d{1,4})(?:s(\d{1,4}))?$/,
  dense: /^d(\d{1,5})$/,
};

/** One token as a layer object, or a failure. */
function parseToken(tok, i) {
  let m;
  const range = (name, v, [lo, hi]) => (v < lo || v > hi ? failure('cnnErrRange', { k: i + 1, token: tok, name, v, min: lo, max: hi }, i) : null);
  if ((m = TOKEN.conv.exec(tok))) {
    const l = { kind: 'conv', filters: +m[1], kernel: +m[2], stride: m[3] === undefined ? 1 : +m[3], pad: m[4] === undefined ? 0 : +m[4] };
    return range('filters', l.filters, LIMITS.filters) ?? range('kernel', l.kernel, LIMITS.kernel)
      ?? range('stride', l.stride, LIMITS.stride) ?? range('pad', l.pad, LIMITS.pad) ?? l;
  }
  if ((m = TOKEN.pool.exec(tok))) {
    const l = { kind: m[1] === 'mp' ? 'maxpool' : 'avgpool', size: +m[2], stride: m[3] === undefined ? +m[2] : +m[3] };
    return range('size', l.size, LIMITS.pool) ?? range('stride', l.stride, LIMITS.stride) ?? l;
  }
  if ((m = TOKEN.dense.exec(tok))) {
    const l = { kind: 'dense', units: +m[1] };
    return range('units', l.units, LIMITS.units) ?? l;
  }
  if (tok === 'bn') return { kind: 'bn' };
  if (ACTIVATIONS.includes(tok)) return { kind: 'act', fn: tok };
  return failure('cnnErrToken', { k: i + 1, token: tok.slice(0, 24) }, i);
}

/**
 * Reads an architecture string. Returns {layers} or {error} (a failure);
 * never throws, whatever the text. '' is no hidden layer (softmax
 * regression on the pixels).
 */
export function parseArch(text) {
  if (typeof text !== 'string') return { error: failure('cnnErrToken', { k: 1, token: String(text).slice(0, 24) }, 0) };
  const s = text.trim().toLowerCase();
  if (s === '') return { layers: [] };
  if (s.length > 300) return { error: failure('cnnErrTooMany', { n: s.split('-').length, max: LIMITS.layers }) };
  const tokens = s.split('-');
  if (tokens.length > LIMITS.layers) return { error: failure('cnnErrTooMany', { n: tokens.length, max: LIMITS.layers }) };
  const layers = [];
  for (let i = 0; i < tokens.length; i++) {
    const l = parseToken(tokens[i], i);
    if (l.key) return { error: l };
    layers.push(l);
  }
  return { layers };
}

/** The token of one layer, in its shortest form (defaults left out). */
export function formatLayer(l) {
  switch (l.kind) {
    case 'conv': return `c${l.filters}k${l.kernel}${l.stride !== 1 ? `s${l.stride}` : ''}${l.pad ? `p${l.pad}` : ''}`;
    case 'maxpool': case 'avgpool': return `${l.kind === 'maxpool' ? 'mp' : 'ap'}${l.size}${l.stride !== l.size ? `s${l.stride}` : ''}`;
    case 'dense': return `d${l.units}`;
    case 'bn': return 'bn';
    default: return l.fn;
  }
}

/** The architecture string of a layer list: parseArch(formatArch(l)).layers equals l. */
export const formatArch = (layers) => layers.map(formatLayer).join('-');

const side = (n, k, s, p) => (n + 2 * p < k ? 0 : Math.floor((n + 2 * p - k) / s) + 1);

/**
 * Each layer's output shape [c, h, w] (a flat layer: [n, 1, 1]), parameters
 * and multiply-adds from the 1 x 28 x 28 input, the final dense layer of 10
 * included; and the first layer that cannot work (a failure naming it), or
 * null. Rows: {layer, shape, inShape, params, macs, spatial}.
 */
export function plan(layers) {
  const rows = [];
  let shape = INPUT_SHAPE.slice(), spatial = true, flattenedAt = -1;
  const at = (i) => ({ k: i + 1, token: formatLayer(layers[i]) });
  for (let i = 0; i < layers.length; i++) {
    const l = layers[i], [c, h, w] = shape, n = c * h * w;
    let out = shape, params = 0, macs = 0;
    if ((l.kind === 'conv' || l.kind === 'maxpool' || l.kind === 'avgpool') && !spatial) {
      return { rows, error: failure('cnnErrNeedsImage', { ...at(i), j: flattenedAt + 1, n }, i) };
    }
    if (l.kind === 'conv') {
      const oh = side(h, l.kernel, l.stride, l.pad), ow = side(w, l.kernel, l.stride, l.pad);
      if (!oh || !ow) return { rows, error: failure('cnnErrKernel', { ...at(i), kernel: l.kernel, n: h, pad: l.pad, padded: h + 2 * l.pad }, i) };
      out = [l.filters, oh, ow];
      params = l.filters * c * l.kernel * l.kernel + l.filters;
      macs = l.filters * oh * ow * c * l.kernel * l.kernel;
    } else if (l.kind === 'maxpool' || l.kind === 'avgpool') {
      const oh = side(h, l.size, l.stride, 0), ow = side(w, l.size, l.stride, 0);
      if (!oh || !ow) return { rows, error: failure('cnnErrWindow', { ...at(i), size: l.size, n: h }, i) };
      out = [c, oh, ow];
    } else if (l.kind === 'bn') {
      // a gamma and a beta per channel (a flat layer's n features are n channels of 1 x 1)
      params = 2 * c;
    } else if (l.kind === 'act') {
      // PReLU: one learned slope for the layer
      params = l.fn === 'prelu' ? 1 : 0;
    } else {
      out = [l.units, 1, 1];
      params = (n + 1) * l.units;
      macs = n * l.units;
      if (spatial) flattenedAt = i;
      spatial = false;
    }
    rows.push({ layer: l, inShape: shape, shape: out, params, macs, spatial });
    shape = out;
  }
  const n = shape[0] * shape[1] * shape[2];
  rows.push({ layer: { kind: 'dense', units: CLASSES, output: true }, inShape: shape, shape: [CLASSES, 1, 1],
    params: (n + 1) * CLASSES, macs: n * CLASSES, spatial: false });
  return { rows, error: limits(rows) };
}

/** Totals of a plan's rows: {params, macs, values (outputs per digit)}. */
export function totals(rows) {
  return rows.reduce((a, r) => ({ params: a.params + r.params, macs: a.macs + r.macs,
    values: a.values + r.shape[0] * r.shape[1] * r.shape[2] }), { params: 0, macs: 0, values: 0 });
}

// The limits on the whole net, naming the layer that weighs most.
function limits(rows) {
  const sum = totals(rows);
  const heaviest = (f) => rows.reduce((best, r, i) => (f(r) > f(rows[best]) ? i : best), 0);
  const name = (i) => ({ k: i + 1, token: rows[i].layer.output ? 'd10 (output)' : formatLayer(rows[i].layer) });
  if (sum.params > LIMITS.params) {
    const i = heaviest((r) => r.params);
    return failure('cnnErrParams', { n: sum.params, max: LIMITS.params, ...name(i), m: rows[i].params }, i);
  }
  if (sum.macs > LIMITS.macs) {
    const i = heaviest((r) => r.macs);
    return failure('cnnErrMacs', { n: sum.macs, max: LIMITS.macs, ...name(i), m: rows[i].macs }, i);
  }
  return null;
}

/** The largest batch a net of `macs` multiply-adds per digit trains on (a step's forward within LIMITS.stepMacs). */
export function maxBatchFor(macs) {
  return Math.max(1, Math.min(LIMITS.batch, Math.floor(LIMITS.stepMacs / Math.max(1, macs))));
}

/** The createNet layer list of a checked architecture (the final dense 10 is the engine's `outputs`). */
export function netLayers(layers) {
  return layers.map((l) => {
    switch (l.kind) {
      case 'conv': return { type: 'conv', channels: l.filters, kernel: l.kernel, stride: l.stride, pad: l.pad };
      case 'maxpool': case 'avgpool': return { type: l.kind, kernel: l.size, stride: l.stride };
      case 'bn': return { type: 'batchnorm' };
      case 'act': return { type: 'activation', activation: l.fn };
      default: return { type: 'dense', units: l.units };
    }
  });
}

/**
 * The canonical string of an architecture that parses and passes every check
 * of plan(), or undefined: what a link may carry (state.js).
 */
export function canonicalArch(text) {
  const p = parseArch(text);
  if (p.error || plan(p.layers).error) return undefined;
  return formatArch(p.layers);
}

/** The first failure of a text (parse, then plan), or null. */
export function archError(text) {
  const p = parseArch(text);
  return p.error ?? plan(p.layers).error;
}

/** A failure in words: t(key, values) (cnn/strings.js), the name of a field translated too. */
export function failureText(t, f) {
  return t(f.key, f.values.name ? { ...f.values, name: t(`cnnField_${f.values.name}`) } : f.values);
}

/** The preset whose string is `arch`, or 'custom'. */
export function presetOf(arch) {
  return Object.keys(PRESETS).find((k) => PRESETS[k] === arch) ?? 'custom';
}
