// state.js: every setting of the page, grouped per view (SETTINGS.page,
// SETTINGS['2d'], SETTINGS.mnist, SETTINGS.optim, SETTINGS.convolution),
// with defaults and limits, serialised to and from the URL hash. A state is
// {page: {...}, '2d': {...}, mnist: {...}, optim: {...}, convolution: {...}}.
// Parsing never throws: a missing, malformed or out-of-range value falls back
// to its default (numbers are clamped), so a shared link can never break the
// page. Each setting says what a change does: 'data' regenerates the data,
// 'net' rebuilds the network, 'live' applies while training, 'view' only
// redraws, 'page' is the router's (tab, language, embed).
//
// Presets: choosing a 2D data set (PRESETS) or a deep net of the gradient-flow
// panel (DEEP_PRESETS, either view) sets a few other settings, which a link
// may still override; they are then those settings' defaults (defaultOf).
//
// The tables of the Optimisers, Convolution, CNN and autoencoder views live
// in their folders (settings.js), written with setting-kinds.js; the page's,
// the 2D view's and the MNIST view's, which share names and presets, here.
//
// URL keys: the page's and the 2D view's settings by their names, the MNIST
// view's with an 'm' prefix (mHidden, mLr, ...), as links have had them from
// the start, the Optimisers view's with an 'o' prefix (oSurface, oAdamLr, ...),
// the Convolution view's with a 'v' prefix (vKernel, vPad, ...), the CNN
// view's with a 'c' prefix (cArch, cDigit); older values are read through
// ALIASES, so old links keep working. The CNN view shares the MNIST view's
// training settings (mLr, mBatch, ...), whose defaults follow the model shown
// (CNN_DEFAULTS).
import { SURFACE_KEYS, PRESET_KEEPS, optimDefault } from './optim/presets.js';
import { num, int, choice, flag, list } from './setting-kinds.js';
import { OPTIM_SETTINGS } from './optim/settings.js';
import { CNN_SETTINGS, CNN_DEFAULTS } from './cnn/settings.js';
import { AE_SETTINGS, AE_DEFAULTS } from './autoencoder/settings.js';
import { CONVOLUTION_SETTINGS, KERNELS } from './convolution/settings.js';

export { CNN_DEFAULTS, AE_DEFAULTS, KERNELS };

// custom: a CSV the user loaded (2d/custom-data.js); a link says so, it cannot carry the file
export const DATASETS = ['circle', 'xor', 'gauss', 'spiral', 'spirals', 'blobs', 'plane', 'cos', 'custom'];
export const FEATURES = ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'];
export const ACTIVATIONS = ['tanh', 'sigmoid', 'relu', 'leaky_relu', 'prelu', 'elu', 'gelu', 'swish', 'selu', 'linear'];
export const OUTPUTS = ['auto', 'sigmoid', 'tanh', 'softmax'];
export const OPTIMIZERS = ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam'];
export const INITS = ['xavier_uniform', 'xavier_normal', 'he_uniform', 'he_normal', 'uniform', 'constant'];
export const REGULARIZERS = ['none', 'l1', 'l2'];
export const SCENARIO_NAMES = ['none', 'overfit'];
export const CONTROLS = ['dataset', 'data', 'features', 'network', 'training', 'buttons', 'share', 'chart', 'diagram'];
export const MAX_LAYERS = 8;
export const MAX_UNITS = 64;
// the CNN view has no tab of its own: it is the MNIST tab's other model (the MLP | CNN switch)
export const VIEWS = ['2d', 'mnist', 'convolution', 'backprop', 'optim', 'cnn', 'autoencoder'];
export const TABS = ['2d', 'mnist', 'convolution', 'backprop', 'optim'];
// the deep nets of the gradient-flow panel (DEEP_PRESETS below)
export const DEEP = ['none', 'sigmoid', 'sigmoid_he', 'sigmoid_bn', 'relu_he', 'relu_small'];
export const GROUPS = ['page', '2d', 'mnist', 'optim', 'convolution', 'cnn', 'autoencoder'];

