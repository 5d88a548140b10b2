// spec.js: what a sweep is, shared by the page and the CLI (no DOM, no
// engine). A spec such as 'activation=sigmoid,tanh,relu;lr=0.1,0.01' names
// settings and their values; several specs (';' or several --sweep flags)
// make the cross product. Each run is the base description (createNet
// options, batch size, epochs) with its values applied. Checked here, once,
// with messages that name the setting and the value.

import { NNPlay } from '../../../lib/nnplay.mjs';

/** At most this many runs in one sweep (cross product included), and values per setting. */
export const MAX_RUNS = 16;
export const MAX_VALUES = 8;

// the engine's names (generated from C), the hidden activations without softmax
const { activations, optimizers: OPTIMIZERS, inits: INITS } = NNPlay.names;
const ACTIVATIONS = activations.filter((a) => a !== 'softmax');

const REAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const real = (range, ok) => ({ range, parse: (s) => (REAL.test(s) && Number.isFinite(+s) && ok(+s) ? +s : undefined) });
const int = (lo, hi) => ({ range: `an integer in [${lo}, ${hi}]`,
  parse: (s) => (/^\d+$/.test(s) && +s >= lo && +s <= hi ? +s : undefined) });
const oneOf = (names) => ({ range: `one of ${names.join(', ')}`, parse: (s) => (names.includes(s) ? s : undefined) });
const BOOL = { on: true, true: true, 1: true, off: false, false: false, 0: false };

// A layer: a dense size (120), conv<C>k<K>[s<S>][p<P>] or (max|avg)pool<K>[s<S>]; a list joins them with '-'.
const LAYER = /^(?:(\d+)|conv(\d+)k(\d+)(?:s(\d+))?(?:p(\d+))?|(max|avg)pool(\d+)(?:s(\d+))?)$/;
function layerToken(t) {
  const m = LAYER.exec(t);
  if (!m) return undefined;
  const within = (v, lo, hi) => (v >= lo && v <= hi ? v : NaN);
  if (m[1]) return { units: within(+m[1], 1, 4096) };
  if (m[2]) {
    return { conv: within(+m[2], 1, 256), kernel: within(+m[3], 1, 28), stride: within(+(m[4] ?? 1), 1, 28),
      pad: within(+(m[5] ?? 0), 0, 14) };
  }
  return { [`${m[6]}pool`]: within(+m[7], 1, 28), stride: within(+(m[8] ?? m[7]), 1, 28) };
}
const LAYERS = {
  range: "'none' or layers joined by '-': dense sizes in [1, 4096], conv<C>k<K>[s<S>][p<P>], maxpool<K> or avgpool<K>",
  parse: (s) => {
    if (s === 'none') return [];
    const list = s.split('-').map(layerToken);
    return list.length <= 16 && list.every((l) => l && Object.values(l).every(Number.isFinite)) ? list : undefined;
  },
};

// the per-layer fields a view may set on its hidden layers (2D: every dense
// layer; CNN: every convolution): a swept value replaces them there too
const perLayer = (field) => (d, v) => {
  d.net[field] = v;
  d.net.layers = d.net.layers?.map((l) => (field in l ? { ...l, [field]: v } : l));
};
const setOptimizer = (field) => (d, v) => { d.net.optimizer = { ...d.net.optimizer, [field]: v }; };

/**
 * Every setting a sweep can vary: its check, how it changes a run's
 * description, and whether it changes the initial weights' shapes or values
 * (`init`), so that runs can no longer start from the same weights.
 */
export const KEYS = {
  activation: { ...oneOf(ACTIVATIONS), apply: perLayer('activation') },
  // another optimiser than the view's starts from its own default rate, as the
  // MNIST comparison does (the view's rate suits its own), unless lr is swept too
  optimizer: { ...oneOf(OPTIMIZERS), apply: (d, v) => {
    const o = d.net.optimizer ?? {};
    d.net.optimizer = o.name === v ? { ...o } : { ...o, name: v, lr: undefined };
  } },
  lr: { ...real('a number > 0', (v) => v > 0), apply: setOptimizer('lr') },
  momentum: { ...real('a number in [0, 1)', (v) => v >= 0 && v < 1), apply: setOptimizer('momentum') },
  init: { ...oneOf(INITS), init: true,
    apply: (d, v) => { d.net.init = typeof d.net.init === 'object' ? { ...d.net.init, name: v } : v; } },
  batch: { ...int(1, 2048), apply: (d, v) => { d.batch = v; d.net.maxBatch = Math.max(d.net.maxBatch ?? 0, v); } },
  l1: { ...real('a number >= 0', (v) => v >= 0), apply: (d, v) => { d.net.l1 = v; } },
  l2: { ...real('a number >= 0', (v) => v >= 0), apply: (d, v) => { d.net.l2 = v; } },
  dropout: { ...real('a number in [0, 1)', (v) => v >= 0 && v < 1), apply: perLayer('dropout') },
  batchnorm: { range: 'on or off', parse: (s) => BOOL[s], init: true, apply: perLayer('batchNorm') },
  layers: { ...LAYERS, init: true, apply: applyLayers },
  seed: { ...int(0, 2 ** 32 - 1), init: true, apply: (d, v) => { d.net.seed = v; } },
};

