// panel.js: the experiments card of the 2D, MNIST and CNN views: a sweep
// spec ('activation=sigmoid,tanh,relu'), Start/Stop, the runs in module Web
// Workers (one engine each, at most MAX_WORKERS at once) or, where workers
// cannot start (the one-file page from file://), on the main thread between
// frames (local.js); a sortable results table, loss and accuracy curves
// overlaid, first-layer weights side by side, CSV and Markdown export.
//
// Mount API (as race-view.js):
//   const sweep = mountSweep(container, {t, lang, nn, setup, spec, onStart, onError});
//     setup     (limit) => {base: {net, batch, epochs, records, target}, data (plain arrays, runner.js
//               makeSets; the first `limit` training examples, 0: all)} from the view's current
//               settings; throws a message when it cannot (data still loading)
//     spec      the first spec shown; onStart: the host pauses its own training
//   sweep.mount(container) (another language), sweep.stop(), sweep.running
import { el } from '../dom.js';
import { punctuate, fixed, count, percent } from '../format.js';
import { downloadText, toCsv } from '../download.js';
import { drawCurves, WeightGrid } from '../../mnist/views.js';
import { diverging, OKABE_ITO } from '../colors.js';
import { initDiffers, parseSweep, planRuns, formatSweep } from './spec.js';
import { COLUMNS, csvRows, formatCell, sortRows, toMarkdown } from './table.js';
import { SweepPool } from './pool.js';
import { localEndpoint } from './local.js';
import { ERR_DIVERGED } from '../../../lib/nnplay.mjs';

/** At most this many workers: each holds a copy of the data in its engine (full MNIST: about 55 MB). */
export const MAX_WORKERS = 4;
const COLORS = [OKABE_ITO.black, OKABE_ITO.blue, OKABE_ITO.orange, OKABE_ITO.green, OKABE_ITO.purple, OKABE_ITO.vermillion,
  OKABE_ITO.skyBlue, '#999999'];
const TILES = 12;

/** A module worker running worker.js, as an endpoint of pool.js. */
function webEndpoint() {
  const w = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  return {
    post: (m) => w.postMessage(m),
    onMessage: (fn) => {
      w.onmessage = (e) => fn(e.data);
      w.onerror = (e) => { e.preventDefault?.(); fn({ type: 'error', message: e.message || 'the worker did not start' }); };
    },
    terminate: () => w.terminate(),
  };
}

/** Whether module workers can run here: not from file:// (the one-file page), where the fallback runs. */
export const workersAvailable = () => typeof Worker === 'function' && globalThis.location?.protocol !== 'file:';

export function mountSweep(container, options) {
  return new SweepPanel(container, options);
}

class SweepPanel {
  constructor(container, { t, lang, nn, setup, spec, onStart, onError }) {
    this.t = (key, values) => punctuate(lang(), t(key, values));
    this.lang = lang;
    this.nn = nn;
    this.isDiverged = (e) => e.code === ERR_DIVERGED;
    this.setup = setup;
    this.spec = spec;
    this.onStart = onStart;
    this.onError = onError;
    this.running = false;
    this.runs = [];
    this.sort = null;
    this.mount(container);
  }

  mount(container) {
    const t = this.t;
    this.root = container;
    this.input = el('input', { type: 'text', id: `${container.id}-spec`, value: this.spec, spellcheck: false, dataset: { sweep: 'spec' } });
    this.input.addEventListener('change', () => { this.spec = this.input.value; });
    this.epochsInput = el('input', { type: 'number', id: `${container.id}-epochs`, min: 1, max: 1000, step: 1,
      value: this.epochs ?? '', placeholder: t('swEpochsAuto'), dataset: { sweep: 'epochs' } });
    this.epochsInput.addEventListener('change', () => { this.epochs = this.epochsInput.value; });
    this.limitInput = el('input', { type: 'number', id: `${container.id}-limit`, min: 0, step: 100, value: this.limit ?? '',
      placeholder: t('swLimitAll'), dataset: { sweep: 'limit' } });
    this.limitInput.addEventListener('change', () => { this.limit = this.limitInput.value; });
    this.toggleBtn = el('button', { type: 'button', className: 'primary', dataset: { sweep: 'toggle' } });
    this.toggleBtn.addEventListener('click', () => (this.running ? this.stop() : this.start()));
    const csv = el('button', { type: 'button', textContent: t('swCsv'), dataset: { sweep: 'csv' } });
    csv.addEventListener('click', () => this.export('csv'));
    const md = el('button', { type: 'button', textContent: t('swMarkdown'), dataset: { sweep: 'md' } });
    md.addEventListener('click', () => this.export('md'));
    this.exports = [csv, md];
    this.status = el('p', { className: 'sweep-status', role: 'status', dataset: { sweep: 'status' } });
    this.note = el('p', { className: 'help', dataset: { sweep: 'note' } });
    this.message = el('p', { className: 'message', ...(this.onError ? {} : { role: 'alert' }), dataset: { sweep: 'message' } });
    this.table = el('table', { className: 'runs sweep-table', dataset: { sweep: 'table' } });
    this.lossCanvas = el('canvas', { className: 'chart', role: 'img', ariaLabel: t('swLossCurves'), dataset: { sweep: 'loss' } });
    this.accCanvas = el('canvas', { className: 'chart', role: 'img', ariaLabel: t('swAccCurves'), dataset: { sweep: 'acc' } });
    this.weights = el('div', { className: 'compare-weights sweep-weights', dataset: { sweep: 'weights' } });
    container.replaceChildren(el('p', { className: 'help', textContent: t('swHelp') }),
      el('div', { className: 'sweep-form' },
        el('div', { className: 'sweep-spec' }, el('label', { htmlFor: this.input.id, textContent: t('swSpec') }), this.input),
        el('div', {}, el('label', { htmlFor: this.epochsInput.id, textContent: t('swEpochs') }), this.epochsInput),
        el('div', {}, el('label', { htmlFor: this.limitInput.id, textContent: t('swLimit') }), this.limitInput)),
      el('p', { className: 'help', textContent: t('swSyntax') }),
      el('div', { className: 'toolbar' }, this.toggleBtn, ...this.exports), this.status, this.note, this.message,
      el('p', { className: 'help', textContent: t('swTable') }), el('div', { className: 'runs-box' }, this.table), this.lossCanvas, this.accCanvas, this.weights);
    this.draw(true);
  }

