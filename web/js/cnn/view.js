// view.js: the CNN view (the MNIST tab's other model, #view=cnn). It trains
// the architecture of the settings (cnn/arch.js, edited in cnn/editor.js) on
// the MNIST digits with the MLP view's training loop (mnist/model.js Run, a
// slice of steps per frame) and shares its training settings; it draws the
// curves, the first-layer filters, every layer's feature maps for one digit
// and the arithmetic of a chosen cell (cnn/maps.js, cnn/arith.js), a gallery
// with the confusion matrix and a drawing pad (cnn/digits.js), and mounts
// the modules of cnn/extensions.js. It has the interface of every view
// (main.js); the toolbar, train/pause and the frame's clocks are
// shared/run-view.js's.
import { loadMnist, MAX_COUNT } from '../mnist.js';
import { Controls } from '../shared/controls.js';
import { Run } from '../mnist/model.js';
import { applyTraining } from '../shared/training.js';
import { usesMomentum } from '../2d/task.js';
import { el } from '../shared/dom.js';
import { addOnnxExport, ONNX_DOCS } from '../shared/onnx-export.js';
import { Announcer } from '../shared/announce.js';
import { RunView } from '../shared/run-view.js';
import { DEFAULT_ARCH } from './arch.js';
import { makeSets, describeNet, batchFor, buildNet, memoryProblem, readNet, linkProblem, linkText } from './model.js';
import { explain } from './receptive.js';
import { FeatureMaps, Filters, drawInput } from './maps.js';
import { drawArith } from './arith.js';
import { LayerEditor } from './editor.js';
import { Digits } from './digits.js';
import { statusLine, drawRunCurves } from './status.js';
import { CNN_EXTENSIONS, hostOf } from './extensions.js';
import { mountSweep } from '../shared/sweep/panel.js';
import { cnnSweepSetup } from './sweep.js';
import { mountOwnImages } from './owndata.js';

// training time per frame: one step of the ConvNetJS demo (batch 20) takes 8-20 ms
// here, so a frame trains one step, or two on a fast machine, and stays under
// 33 ms (30 frames/s) even on a loaded machine; 12 ms gave two steps and 30 frames/s at best
const FRAME_BUDGET_MS = 8;
// each part of the picture on its own clock while training (ms between redraws)
const CLOCKS = { status: 250, pictures: 250, gallery: 1000 };
// the shared MNIST settings this view takes, and the controls it shows for them
const LAYOUT = [['training', [['optimizer', 'select'], ['lr', 'number'], ['momentum', 'number'], ['batch', 'number'],
  ['epochs', 'number'], ['l2', 'number'], ['init', 'select'], ['seed', 'number']]]];

export class CnnView extends RunView {
  /** root: #view-cnn; ctx: {nn, t, state (state.cnn and the state.mnist it shares), onChange, mnistReader, rejected}. */
  constructor(root, ctx) {
    super(root, ctx, { prefix: 'c', saveName: 'nnplay-cnn.bin', every: CLOCKS });
    this.groups = ['mnist'];
    this.selected = null;
    this.channel = 0;
    this.extensions = CNN_EXTENSIONS.map((x) => ({ x, box: el('div', { dataset: { extension: x.id } }), handle: null }));
  }

  get state() { return this.ctx.state.cnn; }

  async load() {
    this.build();
    this.status.textContent = this.t('mLoading');
    this.mnist = await loadMnist(this.ctx.mnistReader, { onProgress: ({ loaded, total }) => {
      if (total) this.progress.value = loaded / total;
    } });
    this.sets = makeSets(this.nn, this.mnist);
    this.digits.ready(this.mnist, this.state.digit);
    // a link's architecture that could not be read: the state holds the default, the message says why
    this.linkNote = linkProblem(this.ctx.rejected?.() ?? [], this.t);
    this.rebuild();
    this.ready = true;
    this.root.dataset.ready = '1';
    for (const e of this.extensions) e.handle = e.x.mount(e.box, hostOf(this));
  }