/** The tab a view is shown under. */
export const tabOf = (view) => (MODELS.includes(view) ? 'mnist' : view);
/** The MNIST tab's models (the MLP | CNN | Autoencoder switch). */
export const MODELS = ['mnist', 'cnn', 'autoencoder'];

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
  // a set of values chosen as one (SCENARIOS); none: each setting its own
  choice('preset', 'none', SCENARIO_NAMES, 'data'),
  int('classes', 3, 2, 5, 'data'),
  num('noise', 0, 0, 1, 'data', 0.05),
  int('points', 400, 20, 2000, 'data'),
  int('trainPct', 50, 10, 90, 'data'),
  // the dev set: the next devPct % after the training points (2d/datasets.js split); 0: none, as links before it
  int('devPct', 0, 0, 45, 'data'),
  int('dataSeed', 1, 0, 2 ** 32 - 1, 'data'),
  // a deep net of the gradient-flow panel (DEEP_PRESETS), before the settings it sets
  choice('deep', 'none', DEEP, 'net'),
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
  // early stopping on the dev set (shared/earlystop.js): epochs without a better dev loss; 0 = off
  int('patience', 0, 0, 1000, 'live'),
  flag('autoRestore', false, 'live'),
  choice('speed', 'epoch', ['step', 'epoch', 'max'], 'view'),
  flag('showTest', false, 'view'),
  flag('discretize', false, 'view'),
  flag('logScale', false, 'view'),
  int('resolution', 100, 20, 300, 'view'),
  // the gradient-flow panel (shared/gradflow.js) open
  flag('gradflow', false, 'view'),
];

const VIEW_MNIST = [
  choice('deep', 'none', DEEP, 'net'),
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
  // the last `dev` training digits kept out as a dev set (as the CLI's --dev); 0: none
  int('dev', 0, 0, 10000, 'data'),
  int('patience', 0, 0, 50, 'live'),
  flag('autoRestore', false, 'live'),
  list('compare', ['sgd', 'momentum', 'adam'], OPTIMIZERS, 'view'),
  flag('gradflow', false, 'view'),
];

const MODEL_DEFAULTS = { cnn: CNN_DEFAULTS, autoencoder: AE_DEFAULTS };
const OPTIMISER_KEYS = ['optimizer', 'lr', 'momentum'];

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

/**
 * What choosing a scenario (the `preset` setting) sets, unless the link says
 * otherwise; its values then count as defaults, so its link is just
 * `preset=overfit`. 'overfit': few noisy points, a big net and nothing
 * against over-fitting, with a dev set: the training loss falls towards 0
 * while the dev and test losses reach their minimum after about 50 epochs and
 * then climb (tests/earlystop.test.mjs checks it for the default seeds). The
 * seeds are left as they are.
 */
export const SCENARIOS = {
  overfit: {
    deep: 'none', dataset: 'circle', noise: 0.5, points: 80, trainPct: 40, devPct: 30, features: ['x1', 'x2'], hidden: [16, 16, 16],
    activation: 'tanh', output: 'auto', init: 'xavier_uniform', batchNorm: false, dropout: 0, optimizer: 'adam', lr: 0.01,
    decay: 0, batch: 10, reg: 'none', showTest: true,
  },
};

/**
 * The gradient-flow panel's deep nets, per view: what choosing one sets
 * (DEEP_KEYS), unless the link says otherwise; over a scenario's values and
 * a data set's preset.
 * Five hidden layers and the output, six layers of weights: with sigmoid
 * units the first layer's gradient is 100 to 1,000 times smaller than the
 * last's (tests/wasm_flow.test.mjs measures it); the variants show what
 * He's larger weights, batch norm, ReLU and too small weights change.
 */
