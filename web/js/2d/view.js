// view.js: the 2D view's controller: TensorFlow Playground's picture (data,
// decision boundary, network diagram of live neuron maps, loss curves) over
// the model in model.js. It follows the interface every view has (see
// main.js): open(), apply(group, name, kind), frame(), key(e), close(),
// fail(e). Its markup is static in index.html (#view-2d), so the page shows
// its frame before the engine loads.
import { Trainer } from './model.js';
import { nearest } from './datasets.js';
import { applies, minClasses, warnings } from './task.js';
import * as F from '../shared/format.js';
import { Boundary } from '../shared/boundary.js';
import { NetworkView } from '../shared/network.js';
import { LossChart } from '../shared/chart.js';
import { Controls } from '../shared/controls.js';
import { SharePanel } from '../shared/share.js';
import { TfpPanel } from './tfp-panel.js';
import { addOnnxExport, ONNX_DOCS } from '../shared/onnx-export.js';
import { boundaryLegend } from '../shared/legend.js';
import { Announcer } from '../shared/announce.js';
import { DevView2D } from './devset.js';
import { GradFlowPanel } from '../shared/gradflow.js';
import { mountSweep } from '../shared/sweep/panel.js';
import { el } from '../shared/dom.js';
import { sweepSetup2D } from './sweep.js';
import { OwnData2D } from './owndata.js';

const FRAME_BUDGET_MS = 10;
// the parts of the picture while training (see drawParts): the curves ten
// times a second, the links (slow to draw, slow to change) five; frames of 60 Hz
const CURVES_MS = 100, LINKS_MS = 200, COST_FACTOR = 3, DRAW_BUDGET_MS = 14;

export class View2D {
  /**
   * root: #view-2d; ctx: {nn, t, state (the whole state: this view reads
   * state['2d'] and state.page), onChange(group, name, value), baseUrl}.
   */
  constructor(root, ctx) {
    this.root = root;
    this.ctx = ctx;
    this.playing = false;
    this.dirty = true;
    this.selected = null;
    this.addClass = 0;
    this.diagramNames = [];
    this.diagramKey = '';
    this.speed = { steps: 0, since: performance.now(), rate: 0 };
    // when each part of the picture is next redrawn while training (see drawParts)
    this.clocks = {};
  }

  get s() { return this.ctx.state['2d']; }

  $(id) { return this.root.querySelector(`#${id}`); }

  t(key, values) { return this.ctx.t(key, values); }

