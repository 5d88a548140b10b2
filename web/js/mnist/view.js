// view.js: the MNIST view. It loads the digits (web/data/mnist, or the
// subset inlined in the offline page), trains the course's MLP in
// time-budgeted slices, and draws the curves, the first-layer weights as
// 28 x 28 images, a gallery, the confusion matrix, a drawing pad and the
// optimiser comparison. main.js creates it when the MNIST tab opens; it has
// the interface of every view (main.js).
import { loadMnist, PIXELS, MAX_COUNT } from '../mnist.js';
import { Controls, MNIST_LAYOUT } from '../shared/controls.js';
import { makeSets, netOptions, Run, predictBytes, confusion, weightStats, evaluateChunk, QUICK_TEST } from './model.js';
import { applyTraining } from '../shared/training.js';
import { usesMomentum } from '../2d/task.js';
import { WeightGrid, drawNeuron, drawCurves, drawGallery, drawConfusion, drawProbs, drawRuns } from './views.js';
import { DrawPad } from './drawpad.js';
import { MnistDev } from './devset.js';
import { el } from '../shared/dom.js';
import { downloadBlob } from '../shared/download.js';
import { Announcer } from '../shared/announce.js';
import { MNIST_MAX_WEIGHTS } from '../state.js';
import { fixed, count, percent, punctuate } from '../shared/format.js';
import { GradFlowPanel } from '../shared/gradflow.js';
import { mountShift } from '../shared/shift.js';
import { mountRace } from '../shared/race-view.js';

const FRAME_BUDGET_MS = 12;
// a saved net of the largest size the view builds is 8 MB (weights and optimiser state)
const MAX_FILE_BYTES = 64 * 2 ** 20;
const GALLERY = 40;
const COMPARE_COLORS = ['#333', '#0072B2', '#E69F00', '#009E73', '#CC79A7', '#D55E00'];


export class MnistView {
  /** root: #view-mnist; ctx: {nn, t, state (this view reads state.mnist and state.page), onChange, mnistReader}. */
  constructor(root, ctx) {
    this.root = root;
    this.ctx = ctx;
    this.nn = ctx.nn;
    // French typography (a narrow no-break space before : ; ? !) on every text
    this.t = (key, values) => punctuate(this.lang, ctx.t(key, values));
    this.onChange = (name, value) => ctx.onChange('mnist', name, value);
    this.reader = ctx.mnistReader;
    this.playing = false;
    this.runs = [];
    this.compare = false;
    this.selected = 0;
    this.speed = { samples: 0, since: performance.now(), rate: 0 };
  }

  /** The view's settings (state.mnist). */
  get state() { return this.ctx.state.mnist; }

  get lang() { return this.ctx.state.page.lang; }

  /** Number formats of the page's language (shared/format.js). */
  get fmt() {
    const lang = this.lang;
    return { fixed: (v, d) => fixed(lang, v, d), count: (n) => count(lang, n), percent: (v, d) => percent(lang, v, d) };
  }

  /** Loads the data and builds the DOM; resolves when ready (the first call only). */
  async open() {
    if (this.opening) return this.opening;
    this.opening = this.load();
    return this.opening;
  }

  async load() {
    const t = this.t;
    this.build();
    this.status.textContent = t('mLoading');
    this.progress.setAttribute('aria-label', t('mDownloadProgress'));
    try {
      this.mnist = await loadMnist(this.reader, { onProgress: (p) => this.downloaded(p) });
    } catch (e) {
      this.message.textContent = e.message;
      throw e;
    }
    this.progress.setAttribute('aria-label', t('mProgress'));
    this.sets = makeSets(this.nn, this.mnist, this.state.dev);
    const { count: fmt } = this.fmt;
    if (this.mnist.info.train < 60000) this.note.textContent = t('mSubset', { train: fmt(this.mnist.info.train), test: fmt(this.mnist.info.test),
      fullTrain: fmt(MAX_COUNT.train), fullTest: fmt(MAX_COUNT.test) });
    this.testCount = fmt(this.mnist.info.test);
    this.galleryIdx = Array.from({ length: GALLERY }, (_, i) => i * 37 % this.mnist.test.n);
    this.rebuild();
    this.ready = true;
    this.root.dataset.ready = '1';
  }