  build() {
    const t = this.t;
    const toolbar = this.toolbar();

    this.status = el('div', { className: 'stats', role: 'status', id: 'c-status' });
    this.message = el('p', { className: 'message', role: 'alert', id: 'c-message' });
    this.note = el('p', { className: 'why' });
    this.doneNote = el('p', { className: 'help' });
    this.lossCanvas = el('canvas', { className: 'chart', role: 'img', ariaLabel: t('mLossCurves') });
    this.accCanvas = el('canvas', { className: 'chart', role: 'img', ariaLabel: t('mAccCurves') });

    this.editorRoot = el('div', { className: 'arch-editor' });
    this.editor = new LayerEditor(this.editorRoot, { t, fmt: this.fmt, onArch: this.guard((a) => this.ctx.onChange('cnn', 'arch', a)),
      check: (layers) => memoryProblem(this.nn, layers, this.shared), onEditLoaded: this.guard(() => this.rebuild()) });

    this.filters = new Filters({ t, fmt: this.fmt, onPick: this.guard((k, cell) => this.select(k, cell)) });

    this.inputCanvas = el('canvas', { className: 'input-digit', id: 'c-input', role: 'img', ariaLabel: t('cnnInputCanvas') });
    this.inputText = el('p', { className: 'help', id: 'c-digit' });
    this.maps = new FeatureMaps(el('div', { className: 'fmaps', id: 'c-maps' }), { t, fmt: this.fmt, onSelect: this.guard((k, c) => this.select(k, c)) });
    this.arith = el('div', { className: 'arith', id: 'c-arith' });
    // the card is redrawn while training: screen readers hear a chosen cell once, here
    this.arithLive = el('p', { className: 'visually-hidden', role: 'status' });

    this.digits = new Digits({ t, fmt: () => this.fmt, onPick: this.guard((i) => this.ctx.onChange('cnn', 'digit', String(i))),
      onShow: this.guard(() => this.showInput()), onDraw: this.guard((x) => this.drawn(x)), net: () => this.run?.net });

    this.controlsRoot = el('aside', { className: 'controls' });
    this.controls = new Controls(this.controlsRoot, { t, group: 'mnist', onChange: this.guard((name, v) => this.ctx.onChange('mnist', name, v)),
      layout: LAYOUT, idPrefix: 'c-', applies: (st, name) => name !== 'momentum' || usesMomentum(st.optimizer) });
    this.controls.build(this.shared);

    const card = (name, title, ...kids) => el('section', { className: `card c-${name}` }, el('h2', { textContent: title }), ...kids);
    this.explainer = el('section', { className: 'card c-explainer', id: 'cnn-explainer', hidden: !this.extensions.length },
      el('h2', { textContent: t('cnnExplainer') }), ...this.extensions.map((e) => e.box));
    const main = el('div', { className: 'mnist-main cnn-main' },
      card('curves', t('mCurves'), this.status, this.doneNote, this.message, this.note, this.lossCanvas, this.accCanvas),
      card('filters', t('cnnFilters'), ...this.filters.parts()),
      // the arithmetic beside the maps, in sight while they scroll (cnn.css)
      el('div', { className: 'maps-pair' },
        card('maps', t('cnnMaps'), el('p', { className: 'help', textContent: t('cnnMapsHelp') }),
          el('div', { className: 'input-row' }, this.inputCanvas, el('div', {}, this.inputText, this.digits.stepper())), this.maps.root),
        card('arith', t('cnnArith'), this.arith, this.arithLive)),
      card('arch', t('cnnArch'), this.editorRoot),
      card('gallery', t('cnnGallery'), ...this.digits.galleryParts()),
      card('draw', t('mDraw'), ...this.digits.drawParts()),
      card('sweep', t('swTitle'), this.sweepBox()),
      this.explainer);
    this.root.replaceChildren(toolbar, el('div', { className: 'layout' }, this.controlsRoot, main));
    // one's own images and the export menu (owndata.js)
    mountOwnImages(this, toolbar, this.note);
    addOnnxExport(this.root, this.t, { id: 'onnx-cnn', file: 'nnplay-cnn.onnx', net: () => this.run?.net, doc: ONNX_DOCS.mnist });
    this.live = new Announcer(this.status);
    this.setPlaying(false);
  }

