// views.js: the MNIST view's drawings: first-layer weights as 28 x 28 images
// (diverging colours on a symmetric scale, with a legend), curves of several
// runs, a gallery of test digits with predictions, the confusion matrix and
// the class probabilities of a drawn digit, and the comparison's table of
// runs. Numbers go through the view's `fmt` (shared/format.js, the page's
// language).
import { diverging, CLASS_COLORS } from '../shared/colors.js';
import { weightTiles } from './tiles.js';
import { SIDE, PIXELS } from '../mnist.js';
import { el } from '../shared/dom.js';
import { marker } from '../shared/chart.js';


/** Every neuron's incoming weights as a tile in one canvas; click picks a tile. */
export class WeightGrid {
  /** fmt: the view's number formats (for the legend); side: a tile's side (28, or a CNN filter's kernel). */
  constructor(canvas, legend, { onPick, cols = 12, fmt = null, side = SIDE } = {}) {
    this.canvas = canvas;
    this.side = side;
    this.legend = legend;
    this.cols = cols;
    this.fmt = fmt;
    canvas.addEventListener('click', (e) => {
      if (!this.units) return;
      const r = canvas.getBoundingClientRect();
      const tile = r.width / this.cols;
      const u = Math.floor((e.clientY - r.top) / tile) * this.cols + Math.floor((e.clientX - r.left) / tile);
      if (u < this.units) onPick?.(u);
    });
  }

  /** W: (units, side * side) row-major; the colour scale is symmetric, +-max|w|. */
  draw(W, units, selected = -1) {
    this.units = units;
    const { width, height, rgba, cols, scale: m } = weightTiles(W, units, { side: this.side, cols: this.cols });
    const c = this.canvas;
    if (c.width !== width || c.height !== height) { c.width = width; c.height = height; }
    this.cols = cols;
    this.image = { width, height, rgba };
    const ctx = c.getContext('2d');
    const size = this.side + 1, side = this.side;
    const img = ctx.createImageData(width, height);
    img.data.set(rgba);
    ctx.putImageData(img, 0, 0);
    if (selected >= 0 && selected < units) {
      ctx.strokeStyle = '#000';
      ctx.lineWidth = 1;
      ctx.strokeRect((selected % cols) * size + 0.5, Math.floor(selected / cols) * size + 0.5, side, side);
    }
    if (this.legend) this.legend.textContent = `−${this.fmt.fixed(m, 3)} … 0 … +${this.fmt.fixed(m, 3)}`;
    return m;
  }
}

/** One neuron's weights, large, on a given symmetric scale. */
export function drawNeuron(canvas, W, unit, m) {
  canvas.width = SIDE;
  canvas.height = SIDE;
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(SIDE, SIDE);
  for (let p = 0; p < PIXELS; p++) {
    const rgb = diverging(W[unit * PIXELS + p] / m);
    img.data.set([rgb[0], rgb[1], rgb[2], 255], 4 * p);
  }
  ctx.putImageData(img, 0, 0);
}

