// nnplay-names.mjs: the names the JS API accepts (activations, losses,
// optimisers, init schemes, data sets), their C enum order, the error class
// and the argument checks shared by wasm/nnplay.mjs and wasm/nnplay-net.mjs.

export const ACTIVATIONS = ['linear', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'prelu', 'elu', 'gelu',
  'swish', 'selu', 'softmax'];
export const LOSSES = ['se_half', 'mse', 'bce', 'softmax_ce'];
export const LOSS_ALIASES = { ce: 'softmax_ce', cross_entropy: 'softmax_ce', half_se: 'se_half' };
export const OPTIMIZERS = ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam'];
export const INITS = ['constant', 'uniform', 'xavier_uniform', 'xavier_normal', 'he_uniform', 'he_normal'];
export const INIT_ALIASES = { xavier: 'xavier_uniform', glorot: 'xavier_uniform', he: 'he_normal' };
export const LAYER_KINDS = ['dense', 'activation', 'dropout', 'batchnorm'];
export const DATASETS = ['circle', 'xor', 'gauss', 'spiral', 'spiral_k', 'blobs_k', 'plane', 'cos'];
export const STREAMS = ['init', 'shuffle', 'dropout'];
export const ERR_DIVERGED = -8;

// Optimiser defaults, as nn_optim_default in engine/optim.c.
export const OPT_DEFAULTS = {
  sgd: { lr: 0.1, momentum: 0.9, beta2: 0.999, delta: 0 },
  momentum: { lr: 0.1, momentum: 0.9, beta2: 0.999, delta: 0 },
  nesterov: { lr: 0.1, momentum: 0.9, beta2: 0.999, delta: 0 },
  adagrad: { lr: 0.01, momentum: 0.9, beta2: 0.999, delta: 1e-7 },
  rmsprop: { lr: 0.01, momentum: 0.9, beta2: 0.999, delta: 1e-6 },
  adam: { lr: 0.001, momentum: 0.9, beta2: 0.999, delta: 1e-8 },
};

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
  const key = String(name).toLowerCase().replace(/[-\s]/g, '_');
  const i = table.indexOf(aliases[key] ?? key);
  if (i < 0) fail(`unknown ${what} "${name}" (one of: ${table.join(', ')})`);
  return i;
}

export function number(v, what, { min = -Infinity, max = Infinity, integer = false } = {}) {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max
      || (integer && !Number.isInteger(v))) {
    fail(`${what} must be ${integer ? 'an integer' : 'a finite number'} in [${min}, ${max}], got ${v}`);
  }
  return v;
}