  /** The download so far ({loaded, total} bytes, total null until known): status line and progress bar. */
  downloaded({ loaded, total }) {
    const mb = (b) => this.fmt.fixed(b / 1e6, 1);
    this.status.textContent = total ? this.t('mDownloading', { loaded: mb(loaded), total: mb(total), pct: this.fmt.percent(loaded / total, 0) })
      : this.t('mDownloaded', { loaded: mb(loaded) });
    this.progress.value = total ? loaded / total : 0;
  }

  build() {
    const t = this.t;
    this.playBtn = el('button', { type: 'button', className: 'primary', id: 'm-play' });
    this.playBtn.addEventListener('click', this.guard(() => this.toggle()));
    const reset = el('button', { type: 'button', textContent: t('reset'), id: 'm-reset' });
    reset.addEventListener('click', this.guard(() => { this.runs.forEach((r) => r.reset()); this.draw(true); }));
    const file = el('input', { type: 'file', accept: '.bin,.nnp,application/octet-stream', id: 'm-load', className: 'file-input' });
    file.addEventListener('change', this.guard(() => this.loadFile(file.files[0])));
    const save = el('button', { type: 'button', textContent: t('mSave'), id: 'm-save' });
    save.addEventListener('click', this.guard(() => this.saveNet()));
    this.progress = el('progress', { max: 1, value: 0, id: 'm-progress' });
    this.progress.setAttribute('aria-label', t('mProgress'));
    this.speedText = el('span', { className: 'speed' });
    const toolbar = el('div', { className: 'toolbar' }, this.playBtn, reset, save,
      file, el('label', { htmlFor: 'm-load', textContent: t('mLoad'), className: 'file button' }), this.progress, this.speedText);

    this.status = el('div', { className: 'stats', role: 'status', id: 'm-status' });
    this.message = el('p', { className: 'message', role: 'alert' });
    this.note = el('p', { className: 'why' });
    this.doneNote = el('p', { className: 'help', id: 'm-done' });
    this.runTable = el('table', { className: 'runs', id: 'm-runs' });
    this.lossCanvas = el('canvas', { className: 'chart', role: 'img', ariaLabel: t('mLossCurves') });
    this.accCanvas = el('canvas', { className: 'chart', role: 'img', ariaLabel: t('mAccCurves') });
    this.dev = new MnistDev(this);

    this.weightsCanvas = el('canvas', { className: 'weights', id: 'm-weights', role: 'img', ariaLabel: t('mWeights') });
    this.legend = el('span', { className: 'legend-text' });
    this.grid = new WeightGrid(this.weightsCanvas, this.legend, { onPick: (u) => { this.selected = u; this.draw(true); }, fmt: this.fmt });
    this.neuronCanvas = el('canvas', { className: 'neuron-large', role: 'img', ariaLabel: t('mNeuron') });
    this.neuronStats = el('div', { className: 'neuron-stats' });
    const legendBar = el('div', { className: 'legend-bar' });

    this.gallery = el('div', { className: 'gallery' });
    this.confusionBox = el('div', { className: 'confusion-box' });
    const confBtn = el('button', { type: 'button', textContent: t('mConfusionButton') });
    confBtn.addEventListener('click', this.guard(() => this.drawConfusion()));

    this.probs = el('div', { className: 'probs' });
    // issue 11: the drawn digit shifted by whole pixels before the net reads it, and the race (shared/)
    const shiftBox = el('div', { className: 'm-shift' });
    this.shift = mountShift(shiftBox, { t, onShift: () => this.classify(this.drawn) });
    this.raceLine = el('p', { className: 'help', id: 'm-race-line' });
    const raceBox = el('div', { id: 'm-race' });
    if (this.race) this.race.mount(raceBox);
    else this.race = mountRace(raceBox, { nn: this.nn, t, lang: () => this.lang, onStart: () => this.setPlaying(false), onError: (e) => this.fail(e),
      data: () => (this.ready ? { train: this.sets.train, test: this.mnist.test } : null) });
    const padCanvas = el('canvas', { className: 'drawpad', role: 'img', ariaLabel: t('mDrawHelp') });
    this.pad = new DrawPad(padCanvas, this.guard((x) => this.classify(x)));
    const clear = el('button', { type: 'button', textContent: t('mClear') });
    clear.addEventListener('click', () => this.pad.clear());

    this.compareBoxes = el('div', { className: 'compare-choices' });
    const compareBtn = el('button', { type: 'button', textContent: t('mCompareStart'), id: 'm-compare' });
    compareBtn.addEventListener('click', this.guard(() => this.startCompare()));
    const singleBtn = el('button', { type: 'button', textContent: t('mCompareStop') });
    singleBtn.addEventListener('click', this.guard(() => { this.compare = false; this.rebuild(); }));
    this.compareWeights = el('div', { className: 'compare-weights' });

    this.controlsRoot = el('aside', { className: 'controls' });
    this.controls = new Controls(this.controlsRoot, {
      t, group: 'mnist', onChange: this.guard(this.onChange), layout: MNIST_LAYOUT,
      applies: (st, name) => name !== 'momentum' || usesMomentum(st.optimizer),
    });
    this.controls.build(this.state);

    const card = (name, title, ...kids) => el('section', { className: `card m-${name}` }, el('h2', { textContent: title }), ...kids);
    // the gradient-flow panel (shared/gradflow.js): its history outlives a new language's DOM
    this.flow ??= new GradFlowPanel({ group: 'mnist', t, lang: () => this.lang, settings: () => this.state,
      onChange: this.guard(this.onChange), noSteps: 'gfNoStepsMnist' });
    const main = el('div', { className: 'mnist-main' },
      card('curves', t('mCurves'), this.status, this.doneNote, this.message, this.note, ...this.dev.nodes, el('div', { className: 'runs-box' }, this.runTable),
        this.lossCanvas, this.accCanvas),
      el('section', { className: 'card m-gradflow' }, this.flow.build()),
      card('weights', t('mWeights'), el('p', { className: 'help', textContent: t('mWeightsHelp') }), this.weightsCanvas,
        el('div', { className: 'legend' }, legendBar, this.legend),
        el('div', { className: 'neuron' }, this.neuronCanvas, this.neuronStats)),
      card('gallery', t('mGallery'), this.gallery, confBtn, this.confusionBox),
      card('draw', t('mDraw'), el('p', { className: 'help', textContent: t('mDrawHelp') }),
        el('div', { className: 'draw-row' }, padCanvas, this.probs), clear, shiftBox, this.raceLine),
      card('compare', t('mCompare'), el('p', { className: 'help', textContent: t('mCompareHelp') }), this.compareBoxes, compareBtn, singleBtn,
        this.compareWeights),
      card('race', t('raceTitle'), raceBox));
    this.root.replaceChildren(toolbar, el('div', { className: 'layout' }, this.controlsRoot, main));
    // the status changes several times a second: screen readers hear it at most every few seconds
    this.live = new Announcer(this.status);
    this.buildCompareChoices();
    this.setPlaying(false);
  }

