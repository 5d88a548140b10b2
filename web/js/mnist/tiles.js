// tiles.js: first-layer weights as an image of 28 x 28 tiles, one per
// neuron, in diverging colours on a symmetric scale (±m, m the 99.5th
// percentile of |w|, so a few large weights do not wash every tile out).
// Pure (no DOM): the MNIST view draws it, and nnplay-train --weights-png
// writes it, so the page and the CLI give the same pixels.
import { diverging } from '../shared/colors.js';

let LUT = null;
/** The diverging colours for 256 steps of [-1, 1], computed once. */
function colourTable() {
  if (!LUT) {
    LUT = new Uint8Array(256 * 3);
    for (let i = 0; i < 256; i++) LUT.set(diverging(i / 127.5 - 1), 3 * i);
  }
  return LUT;
}

/**
 * The tiles of W ((units, side * side) row-major), `cols` to a row with one
 * white pixel between them: { width, height, rgba, cols, scale } where
 * scale is m (the legend's ±m).
 */
export function weightTiles(W, units, { side = 28, cols = 12 } = {}) {
  const pixels = side * side;
  if (!(units >= 1) || W.length < units * pixels) throw new Error(`weightTiles: ${W.length} weights are not ${units} tiles of ${side} x ${side}`);
  cols = Math.min(cols, units);
  const rows = Math.ceil(units / cols), size = side + 1;
  const width = cols * size, height = rows * size;
  // the scale, estimated from an even sample of at most 8,192 weights
  const count = units * pixels, stride = Math.max(1, Math.floor(count / 8192));
  const abs = Float32Array.from({ length: Math.floor(count / stride) }, (_, i) => Math.abs(W[i * stride])).sort();
  const m = Math.max(1e-9, abs[Math.floor(0.995 * (abs.length - 1))]);
  const rgba = new Uint8ClampedArray(4 * width * height).fill(255);
  const lut = colourTable();
  for (let u = 0; u < units; u++) {
    const ox = (u % cols) * size, oy = Math.floor(u / cols) * size;
    for (let p = 0; p < pixels; p++) {
      const v = Math.max(-1, Math.min(1, W[u * pixels + p] / m));
      const k = 3 * Math.round((v + 1) * 127.5);
      const o = 4 * ((oy + Math.floor(p / side)) * width + ox + (p % side));
      rgba[o] = lut[k]; rgba[o + 1] = lut[k + 1]; rgba[o + 2] = lut[k + 2];
    }
  }
  return { width, height, rgba, cols, scale: m };
}

/** rgba (width x height) scaled up `by` times, each pixel a by x by block (pixel art stays sharp). */
export function upscale({ width, height, rgba }, by = 2) {
  const W2 = width * by, out = new Uint8ClampedArray(4 * W2 * height * by);
  for (let y = 0; y < height * by; y++) {
    for (let x = 0; x < W2; x++) {
      const s = 4 * (Math.floor(y / by) * width + Math.floor(x / by)), d = 4 * (y * W2 + x);
      out[d] = rgba[s]; out[d + 1] = rgba[s + 1]; out[d + 2] = rgba[s + 2]; out[d + 3] = rgba[s + 3];
    }
  }
  return { width: W2, height: height * by, rgba: out };
}
