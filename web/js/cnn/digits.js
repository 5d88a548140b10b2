// digits.js: the digits the CNN view looks at: which input its feature
// maps show (a test digit chosen from the gallery, the steppers or a link,
// the drawing pad's digit, or one given by an extension), the gallery of
// test digits with predictions, the confusion matrix whose cells open their
// digits, and the pad with its ten probabilities. The drawings are the MLP
// view's (mnist/views.js, mnist/drawpad.js).
import { PIXELS } from '../mnist.js';
import { predictBytes } from '../mnist/model.js';
import { drawGallery, drawConfusion, drawProbs } from '../mnist/views.js';
import { DrawPad } from '../mnist/drawpad.js';
import { el } from '../shared/dom.js';
import { confusion, cellDigits, digitOf } from './model.js';

const GALLERY = 40;

export class Digits {
  /** opts: {t, fmt() (the page's number formats), onPick(i) (a test digit chosen), onShow() (show the input again), onDraw(x), net()}. */
  constructor({ t, fmt, onPick, onShow, onDraw, net }) {
    Object.assign(this, { t, fmt, onPick, onShow, onDraw, net });
    this.index = 0;
    this.source = 'test';
    this.gallery = el('div', { className: 'gallery', id: 'c-gallery' });
    this.confusionBox = el('div', { className: 'confusion-box', id: 'c-confusion' });
    this.cellBox = el('div', { className: 'cell-digits', id: 'c-cell-digits' });
    this.probs = el('div', { className: 'probs', id: 'c-probs' });
  }

  /** The digits are loaded; `digit` is the test digit of the settings. */
  ready(mnist, digit) {
    this.mnist = mnist;
    this.galleryIdx = Array.from({ length: GALLERY }, (_, i) => (i * 37) % mnist.test.n);
    this.pick(digit);
  }

  /** The test digit `i` of the settings (clamped to the set: the offline page has 2,000). */
  pick(i) {
    if (!this.mnist) return;
    this.index = Math.min(i, this.mnist.test.n - 1);
    this.source = 'test';
  }

  /** A test digit chosen in the page: through the settings (the link), or shown again when it is the one set. */
  choose(i) {
    if (i === this.index && this.source !== 'test') {
      this.source = 'test';
      this.onShow();
    } else this.onPick(i);
  }

  /** An input given by an extension (cnn/extensions.js setInput). */
  setHostInput(x, label) {
    this.hostX = x;
    this.hostLabel = label;
    this.source = 'host';
  }

  /** The input shown: {x (784 floats), label, index, source, text}. */
  input() {
    const t = this.t, f = this.fmt();
    if (this.source === 'pad' && this.padX) return { x: this.padX, label: null, index: null, source: 'pad', text: t('cnnDigitPad') };
    if (this.source === 'host' && this.hostX) return { x: this.hostX, label: this.hostLabel, index: null, source: 'host', text: '' };
    const n = this.mnist.test.n, label = this.mnist.test.labels[this.index];
    return { x: digitOf(this.mnist.test, this.index), label, index: this.index, source: 'test',
      text: t('cnnDigitN', { i: f.count(this.index + 1), n: f.count(n), label }) };
  }

  /** Previous and next buttons over the test digits. */
  stepper() {
    const button = (text, label, d) => {
      const b = el('button', { type: 'button', className: 'small', textContent: text, ariaLabel: label, id: d < 0 ? 'c-prev' : 'c-next' });
      b.addEventListener('click', () => this.choose((this.index + d + this.mnist.test.n) % this.mnist.test.n));
      return b;
    };
    return el('span', { className: 'stepper' }, button('◀', this.t('cnnPrev'), -1), button('▶', this.t('cnnNext'), 1));
  }

  galleryParts() {
    const button = el('button', { type: 'button', textContent: this.t('mConfusionButton'), id: 'c-confusion-button' });
    button.addEventListener('click', () => this.drawConfusion().catch((e) => console.error(e)));
    return [el('p', { className: 'help', textContent: this.t('cnnGalleryHelp') }), this.gallery, button, this.confusionBox, this.cellBox];
  }