  /** The experiments panel (shared/sweep/, issue 14): kept across a new language's DOM. */
  sweepBox() {
    const box = el('div', { id: 'c-sweep' });
    if (this.sweep) this.sweep.mount(box);
    else this.sweep = mountSweep(box, { nn: this.nn, t: this.t, lang: () => this.ctx.state.page.lang, spec: 'optimizer=sgd,adam',
      setup: (limit) => cnnSweepSetup(this, limit), onStart: () => this.setPlaying(false), onError: (e) => this.fail(e) });
    return box;
  }

  /**
   * A new net from the settings. Checked completely before it replaces the
   * current one (arch.js, then the engine's memory plan, then the build);
   * on any failure the current net stays and the message says why.
   */
  rebuild() {
    if (!this.sets) return;
    const arch = this.state.arch;
    let net;
    try {
      net = buildNet(this.nn, arch, this.shared, this.t);
    } catch (e) {
      // the settings go back to the net that runs (or, before any, to the default)
      const back = this.run ? this.builtArch : DEFAULT_ARCH;
      if (!this.run) this.linkNote = linkText(this.t, arch, e.message);
      this.message.textContent = this.linkNote ?? e.message;
      if (back !== arch) this.ctx.onChange('cnn', 'arch', back);
      else this.editor.set(arch);
      return;
    }
    this.builtArch = arch;
    this.replace(net, null);
    this.editor.set(arch);
  }

  /** Trains `net` from now on (freeing the previous one); name: a loaded file's, or null. */
  replace(net, name) {
    this.run?.free();
    this.layers = describeNet(net);
    const batch = batchFor(this.shared.batch, net, this.layers);
    this.run = new Run(net, this.sets, { label: name ?? 'CNN', batch, epochs: this.shared.epochs });
    this.loadedName = name;
    this.selected = null;
    this.shownDiverged = false;
    this.message.textContent = this.linkNote ?? '';
    this.linkNote = null;
    this.batchNote();
    this.digits.netChanged();
    this.setPlaying(false);
    this.drawAll();
    this.notify('net');
  }

  /** The notes under the status: the offline page's subset, a batch capped for this net. */
  batchNote() {
    const f = this.fmt, info = this.mnist.info;
    const subset = info.train < MAX_COUNT.train && !info.own ? this.t('mSubset', { train: f.count(info.train), test: f.count(info.test),
      fullTrain: f.count(MAX_COUNT.train), fullTest: f.count(MAX_COUNT.test) }) : '';
    const capped = this.run.batch < this.shared.batch ? this.t('cnnBatchCapped', { n: this.run.batch }) : '';
    this.note.textContent = [subset, capped].filter(Boolean).join(' ');
  }

  /** Applies the settings that change while training (optimiser, rate, batch, epochs, L2). */
  applyLive() {
    const s = this.shared, r = this.run;
    if (!r) return;
    applyTraining(r.net, { name: s.optimizer, lr: s.lr, momentum: s.momentum }, { l2: s.l2 });
    r.batch = batchFor(s.batch, r.net, this.layers);
    r.setRound(s.epochs);
    this.batchNote();
    this.setPlaying(this.playing);
  }

  /** One animation frame: a training slice within the budget, then the parts of the picture that are due. */
  frame() {
    if (!this.ready || !this.run) return;
    this.trainSlice(FRAME_BUDGET_MS);
    this.drawDue(performance.now());
  }

  drawPart(part) {
    if (part === 'status') this.drawStatus();
    else if (part === 'pictures') this.drawPictures();
    else this.digits.drawGallery();
  }

