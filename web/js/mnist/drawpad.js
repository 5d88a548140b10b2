// drawpad.js: a canvas where the user draws a digit, and its conversion to
// an MNIST-like input: the ink's bounding box is scaled to fit 20 x 20
// (keeping the aspect ratio) and centred by its centre of mass in 28 x 28,
// as the MNIST digits were prepared. Pixels come out in [0, 1].
import { SIDE, PIXELS } from '../mnist.js';

export class DrawPad {
  constructor(canvas, onChange) {
    this.canvas = canvas;
    this.onChange = onChange;
    canvas.width = 280;
    canvas.height = 280;
    this.ctx = canvas.getContext('2d', { willReadFrequently: true });
    this.clear();
    let down = false, last = null;
    const pos = (e) => {
      const r = canvas.getBoundingClientRect();
      return [((e.clientX - r.left) / r.width) * canvas.width, ((e.clientY - r.top) / r.height) * canvas.height];
    };
    canvas.addEventListener('pointerdown', (e) => { down = true; last = pos(e); canvas.setPointerCapture(e.pointerId); this.stroke(last, last); });
    canvas.addEventListener('pointermove', (e) => { if (!down) return; const p = pos(e); this.stroke(last, p); last = p; });
    canvas.addEventListener('pointerup', () => { down = false; });
  }

  stroke(a, b) {
    const ctx = this.ctx;
    ctx.strokeStyle = '#000';
    ctx.lineWidth = 22;
    ctx.lineCap = 'round';
    ctx.beginPath();
    ctx.moveTo(a[0], a[1]);
    ctx.lineTo(b[0], b[1]);
    ctx.stroke();
    this.onChange?.(this.digit());
  }

  clear() {
    this.ctx.fillStyle = '#fff';
    this.ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    this.onChange?.(null);
  }

  /** The drawing as 784 floats in [0, 1], or null when empty. */
  digit() {
    const { width: W, height: H } = this.canvas;
    const src = this.ctx.getImageData(0, 0, W, H).data;
    const ink = new Float32Array(W * H);
    let x0 = W, y0 = H, x1 = -1, y1 = -1;
    for (let i = 0; i < W * H; i++) {
      const v = 1 - src[4 * i] / 255;
      ink[i] = v;
      if (v > 0.05) {
        const x = i % W, y = Math.floor(i / W);
        x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
      }
    }
    if (x1 < 0) return null;
    return normalise(ink, W, x0, y0, x1 - x0 + 1, y1 - y0 + 1);
  }
}

/** Box (x0, y0, w, h) of an ink image (width W) to a centred 28 x 28 digit. */
export function normalise(ink, W, x0, y0, w, h) {
  const scale = 20 / Math.max(w, h);
  const out = new Float32Array(PIXELS);
  // area-average the box into a 20 x 20 (at most) patch, then place it by its centre of mass
  const pw = Math.max(1, Math.round(w * scale)), ph = Math.max(1, Math.round(h * scale));
  const patch = new Float32Array(pw * ph);
  for (let y = 0; y < ph; y++) {
    for (let x = 0; x < pw; x++) {
      let s = 0, c = 0;
      const sx0 = Math.floor(x0 + x / scale), sx1 = Math.max(sx0 + 1, Math.floor(x0 + (x + 1) / scale));
      const sy0 = Math.floor(y0 + y / scale), sy1 = Math.max(sy0 + 1, Math.floor(y0 + (y + 1) / scale));
      for (let yy = sy0; yy < sy1; yy++) for (let xx = sx0; xx < sx1; xx++) { s += ink[yy * W + xx] ?? 0; c++; }
      patch[y * pw + x] = c ? s / c : 0;
    }
  }
  let mass = 0, cx = 0, cy = 0;
  for (let y = 0; y < ph; y++) for (let x = 0; x < pw; x++) { const v = patch[y * pw + x]; mass += v; cx += v * x; cy += v * y; }
  const ox = Math.round(SIDE / 2 - (mass ? cx / mass : pw / 2)), oy = Math.round(SIDE / 2 - (mass ? cy / mass : ph / 2));
  for (let y = 0; y < ph; y++) {
    for (let x = 0; x < pw; x++) {
      const tx = x + ox, ty = y + oy;
      if (tx >= 0 && tx < SIDE && ty >= 0 && ty < SIDE) out[ty * SIDE + tx] = Math.min(1, patch[y * pw + x]);
    }
  }
  return out;
}
