// pictures.js: the autoencoder view's pictures of decodes: the
// reconstructions of one test digit per class under their originals, the
// manifold (a grid of decodes over the code plane), the interpolation
// between two chosen test digits (decodes of the codes on the segment
// between theirs), and the denoising triple (noisy input, output, clean
// original); and the architecture editor (a preset or a typed
// "784-…-784"). Each draws from the current net through the JS API.
import { PIXELS } from '../mnist.js';
import { el } from '../shared/dom.js';
import { gridPoints, lerpCodes, onePerClass, planeToCodes } from './codes.js';
import { drawDigits } from './draw.js';
import { AE_PRESETS, parseAeArch, presetOf } from './arch.js';
import { digitFloats } from './model.js';

export const GRID = 12;
export const STEPS = 10;

const canvas = (id, label) => el('canvas', { className: 'ae-strip', id, role: 'img', ariaLabel: label });

export class Pictures {
  /** opts: {t, fmt, nn, mnist(), net(), ae() ({k, width}), state() (state.autoencoder), shared(), onDigit(name, i), onEnds(a, b)} */
  constructor(opts) {
    Object.assign(this, opts);
    const t = this.t;
    this.manifold = canvas('a-manifold', t('aeManifold'));
    this.manifoldNote = el('p', { className: 'help', textContent: t('aeManifoldHelp') });
    this.orig = canvas('a-orig', t('aeOriginals'));
    this.recon = canvas('a-recon', t('aeReconstructions'));
    this.interp = canvas('a-interp', t('aeInterp'));
    this.endA = canvas('a-end-a', t('aeDigitA'));
    this.endB = canvas('a-end-b', t('aeDigitB'));
    this.noisy = canvas('a-noisy', t('aeNoisy'));
    this.output = canvas('a-output', t('aeOutput'));
    this.clean = canvas('a-clean', t('aeClean'));
    this.noiseNote = el('p', { className: 'help', id: 'a-noise-note' });
    this.digitInputs = ['digitA', 'digitB'].map((name) => {
      const input = el('input', { type: 'number', min: 0, max: 9999, step: 1, id: `a-${name}`, inputMode: 'numeric' });
      input.addEventListener('change', () => this.onDigit(name, input.value.trim()));
      return [name, input];
    });
  }

  manifoldParts() { return [this.manifoldNote, this.manifold]; }

  reconParts() {
    const t = this.t;
    return [el('p', { className: 'help', textContent: t('aeReconHelp') }),
      el('div', { className: 'ae-rows' }, el('span', { textContent: t('aeOriginals') }), this.orig,
        el('span', { textContent: t('aeReconstructions') }), this.recon)];
  }

  interpParts() {
    const t = this.t;
    return [el('p', { className: 'help', textContent: t('aeInterpHelp') }),
      el('div', { className: 'ae-digit-inputs' }, ...this.digitInputs.map(([name, input]) =>
        el('span', { className: 'field' }, el('label', { htmlFor: input.id, textContent: t(name === 'digitA' ? 'aeDigitA' : 'aeDigitB') }), input))),
      el('div', { className: 'ae-interp-row' }, this.endA, this.interp, this.endB)];
  }

  noiseParts() {
    const t = this.t, fig = (c, label) => el('figure', {}, c, el('figcaption', { textContent: label }));
    return [el('p', { className: 'help', textContent: t('aeDenoiseHelp') }),
      el('div', { className: 'ae-triple' }, fig(this.noisy, t('aeNoisy')), fig(this.output, t('aeOutput')), fig(this.clean, t('aeClean'))),
      this.noiseNote];
  }

  /** The test digits `indices` as floats (n x 784). */
  digit(i) { return digitFloats(this.mnist().test, [i]); }

  /** Reconstructions, interpolation and denoising with the current net. */
  draw() {
    const net = this.net(), m = this.mnist();
    if (!net || !m) return;
    const idx = onePerClass(m.test.labels), x = digitFloats(m.test, idx);
    drawDigits(this.orig, x, idx.length, idx.length, 2);
    drawDigits(this.recon, net.predict(x), idx.length, idx.length, 2);
    this.drawInterp(net, m);
    this.drawNoise(net, m);
  }

