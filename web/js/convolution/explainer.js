// explainer.js: the convolution explainer (COURSE.md section 12), a module
// any view mounts: an image (a test digit, a digit drawn on a pad, or the
// course slide's 5 x 5 patch) convolved by the engine with a 3 x 3 kernel
// (presets or typed), with padding, stride and the output-size formula; an
// output pixel's arithmetic (patch, kernel, nine products, sum, the engine's
// value; cross-correlation against true convolution); then pooling, with the
// input that won. The Convolution view mounts it now, the CNN view later.
//
// Mount API:
//   const ex = mountExplainer(container, {nn, t, lang, settings, digits, onChange});
//     nn        the engine (load() of nnplay.mjs)
//     t         t(key, values): the page's texts (i18n.js; keys cv* and c* of convolution/strings.js)
//     lang      'en' or 'fr', for numbers
//     settings  the explainer's settings (state.js SETTINGS.convolution), read only
//     digits    test digits {images: Uint8Array (n * 784), labels, n}, or null until they load
//     onChange  onChange(name, value): asks for a setting change; the host checks it
//               (state.js update) and calls ex.update() with the settings in use
//   ex.update(settings)     settings changed or were refused: draw them (coalesced)
//   ex.setDigits(digits)    the test digits arrived ({loading: text} while they load, {error} when they cannot)
//   ex.relabel({t, lang})   another language: every text again
//   ex.destroy()            frees the engine's net; empties the container
import { el } from '../shared/dom.js';
import { short } from '../shared/format.js';
import { KERNELS as KERNEL_NAMES } from './settings.js';
import { f32Digits } from '../backprop/model.js';
import { DrawPad } from '../mnist/drawpad.js';
import { PIXELS, SIDE } from '../mnist.js';
import { Convolver, SLIDE, kernelOf, flipKernel, parseKernel, pickPixel, arithmetic, poolWindow } from './model.js';
import { drawGrid, poolMarks, cellAt, legend, table3, inkGrey, photoGrey, divergingOf, ON_DARK } from './draw.js';

let mounted = 0;

/** Mounts the explainer in `container` (see the top of this file). */
export function mountExplainer(container, options) {
  return new Explainer(container, options);
}

class Explainer {
  constructor(container, { nn, t, lang, settings, digits = null, onChange }) {
    this.root = container;
    this.convolver = new Convolver(nn);
    this.t = t;
    this.lang = lang;
    this.s = settings;
    this.digits = digits;
    this.onChange = onChange;
    this.id = `cv${++mounted}`;
    this.drawn = null;
    this.poolCell = null;
    this.build();
    this.render();
  }

  /** A value as float32 carries it, in the page's language (42, 0.0625, 28.333334). */
  num(v) { return short(this.lang, v === 0 ? 0 : v, f32Digits(v)); }

  update(settings) {
    this.s = settings;
    // a link or a preset changes several settings in a row: draw once
    if (this.pending) return;
    this.pending = true;
    queueMicrotask(() => { this.pending = false; if (this.convolver) this.render(); });
  }

  setDigits(digits) {
    this.digits = digits;
    this.render();
  }

  relabel({ t, lang }) {
    this.t = t;
    this.lang = lang;
    this.build();
    this.render();
  }

  destroy() {
    this.convolver.free();
    this.convolver = null;
    this.root.replaceChildren();
  }

  // ---- the controls ---------------------------------------------------------

  /** A select of a setting's options, labelled (the label above it when `stack`); option labels are `${key}_${option}` texts. */
  select(name, key, options, label = (o) => this.t(`${key}_${o}`), stack = false) {
    const s = el('select', { id: `${this.id}-${name}` });
    for (const o of options) s.append(el('option', { value: String(o), textContent: label(o) }));
    s.addEventListener('change', () => this.onChange(name, typeof options[0] === 'number' ? Number(s.value) : s.value));
    this.widgets[name] = s;
    const tip = this.t(`tip_${key}`);
    return el('div', { className: stack ? 'field stack' : 'field', title: tip === `tip_${key}` ? '' : tip },
      el('label', { htmlFor: s.id, textContent: this.t(key) }), s);
  }