  report(e) {
    if (this.onError) this.onError(e);
    else this.message.textContent = e.message;
  }

  /** Plans the runs from the spec and the view's settings; starts them on workers (or the main thread). */
  start() {
    this.message.textContent = '';
    let setup, descs, axes;
    try {
      axes = parseSweep(this.input.value);
      const limit = this.limitInput.value === '' ? 0 : Number(this.limitInput.value);
      if (!Number.isInteger(limit) || limit < 0) throw new Error(this.t('swBadLimit'));
      setup = this.setup(limit);
      const epochs = this.epochsInput.value === '' ? setup.base.epochs : Number(this.epochsInput.value);
      if (!Number.isInteger(epochs) || epochs < 1 || epochs > 1000) throw new Error(this.t('swBadEpochs'));
      descs = planRuns({ ...setup.base, epochs }, axes);
    } catch (e) {
      this.report(new Error(this.t('swBadSpec', { msg: e.message })));
      return;
    }
    this.spec = formatSweep(axes);
    this.onStart?.();
    this.differs = initDiffers(axes);
    this.runs = descs.map((d, i) => ({ label: d.label, color: COLORS[i % COLORS.length], dash: i >= COLORS.length ? [5, 3] : [],
      history: [], result: null, weights: null }));
    const workers = workersAvailable();
    const size = workers ? Math.min(MAX_WORKERS, navigator.hardwareConcurrency || 2, descs.length) : 1;
    this.mode = workers ? { kind: 'workers', size } : { kind: 'main', size: 1 };
    const spawn = workers ? webEndpoint : () => localEndpoint(this.nn, this.isDiverged);
    this.pool = new SweepPool(spawn, size);
    this.running = true;
    this.started = performance.now();
    this.frames = { n: 0, since: performance.now(), fps: NaN };
    const frame = () => {
      if (!this.running) return;
      this.frames.n++;
      const now = performance.now();
      if (now - this.frames.since >= 1000) {
        this.frames.fps = (1000 * this.frames.n) / (now - this.frames.since);
        this.frames = { ...this.frames, n: 0, since: now };
      }
      if (this.dirty && now - (this.drawn ?? 0) > 250) this.draw();
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
    this.pool.run(descs, setup.data, {
      quick: setup.quick,
      onPoint: (i, p) => { this.runs[i].history.push(p); this.dirty = true; },
      onDone: (i, result, weights) => { Object.assign(this.runs[i], { result, weights }); this.dirty = true; },
    }).then(() => { this.finish(); }, (e) => { this.finish(); this.report(e); });
    this.draw(true);
  }

  finish() {
    this.running = false;
    this.seconds = (performance.now() - this.started) / 1000;
    this.draw(true);
  }

  /** Stops every run (their workers end); what finished stays. */
  stop() {
    if (!this.running) return;
    this.pool?.terminate();
    this.finish();
  }

  get rows() { return this.runs.filter((r) => r.result).map((r) => r.result); }

  export(kind) {
    const rows = this.sort ? sortRows(this.rows, this.sort.key, this.sort.dir) : this.rows;
    if (!rows.length) { this.report(new Error(this.t('swNothing'))); return; }
    if (kind === 'csv') downloadText('nnplay-sweep.csv', toCsv(csvRows(rows)), 'text/csv');
    else downloadText('nnplay-sweep.md', `${this.spec}\n\n${toMarkdown(rows, { lang: this.lang(), header: (c) => this.t(`sw_${c.key}`) })}`, 'text/markdown');
  }

  draw(full = false) {
    this.drawn = performance.now();
    this.dirty = false;
    const t = this.t, lang = this.lang();
    this.toggleBtn.textContent = this.running ? `■ ${t('swStop')}` : `▶ ${t('swStart')}`;
    this.toggleBtn.setAttribute('aria-pressed', String(this.running));
    this.exports.forEach((b) => { b.disabled = !this.rows.length; });
    const done = this.rows.length, n = this.runs.length;
    if (n) {
      const where = this.mode.kind === 'workers' ? t('swWorkers', { n: this.mode.size }) : t('swMainThread');
      const fps = Number.isFinite(this.frames?.fps) ? t('swFps', { fps: fixed(lang, this.frames.fps, 0) }) : '';
      this.status.textContent = `${t('swProgress', { done, n })} · ${where}${this.running && fps ? ` · ${fps}` : ''}`
        + `${!this.running && this.seconds ? ` · ${fixed(lang, this.seconds, 1)}\u00a0s` : ''}`;
      this.status.dataset.fps = Number.isFinite(this.frames?.fps) ? String(this.frames.fps) : '';
      this.note.textContent = this.differs ? t('swInitDiffers', { keys: this.differs.join(', ') }) : t('swInitSame');
    }
    this.drawTable();
    this.drawCurves();
    if (full || this.weights.childElementCount !== this.runs.filter((r) => r.weights).length) this.drawWeights();
  }

  drawTable() {
    const t = this.t, lang = this.lang();
    const rows = this.sort ? sortRows(this.rows, this.sort.key, this.sort.dir) : this.rows;
    const head = el('tr', {}, ...COLUMNS.map((c) => {
      const sorted = this.sort?.key === c.key;
      const b = el('button', { type: 'button', className: 'sort', textContent: `${t(`sw_${c.key}`)}${sorted ? (this.sort.dir > 0 ? ' ▲' : ' ▼') : ''}`,
        dataset: { sort: c.key } });
      // the first click sorts the better values first
      b.addEventListener('click', () => {
        const first = c.better === 'min' || c.kind === 'text' ? 1 : -1;
        this.sort = { key: c.key, dir: sorted ? -this.sort.dir : first };
        this.drawTable();
      });
      const th = el('th', { scope: 'col' }, b);
      if (sorted) th.setAttribute('aria-sort', this.sort.dir > 0 ? 'ascending' : 'descending');
      return th;
    }));
    const colour = new Map(this.runs.map((r) => [r.label, r.color]));
    const body = rows.map((r) => el('tr', { dataset: { run: r.label } }, ...COLUMNS.map((c) => {
      const text = c.key === 'state' ? t(`swState_${r.state}`) : formatCell(lang, c.kind, r[c.key]);
      const cell = el(c.key === 'label' ? 'th' : 'td', { textContent: text, ...(c.key === 'label' ? { scope: 'row' } : {}) });
      if (c.key === 'label') cell.style.color = colour.get(r.label);
      return cell;
    })));
    this.table.hidden = !this.runs.length;
    this.table.replaceChildren(el('caption', { textContent: t('swTableCaption') }), el('thead', {}, head), el('tbody', {}, ...body));
  }

  drawCurves() {
    const t = this.t, lang = this.lang();
    const fmt = { fixed: (v, d) => fixed(lang, v, d), count: (v) => count(lang, v), percent: (v, d) => percent(lang, v, d) };
    const series = (key, scale = 1) => this.runs.map((r) => ({ label: r.label, color: r.color, dash: r.dash,
      points: r.history.map((p) => [p.x, scale * p[key]]) }));
    for (const c of [this.lossCanvas, this.accCanvas]) c.hidden = !this.runs.length;
    if (!this.runs.length) return;
    drawCurves(this.lossCanvas, series('testLoss'), { yMin: 0, xLabel: t('epoch').toLowerCase(), fmt });
    drawCurves(this.accCanvas, series('testAcc', 100), { xLabel: t('epoch').toLowerCase(), unit: '%', legendBottom: true, fmt });
  }

  /** Each finished run's first-layer weights: 28 x 28 images, a CNN's filters, or a 2D net's matrix (units x inputs). */
  drawWeights() {
    this.weights.replaceChildren(...this.runs.filter((r) => r.weights).map((r) => {
      const { W, units, inputs, side } = r.weights;
      const cv = el('canvas', { className: `weights small${side ? '' : ' matrix'}`, role: 'img', ariaLabel: this.t('swRunWeights', { run: r.label }) });
      if (side) new WeightGrid(cv, null, { cols: 6, side }).draw(W, Math.min(TILES, units));
      else drawMatrix(cv, W, units, inputs);
      const title = el('figcaption', { textContent: r.label });
      title.style.color = r.color;
      return el('figure', { dataset: { run: r.label } }, title, cv);
    }));
  }
}

/** A weight matrix (rows: units, columns: inputs) as coloured cells on a symmetric scale. */
function drawMatrix(canvas, W, rows, cols) {
  const m = Math.max(1e-9, ...Array.from(W, Math.abs));
  canvas.width = cols;
  canvas.height = rows;
  const ctx = canvas.getContext('2d'), img = ctx.createImageData(cols, rows);
  for (let i = 0; i < rows * cols; i++) img.data.set([...diverging(W[i] / m), 255], 4 * i);
  ctx.putImageData(img, 0, 0);
}
