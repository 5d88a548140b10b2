// state.js: every setting of the page as one declarative table (PROPS), with
// defaults and limits, serialised to and from the URL hash. Parsing never
// throws: a missing, malformed or out-of-range value falls back to its
// default (numbers are clamped), so a shared link can never break the page.
// Each prop says what a change does: 'data' regenerates the data, 'net'
// rebuilds the network, 'live' applies while training, 'view' only redraws.

export const DATASETS = ['circle', 'xor', 'gauss', 'spiral', 'multispiral', 'blobs', 'plane', 'cos'];
export const FEATURES = ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'];
export const ACTIVATIONS = ['tanh', 'sigmoid', 'relu', 'leaky_relu', 'prelu', 'elu', 'gelu', 'swish', 'selu', 'linear'];
export const OUTPUTS = ['auto', 'sigmoid', 'tanh', 'softmax'];
export const OPTIMIZERS = ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam'];
export const INITS = ['xavier_uniform', 'xavier_normal', 'he_uniform', 'he_normal', 'uniform', 'constant'];
export const REGULARIZERS = ['none', 'l1', 'l2'];
export const CONTROLS = ['dataset', 'data', 'features', 'network', 'training', 'buttons', 'share', 'chart', 'diagram'];
export const MAX_LAYERS = 8;
export const MAX_UNITS = 64;
export const VIEWS = ['2d', 'mnist', 'backprop'];

// The limits that keep every link interactive (one step of the largest net
// and one redraw stay well under 100 ms on a 2-core machine; README says why).
// The 2-D heatmap is computed at most GRID_BUDGET weights x grid points per
// redraw: a big net gets a coarser grid (gridResolution), a small one 300 x 300.
export const GRID_BUDGET = 1e8;
// The MNIST view: 8 layers of 256 at most (662,026 weights), batches of 128 at
// most, 2-6 optimisers compared: the page's whole wasm memory (digits and all
// six nets included) stays under MEMORY_BUDGET_MIB. A loaded net may not be
// bigger than the largest the controls build (MNIST_MAX_WEIGHTS).
export const MNIST_MAX_UNITS = 256;
export const MNIST_MAX_BATCH = 128;
export const MEMORY_BUDGET_MIB = 256;

/** Weights and biases of a dense net with layer sizes [inputs, ...hidden, outputs]. */
export function weightCount(sizes) {
  let n = 0;
  for (let i = 1; i < sizes.length; i++) n += (sizes[i - 1] + 1) * sizes[i];
  return n;
}

export const MNIST_MAX_WEIGHTS = weightCount([784, ...Array(MAX_LAYERS).fill(MNIST_MAX_UNITS), 10]);

const num = (name, def, min, max, change, step) => ({ name, type: 'number', def, min, max, step, change });
const int = (name, def, min, max, change) => ({ name, type: 'int', def, min, max, change });
const choice = (name, def, options, change) => ({ name, type: 'enum', def, options, change });
const flag = (name, def, change) => ({ name, type: 'bool', def, change });
const list = (name, def, options, change) => ({ name, type: 'set', def, options, change });

