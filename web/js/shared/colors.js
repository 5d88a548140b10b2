// colors.js: the page's colours. Classes use the Okabe-Ito palette, which
// colour-blind readers tell apart; two-class and regression maps go from
// orange through white to blue. Functions return [r, g, b] bytes; the
// palettes (RGBA bytes) are what the engine colours heatmaps and neuron
// maps with (colorize, activationPixels), chosen by colorOptions.

export const CLASS_COLORS = ['#E69F00', '#0072B2', '#009E73', '#CC79A7', '#D55E00'];
/** The whole Okabe-Ito palette by name (the Optimisers view gives each optimiser one). */
export const OKABE_ITO = { black: '#000000', orange: '#E69F00', skyBlue: '#56B4E9', green: '#009E73', yellow: '#F0E442',
  blue: '#0072B2', vermillion: '#D55E00', purple: '#CC79A7' };
const RGB = CLASS_COLORS.map((h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)));
const WHITE = [255, 255, 255];

const mix = (a, b, t) => [0, 1, 2].map((i) => Math.round(a[i] + (b[i] - a[i]) * t));

export function classRgb(k) {
  return RGB[k % RGB.length];
}

/** Orange (-1) through white (0) to blue (+1). */
export function diverging(v) {
  const t = Math.max(-1, Math.min(1, v));
  return t < 0 ? mix(WHITE, RGB[0], -t) : mix(WHITE, RGB[1], t);
}

// A palette is RGBA bytes, 4 per entry, for the engine's colorize and
// activationPixels (engine/nn.h, nn_colorize), which pick an entry per pixel.
const rgba = (colors) => Uint8Array.from(colors.flatMap((c) => [...c, 255]));

/** Orange through white to blue, lighter than diverging() to leave room for points: 511 entries for [-1, 1]. */
export const DIVERGING = rgba(Array.from({ length: 511 }, (_, i) => diverging(0.75 * ((2 * i) / 510 - 1))));

const SHADES = 64;
const classPalettes = new Map();

/** k runs of SHADES entries, white to 0.75 of class c's colour: a pixel's class, shaded by confidence. */
export function classPalette(k) {
  if (!classPalettes.has(k)) {
    classPalettes.set(k, rgba(Array.from({ length: k * SHADES }, (_, i) => mix(WHITE, classRgb(Math.floor(i / SHADES)),
      (0.75 * (i % SHADES)) / (SHADES - 1)))));
  }
  return classPalettes.get(k);
}

/**
 * How network outputs are coloured: the engine's colour mode and palette for
 * kind 'binary' (p of class 1, or tanh in [-1, 1] when signed), 'multiclass'
 * (K probabilities per pixel) or 'regression' (a value in about [-1, 1]);
 * discretize: two colours (or full-strength class colours) only.
 */
export function colorOptions({ kind, classes, signed, discretize }) {
  if (kind === 'multiclass') return { mode: 'class', columns: classes, palette: classPalette(classes), discrete: !!discretize };
  return { mode: signed || kind === 'regression' ? 'signed' : 'probability', palette: DIVERGING, discrete: !!discretize };
}

/** The ten digits' colours (the autoencoder's code plane): Okabe-Ito's eight, then grey and a dark red. */
export const DIGIT_COLORS = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7', '#000000', '#999999', '#882255'];