  drawInterp(net, m) {
    const s = this.state(), ae = this.ae(), n = m.test.n;
    const a = Math.min(s.digitA, n - 1), b = Math.min(s.digitB, n - 1);
    for (const [name, input] of this.digitInputs) if (document.activeElement !== input) input.value = String(Math.min(s[name], n - 1));
    const x = digitFloats(m.test, [a, b]), codes = net.encode(x, ae.k), w = ae.width;
    drawDigits(this.endA, x.subarray(0, PIXELS), 1);
    drawDigits(this.endB, x.subarray(PIXELS), 1);
    drawDigits(this.interp, net.decode(lerpCodes(codes.subarray(0, w), codes.subarray(w), STEPS), ae.k), STEPS, STEPS, 2);
    this.interp.dataset.ends = `${a},${b}`;
    this.onEnds(a, b);
  }

  drawNoise(net, m) {
    const s = this.state(), t = this.t, i = Math.min(s.digitA, m.test.n - 1), x = digitFloats(m.test, [i]);
    const noisy = s.noise === 'none' ? x : this.nn.corrupt(x, { dims: PIXELS, kind: s.noise, amount: s.noiseAmt, seed: this.shared().seed });
    drawDigits(this.noisy, noisy, 1);
    drawDigits(this.output, net.predict(noisy), 1);
    drawDigits(this.clean, x, 1);
    this.noiseNote.textContent = s.noise === 'none' ? t('aeNoNoise')
      : t(s.noise === 'mask' ? 'aeMaskNote' : 'aeGaussNote', { a: this.fmt.fixed(s.noiseAmt, 2), i });
  }

  /** The grid of decodes over the plane's box (plane.js: bounds, result). */
  drawManifold(plane) {
    const net = this.net(), ae = this.ae(), r = plane.result;
    if (!net || !r) return;
    const pts = gridPoints(plane.bounds, GRID);
    drawDigits(this.manifold, net.decode(planeToCodes(pts, GRID * GRID, r.width, r.pca), ae.k), GRID * GRID, GRID);
    this.manifoldNote.textContent = this.t(r.pca ? 'aeManifoldPca' : 'aeManifoldHelp', { g: GRID });
  }
}

export class ArchEditor {
  /** opts: {t, fmt, onArch(text), onError(text)} */
  constructor({ t, fmt, onArch, onError }) {
    this.t = t;
    this.fmt = fmt;
    this.preset = el('select', { id: 'a-preset' });
    for (const k of [...Object.keys(AE_PRESETS), 'custom']) this.preset.append(el('option', { value: k, textContent: t(`aePreset_${k}`) }));
    this.preset.addEventListener('change', () => { if (AE_PRESETS[this.preset.value]) onArch(AE_PRESETS[this.preset.value]); });
    this.text = el('input', { type: 'text', id: 'a-arch', spellcheck: false, autocomplete: 'off' });
    this.text.addEventListener('change', () => {
      const a = parseAeArch(this.text.value);
      if (a.error) { onError(t(a.error.key, a.error.values)); this.text.setAttribute('aria-invalid', 'true'); return; }
      this.text.removeAttribute('aria-invalid');
      onArch(a.sizes.join('-'));
    });
    this.summary = el('p', { className: 'help', id: 'a-arch-summary' });
    this.why = el('p', { className: 'help' });
  }

  parts() {
    const t = this.t;
    return [el('div', { className: 'field' }, el('label', { htmlFor: 'a-preset', textContent: t('aePreset') }), this.preset),
      el('div', { className: 'field' }, el('label', { htmlFor: 'a-arch', textContent: t('aeArchText') }), this.text),
      this.summary, this.why];
  }

  /** Shows architecture `arch` (text); loaded: {name, arch} of a loaded file's net, shown instead. */
  set(arch, loaded = null) {
    const shown = loaded?.arch ?? arch, a = parseAeArch(shown), p = presetOf(shown);
    this.preset.value = p;
    if (document.activeElement !== this.text) this.text.value = shown;
    this.text.removeAttribute('aria-invalid');
    if (a.error) {
      // a loaded convolutional autoencoder: its layers as the engine lists them
      this.summary.textContent = loaded ? `${this.t('aeLoadedArch', { name: loaded.name })} ${loaded.arch}` : '';
      this.why.textContent = '';
      return;
    }
    this.summary.textContent = (loaded ? `${this.t('aeLoadedArch', { name: loaded.name })} ` : '')
      + this.t('aeArchSummary', { w: a.width, n: this.fmt.count(a.weights), layers: a.hidden.length });
    this.why.textContent = this.t(`aeWhy_${p}`);
  }
}
