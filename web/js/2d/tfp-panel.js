// tfp-panel.js: the 2D view's "Open a TensorFlow Playground link" panel,
// under the share panel: a field to paste a TFP URL or hash, an Open button,
// then what happened: the nearest nnplay settings are loaded (through the
// URL, as following an nnplay link would: go(hash)) and each TFP setting
// that did not map is listed with its reason; text that is not a TFP link
// is refused with a message and changes nothing.
import { el } from '../shared/dom.js';
import { serialize } from '../state.js';
import { fromTfp, TfpError } from './tfp.js';

// a pasted value is shown up to this many characters
const SHOWN = 40;
const shown = (v) => { const s = String(v); return s.length > SHOWN ? `${s.slice(0, SHOWN)}…` : s; };

// a mapped value as shown: seeds as typed (no digit grouping), numbers in the page's language
const mappedText = (v) => (Number.isInteger(v) ? String(v) : v ?? '');

export class TfpPanel {
  /** t(key, values): the page's strings; state(): the page's state; go(hash): load a link's state. */
  constructor({ t, state, go }) {
    this.t = t;
    this.state = state;
    this.go = go;
    this.root = el('details', { className: 'tfp', id: 'tfp', dataset: { control: 'share' } });
    this.last = null;
  }

  /** Builds (again, in the page's language) and returns the panel's element. */
  build() {
    const t = this.t;
    this.input = el('input', { type: 'text', id: 'tfp-link', placeholder: t('tfpPlaceholder'), spellcheck: false, autocomplete: 'off' });
    const open = el('button', { type: 'button', id: 'tfp-open', className: 'small', textContent: t('tfpOpen') });
    open.addEventListener('click', () => this.open());
    this.input.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); this.open(); } });
    this.status = el('p', { id: 'tfp-status', role: 'status' });
    this.list = el('ul', { id: 'tfp-unmapped', className: 'tfp-unmapped' });
    const field = el('div', { className: 'field' }, el('label', { htmlFor: 'tfp-link', textContent: t('tfpLabel') }), this.input, open);
    this.root.replaceChildren(el('summary', { textContent: t('tfpTitle') }), field, this.status, this.list);
    if (this.last) this.report(this.last);
    return this.root;
  }

  /** Reads the pasted text: loads its state and lists what did not map, or says why it cannot. */
  open() {
    let r;
    try {
      r = fromTfp(this.input.value);
    } catch (e) {
      if (!(e instanceof TfpError)) throw e;
      this.last = { error: e.code };
      this.report(this.last);
      return;
    }
    const next = structuredClone(this.state());
    Object.assign(next['2d'], r.state);
    next.page.view = '2d';
    this.last = { unmapped: r.unmapped };
    this.report(this.last);
    this.go(serialize(next));
  }

  report({ error, unmapped }) {
    const t = this.t;
    this.status.classList.toggle('message', !!error);
    if (error) {
      this.status.textContent = t(`tfpErr_${error}`);
      this.list.replaceChildren();
      return;
    }
    this.status.textContent = `${t('tfpLoaded')} ${unmapped.length ? t('tfpUnmapped') : t('tfpAllMapped')}`;
    this.list.replaceChildren(...unmapped.map((u) => el('li', {
      textContent: t(`tfpWhy_${u.reason}`, { key: shown(u.key), value: shown(u.value), mapped: mappedText(u.mapped) }),
    })));
  }
}
