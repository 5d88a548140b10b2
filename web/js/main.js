// main.js: the page's router. It reads the state from the URL, loads the
// engine, and shows one view at a time: 2D (2d/), MNIST (mnist/), Convolution
// (convolution/), Backprop (backprop/), Optimisers (optim/), the CNN (cnn/)
// or the autoencoder (autoencoder/), both under the MNIST tab with the
// MLP | CNN | Autoencoder switch, each built on first use.
// It routes setting changes (controls,
// the URL, the language) to the views, keys and animation frames to the view
// shown, and writes the URL. It computes nothing and holds no state at module
// level: start() makes one Page.
//
// Every view has the same interface:
//   open()                    build (first time) and show; may return a promise
//   apply(group, name, kind)  a setting changed, already in the state
//   sync()                    a change was refused: show the state's values again
//   frame()                   one animation frame while shown
//   key(event) -> boolean     a key press while shown; true if used
//   close()                   hidden (pauses)
//   fail(error)               pause and say what went wrong in the view's own message
// and, for a hosting page's commands (embed.js), optionally:
//   command(name) -> boolean  'play', 'pause', 'step', 'epoch' or 'reset'; false if not taken
//   progress()                {epoch, step, loss, testLoss, accuracy, testAccuracy, playing, ...} or null
// and optionally `groups`: the settings groups besides its own whose changes it takes
// (the CNN view: 'mnist', whose training settings it shares).
import { load } from '../lib/nnplay.mjs';
import * as S from './state.js';
import { t as translate } from './i18n.js';
import { View2D } from './2d/view.js';
import { MnistView } from './mnist/view.js';
import { BackpropView } from './backprop/view.js';
import { OptimView } from './optim/view.js';
import { CnnView } from './cnn/view.js';
import { ConvolutionView } from './convolution/view.js';
import { AutoencoderView } from './autoencoder/view.js';
import { Embed } from './embed.js';
import { fetchReader } from './mnist/reader.js';

const VIEW_CLASSES = {
  '2d': View2D, mnist: MnistView, convolution: ConvolutionView, backprop: BackpropView, optim: OptimView, cnn: CnnView,
  autoencoder: AutoencoderView,
};

class Page {
  /** options: {loadOptions (the engine's load()), mnistReader (name, {onProgress} -> bytes: mnist/reader.js)}; both have page defaults. */
  constructor(options) {
    this.options = options;
    this.state = S.parse(location.hash || location.search);
    // what the link gave that could not be used ([key, raw]): a view may say why
    this.rejected = S.rejected(location.hash || location.search);
    this.views = {};
    this.t = (key, values) => translate(this.state.page.lang, key, values);
  }

  $(id) { return document.getElementById(id); }

