// tfp.js: a TensorFlow Playground link (its URL, or the hash alone) read
// into the nearest 2D state of nnplay, with what did not map and why. Pure:
// no DOM. TFP keeps its state in the hash as key=value pairs joined by '&'
// (its src/state.ts): activation, regularization, batchSize, dataset,
// regDataset, learningRate, regularizationRate, noise (0-50, a percentage),
// networkShape, seed (a string for Math.seedrandom), showTestData,
// discretize, percTrainData, the seven features x ... sinY, collectStats,
// problem, initZero, hideText, tutorial and <control>_hide flags; a missing
// key takes TFP's default; a boolean is true unless it is "false".
// The facts come from TFP's source; the code is ours.
import { prop } from '../state.js';

// TFP's defaults (its State class) for keys a link leaves out
const TFP_DEFAULTS = {
  activation: 'tanh', regularization: 'none', batchSize: '10', dataset: 'circle', regDataset: 'reg-plane',
  learningRate: '0.03', regularizationRate: '0', noise: '0', networkShape: '4,2', showTestData: 'false',
  discretize: 'false', percTrainData: '50', x: 'true', y: 'true', xTimesY: 'false', xSquared: 'false',
  ySquared: 'false', cosX: 'false', sinX: 'false', cosY: 'false', sinY: 'false', problem: 'classification',
  initZero: 'false', collectStats: 'false', hideText: 'false',
};
export const TFP_KEYS = [...Object.keys(TFP_DEFAULTS), 'seed', 'tutorial'];
// TFP's data sets and features under our names (cosX and cosY have none)
const DATASETS = { circle: 'circle', xor: 'xor', gauss: 'gauss', spiral: 'spiral' };
const FEATURES = { x: 'x1', y: 'x2', xSquared: 'x1sq', ySquared: 'x2sq', xTimesY: 'x1x2', sinX: 'sinx1', sinY: 'sinx2' };
// TFP draws 500 points for classification, 1,200 for regression (playground.ts)
const POINTS = { classification: 500, regression: 1200 };
// the settings of TFP's page only (no effect on the net or the data)
const UI_ONLY = ['collectStats', 'hideText', 'tutorial'];
const MAX_TEXT = 4000;

/** A link nnplay cannot read as TFP's; `code` names the reason (tfpErr_<code> in the strings). */
export class TfpError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

// the key=value text of a pasted link: a TFP URL's hash, '#...' or 'a=b&...'
function pairsOf(text) {
  if (typeof text !== 'string') throw new TfpError('empty', 'paste a TensorFlow Playground link');
  const s = text.trim();
  if (!s) throw new TfpError('empty', 'paste a TensorFlow Playground link');
  if (s.length > MAX_TEXT) throw new TfpError('tooLong', `a link of ${s.length} characters is longer than ${MAX_TEXT}`);
  let hash = s;
  if (/^[a-z][a-z0-9+.-]*:/i.test(s)) {
    let url;
    try {
      url = new URL(s);
    } catch {
      throw new TfpError('notTfp', 'this is not a TensorFlow Playground link');
    }
    if (url.hostname !== 'playground.tensorflow.org') throw new TfpError('notTfp', `${url.hostname} is not TensorFlow Playground`);
    hash = url.hash;
  }
  hash = hash.replace(/^#/, '');
  const map = new Map();
  for (const pair of hash.split('&')) {
    if (!pair) continue;
    const at = pair.indexOf('=');
    const [k, v] = at < 0 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)];
    let value = v;
    try {
      value = decodeURIComponent(v);
    } catch { /* TFP does not decode either: keep the raw text */ }
    map.set(k, value);
  }
  if (![...map.keys()].some((k) => TFP_KEYS.includes(k))) {
    throw new TfpError('noSettings', 'no TensorFlow Playground setting found in this link');
  }
  return map;
}

// FNV-1a: a TFP seed string as an integer below a million, short enough to
// read in the seed fields (the same link, the same seeds)
function seedOf(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h % 1000000;
}

/**
 * The nearest nnplay 2D state of a TensorFlow Playground link.
 * Returns {state, unmapped}: state holds 2D settings by name (state.js's
 * '2d' group) to set over the current ones; unmapped lists {key, value,
 * reason, mapped?} for each TFP setting that has no equivalent or was
 * changed on the way (reason: tfpWhy_<reason> in the strings). Throws a
 * TfpError for text that is not a TFP link.
 * @param {string} text
 */
