// arch.js: the autoencoder's architecture as text, "784-128-32-2-32-128-784":
// the layer widths from the 784 pixels in to the 784 pixels out. The code
// is the narrowest hidden layer (its first one, when several are as
// narrow). Parsed and checked here once (a link's value, the text box),
// with the presets the view offers. Pure functions, no DOM, no engine.
import { PIXELS } from '../mnist.js';

export const AE_PRESETS = {
  // 2-D code between two hidden layers each way: the default
  default: '784-128-32-2-32-128-784',
  // ConvNetJS's autoencoder demo (with tanh units there)
  convnetjs: '784-50-50-2-50-50-784',
  // a wider code: shown through its 2-D PCA projection
  wide: '784-128-16-128-784',
};
export const AE_DEFAULT_ARCH = AE_PRESETS.default;
/** The hidden units the view offers (the code layer stays linear). */
export const AE_ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'elu', 'gelu', 'leaky_relu'];
/** The noise on the inputs while training (denoising): none, masking (pixels set to 0) or Gaussian. */
export const NOISES = ['none', 'mask', 'gaussian'];
// hidden layers, units and weights at most: 1.5 million weights is 7 times the default's 210,130
export const AE_LIMITS = { hidden: 7, units: 512, weights: 1.5e6 };

/**
 * {sizes (all widths, 784 first and last), hidden (the hidden widths), code
 * (the code's index in hidden), width (the code's width), weights} of an
 * architecture, or {error: {key, values}} (autoencoder/strings.js) saying
 * what is wrong.
 */
export function parseAeArch(text) {
  const raw = String(text ?? '').trim();
  if (!/^\d{1,4}(\s*-\s*\d{1,4}){2,15}$/.test(raw)) return { error: { key: 'aeErrSyntax', values: {} } };
  const sizes = raw.split('-').map((s) => Number(s.trim()));
  if (sizes[0] !== PIXELS || sizes[sizes.length - 1] !== PIXELS) return { error: { key: 'aeErrEnds', values: { n: PIXELS } } };
  const hidden = sizes.slice(1, -1);
  if (hidden.length > AE_LIMITS.hidden) return { error: { key: 'aeErrDepth', values: { max: AE_LIMITS.hidden } } };
  const bad = hidden.find((u) => u < 1 || u > AE_LIMITS.units);
  if (bad !== undefined) return { error: { key: 'aeErrUnits', values: { n: bad, max: AE_LIMITS.units } } };
  let weights = 0;
  for (let i = 1; i < sizes.length; i++) weights += (sizes[i - 1] + 1) * sizes[i];
  if (weights > AE_LIMITS.weights) return { error: { key: 'aeErrWeights', values: { n: weights, max: AE_LIMITS.weights } } };
  const width = Math.min(...hidden);
  return { sizes, hidden, code: hidden.indexOf(width), width, weights };
}

/** The canonical text of an architecture ("784-128-2-128-784"), or undefined when it cannot be used (state.js). */
export function canonicalAeArch(text) {
  const a = parseAeArch(text);
  return a.error ? undefined : a.sizes.join('-');
}

/** The name of the preset an architecture is, or 'custom'. */
export function presetOf(arch) {
  return Object.keys(AE_PRESETS).find((k) => AE_PRESETS[k] === arch) ?? 'custom';
}

/**
 * The engine's index of the layer whose output is the code (net.layers():
 * [{type, shape}]): the `code`-th dense layer, or the activation layers
 * right after it that keep its width. -1 when there is no such dense layer.
 */
export function codeLayerIndex(layers, code) {
  let seen = -1, k = -1;
  for (let i = 0; i < layers.length; i++) {
    if (layers[i].type === 'dense') {
      seen += 1;
      if (seen === code) k = i;
      else if (seen > code) break;
    } else if (k >= 0 && layers[i].shape[0] === layers[k].shape[0] && i < layers.length - 1) k = i;
  }
  return k;
}

/** The hidden widths of a net's dense layers (net.layers()), the output layer's left out when it is dense. */
export function denseWidths(layers) {
  const hidden = layers.at(-1)?.type === 'dense' ? layers.slice(0, -1) : layers;
  return hidden.filter((l) => l.type === 'dense').map((l) => l.shape[0]);
}
