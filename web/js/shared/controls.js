// controls.js: a view's control panel, built from a declarative layout over
// its group of settings in state.js. Each widget has a label, reports changes
// through one callback (name, value) and is refreshed from the view's
// settings; the view's `applies(settings, name)` rule hides the controls that
// do not apply. Each group carries data-control so embed mode can hide it.
import { prop, MAX_LAYERS, MAX_UNITS } from '../state.js';
import { el } from './dom.js';

// group, then [setting name, widget, settings group if not the view's] entries
export const LAYOUT = [
  ['dataset', [['dataset', 'select'], ['classes', 'range'], ['preset', 'select']]],
  ['data', [['noise', 'range'], ['points', 'range'], ['trainPct', 'range'], ['devPct', 'range'], ['dataSeed', 'number']]],
  ['features', [['features', 'features']]],
  ['network', [['hidden', 'layers'], ['activation', 'select'], ['output', 'select'], ['init', 'select'],
    ['initConst', 'range'], ['seed', 'number'], ['batchNorm', 'checkbox'], ['dropout', 'range']]],
  ['training', [['optimizer', 'select'], ['lr', 'number'], ['momentum', 'number'], ['beta2', 'number'],
    ['decay', 'number'], ['batch', 'number'], ['reg', 'select'], ['regRate', 'number']]],
  ['earlyStop', [['patience', 'number'], ['autoRestore', 'checkbox']]],
  ['view', [['speed', 'select'], ['showTest', 'checkbox'], ['discretize', 'checkbox'], ['logScale', 'checkbox'], ['resolution', 'range'],
    ['lang', 'select', 'page'], ['presenter', 'checkbox', 'page']]],
];


// the MNIST view's controls
export const MNIST_LAYOUT = [
  ['network', [['hidden', 'layers'], ['activation', 'select'], ['init', 'select'], ['seed', 'number'],
    ['batchNorm', 'checkbox'], ['dropout', 'range']]],
  ['training', [['optimizer', 'select'], ['lr', 'number'], ['momentum', 'number'], ['batch', 'number'],
    ['epochs', 'number'], ['l2', 'number']]],
  ['earlyStop', [['dev', 'number'], ['patience', 'number'], ['autoRestore', 'checkbox']]],
];

export class Controls {
  /**
   * root: the element to fill; group: the settings group ('2d', 'mnist');
   * onChange(name, value); layout as LAYOUT; applies(settings, name) says
   * whether a control is shown; min(settings, name) a range's minimum where it
   * depends on other settings; page: the page's settings (for entries of group 'page').
   */
  constructor(root, { t, group, onChange, layout = LAYOUT, applies = () => true, min = () => undefined, page = null }) {
    this.root = root;
    this.t = t;
    this.group = group;
    this.onChange = onChange;
    this.layout = layout;
    this.applies = applies;
    this.min = min;
    this.page = page;
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
      for (const [name, widget, g] of fields) box.append(this.field(name, widget, g));
      this.root.append(box);
    }
    this.refresh(state);
  }

  field(name, widget, group = this.group) {
    const t = this.t, p = prop(group, name), key = p.key, id = `ctl-${key}`;
    // a widget shows the value of its own group: the view's, or the page's
    const of = (st) => (group === 'page' ? this.page : st);
    // a field's label, when it differs from the option of the same name
    const label = (k) => (t(`${k}Label`) !== `${k}Label` ? t(`${k}Label`) : t(k));
    const wrap = el('div', { className: `field field-${key}` });
    // what the control does and what to try (i18n.js tip_*)
    if (t(`tip_${key}`) !== `tip_${key}`) wrap.title = t(`tip_${key}`);
    const send = (v) => this.onChange(name, v, group);
    if (widget === 'select') {
      const s = el('select', { id });
      // an option's label: its own for this setting (speed_step), else the shared one (relu)
      const optionLabel = (o) => (t(`${key}_${o}`) !== `${key}_${o}` ? t(`${key}_${o}`) : t(o));
      for (const o of p.options) s.append(el('option', { value: o, textContent: optionLabel(o) }));
      s.addEventListener('change', () => send(s.value));
      wrap.append(el('label', { htmlFor: id, textContent: t(key) }), s);
      this.widgets.set(name, (st) => { s.value = of(st)[name]; });
    } else if (widget === 'range') {
      const step = p.step ?? 1;
      const r = el('input', { id, type: 'range', min: p.min, max: name === 'batch' ? 100 : p.max, step });
      const out = el('output', { htmlFor: id });
      r.addEventListener('input', () => { out.textContent = r.value; });
      r.addEventListener('change', () => send(r.value));
      wrap.append(el('label', { htmlFor: id, textContent: t(key) }), r, out);
      this.widgets.set(name, (st) => { r.value = of(st)[name]; out.textContent = String(of(st)[name]); });
    } else if (widget === 'number') {
      const n = el('input', { id, type: 'number', min: p.min, max: p.max, step: 'any', inputMode: 'decimal' });
      // a typed value out of range is clamped (or refused): the field then shows
      // the value in use, and says why, even while it keeps the focus
      const note = el('span', { className: 'clamped', role: 'status' });
      let typed = null;
      n.addEventListener('change', () => { typed = n.value.trim(); send(typed); });
      wrap.append(el('label', { htmlFor: id, textContent: label(key) }), n, note);
      this.widgets.set(name, (st) => {
        const v = of(st)[name];
        if (typed !== null) {
          note.textContent = typed === String(v) || Number(typed) === v ? ''
            : t('clampedTo', { v, min: p.min, max: p.max });
          typed = null;
          n.value = String(v);
        } else if (document.activeElement !== n) n.value = String(v);
      });
    } else if (widget === 'checkbox') {
      const c = el('input', { id, type: 'checkbox' });
      c.addEventListener('change', () => send(c.checked));
      wrap.classList.add('check');
      wrap.append(c, el('label', { htmlFor: id, textContent: t(key) }));
      this.widgets.set(name, (st) => { c.checked = !!of(st)[name]; });
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

  /** Shows the values of `settings` (the view's group) and only the controls that apply. */
  refresh(settings) {
    for (const fn of this.widgets.values()) fn(settings);
    for (const [, fields] of this.layout) {
      for (const [name, , g = this.group] of fields) {
        const f = this.root.querySelector(`.field-${prop(g, name).key}`);
        if (!f || g !== this.group) continue;
        f.hidden = !this.applies(settings, name);
        const lo = this.min(settings, name), r = f.querySelector('input[type=range]');
        if (lo !== undefined && r) r.min = lo;
      }
    }
  }
}