export const PROPS = [
  choice('view', '2d', VIEWS, 'view'),
  choice('dataset', 'circle', DATASETS, 'data'),
  int('classes', 3, 2, 5, 'data'),
  num('noise', 0, 0, 1, 'data', 0.05),
  int('points', 400, 20, 2000, 'data'),
  int('trainPct', 50, 10, 90, 'data'),
  int('dataSeed', 1, 0, 2 ** 32 - 1, 'data'),
  { ...list('features', ['x1', 'x2'], FEATURES, 'net'), nonEmpty: true },
  { name: 'hidden', type: 'layers', def: [4, 2], change: 'net' },
  choice('activation', 'tanh', ACTIVATIONS, 'net'),
  choice('output', 'auto', OUTPUTS, 'net'),
  choice('init', 'xavier_uniform', INITS, 'net'),
  num('initConst', 0.5, -2, 2, 'net', 0.1),
  int('seed', 1, 0, 2 ** 32 - 1, 'net'),
  flag('batchNorm', false, 'net'),
  num('dropout', 0, 0, 0.9, 'net', 0.05),
  choice('optimizer', 'sgd', OPTIMIZERS, 'live'),
  num('lr', 0.03, 1e-5, 10, 'live'),
  num('momentum', 0.9, 0, 0.999, 'live', 0.01),
  num('beta2', 0.999, 0, 0.9999, 'live', 0.001),
  num('decay', 0, 0, 1, 'live', 0.001),
  // batch >= the training set is full-batch gradient descent (at most 2000 points)
  int('batch', 10, 1, 2000, 'live'),
  choice('reg', 'none', REGULARIZERS, 'live'),
  num('regRate', 0.001, 0, 1, 'live'),
  choice('speed', 'epoch', ['step', 'epoch', 'max'], 'view'),
  flag('showTest', false, 'view'),
  flag('discretize', false, 'view'),
  flag('logScale', false, 'view'),
  int('resolution', 100, 20, 300, 'view'),
  choice('lang', 'en', ['en', 'fr'], 'view'),
  // the MNIST view: 'mnist' rebuilds its net, 'mnist-live' applies while training
  { name: 'mHidden', type: 'layers', def: [120, 80], maxUnits: MNIST_MAX_UNITS, change: 'mnist' },
  choice('mActivation', 'sigmoid', ACTIVATIONS, 'mnist'),
  choice('mInit', 'xavier_uniform', INITS, 'mnist'),
  int('mSeed', 1, 0, 2 ** 32 - 1, 'mnist'),
  flag('mBatchNorm', false, 'mnist'),
  num('mDropout', 0, 0, 0.9, 'mnist', 0.05),
  choice('mOptimizer', 'sgd', OPTIMIZERS, 'mnist-live'),
  num('mLr', 0.5, 1e-5, 10, 'mnist-live'),
  num('mMomentum', 0.9, 0, 0.999, 'mnist-live', 0.01),
  int('mBatch', 64, 1, MNIST_MAX_BATCH, 'mnist-live'),
  int('mEpochs', 2, 1, 50, 'mnist-live'),
  num('mL2', 0, 0, 1, 'mnist-live'),
  list('mCompare', ['sgd', 'momentum', 'adam'], OPTIMIZERS, 'view'),
  flag('embed', false, 'view'),
  flag('autoplay', false, 'view'),
  list('hide', [], CONTROLS, 'view'),
];

const BY_NAME = new Map(PROPS.map((p) => [p.name, p]));

/** The defaults, as a fresh state object. */
export function defaults() {
  const s = {};
  for (const p of PROPS) s[p.name] = Array.isArray(p.def) ? p.def.slice() : p.def;
  return s;
}

const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));

/** Parses one raw string for a prop; returns undefined when malformed. */
export function parseValue(p, raw) {
  if (typeof raw !== 'string' || raw.length > 200) return undefined;
  switch (p.type) {
    case 'number': {
      if (!/^-?(\d+\.?\d*|\.\d+)(e-?\d+)?$/i.test(raw)) return undefined;
      return clamp(Number(raw), p.min, p.max);
    }
    case 'int': {
      if (!/^\d{1,10}$/.test(raw)) return undefined;
      return clamp(Number(raw), p.min, p.max);
    }
    case 'enum':
      return p.options.includes(raw) ? raw : undefined;
    case 'bool':
      return raw === '1' || raw === 'true' ? true : raw === '0' || raw === 'false' ? false : undefined;
    case 'set': {
      const items = raw === '' ? [] : raw.split(',');
      if (!items.every((i) => p.options.includes(i))) return undefined;
      if (p.nonEmpty && items.length === 0) return undefined;
      return p.options.filter((o) => items.includes(o));
    }
    case 'layers': {
      if (raw === '') return [];
      if (!/^\d{1,4}(,\d{1,4}){0,15}$/.test(raw)) return undefined;
      return raw.split(',').slice(0, MAX_LAYERS).map((u) => clamp(Number(u), 1, p.maxUnits ?? MAX_UNITS));
    }
    default:
      return undefined;
  }
}

