// view.js: the Convolution view: the convolution explainer (explainer.js)
// on a tab of its own, its settings in the URL (state.js, group
// 'convolution'). It loads the MNIST test digits only (1.6 MB; the slide's
// patch and the pad work before they arrive). main.js creates it when the
// tab opens; it has the interface of every view (main.js).
import { loadMnist } from '../mnist.js';
import { el } from '../shared/dom.js';
import { fixed, punctuate } from '../shared/format.js';
import { mountExplainer } from './explainer.js';

export class ConvolutionView {
  /** root: #view-convolution; ctx: {nn, t, state (this view reads state.convolution and state.page), onChange, mnistReader}. */
  constructor(root, ctx) {
    this.root = root;
    this.ctx = ctx;
    this.t = (key, values) => punctuate(this.lang, ctx.t(key, values));
  }

  get lang() { return this.ctx.state.page.lang; }

  get state() { return this.ctx.state.convolution; }

  open() {
    if (this.explainer) return;
    this.message = el('p', { className: 'message', role: 'alert' });
    this.box = el('div');
    this.root.replaceChildren(this.message, this.box);
    this.explainer = mountExplainer(this.box, {
      nn: this.ctx.nn, t: this.t, lang: this.lang, settings: this.state,
      onChange: (name, value) => this.ctx.onChange('convolution', name, value),
    });
    this.root.dataset.ready = '1';
    this.loadDigits();
  }

  /** The test digits, for the explainer's "test digit" image; a failure leaves the slide and the pad working. */
  async loadDigits() {
    const mb = (b) => fixed(this.lang, b / 1e6, 1);
    try {
      const { test } = await loadMnist(this.ctx.mnistReader, {
        sets: ['test'],
        onProgress: ({ loaded, total }) => {
          const text = total ? this.t('cvLoadingMb', { loaded: mb(loaded), total: mb(total) }) : null;
          if (text && text !== this.progress) this.explainer?.setDigits({ loading: (this.progress = text) });
        },
      });
      this.explainer?.setDigits(test);
      this.root.dataset.digits = '1';
    } catch (e) {
      console.warn(e);
      this.explainer?.setDigits({ error: e.message });
    }
  }

  /** A setting changed (already in the state). */
  apply(group, name) {
    if (!this.explainer) return;
    if (group === 'page' && name === 'lang') this.explainer.relabel({ t: this.t, lang: this.lang });
    else if (group === 'convolution') this.explainer.update(this.state);
  }

  /** A refused change: show the settings in use again. */
  sync() { this.explainer?.update(this.state); }

  frame() {}

  key() { return false; }

  close() {}

  fail(e) { if (this.message) this.message.textContent = e.message; }
}