  buildCompareChoices() {
    const chosen = new Set(this.state.compare);
    this.compareBoxes.replaceChildren(...['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam'].map((o) => {
      const cb = el('input', { type: 'checkbox', id: `cmp-${o}`, checked: chosen.has(o) });
      cb.addEventListener('change', () => {
        const now = [...this.compareBoxes.querySelectorAll('input:checked')].map((c) => c.id.slice(4));
        this.onChange('compare', now);
      });
      return el('span', { className: 'feature' }, cb, el('label', { htmlFor: `cmp-${o}`, textContent: this.t(o) }));
    }));
  }

  /** Train or pause; Train once every run is done trains on for another round of the set epochs. */
  toggle() {
    if (!this.playing && this.allDone()) this.runs.forEach((r) => r.trainOn());
    this.setPlaying(!this.playing);
  }

  /** Every run has trained its epochs (or diverged) and evaluated them. */
  allDone() { return this.runs.length > 0 && this.runs.every((r) => r.done); }

  setPlaying(on) {
    const t = this.t, n = this.state.epochs;
    this.playing = on && this.runs.some((r) => !r.done);
    // done: the button trains on, and says how far
    const more = this.allDone() && this.runs.some((r) => !r.diverged);
    this.playBtn.textContent = this.playing ? `❚❚ ${t('pause')}` : `▶ ${more ? t(n === 1 ? 'mTrainOnOne' : 'mTrainOn', { n }) : t('mTrain')}`;
    this.playBtn.setAttribute('aria-pressed', String(this.playing));
    this.doneNote.textContent = more ? t('mDone', { n: this.runs[0].epoch, more: n }) : '';
    this.drawRuns();
  }