/** Curves of several series: [{label, color, dash, points: [[x, y]], marker: {x, y} (a point marked, as the best dev epoch)}]. */
export function drawCurves(canvas, series, { yMin = null, yMax = null, xLabel = '', unit = '', legendBottom = false, fmt } = {}) {
  const dpr0 = window.devicePixelRatio || 1;
  const W = Math.round((canvas.clientWidth || 300) * dpr0), H = Math.round((canvas.clientHeight || 140) * dpr0);
  // type and lines follow the page (style.css: the presenter preset and embed frames scale them)
  const css = getComputedStyle(canvas);
  const dpr = dpr0 * Math.max(1, parseFloat(css.fontSize) / 14);
  const stroke = parseFloat(css.getPropertyValue('--stroke')) || 1;
  if (canvas.width !== W || canvas.height !== H) { canvas.width = W; canvas.height = H; }
  const ctx = canvas.getContext('2d');
  ctx.clearRect(0, 0, W, H);
  const pts = series.flatMap((s) => s.points).filter(([, y]) => Number.isFinite(y));
  delete canvas.dataset.best;
  if (!pts.length) return;
  const L = 48 * dpr, R = 8 * dpr, T = 8 * dpr, B = 18 * dpr;
  const lo = yMin ?? Math.min(...pts.map((p) => p[1]));
  let hi = yMax ?? Math.max(...pts.map((p) => p[1]));
  if (hi - lo < 1e-9) hi = lo + 1;
  const x1 = Math.max(...pts.map((p) => p[0]), 1e-9);
  const X = (x) => L + (x / x1) * (W - L - R), Y = (y) => T + (1 - (y - lo) / (hi - lo)) * (H - T - B);
  ctx.font = `${10 * dpr}px system-ui, sans-serif`;
  ctx.fillStyle = '#555';
  ctx.strokeStyle = '#ddd';
  ctx.textAlign = 'right';
  for (let i = 0; i <= 4; i++) {
    const v = lo + ((hi - lo) * i) / 4, y = Y(v);
    ctx.beginPath(); ctx.moveTo(L, y); ctx.lineTo(W - R, y); ctx.stroke();
    // enough decimals that the five ticks read apart
    const digits = Math.min(3, Math.max(unit === '%' ? 1 : 2, Math.ceil(-Math.log10((hi - lo) / 4))));
    ctx.fillText(unit === '%' ? fmt.percent(v / 100, digits) : fmt.fixed(v, digits), L - 4 * dpr, y + 3 * dpr);
  }
  ctx.textAlign = 'left';
  ctx.fillText(`0`, L, H - 4 * dpr);
  ctx.textAlign = 'right';
  ctx.fillText(`${fmt.fixed(x1, 1)} ${xLabel}`, W - R, H - 4 * dpr);
  series.forEach((s, k) => {
    ctx.strokeStyle = s.color;
    ctx.lineWidth = 1.6 * dpr * stroke;
    ctx.setLineDash((s.dash ?? []).map((d) => d * dpr));
    ctx.beginPath();
    s.points.filter(([, y]) => Number.isFinite(y)).forEach(([x, y], i) => (i ? ctx.lineTo(X(x), Y(y)) : ctx.moveTo(X(x), Y(y))));
    ctx.stroke();
    ctx.setLineDash([]);
    if (s.marker) {
      marker(ctx, X(s.marker.x), Y(s.marker.y), { top: T, bottom: H - B, px: dpr, stroke: dpr * stroke });
      canvas.dataset.best = `${Math.round(X(s.marker.x))},${Math.round(Y(s.marker.y))}`;
    }
    ctx.fillStyle = s.color;
    const ly = legendBottom ? H - B - (6 + 12 * (series.length - 1 - k)) * dpr : T + (10 + 12 * k) * dpr;
    ctx.fillText(s.label, W - R, ly);
  });
}

/** A gallery of digits with predicted class and confidence; mistakes marked. */
export function drawGallery(root, images, labels, probs, { t, fmt }) {
  const n = labels.length;
  const items = [];
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < 10; k++) if (probs[i * 10 + k] > probs[i * 10 + best]) best = k;
    const cv = el('canvas', { width: SIDE, height: SIDE });
    const ctx = cv.getContext('2d');
    const img = ctx.createImageData(SIDE, SIDE);
    for (let p = 0; p < PIXELS; p++) { const v = 255 - images[i * PIXELS + p]; img.data.set([v, v, v, 255], 4 * p); }
    ctx.putImageData(img, 0, 0);
    const wrong = best !== labels[i];
    const conf = fmt.percent(probs[i * 10 + best], 0);
    const cap = el('figcaption', { textContent: `${best} · ${conf}` });
    const fig = el('figure', { className: wrong ? 'digit wrong' : 'digit' }, cv, cap);
    fig.title = wrong ? t('mMistake', { label: labels[i], pred: best, conf }) : t('mCorrect', { pred: best, conf });
    items.push(fig);
  }
  root.replaceChildren(...items);
}