  open() {
    if (this.trainer) return;
    const { nn, state } = this.ctx;
    this.trainer = new Trainer(nn);
    this.trainer.buildData(this.s);
    this.boundary = new Boundary(this.$('boundary'));
    this.diagram = new NetworkView(this.$('diagram'), {
      label: (c, u) => this.diagramNames[c]?.[u] ?? `${c}.${u + 1}`,
      onPick: (c, u) => {
        const hiddenCol = c >= 1 && c <= this.s.hidden.length;
        this.selected = hiddenCol && !(this.selected?.c === c && this.selected?.u === u) ? { c, u } : null;
        this.diagram.select(this.selected?.c, this.selected?.u);
        this.dirty = true;
      },
      // a typed weight or bias, as in TensorFlow Playground
      onEdit: (target, value) => this.guard(() => {
        this.trainer.setParam(target, value);
        // the links (and their tips) show the typed value at once
        if (this.diagram.visible) this.drawLinks(true);
        this.dirty = true;
      }),
      explain: (c, u) => this.explainNeuron(c, u),
    });
    this.chart = new LossChart(this.$('chart'));
    // the accuracy beside the loss (classification only), on its own canvas after the loss
    const accCanvas = document.createElement('canvas');
    accCanvas.id = 'acc-chart';
    accCanvas.className = 'chart';
    accCanvas.setAttribute('role', 'img');
    accCanvas.dataset.control = 'chart';
    this.$('chart').after(accCanvas);
    this.accChart = new LossChart(accCanvas);
    // the status line changes every frame: a hidden live region repeats it
    // at most every few seconds, and when training stops (shared/announce.js)
    this.live = new Announcer(this.$('stats'));
    // warnings about settings and runs that cannot work (task.js warnings)
    this.hint = document.createElement('p');
    this.hint.id = 'hint';
    this.hint.className = 'hint';
    this.$('message').after(this.hint);
    // the colour key of the boundary, under the picture
    this.legend = document.createElement('div');
    this.legend.id = 'boundary-legend';
    this.legend.className = 'colour-key';
    this.$('boundary-caption').before(this.legend);
    this.dev = new DevView2D(this);
    // loading a CSV, and the export menu (owndata.js)
    this.own = new OwnData2D(this);
    this.controls = new Controls(this.$('controls'), {
      t: this.ctx.t, group: '2d', page: state.page, applies, min: (s, name) => (name === 'classes' ? minClasses(s) : undefined),
      onChange: (name, value, group) => this.guard(() => this.ctx.onChange(group, name, value)),
    });
    this.controls.build(this.s);
    this.share = new SharePanel(this.$('share'), { t: this.ctx.t, baseUrl: this.ctx.baseUrl });
    this.share.build();
    this.share.update(state);
    // formats others use: a TensorFlow Playground link in, the net as ONNX out
    this.tfp = new TfpPanel({ t: this.ctx.t, state: () => this.ctx.state, go: (hash) => { location.hash = hash; } });
    this.$('share').after(this.tfp.build());
    this.exports();
    // the gradient-flow panel (shared/gradflow.js), under the curves
    this.flow = new GradFlowPanel({ group: '2d', t: this.ctx.t, lang: () => this.ctx.state.page.lang, settings: () => this.s,
      onChange: (name, value) => this.guard(() => this.ctx.onChange('2d', name, value)) });
    this.$('share').before(this.flow.build());
    this.mountSweep();
    this.wire();
    this.relabel();
    this.classPicker();
    this.setPlaying(state.page.autoplay);
  }

  /** The experiments panel (shared/sweep/, issue 14) under the curves; again for another language. */
  mountSweep() {
    // folded in the side column, as the gradient-flow panel: the view stays on one screen
    const box = el('div', { id: 's-sweep' });
    const old = this.$('sweep-2d');
    const card = el('details', { className: 'sweep-details', id: 'sweep-2d', open: !!old?.open },
      el('summary', { textContent: this.t('swTitle') }), box);
    if (old) old.replaceWith(card);
    else this.$('share').before(card);
    if (this.sweep) this.sweep.mount(box);
    else this.sweep = mountSweep(box, { nn: this.ctx.nn, t: this.ctx.t, lang: () => this.ctx.state.page.lang, spec: 'activation=tanh,relu,sigmoid',
      setup: (limit) => sweepSetup2D(this.trainer, this.s, limit), onStart: () => this.setPlaying(false) });
  }

  /**
   * A neuron's formula and bias for its tip (diagram column c, neuron u):
   * a = f(Σ wᵢ xᵢ + b) with its activation and bias; null for an input.
   */
  explainNeuron(c, u) {
    const tr = this.trainer, lang = this.ctx.state.page.lang, t = (k, v) => this.t(k, v);
    if (c === 0) return null;
    const dense = tr.net.layers().filter((l) => l.type === 'dense')[c - 1];
    if (!dense) return null;
    const out = c > this.s.hidden.length;
    const f = out ? tr.output.output : this.s.activation;
    const name = f === 'linear' ? '' : t(f);
    const sum = 'Σᵢ wᵢ xᵢ + b';
    return {
      formula: `${out ? 'y' : 'a'} = ${name ? `${name}(${sum})` : sum}${out && f === 'softmax' ? ` ${t('softmaxNote')}` : ''}`,
      bias: t('biasIs', { b: F.short(lang, dense.b[u], 4) }),
    };
  }

  /** The view's items of the export menu (shared/exports.js), in the page's language. */
  exports() {
    addOnnxExport(this.root, this.ctx.t, { id: 'onnx-2d', file: 'nnplay-2d.onnx', net: () => this.trainer?.net,
      doc: () => ONNX_DOCS.features(this.trainer.features) });
  }