  drawStatus() {
    const r = this.run, f = this.fmt;
    this.status.textContent = statusLine(r, { t: this.t, fmt: f, testCount: f.count(this.mnist.info.test) });
    this.live.say(!this.playing);
    if (r.diverged) this.message.textContent = this.t('diverged');
    drawRunCurves(this.lossCanvas, this.accCanvas, r, { t: this.t, fmt: f });
    if (!this.playing) this.setPlaying(false);
  }

  /** The filters, the input with its receptive field, every layer's maps and the chosen cell's arithmetic. */
  drawPictures() {
    const t = this.t, net = this.run.net;
    this.layers = describeNet(net);
    this.filters.draw(this.layers);
    const input = this.digits.input(), p = net.predict(input.x);
    const best = p.indexOf(Math.max(...p));
    this.inputText.textContent = `${input.text} · ${t('cnnPredicted', { k: best, p: this.fmt.percent(p[best], 1) })}`;
    this.acts = net.activations(input.x);
    const e = this.selected ? explain(this.layers, this.acts, input.x, this.selected.layer, this.selected.cell) : null;
    drawInput(this.inputCanvas, input.x, e?.field ?? null);
    const reads = e && e.base >= 0 && e.kind !== 'dense' ? { layer: e.base - 1, patch: e.patch,
      channels: e.kind === 'conv' ? e.channels.map((c) => c.channel) : [e.cell.c] } : null;
    this.maps.draw(this.layers, this.acts, this.selected, reads);
    drawArith(this.arith, e, { t, fmt: this.fmt, layers: this.layers, channel: this.channel,
      onChannel: (ci) => { this.channel = ci; this.drawPictures(); } });
    if (this.playing) this.notify('weights');
  }

  /** Chooses cell {c, y, x} of layer k. */
  select(k, cell) {
    this.selected = { layer: k, cell };
    this.channel = 0;
    this.drawPictures();
    this.arithLive.textContent = `${this.arith.querySelector('h3')?.textContent ?? ''}: ${this.fmt.short(+this.arith.dataset.engine, 4)}`;
    this.notify('select');
  }

  /** The pad's drawing (784 floats, or null when cleared): shown instead of the chosen test digit. */
  drawn(x) {
    if (!this.run) return;
    this.digits.showProbs(x);
    this.showInput();
  }

  /** Another input: the maps and the arithmetic of the chosen cell for it. */
  showInput() {
    if (!this.run) return;
    this.drawPictures();
    this.digits.drawGallery();
    this.notify('input');
  }

  /**
   * A saved net (a CNN of nnplay-train --arch cnn --save, or any net the
   * view can train), built and checked completely (model.js loadedProblem);
   * run-view.js's loadFile puts it in place.
   */
  readFile(file) { return readNet(this.nn, file, this.sets, this.t); }

  loaded(name) { this.editor.showLoaded(this.layers, name); }

  notify(what) { for (const e of this.extensions) e.handle?.update?.(what); }

  /** A setting changed (already in the state). */
  apply(group, name, kind) {
    if (!this.controls) return;
    if (group === 'page' && name === 'lang' && this.ready) {
      this.build();
      this.digits.ready(this.mnist, this.state.digit);
      this.editor.set(this.state.arch);
      if (this.loadedName) this.editor.showLoaded(this.layers, this.loadedName);
      this.drawAll();
      this.notify('lang');
      return;
    }
    this.controls.refresh(this.shared);
    if (!this.ready) return;
    // the architecture of the net that runs (settings sent back after a failure): nothing to build
    if (group === 'cnn' && name === 'arch' && this.run && !this.loadedName && this.state.arch === this.builtArch) this.editor.set(this.state.arch);
    else if (group === 'cnn' && name === 'arch') this.rebuild();
    else if (group === 'cnn' && name === 'digit') { this.digits.pick(this.state.digit); this.showInput(); }
    else if (group === 'mnist' && (name === 'init' || name === 'seed')) this.rebuild();
    else if (group === 'mnist' && kind === 'live') this.applyLive();
  }

  sync() {
    this.controls?.refresh(this.shared);
    if (this.ready) this.editor.set(this.state.arch);
  }

}
