// chart.js: curves against training steps on a canvas: the loss (train,
// test and, with a dev set, dev; linear or log scale) or the accuracy (in
// %), with numbered axes at round values, axis titles, a legend and the
// best-dev point marked. Each curve has its own colour and its own dash, so
// it reads without colour. Numbers are written in the page's language (format.js).
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

/** Log-scale ticks in [lo, hi] (both > 0): the powers of ten, with 2 and 5 between when there are few, fewer when there are many. */
export function logTicks(lo, hi) {
  const a = Math.floor(Math.log10(lo)), b = Math.ceil(Math.log10(hi));
  const pow = [];
  for (let e = a; e <= b; e++) pow.push(Number(`1e${e}`));
  const inRange = (v) => v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9);
  let ticks = pow.filter(inRange);
  if (ticks.length < 3) ticks = pow.flatMap((p) => [p, 2 * p, 5 * p]).filter(inRange);
  // over many decades, every other power (or every third...), so labels stay apart
  const every = Math.ceil(ticks.length / 7);
  if (every > 1) ticks = ticks.filter((v) => Math.round(Math.log10(v)) % every === 0);
  return ticks.length ? ticks : [lo, hi];
}

export class LossChart {
  constructor(canvas) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
  }

  /**
   * history: [{step, trainLoss, testLoss, trainAcc, testAcc, devLoss,
   * devAcc}]; metric 'loss' or 'accuracy'; labels {train, test, dev, best,
   * x, y} (dev: the dev curve is drawn when labelled and measured); best
   * {step, value}: the best-dev point, marked and labelled `labels.best`;
   * lang for the numbers. series: other curves instead of train, test and
   * dev, [{key, color, dash}] over the history's keys, without a legend (the
   * caller's page gives it).
   */
  draw(history, { log = false, labels, metric = 'loss', lang = 'en', series = null, best = null }) {
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
    const keys = series ? series.map((one) => one.key) : acc ? ['trainAcc', 'testAcc', 'devAcc'] : ['trainLoss', 'testLoss', 'devLoss'];
    const value = (h, k) => (acc ? 100 * h[k] : h[k]);
    const useLog = log && !acc;
    const pts = history.filter((h) => (series ? keys.some((k) => Number.isFinite(h[k])) : Number.isFinite(h[keys[0]])));
    if (pts.length === 0) return;
    if (!series && (!labels.dev || !pts.some((h) => Number.isFinite(h[keys[2]])))) keys.pop();
    const vals = pts.flatMap((h) => keys.map((k) => value(h, k))).filter((v) => Number.isFinite(v) && (!useLog || v > 0));
    if (!vals.length) return;
    let lo = Math.min(...vals), hi = Math.max(...vals);
    if (acc) { lo = Math.max(0, Math.floor(lo / 10) * 10); hi = 100; }
    else if (!useLog) { lo = Math.min(0, lo); }
    if (hi - lo < 1e-9) { hi = useLog ? hi * 10 : hi + 1; lo = useLog ? lo / 10 : lo; }
    const f = useLog ? (v) => Math.log10(Math.max(v, 1e-12)) : (v) => v;
    const flo = f(lo), fhi = f(hi);
    const s0 = pts[0].step, s1 = Math.max(pts[pts.length - 1].step, s0 + 1);
    ctx.font = `${em}px system-ui, sans-serif`;
    const yTicks = useLog ? logTicks(lo, hi) : niceTicks(lo, hi, 4);
    // room on the left for the widest tick label (0.0001, 1e-10) and the axis title
    const widest = Math.max(...yTicks.map((v) => ctx.measureText(short(lang, v, 3)).width));
    const L = Math.max(46 * px, widest + 20 * px), R = 8 * px, B = 28 * px;
    const entries = series ? [] : [['—', labels.train, '#333'], ['- -', labels.test, '#D55E00'], ['-·-', labels.dev, DEV_COLOR]].slice(0, keys.length);
    if (!series && keys[2] && best && labels.best) entries.push(['○', labels.best, DEV_COLOR]);
    // two curves: their legend in a corner of the plot, as always; with the
    // dev curve and its best epoch, rows of their own above it, since the
    // climbing dev and test curves fill any corner
    const strip = !series && keys.length > 2 ? legendRows(ctx, entries, L, W - R, 12 * px) : null;
    const T = 8 * px + (strip ? strip.height : 0);
    const X = (s) => L + ((s - s0) / (s1 - s0)) * (W - L - R);
    const Y = (v) => T + (1 - (f(v) - flo) / (fhi - flo)) * (H - T - B);
    ctx.fillStyle = '#555';
    ctx.strokeStyle = '#e4e4e4';
    ctx.lineWidth = stroke;
    // y: round values, with grid lines
    ctx.textAlign = 'right';
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
      // the last label stays inside the canvas
      const label = short(lang, s, 6);
      ctx.fillText(label, Math.min(x, W - ctx.measureText(label).width / 2 - px), H - B + 12 * px);
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
    if (series) {
      for (const one of series) line(one.key, one.color, one.dash ?? []);
      return;
    }
    line(keys[1], '#D55E00', [4, 3]);
    if (keys[2]) line(keys[2], DEV_COLOR, DEV_DASH);
    line(keys[0], '#333', []);
    // where the marker is, in canvas pixels (data-best="x,y"), for whoever reads the canvas
    delete c.dataset.best;
    if (keys[2] && best && best.step >= s0 && best.step <= s1 && Number.isFinite(best.value)) {
      const [mx, my] = [X(best.step), Y(acc ? 100 * best.value : best.value)];
      marker(ctx, mx, my, { top: T, bottom: H - B, px, stroke });
      c.dataset.best = `${Math.round(mx)},${Math.round(my)}`;
    }
    if (strip) {
      ctx.textAlign = 'left';
      for (const { text, color, x, y } of strip.items) {
        ctx.fillStyle = color;
        ctx.fillText(text, x, y + 10 * px);
      }
      return;
    }
    // the legend where the curves are not: top right for a loss, bottom right for an accuracy
    ctx.textAlign = 'right';
    const ly = acc ? H - B - 20 * px : T + 10 * px;
    entries.forEach(([dash, text, color], i) => {
      ctx.fillStyle = color;
      ctx.fillText(`${dash} ${text}`, W - R - 2 * px, ly + 12 * i * px);
    });
  }
}