  /** The texts of the static markup, in the page's language. */
  relabel() {
    const t = (k) => this.t(k);
    for (const [id, key] of [['btn-step', 'step'], ['btn-epoch', 'stepEpoch'], ['btn-reset', 'reset'],
      ['btn-new', 'newWeights'], ['btn-regen', 'regenerate']]) {
      this.$(id).textContent = t(key);
      this.$(id).title = t(`tip_${key}`);
    }
    this.$('btn-play').title = t('tip_play');
    this.$('boundary-caption').textContent = t('boundary');
    // a group, not an image: it holds the neurons' buttons
    this.$('diagram').setAttribute('role', 'group');
    this.$('diagram').setAttribute('aria-label', t('diagram'));
    this.$('chart').setAttribute('aria-label', t('lossChart'));
    this.$('acc-chart')?.setAttribute('aria-label', t('accChart'));
    this.$('click-help').textContent = t('clickHelp');
    if (this.diagram) this.diagram.editHint = t('editHint');
    this.diagramKey = '';
    this.dev?.relabel();
    this.own?.relabel();
    this.setPlaying(this.playing);
  }

  setPlaying(on) {
    this.playing = on && !this.trainer?.diverged;
    this.dev?.playing(this.playing);
    const b = this.$('btn-play');
    b.textContent = this.playing ? `❚❚ ${this.t('pause')}` : `▶ ${this.t('play')}`;
    b.setAttribute('aria-label', this.playing ? this.t('pause') : this.t('play'));
    b.setAttribute('aria-pressed', String(this.playing));
    // the status line is redrawn on its own clock while training: bring it up to date first
    if (this.live && !this.playing) {
      if (this.trainer) this.stats();
      this.live.say(true);
    }
  }

  /** A setting changed (already in the state): rebuild what depends on it. */
  apply(group, name, kind) {
    const s = this.s, tr = this.trainer;
    if (!tr) return;
    if (group === 'page') {
      if (name === 'lang') { this.relabel(); this.controls.build(s); this.share.build(); this.tfp.build(); this.exports(); this.classPicker(); this.flow.build(); this.mountSweep(); }
      // the presenter preset changes line weights: lay the pictures out again
      if (name === 'presenter') { this.boundary.sizedFor = null; this.diagram.shape = ''; }
      this.share.update(this.ctx.state);
      this.dirty = true;
      return;
    }
    if (group !== '2d') { this.share.update(this.ctx.state); return; }
    if (kind === 'data') { tr.buildData(s); this.selected = null; this.own.update(); }
    else if (kind === 'net') { tr.buildNet(s); this.selected = null; }
    else if (kind === 'live') tr.applyLive(s);
    else if (name === 'resolution') tr.buildGrid(s);
    this.controls.refresh(s);
    this.classPicker();
    this.share.update(this.ctx.state);
    this.flow.sync();
    this.dirty = true;
  }

  /** A change the state refused (invalid value): show the state's value again. */
  sync() { this.controls?.refresh(this.s); }

  close() { this.setPlaying(false); }

  fail(e) {
    this.setPlaying(false);
    this.$('message').textContent = e.message;
  }

  /** Runs fn; an error pauses this view and shows in its message. */
  guard(fn) {
    try {
      fn();
    } catch (e) {
      console.error(e);
      this.fail(e);
    }
  }

