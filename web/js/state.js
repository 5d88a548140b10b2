// state.js: every setting of the page, grouped per view (SETTINGS.page,
// SETTINGS['2d'], SETTINGS.mnist, SETTINGS.convolution), with defaults and
// limits, serialised to and from the URL hash. A state is {page: {...},
// '2d': {...}, mnist: {...}, convolution: {...}}.
// Parsing never throws: a missing, malformed or out-of-range value falls back
// to its default (numbers are clamped), so a shared link can never break the
// page. Each setting says what a change does: 'data' regenerates the data,
// 'net' rebuilds the network, 'live' applies while training, 'view' only
// redraws, 'page' is the router's (tab, language, embed).
//
// URL keys: the page's and the 2D view's settings by their names, the MNIST
// view's with an 'm' prefix (mHidden, mLr, ...), as links have had them from
// the start, the Convolution view's with a 'c' prefix (cKernel, cPad, ...);
// older values are read through ALIASES, so old links keep working.

export const DATASETS = ['circle', 'xor', 'gauss', 'spiral', 'spirals', 'blobs', 'plane', 'cos'];
export const FEATURES = ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'];
export const ACTIVATIONS = ['tanh', 'sigmoid', 'relu', 'leaky_relu', 'prelu', 'elu', 'gelu', 'swish', 'selu', 'linear'];
export const OUTPUTS = ['auto', 'sigmoid', 'tanh', 'softmax'];
export const OPTIMIZERS = ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam'];
export const INITS = ['xavier_uniform', 'xavier_normal', 'he_uniform', 'he_normal', 'uniform', 'constant'];
export const REGULARIZERS = ['none', 'l1', 'l2'];
export const CONTROLS = ['dataset', 'data', 'features', 'network', 'training', 'buttons', 'share', 'chart', 'diagram'];
export const MAX_LAYERS = 8;
export const MAX_UNITS = 64;
export const VIEWS = ['2d', 'mnist', 'convolution', 'backprop'];
export const GROUPS = ['page', '2d', 'mnist', 'convolution'];
/** The convolution explainer's 3 x 3 kernels (convolution/model.js gives their weights); 'custom' is typed. */
export const KERNELS = ['identity', 'hedges', 'vedges', 'laplacian', 'sharpen', 'box', 'gauss', 'emboss', 'slide', 'custom'];

/** Values a link may still carry from before a rename: key -> {old: new}. */
export const ALIASES = { dataset: { multispiral: 'spirals' } };

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
// a fixed number of numbers, comma-separated in the URL (a kernel's weights, a pixel's row and column)
const numbers = (name, def, min, max, change, integer = false) => ({ name, type: 'numbers', def, count: def.length, min, max, integer, change });

const PAGE = [
  choice('view', '2d', VIEWS, 'page'),
  choice('lang', 'en', ['en', 'fr'], 'page'),
  flag('embed', false, 'page'),
  flag('autoplay', false, 'page'),
  // the projector preset: large type, thick lines, high contrast
  flag('presenter', false, 'page'),
  list('hide', [], CONTROLS, 'page'),
];

const VIEW_2D = [
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
];

const VIEW_MNIST = [
  { name: 'hidden', type: 'layers', def: [120, 80], maxUnits: MNIST_MAX_UNITS, change: 'net' },
  choice('activation', 'sigmoid', ACTIVATIONS, 'net'),
  choice('init', 'xavier_uniform', INITS, 'net'),
  int('seed', 1, 0, 2 ** 32 - 1, 'net'),
  flag('batchNorm', false, 'net'),
  num('dropout', 0, 0, 0.9, 'net', 0.05),
  choice('optimizer', 'sgd', OPTIMIZERS, 'live'),
  num('lr', 0.5, 1e-5, 10, 'live'),
  num('momentum', 0.9, 0, 0.999, 'live', 0.01),
  int('batch', 64, 1, MNIST_MAX_BATCH, 'live'),
  int('epochs', 2, 1, 50, 'live'),
  num('l2', 0, 0, 1, 'live'),
  list('compare', ['sgd', 'momentum', 'adam'], OPTIMIZERS, 'view'),
];

// the convolution explainer (convolution/explainer.js): what it convolves
// (a test digit, the pad's drawing, the course slide's 5 x 5 patch), with
// which kernel (the weights of 'custom' are typed), padding and stride, the
// output pixel whose arithmetic is shown ([-1, -1]: the centre), the pooling
const VIEW_CONVOLUTION = [
  choice('input', 'digit', ['digit', 'pad', 'slide'], 'view'),
  int('digit', 0, 0, 9999, 'view'),
  choice('kernel', 'hedges', KERNELS, 'view'),
  numbers('weights', [0, 0, 0, 0, 1, 0, 0, 0, 0], -1000, 1000, 'view'),
  int('pad', 1, 0, 3, 'view'),
  int('stride', 1, 1, 3, 'view'),
  flag('flip', false, 'view'),
  numbers('pixel', [-1, -1], -1, 99, 'view', true),
  choice('pool', 'max', ['max', 'avg'], 'view'),
  int('poolSize', 2, 2, 4, 'view'),
  int('poolStride', 2, 1, 4, 'view'),
];

/**
 * What choosing a 2D data set sets (features, net, rate, points), unless the
 * link says otherwise: these values are that data set's defaults. Chosen so
 * each set reaches 95 %+ test accuracy within about 15 s (measured in
 * Node, epochs a second as the page trains: README, "Data sets").
 */
