// view.js: the autoencoder view (the MNIST tab's third model,
// #view=autoencoder). It trains an autoencoder of the digits (arch.js; the
// targets are the inputs, with noise on the inputs for denoising) with the
// MLP view's training loop (mnist/model.js Run) and shares its training
// settings; it draws the reconstruction loss, the code plane of the 10,000
// test digits with the decode of any point (plane.js), and the pictures of
// pictures.js (reconstructions, manifold, interpolation, denoising). It has
// the interface of every view (main.js); the toolbar, train/pause and the
// frame's clocks are shared/run-view.js's.
import { loadMnist, MAX_COUNT } from '../mnist.js';
import { Controls } from '../shared/controls.js';
import { Run } from '../mnist/model.js';
import { applyTraining } from '../shared/training.js';
import { usesMomentum } from '../2d/task.js';
import { el } from '../shared/dom.js';
import { Announcer } from '../shared/announce.js';
import { RunView } from '../shared/run-view.js';
import { drawCurves } from '../mnist/views.js';
import { makeAeSets, buildAeNet, describeAe, readAeNet, Encoder } from './model.js';
import { planeToCodes } from './codes.js';
import { CodePlane } from './plane.js';
import { Pictures, ArchEditor } from './pictures.js';

// training time per frame, as the CNN view's; the re-encoding of the test digits has its own
const FRAME_BUDGET_MS = 8;
const ENCODE_BUDGET_MS = 6;
// at most about three passes over the 10,000 test digits a second while training
const ENCODE_EVERY_MS = 300;
const CLOCKS = { status: 250, pictures: 250 };
const LAYOUT = [['training', [['optimizer', 'select'], ['lr', 'number'], ['momentum', 'number'], ['batch', 'number'],
  ['epochs', 'number'], ['l2', 'number'], ['init', 'select'], ['seed', 'number']]]];
const AE_LAYOUT = [['aeNet', [['act', 'select'], ['loss', 'select']]], ['aeNoise', [['noise', 'select'], ['noiseAmt', 'number']]]];

export class AutoencoderView extends RunView {
  /** root: #view-autoencoder; ctx as the CNN view's (state.autoencoder and the state.mnist it shares). */
  constructor(root, ctx) {
    super(root, ctx, { prefix: 'a', saveName: 'nnplay-autoencoder.bin', every: CLOCKS });
    this.groups = ['mnist'];
    this.encodedAt = -Infinity;
  }

  get state() { return this.ctx.state.autoencoder; }

  async load() {
    this.build();
    this.status.textContent = this.t('mLoading');
    this.mnist = await loadMnist(this.ctx.mnistReader, { onProgress: ({ loaded, total }) => {
      if (total) this.progress.value = loaded / total;
    } });
    this.sets = makeAeSets(this.nn, this.mnist);
    this.encoder = new Encoder(this.nn, this.sets, this.mnist.test.labels);
    this.build();
    const bad = (this.ctx.rejected?.() ?? []).find(([key]) => key === 'aArch');
    this.rebuild();
    if (bad) this.message.textContent = this.t('aeLinkArch', { arch: bad[1].slice(0, 80) });
    this.ready = true;
    this.root.dataset.ready = '1';
  }

