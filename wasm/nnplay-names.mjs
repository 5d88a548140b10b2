// nnplay-names.mjs: the names the JS API accepts (activations, losses,
// optimisers, init schemes, data sets), taken in C enum order from the
// generated nnplay-abi.mjs, with the JS-only aliases; the optimiser defaults
// in the API's words; the error class and the argument checks shared by
// wasm/nnplay.mjs and wasm/nnplay-net.mjs.

import { ABI } from './nnplay-abi.mjs';

export const ACTIVATIONS = ABI.enums.nn_act;
export const LOSSES = ABI.enums.nn_loss;
export const LOSS_ALIASES = { ce: 'softmax_ce', cross_entropy: 'softmax_ce', half_se: 'se_half' };
export const OPTIMIZERS = ABI.enums.nn_optimizer;
export const INITS = ABI.enums.nn_init_scheme;
export const INIT_ALIASES = { xavier: 'xavier_uniform', glorot: 'xavier_uniform', he: 'he_normal' };
export const LAYER_KINDS = ABI.enums.nn_layer_kind;
export const DATASETS = ABI.enums.nn_dataset;
export const STREAMS = ABI.enums.nn_stream;
export const COLOR_MODES = ABI.enums.nn_color_mode;
export const SURFACES = ABI.enums.nn_surface;
export const NOISES = ABI.enums.nn_noise;
export const STATUS = ABI.status;
export const ERR_DIVERGED = ABI.status.NN_ERR_DIVERGED;
export const LIMITS = ABI.limits;

/** Checks an RGBA palette (a Uint8Array or Uint8ClampedArray of 4 bytes per entry); returns its entry count. */
export function palette(p, what) {
  if (!(p instanceof Uint8Array || p instanceof Uint8ClampedArray) || p.length < 4 || p.length % 4 !== 0) {
    fail(`${what}: palette must be a Uint8Array or Uint8ClampedArray of RGBA entries (4 bytes each), got ${describe(p)}`);
  }
  return p.length / 4;
}

// Optimiser defaults (nn_optim_default) under the API's option names.
export const OPT_DEFAULTS = Object.fromEntries(OPTIMIZERS.map((name) => {
  const d = ABI.defaults.optim.values[name];
  return [name, { lr: d.lr, momentum: d.beta1, beta2: d.beta2, delta: d.delta, decay: d.decay }];
}));

/**
 * The nn_optim fields of an optimiser given as a name or {name, lr, momentum
 * (or beta1, rho), beta2, delta (or eps), decay}; unset values are the
 * optimiser's defaults. `what` names the caller in messages.
 */
export function optimFields(opt, what) {
  const o = typeof opt === 'string' ? { name: opt } : options(opt, what);
  const kind = lookup(OPTIMIZERS, o.name === undefined ? 'sgd' : o.name, 'optimizer');
  const d = OPT_DEFAULTS[OPTIMIZERS[kind]];
  return {
    kind,
    lr: number(o.lr ?? d.lr, 'lr', { above: 0 }),
    beta1: number(o.momentum ?? o.beta1 ?? o.rho ?? d.momentum, 'momentum', { min: 0, max: 0.999999 }),
    beta2: number(o.beta2 ?? d.beta2, 'beta2', { min: 0, max: 0.999999 }),
    delta: number(o.delta ?? o.eps ?? d.delta, 'delta', { min: 0, max: 1 }),
    decay: number(o.decay ?? d.decay, 'decay', { min: 0, max: 1e6 }),
  };
}

/** An nn_optim read from the engine, in the API's words. */
export function optimOptions(o) {
  return { name: OPTIMIZERS[o.kind], lr: o.lr, momentum: o.beta1, beta2: o.beta2, delta: o.delta, decay: o.decay };
}

/** The error every failed call throws; `code` is the C status (or 0 for JS-side checks). */
export class NNPlayError extends Error {
  constructor(message, code = 0) {
    super(message);
    this.name = 'NNPlayError';
    this.code = code;
  }
}

export function fail(message) {
  throw new NNPlayError(`nnplay: ${message}`);
}

export function lookup(table, name, what, aliases = {}) {
  if (typeof name !== 'string') fail(`${what} must be a name (one of: ${table.join(', ')}), got ${describe(name)}`);
  const key = name.toLowerCase().replace(/[-\s]/g, '_');
  const i = table.indexOf(aliases[key] ?? key);
  if (i < 0) fail(`unknown ${what} "${name}" (one of: ${table.join(', ')})`);
  return i;
}

/** A short, safe description of a value for an error message. */
export function describe(v) {
  if (typeof v === 'string') return JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}...` : v);
  if (v === null || typeof v !== 'object') return String(v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  return ArrayBuffer.isView(v) ? `a ${v.constructor.name} of ${v.length}` : 'an object';
}

export function number(v, what, { min = -Infinity, max = Infinity, integer = false, above } = {}) {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (above !== undefined && v <= above)
      || (integer && !Number.isInteger(v))) {
    const range = above !== undefined ? `> ${above}` : `in [${min}, ${max}]`;
    fail(`${what} must be ${integer ? 'an integer' : 'a finite number'} ${range}, got ${describe(v)}`);
  }
  return v;
}

/** An options object: undefined gives {}, anything but a plain object throws. */
export function options(o, what) {
  if (o === undefined) return {};
  if (typeof o !== 'object' || o === null || Array.isArray(o)) fail(`${what} expects an options object, got ${describe(o)}`);
  return o;
}

/**
 * Checks an array of numbers (a typed array or a plain array) of a given
 * length (when `length` is a number): every value finite; with `labels`,
 * every value an integer in [0, 2^31). With `scan: false` a float typed
 * array is taken as it is (predict's inputs: a NaN in gives a NaN out, and
 * a scan of a large batch would cost a sixth of the call). Returns the array.
 */
export function numbers(a, what, { length, labels = false, scan = true } = {}) {
  const typed = ArrayBuffer.isView(a) && !(a instanceof DataView) && !(a instanceof BigInt64Array)
    && !(a instanceof BigUint64Array);
  if (!typed && !Array.isArray(a)) fail(`${what} must be a typed array or an array of numbers, got ${describe(a)}`);
  if (length !== undefined && a.length !== length) fail(`${what} has ${a.length} values, ${length} expected`);
  // Int32Array and byte arrays hold integers already; only their sign needs a look
  const ints = a instanceof Int32Array || a instanceof Uint8Array || a instanceof Uint8ClampedArray
    || a instanceof Int8Array || a instanceof Int16Array || a instanceof Uint16Array;
  if ((ints || (typed && !scan)) && !labels) return a;
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    const bad = labels ? !(ints ? v >= 0 : Number.isInteger(v) && v >= 0 && v <= LIMITS.INT_MAX)
      : !ints && (typeof v !== 'number' || !Number.isFinite(v));
    if (bad) fail(`${what}[${i}] must be ${labels ? 'a class index (an integer >= 0)' : 'a finite number'}, got ${describe(v)}`);
  }
  return a;
}

