// chart.js: curves against training steps on a canvas: the loss (train and
// test, linear or log scale) or the accuracy (in %), with numbered axes at
// round values, axis titles and a legend. Numbers are written in the page's
// language (format.js).
import { short } from './format.js';

/** About `n` round tick values (1, 2 or 5 times a power of ten) covering [lo, hi]. */
export function niceTicks(lo, hi, n = 4) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / n, mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw);
  const ticks = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** Log-scale ticks in [lo, hi] (both > 0): the powers of ten, with 2 and 5 between when there are few. */
export function logTicks(lo, hi) {
  const a = Math.floor(Math.log10(lo)), b = Math.ceil(Math.log10(hi));
  const pow = [];
  for (let e = a; e <= b; e++) pow.push(Number(`1e${e}`));
  const inRange = (v) => v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9);
  let ticks = pow.filter(inRange);
  if (ticks.length < 3) ticks = pow.flatMap((p) => [p, 2 * p, 5 * p]).filter(inRange);
  return ticks.length ? ticks : [lo, hi];
}

export class LossChart {
  constructor(canvas) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
  }

  /**
   * history: [{step, trainLoss, testLoss, trainAcc, testAcc}]; metric 'loss'
   * or 'accuracy'; labels {train, test, x, y}; lang for the numbers.
   */
  draw(history, { log = false, labels, metric = 'loss', lang = 'en' }) {
    const c = this.canvas, dpr = window.devicePixelRatio || 1;
    const W = Math.round((c.clientWidth || 300) * dpr), H = Math.round((c.clientHeight || 120) * dpr);
    if (c.width !== W || c.height !== H) { c.width = W; c.height = H; }
    const ctx = this.ctx;
    ctx.clearRect(0, 0, W, H);
    // type and lines follow the page's (style.css: --stroke; embed mode and the presenter preset)
    if (`${W}x${H}` !== this.sizedFor) {
      const css = getComputedStyle(c);
      this.em = Math.max(10, 0.75 * parseFloat(css.fontSize)) * dpr;
      this.stroke = (parseFloat(css.getPropertyValue('--stroke')) || 1) * dpr;
      this.sizedFor = `${W}x${H}`;
    }
    const em = this.em, stroke = this.stroke, px = em / 10;
    const acc = metric === 'accuracy';
    const keys = acc ? ['trainAcc', 'testAcc'] : ['trainLoss', 'testLoss'];
    const value = (h, k) => (acc ? 100 * h[k] : h[k]);
    const useLog = log && !acc;
    const pts = history.filter((h) => Number.isFinite(h[keys[0]]));
    if (pts.length === 0) return;
    const vals = pts.flatMap((h) => keys.map((k) => value(h, k))).filter((v) => Number.isFinite(v) && (!useLog || v > 0));
    if (!vals.length) return;
    let lo = Math.min(...vals), hi = Math.max(...vals);
    if (acc) { lo = Math.max(0, Math.floor(lo / 10) * 10); hi = 100; }
    else if (!useLog) { lo = Math.min(0, lo); }
    if (hi - lo < 1e-9) { hi = useLog ? hi * 10 : hi + 1; lo = useLog ? lo / 10 : lo; }
    const f = useLog ? (v) => Math.log10(Math.max(v, 1e-12)) : (v) => v;
    const flo = f(lo), fhi = f(hi);
    const s0 = pts[0].step, s1 = Math.max(pts[pts.length - 1].step, s0 + 1);
    const L = 46 * px, R = 8 * px, T = 8 * px, B = 28 * px;
    const X = (s) => L + ((s - s0) / (s1 - s0)) * (W - L - R);
    const Y = (v) => T + (1 - (f(v) - flo) / (fhi - flo)) * (H - T - B);
    ctx.font = `${em}px system-ui, sans-serif`;
    ctx.fillStyle = '#555';
    ctx.strokeStyle = '#e4e4e4';
    ctx.lineWidth = stroke;
    // y: round values, with grid lines
    ctx.textAlign = 'right';
    const yTicks = useLog ? logTicks(lo, hi) : niceTicks(lo, hi, 4);
    for (const v of yTicks) {
      const y = Y(v);
      ctx.beginPath(); ctx.moveTo(L, y); ctx.lineTo(W - R, y); ctx.stroke();
      ctx.fillText(short(lang, v, 3), L - 4 * px, y + 3 * px);
    }
    // x: round step counts
    ctx.textAlign = 'center';
    const xTicks = niceTicks(s0, s1, Math.max(2, Math.floor((W - L - R) / (70 * px)))).filter((s) => s >= s0 && s <= s1);
    for (const s of xTicks) {
      const x = X(s);
      ctx.beginPath(); ctx.moveTo(x, H - B); ctx.lineTo(x, H - B + 3 * px); ctx.stroke();
      // a label at the right edge is moved in, never cut (3,000 read as 3,00)
      const text = short(lang, s, 6);
      ctx.fillText(text, Math.min(x, W - ctx.measureText(text).width / 2 - px), H - B + 12 * px);
    }
    ctx.strokeStyle = '#999';
    ctx.beginPath(); ctx.moveTo(L, T); ctx.lineTo(L, H - B); ctx.lineTo(W - R, H - B); ctx.stroke();
    // axis titles
    ctx.fillStyle = '#333';
    ctx.fillText(labels.x ?? '', L + (W - L - R) / 2, H - 3 * px);
    ctx.save();
    ctx.translate(11 * px, T + (H - T - B) / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText(`${labels.y ?? ''}${useLog ? ' (log)' : ''}`, 0, 0);
    ctx.restore();
    const line = (key, color, dash) => {
      ctx.strokeStyle = color;
      ctx.lineWidth = 1.6 * stroke;
      ctx.setLineDash(dash.map((d) => d * stroke));
      ctx.beginPath();
      let started = false;
      for (const h of pts) {
        const v = value(h, key);
        if (!Number.isFinite(v) || (useLog && v <= 0)) continue;
        const x = X(h.step), y = Y(v);
        if (started) ctx.lineTo(x, y); else { ctx.moveTo(x, y); started = true; }
      }
      ctx.stroke();
      ctx.setLineDash([]);
    };
    line(keys[1], '#D55E00', [4, 3]);
    line(keys[0], '#333', []);
    // the legend where the curves are not: top right for a loss, bottom right for an accuracy
    ctx.textAlign = 'right';
    const ly = acc ? H - B - 20 * px : T + 10 * px;
    ctx.fillStyle = '#333';
    ctx.fillText(`— ${labels.train}`, W - R - 2 * px, ly);
    ctx.fillStyle = '#D55E00';
    ctx.fillText(`- - ${labels.test}`, W - R - 2 * px, ly + 12 * px);
  }
}