export const DEEP_KEYS = ['hidden', 'activation', 'init', 'batchNorm', 'optimizer', 'lr'];
const deepNets = (units, sigmoidLr, reluLr) => {
  const base = { hidden: Array(5).fill(units), optimizer: 'sgd', batchNorm: false };
  const sigmoid = { ...base, activation: 'sigmoid', init: 'xavier_uniform', lr: sigmoidLr };
  const relu = { ...base, activation: 'relu', init: 'he_uniform', lr: reluLr };
  return {
    sigmoid, sigmoid_he: { ...sigmoid, init: 'he_uniform' }, sigmoid_bn: { ...sigmoid, batchNorm: true },
    relu_he: relu, relu_small: { ...relu, init: 'uniform' },
  };
};
export const DEEP_PRESETS = { '2d': deepNets(8, 0.3, 0.03), mnist: deepNets(64, 0.5, 0.1) };

/**
 * The settings that apply presets, in the order a message applies them
 * (embed.js): the scenario (which also sets the data set), the data set,
 * then the deep net.
 */
export const PRESET_SETTINGS = ['2d/preset', '2d/dataset', '2d/deep', 'mnist/deep'];

// a group's settings with their URL keys
const withKeys = (group, props, prefix = '') => props.map((p) => ({
  ...p, group, key: prefix ? prefix + p.name[0].toUpperCase() + p.name.slice(1) : p.name,
}));

/** Every setting, per group: {name, key (in the URL), type, def, limits, change, group}. */
export const SETTINGS = {
  page: withKeys('page', PAGE),
  '2d': withKeys('2d', VIEW_2D),
  mnist: withKeys('mnist', VIEW_MNIST, 'm'),
  optim: withKeys('optim', OPTIM_SETTINGS, 'o'),
  convolution: withKeys('convolution', CONVOLUTION_SETTINGS, 'v'),
  cnn: withKeys('cnn', CNN_SETTINGS, 'c'),
  autoencoder: withKeys('autoencoder', AE_SETTINGS, 'a'),
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

/** The defaults, as a fresh state object (the Optimisers view's from its default surface). */
export function defaults() {
  const s = {};
  for (const g of GROUPS) {
    s[g] = {};
    for (const p of SETTINGS[g]) s[g][p.name] = copy(p.def);
  }
  applyOptimDefaults(s, OPTIM_NAMES);
  return s;
}

/**
 * Setting p's default in state s: for the Optimisers view its preset's or
 * surface's value; for a shared MNIST setting while the CNN is shown, the
 * CNN's; else its deep net's value, its scenario's, its data set's preset
 * value, or the table's.
 */
export function defaultOf(s, p) {
  if (p.group === 'optim') return optimDefault(s.optim, p.name) ?? p.def;
  const model = MODEL_DEFAULTS[s.page.view];
  if (p.group === 'mnist' && model && Object.hasOwn(model, p.name)) return model[p.name];
  const deep = DEEP_KEYS.includes(p.name) ? DEEP_PRESETS[p.group]?.[s[p.group]?.deep]?.[p.name] : undefined;
  if (deep !== undefined || p.group !== '2d') return deep ?? p.def;
  const scenario = SCENARIOS[s['2d'].preset];
  if (scenario && Object.hasOwn(scenario, p.name)) return scenario[p.name];
  const preset = PRESET_KEYS.includes(p.name) ? PRESETS[s['2d'].dataset]?.[p.name] : undefined;
  return preset ?? p.def;
}

// The Optimisers view's settings that follow its preset and surface, except
// those in `keep` (a link's values win, as for a data set's preset).
function applyOptimDefaults(s, names, keep = new Set()) {
  for (const name of names) {
    if (!keep.has(name)) s.optim[name] = copy(defaultOf(s, prop('optim', name)));
  }
}
const OPTIM_NAMES = OPTIM_SETTINGS.map((p) => p.name).filter((n) => n !== 'preset');

// The shared MNIST settings at their defaults under s's model (the optimiser's three keys count as one).
function untouched(s) {
  const at = (name) => same(s.mnist[name], defaultOf(s, prop('mnist', name)));
  const names = Object.keys(CNN_DEFAULTS).filter(at);
  return OPTIMISER_KEYS.every(at) ? names : names.filter((n) => !OPTIMISER_KEYS.includes(n));
}

// The preset values of `names` in `group` (the data set and the deep net
// first: the others' defaults depend on them), except the settings in
// `keep` (given by the link).
function applyPreset(s, group, names, keep = new Set()) {
  const order = [...new Set(['dataset', 'deep', ...names])].filter((n) => names.includes(n));
  for (const name of order) {
    if (!keep.has(name)) s[group][name] = copy(defaultOf(s, prop(group, name)));
  }
}

// The settings a scenario sets (or set, for the one left).
const scenarioKeys = (...names) => names.flatMap((n) => Object.keys(SCENARIOS[n] ?? {}));

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
    case 'text':
      // checked by the setting's own parser: its canonical form, or undefined
      return p.parse(raw);
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
  const given = { '2d': new Set(), mnist: new Set(), optim: new Set() };
  for (const [key, raw] of params) {
    const p = BY_KEY.get(key);
    if (!p) continue;
    const v = parseValue(p, raw);
    if (v === undefined) continue;
    s[p.group][p.name] = v;
    given[p.group]?.add(p.name);
  }
  // what the link does not say follows the scenario, the data set's preset and the deep net
  applyPreset(s, '2d', [...PRESET_KEYS, ...DEEP_KEYS, ...scenarioKeys(s['2d'].preset)], given['2d']);
  // the MNIST training settings follow the deep net, or the CNN's defaults when the CNN is shown
  applyPreset(s, 'mnist', [...new Set([...DEEP_KEYS, ...Object.keys(CNN_DEFAULTS)])], given.mnist);
  // and the Optimisers view's preset and surface
  applyOptimDefaults(s, OPTIM_NAMES, given.optim);
  return s;
}

