// draw.js: the autoencoder view's pictures. Digits (784 values in [0, 1],
// ink dark) drawn at their own 28 x 28 pixels in rows on one canvas, CSS
// scaling them up (so a test reads the exact bytes back); the code plane's
// scatter of the test digits, one colour per class, with the chosen point
// marked; and the plane's colour key. Canvas only: no engine.
import { PIXELS, SIDE } from '../mnist.js';
import { DIGIT_COLORS } from '../shared/colors.js';
import { el } from '../shared/dom.js';

/** Grey level of a pixel value (0 white, 1 black). */
export const grey = (v) => Math.round(255 * (1 - Math.min(1, Math.max(0, v))));

/**
 * Draws n digits (flat n x 784) on `canvas` in rows of `cols`, `gap` white
 * pixels between them; the canvas is sized to fit. Non-finite values are
 * drawn as a red pixel.
 */
export function drawDigits(canvas, images, n, cols = n, gap = 0) {
  const rows = Math.max(1, Math.ceil(n / cols)), step = SIDE + gap;
  const w = cols * step - gap, h = rows * step - gap;
  if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
  const ctx = canvas.getContext('2d'), img = ctx.createImageData(w, h);
  img.data.fill(255);
  for (let i = 0; i < n; i++) {
    const ox = (i % cols) * step, oy = Math.floor(i / cols) * step;
    for (let p = 0; p < PIXELS; p++) {
      const v = images[i * PIXELS + p], o = 4 * ((oy + Math.floor(p / SIDE)) * w + ox + (p % SIDE));
      if (Number.isFinite(v)) { const g = grey(v); img.data[o] = g; img.data[o + 1] = g; img.data[o + 2] = g; } else img.data[o + 1] = img.data[o + 2] = 0;
    }
  }
  ctx.putImageData(img, 0, 0);
}

/** The canvas's drawing size at the device's pixel ratio, its backing store resized to match: {w, h, dpr}. */
function fit(canvas) {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.round((canvas.clientWidth || 320) * dpr), h = Math.round((canvas.clientHeight || 320) * dpr);
  if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
  return { w, h, dpr };
}

/**
 * The scatter of the plane: `px` (n x 2, flat) the points' canvas positions
 * in CSS pixels, `labels` their classes; mark: [x, y] (CSS pixels) of the
 * chosen point or null; ends: the two interpolated digits' positions.
 */
export function drawScatter(canvas, px, labels, n, { mark = null, ends = [] } = {}) {
  const { w, h, dpr } = fit(canvas), ctx = canvas.getContext('2d');
  ctx.clearRect(0, 0, w, h);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, h);
  const r = Math.max(1, Math.round(1.5 * dpr));
  // one colour at a time: 10 fillStyle changes for 10,000 points
  for (let k = 0; k < DIGIT_COLORS.length; k++) {
    ctx.fillStyle = DIGIT_COLORS[k];
    for (let i = 0; i < n; i++) {
      if (labels[i] !== k) continue;
      const x = px[2 * i] * dpr, y = px[2 * i + 1] * dpr;
      if (x >= -r && y >= -r && x <= w + r && y <= h + r) ctx.fillRect(x - r / 2, y - r / 2, r, r);
    }
  }
  ctx.lineWidth = 2 * dpr;
  for (const [x, y] of ends) {
    ctx.strokeStyle = '#000';
    ctx.strokeRect(x * dpr - 4 * dpr, y * dpr - 4 * dpr, 8 * dpr, 8 * dpr);
  }
  if (ends.length === 2) {
    ctx.setLineDash([4 * dpr, 3 * dpr]);
    ctx.beginPath();
    ctx.moveTo(ends[0][0] * dpr, ends[0][1] * dpr);
    ctx.lineTo(ends[1][0] * dpr, ends[1][1] * dpr);
    ctx.stroke();
    ctx.setLineDash([]);
  }
  if (mark) {
    const [x, y] = mark;
    ctx.strokeStyle = '#000';
    ctx.beginPath();
    ctx.arc(x * dpr, y * dpr, 6 * dpr, 0, 2 * Math.PI);
    ctx.moveTo(x * dpr - 10 * dpr, y * dpr);
    ctx.lineTo(x * dpr + 10 * dpr, y * dpr);
    ctx.moveTo(x * dpr, y * dpr - 10 * dpr);
    ctx.lineTo(x * dpr, y * dpr + 10 * dpr);
    ctx.stroke();
  }
}

/** The plane's key: a swatch and the digit for each class. */
export function digitLegend(t) {
  return el('div', { className: 'key-classes ae-legend' }, ...DIGIT_COLORS.map((c, k) => el('span', {},
    el('span', { className: 'key-swatch', style: `background: ${c}` }), t('aeDigitN', { k }))));
}
