// boundary.js: the main view, the decision boundary as a heatmap with the
// data points on top (or, for 1D regression, the predicted curve over the
// points), plus the mapping from a click to data coordinates.
import { classRgb, diverging } from './colors.js';

const LO = -6, HI = 6;

export class Boundary {
  constructor(canvas) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    this.off = document.createElement('canvas');
  }

  /** Data coordinates of a pointer event. */
  toData(event) {
    const r = this.canvas.getBoundingClientRect();
    const u = (event.clientX - r.left) / r.width, v = (event.clientY - r.top) / r.height;
    return { x1: LO + u * (HI - LO), x2: HI - v * (HI - LO) };
  }

  size() {
    const c = this.canvas, w = Math.round(c.clientWidth * (window.devicePixelRatio || 1));
    if (w > 0 && c.width !== w) { c.width = w; c.height = w; }
    if (w > 0 && this.sizedFor !== w) {
      // lines and points follow the page (style.css --stroke: the presenter preset doubles it)
      this.stroke = parseFloat(getComputedStyle(c).getPropertyValue('--stroke')) || 1;
      this.sizedFor = w;
    }
    return c.width;
  }

  /**
   * Numbered axes inside the picture's edges: x₁ along the bottom, x₂ along
   * the left, every 2 units from −4 to 4 (the view spans −6 to 6); numbers
   * written by `fmt` (the page's language).
   */
  ticks(fmt = String) {
    const s = this.size(), ctx = this.ctx, k = s / 400, stroke = this.stroke ?? 1;
    ctx.save();
    ctx.font = `${Math.round(11 * k * Math.sqrt(stroke))}px system-ui, sans-serif`;
    ctx.lineWidth = k * stroke;
    ctx.strokeStyle = 'rgba(0,0,0,0.45)';
    ctx.fillStyle = 'rgba(0,0,0,0.6)';
    for (const v of [-4, -2, 0, 2, 4]) {
      const [px] = this.toPixel(v, 0, s), [, py] = this.toPixel(0, v, s);
      ctx.beginPath();
      ctx.moveTo(px, s); ctx.lineTo(px, s - 6 * k);
      ctx.moveTo(0, py); ctx.lineTo(6 * k, py);
      ctx.stroke();
      ctx.textAlign = 'center';
      ctx.fillText(fmt(v), px, s - 9 * k);
      ctx.textAlign = 'left';
      ctx.fillText(fmt(v), 9 * k, py + 4 * k);
    }
    ctx.font = `italic ${Math.round(13 * k * Math.sqrt(stroke))}px system-ui, sans-serif`;
    ctx.textAlign = 'right';
    ctx.fillText('x₁', s - 6 * k, s - 9 * k);
    ctx.textAlign = 'left';
    ctx.fillText('x₂', 9 * k, 16 * k);
    ctx.restore();
  }

  /**
   * A 2D heatmap: `pixels` holds res*res RGBA pixels (the engine's colorize,
   * viewed in wasm memory), drawn scaled to the view, smoothed unless `discretize`.
   */
  drawHeatmap(pixels, res, { discretize }) {
    const off = this.off;
    if (off.width !== res) { off.width = res; off.height = res; }
    off.getContext('2d').putImageData(new ImageData(pixels, res, res), 0, 0);
    const s = this.size(), ctx = this.ctx;
    ctx.imageSmoothingEnabled = !discretize;
    ctx.drawImage(off, 0, 0, s, s);
  }

  /** A 1D regression: the prediction as a curve over x1. */
  drawCurve(xs, ys) {
    const s = this.size(), ctx = this.ctx;
    ctx.fillStyle = '#fafafa';
    ctx.fillRect(0, 0, s, s);
    this.axes(s);
    ctx.strokeStyle = '#0072B2';
    ctx.lineWidth = 2.5 * (s / 400);
    ctx.beginPath();
    xs.forEach((x, i) => {
      const [px, py] = this.toPixel(x, ys[i] * 3, s);
      if (i) ctx.lineTo(px, py); else ctx.moveTo(px, py);
    });
    ctx.stroke();
  }

  /** Covers the view with a white veil and a centred message. */
  veil(text) {
    const s = this.size(), ctx = this.ctx;
    ctx.fillStyle = 'rgba(255,255,255,0.82)';
    ctx.fillRect(0, 0, s, s);
    ctx.fillStyle = '#b00020';
    ctx.textAlign = 'center';
    ctx.font = `600 ${Math.round(s / 24)}px system-ui, sans-serif`;
    const words = text.split(' '), lines = [];
    for (const w of words) {
      const last = lines[lines.length - 1];
      if (last && ctx.measureText(`${last} ${w}`).width < s * 0.85) lines[lines.length - 1] = `${last} ${w}`;
      else lines.push(w);
    }
    lines.forEach((l, i) => ctx.fillText(l, s / 2, s / 2 + (i - (lines.length - 1) / 2) * s / 18));
  }

  axes(s) {
    const ctx = this.ctx;
    ctx.strokeStyle = '#ccc';
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(0, s / 2); ctx.lineTo(s, s / 2);
    ctx.moveTo(s / 2, 0); ctx.lineTo(s / 2, s);
    ctx.stroke();
  }

  toPixel(x1, x2, s) {
    return [((x1 - LO) / (HI - LO)) * s, ((HI - x2) / (HI - LO)) * s];
  }

  /**
   * Draws points: x (n*dims), labels or y; test points hollow, dev points
   * hollow diamonds (a shape, not only a colour, tells them apart). For 1D sets
   * the y value is drawn on the vertical axis (scaled by 3 to fill the view).
   * The points change far less often than the heatmap under them (2,000
   * antialiased circles cost more than the rest of a frame): they are drawn
   * once into a layer of their own, kept while the same arrays are drawn at
   * the same size, and each frame is one copy of that layer.
   */
  drawPoints(set, dims, { test = false, dev = false, kind }) {
    const s = this.size();
    const key = [set.x, set.labels, set.y, dims, test, kind, s, this.stroke];
    this.layers ??= new Map();
    const id = dev ? 'dev' : test ? 'test' : 'train';
    test ||= dev;
    let layer = this.layers.get(id);
    if (!layer || layer.key.some((v, i) => v !== key[i])) {
      layer ??= { canvas: document.createElement('canvas') };
      layer.key = key;
      Object.assign(layer.canvas, { width: s, height: s });
      this.paintPoints(layer.canvas.getContext('2d'), set, dims, test, kind, s, dev);
      this.layers.set(id, layer);
    }
    this.ctx.drawImage(layer.canvas, 0, 0);
  }

  paintPoints(ctx, set, dims, test, kind, s, diamond = false) {
    const n = set.x.length / dims;
    const stroke = this.stroke ?? 1;
    const r = Math.max(2.5, s / 130) * Math.sqrt(stroke);
    ctx.lineWidth = Math.max(1, s / 400) * stroke;
    for (let i = 0; i < n; i++) {
      const x1 = set.x[i * dims];
      const x2 = dims === 1 ? set.y[i] * 3 : set.x[i * dims + 1];
      const [px, py] = this.toPixel(x1, x2, s);
      const rgb = set.labels ? classRgb(set.labels[i]) : dims === 1 ? [0, 114, 178] : diverging(set.y[i]);
      const col = `rgb(${rgb.join(',')})`;
      ctx.beginPath();
      if (diamond) {
        const d = 1.35 * r;
        ctx.moveTo(px, py - d); ctx.lineTo(px + d, py); ctx.lineTo(px, py + d); ctx.lineTo(px - d, py); ctx.closePath();
      } else ctx.arc(px, py, r, 0, 2 * Math.PI);
      if (test) {
        ctx.fillStyle = 'rgba(255,255,255,0.9)';
        ctx.fill();
        ctx.strokeStyle = col;
      } else {
        ctx.fillStyle = col;
        ctx.fill();
        ctx.strokeStyle = kind === 'regression' && dims === 2 ? '#333' : '#fff';
      }
      ctx.stroke();
    }
  }
}