/**
 * The settings a link gives that parse() could not use, as [key, raw value]
 * (a view may say why, as the CNN view does for an architecture); never throws.
 */
export function rejected(text) {
  let params;
  try {
    params = new URLSearchParams(String(text ?? '').replace(/^[#?]/, ''));
  } catch {
    return [];
  }
  return [...params].filter(([key, raw]) => BY_KEY.has(key) && parseValue(BY_KEY.get(key), raw) === undefined);
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
  const was = state[group][name];
  // another model: the shared MNIST settings still at the old one's defaults take the new one's
  const follow = group === 'page' && name === 'view' ? untouched(state) : [];
  state[group][name] = v;
  applyPreset(state, 'mnist', follow);
  // choosing a data set or a deep net applies its preset (a link's values
  // come after, see parse); choosing a scenario sets its values, leaving one
  // resets the ones it set
  if (group === '2d' && name === 'dataset') applyPreset(state, '2d', PRESET_KEYS);
  if (name === 'deep') applyPreset(state, group, DEEP_KEYS);
  if (group === '2d' && name === 'preset') applyPreset(state, '2d', scenarioKeys(was, v));
  // an Optimisers preset sets everything but the speed; a surface its start, iterations and hyper-parameters
  if (group === 'optim' && name === 'preset') applyOptimDefaults(state, OPTIM_NAMES.filter((n) => !PRESET_KEEPS.includes(n)));
  if (group === 'optim' && name === 'surface') applyOptimDefaults(state, SURFACE_KEYS);
  return p.change;
}

/** The settings of `next` that differ from `state`, as [group, name, value]. */
export function differences(state, next) {
  return ALL.filter((p) => !same(next[p.group][p.name], state[p.group][p.name]))
    .map((p) => [p.group, p.name, next[p.group][p.name]]);
}