  /** Pauses and shows an error in this view's own message (main.js calls it for a failed frame too). */
  fail(e) {
    this.setPlaying(false);
    this.message.textContent = e.message;
  }

  /** fn as an event handler whose errors (thrown or rejected) go to this view's message. */
  guard(fn) {
    return (...args) => {
      try {
        const r = fn(...args);
        if (r instanceof Promise) r.catch((e) => { console.error(e); this.fail(e); });
      } catch (e) {
        console.error(e);
        this.fail(e);
      }
    };
  }

  /** New runs from the state: one, or one per compared optimiser (same seed: same init and batch order). */
  rebuild() {
    this.runs.forEach((r) => r.free());
    const s = this.state;
    const opts = { batch: s.batch, epochs: s.epochs, early: this.dev.options };
    const names = this.compare ? s.compare.slice(0, 6) : [s.optimizer];
    this.runs = names.map((o) => new Run(this.nn.createNet(netOptions(s, o)), this.sets, { ...opts, label: this.t(o) }));
    this.selected = Math.min(this.selected, this.runs[0].firstLayer().units - 1);
    this.message.textContent = '';
    this.setPlaying(false);
    this.draw(true);
  }

  startCompare() {
    if (this.state.compare.length < 2) { this.message.textContent = this.t('mCompareNeed'); return; }
    this.compare = true;
    this.rebuild();
    this.setPlaying(true);
  }

  /** Applies the settings that change while training (rate, batch, epochs, L2). */
  applyLive() {
    const s = this.state;
    this.runs.forEach((r, i) => {
      // compared runs keep their own optimiser; the first takes the chosen rate
      const name = this.compare ? r.net.optimizer?.name ?? s.optimizer : s.optimizer;
      const hyper = !this.compare || i === 0 ? { lr: s.lr, momentum: s.momentum } : {};
      applyTraining(r.net, { name, ...hyper }, { l2: s.l2 });
      // a loaded net may take smaller batches than the view's
      r.batch = Math.min(s.batch, r.net.maxBatch);
      r.setRound(s.epochs);
      r.early.configure(this.dev.options);
    });
    this.setPlaying(this.playing);
  }

  /**
   * Called by main.js every frame while the view is shown. The runs take turns
   * within the frame's budget, so six big nets cost one step per frame, not six;
   * pending evaluations go on while paused.
   */
  frame() {
    if (!this.ready) return;
    const busy = this.runs.filter((r) => (this.playing ? !r.done : r.pending));
    const end = performance.now() + FRAME_BUDGET_MS;
    for (let i = 0; i < busy.length && performance.now() < end; i++) {
      const r = busy[(this.turn = ((this.turn ?? 0) + 1) % busy.length)];
      this.speed.samples += r.trainFor(Math.max(1, (end - performance.now()) / (busy.length - i)), this.playing);
    }
    if (this.playing && this.runs.every((r) => r.done)) this.setPlaying(false);
    const changed = this.runs.some((r) => r.changed);
    if (busy.length || changed) {
      // the weight images and curves cost milliseconds: a few times a second is enough
      const now = performance.now();
      if ((!this.playing && changed) || !this.lastDraw || now - this.lastDraw > 300) {
        this.lastDraw = now;
        this.runs.forEach((r) => { r.changed = false; });
        this.draw(false);
      } else {
        this.progress.value = this.runs[0].progress;
      }
    }
    const now = performance.now();
    if (now - this.speed.since > 1000) {
      const seconds = (now - this.speed.since) / 1000;
      this.speed.rate = this.speed.samples / seconds;
      this.speed.samples = 0;
      this.speed.since = now;
      this.runs.forEach((r) => r.measure(seconds));
      this.speedText.textContent = this.t('mSpeed', { n: this.fmt.count(this.speed.rate) });
      if (this.runs.length > 1) this.drawRuns();
    }
  }

