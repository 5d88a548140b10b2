// controls.js: the control panel, built from a declarative layout over the
// PROPS table of state.js. Each widget has a label, reports changes through
// one callback (name, value) and is refreshed from the state; each group
// carries data-control so embed mode can hide it.
import { prop, MAX_LAYERS, MAX_UNITS } from '../state.js';
import { el } from './dom.js';

// group, then [prop name, widget] pairs
export const LAYOUT = [
  ['dataset', [['dataset', 'select'], ['classes', 'range']]],
  ['data', [['noise', 'range'], ['points', 'range'], ['trainPct', 'range'], ['dataSeed', 'number']]],
  ['features', [['features', 'features']]],
  ['network', [['hidden', 'layers'], ['activation', 'select'], ['output', 'select'], ['init', 'select'],
    ['initConst', 'range'], ['seed', 'number'], ['batchNorm', 'checkbox'], ['dropout', 'range']]],
  ['training', [['optimizer', 'select'], ['lr', 'number'], ['momentum', 'number'], ['beta2', 'number'],
    ['decay', 'number'], ['batch', 'number'], ['reg', 'select'], ['regRate', 'number']]],
  ['view', [['speed', 'select'], ['showTest', 'checkbox'], ['discretize', 'checkbox'], ['logScale', 'checkbox'], ['resolution', 'range'],
    ['lang', 'select']]],
];


// the MNIST view's controls
export const MNIST_LAYOUT = [
  ['network', [['mHidden', 'layers'], ['mActivation', 'select'], ['mInit', 'select'], ['mSeed', 'number'],
    ['mBatchNorm', 'checkbox'], ['mDropout', 'range']]],
  ['training', [['mOptimizer', 'select'], ['mLr', 'number'], ['mMomentum', 'number'], ['mBatch', 'number'],
    ['mEpochs', 'number'], ['mL2', 'number']]],
];

export class Controls {
  constructor(root, { t, onChange, layout = LAYOUT }) {
    this.root = root;
    this.t = t;
    this.onChange = onChange;
    this.layout = layout;
    this.widgets = new Map();
  }

  build(state) {
    const t = this.t;
    this.root.replaceChildren();
    this.widgets.clear();
    for (const [group, fields] of this.layout) {
      const box = el('fieldset', { className: `group group-${group}`, dataset: { control: group } },
        el('legend', { textContent: t(group === 'view' ? 'language' : group) }));
      if (group === 'view') box.querySelector('legend').textContent = '⚙';
      for (const [name, widget] of fields) box.append(this.field(name, widget, state));
      this.root.append(box);
    }
    this.refresh(state);
  }

  field(name, widget, state) {
    const t = this.t, p = prop(name), id = `ctl-${name}`;
    // a field's label, when it differs from the option of the same name
    const label = (key) => (t(`${key}Label`) !== `${key}Label` ? t(`${key}Label`) : t(key));
    const wrap = el('div', { className: `field field-${name}` });
    const send = (v) => this.onChange(name, v);
    if (widget === 'select') {
      const s = el('select', { id });
      for (const o of p.options) s.append(el('option', { value: o, textContent: t(o) }));
      s.addEventListener('change', () => send(s.value));
      wrap.append(el('label', { htmlFor: id, textContent: t(name === 'lang' ? 'language' : name) }), s);
      this.widgets.set(name, (st) => { s.value = st[name]; });
    } else if (widget === 'range') {
      const step = p.step ?? 1;
      const r = el('input', { id, type: 'range', min: p.min, max: name === 'batch' ? 100 : p.max, step });
      const out = el('output', { htmlFor: id });
      r.addEventListener('input', () => { out.textContent = r.value; });
      r.addEventListener('change', () => send(r.value));
      wrap.append(el('label', { htmlFor: id, textContent: t(name) }), r, out);
      this.widgets.set(name, (st) => { r.value = st[name]; out.textContent = String(st[name]); });
    } else if (widget === 'number') {
      const n = el('input', { id, type: 'number', min: p.min, max: p.max, step: 'any', inputMode: 'decimal' });
      n.addEventListener('change', () => send(n.value.trim()));
      wrap.append(el('label', { htmlFor: id, textContent: label(name) }), n);
      this.widgets.set(name, (st) => { if (document.activeElement !== n) n.value = String(st[name]); });
    } else if (widget === 'checkbox') {
      const c = el('input', { id, type: 'checkbox' });
      c.addEventListener('change', () => send(c.checked));
      wrap.classList.add('check');
      wrap.append(c, el('label', { htmlFor: id, textContent: t(name) }));
      this.widgets.set(name, (st) => { c.checked = !!st[name]; });
    } else if (widget === 'features') {
      const boxes = p.options.map((f) => {
        const c = el('input', { id: `feat-${f}`, type: 'checkbox', value: f });
        c.addEventListener('change', () => send(boxes.filter((b) => b.checked).map((b) => b.value)));
        wrap.append(el('span', { className: 'feature' }, c, el('label', { htmlFor: `feat-${f}`, textContent: t(f) })));
        return c;
      });
      this.widgets.set(name, (st) => boxes.forEach((b) => { b.checked = st.features.includes(b.value); }));
    } else if (widget === 'layers') {
      this.layersField(wrap, send, name, p.maxUnits ?? MAX_UNITS);
    }
    return wrap;
  }