  build() {
    const t = this.t, id = this.id;
    this.widgets = {};
    const range = (a, b) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
    const slide = el('button', { type: 'button', textContent: t('cvSlideButton'), dataset: { cv: 'slide' } });
    slide.addEventListener('click', () => {
      for (const [k, v] of [['input', 'slide'], ['kernel', 'slide'], ['pad', 0], ['stride', 1], ['flip', false], ['pixel', [-1, -1]]]) this.onChange(k, v);
    });
    // the test digit: its number, previous and next
    this.digitInput = el('input', { type: 'number', min: 0, max: 9999, step: 1, id: `${id}-digit`, inputMode: 'numeric' });
    this.digitInput.addEventListener('change', () => this.onChange('digit', this.digitInput.value.trim()));
    const step = (d, key, text) => {
      const b = el('button', { type: 'button', className: 'small', textContent: text, ariaLabel: t(key) });
      b.addEventListener('click', () => this.onChange('digit', Math.max(0, Math.min((this.digits?.n ?? 10000) - 1, this.s.digit + d))));
      return b;
    };
    this.digitLabel = el('span', { className: 'cv-digit-label' });
    this.digitField = el('div', { className: 'field cv-digit' }, el('label', { htmlFor: this.digitInput.id, textContent: t('cDigit') }),
      el('span', {}, step(-1, 'cvPrevDigit', '‹'), this.digitInput, step(1, 'cvNextDigit', '›'), this.digitLabel));
    // the pad
    const padCanvas = el('canvas', { className: 'drawpad', role: 'img', ariaLabel: t('cvPadHelp') });
    this.pad = new DrawPad(padCanvas, (x) => { this.drawn = x; if (this.s?.input === 'pad') this.render(); });
    const clear = el('button', { type: 'button', textContent: t('cvClear') });
    clear.addEventListener('click', () => this.pad.clear());
    this.padBox = el('div', { className: 'cv-pad' }, el('p', { className: 'help', textContent: t('cvPadHelp') }), padCanvas, clear);
    // the kernel: a preset, or typed (checked before it is used)
    this.kernelGrid = el('div', { className: 'cv-kernel-grid' });
    this.typed = el('input', { type: 'text', id: `${id}-typed`, spellcheck: false, autocomplete: 'off', dataset: { cv: 'typed' },
      ariaDescribedby: `${id}-typed-message` });
    const use = el('button', { type: 'button', textContent: t('cvUse'), dataset: { cv: 'use' } });
    const useTyped = () => this.useTyped();
    use.addEventListener('click', useTyped);
    this.typed.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); useTyped(); } });
    // the field's own message, read with it (the host view keeps the one alert of its page)
    this.kernelMessage = el('p', { className: 'message', id: `${id}-typed-message`, ariaLive: 'polite', dataset: { cv: 'kernel-message' } });
    const flip = el('input', { type: 'checkbox', id: `${id}-flip` });
    flip.addEventListener('change', () => this.onChange('flip', flip.checked));
    this.widgets.flip = flip;

    const controls = el('div', { className: 'cv-controls' },
      el('fieldset', { className: 'group' }, el('legend', { textContent: t('cInput') }),
        this.select('input', 'cInput', ['digit', 'pad', 'slide'], undefined, true), this.digitField, slide),
      el('fieldset', { className: 'group' }, el('legend', { textContent: t('cKernel') }),
        this.select('kernel', 'cKernel', KERNEL_NAMES, undefined, true), this.kernelGrid,
        el('label', { htmlFor: this.typed.id, textContent: t('cvTyped'), className: 'cv-typed-label' }),
        el('div', { className: 'cv-typed' }, this.typed, use), this.kernelMessage,
        this.select('pad', 'cPad', range(0, 3), String), this.select('stride', 'cStride', range(1, 3), String),
        el('div', { className: 'field check', title: t('tip_cFlip') }, flip, el('label', { htmlFor: flip.id, textContent: t('cFlip') }))),
      el('fieldset', { className: 'group' }, el('legend', { textContent: t('cPool') }),
        this.select('pool', 'cPool', ['max', 'avg']), this.select('poolSize', 'cPoolSize', range(2, 4), String),
        this.select('poolStride', 'cPoolStride', range(1, 4), String)));

    // the pictures
    this.status = el('p', { className: 'help', role: 'status', dataset: { cv: 'status' } });
    this.formula = el('p', { className: 'cv-formula', dataset: { cv: 'formula' } });
    this.inCanvas = el('canvas', { className: 'cv-map', role: 'img' });
    this.inCaption = el('figcaption');
    this.outCanvas = el('canvas', { className: 'cv-map pick', role: 'img', tabIndex: 0, dataset: { cv: 'output' } });
    this.outCaption = el('figcaption');
    this.key = el('div', { className: 'cv-key' });
    this.outCanvas.addEventListener('pointerdown', (e) => this.pick(e));
    this.outCanvas.addEventListener('keydown', (e) => this.arrow(e, false));
    this.arith = el('section', { className: 'cv-arith', dataset: { cv: 'arith' } });
    // what a screen reader hears when a pixel is chosen: where, and the sum
    this.live = el('p', { className: 'visually-hidden', role: 'status' });
    this.slideNote = el('p', { className: 'why', dataset: { cv: 'slide-note' }, textContent: t('cvSlideNote') });
    this.poolFormula = el('p', { className: 'cv-formula', dataset: { cv: 'pool-formula' } });
    this.poolCanvas = el('canvas', { className: 'cv-map pick', role: 'img', tabIndex: 0, dataset: { cv: 'pooled' } });
    this.poolCaption = el('figcaption');
    this.poolInfo = el('p', { className: 'cv-pool-info', role: 'status', dataset: { cv: 'pool-info' } });
    this.poolCanvas.addEventListener('pointerdown', (e) => this.pickPool(e));
    this.poolCanvas.addEventListener('keydown', (e) => this.arrow(e, true));

    const pictures = el('div', { className: 'cv-main' },
      el('p', { className: 'why', textContent: t('cvIntro') }), this.status, this.padBox, this.formula,
      el('div', { className: 'cv-maps' },
        el('figure', {}, this.inCanvas, this.inCaption),
        el('figure', {}, this.outCanvas, this.outCaption, this.key),
        el('div', { className: 'cv-arith-box' }, el('h2', { textContent: t('cvArith') }),
          el('p', { className: 'help', textContent: t('cvOutputHelp') }), this.arith, this.live, this.slideNote)),
      el('h2', { textContent: t('cvPoolTitle') }), this.poolFormula,
      el('figure', { className: 'cv-pool-figure' }, this.poolCanvas, this.poolCaption),
      el('p', { className: 'help', textContent: t('cvPoolHelp') }), this.poolInfo);
    this.root.replaceChildren(el('div', { className: 'cv' }, controls, pictures));
  }

  /** The typed kernel, if it is 9 finite numbers; otherwise say why and change nothing. */
  useTyped() {
    const r = parseKernel(this.typed.value);
    if (r.error) {
      const key = { count: 'cvKernelCount', nan: 'cvKernelNaN', range: 'cvKernelRange' }[r.error];
      this.kernelMessage.textContent = this.t(key, { n: String(r.n), token: r.token, k: String(r.k) });
      return;
    }
    this.kernelMessage.textContent = '';
    this.onChange('weights', r.values);
    this.onChange('kernel', 'custom');
  }

  // ---- choosing pixels ----------------------------------------------------------

  pick(e) {
    const at = this.shown && cellAt(this.outCanvas, e, this.shown.side);
    if (!at) return;
    this.outCanvas.focus();
    this.poolCell = null;
    this.onChange('pixel', at);
  }

  pickPool(e) {
    const at = this.shown?.poolSide && cellAt(this.poolCanvas, e, this.shown.poolSide);
    if (!at) return;
    this.poolCanvas.focus();
    this.poolCell = at;
    this.render();
  }

  /** Arrow keys move the selected output pixel (or pooled cell); true if used. */
  arrow(e, pooled) {
    const d = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] }[e.key];
    if (!d || !this.shown) return;
    e.preventDefault();
    const n = pooled ? this.shown.poolSide : this.shown.side;
    const [r, c] = pooled ? this.shown.poolAt : this.shown.at;
    const next = [Math.max(0, Math.min(n - 1, r + d[0])), Math.max(0, Math.min(n - 1, c + d[1]))];
    if (pooled) { this.poolCell = next; this.render(); } else { this.poolCell = null; this.onChange('pixel', next); }
  }

  // ---- drawing ----------------------------------------------------------------

  /** The image convolved: {values, side, photo (grey levels of a photograph)} and a status text. */
  image() {
    const s = this.s;
    if (s.input === 'slide') return { values: SLIDE.patch, side: SLIDE.side, photo: true };
    if (s.input === 'pad') {
      const values = this.drawn ? Array.from(this.drawn, (v) => Math.round(255 * v)) : new Array(PIXELS).fill(0);
      return { values, side: SIDE, note: this.drawn ? '' : this.t('cvPadEmpty') };
    }
    const d = this.digits;
    if (!d?.images) {
      return { values: new Array(PIXELS).fill(0), side: SIDE, note: d?.error ? this.t('cvNoDigits', { msg: d.error }) : d?.loading ?? this.t('cvLoading') };
    }
    const k = Math.min(s.digit, d.n - 1);
    return { values: Array.from(d.images.subarray(k * PIXELS, (k + 1) * PIXELS)), side: SIDE, label: d.labels[k], index: k };
  }

  render() {
    const s = this.s, t = this.t, w = this.widgets;
    for (const name of ['input', 'kernel', 'pad', 'stride', 'pool', 'poolSize', 'poolStride']) w[name].value = String(s[name]);
    w.flip.checked = s.flip;
    const img = this.image();
    this.digitField.hidden = s.input !== 'digit';
    this.padBox.hidden = s.input !== 'pad';
    this.slideNote.hidden = s.input !== 'slide';
    this.digitInput.value = String(img.index ?? s.digit);
    this.digitLabel.textContent = img.label === undefined ? '' : t('cvDigitIs', { label: String(img.label) });
    this.status.textContent = img.note ?? '';

    const kernel = kernelOf(s), flipped = flipKernel(kernel);
    this.kernelGrid.replaceChildren(table3(kernel, (v) => this.num(v), { caption: t('cvKernelTable'), role: 'kernel' }));
    if (document.activeElement !== this.typed) this.typed.value = kernel.map((v) => this.num(v)).join(' ');
    const n = img.side, p = s.pad, st = s.stride;
    const r = this.convolver.run(img.values, n, kernel, { pad: p, stride: st, pool: s.pool, poolSize: s.poolSize, poolStride: s.poolStride });
    const o = r.side, shownKernel = s.flip ? flipped : kernel, map = r.maps[s.flip ? 1 : 0];
    // no pixel chosen: the slide's centre, or a digit's strongest response (its centre is often blank)
    const at = pickPixel(s.pixel, o, img.photo ? null : map);
    this.formula.textContent = t('cvFormula', { n: String(n), p: String(p), s: String(st), o: String(o) });

    // the scale: symmetric, the largest |value| of the map shown
    let m = 0;
    for (const v of map) m = Math.max(m, Math.abs(v));
    m = m || 1;
    const small = (side) => side <= 7;
    const a = arithmetic(img.values, n, shownKernel, at[0], at[1], { pad: p, stride: st });
    const filled = (rr, cc) => img.photo && SLIDE.filled.some(([y, x]) => y === rr && x === cc);
    drawGrid(this.inCanvas, img.values, n, {
      colour: img.photo ? photoGrey : inkGrey, ring: p,
      label: small(n) ? (v, rr, cc) => `${this.num(v)}${filled(rr, cc) ? '*' : ''}` : null,
      marks: [{ r: a.rows[0], c: a.cols[0], size: 3, colour: img.photo ? ON_DARK : undefined }],
    });
    this.inCanvas.setAttribute('aria-label', p ? t('cvInputPadded', { n: String(n), p: String(p) }) : t('cvInput', { n: String(n) }));
    this.inCaption.textContent = this.inCanvas.getAttribute('aria-label');

    // pooling: the selected pooled cell, by default the one over the selected pixel
    const ps = r.poolSide;
    const poolAt = ps ? (this.poolCell ?? [Math.min(ps - 1, Math.floor(at[0] / s.poolStride)), Math.min(ps - 1, Math.floor(at[1] / s.poolStride))])
      .map((v) => Math.min(ps - 1, v)) : null;
    const win = ps ? poolWindow(map, o, poolAt[0], poolAt[1], { kind: s.pool, size: s.poolSize, stride: s.poolStride }) : null;
    const colour = divergingOf(m);
    drawGrid(this.outCanvas, map, o, {
      colour, label: small(o) ? (v) => this.num(v) : null,
      marks: [{ r: at[0], c: at[1], width: 1.5 }, ...(win ? poolMarks(win, s.poolSize) : [])],
    });
    this.outCanvas.setAttribute('aria-label', `${t('cvOutput', { o: String(o) })}. ${t('cvPixel', { r: String(at[0] + 1), c: String(at[1] + 1) })}`);
    this.outCaption.textContent = t('cvOutput', { o: String(o) });
    legend(this.key, m, { format: (v) => short(this.lang, v, 3), text: t('cvKey') });
    this.drawArithmetic(a, shownKernel, map[at[0] * o + at[1]], at, img, kernel, flipped, n, p, st);

    this.shown = { side: o, at, poolSide: ps, poolAt };
    this.poolCanvas.hidden = !ps;
    if (!ps) {
      this.poolFormula.textContent = t('cvPoolTooBig', { k: String(s.poolSize), n: String(o) });
      this.poolInfo.textContent = '';
      this.poolCaption.textContent = '';
      return;
    }
    this.poolFormula.textContent = t('cvPoolFormula', { n: String(o), k: String(s.poolSize), s: String(s.poolStride), o: String(ps) });
    const pooled = r.pooled[s.flip ? 1 : 0];
    drawGrid(this.poolCanvas, pooled, ps, { colour, label: small(ps) ? (v) => this.num(v) : null, marks: [{ r: poolAt[0], c: poolAt[1], width: 1.5 }] });
    this.poolCaption.textContent = t('cvPooled', { o: String(ps) });
    this.poolCanvas.setAttribute('aria-label', this.poolCaption.textContent);
    const first = win.cells[0], last = win.cells[win.cells.length - 1];
    const head = t('cvPoolCell', { r: String(poolAt[0] + 1), c: String(poolAt[1] + 1), r0: String(first.r + 1), r1: String(last.r + 1),
      c0: String(first.c + 1), c1: String(last.c + 1), values: win.cells.map((e) => this.num(e.v)).join(this.lang === 'fr' ? ' ; ' : ', ') });
    // the value the engine pooled (the window's max or mean computed here says which input won)
    const v = this.num(pooled[poolAt[0] * ps + poolAt[1]]);
    const tail = win.winner ? t('cvPoolMax', { v, r: String(win.winner.r + 1), c: String(win.winner.c + 1) }) : t('cvPoolAvg', { v });
    this.poolInfo.replaceChildren(el('span', { textContent: `${head} ` }), el('strong', { textContent: tail, dataset: { cv: 'winner' } }));
  }

  /** The selected pixel's arithmetic: patch ⊙ kernel = products, their sum, the engine's value, both sums. */
  drawArithmetic(a, shownKernel, engine, at, img, kernel, flipped, n, p, st) {
    const t = this.t, num = (v) => this.num(v);
    const padCls = (i) => (a.padded[i] ? 'pad' : '');
    const other = arithmetic(img.values, n, this.s.flip ? kernel : flipped, at[0], at[1], { pad: p, stride: st }).sum;
    const [corr, conv] = this.s.flip ? [other, a.sum] : [a.sum, other];
    this.live.textContent = `${t('cvPixel', { r: String(at[0] + 1), c: String(at[1] + 1) })}. ${t('cvSum')} ${num(a.sum)}`;
    this.arith.replaceChildren(
      el('p', { className: 'cv-pixel', textContent: t('cvPixel', { r: String(at[0] + 1), c: String(at[1] + 1) }) }),
      el('div', { className: 'cv-tables' },
        table3(a.patch, num, { caption: t('cvPatch'), cls: padCls, role: 'patch' }),
        el('span', { className: 'cv-op', textContent: '⊙' }),
        table3(shownKernel, num, { caption: t(this.s.flip ? 'cvKernelFlipped' : 'cvKernelTable'), role: 'kernel-used' }),
        el('span', { className: 'cv-op', textContent: '=' }),
        table3(a.products, num, { caption: t('cvProducts'), cls: padCls, role: 'products' })),
      el('p', { className: 'cv-sum' }, `${t('cvSum')} `,
        el('span', { textContent: a.products.map((v) => (v < 0 ? `(${num(v)})` : num(v))).join(' + ') }), ' = ',
        el('strong', { textContent: num(a.sum), dataset: { cv: 'sum' } })),
      el('p', { className: 'help', dataset: { cv: 'engine' }, textContent: t('cvEngine', { v: num(engine) }) }),
      el('ul', { className: 'cv-corr' },
        el('li', { className: this.s.flip ? '' : 'chosen' }, el('span', { textContent: t('cvCorrelation', { v: num(corr) }), dataset: { cv: 'correlation' } })),
        el('li', { className: this.s.flip ? 'chosen' : '' }, el('span', { textContent: t('cvConvolution', { v: num(conv) }), dataset: { cv: 'convolution' } }))));
  }
}