/**
 * Legend entries [dash, text, colour] laid out in rows from x0 to x1, each
 * `rowHeight` high: {items: [{text, color, x, y (the row's top)}], height}.
 */
export function legendRows(ctx, entries, x0, x1, rowHeight) {
  const gap = rowHeight;
  let x = x0, y = 0;
  const items = entries.map(([dash, label, color]) => {
    const text = `${dash} ${label}`, w = ctx.measureText(text).width;
    if (x > x0 && x + w > x1) { x = x0; y += rowHeight; }
    const item = { text, color, x, y };
    x += w + gap;
    return item;
  });
  return { items, height: y + rowHeight };
}

/** The dev curve: Okabe-Ito blue, dash-dot (train is solid, test dashed). */
export const DEV_COLOR = '#0072B2';
export const DEV_DASH = [7, 3, 1.5, 3];

/** The best-dev point at (x, y): a dotted vertical line over the plot and a ring on the dev curve (the legend names it). */
export function marker(ctx, x, y, { top, bottom, px, stroke }) {
  ctx.save();
  ctx.strokeStyle = '#666';
  ctx.lineWidth = stroke;
  ctx.setLineDash([1.5 * stroke, 2.5 * stroke]);
  ctx.beginPath(); ctx.moveTo(x, top); ctx.lineTo(x, bottom); ctx.stroke();
  ctx.setLineDash([]);
  ctx.beginPath();
  ctx.arc(x, y, 4 * px, 0, 2 * Math.PI);
  ctx.fillStyle = '#fff';
  ctx.fill();
  ctx.lineWidth = 2 * stroke;
  ctx.strokeStyle = DEV_COLOR;
  ctx.stroke();
  ctx.restore();
}
