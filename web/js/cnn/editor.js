// editor.js: the CNN view's layer editor. A preset, the architecture as a
// string, and a table with one row per layer (its kind, its settings, its
// output shape and parameters), the input first and the softmax output
// last. Every edit makes a draft that is checked at once (cnn/arch.js, then
// the engine's memory plan through `check`); only a draft that can work is
// sent on (onArch), so an impossible combination is explained, its layer
// marked, and the net that runs stays as it is.
import { el } from '../shared/dom.js';
import { parseArch, formatArch, formatLayer, plan, totals, archError, maxBatchFor, presetOf, failureText, PRESETS, ACTIVATIONS, LIMITS, INPUT_SHAPE, KINDS } from './arch.js';

// each kind's number fields: [name, limits]
const FIELDS = {
  conv: [['filters', LIMITS.filters], ['kernel', LIMITS.kernel], ['stride', LIMITS.stride], ['pad', LIMITS.pad]],
  maxpool: [['size', LIMITS.pool], ['stride', LIMITS.stride]],
  avgpool: [['size', LIMITS.pool], ['stride', LIMITS.stride]],
  dense: [['units', LIMITS.units]],
  bn: [], act: [],
};
// a new layer of each kind
const FRESH = {
  conv: { kind: 'conv', filters: 8, kernel: 3, stride: 1, pad: 1 }, maxpool: { kind: 'maxpool', size: 2, stride: 2 },
  avgpool: { kind: 'avgpool', size: 2, stride: 2 }, bn: { kind: 'bn' }, act: { kind: 'act', fn: 'relu' }, dense: { kind: 'dense', units: 64 },
};

export class LayerEditor {
  /**
   * root: the element to fill. opts: {t, fmt, onArch(string) (a checked
   * architecture to build), check(layers) (the engine's memory plan: a
   * failure or null), onEditLoaded() (the user leaves a loaded net's table)}.
   */
  constructor(root, { t, fmt, onArch, check, onEditLoaded }) {
    Object.assign(this, { root, t, fmt, onArch, check, onEditLoaded });
    this.draft = [];
    this.loaded = null;
  }

  /** Shows the architecture in use (the state's): a fresh draft. */
  set(arch) {
    this.loaded = null;
    this.draft = parseArch(arch).layers ?? [];
    this.render(null);
  }

  /** Shows a loaded net's layers (model.js describeNet), read-only, named `name`. */
  showLoaded(layers, name) {
    this.loaded = { layers, name };
    this.render(null);
  }

  /** The draft changed: check it, show why it cannot work, or send it on. */
  edit(draft, bad = null) {
    this.draft = draft;
    const text = formatArch(draft);
    const error = bad ?? archError(text) ?? this.check(parseArch(text).layers);
    this.render(error);
    if (!error) this.onArch(text);
  }

  render(error) {
    const t = this.t;
    const focus = document.activeElement?.dataset?.focusKey;
    const preset = el('select', { id: 'cnn-preset' });
    for (const p of [...Object.keys(PRESETS), 'custom']) preset.append(el('option', { value: p, textContent: t(`cnnPreset_${p}`) }));
    preset.value = this.loaded ? 'custom' : presetOf(formatArch(this.draft));
    preset.addEventListener('change', () => { if (preset.value !== 'custom') this.edit(parseArch(PRESETS[preset.value]).layers); });
    const text = el('input', { type: 'text', id: 'cnn-arch', className: 'arch-text', spellcheck: false, autocomplete: 'off',
      value: this.loaded ? this.loaded.layers.slice(0, -1).map((d) => d.token).join('-') : formatArch(this.draft) });
    text.dataset.focusKey = 'text';
    text.addEventListener('change', () => {
      const p = parseArch(text.value);
      if (p.error) this.render(p.error);
      else this.edit(p.layers);
    });
    const head = el('div', { className: 'arch-head' },
      el('span', { className: 'field' }, el('label', { htmlFor: 'cnn-preset', textContent: t('cnnPreset') }), preset),
      el('span', { className: 'field arch-field' }, el('label', { htmlFor: 'cnn-arch', textContent: t('cnnArchText') }), text));
    const message = el('p', { className: 'message', role: 'alert', id: 'cnn-arch-error' });
    if (error) message.textContent = failureText(t, error);
    const body = this.loaded ? this.loadedRows() : this.rows(error);
    const kids = [head, message, body];
    if (this.loaded) {
      const back = el('button', { type: 'button', textContent: t('cnnEditArch') });
      back.addEventListener('click', () => this.onEditLoaded());
      kids.splice(1, 0, el('p', { className: 'help', textContent: t('cnnLoadedArch', { name: this.loaded.name }) }), back);
    }
    this.root.replaceChildren(...kids);
    if (focus) this.root.querySelector(`[data-focus-key="${focus}"]`)?.focus();
  }

