// colors.js: the page's colours. Classes use the Okabe-Ito palette, which
// colour-blind readers tell apart; two-class and regression maps go from
// orange through white to blue. Functions return [r, g, b] bytes.

export const CLASS_COLORS = ['#E69F00', '#0072B2', '#009E73', '#CC79A7', '#D55E00'];
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

/**
 * Fills RGBA pixels from network outputs. kind: 'binary' (p of class 1, or
 * tanh in [-1,1] when signed), 'multiclass' (K probabilities per pixel) or
 * 'regression' (value in about [-1, 1]). Lighter colours leave room for points.
 */
export function heatmapPixels(rgba, out, { kind, classes, signed, discretize }) {
  const n = rgba.length / 4;
  const k = kind === 'multiclass' ? classes : 1;
  for (let i = 0; i < n; i++) {
    let c;
    if (kind === 'multiclass') {
      let best = 0;
      for (let j = 1; j < k; j++) if (out[i * k + j] > out[i * k + best]) best = j;
      const conf = discretize ? 1 : (out[i * k + best] - 1 / k) / (1 - 1 / k);
      c = mix(WHITE, RGB[best], 0.75 * conf);
    } else {
      let v = signed || kind === 'regression' ? out[i] : 2 * out[i] - 1;
      if (discretize) v = v > 0 ? 1 : -1;
      // hundreds of neuron maps a frame: a table, not three arrays per pixel
      c = LUT[Math.round((Math.max(-1, Math.min(1, v)) + 1) * 0.5 * (LUT.length - 1))] ?? LUT[LUT.length >> 1];
    }
    rgba[4 * i] = c[0];
    rgba[4 * i + 1] = c[1];
    rgba[4 * i + 2] = c[2];
    rgba[4 * i + 3] = 255;
  }
}

// diverging(0.75 v) for v from -1 to 1 in 511 steps (NaN maps to white)
const LUT = Array.from({ length: 511 }, (_, i) => diverging(0.75 * ((2 * i) / 510 - 1)));
