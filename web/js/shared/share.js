// share.js: the "share / embed" panel. It shows the link to the current
// playground and an <iframe> snippet for slides, with choices for embed
// mode: start playing, which control groups to hide, and the frame's size
// (embed mode fits any frame from 480 x 360 to 1920 x 1080, type included).
import { serialize, CONTROLS } from '../state.js';
import { el } from './dom.js';

// frame sizes offered for the snippet (width x height, CSS pixels)
export const EMBED_SIZES = [[480, 360], [640, 400], [800, 500], [960, 600], [1280, 720], [1920, 1080]];

export class SharePanel {
  constructor(root, { t, baseUrl }) {
    this.root = root;
    this.t = t;
    this.baseUrl = baseUrl;
    this.hide = new Set(['dataset', 'data', 'features', 'training', 'share']);
    this.autoplay = false;
    this.size = [800, 500];
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
      opts.append(cb, el('label', { htmlFor: `hide-${c}`, textContent: t(`hide_${c}`) }), ' ');
    }
    const size = el('select', { id: 'embed-size' });
    for (const [w, h] of EMBED_SIZES) size.append(el('option', { value: `${w}x${h}`, textContent: `${w} × ${h}` }));
    size.value = this.size.join('x');
    size.addEventListener('change', () => { this.size = size.value.split('x').map(Number); this.update(this.state); });
    opts.append(el('br'), el('label', { htmlFor: 'embed-size', textContent: `${t('embedSize')}: ` }), size);
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
    this.code.value = `<iframe src="${src}" width="${this.size[0]}" height="${this.size[1]}" style="border:0" title="nnplay" loading="lazy"></iframe>`;
  }
}