  async start() {
    this.$('stats').textContent = this.t('loading');
    try {
      this.nn = await load(this.options.loadOptions ?? { baseUrl: new URL('./lib/', document.baseURI) });
    } catch (e) {
      this.$('message').textContent = this.t('loadError', { msg: e.message });
      throw e;
    }
    this.ctx = {
      nn: this.nn, t: this.t, state: this.state, baseUrl: location.href.split('#')[0],
      onChange: (group, name, value) => this.change(group, name, value),
      rejected: () => this.rejected,
      mnistReader: this.options.mnistReader ?? fetchReader(new URL('data/mnist/', document.baseURI)),
    };
    this.wire();
    this.chrome();
    // a hosting page's commands and the progress it is told of (only when framed)
    this.embed = new Embed({ win: window, state: this.state, change: (g, n, v) => this.change(g, n, v),
      view: () => this.views[this.state.page.view] });
    // the 2D view is built at start whatever is shown: its markup is the page's first screen
    this.view('2d');
    this.show();
    document.body.dataset.ready = '1';
    this.embed.start();
    const frame = (now) => {
      // never let one bad frame stop the loop: the view says it and pauses
      const v = this.views[this.state.page.view];
      this.guard(v, () => v?.frame());
      this.guard(v, () => this.embed.frame(now));
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  }

  /** The view `name`, built and opened on first use. */
  view(name) {
    let v = this.views[name];
    if (!v) {
      v = new VIEW_CLASSES[name](this.$(`view-${name}`), this.ctx);
      this.views[name] = v;
      const opened = v.open();
      if (opened instanceof Promise) opened.catch((e) => { console.error(e); v.fail(e); });
    }
    return v;
  }

  /** The model the MNIST tab shows: the one shown last under it (the MLP at first). */
  lastModel() {
    return this.model ?? 'mnist';
  }

  /** Runs fn; an error goes to `view`'s own message (never another view's) and the console. */
  guard(view, fn) {
    try {
      fn();
    } catch (e) {
      console.error(e);
      view?.fail?.(e);
    }
  }

  /** Title, language, embed mode and hidden groups from the page settings. */
  chrome() {
    const p = this.state.page;
    document.documentElement.lang = p.lang;
    document.title = this.t('title');
    // the root's classes scale the type (style.css): the frame's size in embed mode, the presenter preset
    document.documentElement.classList.toggle('embed', p.embed);
    document.documentElement.classList.toggle('presenter', p.presenter);
    document.body.classList.toggle('embed', p.embed);
    document.body.dataset.hide = p.hide.join(' ');
    const groups = ['dataset', 'data', 'features', 'network', 'training'];
    document.body.classList.toggle('no-controls', p.embed && groups.every((g) => p.hide.includes(g)));
    this.$('title').textContent = this.t('title');
    this.$('tab-backprop').textContent = this.t('exTab');
    this.$('tab-optim').textContent = this.t('oTab');
    this.$('model-switch').setAttribute('aria-label', this.t('cnnModelSwitch'));
    this.$('model-mnist').title = this.t('cnnMlpTitle');
    this.$('model-cnn').title = this.t('cnnCnnTitle');
    this.$('model-autoencoder').title = this.t('aeModelTitle');
    this.$('model-autoencoder').textContent = this.t('aeNet');
    this.$('tab-convolution').textContent = this.t('cvTab');
  }

  /** Shows the view the state names, closing the others. */
  show() {
    const name = this.state.page.view;
    // the layout of the view shown (the 2D view fits one screen: style.css)
    document.body.dataset.view = name;
    for (const v of S.VIEWS) {
      this.$(`view-${v}`).hidden = name !== v;
      if (name !== v) this.views[v]?.close();
    }
    for (const v of S.TABS) {
      const tab = this.$(`tab-${v}`);
      tab.setAttribute('aria-selected', String(S.tabOf(name) === v));
      tab.tabIndex = S.tabOf(name) === v ? 0 : -1;
    }
    // the MNIST tab's models: MLP | CNN | Autoencoder
    this.$('model-switch').hidden = S.tabOf(name) !== 'mnist';
    if (S.tabOf(name) === 'mnist') this.model = name;
    for (const v of S.MODELS) {
      const tab = this.$(`model-${v}`);
      tab.setAttribute('aria-selected', String(name === v));
      tab.tabIndex = name === v ? 0 : -1;
    }
    this.view(name);
  }

  writeUrl() {
    const hash = S.serialize(this.state);
    history.replaceState(null, '', hash ? `#${hash}` : location.pathname + location.search);
  }

  /** One setting changed (a control, the URL, a view): update the state and tell the views. */
  change(group, name, value) {
    // another model under the MNIST tab may move the shared settings to its defaults (state.js)
    const was = group === 'page' && name === 'view' ? structuredClone(this.state) : null;
    const kind = S.update(this.state, group, name, value);
    if (!kind) {
      for (const v of Object.values(this.views)) v.sync?.();
      return;
    }
    if (group === 'page') {
      if (name === 'view') this.show();
      else this.chrome();
    }
    const moved = was ? S.differences(was, this.state).filter(([g]) => g !== 'page') : [];
    for (const [id, v] of Object.entries(this.views)) {
      const takes = (g) => g === id || v.groups?.includes(g);
      if (group === 'page' || takes(group)) this.guard(v, () => v.apply(group, name, kind));
      for (const [g, n] of moved) if (takes(g)) this.guard(v, () => v.apply(g, n, S.prop(g, n).change));
    }
    // the 2D view's share panel shows the link of the whole state
    if (group !== 'page' && group !== '2d') this.views['2d']?.apply(group, name, kind);
    this.writeUrl();
  }

  wire() {
    // the MNIST tab opens the model last shown under it
    for (const v of S.TABS) this.$(`tab-${v}`).addEventListener('click', () => this.change('page', 'view', v === 'mnist' ? this.lastModel() : v));
    for (const v of S.MODELS) this.$(`model-${v}`).addEventListener('click', () => this.change('page', 'view', v));
    // arrow keys move between the tabs (and the two models), as a tab list's should
    const arrows = (list, ids, prefix) => (e) => {
      const i = ids.indexOf(prefix === 'tab' ? S.tabOf(this.state.page.view) : this.state.page.view);
      const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: ids.length - 1 }[e.key];
      if (next === undefined) return;
      e.preventDefault();
      const v = ids[(next + ids.length) % ids.length];
      this.change('page', 'view', v === 'mnist' && prefix === 'tab' ? this.lastModel() : v);
      this.$(`${prefix}-${v}`).focus();
    };
    this.$('tab-2d').parentElement.addEventListener('keydown', arrows('tabs', S.TABS, 'tab'));
    this.$('model-switch').addEventListener('keydown', arrows('models', S.MODELS, 'model'));
    document.addEventListener('keydown', (e) => {
      if (e.target.closest?.('input, select, textarea, button, [contenteditable], [role=tab]')) return;
      const v = this.views[this.state.page.view];
      if (v?.key?.(e)) e.preventDefault();
    });
    addEventListener('hashchange', () => {
      const next = S.parse(location.hash);
      this.rejected = S.rejected(location.hash);
      // a new data set applies its preset, which the link may then override: a few passes settle it
      for (let pass = 0; pass < 3; pass++) {
        const diff = S.differences(this.state, next);
        if (!diff.length) break;
        for (const [group, name, value] of diff) this.change(group, name, value);
      }
    });
  }
}

/** Starts the page; options as Page's. Returns the page (for tests and the offline build). */
export function start(options = {}) {
  const page = new Page(options);
  page.start().catch((e) => console.error(e));
  return page;
}
