// run-view.js: what the MNIST tab's one-net views (the CNN, cnn/view.js, and
// the autoencoder, autoencoder/view.js) share around their mnist/model.js
// Run: the toolbar (train/pause, reset, save, load, progress, samples/s),
// errors of handlers into the view's message, train/pause and "train on",
// the training slice of a frame with its divergence message, the parts of
// the picture on their own clocks, a saved file loaded, and the keys. A view
// extends it and gives: this.run, this.shared (the MNIST settings), build(),
// drawPart(part), replace(net, name), readFile(file) -> net, and optionally
// onReset() and loaded(name); its parts' clocks (ms between redraws while
// training) to the constructor.
import { el } from './dom.js';
import { downloadBlob } from './download.js';
import { fixed, count, percent, short, punctuate } from './format.js';

export class RunView {
  /** root: the view's element; ctx: main.js's; prefix: of the element ids ('c', 'a'); saveName: the file Save writes; every: part -> ms. */
  constructor(root, ctx, { prefix, saveName, every }) {
    this.root = root;
    this.ctx = ctx;
    this.nn = ctx.nn;
    this.prefix = prefix;
    this.saveName = saveName;
    this.every = every;
    this.t = (key, values) => punctuate(this.lang, ctx.t(key, values));
    this.run = null;
    this.playing = false;
    this.clocks = {};
    this.speed = { samples: 0, since: performance.now() };
  }

  get shared() { return this.ctx.state.mnist; }
  get lang() { return this.ctx.state.page.lang; }

  /** Number formats of the page's language (shared/format.js). */
  get fmt() {
    const l = this.lang;
    return { fixed: (v, d) => fixed(l, v, d), count: (n) => count(l, n), percent: (v, d) => percent(l, v, d),
      short: (v, s) => short(l, v, s), decimal: l === 'fr' ? ',' : '.' };
  }

  async open() {
    this.opening ??= this.load();
    return this.opening;
  }

  /** The toolbar: train/pause, reset, save, load, the epoch's progress and samples/s (ids prefix-play, ...). */
  toolbar() {
    const t = this.t, id = (name) => `${this.prefix}-${name}`;
    this.playBtn = el('button', { type: 'button', className: 'primary', id: id('play') });
    this.playBtn.addEventListener('click', this.guard(() => this.toggle()));
    const reset = el('button', { type: 'button', textContent: t('reset'), id: id('reset') });
    reset.addEventListener('click', this.guard(() => {
      this.run?.reset();
      this.shownDiverged = false;
      this.message.textContent = '';
      this.onReset?.();
      this.drawAll();
    }));
    const save = el('button', { type: 'button', textContent: t('mSave'), id: id('save') });
    save.addEventListener('click', this.guard(() => downloadBlob(this.saveName, this.run.net.save())));
    const file = el('input', { type: 'file', accept: '.bin,.nnp,application/octet-stream', id: id('load'), className: 'file-input' });
    file.addEventListener('change', this.guard(() => this.loadFile(file.files[0])));
    this.progress = el('progress', { max: 1, value: 0, id: id('progress'), ariaLabel: t('mProgress') });
    this.speedText = el('span', { className: 'speed', id: id('speed') });
    return el('div', { className: 'toolbar' }, this.playBtn, reset, save, file,
      el('label', { htmlFor: id('load'), textContent: t('mLoad'), className: 'file button' }), this.progress, this.speedText);
  }

  /** fn as an event handler whose errors go to this view's message. */
  guard(fn) {
    return (...args) => {
      try {
        const r = fn(...args);
        if (r instanceof Promise) r.catch((e) => { console.error(e); this.fail(e); });
        return r;
      } catch (e) {
        console.error(e);
        this.fail(e);
        return undefined;
      }
    };
  }

  fail(e) {
    this.setPlaying(false);
    if (this.message) this.message.textContent = e.message;
  }

  toggle() {
    if (!this.run) return;
    if (!this.playing && this.run.done) this.run.trainOn();
    this.setPlaying(!this.playing);
  }

  setPlaying(on) {
    const t = this.t, r = this.run, n = this.shared.epochs;
    const was = this.playing;
    this.playing = on && !!r && !r.done;
    // samples/s over whole seconds of training: paused, the last one stays
    if (this.playing && !was) this.speed = { samples: 0, since: performance.now() };
    // paused: the next frame draws every part with the weights reached (while training, a part may be a clock behind)
    if (was && !this.playing && r) r.changed = true;
    const more = !!r && r.done && !r.diverged;
    this.playBtn.textContent = this.playing ? `❚❚ ${t('pause')}` : `▶ ${more ? t(n === 1 ? 'mTrainOnOne' : 'mTrainOn', { n }) : t('mTrain')}`;
    this.playBtn.setAttribute('aria-pressed', String(this.playing));
    this.doneNote.textContent = more ? t('mDone', { n: r.epoch, more: n }) : '';
  }

  /** A frame's training slice of about `ms` (or the pending evaluation); says a divergence once. Returns the samples trained. */
  trainSlice(ms) {
    const r = this.run;
    const samples = this.playing || r.pending ? r.trainFor(ms, this.playing) : 0;
    this.speed.samples += samples;
    if (this.playing && r.done) this.setPlaying(false);
    if (r.diverged && !this.shownDiverged) {
      this.shownDiverged = true;
      this.message.textContent = this.t('diverged');
    }
    return samples;
  }

  /**
   * The parts of the picture that are due: all when the run changed while
   * paused, else the most overdue one (a frame draws one at most); then
   * samples/s every second of training.
   */
  drawDue(now) {
    const r = this.run;
    if (r.changed || this.playing) {
      const due = Object.keys(this.every).filter((p) => !this.playing || now - (this.clocks[p] ?? 0) >= this.every[p])
        .sort((a, b) => (this.clocks[a] ?? 0) - (this.clocks[b] ?? 0));
      if (!this.playing) { r.changed = false; this.drawAll(); } else if (due.length) this.drawAt(due[0]);
      this.progress.value = r.progress;
    }
    if (this.playing && now - this.speed.since > 1000) {
      const rate = this.speed.samples / ((now - this.speed.since) / 1000);
      this.speed = { samples: 0, since: now };
      this.speedText.textContent = this.t('mSpeed', { n: this.fmt.count(rate) });
    }
  }

  drawAll() { for (const p of Object.keys(this.every)) this.drawAt(p); }

  /** Draws `part` now, and starts its clock. */
  drawAt(part) {
    this.clocks[part] = performance.now();
    this.drawPart(part);
  }

  /**
   * Loads a saved net (readFile: built and checked completely before it
   * replaces the current one); on any failure the current net stays and the
   * message says why.
   */
  async loadFile(file) {
    if (!file || !this.ready) return;
    let net;
    try {
      net = await this.readFile(file);
    } catch (e) {
      this.fail(e);
      return;
    }
    this.replace(net, file.name);
    this.loaded?.(file.name);
    this.message.textContent = this.t('mLoaded', { name: file.name });
  }

  close() { if (this.playBtn) this.setPlaying(false); }

  /** Keyboard: space trains or pauses (and trains on when done, as the button). */
  key(e) {
    if (e.key !== ' ' || !this.ready) return false;
    this.toggle();
    return true;
  }
}
