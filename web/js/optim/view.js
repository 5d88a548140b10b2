// view.js: the "Optimisers" view: SGD, momentum, Nesterov, AdaGrad, RMSProp
// and Adam (and Adam without bias correction) from one start point on a
// loss surface, with the engine's own update code (model.js). The map
// (drawing.js) shows the paths over the filled contours, the start point is
// dragged (mouse, touch) or moved with the arrow keys; the curves give each
// loss (or step length) against iterations on a log scale; a table each
// run's state. Settings live in state.optim (the URL); presets in
// presets.js; controls in panel.js. It has the interface of every view
// (main.js).
import { el } from '../shared/dom.js';
import { short, punctuate } from '../shared/format.js';
import { LossChart } from '../shared/chart.js';
import { Race } from './model.js';
import { SurfaceMap } from './drawing.js';
import { OptimPanel } from './panel.js';
import { VIEWS, SPEEDS, PRESETS, clampToBox } from './presets.js';

// the curves and the table are redrawn at most this often while running
const TEXT_MS = 100;

export class OptimView {
  /** root: #view-optim; ctx: {nn, t, state (this view reads state.optim and state.page), onChange}. */
  constructor(root, ctx) {
    this.root = root;
    this.ctx = ctx;
    this.nn = ctx.nn;
    this.t = (key, values) => punctuate(this.lang, ctx.t(key, values));
    this.onChange = (name, value) => this.change(name, value);
    this.playing = false;
    this.lastText = 0;
  }

  /** A setting changed in the view: a surface other than the preset's leaves the preset first (state.js). */
  change(name, value) {
    const preset = PRESETS[this.state.preset];
    if (name === 'surface' && preset && preset.surface !== value) this.ctx.onChange('optim', 'preset', 'none');
    this.ctx.onChange('optim', name, value);
  }

  /** The view's settings (state.optim). */
  get state() { return this.ctx.state.optim; }

  get lang() { return this.ctx.state.page.lang; }

  open() {
    if (!this.race) {
      this.race = new Race(this.nn);
      this.build();
      this.setup();
      this.root.dataset.ready = '1';
    }
    // it runs as it opens (step by step waits for Step)
    this.playing = this.state.mode !== 'step' && !this.race.finished;
    this.dirty = true;
  }

  apply(group, name, kind) {
    if (!this.race) return;
    if (group === 'page') {
      // the language rebuilds the texts; the presenter preset resizes everything
      if (name === 'lang') this.build();
      this.dirty = true;
      return;
    }
    if (kind === 'data' || kind === 'live') {
      // a new surface, start, set of runs or hyper-parameter: every run starts again from the start point
      this.setup();
      if (this.state.mode !== 'step') this.playing = true;
    }
    if (name === 'mode') this.playing = this.state.mode !== 'step' && !this.race.finished;
    this.panel.refresh(this.state);
    this.texts();
    this.dirty = true;
  }

  sync() { this.panel?.refresh(this.state); }

  close() { this.playing = false; }

  fail(e) {
    this.playing = false;
    if (this.message) this.message.textContent = e.message;
  }

  /** Space plays or pauses; → takes one iteration. */
  key(e) {
    if (e.key === ' ') { this.toggle(); return true; }
    if (e.key === 'ArrowRight') { this.step(); return true; }
    return false;
  }