  draw(full) {
    const t = this.t, run = this.runs[0], f = this.fmt;
    const h = run.history[run.history.length - 1];
    // the first point is computed over the next frames
    this.status.textContent = !h ? t('mEvaluating') : `${t('epoch')} ${Math.min(run.epoch + 1, run.epochs)}/${run.epochs} · `
      + `${t('trainLoss')} ${f.fixed(h.trainLoss, 4)}${this.dev.status(h)} · ${t('testLoss')} ${f.fixed(h.testLoss, 4)} · `
      + `${t('accuracy')} ${t('testAcc')} ${f.percent(h.testAcc, 2)}${h.full ? '' : ` (${t('mQuick', { test: this.testCount, quick: f.count(QUICK_TEST) })})`}`;
    this.live.say(!this.playing);
    if (!this.playing) this.setPlaying(false);
    this.drawRuns();
    this.progress.value = run.progress;
    if (run.diverged) this.message.textContent = t('diverged');
    // accuracies in percent, as in the status line
    const scale = (key) => (key.endsWith('Acc') ? 100 : 1);
    const series = (key) => this.runs.map((r, i) => ({
      label: this.runs.length > 1 ? r.label : t(key === 'testAcc' ? 'mTestAcc' : key), color: COMPARE_COLORS[i],
      points: r.history.map((p) => [p.x, p[key] * scale(key)]),
    }));
    const lossSeries = this.runs.length > 1 ? series('testLoss')
      : [...series('trainLoss'), { ...series('testLoss')[0], color: '#D55E00', dash: [4, 3] }];
    drawCurves(this.lossCanvas, this.dev.series(lossSeries, 'loss', (k) => series(k)[0].points), { yMin: 0, xLabel: t('epoch').toLowerCase(), fmt: f });
    const accSeries = this.runs.length > 1 ? series('testAcc')
      : [{ ...series('trainAcc')[0], label: t('mTrainAcc', { n: f.count(QUICK_TEST) }) }, { ...series('testAcc')[0], color: '#D55E00', dash: [4, 3] }];
    drawCurves(this.accCanvas, this.dev.series(accSeries, 'accuracy', (k) => series(k)[0].points), { xLabel: t('epoch').toLowerCase(), unit: '%', legendBottom: true, fmt: f });
    this.dev.update();
    const { W, units } = run.firstLayer();
    const m = this.grid.draw(W, units, this.selected);
    drawNeuron(this.neuronCanvas, W, this.selected, m);
    const st = weightStats(W, this.selected);
    this.neuronStats.textContent = t('mNeuronStats', { k: this.selected + 1, mean: f.fixed(st.mean, 4), std: f.fixed(st.std, 4),
      min: f.fixed(st.min, 3), max: f.fixed(st.max, 3), norm: f.fixed(st.norm, 3) });
    if (this.runs.length > 1) this.drawCompareWeights();
    else this.compareWeights.replaceChildren();
    if (full || !this.lastGallery || performance.now() - this.lastGallery > 1000) this.drawGallery();
    const probe = this.sets.quickTrain[0];
    this.flow.draw(run.net, probe, { force: full || !this.playing, probeText: t('gfProbeMnist', { n: probe.n }),
      note: this.runs.length > 1 ? t('gfFirstRun', { run: run.label }) : '' });
  }

  drawGallery() {
    this.lastGallery = performance.now();
    const images = new Uint8Array(GALLERY * PIXELS), labels = new Uint8Array(GALLERY);
    this.galleryIdx.forEach((d, i) => {
      images.set(this.mnist.test.images.subarray(d * PIXELS, (d + 1) * PIXELS), i * PIXELS);
      labels[i] = this.mnist.test.labels[d];
    });
    drawGallery(this.gallery, images, labels, predictBytes(this.runs[0].net, images, GALLERY), { t: this.t, fmt: this.fmt });
  }

  async drawConfusion() {
    const net = this.runs[0].net;
    // computed over several frames; dropped if the net is replaced meanwhile
    const m = await confusion(net, this.mnist.test.images, this.mnist.test.labels, () => this.runs[0]?.net === net);
    if (m) drawConfusion(this.confusionBox, m, { t: this.t, fmt: this.fmt });
  }