  classPicker() {
    const box = this.$('class-picker');
    const k = this.trainer.raw.classes;
    box.hidden = k < 2;
    if (this.addClass >= k) this.addClass = 0;
    box.replaceChildren(...Array.from({ length: Math.max(k, 0) }, (_, c) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = `swatch class-${c}`;
      b.setAttribute('aria-label', `${this.t('addClass')}: ${this.t('classN', { k: c })}`);
      b.setAttribute('aria-pressed', String(c === this.addClass));
      b.addEventListener('click', () => { this.addClass = c; this.classPicker(); });
      return b;
    }));
  }

  stats() {
    const tr = this.trainer, t = (k, v) => this.t(k, v), lang = this.ctx.state.page.lang;
    const h = tr.history[tr.history.length - 1];
    const f = (v) => (Math.abs(v) >= 1e4 ? F.short(lang, v, 3) : F.fixed(lang, v, 4));
    const pct = (v) => F.percent(lang, v, 1), dev = this.dev.status(h, f, pct);
    const acc = tr.raw.kind === 'regression' ? ''
      : ` · ${t('accuracy')} ${t('trainAcc')} ${pct(h.trainAcc)}${dev.acc} / ${t('testAcc')} ${pct(h.testAcc)}`;
    this.$('stats').textContent = `${t('epoch')} ${F.count(lang, tr.epochs)} · ${t('stepCount')} ${F.count(lang, tr.net.steps)} · `
      + `${t('trainLoss')} ${f(h.trainLoss)}${dev.loss} · ${t('testLoss')} ${f(h.testLoss)}${acc}`;
    this.dev.update();
    this.$('why').textContent = t(tr.output.why);
    this.$('message').textContent = tr.diverged ? t('diverged') : '';
    const warn = tr.diverged ? [] : warnings(this.s, tr.history, tr.net.steps);
    this.hint.textContent = warn.map((w) => t(w.key, w.values)).join(' ');
    this.$('speed').textContent = t('stepsPerSecond', { n: Math.round(this.speed.rate) });
    this.live.say();
  }

  /** The diagram's shape and names, rebuilt (returns true) when the net, the features or the language change. */
  layoutDiagram() {
    const tr = this.trainer, s = this.s, t = (k, v) => this.t(k, v);
    const cols = [tr.features.length, ...s.hidden, tr.net.outputs];
    const titles = [t('features'), ...s.hidden.map((_, i) => `${i + 1}`), t('output')];
    const key = `${this.ctx.state.page.lang}/${tr.features.join(',')}/${cols.join(',')}`;
    if (key !== this.diagramKey) {
      this.diagramKey = key;
      this.diagramNames = [tr.features.map((f) => t('inputName', { f: t(f) })),
        ...s.hidden.map((u, l) => Array.from({ length: u }, (_, i) => t('neuronName', { k: i + 1, l: l + 1 }))),
        Array.from({ length: tr.net.outputs }, (_, i) => t('outputName', { k: i + 1 }))];
    }
    return this.diagram.layout(cols, [...titles, key], tr.neuronRes);
  }

  /** All the links (`all`), or the next band of them in turn: every band is redrawn each LINKS_MS. */
  drawLinks(all) {
    const names = this.diagramNames, t = (k, v) => this.t(k, v);
    this.linkPair = all ? -1 : ((this.linkPair ?? -1) + 1) % this.diagram.pairs;
    this.diagram.drawLinks(this.trainer.weights(),
      (c, i, j, w) => t('weight', { from: names[c][i], to: names[c + 1][j], w: F.short(this.ctx.state.page.lang, w, 3) }),
      all ? undefined : this.linkPair);
  }

  /**
   * The picture's parts, each on its own clock while training: the boundary
   * and the neurons' maps as often as they stay cheap, the curves CURVES_MS
   * apart, the links a band between two columns at a time, every band each
   * LINKS_MS. A part drawn at time t0 is next due at t0 +
   * max(every, COST_FACTOR x what it cost): whatever a link asks for, no
   * part takes more than a third of the time. A frame draws its due parts,
   * the most overdue first, while it is under DRAW_BUDGET_MS (at least one);
   * the others wait for the next frame. `force` (paused, or a change):
   * everything now.
   */
  drawParts(force) {
    const tr = this.trainer, s = this.s, t = (k, v) => this.t(k, v);
    const parts = [['boundary', 0, () => this.drawBoundary()]];
    let fresh = false;
    if (this.diagram.visible) {
      // a new layout starts from blank canvases
      fresh = this.layoutDiagram();
      parts.push(['maps', 0, () => this.diagram.drawMaps(tr.neuronPixels())],
        ['links', LINKS_MS / this.diagram.pairs, () => this.drawLinks(force || fresh)]);
    }
    parts.push(['curves', CURVES_MS, () => {
      const lang = this.ctx.state.page.lang;
      this.chart.draw(tr.history, this.dev.chart({ log: s.logScale, lang,
        labels: { train: t('trainLoss'), test: t('testLoss'), x: t('stepsAxis'), y: t('lossAxis') } }, 'loss'));
      const classify = tr.raw.kind !== 'regression';
      this.accChart.canvas.hidden = !classify;
      if (classify) {
        this.accChart.draw(tr.history, this.dev.chart({ metric: 'accuracy', lang,
          labels: { train: t('trainAcc'), test: t('testAcc'), x: t('stepsAxis'), y: t('accuracyAxis') } }, 'accuracy'));
      }
      this.stats();
    }]);
    if (this.flow.open) {
      parts.push(['flow', CURVES_MS, () => this.flow.draw(tr.net, tr.sets.train,
        { force, probeText: t('gfProbe2d', { n: tr.sets.train.n }) })]);
    }
    const now = performance.now(), clock = (name) => (this.clocks[name] ??= { next: 0, stale: false });
    const due = parts.filter(([name]) => force || (fresh && name !== 'boundary') || clock(name).next <= now)
      .sort((a, b) => clock(a[0]).next - clock(b[0]).next);
    for (const [name] of parts) clock(name).stale = true;
    due.forEach(([name, every, fn], i) => {
      if (!force && i > 0 && performance.now() - this.frameStart > DRAW_BUDGET_MS) return;
      const t0 = performance.now();
      fn();
      Object.assign(clock(name), { next: t0 + Math.max(every, COST_FACTOR * (performance.now() - t0)), stale: false });
    });
  }

  /** Parts left stale while training, to draw when it stops. */
  get stale() { return Object.values(this.clocks).some((c) => c.stale); }

  drawBoundary() {
    const tr = this.trainer, s = this.s, t = (k, v) => this.t(k, v);
    const oneD = tr.raw.dims === 1;
    const res = tr.res, kind = tr.raw.kind;
    const caption = this.$('boundary-caption');
    let text;
    if (this.selected && !oneD) {
      const { c, u } = this.selected;
      this.boundary.drawHeatmap(tr.unitPixels(c, u), res, { discretize: false });
      text = t('neuronView', { k: u + 1, l: c });
    } else {
      if (oneD) this.boundary.drawCurve(tr.gridRaw, tr.predictGrid());
      else this.boundary.drawHeatmap(tr.boundaryPixels({ discretize: s.discretize }), res, { discretize: s.discretize });
      text = oneD ? t('curveView') : kind === 'regression' ? t('regressionView') : t('boundary');
    }
    if (!oneD) {
      boundaryLegend(this.legend, { kind, classes: tr.raw.classes, signed: tr.output.output === 'tanh', t,
        neuron: !!this.selected, lang: this.ctx.state.page.lang });
    }
    this.legend.hidden = oneD;
    // a big net's heatmap is computed on a coarser grid (task.js, gridResolution): say so
    if (!oneD && res < s.resolution) text += ` ${t('coarseGrid', { res })}`;
    if (caption.textContent !== text) caption.textContent = text;
    this.boundary.drawPoints(tr.raw.train, tr.raw.dims, { kind });
    if (s.showTest) { this.boundary.drawPoints(tr.raw.test, tr.raw.dims, { test: true, kind }); this.dev.drawPoints(); }
    if (!oneD) this.boundary.ticks((v) => F.short(this.ctx.state.page.lang, v));
    // a diverged net's predictions mean nothing: veil them and say why
    if (tr.diverged) this.boundary.veil(t('diverged'));
  }

  /** One animation frame while the view is shown: a training slice, then a redraw if anything changed. */
  frame() {
    const tr = this.trainer, s = this.s;
    this.frameStart = performance.now();
    if (this.playing) {
      // one step, one epoch (as TensorFlow Playground) or as many as fit the budget
      const steps = s.speed === 'max' ? tr.trainFor(FRAME_BUDGET_MS) : tr.train(s.speed === 'step' ? 1 : 0);
      this.speed.steps += steps;
      // diverged, or stopped early by patience on the dev set
      if (tr.diverged || tr.early.stop) this.setPlaying(false);
      this.dirty = true;
    }
    const now = performance.now();
    if (now - this.speed.since > 1000) {
      this.speed.rate = (this.speed.steps * 1000) / (now - this.speed.since);
      this.speed.steps = 0;
      this.speed.since = now;
      // only the counter changes: no redraw while paused
      this.$('speed').textContent = this.t('stepsPerSecond', { n: Math.round(this.speed.rate) });
    }
    // a change, or training stopped with parts left stale: everything
    if (this.dirty || (!this.playing && this.stale)) { this.drawParts(!this.playing); this.dirty = false; }
  }

  /** Keyboard: space plays or pauses, → runs one step. Returns whether the key was used. */
  key(e) {
    if (e.key === ' ') { this.setPlaying(!this.playing); return true; }
    if (e.key === 'ArrowRight') { this.stepOnce(); return true; }
    return false;
  }

  stepOnce() {
    this.setPlaying(false);
    this.trainer.train(1);
    this.dirty = true;
  }

  /** A hosting page's command (embed.js): play, pause, step, epoch, reset; false when not one of them. */
  command(name) {
    const run = {
      play: () => this.setPlaying(true),
      pause: () => this.setPlaying(false),
      step: () => this.stepOnce(),
      epoch: () => { this.setPlaying(false); this.trainer.train(0); this.dirty = true; },
      reset: () => { this.trainer.reset(); this.dirty = true; },
    }[name];
    if (!run || !this.trainer) return false;
    run();
    return true;
  }

  /** Where training is, for a hosting page (embed.js); accuracies are null for regression. */
  progress() {
    const tr = this.trainer;
    if (!tr) return null;
    const h = tr.history[tr.history.length - 1] ?? {};
    const acc = (v) => (tr.raw.kind === 'regression' ? null : v);
    return { epoch: tr.epochs, step: tr.net.steps, loss: h.trainLoss, testLoss: h.testLoss, accuracy: acc(h.trainAcc),
      testAccuracy: acc(h.testAcc), playing: this.playing, diverged: tr.diverged };
  }

  wire() {
    const on = (id, fn) => this.$(id).addEventListener('click', () => this.guard(fn));
    const seed = () => String((Math.random() * 2 ** 31) >>> 0);
    on('btn-play', () => this.command(this.playing ? 'pause' : 'play'));
    for (const [id, name] of [['btn-step', 'step'], ['btn-epoch', 'epoch'], ['btn-reset', 'reset']]) on(id, () => this.command(name));
    on('btn-new', () => this.ctx.onChange('2d', 'seed', seed()));
    on('btn-regen', () => this.ctx.onChange('2d', 'dataSeed', seed()));
    this.$('boundary').addEventListener('click', (e) => this.guard(() => this.clickPoint(e)));
    // the boxes change size with the window, the embed frame and the presenter preset: lay out again
    const resized = new ResizeObserver(() => { if (this.diagram) this.diagram.shape = ''; this.dirty = true; });
    for (const id of ['diagram', 'boundary', 'chart']) resized.observe(id === 'diagram' ? this.$(id).parentElement : this.$(id));
  }

  // Click: add a point of the chosen class; shift: the next class; ctrl/⌘: remove the nearest.
  clickPoint(e) {
    const { x1, x2 } = this.boundary.toData(e);
    const tr = this.trainer, raw = tr.raw;
    if (e.ctrlKey || e.metaKey) {
      const near = nearest(raw.train.x, raw.dims, x1, raw.dims === 1 ? 0 : x2);
      if (near.index >= 0 && near.d2 < 1) tr.removePoint(near.index);
    } else if (raw.kind === 'regression') {
      tr.addPoint(raw.dims === 1 ? { x1, y: x2 / 3 } : { x1, x2, y: e.shiftKey ? -1 : 1 });
    } else {
      tr.addPoint({ x1, x2, label: e.shiftKey ? (this.addClass + 1) % raw.classes : this.addClass });
    }
    this.dirty = true;
  }
}
