// flowchart.js: one line per layer against training steps on a log scale
// (the gradient-flow panel, gradflow.js): a gradient norm or an update ratio
// spans decades between the first layer and the last. Ticks, type and line
// weights as chart.js's loss curves (its logTicks and niceTicks); each line
// ends in its layer's short name, the panel's legend names the colours.
import { logTicks, niceTicks } from './chart.js';
import { short } from './format.js';

// viridis from 0 to 0.8 (dark violet to green; yellow is too light on white)
const VIRIDIS = ['#440154', '#482475', '#414487', '#355f8d', '#2a788e', '#21918c', '#22a884', '#44bf70', '#7ad151'];

/** The colours of `hidden` hidden layers, first to last, then the output's (dark grey, drawn dashed). */
export function layerColors(hidden) {
  const pick = (i) => VIRIDIS[hidden < 2 ? 0 : Math.round((i * (VIRIDIS.length - 1)) / (hidden - 1))];
  return [...Array.from({ length: hidden }, (_, i) => pick(i)), '#222'];
}

export class FlowChart {
  constructor(canvas) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
  }

  /**
   * series: [{label (short, at the line's end), color, dash, points: [[step, value]]}];
   * values <= 0 or not finite are left out (a log scale); yLabel (short: written over the
   * axis's numbers), xLabel; lang for the numbers.
   */
  draw(series, { yLabel = '', xLabel = '', lang = 'en' }) {
    const c = this.canvas, dpr = window.devicePixelRatio || 1;
    const W = Math.round((c.clientWidth || 300) * dpr), H = Math.round((c.clientHeight || 120) * dpr);
    if (c.width !== W || c.height !== H) { c.width = W; c.height = H; }
    const ctx = this.ctx;
    ctx.clearRect(0, 0, W, H);
    const css = getComputedStyle(c);
    const em = Math.max(10, 0.75 * parseFloat(css.fontSize)) * dpr;
    const stroke = (parseFloat(css.getPropertyValue('--stroke')) || 1) * dpr, px = em / 10;
    const ok = ([, v]) => Number.isFinite(v) && v > 0;
    const lines = series.map((s) => ({ ...s, points: s.points.filter(ok) })).filter((s) => s.points.length);
    this.drawn = lines.length;
    if (!lines.length) return;
    const vals = lines.flatMap((s) => s.points.map((p) => p[1]));
    const steps = lines.flatMap((s) => s.points.map((p) => p[0]));
    let lo = Math.min(...vals), hi = Math.max(...vals);
    if (hi / lo < 10) { const mid = Math.sqrt(hi * lo); lo = mid / Math.sqrt(10); hi = mid * Math.sqrt(10); }
    const s0 = Math.min(...steps), s1 = Math.max(Math.max(...steps), s0 + 1);
    ctx.font = `${em}px system-ui, sans-serif`;
    // room on the right for the lines' names
    const L = 46 * px, R = 6 * px + Math.max(...lines.map((s) => ctx.measureText(s.label).width)), T = 20 * px, B = 28 * px;
    const X = (s) => L + ((s - s0) / (s1 - s0)) * (W - L - R);
    const Y = (v) => T + (1 - (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * (H - T - B);
    ctx.fillStyle = '#555';
    ctx.strokeStyle = '#e4e4e4';
    ctx.lineWidth = stroke;
    ctx.textAlign = 'right';
    for (const v of logTicks(lo, hi)) {
      const y = Y(v);
      ctx.beginPath(); ctx.moveTo(L, y); ctx.lineTo(W - R, y); ctx.stroke();
      ctx.fillText(short(lang, v, 2), L - 4 * px, y + 3 * px);
    }
    ctx.textAlign = 'center';
    for (const s of niceTicks(s0, s1, Math.max(2, Math.floor((W - L - R) / (70 * px)))).filter((v) => v >= s0 && v <= s1)) {
      const x = X(s);
      ctx.beginPath(); ctx.moveTo(x, H - B); ctx.lineTo(x, H - B + 3 * px); ctx.stroke();
      ctx.fillText(short(lang, s, 6), x, H - B + 12 * px);
    }
    ctx.strokeStyle = '#999';
    ctx.beginPath(); ctx.moveTo(L, T); ctx.lineTo(L, H - B); ctx.lineTo(W - R, H - B); ctx.stroke();
    ctx.fillStyle = '#333';
    ctx.fillText(xLabel, L + (W - L - R) / 2, H - 3 * px);
    // the y axis's name, short, over its numbers
    ctx.textAlign = 'left';
    ctx.fillText(yLabel, 2 * px, 11 * px);
    // the lines, then their names at their ends (moved down where they would overlap)
    const ends = [];
    for (const s of lines) {
      ctx.strokeStyle = s.color;
      ctx.lineWidth = 1.6 * stroke;
      ctx.setLineDash((s.dash ?? []).map((d) => d * stroke));
      ctx.beginPath();
      s.points.forEach(([step, v], i) => (i ? ctx.lineTo(X(step), Y(v)) : ctx.moveTo(X(step), Y(v))));
      // a single point is a dot
      if (s.points.length === 1) ctx.arc(X(s.points[0][0]), Y(s.points[0][1]), 1.5 * stroke, 0, 2 * Math.PI);
      ctx.stroke();
      ctx.setLineDash([]);
      const [step, v] = s.points[s.points.length - 1];
      ends.push({ y: Y(v), x: X(step), label: s.label, color: s.color });
    }
    ctx.textAlign = 'left';
    ends.sort((a, b) => a.y - b.y);
    const gap = em * 0.9;
    ends.forEach((e, i) => { e.y = Math.max(e.y, i ? ends[i - 1].y + gap : T); });
    // and back up from the bottom of the plot where they ran past it
    for (let i = ends.length - 1; i >= 0; i--) ends[i].y = Math.min(ends[i].y, i < ends.length - 1 ? ends[i + 1].y - gap : H - B);
    for (const e of ends) {
      ctx.fillStyle = e.color;
      ctx.fillText(e.label, e.x + 3 * px, e.y + 3 * px);
    }
  }
}
