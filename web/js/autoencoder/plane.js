// plane.js: the code plane. The 2-D codes of the test digits (or their PCA
// projection) as a scatter on a canvas, coloured by class, with a key; the
// test digit under the pointer as a thumbnail; a click, a drag or the arrow
// keys choose a point, whose decode is drawn beside the plane live. It
// holds the plane's geometry; the view gives it the encoder's result and a
// decode function.
import { el } from '../shared/dom.js';
import { planeBounds, toPlane, toCanvas, nearestPoint } from './codes.js';
import { drawDigits, drawScatter, digitLegend } from './draw.js';

// the pointer's reach for the hover thumbnail (CSS pixels)
const HOVER_PX = 6;

export class CodePlane {
  /** opts: {t, fmt, labels (the test labels), digit(i) -> 784 floats, decode([x, y]) -> {image, code} or null, onPoint} */
  constructor({ t, fmt, labels, digit, decode, onPoint }) {
    Object.assign(this, { t, fmt, labels, digit, decode, onPoint });
    this.result = null;
    this.point = null;
    this.ends = [];
    this.canvas = el('canvas', { className: 'ae-scatter', id: 'a-plane', tabIndex: 0, role: 'img', ariaLabel: t('aePlaneLabel') });
    this.thumb = el('canvas', { className: 'ae-thumb', id: 'a-thumb', hidden: true });
    this.thumbText = el('span', { className: 'ae-thumb-text' });
    this.tip = el('div', { className: 'ae-tip', hidden: true }, this.thumb, this.thumbText);
    this.decoded = el('canvas', { className: 'ae-digit-large', id: 'a-decoded', role: 'img', ariaLabel: t('aeDecodedLabel') });
    this.codeText = el('p', { className: 'help', id: 'a-code', role: 'status' });
    this.pcaNote = el('p', { className: 'help', id: 'a-pca' });
    this.knnText = el('p', { className: 'stats', id: 'a-knn' });
    this.wire();
  }

  /** The elements of the plane's card. */
  parts() {
    return [el('p', { className: 'help', textContent: this.t('aePlaneHelp') }), digitLegend(this.t),
      el('div', { className: 'ae-plane-row' },
        el('div', { className: 'ae-plane-box' }, this.canvas, this.tip),
        el('figure', { className: 'ae-decode' }, this.decoded, el('figcaption', {}, this.codeText))),
      this.pcaNote, this.knnText];
  }

  wire() {
    const c = this.canvas;
    let dragging = false;
    const at = (e) => { const r = c.getBoundingClientRect(); return [e.clientX - r.left, e.clientY - r.top]; };
    c.addEventListener('pointerdown', (e) => {
      if (!this.result) return;
      dragging = true;
      c.setPointerCapture?.(e.pointerId);
      this.choose(toPlane(this.bounds, c.clientWidth, c.clientHeight, ...at(e)));
    });
    c.addEventListener('pointermove', (e) => {
      if (!this.result) return;
      if (dragging) this.choose(toPlane(this.bounds, c.clientWidth, c.clientHeight, ...at(e)));
      else this.hover(...at(e));
    });
    const stop = () => { dragging = false; };
    c.addEventListener('pointerup', stop);
    c.addEventListener('pointercancel', stop);
    c.addEventListener('pointerleave', () => { this.tip.hidden = true; });
    // the arrow keys move the point by 2 % of the plane
    c.addEventListener('keydown', (e) => {
      const d = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] }[e.key];
      if (!d || !this.result) return;
      e.preventDefault();
      const b = this.bounds, p = this.point ?? [(b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2];
      this.choose([p[0] + 0.02 * d[0] * (b.x1 - b.x0), p[1] + 0.02 * d[1] * (b.y1 - b.y0)]);
    });
  }

  /** The encoder's new result (model.js Encoder): new bounds, positions and picture. */
  set(result) {
    this.result = result;
    this.bounds = planeBounds(result.points, result.n);
    const f = this.fmt, t = this.t;
    this.pcaNote.textContent = result.pca ? t('aePcaNote', { d: result.width,
      pct: f.percent((result.pca.explained[0] ?? 0) + (result.pca.explained[1] ?? 0), 1) }) : '';
    this.knnText.textContent = Number.isFinite(result.knn) ? t('aeKnn', { k: 5, acc: f.percent(result.knn, 1),
      q: f.count(result.nQuery), ref: f.count(result.nRef), d: result.width }) : '';
    this.canvas.dataset.points = String(result.n);
    // passes over the test digits shown so far (tests wait for the next)
    this.canvas.dataset.pass = String((this.passes = (this.passes ?? 0) + 1));
    this.draw();
  }

  /** Points' positions in CSS pixels, the scatter and the chosen point, and its decode. */
  draw() {
    const r = this.result, c = this.canvas;
    if (!r) return;
    const w = c.clientWidth || 320, h = c.clientHeight || 320;
    this.px = new Float32Array(2 * r.n);
    for (let i = 0; i < r.n; i++) {
      const [x, y] = toCanvas(this.bounds, w, h, r.points[2 * i], r.points[2 * i + 1]);
      this.px[2 * i] = x;
      this.px[2 * i + 1] = y;
    }
    const pos = (p) => toCanvas(this.bounds, w, h, p[0], p[1]);
    drawScatter(c, this.px, this.labels, r.n, { mark: this.point ? pos(this.point) : null,
      ends: this.ends.filter((i) => i < r.n).map((i) => [this.px[2 * i], this.px[2 * i + 1]]) });
    this.redecode();
  }

  /** The interpolation's two test digits, marked on the plane. */
  setEnds(a, b) { this.ends = [a, b]; }

  /** Chooses plane point p ([x, y]): marked, decoded. */
  choose(p) {
    this.point = p;
    this.draw();
    this.onPoint?.(p);
  }

  /** The chosen point's decode with the current net (after training, or a new net). */
  redecode() {
    if (!this.point) { this.codeText.textContent = this.t('aeNoPoint'); return; }
    const out = this.decode(this.point);
    if (!out) return;
    drawDigits(this.decoded, out.image, 1);
    this.decoded.dataset.code = Array.from(out.code).join(',');
    const f = this.fmt;
    this.codeText.textContent = this.t('aeDecodedAt', { code: Array.from(out.code.slice(0, 4), (v) => f.fixed(v, 2)).join('; ')
      + (out.code.length > 4 ? '; …' : '') });
  }

  /** The thumbnail of the test digit nearest to the pointer (x, y in CSS pixels), if one is close. */
  hover(x, y) {
    const i = this.px ? nearestPoint(this.px, this.result.n, x, y, HOVER_PX) : -1;
    this.tip.hidden = i < 0;
    if (i < 0) return;
    drawDigits(this.thumb, this.digit(i), 1);
    this.thumb.hidden = false;
    this.thumbText.textContent = this.t('aeThumb', { i, k: this.labels[i] });
    this.tip.style.left = `${Math.min(x + 12, (this.canvas.clientWidth || 320) - 70)}px`;
    this.tip.style.top = `${Math.max(0, y - 70)}px`;
    this.tip.dataset.index = String(i);
  }
}