  build() {
    const t = this.t;
    this.playBtn = el('button', { type: 'button', className: 'primary', id: 'o-play', title: t('tip_oPlay') });
    this.playBtn.addEventListener('click', () => this.toggle());
    this.stepBtn = el('button', { type: 'button', id: 'o-step', textContent: t('step'), title: t('tip_oStep') });
    this.stepBtn.addEventListener('click', () => this.step());
    const reset = el('button', { type: 'button', id: 'o-reset', textContent: t('reset'), title: t('tip_oReset') });
    reset.addEventListener('click', () => { this.race.restart(); this.playing = false; this.dirty = true; });
    this.status = el('span', { className: 'o-status', id: 'o-status', role: 'status' });
    this.about = el('p', { className: 'why o-about', id: 'o-about' });
    this.map = el('canvas', { className: 'o-map', id: 'o-map', tabIndex: 0, role: 'img', ariaLabel: t('oMap') });
    this.legend = el('canvas', { className: 'o-legend', id: 'o-legend', role: 'img' });
    this.chartCanvas = el('canvas', { className: 'chart o-chart', id: 'o-chart', role: 'img' });
    this.message = el('p', { className: 'message', id: 'o-message', role: 'alert' });
    this.table = el('table', { className: 'o-runs', id: 'o-runs' });
    this.stepHelp = el('p', { className: 'help', textContent: t('oStepHelp') });
    const controls = el('aside', { className: 'controls o-controls' });
    this.root.replaceChildren(
      el('div', { className: 'toolbar' }, this.playBtn, this.stepBtn, reset, this.status),
      this.about,
      el('div', { className: 'o-layout' }, controls,
        el('figure', { className: 'o-figure' }, el('div', { className: 'o-map-box' }, el('div', { className: 'o-map-fit' },
          this.map, this.legend, el('figcaption', { className: 'help', textContent: t('oMapKeys') })))),
        el('section', { className: 'o-side' }, this.message, this.table, this.chartCanvas, this.stepHelp)));
    this.panel = new OptimPanel(controls, { t, onChange: this.onChange });
    this.panel.build(this.state);
    this.surfaceMap = new SurfaceMap(this.map, this.legend);
    this.chart = new LossChart(this.chartCanvas);
    this.wireMap();
    this.resizer?.disconnect();
    this.resizer = new ResizeObserver(() => { this.dirty = true; });
    this.resizer.observe(this.map);
    this.texts();
  }

  /** The runs of the current settings, at a start point inside the surface's box. */
  setup() {
    const s = this.state, x = clampToBox(s.surface, 'x', s.x), y = clampToBox(s.surface, 'y', s.y);
    this.race.setup({ ...s, x, y });
    // a link's start outside the box is put on its edge, and the link says so
    if (x !== s.x) this.onChange('x', x);
    if (y !== s.y) this.onChange('y', y);
  }

  toggle() {
    if (this.state.mode === 'step') return;
    if (!this.playing && this.race.finished) this.race.restart();
    this.playing = !this.playing;
    this.dirty = true;
  }

  step() {
    if (this.race.finished) return;
    this.race.advance(1, this.state.mode);
    this.playing = false;
    this.dirty = true;
  }

  frame() {
    if (!this.race) return;
    if (this.playing) {
      this.race.advance(SPEEDS[this.state.speed], this.state.mode);
      if (this.race.finished) this.playing = false;
      this.dirty = true;
    }
    if (!this.dirty) return;
    this.draw(!this.playing || performance.now() - this.lastText > TEXT_MS);
  }

  // the map every time; the curves, the table and the texts when `all`
  draw(all) {
    const s = this.state, view = VIEWS[s.surface], [x0, x1, y0, y1] = view.box;
    // the map keeps the surface's proportions (style.css)
    const aspect = String((x1 - x0) / (y1 - y0));
    if (this.map.style.getPropertyValue('--aspect') !== aspect) this.map.style.setProperty('--aspect', aspect);
    this.surfaceMap.prepare(this.nn, s.surface, view);
    this.surfaceMap.draw(this.race, { start: [this.race.settings.x, this.race.settings.y], mode: s.mode,
      focused: document.activeElement === this.map, lang: this.lang, t: this.t });
    this.surfaceMap.drawLegend(this.lang, this.t(view.scale === 'log' ? 'oLegendLog' : 'oLegend'));
    if (!all) return;
    this.lastText = performance.now();
    this.dirty = this.playing;
    this.texts();
    this.runTable();
    const step = s.chart === 'step', series = this.race.runs.map((r) => ({ key: r.id, color: r.spec.color, dash: [] }));
    this.chart.draw(step ? this.race.stepRows : this.race.lossRows, { log: true, lang: this.lang, series,
      labels: { x: this.t('oChartX'), y: this.t(step ? 'oColStep' : 'oColLoss') } });
  }