  build() {
    const t = this.t;
    const toolbar = this.toolbar();

    this.status = el('div', { className: 'stats', role: 'status', id: 'a-status' });
    this.message = el('p', { className: 'message', role: 'alert', id: 'a-message' });
    this.note = el('p', { className: 'why' });
    this.doneNote = el('p', { className: 'help' });
    this.lossCanvas = el('canvas', { className: 'chart', role: 'img', ariaLabel: t('aeLossCurves'), id: 'a-loss' });

    this.controlsRoot = el('aside', { className: 'controls' });
    const onChange = (group) => this.guard((name, v) => this.ctx.onChange(group, name, v));
    this.controls = new Controls(this.controlsRoot, { t, group: 'mnist', onChange: onChange('mnist'), layout: LAYOUT, idPrefix: 'a-',
      applies: (st, name) => name !== 'momentum' || usesMomentum(st.optimizer) });
    this.controls.build(this.shared);
    // the autoencoder's own settings above the shared ones, in their own box (refresh finds its fields there)
    const aeBox = el('div', { className: 'ae-controls' });
    this.aeControls = new Controls(aeBox, { t, group: 'autoencoder', onChange: onChange('autoencoder'), layout: AE_LAYOUT, idPrefix: 'a-',
      applies: (st, name) => name !== 'noiseAmt' || st.noise !== 'none' });
    this.aeControls.build(this.state);
    this.controlsRoot.prepend(aeBox);

    this.plane = new CodePlane({ t, fmt: this.fmt, labels: this.mnist?.test.labels ?? [], digit: (i) => this.pictures.digit(i),
      decode: (p) => this.decodePoint(p), onPoint: () => this.notify() });
    this.pictures = new Pictures({ t, fmt: this.fmt, nn: this.nn, mnist: () => this.mnist, net: () => this.run?.net,
      ae: () => this.ae, state: () => this.state, shared: () => this.shared,
      onDigit: this.guard((name, i) => this.ctx.onChange('autoencoder', name, String(i))), onEnds: (a, b) => this.plane.setEnds(a, b) });
    this.editor = new ArchEditor({ t, fmt: this.fmt, onArch: this.guard((a) => this.ctx.onChange('autoencoder', 'arch', a)),
      onError: (text) => { this.message.textContent = text; } });

    const card = (name, title, ...kids) => el('section', { className: `card a-${name}` }, el('h2', { textContent: title }), ...kids);
    const main = el('div', { className: 'mnist-main ae-main' },
      card('curves', t('aeCurves'), this.status, this.doneNote, this.message, this.note, this.lossCanvas),
      card('recon', t('aeRecon'), ...this.pictures.reconParts()),
      card('plane', t('aePlane'), ...this.plane.parts()),
      card('manifold', t('aeManifold'), ...this.pictures.manifoldParts()),
      card('interp', t('aeInterp'), ...this.pictures.interpParts()),
      card('noise', t('aeDenoise'), ...this.pictures.noiseParts()),
      card('arch', t('aeArch'), ...this.editor.parts()));
    this.root.replaceChildren(toolbar, el('div', { className: 'layout' }, this.controlsRoot, main));
    this.live = new Announcer(this.status);
    this.setPlaying(false);
  }

  /** A new net from the settings; on failure the current net stays (or the default is asked for) and the message says why. */
  rebuild() {
    if (!this.sets) return;
    let net;
    try {
      net = buildAeNet(this.nn, this.state, this.shared, this.t);
    } catch (e) {
      this.message.textContent = e.message;
      this.editor.set(this.builtArch ?? this.state.arch);
      return;
    }
    this.builtArch = this.state.arch;
    this.replace(net, null);
  }

  /** Trains `net` from now on (freeing the previous one); name: a loaded file's, or null. */
  replace(net, name) {
    // a pass under way encodes with the net freed here: dropped first
    this.encoder.cancel();
    this.run?.free();
    this.ae = describeAe(net);
    this.run = new Run(net, this.sets, { label: name ?? 'AE', batch: Math.min(this.shared.batch, net.maxBatch), epochs: this.shared.epochs });
    this.applyNoise();
    this.loadedName = name;
    this.shownDiverged = false;
    this.message.textContent = '';
    this.editor.set(this.state.arch, name ? { name, arch: this.ae.arch } : null);
    this.batchNote();
    this.setPlaying(false);
    this.plane.result = null;
    this.dirty = true;
    this.encodedAt = -Infinity;
    this.drawAll();
  }

  batchNote() {
    const f = this.fmt, info = this.mnist.info;
    this.note.textContent = info.train < MAX_COUNT.train ? this.t('mSubset', { train: f.count(info.train), test: f.count(info.test),
      fullTrain: f.count(MAX_COUNT.train), fullTest: f.count(MAX_COUNT.test) }) : '';
  }

  /** The noise of the settings on the net's training inputs (the targets stay clean). */
  applyNoise() {
    const s = this.state;
    this.run.net.setInputNoise({ kind: s.noise, amount: s.noise === 'none' ? 0 : s.noiseAmt });
  }