  /** The comparison's table: one row per run with its status, losses, accuracies and speed (hidden for one run). */
  drawRuns() {
    if (!this.runTable) return;
    this.runTable.hidden = this.runs.length < 2;
    if (this.runs.length < 2) return;
    drawRuns(this.runTable, this.runs, { t: this.t, fmt: this.fmt, colors: COMPARE_COLORS, playing: this.playing });
  }

  drawCompareWeights() {
    const tiles = 12;
    this.compareWeights.replaceChildren(...this.runs.map((r, i) => {
      const { W } = r.firstLayer();
      const cv = el('canvas', { className: 'weights small', role: 'img', ariaLabel: this.t('mRunWeights', { run: r.label }) });
      new WeightGrid(cv, null, { cols: 6 }).draw(W, Math.min(tiles, r.net.layers()[0].outputs));
      const title = el('figcaption', { textContent: r.label });
      title.style.color = COMPARE_COLORS[i];
      return el('figure', {}, title, cv);
    }));
  }

  classify(x) {
    this.drawn = x;
    const seen = this.shift?.apply(x) ?? x;
    this.shift?.preview(seen);
    if (this.raceLine) this.raceLine.textContent = this.race?.describe(seen) ?? '';
    if (!seen || !this.runs.length) { this.probs.replaceChildren(); return; }
    drawProbs(this.probs, this.runs[0].net.predict(seen), { fmt: this.fmt });
  }

  saveNet() {
    downloadBlob('nnplay-mnist.bin', this.runs[0].net.save());
  }

  /**
   * Loads a saved net: builds and checks it completely (784 inputs, 10
   * softmax outputs, a size the view can train, finite first evaluation)
   * before it replaces the current runs; on any failure the current runs stay.
   */
  async loadFile(file) {
    if (!file || !this.ready) return;
    const t = this.t;
    let net = null, run;
    try {
      if (file.size > MAX_FILE_BYTES) throw new Error(t('mTooBig'));
      const bytes = new Uint8Array(await file.arrayBuffer());
      try {
        net = this.nn.loadNet(bytes);
      } catch (e) {
        throw new Error(t('mUnreadable', { msg: e.message }), { cause: e });
      }
      // the view draws a dense layer's weights: a net ending in a convolution has none to draw
      if (net.inputs !== PIXELS || net.outputs !== 10 || net.lossName !== 'softmax_ce'
          || net.layers().at(-1).type !== 'dense') throw new Error(t('mNotMnist'));
      if (net.params().length > MNIST_MAX_WEIGHTS) throw new Error(t('mTooBig'));
      // a net whose loss diverges (the engine's ERR_DIVERGED) gets its own message
      if (evaluateChunk(net, this.sets.quick[0]).diverged) throw new Error(t('mBadWeights'));
      run = new Run(net, this.sets, { label: file.name, batch: Math.min(this.state.batch, net.maxBatch), epochs: this.state.epochs,
        early: this.dev.options });
    } catch (e) {
      net?.free();
      this.fail(e);
      return;
    }
    this.compare = false;
    this.runs.forEach((r) => r.free());
    this.runs = [run];
    this.selected = Math.min(this.selected, run.firstLayer().units - 1);
    this.setPlaying(false);
    this.message.textContent = t('mLoaded', { name: file.name })
      + (run.batch < this.state.batch ? ` ${t('mBatchCapped', { n: run.batch })}` : '');
    this.draw(true);
  }

  /** A setting changed (already in the state): rebuild the runs, or apply it live. */
  apply(group, name, kind) {
    if (!this.controls) return;
    // another language: every text again (the runs keep training state, paused)
    if (group === 'page' && name === 'lang' && this.ready) {
      this.build();
      this.draw(true);
      return;
    }
    this.controls.refresh(this.state);
    this.flow.sync();
    if (group !== 'mnist' || !this.ready) return;
    if (kind === 'data') this.dev.resplit();
    if (kind === 'net' || kind === 'data') this.rebuild();
    else if (kind === 'live') this.applyLive();
    else if (name === 'gradflow') this.draw(true);
  }

  /** A refused change: show the state's values again. */
  sync() { this.controls?.refresh(this.state); }

  close() { if (this.playBtn) this.setPlaying(false); }

  /** Keyboard: space trains or pauses (and trains on when done, as the button). */
  key(e) {
    if (e.key !== ' ' || !this.ready) return false;
    this.toggle();
    return true;
  }
}
