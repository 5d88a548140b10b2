// share.js: the "share / embed" panel. It shows the link to the current
// playground and an <iframe> snippet for slides, with choices for embed
// mode: start playing, and which control groups to hide.
import { serialize, CONTROLS } from '../state.js';
import { el } from './dom.js';

export class SharePanel {
  constructor(root, { t, baseUrl }) {
    this.root = root;
    this.t = t;
    this.baseUrl = baseUrl;
    this.hide = new Set(['dataset', 'data', 'features', 'training', 'share']);
    this.autoplay = false;
  }

  build() {
    const t = this.t;
    const details = el('details', { className: 'share' });
    details.dataset.control = 'share';
    details.append(el('summary', { textContent: t('share') }));
    this.link = el('input', { type: 'text', readOnly: true, id: 'share-link' });
    this.code = el('textarea', { readOnly: true, rows: 3, id: 'share-code' });
    const row = (id, label, input) => {
      const d = el('div', { className: 'field' });
      d.append(el('label', { htmlFor: id, textContent: label }), input);
      return d;
    };
    const copy = (input) => {
      const b = el('button', { type: 'button', textContent: t('copy'), className: 'small' });
      b.addEventListener('click', () => { input.select(); navigator.clipboard?.writeText(input.value).catch(() => {}); });
      return b;
    };
    const opts = el('div', { className: 'embed-options' });
    const auto = el('input', { type: 'checkbox', id: 'embed-autoplay' });
    auto.addEventListener('change', () => { this.autoplay = auto.checked; this.update(this.state); });
    opts.append(auto, el('label', { htmlFor: 'embed-autoplay', textContent: t('autoplay') }), el('br'),
      el('span', { textContent: `${t('hideControls')}: ` }));
    for (const c of CONTROLS) {
      const cb = el('input', { type: 'checkbox', id: `hide-${c}`, checked: this.hide.has(c) });
      cb.addEventListener('change', () => { if (cb.checked) this.hide.add(c); else this.hide.delete(c); this.update(this.state); });
      opts.append(cb, el('label', { htmlFor: `hide-${c}`, textContent: c }), ' ');
    }
    const l = row('share-link', t('embedLink'), this.link);
    l.append(copy(this.link));
    const c = row('share-code', t('embedCode'), this.code);
    c.append(copy(this.code));
    details.append(l, opts, c);
    this.root.replaceChildren(details);
  }

  update(state) {
    this.state = state;
    if (!this.link) return;
    const url = `${this.baseUrl}#${serialize({ ...state, page: { ...state.page, embed: false, autoplay: false, hide: [] } })}`;
    this.link.value = url;
    const embed = serialize({ ...state, page: { ...state.page, embed: true, autoplay: this.autoplay, hide: [...this.hide] } });
    const src = `${this.baseUrl}#${embed}`.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
    this.code.value = `<iframe src="${src}" width="900" height="600" style="border:0" title="nnplay" loading="lazy"></iframe>`;
  }
}
