// drawing.js: the Optimisers view's pictures. The filled contour map of a
// surface (values from the engine on a grid as large as the canvas,
// banded on a log or linear scale, coloured by the engine's colorize, with
// a line where the band changes), its legend and axes; each optimiser's
// path, current point and divergence; the draggable start point; in step
// mode the gradient step and the step taken. The pure parts (scales,
// transforms) are exported for tests.
import { niceTicks } from '../shared/chart.js';
import { short } from '../shared/format.js';
import { FLOOR } from './presets.js';

// the bands' colours, low values lightest (where the paths end and need contrast) to a warm grey
const STOPS = [[255, 255, 255], [241, 237, 228], [221, 213, 198], [191, 180, 161]];

/** The colour at t in [0, 1] of the map's ramp, as [r, g, b]. */
export function ramp(t) {
  const x = Math.min(1, Math.max(0, t)) * (STOPS.length - 1), i = Math.min(STOPS.length - 2, Math.floor(x)), f = x - i;
  return STOPS[i].map((c, k) => Math.round(c + (STOPS[i + 1][k] - c) * f));
}

/**
 * The bands of values in [lo, hi]: on a log scale two per decade over at most
 * 8 decades below the top (lower values share the first band); on a linear
 * one at round values. Returns {edges (ascending, band b is [edges[b],
 * edges[b + 1])), ticks (the legend's labels), band(v) -> index}.
 */
export function levels(lo, hi, scale) {
  if (scale === 'log') {
    const top = Math.ceil(Math.log10(Math.max(hi, FLOOR * 10)));
    const bottom = Math.max(top - 8, Math.floor(Math.log10(Math.max(lo, FLOOR))));
    const edges = [];
    // 1e-4, not 10 ** -4 = 0.00009999999999999999
    for (let e = bottom; e <= top; e += 0.5) edges.push(Number((10 ** e).toPrecision(12)));
    const ticks = edges.filter((_, i) => i % 2 === 0 && (edges.length < 12 || i % 4 === 0));
    const n = edges.length - 1;
    return { edges, ticks, band: (v) => Math.min(n - 1, Math.max(0, Math.floor(2 * (Math.log10(Math.max(v, FLOOR)) - bottom)))) };
  }
  const ticks = niceTicks(lo, hi, 10);
  const step = ticks.length > 1 ? ticks[1] - ticks[0] : 1;
  const edges = ticks[0] > lo ? [ticks[0] - step, ...ticks] : ticks.slice();
  if (edges.at(-1) < hi) edges.push(edges.at(-1) + step);
  const n = edges.length - 1;
  return { edges, ticks: edges, band: (v) => Math.min(n - 1, Math.max(0, Math.floor((v - edges[0]) / step))) };
}

/** World (x, y) in box [x0, x1, y0, y1] to canvas pixels of a W x H canvas, y upwards, and back. */
export function transform(box, W, H) {
  const [x0, x1, y0, y1] = box;
  return {
    X: (x) => ((x - x0) / (x1 - x0)) * W,
    Y: (y) => (1 - (y - y0) / (y1 - y0)) * H,
    toWorld: (px, py) => [x0 + (px / W) * (x1 - x0), y1 - (py / H) * (y1 - y0)],
  };
}

// a canvas coordinate kept where a canvas still draws it
const clampPx = (v) => Math.max(-1e4, Math.min(1e4, v));

export class SurfaceMap {
  /** canvas: the map; legend: a canvas for the colour key; fmt: {lang, t}. */
  constructor(canvas, legend) {
    this.canvas = canvas;
    this.legend = legend;
    this.ctx = canvas.getContext('2d');
  }