  // The draft's rows: input, one row per layer (editable), output; totals.
  rows(error) {
    const t = this.t, f = this.fmt;
    const p = plan(this.draft);
    // the rows the plan reached (a failing layer's and after have no shape)
    const shapes = error?.key && error.layer >= 0 ? p.rows.slice(0, error.layer) : p.rows;
    const shapeText = (s) => (s[1] * s[2] > 1 ? `${s[0]} × ${s[1]} × ${s[2]}` : f.count(s[0]));
    const cells = (...xs) => xs.map((x) => (x instanceof Node ? el('td', {}, x) : el('td', { textContent: x })));
    const head = el('tr', {}, ...[t('cnnColLayer'), t('cnnColKind'), t('cnnColSettings'), t('cnnColShape'), t('cnnColParams'), '']
      .map((h) => el('th', { scope: 'col', textContent: h })));
    const rows = [el('tr', { className: 'io' }, ...cells('0', t('cnnInput'), '', shapeText(INPUT_SHAPE), '0', ''))];
    this.draft.forEach((l, i) => {
      const r = shapes[i];
      const tr = el('tr', { className: error?.layer === i ? 'bad' : '' },
        ...cells(String(i + 1), this.kindSelect(l, i), this.settings(l, i), r ? shapeText(r.shape) : '—', r ? f.count(r.params) : '—', this.moves(i)));
      rows.push(tr);
    });
    const out = shapes.length > this.draft.length ? p.rows[p.rows.length - 1] : null;
    rows.push(el('tr', { className: 'io' }, ...cells(String(this.draft.length + 1), t('cnnOutput'), t('cnnOutputWhat'),
      out ? shapeText(out.shape) : '—', out ? f.count(out.params) : '—', this.adder())));
    const table = el('table', { className: 'arch-table', id: 'cnn-layers' }, el('caption', { textContent: t('cnnLayersCaption') }),
      el('thead', {}, head), el('tbody', {}, ...rows));
    const sum = totals(p.rows);
    const foot = el('p', { className: 'help', id: 'cnn-totals', textContent: error ? t('cnnTotalsBad')
      : t('cnnTotals', { params: f.count(sum.params), macs: f.count(sum.macs), batch: maxBatchFor(sum.macs) }) });
    return el('div', { className: 'arch-box' }, table, foot);
  }

  // A loaded net's rows (read-only), from the engine's description.
  loadedRows() {
    const t = this.t, f = this.fmt;
    const shapeText = (s) => (s[1] * s[2] > 1 ? `${s[0]} × ${s[1]} × ${s[2]}` : f.count(s[0]));
    const rows = this.loaded.layers.map((d, i) => el('tr', { className: d.last ? 'io' : '' },
      ...[String(i + 1), d.last ? t('cnnOutput') : t(`cnnKind_${d.type}`), d.last ? t('cnnOutputWhat') : d.token, shapeText(d.shape), f.count(d.params)]
        .map((x) => el('td', { textContent: x }))));
    const head = el('tr', {}, ...[t('cnnColLayer'), t('cnnColKind'), t('cnnColSettings'), t('cnnColShape'), t('cnnColParams')]
      .map((h) => el('th', { scope: 'col', textContent: h })));
    return el('table', { className: 'arch-table', id: 'cnn-layers' }, el('caption', { textContent: t('cnnLayersCaption') }),
      el('thead', {}, head), el('tbody', {}, ...rows));
  }