/** The confusion matrix as a table, cells shaded by their share of the row. */
export function drawConfusion(root, m, { t, fmt }) {
  const head = el('tr', {}, el('th', { textContent: t('mTrueClass') }), ...[...Array(10).keys()].map((k) => el('th', { textContent: String(k), scope: 'col' })));
  const rows = m.map((row, i) => {
    const total = row.reduce((a, b) => a + b, 0) || 1;
    return el('tr', {}, el('th', { textContent: String(i), scope: 'row' }), ...row.map((v, j) => {
      const share = v / total;
      const td = el('td', { textContent: fmt.count(v) });
      td.style.background = i === j ? `rgba(0,114,178,${share})` : `rgba(213,94,0,${Math.min(1, share * 4)})`;
      if (share > 0.6) td.style.color = '#fff';
      return td;
    }));
  });
  const table = el('table', { className: 'confusion' }, el('caption', { textContent: t('mConfusion') }), el('thead', {}, head), el('tbody', {}, ...rows));
  root.replaceChildren(table);
}

/** Ten horizontal bars of class probabilities. */
export function drawProbs(root, probs, { fmt }) {
  let best = 0;
  for (let k = 1; k < 10; k++) if (probs[k] > probs[best]) best = k;
  root.replaceChildren(...[...Array(10).keys()].map((k) => {
    const bar = el('div', { className: 'bar' });
    bar.style.width = `${(100 * probs[k]).toFixed(1)}%`;
    bar.style.background = k === best ? CLASS_COLORS[1] : '#999';
    return el('div', { className: 'prob' }, el('span', { textContent: String(k) }), el('div', { className: 'track' }, bar),
      el('span', { className: 'pct', textContent: fmt.percent(probs[k], 1) }));
  }));
}

/**
 * The comparison as a table with one labelled column per run (its optimiser,
 * in its curve's colour): what it is doing, its epoch, its last train and test
 * loss and accuracy, and the samples it trained per second of the last second.
 */
export function drawRuns(table, runs, { t, fmt, colors, playing }) {
  const last = runs.map((r) => r.history[r.history.length - 1]);
  const state = runs.map((r) => (r.state === 'training' && !playing ? 'paused' : r.state));
  const value = (f) => (i) => (last[i] ? f(last[i]) : '—');
  const measures = [
    ['mRunState', (i) => t(`mRun_${state[i]}`)],
    ['epoch', (i) => `${Math.min(runs[i].epoch + 1, runs[i].epochs)}/${runs[i].epochs}`],
    ['trainLoss', value((h) => fmt.fixed(h.trainLoss, 4))],
    ['testLoss', value((h) => fmt.fixed(h.testLoss, 4))],
    ['mRunTrainAcc', value((h) => fmt.percent(h.trainAcc, 2))],
    ['mRunTestAcc', value((h) => fmt.percent(h.testAcc, 2))],
    ['mRunSpeed', (i) => (state[i] === 'training' ? fmt.count(runs[i].rate) : '—')],
  ];
  // with a dev set, each run's best epoch on it (shared/earlystop.js)
  if (runs[0].sets.dev) {
    measures.push(['mRunBestDev', (i) => { const b = runs[i].early.best; return b ? `${fmt.fixed(b.devLoss, 4)} (${b.epoch})` : '—'; }]);
  }
  const head = runs.map((r, i) => {
    const th = el('th', { scope: 'col', textContent: r.label, className: `run-${state[i]}` });
    th.style.color = colors[i];
    return th;
  });
  const rows = measures.map(([key, cell]) => el('tr', {}, el('th', { scope: 'row', textContent: t(key) }),
    ...runs.map((_, i) => el('td', { textContent: cell(i), className: key === 'mRunState' ? `run-${state[i]}` : '' }))));
  table.replaceChildren(el('caption', { textContent: t('mRuns') }),
    el('thead', {}, el('tr', {}, el('td', {}), ...head)), el('tbody', {}, ...rows));
}