  /** Sizes the canvas to its box and computes the contour image when the surface or the size changed. */
  prepare(nn, surface, view) {
    const c = this.canvas, dpr = window.devicePixelRatio || 1;
    const W = Math.max(50, Math.round(c.clientWidth * dpr)), H = Math.max(50, Math.round(c.clientHeight * dpr));
    if (c.width !== W || c.height !== H) { c.width = W; c.height = H; }
    const key = `${surface}/${W}x${H}`;
    if (key === this.key) return;
    this.key = key;
    this.view = view;
    this.tf = transform(view.box, W, H);
    // the grid: one point per pixel up to 600 a side, drawn scaled
    const gw = Math.min(W, 600), gh = Math.max(2, Math.round((gw * H) / W));
    const xy = new Float32Array(2 * gw * gh), g = transform(view.box, gw, gh);
    for (let j = 0; j < gh; j++) {
      for (let i = 0; i < gw; i++) {
        const [x, y] = g.toWorld(i + 0.5, j + 0.5);
        xy[2 * (j * gw + i)] = x;
        xy[2 * (j * gw + i) + 1] = y;
      }
    }
    const values = nn.surface(surface, xy, { gradient: false }).value;
    let lo = Infinity, hi = -Infinity;
    for (const v of values) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    this.levels = levels(lo, hi, view.scale);
    const n = this.levels.edges.length - 1;
    const bands = new Uint8Array(values.length), unit = new Float32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      bands[i] = this.levels.band(values[i]);
      unit[i] = n > 1 ? (2 * bands[i]) / (n - 1) - 1 : 0;
    }
    this.palette = Uint8Array.from(Array.from({ length: n }, (_, b) => [...ramp(n > 1 ? b / (n - 1) : 0), 255]).flat());
    const rgba = new Uint8ClampedArray(nn.colorize(unit, { mode: 'signed', palette: this.palette }));
    // a darker line where the band changes to the right or below
    for (let j = 0; j < gh; j++) {
      for (let i = 0; i < gw; i++) {
        const k = j * gw + i;
        if ((i + 1 < gw && bands[k + 1] !== bands[k]) || (j + 1 < gh && bands[k + gw] !== bands[k])) {
          for (let ch = 0; ch < 3; ch++) rgba[4 * k + ch] = Math.round(rgba[4 * k + ch] * 0.78);
        }
      }
    }
    this.image = document.createElement('canvas');
    this.image.width = gw;
    this.image.height = gh;
    this.image.getContext('2d').putImageData(new ImageData(rgba, gw, gh), 0, 0);
    this.legendKey = null;
  }

  /** Canvas pixels (CSS) of an event to world coordinates. */
  eventToWorld(e) {
    const r = this.canvas.getBoundingClientRect();
    return transform(this.view.box, r.width, r.height).toWorld(e.clientX - r.left, e.clientY - r.top);
  }

  /** Distance in CSS pixels from an event to the world point p. */
  distance(e, p) {
    const r = this.canvas.getBoundingClientRect(), tf = transform(this.view.box, r.width, r.height);
    return Math.hypot(e.clientX - r.left - tf.X(p[0]), e.clientY - r.top - tf.Y(p[1]));
  }

  /** The map, the paths of `race`, the start point; step mode: the last step's arrows. */
  draw(race, { start, mode, focused, lang, t }) {
    const c = this.canvas, ctx = this.ctx, { X, Y } = this.tf, W = c.width, H = c.height;
    const css = getComputedStyle(c), px = (window.devicePixelRatio || 1) * Math.max(1, parseFloat(css.fontSize) / 14);
    const stroke = parseFloat(css.getPropertyValue('--stroke')) || 1;
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(this.image, 0, 0, W, H);
    this.axes(ctx, px, lang);
    for (const [x, y] of this.view.minima ?? []) this.mark(ctx, X(x), Y(y), 5 * px, 'cross');
    for (const [x, y] of this.view.saddles ?? []) this.mark(ctx, X(x), Y(y), 5 * px, 'diamond');
    // the paths, then every current point over them (a path never hides another run's point)
    const shown = race.runs.filter((r) => r.count || mode !== 'one' || r === race.current);
    for (const r of shown) this.path(ctx, r, px * stroke);
    if (mode === 'step') for (const r of shown) this.arrows(ctx, r, px * stroke);
    for (const r of shown) this.point(ctx, r, px * stroke);
    // the start point: a white disc to drag
    const sx = X(start[0]), sy = Y(start[1]);
    ctx.beginPath();
    ctx.arc(sx, sy, 7 * px, 0, 2 * Math.PI);
    ctx.fillStyle = '#fff';
    ctx.fill();
    ctx.lineWidth = (focused ? 3 : 2) * px;
    ctx.strokeStyle = focused ? '#0b57d0' : '#222';
    ctx.stroke();
    ctx.font = `${11 * px}px system-ui, sans-serif`;
    ctx.fillStyle = '#222';
    ctx.textAlign = sx > W - 60 * px ? 'right' : 'left';
    ctx.fillText(t('oStart'), sx + (sx > W - 60 * px ? -10 : 10) * px, sy - 9 * px);
  }

  axes(ctx, px, lang) {
    const { X, Y } = this.tf, [x0, x1, y0, y1] = this.view.box, W = this.canvas.width, H = this.canvas.height;
    ctx.font = `${10 * px}px system-ui, sans-serif`;
    ctx.fillStyle = '#555';
    ctx.textAlign = 'center';
    for (const v of niceTicks(x0, x1, Math.max(3, Math.round(W / (90 * px))))) {
      if (X(v) < 14 * px || X(v) > W - 14 * px) continue;
      ctx.fillText(short(lang, v), X(v), H - 4 * px);
    }
    ctx.textAlign = 'left';
    for (const v of niceTicks(y0, y1, Math.max(3, Math.round(H / (70 * px))))) {
      if (Y(v) < 10 * px || Y(v) > H - 18 * px) continue;
      ctx.fillText(short(lang, v), 4 * px, Y(v) + 3 * px);
    }
  }

  mark(ctx, x, y, r, kind) {
    ctx.lineWidth = r * 0.9;
    ctx.strokeStyle = '#fff';
    for (const [color, w] of [['#fff', r * 0.9], ['#222', r * 0.35]]) {
      ctx.strokeStyle = color;
      ctx.lineWidth = w;
      ctx.beginPath();
      if (kind === 'cross') { ctx.moveTo(x - r, y - r); ctx.lineTo(x + r, y + r); ctx.moveTo(x + r, y - r); ctx.lineTo(x - r, y + r); }
      else { ctx.moveTo(x, y - r); ctx.lineTo(x + r, y); ctx.lineTo(x, y + r); ctx.lineTo(x - r, y); ctx.closePath(); }
      ctx.stroke();
    }
  }

  /** A run's path with a white halo. */
  path(ctx, r, w) {
    const { X, Y } = this.tf, p = r.path;
    ctx.lineJoin = 'round';
    for (const [color, width] of [['rgba(255,255,255,0.85)', 4.5 * w], [r.spec.color, 2 * w]]) {
      ctx.strokeStyle = color;
      ctx.lineWidth = width;
      ctx.beginPath();
      ctx.moveTo(clampPx(X(p[0])), clampPx(Y(p[1])));
      for (let k = 1; k <= r.count; k++) ctx.lineTo(clampPx(X(p[2 * k])), clampPx(Y(p[2 * k + 1])));
      ctx.stroke();
    }
  }

  /** A run's current point, and a cross where it diverged. */
  point(ctx, r, w) {
    const { X, Y } = this.tf, p = r.path;
    const cx = clampPx(X(p[2 * r.count])), cy = clampPx(Y(p[2 * r.count + 1]));
    ctx.fillStyle = r.spec.color;
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = 1.5 * w;
    ctx.beginPath();
    ctx.arc(cx, cy, (r.diverged ? 3 : 4.5) * w, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
    if (r.diverged) {
      ctx.strokeStyle = r.spec.color;
      ctx.lineWidth = 2.5 * w;
      const d = 8 * w;
      ctx.beginPath();
      ctx.moveTo(cx - d, cy - d); ctx.lineTo(cx + d, cy + d); ctx.moveTo(cx + d, cy - d); ctx.lineTo(cx - d, cy + d);
      ctx.stroke();
    }
  }

  /** Step mode: from the previous point, the plain gradient step -ε∇f (dashed) and the step taken (solid). */
  arrows(ctx, r, w) {
    if (!r.count) return;
    const { X, Y } = this.tf, k = r.count, p = r.path, [x0, x1] = this.view.box;
    const ax = p[2 * k - 2], ay = p[2 * k - 1];
    const sx = p[2 * k] - ax, sy = p[2 * k + 1] - ay;
    let gx = -r.lr * r.grads[2 * k], gy = -r.lr * r.grads[2 * k + 1];
    // a long gradient step is drawn at most a third of the box wide; two short ones enlarged alike to 40 pixels
    const len = Math.hypot(gx, gy), most = (x1 - x0) / 3;
    if (len > most) { gx *= most / len; gy *= most / len; }
    const longest = Math.max(Math.hypot(X(ax + gx) - X(ax), Y(ay + gy) - Y(ay)), Math.hypot(X(ax + sx) - X(ax), Y(ay + sy) - Y(ay)));
    const zoom = longest > 0 ? Math.min(1e4, Math.max(1, (40 * w) / longest)) : 1;
    this.arrow(ctx, X(ax), Y(ay), X(ax + zoom * gx), Y(ay + zoom * gy), r.spec.color, w, [5 * w, 4 * w]);
    this.arrow(ctx, X(ax), Y(ay), X(ax + zoom * sx), Y(ay + zoom * sy), r.spec.color, w, []);
  }

  arrow(ctx, ax, ay, bx, by, color, w, dash) {
    [ax, ay, bx, by] = [ax, ay, bx, by].map(clampPx);
    const a = Math.atan2(by - ay, bx - ax), h = 8 * w;
    ctx.strokeStyle = color;
    ctx.lineWidth = 1.8 * w;
    ctx.setLineDash(dash);
    ctx.beginPath();
    ctx.moveTo(ax, ay);
    ctx.lineTo(bx, by);
    ctx.stroke();
    ctx.setLineDash([]);
    if (Math.hypot(bx - ax, by - ay) < 2 * w) return;
    ctx.beginPath();
    ctx.moveTo(bx, by);
    ctx.lineTo(bx - h * Math.cos(a - 0.4), by - h * Math.sin(a - 0.4));
    ctx.moveTo(bx, by);
    ctx.lineTo(bx - h * Math.cos(a + 0.4), by - h * Math.sin(a + 0.4));
    ctx.stroke();
  }

  /** The colour key: the bands with their values, and what they are. */
  drawLegend(lang, title) {
    const c = this.legend, dpr = window.devicePixelRatio || 1;
    const W = Math.max(50, Math.round(c.clientWidth * dpr)), H = Math.max(20, Math.round(c.clientHeight * dpr));
    const key = `${this.key}/${W}x${H}/${lang}/${title}`;
    if (key === this.legendKey) return;
    this.legendKey = key;
    if (c.width !== W || c.height !== H) { c.width = W; c.height = H; }
    const ctx = c.getContext('2d'), px = dpr * Math.max(1, parseFloat(getComputedStyle(c).fontSize) / 14);
    const { edges, ticks } = this.levels, n = edges.length - 1;
    ctx.clearRect(0, 0, W, H);
    ctx.font = `${11 * px}px system-ui, sans-serif`;
    ctx.fillStyle = '#333';
    ctx.textAlign = 'left';
    ctx.fillText(title, 0, 11 * px);
    const L = 0, R = W - 10 * px, top = 15 * px, bh = 9 * px;
    const xOf = (i) => L + (i / n) * (R - L);
    for (let b = 0; b < n; b++) {
      ctx.fillStyle = `rgb(${this.palette.slice(4 * b, 4 * b + 3).join(',')})`;
      ctx.fillRect(xOf(b), top, xOf(b + 1) - xOf(b) + 0.5, bh);
    }
    ctx.strokeStyle = '#999';
    ctx.lineWidth = px;
    ctx.strokeRect(L, top, R - L, bh);
    ctx.fillStyle = '#555';
    ctx.textAlign = 'center';
    for (const v of ticks) {
      const label = short(lang, v, 2), half = ctx.measureText(label).width / 2;
      ctx.fillText(label, Math.min(Math.max(xOf(edges.indexOf(v)), half), W - half), top + bh + 11 * px);
    }
  }
}