  applyLive() {
    const s = this.shared, r = this.run;
    if (!r) return;
    applyTraining(r.net, { name: s.optimizer, lr: s.lr, momentum: s.momentum }, { l2: s.l2 });
    r.batch = Math.min(s.batch, r.net.maxBatch);
    r.setRound(s.epochs);
    this.setPlaying(this.playing);
  }

  /** After Reset: the codes again. */
  onReset() { this.dirty = true; }

  /** One animation frame: a training slice, a slice of re-encoding, then the parts of the picture that are due. */
  frame() {
    const r = this.run;
    if (!this.ready || !r) return;
    if (this.trainSlice(FRAME_BUDGET_MS)) this.dirty = true;
    const now = performance.now();
    // a diverged net's codes are never drawn
    if (!r.diverged && this.dirty && !this.encoder.busy && now - this.encodedAt >= ENCODE_EVERY_MS) {
      this.dirty = false;
      this.encodedAt = now;
      this.encoder.start(r.net, this.ae.k, this.ae.width);
    }
    if (this.encoder.step(ENCODE_BUDGET_MS) && this.encoder.result.ok && !r.diverged) {
      this.plane.set(this.encoder.result);
      this.pictures.drawManifold(this.plane);
    }
    this.drawDue(now);
  }

  drawPart(part) {
    if (part === 'status') this.drawStatus();
    else if (!this.run.diverged) {
      this.pictures.draw();
      this.plane.redecode();
    }
  }

  drawStatus() {
    const r = this.run, f = this.fmt, t = this.t, h = r.history[r.history.length - 1];
    this.status.textContent = !h ? t('mEvaluating') : `${t('epoch')} ${Math.min(r.epoch + 1, r.epochs)}/${r.epochs} · `
      + `${t('trainLoss')} ${f.fixed(h.trainLoss, 4)} · ${t('testLoss')} ${f.fixed(h.testLoss, 4)}`;
    this.live.say(!this.playing);
    if (r.diverged) this.message.textContent = t('diverged');
    const pts = (key) => r.history.filter((p) => Number.isFinite(p[key])).map((p) => [p.x, p[key]]);
    drawCurves(this.lossCanvas, [{ label: t('trainLoss'), color: '#333', points: pts('trainLoss') },
      { label: t('testLoss'), color: '#D55E00', dash: [4, 3], points: pts('testLoss') }],
    { yMin: 0, xLabel: t('epoch').toLowerCase(), fmt: f });
    if (!this.playing) this.setPlaying(false);
  }

  /** The decode of plane point p: {image (784), code}, or null before the first pass. */
  decodePoint(p) {
    const res = this.plane.result;
    if (!res || !this.run || this.run.diverged) return null;
    const code = planeToCodes(Float32Array.from(p), 1, res.width, res.pca);
    return { image: this.run.net.decode(code, this.ae.k), code };
  }

  /** A saved autoencoder (nnplay-train --autoencoder --save, or this view's Save), checked (model.js); run-view.js puts it in place. */
  readFile(file) { return readAeNet(this.nn, file, this.sets, this.t); }

  notify() { this.root.dataset.point = this.plane.point ? this.plane.point.join(',') : ''; }

  apply(group, name, kind) {
    if (!this.controls) return;
    if (group === 'page' && name === 'lang' && this.ready) {
      const { result, point } = this.plane;
      this.build();
      this.editor.set(this.state.arch, this.loadedName ? { name: this.loadedName, arch: this.ae.arch } : null);
      this.plane.point = point;
      if (result) this.plane.set(result);
      this.batchNote();
      this.drawAll();
      this.pictures.drawManifold(this.plane);
      return;
    }
    this.controls.refresh(this.shared);
    this.aeControls.refresh(this.state);
    if (!this.ready) return;
    if (group === 'autoencoder' && kind === 'net') this.rebuild();
    else if (group === 'autoencoder' && kind === 'live') { this.applyNoise(); this.pictures.draw(); }
    else if (group === 'autoencoder') this.pictures.draw();
    else if (group === 'mnist' && (name === 'init' || name === 'seed')) this.rebuild();
    else if (group === 'mnist' && kind === 'live') this.applyLive();
  }

  sync() {
    this.controls?.refresh(this.shared);
    this.aeControls?.refresh(this.state);
    this.editor?.set(this.builtArch ?? this.state.arch);
  }

}