export function fromTfp(text) {
  const given = pairsOf(text), unmapped = [];
  const raw = (k) => (given.has(k) && given.get(k).trim() !== '' ? given.get(k) : TFP_DEFAULTS[k]);
  const note = (key, reason, mapped) => unmapped.push({ key, value: given.get(key) ?? TFP_DEFAULTS[key], reason, ...(mapped !== undefined ? { mapped } : {}) });
  const bool = (k) => raw(k) !== 'false';
  // a number setting: TFP's text, checked and clamped to our setting's range
  const number = (k, name, scale = 1) => {
    const p = prop('2d', name), v = Number((Number(raw(k)) * scale).toPrecision(12));
    const fallback = Number(TFP_DEFAULTS[k]) * scale;
    if (!/^\s*-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(raw(k)) || !Number.isFinite(v)) {
      note(k, 'invalid', fallback);
      return fallback;
    }
    const int = p.type === 'int' ? Math.round(v) : v;
    const c = Math.min(p.max, Math.max(p.min, int));
    if (c !== v) note(k, 'clamped', c);
    return c;
  };
  const choice = (k, table) => {
    if (Object.hasOwn(table, raw(k))) return table[raw(k)];
    note(k, 'invalid', table[TFP_DEFAULTS[k]]);
    return table[TFP_DEFAULTS[k]];
  };

  const state = { preset: 'none', deep: 'none', devPct: 0, optimizer: 'sgd', batchNorm: false, dropout: 0, decay: 0, init: 'xavier_uniform' };
  const problem = choice('problem', { classification: 'classification', regression: 'regression' });
  if (problem === 'regression') {
    const d = choice('regDataset', { 'reg-plane': 'plane', 'reg-gauss': 'plane' });
    if (raw('regDataset') === 'reg-gauss') note('regDataset', 'regGauss', 'plane');
    state.dataset = d;
  } else {
    state.dataset = choice('dataset', DATASETS);
  }
  // TFP trains a tanh output on squared error for classification (labels -1, 1)
  state.output = problem === 'regression' ? 'auto' : 'tanh';
  state.points = POINTS[problem];
  state.noise = number('noise', 'noise', 1 / 100);
  if (state.noise > 0) note('noise', 'noiseScale', state.noise);
  state.trainPct = number('percTrainData', 'trainPct');
  state.batch = number('batchSize', 'batch');
  state.lr = number('learningRate', 'lr');
  state.activation = choice('activation', { relu: 'relu', tanh: 'tanh', sigmoid: 'sigmoid', linear: 'linear' });
  state.reg = choice('regularization', { none: 'none', L1: 'l1', L2: 'l2' });
  state.regRate = number('regularizationRate', 'regRate');
  state.showTest = bool('showTestData');
  state.discretize = bool('discretize');

  const features = [];
  for (const [k, ours] of Object.entries(FEATURES)) if (bool(k)) features.push(ours);
  for (const k of ['cosX', 'cosY']) if (bool(k)) note(k, 'cosFeature');
  if (!features.length) {
    features.push('x1', 'x2');
    unmapped.push({ key: 'features', value: '', reason: 'noFeatures', mapped: 'x1,x2' });
  }
  state.features = prop('2d', 'features').options.filter((f) => features.includes(f));

  // as TFP: a present but empty networkShape is no hidden layer
  const shape = given.get('networkShape') ?? TFP_DEFAULTS.networkShape;
  const units = shape.trim() === '' ? [] : shape.split(',').map((u) => Number(u));
  if (units.some((u) => !Number.isInteger(u) || u < 0)) {
    note('networkShape', 'invalid', '4,2');
    state.hidden = [4, 2];
  } else {
    // TFP: at most 6 layers of 8; ours more, but not more than MAX_LAYERS x MAX_UNITS, and no empty layer
    const hidden = units.filter((u) => u > 0).slice(0, 8).map((u) => Math.min(u, 64));
    if (hidden.length !== units.length || hidden.some((u, i) => u !== units[i])) note('networkShape', 'clamped', hidden.join(','));
    state.hidden = hidden;
  }

  if (given.has('seed')) {
    const seed = seedOf(given.get('seed'));
    state.seed = seed;
    state.dataSeed = seed;
    note('seed', 'seed', seed);
  }
  if (bool('initZero')) {
    // TFP starts every weight and bias at 0
    state.init = 'constant';
    state.initConst = 0;
  }
  for (const k of UI_ONLY) if (given.has(k) && (k === 'tutorial' || bool(k))) note(k, 'uiOnly');
  for (const [k] of given) {
    if (k.endsWith('_hide')) note(k, 'uiOnly');
    else if (!TFP_KEYS.includes(k)) note(k, 'unknown');
  }
  return { state, unmapped };
}