  // The hidden-layer editor: +/- layers, +/- neurons per layer.
  layersField(wrap, send, name, maxUnits) {
    const t = this.t;
    const head = el('div', { className: 'layers-head' });
    const list = el('div', { className: 'layers-list' });
    wrap.append(head, list);
    let current = [];
    const button = (text, label, fn) => {
      const b = el('button', { type: 'button', textContent: text, className: 'small' });
      b.setAttribute('aria-label', label);
      b.addEventListener('click', fn);
      return b;
    };
    // the buttons stop at 6 layers of 16 in the 2D view (the URL goes to 8 x 64)
    const unitStep = maxUnits > MAX_UNITS ? 10 : 1;
    const uiLayers = maxUnits > MAX_UNITS ? MAX_LAYERS : 6, uiUnits = maxUnits > MAX_UNITS ? maxUnits : 16;
    this.widgets.set(name, (st) => {
      current = st[name].slice();
      const count = el('span', { textContent: `${t('hiddenLayers')}: ${current.length}` });
      head.replaceChildren(
        button('+', t('addLayer'), () => current.length < uiLayers && send([...current, unitStep > 1 ? 40 : 4])),
        button('−', t('removeLayer'), () => current.length > 0 && send(current.slice(0, -1))),
        count);
      list.replaceChildren(...current.map((u, k) => el('div', { className: 'layer-row' },
        button('+', t('moreUnits', { k: k + 1 }), () => send(current.map((v, i) => (i === k ? Math.max(v, Math.min(uiUnits, v + unitStep)) : v)))),
        button('−', t('fewerUnits', { k: k + 1 }), () => send(current.map((v, i) => (i === k ? Math.max(1, v - unitStep) : v)))),
        el('span', { textContent: `${u} ${t('neurons')}` }))));
    });
  }

  refresh(state) {
    for (const fn of this.widgets.values()) fn(state);
    // show only what applies
    const show = (name, on) => { const f = this.root.querySelector(`.field-${name}`); if (f) f.hidden = !on; };
    const classes = this.root.querySelector('#ctl-classes');
    if (classes) classes.min = state.dataset === 'multispiral' ? 3 : 2;
    show('mMomentum', ['momentum', 'nesterov', 'rmsprop', 'adam'].includes(state.mOptimizer));
    show('classes', state.dataset === 'multispiral' || state.dataset === 'blobs');
    show('initConst', state.init === 'constant');
    show('momentum', ['momentum', 'nesterov', 'rmsprop', 'adam'].includes(state.optimizer));
    show('beta2', state.optimizer === 'adam');
    show('regRate', state.reg !== 'none');
    show('output', state.dataset !== 'plane' && state.dataset !== 'cos' && state.dataset !== 'multispiral'
      && !(state.dataset === 'blobs' && state.classes > 2));
  }
}