/** The string form of a value, as parseValue reads it. */
export function formatValue(p, v) {
  switch (p.type) {
    case 'bool': return v ? '1' : '0';
    case 'set': case 'layers': return v.join(',');
    case 'number': return String(v);
    default: return String(v);
  }
}

const same = (a, b) => (Array.isArray(a) ? a.length === b.length && a.every((v, i) => v === b[i]) : a === b);

/** A state from a URL hash or query string ('#a=1&b=2' or '?a=1'); never throws. */
export function parse(text) {
  const s = defaults();
  let params;
  try {
    params = new URLSearchParams(String(text ?? '').replace(/^[#?]/, ''));
  } catch {
    return s;
  }
  for (const [key, raw] of params) {
    const p = BY_NAME.get(key);
    if (!p) continue;
    const v = parseValue(p, raw);
    if (v !== undefined) s[key] = v;
  }
  // a features list must keep at least one input
  if (s.features.length === 0) s.features = ['x1', 'x2'];
  return s;
}

/** The hash string of a state, with only the values that differ from the defaults. */
export function serialize(state) {
  const params = new URLSearchParams();
  for (const p of PROPS) {
    const v = state[p.name];
    if (v === undefined || same(v, p.def)) continue;
    params.set(p.name, formatValue(p, v));
  }
  return params.toString().replace(/%2C/g, ',');
}

/** Sets one prop from a UI value, validated like the URL; returns the change kind or null. */
export function update(state, name, value) {
  const p = BY_NAME.get(name);
  if (!p) return null;
  const ok = typeof value === 'string' || typeof value === 'boolean' || Array.isArray(value)
    || (typeof value === 'number' && Number.isFinite(value));
  if (!ok || ((p.type === 'set' || p.type === 'layers') && typeof value !== 'string' && !Array.isArray(value))) return null;
  const v = typeof value === 'string' ? parseValue(p, value)
    : Array.isArray(value) ? parseValue(p, value.join(',')) : parseValue(p, formatValue(p, value));
  if (v === undefined || same(v, state[name])) return null;
  state[name] = v;
  return p.change;
}

export function prop(name) {
  return BY_NAME.get(name);
}

/** What the task is: 'binary', 'multiclass' or 'regression', and the class count. */
export function task(state) {
  if (state.dataset === 'plane' || state.dataset === 'cos') return { kind: 'regression', classes: 0 };
  if (state.dataset === 'multispiral') return { kind: 'multiclass', classes: Math.max(3, state.classes) };
  if (state.dataset === 'blobs' && state.classes > 2) return { kind: 'multiclass', classes: state.classes };
  return { kind: 'binary', classes: 2 };
}

/** The output function and loss the page uses for a state, with the reason in a key of the strings table. */
export function outputFor(state) {
  const t = task(state);
  if (t.kind === 'regression') return { output: 'linear', loss: 'mse', units: 1, why: 'whyRegression' };
  if (t.kind === 'multiclass') return { output: 'softmax', loss: 'softmax_ce', units: t.classes, why: 'whySoftmax' };
  if (state.output === 'tanh') return { output: 'tanh', loss: 'mse', units: 1, why: 'whyTanh' };
  if (state.output === 'softmax') return { output: 'softmax', loss: 'softmax_ce', units: 2, why: 'whySoftmax' };
  return { output: 'sigmoid', loss: 'bce', units: 1, why: 'whySigmoid' };
}

/** The heatmap resolution actually drawn: the chosen one, or less for a big net (GRID_BUDGET). */
export function gridResolution(state) {
  const p = BY_NAME.get('resolution');
  const weights = weightCount([state.features.length, ...state.hidden, outputFor(state).units]);
  return clamp(Math.floor(Math.sqrt(GRID_BUDGET / weights)), p.min, state.resolution);
}