  /** The status, the explanation, the buttons and what a divergence means. */
  texts() {
    const t = this.t, s = this.state, race = this.race;
    const preset = PRESETS[s.preset];
    this.about.textContent = preset && preset.surface === s.surface ? t(`oAbout_${s.preset}`) : t(`oSurfaceAbout_${s.surface}`);
    this.playBtn.textContent = this.playing ? `❚❚ ${t('pause')}` : `▶ ${t('play')}`;
    this.playBtn.disabled = s.mode === 'step';
    this.stepBtn.classList.toggle('primary', s.mode === 'step');
    this.stepHelp.hidden = s.mode !== 'step';
    const k = race.iteration, n = s.iters, one = s.mode === 'one' && race.current;
    this.status.textContent = race.finished ? t('oStatusDone', { n }) : s.mode === 'step' ? t('oStatusStep', { k, n })
      : one ? t('oStatusOne', { name: t(`oRun_${one.id}`), k: one.count, n }) : t('oStatus', { k, n });
    const diverged = race.runs.filter((r) => r.diverged).map((r) => t(`oRun_${r.id}`));
    this.message.textContent = diverged.length ? t('oDivergedNote', { names: diverged.join(', ') }) : '';
    this.chartCanvas.setAttribute('aria-label', t(s.chart === 'step' ? 'oStepChart' : 'oLossChart'));
  }

  /**
   * One row per run: its colour and name (and "diverged at k" or "waiting"),
   * iteration, value, last step length; in step mode, where all runs are at
   * the same iteration, θ and the gradient ∇f of the last update instead.
   */
  runTable() {
    const t = this.t, lang = this.lang, step = this.state.mode === 'step', race = this.race;
    const num = (v) => short(lang, v, 3);
    // a pair as two lines, so the table fits its column
    const pair = (a, b) => [el('span', { textContent: num(a) }), el('br'), el('span', { textContent: num(b) })];
    const head = [t('oOptimizers'), ...(step ? [] : [t('oColIter')]), t('oColLoss'), t('oColStep'),
      ...(step ? [t('oColTheta'), t('oColGrad')] : [])];
    const rows = race.runs.map((r) => {
      const k = r.count;
      const note = r.diverged ? t('oDiverged', { k: k + 1 }) : this.state.mode === 'one' && !r.finished && r !== race.current ? t('oWaiting') : '';
      const cells = [...(step ? [] : [String(k)]), num(r.values[k]), k ? num(r.steps[k]) : '—'];
      if (step) cells.push(pair(r.path[2 * k], r.path[2 * k + 1]), k ? pair(r.grads[2 * k], r.grads[2 * k + 1]) : '—');
      return el('tr', { className: r.diverged ? 'diverged' : '' },
        el('th', { scope: 'row' }, el('span', { className: 'o-swatch', style: `background: ${r.spec.color}` }), t(`oRun_${r.id}`),
          ...(note ? [el('span', { className: 'o-note', textContent: ` ${note}` })] : [])),
        ...cells.map((c) => el('td', {}, ...(Array.isArray(c) ? c : [c]))));
    });
    this.table.replaceChildren(el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { scope: 'col', textContent: h })))),
      el('tbody', {}, ...rows));
  }

  /** Dragging the start point (mouse, pen, touch) restarts every run from it; arrow keys move it. */
  wireMap() {
    const m = this.map;
    let dragging = false;
    const moveTo = (e) => {
      const s = this.state;
      const [x, y] = this.surfaceMap.eventToWorld(e).map((v, i) => Number(clampToBox(s.surface, 'xy'[i], v).toPrecision(4)));
      this.race.moveStart(x, y);
      this.playing = s.mode !== 'step';
      this.dirty = true;
      return [x, y];
    };
    m.addEventListener('pointerdown', (e) => {
      dragging = true;
      m.setPointerCapture(e.pointerId);
      moveTo(e);
    });
    m.addEventListener('pointermove', (e) => { if (dragging) moveTo(e); });
    const end = (e) => {
      if (!dragging) return;
      dragging = false;
      const [x, y] = moveTo(e);
      // the link gets the point where the drag ended
      this.onChange('x', x);
      this.onChange('y', y);
    };
    m.addEventListener('pointerup', end);
    m.addEventListener('pointercancel', end);
    m.addEventListener('keydown', (e) => {
      const [x0, x1, y0, y1] = VIEWS[this.state.surface].box;
      const f = e.shiftKey ? 0.1 : 0.02;
      const d = { ArrowLeft: ['x', -f * (x1 - x0)], ArrowRight: ['x', f * (x1 - x0)],
        ArrowDown: ['y', -f * (y1 - y0)], ArrowUp: ['y', f * (y1 - y0)] }[e.key];
      if (!d) return;
      e.preventDefault();
      e.stopPropagation();
      const [axis, by] = d;
      this.onChange(axis, Number(clampToBox(this.state.surface, axis, this.state[axis] + by).toPrecision(4)));
    });
    for (const ev of ['focus', 'blur']) m.addEventListener(ev, () => { this.dirty = true; });
  }
}