  kindSelect(l, i) {
    const s = el('select', { ariaLabel: this.t('cnnKindOf', { k: i + 1 }) });
    s.dataset.focusKey = `${i}/kind`;
    for (const k of KINDS) s.append(el('option', { value: k, textContent: this.t(`cnnKind_${k}`) }));
    s.value = l.kind;
    s.addEventListener('change', () => this.edit(this.draft.map((x, j) => (j === i ? { ...FRESH[s.value] } : x))));
    return s;
  }

  // A layer's settings: its numbers, or its activation.
  settings(l, i) {
    const t = this.t, box = el('span', { className: 'arch-settings' });
    if (l.kind === 'act') {
      const s = el('select', { ariaLabel: t('cnnFieldOf', { name: t('cnnField_fn'), k: i + 1 }) });
      s.dataset.focusKey = `${i}/fn`;
      for (const a of ACTIVATIONS) s.append(el('option', { value: a, textContent: t(a) }));
      s.value = l.fn;
      s.addEventListener('change', () => this.edit(this.draft.map((x, j) => (j === i ? { ...x, fn: s.value } : x))));
      box.append(s);
    }
    for (const [name, [min, max]] of FIELDS[l.kind]) {
      const id = `cnn-l${i}-${name}`;
      const n = el('input', { type: 'number', id, min, max, step: 1, value: String(l[name]), inputMode: 'numeric' });
      n.dataset.focusKey = `${i}/${name}`;
      n.addEventListener('change', () => {
        const v = Number(n.value);
        const next = this.draft.map((x, j) => (j === i ? { ...x, [name]: v } : x));
        // a pool's stride follows its size unless set apart
        if (name === 'size' && l.stride === l.size) next[i].stride = v;
        const bad = Number.isInteger(v) && v >= min && v <= max ? null
          : { key: 'cnnErrRange', values: { k: i + 1, token: formatLayer(next[i]), name, v: n.value || '?', min, max }, layer: i };
        this.edit(next, bad);
      });
      box.append(el('label', { htmlFor: id, className: 'arch-num' }, el('span', { textContent: t(`cnnField_${name}`) }), n));
    }
    return box;
  }

  // Up, down and remove buttons of row i.
  moves(i) {
    const t = this.t, box = el('span', { className: 'arch-moves' });
    const button = (text, label, key, fn, disabled = false) => {
      const b = el('button', { type: 'button', className: 'small', textContent: text, disabled, ariaLabel: label });
      b.dataset.focusKey = `${i}/${key}`;
      b.addEventListener('click', fn);
      box.append(b);
    };
    const swap = (a, b) => { const d = this.draft.slice(); [d[a], d[b]] = [d[b], d[a]]; this.edit(d); };
    button('↑', t('cnnUp', { k: i + 1 }), 'up', () => swap(i - 1, i), i === 0);
    button('↓', t('cnnDown', { k: i + 1 }), 'down', () => swap(i, i + 1), i === this.draft.length - 1);
    button('✕', t('cnnRemove', { k: i + 1 }), 'remove', () => this.edit(this.draft.filter((_, j) => j !== i)));
    return box;
  }

  // "Add a layer" before the output: a select of kinds.
  adder() {
    const s = el('select', { id: 'cnn-add', ariaLabel: this.t('cnnAdd') });
    s.dataset.focusKey = 'add';
    s.append(el('option', { value: '', textContent: `+ ${this.t('cnnAdd')}` }));
    for (const k of KINDS) s.append(el('option', { value: k, textContent: this.t(`cnnKind_${k}`) }));
    s.addEventListener('change', () => { if (s.value) this.edit([...this.draft, { ...FRESH[s.value] }]); });
    return s;
  }
}