export const PRESET_KEYS = ['features', 'hidden', 'optimizer', 'lr', 'points'];
export const PRESETS = {
  // the two arms need sin x features (as in TensorFlow Playground) or a deeper net: both learn in ~50 epochs with Adam
  spiral: { features: ['x1', 'x2', 'sinx1', 'sinx2'], hidden: [8, 8], optimizer: 'adam', lr: 0.01 },
  // 3 to 5 arms: 200 points are too few to generalise (40 per arm at 5); 1,000 are enough
  spirals: { features: ['x1', 'x2', 'sinx1', 'sinx2'], hidden: [16, 16], optimizer: 'adam', lr: 0.01, points: 1000 },
};

// a group's settings with their URL keys
const withKeys = (group, props, prefix = '') => props.map((p) => ({
  ...p, group, key: prefix ? prefix + p.name[0].toUpperCase() + p.name.slice(1) : p.name,
}));

/** Every setting, per group: {name, key (in the URL), type, def, limits, change, group}. */
export const SETTINGS = {
  page: withKeys('page', PAGE),
  '2d': withKeys('2d', VIEW_2D),
  mnist: withKeys('mnist', VIEW_MNIST, 'm'),
  convolution: withKeys('convolution', VIEW_CONVOLUTION, 'c'),
};

/** All settings of all groups, in URL order. */
export const ALL = GROUPS.flatMap((g) => SETTINGS[g]);

const BY_KEY = new Map(ALL.map((p) => [p.key, p]));
const BY_NAME = new Map(ALL.map((p) => [`${p.group}/${p.name}`, p]));

/** The setting whose URL key is `key`, or undefined. */
export function settingByKey(key) {
  return BY_KEY.get(key);
}

/** The setting `name` of `group`, or undefined. */
export function prop(group, name) {
  return BY_NAME.get(`${group}/${name}`);
}

const copy = (v) => (Array.isArray(v) ? v.slice() : v);

/** The defaults, as a fresh state object. */
export function defaults() {
  const s = {};
  for (const g of GROUPS) {
    s[g] = {};
    for (const p of SETTINGS[g]) s[g][p.name] = copy(p.def);
  }
  return s;
}

/** Setting p's default in state s: its data set's preset value, or the table's. */
export function defaultOf(s, p) {
  const preset = p.group === '2d' && PRESET_KEYS.includes(p.name) ? PRESETS[s['2d'].dataset]?.[p.name] : undefined;
  return preset ?? p.def;
}

// The 2D data set's preset values, except the settings in `keep` (given by the link).
function applyPreset(s, keep = new Set()) {
  for (const name of PRESET_KEYS) {
    if (!keep.has(name)) s['2d'][name] = copy(defaultOf(s, prop('2d', name)));
  }
}

const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));

/** Parses one raw string for a setting; returns undefined when malformed. */
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
    case 'enum': {
      const v = ALIASES[p.name]?.[raw] ?? raw;
      return p.options.includes(v) ? v : undefined;
    }
    case 'bool':
      return raw === '1' || raw === 'true' ? true : raw === '0' || raw === 'false' ? false : undefined;
    case 'set': {
      const items = raw === '' ? [] : raw.split(',');
      if (!items.every((i) => p.options.includes(i))) return undefined;
      if (p.nonEmpty && items.length === 0) return undefined;
      return p.options.filter((o) => items.includes(o));
    }
    case 'numbers': {
      const items = raw.split(',');
      if (items.length !== p.count || !items.every((i) => /^-?(\d+\.?\d*|\.\d+)(e-?\d+)?$/i.test(i))) return undefined;
      const values = items.map(Number);
      if (!values.every(Number.isFinite) || (p.integer && !values.every(Number.isInteger))) return undefined;
      return values.map((v) => clamp(v, p.min, p.max) + 0);
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
    case 'set': case 'layers': case 'numbers': return v.join(',');
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
  const given = new Set();
  for (const [key, raw] of params) {
    const p = BY_KEY.get(key);
    if (!p) continue;
    const v = parseValue(p, raw);
    if (v === undefined) continue;
    s[p.group][p.name] = v;
    if (p.group === '2d') given.add(p.name);
  }
  // what the link does not say follows the data set's preset
  applyPreset(s, given);
  return s;
}

/** The hash string of a state, with only the values that differ from the defaults (presets included). */
export function serialize(state) {
  const params = new URLSearchParams();
  for (const p of ALL) {
    const v = state[p.group]?.[p.name];
    if (v === undefined || same(v, defaultOf(state, p))) continue;
    params.set(p.key, formatValue(p, v));
  }
  return params.toString().replace(/%2C/g, ',');
}

/**
 * Sets one setting of `group` from a UI value, validated like the URL;
 * returns the change kind, or null when the value is invalid or the same.
 */
export function update(state, group, name, value) {
  const p = prop(group, name);
  if (!p) return null;
  const ok = typeof value === 'string' || typeof value === 'boolean' || Array.isArray(value)
    || (typeof value === 'number' && Number.isFinite(value));
  const listType = p.type === 'set' || p.type === 'layers' || p.type === 'numbers';
  if (!ok || (listType && typeof value !== 'string' && !Array.isArray(value))) return null;
  const v = typeof value === 'string' ? parseValue(p, value)
    : Array.isArray(value) ? parseValue(p, value.join(',')) : parseValue(p, formatValue(p, value));
  if (v === undefined || same(v, state[group][name])) return null;
  state[group][name] = v;
  // choosing a data set applies its preset (a link's values come after, see parse)
  if (group === '2d' && name === 'dataset') applyPreset(state);
  return p.change;
}

/** The settings of `next` that differ from `state`, as [group, name, value]. */
export function differences(state, next) {
  return ALL.filter((p) => !same(next[p.group][p.name], state[p.group][p.name]))
    .map((p) => [p.group, p.name, next[p.group][p.name]]);
}
