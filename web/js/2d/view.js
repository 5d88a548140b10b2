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
import { boundaryLegend } from '../shared/legend.js';

const FRAME_BUDGET_MS = 10;
// a screen reader hears the status at most this often (the line itself changes every frame)
const ANNOUNCE_MS = 5000;

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
    // the diagram's redraw pace (see drawDiagramPaced)
    this.pace = { next: 0, stale: false };
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
    // the status line changes every frame: it is not a live region; a hidden
    // one repeats it at most every ANNOUNCE_MS, and when training stops
    const stats = this.$('stats');
    stats.removeAttribute('role');
    stats.setAttribute('aria-live', 'off');
    this.live = document.createElement('p');
    this.live.className = 'visually-hidden';
    this.live.setAttribute('role', 'status');
    this.lastAnnounce = 0;
    // warnings about settings and runs that cannot work (task.js warnings)
    this.hint = document.createElement('p');
    this.hint.id = 'hint';
    this.hint.className = 'hint';
    this.$('message').after(this.hint, this.live);
    // the colour key of the boundary, under the picture
    this.legend = document.createElement('div');
    this.legend.id = 'boundary-legend';
    this.legend.className = 'legend';
    this.$('boundary-caption').before(this.legend);
    this.controls = new Controls(this.$('controls'), {
      t: this.ctx.t, group: '2d', page: state.page, applies, min: (s, name) => (name === 'classes' ? minClasses(s) : undefined),
      onChange: (name, value, group) => this.guard(() => this.ctx.onChange(group, name, value)),
    });
    this.controls.build(this.s);
    this.share = new SharePanel(this.$('share'), { t: this.ctx.t, baseUrl: this.ctx.baseUrl });
    this.share.build();
    this.share.update(state);
    this.wire();
    this.relabel();
    this.classPicker();
    this.setPlaying(state.page.autoplay);
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
    this.diagramKey = '';
    this.setPlaying(this.playing);
  }

  setPlaying(on) {
    this.playing = on && !this.trainer?.diverged;
    const b = this.$('btn-play');
    b.textContent = this.playing ? `❚❚ ${this.t('pause')}` : `▶ ${this.t('play')}`;
    b.setAttribute('aria-label', this.playing ? this.t('pause') : this.t('play'));
    b.setAttribute('aria-pressed', String(this.playing));
    if (this.live && !this.playing) this.announce(true);
  }

  /** Repeats the status line in the live region: when forced, or at most every ANNOUNCE_MS. */
  announce(force) {
    const now = performance.now();
    if (!force && now - this.lastAnnounce < ANNOUNCE_MS) return;
    this.lastAnnounce = now;
    this.live.textContent = this.$('stats').textContent;
  }

  /** A setting changed (already in the state): rebuild what depends on it. */
  apply(group, name, kind) {
    const s = this.s, tr = this.trainer;
    if (!tr) return;
    if (group === 'page') {
      if (name === 'lang') { this.relabel(); this.controls.build(s); this.share.build(); this.classPicker(); }
      this.share.update(this.ctx.state);
      this.dirty = true;
      return;
    }
    if (group !== '2d') { this.share.update(this.ctx.state); return; }
    if (kind === 'data') { tr.buildData(s); this.selected = null; }
    else if (kind === 'net') { tr.buildNet(s); this.selected = null; }
    else if (kind === 'live') tr.applyLive(s);
    else if (name === 'resolution') tr.buildGrid(s);
    this.controls.refresh(s);
    this.classPicker();
    this.share.update(this.ctx.state);
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
    const pct = (v) => F.percent(lang, v, 1);
    const acc = tr.raw.kind === 'regression' ? ''
      : ` · ${t('accuracy')} ${t('trainAcc')} ${pct(h.trainAcc)} / ${t('testAcc')} ${pct(h.testAcc)}`;
    this.$('stats').textContent = `${t('epoch')} ${F.count(lang, tr.epochs)} · ${t('stepCount')} ${F.count(lang, tr.net.steps)} · `
      + `${t('trainLoss')} ${f(h.trainLoss)} · ${t('testLoss')} ${f(h.testLoss)}${acc}`;
    this.$('why').textContent = t(tr.output.why);
    this.$('message').textContent = tr.diverged ? t('diverged') : '';
    const warn = tr.diverged ? [] : warnings(this.s, tr.history, tr.net.steps);
    this.hint.textContent = warn.map((w) => t(w.key, w.values)).join(' ');
    this.$('speed').textContent = t('stepsPerSecond', { n: Math.round(this.speed.rate) });
    this.announce(false);
  }

  // Per-neuron maps for the diagram: inputs, hidden layers, outputs.
  diagramData() {
    const tr = this.trainer;
    const feats = tr.features, k = feats.length, n = tr.neuronX.length / k;
    // scales a map to [-1, 1] in place (hundreds of maps a frame: plain loops)
    const norm = (a) => {
      let m = 1e-9;
      for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
      for (let i = 0; i < a.length; i++) a[i] /= m;
      return a;
    };
    const inputs = feats.map((_f, j) => norm(Float32Array.from({ length: n }, (_, p) => tr.neuronX[p * k + j])));
    const hidden = tr.neuronMaps().map((layer) => layer.map(norm));
    const out = tr.net.predict(tr.neuronX);
    const units = tr.net.outputs;
    const outputs = Array.from({ length: units }, (_u, u) => Float32Array.from({ length: n }, (_, p) => out[p * units + u]));
    // 1-D data: each map is a line along x1, drawn as vertical stripes
    if (tr.raw.dims === 1) {
      const R = 24, stripes = (a) => Float32Array.from({ length: R * R }, (_, p) => a[Math.floor(((p % R) * a.length) / R)]);
      inputs.forEach((a, i) => { inputs[i] = stripes(a); });
      hidden.forEach((layer) => layer.forEach((a, i) => { layer[i] = stripes(a); }));
      outputs.forEach((a, i) => { outputs[i] = stripes(a); });
    }
    const outKind = tr.output.output === 'softmax' ? { kind: 'binary', signed: false }
      : { kind: tr.raw.kind === 'regression' ? 'regression' : 'binary', signed: tr.output.output === 'tanh' };
    const plain = { kind: 'regression' };
    return { maps: [inputs, ...hidden, outputs], kinds: [plain, ...hidden.map(() => plain), outKind] };
  }

  drawDiagram() {
    const tr = this.trainer, s = this.s, t = (k, v) => this.t(k, v);
    const cols = [tr.features.length, ...s.hidden, tr.net.outputs];
    const titles = [t('features'), ...s.hidden.map((_, i) => `${i + 1}`), t('output')];
    // the neurons' names change with the shape or the language, not every frame
    const key = `${this.ctx.state.page.lang}/${tr.features.join(',')}/${cols.join(',')}`;
    if (key !== this.diagramKey) {
      this.diagramKey = key;
      this.diagramNames = [tr.features.map((f) => t('inputName', { f: t(f) })),
        ...s.hidden.map((u, l) => Array.from({ length: u }, (_, i) => t('neuronName', { k: i + 1, l: l + 1 }))),
        Array.from({ length: tr.net.outputs }, (_, i) => t('outputName', { k: i + 1 }))];
    }
    const names = this.diagramNames;
    this.diagram.layout(cols, [...titles, key], 24);
    const d = this.diagramData();
    this.diagram.update(d.maps, d.kinds, tr.weights(),
      (c, i, j, w) => t('weight', { from: names[c][i], to: names[c + 1][j], w: F.short(this.ctx.state.page.lang, w, 3) }));
  }

  // The diagram's cost grows with the net (8 x 64 neurons: 512 maps). While
  // training it is redrawn at most so often that it takes a fifth of the time
  // (a small net's, every frame), and always once training stops: frames stay
  // short whatever a link asks for.
  drawDiagramPaced(force) {
    const t0 = performance.now();
    if (!force && t0 < this.pace.next) {
      this.pace.stale = true;
      return;
    }
    this.drawDiagram();
    this.pace.next = t0 + 4 * (performance.now() - t0);
    this.pace.stale = false;
  }

  draw() {
    const tr = this.trainer, s = this.s, t = (k, v) => this.t(k, v);
    const oneD = tr.raw.dims === 1;
    const res = tr.res, kind = tr.raw.kind;
    const caption = this.$('boundary-caption');
    if (this.selected && !oneD) {
      const { c, u } = this.selected;
      this.boundary.drawHeatmap(tr.unitMap(c, u), res, { kind: 'regression', discretize: false });
      caption.textContent = t('neuronView', { k: u + 1, l: c });
    } else {
      const out = tr.predictGrid();
      if (oneD) this.boundary.drawCurve(tr.gridRaw, out);
      else {
        this.boundary.drawHeatmap(out, res, { kind, classes: tr.raw.classes, signed: tr.output.output === 'tanh',
          discretize: s.discretize });
      }
      caption.textContent = oneD ? t('curveView') : kind === 'regression' ? t('regressionView') : t('boundary');
    }
    if (!oneD) {
      boundaryLegend(this.legend, { kind, classes: tr.raw.classes, signed: tr.output.output === 'tanh', t,
        neuron: !!this.selected, lang: this.ctx.state.page.lang });
    }
    this.legend.hidden = oneD;
    // a big net's heatmap is computed on a coarser grid (task.js, gridResolution): say so
    if (!oneD && res < s.resolution) caption.textContent += ` ${t('coarseGrid', { res })}`;
    this.boundary.drawPoints(tr.raw.train, tr.raw.dims, { kind });
    if (s.showTest) this.boundary.drawPoints(tr.raw.test, tr.raw.dims, { test: true, kind });
    // a diverged net's predictions mean nothing: veil them and say why
    if (tr.diverged) this.boundary.veil(t('diverged'));
    if (this.diagram.visible) this.drawDiagramPaced(!this.playing);
    const lang = this.ctx.state.page.lang;
    this.chart.draw(tr.history, { log: s.logScale, lang,
      labels: { train: t('trainLoss'), test: t('testLoss'), x: t('stepsAxis'), y: t('lossAxis') } });
    const classify = tr.raw.kind !== 'regression';
    this.accChart.canvas.hidden = !classify;
    if (classify) {
      this.accChart.draw(tr.history, { metric: 'accuracy', lang,
        labels: { train: t('trainAcc'), test: t('testAcc'), x: t('stepsAxis'), y: t('accuracyAxis') } });
    }
    this.stats();
  }

  /** One animation frame while the view is shown: a training slice, then a redraw if anything changed. */
  frame() {
    const tr = this.trainer, s = this.s;
    if (this.playing) {
      // one step, one epoch (as TensorFlow Playground) or as many as fit the budget
      const steps = s.speed === 'max' ? tr.trainFor(FRAME_BUDGET_MS) : tr.train(s.speed === 'step' ? 1 : 0);
      this.speed.steps += steps;
      if (tr.diverged) this.setPlaying(false);
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
    if (this.dirty) { this.draw(); this.dirty = false; }
    // paused with a diagram skipped while training: draw its last state
    else if (!this.playing && this.pace.stale && this.diagram.visible) this.drawDiagramPaced(true);
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