/** A new layer list keeps the per-layer fields (activation, dropout, batch norm) of the view's first such layer. */
function applyLayers(d, list) {
  const old = d.net.layers ?? [];
  const dense = old.find((l) => 'units' in l) ?? {}, conv = old.find((l) => 'conv' in l) ?? {};
  const keep = (from) => Object.fromEntries(['activation', 'dropout', 'batchNorm'].filter((f) => f in from).map((f) => [f, from[f]]));
  if (list.some((l) => 'conv' in l || 'maxpool' in l || 'avgpool' in l)) {
    if ((d.net.inputs ?? 784) !== 784 && !d.net.shape) throw new SweepError('layers: convolutions and pools need the 28 x 28 digits');
    if (!d.net.shape) { d.net.shape = [1, 28, 28]; delete d.net.inputs; }
  } else if (d.net.shape) {
    // dense layers only: the image is read as a vector of its pixels
    d.net.inputs = d.net.shape.reduce((a, b) => a * b, 1);
    delete d.net.shape;
  }
  d.net.layers = list.map((l) => ('units' in l ? { ...l, ...keep(dense) }
    : 'conv' in l ? { ...l, activation: d.net.activation ?? 'relu', ...keep(conv) } : { ...l }));
}

/** A sweep spec that cannot be run: the message says which setting and value, and what is allowed. */
export class SweepError extends Error {}

/**
 * Parses specs ('key=v1,v2' parts joined by ';', or several strings) into
 * axes [{key, values: [{text, value}]}]. Refuses an unknown key, a value out
 * of range, a key given twice, fewer than 2 or more than MAX_VALUES values,
 * and a cross product of more than MAX_RUNS runs.
 */
export function parseSweep(specs) {
  const parts = (Array.isArray(specs) ? specs : [specs]).flatMap((s) => String(s).split(';')).map((s) => s.trim()).filter(Boolean);
  if (!parts.length) throw new SweepError(`an empty sweep: give setting=value,value (settings: ${Object.keys(KEYS).join(', ')})`);
  const axes = [];
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq < 0) throw new SweepError(`'${part}': expected setting=value,value (e.g. activation=sigmoid,tanh,relu)`);
    const key = part.slice(0, eq).trim().toLowerCase(), k = KEYS[key];
    if (!k) throw new SweepError(`unknown setting '${key}'; one of ${Object.keys(KEYS).join(', ')}`);
    if (axes.some((a) => a.key === key)) throw new SweepError(`${key} is given twice`);
    const texts = part.slice(eq + 1).split(',').map((s) => s.trim());
    if (texts.length < 2 || texts.length > MAX_VALUES) {
      throw new SweepError(`${key}: give 2 to ${MAX_VALUES} values separated by commas, got ${texts.filter(Boolean).length}`);
    }
    const values = texts.map((text) => {
      const value = k.parse(text);
      if (value === undefined) throw new SweepError(`${key}: '${text}' is not ${k.range}`);
      return { text, value };
    });
    const seen = new Set(texts);
    if (seen.size < texts.length) throw new SweepError(`${key}: a value is given twice`);
    axes.push({ key, values });
  }
  const count = axes.reduce((n, a) => n * a.values.length, 1);
  if (count > MAX_RUNS) throw new SweepError(`${count} runs; a sweep has at most ${MAX_RUNS}`);
  return axes;
}

/** The canonical text of axes (what the URL and the CLI echo): 'activation=sigmoid,tanh;lr=0.1,0.01'. */
export const formatSweep = (axes) => axes.map((a) => `${a.key}=${a.values.map((v) => v.text).join(',')}`).join(';');

/** The runs of axes: every combination, in order (last axis fastest), with a label 'activation=tanh lr=0.1'. */
export function combinations(axes) {
  let out = [[]];
  for (const a of axes) out = out.flatMap((c) => a.values.map((v) => [...c, { key: a.key, ...v }]));
  return out.map((settings) => ({ label: settings.map((s) => `${s.key}=${s.text}`).join(' '), settings }));
}

/**
 * The description of each run: a deep copy of base ({net: createNet options,
 * batch, epochs, ...}) with the run's values applied, and its label.
 */
export function planRuns(base, axes) {
  return combinations(axes).map(({ label, settings }) => {
    const d = structuredClone(base);
    // in the table's order: optimizer before lr and momentum
    const order = Object.keys(KEYS);
    for (const s of [...settings].sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key))) KEYS[s.key].apply(d, s.value);
    d.label = label;
    return d;
  });
}

/**
 * What the runs share (same data and batch order always: one seed): null
 * when they also start from the same initial weights, else the settings
 * that change them (init, seed, layers, batch norm: other shapes or draws).
 */
export function initDiffers(axes) {
  const keys = axes.filter((a) => KEYS[a.key].init).map((a) => a.key);
  return keys.length ? keys : null;
}