  drawParts() {
    const canvas = el('canvas', { className: 'drawpad', role: 'img', ariaLabel: this.t('mDrawHelp'), id: 'c-pad' });
    this.pad = new DrawPad(canvas, (x) => {
      // the pad clears itself once when it is made, before the digits are there
      if (!this.mnist) return;
      this.padX = x;
      this.source = x ? 'pad' : 'test';
      this.onDraw(x);
    });
    const clear = el('button', { type: 'button', textContent: this.t('mClear') });
    clear.addEventListener('click', () => this.pad.clear());
    return [el('p', { className: 'help', textContent: this.t('mDrawHelp') }), el('div', { className: 'draw-row' }, canvas, this.probs), clear];
  }

  /** The pad's ten probabilities (x: 784 floats, or null). */
  showProbs(x) {
    if (!x) this.probs.replaceChildren();
    else drawProbs(this.probs, this.net().predict(x), { fmt: this.fmt() });
  }

  /** `indices` of test digits as a gallery in `root` (with predictions), each one a button that shows it. */
  digitButtons(root, indices) {
    const images = new Uint8Array(indices.length * PIXELS), labels = new Uint8Array(indices.length);
    indices.forEach((d, i) => {
      images.set(this.mnist.test.images.subarray(d * PIXELS, (d + 1) * PIXELS), i * PIXELS);
      labels[i] = this.mnist.test.labels[d];
    });
    drawGallery(root, images, labels, predictBytes(this.net(), images, indices.length), { t: this.t, fmt: this.fmt() });
    [...root.children].forEach((fig, i) => {
      fig.tabIndex = 0;
      fig.setAttribute('role', 'button');
      fig.setAttribute('aria-pressed', String(this.source === 'test' && indices[i] === this.index));
      fig.dataset.index = String(indices[i]);
      fig.addEventListener('click', () => this.choose(indices[i]));
      fig.addEventListener('keydown', (e) => {
        if (e.key !== 'Enter' && e.key !== ' ') return;
        e.preventDefault();
        this.choose(indices[i]);
      });
    });
  }

  drawGallery() {
    if (this.mnist && this.net()) this.digitButtons(this.gallery, this.galleryIdx);
  }

  /** The net changed: its confusion matrix is gone. */
  netChanged() {
    this.confusionBox.replaceChildren();
    this.cellBox.replaceChildren();
    this.conf = null;
  }

  /** The confusion matrix over the test set (a chunk per frame); a cell's click shows its digits. */
  async drawConfusion() {
    const net = this.net(), t = this.t;
    const c = await confusion(net, this.mnist.test.images, this.mnist.test.labels, () => this.net() === net);
    if (!c) return;
    this.conf = c;
    drawConfusion(this.confusionBox, c.m, { t, fmt: this.fmt() });
    this.confusionBox.querySelectorAll('tbody tr').forEach((tr, truth) => tr.querySelectorAll('td').forEach((td, pred) => {
      td.tabIndex = 0;
      td.setAttribute('role', 'button');
      td.title = t('cnnConfusionCell', { n: c.m[truth][pred], truth, pred });
      td.setAttribute('aria-label', td.title);
      const open = () => this.showCell(truth, pred);
      td.addEventListener('click', open);
      td.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); open(); } });
    }));
  }

  /** The test digits of class `truth` predicted as `pred` (at most 40). */
  showCell(truth, pred) {
    const idx = cellDigits(this.conf.preds, this.mnist.test.labels, truth, pred);
    const list = el('div', { className: 'gallery' });
    const head = el('p', { className: 'help', textContent: idx.length
      ? this.t('cnnCellDigits', { truth, pred, n: this.conf.m[truth][pred] }) : this.t('cnnCellNone', { truth, pred }) });
    this.cellBox.replaceChildren(head, list);
    if (idx.length) this.digitButtons(list, idx);
  }
}
