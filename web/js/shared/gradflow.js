// gradflow.js: the "Gradient flow" panel of the 2D and MNIST views (the
// course's vanishing gradients). Collapsible; closed, it costs nothing: no
// engine call, and the net does not track its updates. Open, it draws per
// layer of weights the gradient norm and the update ratio ‖Δw‖/‖w‖ of the
// steps on log scales (one line per layer, a legend), a table of the last
// step with each layer's saturated (sigmoid, tanh) and dead (ReLU) units over
// a probe set, and buttons for the deep nets of state.js (DEEP_PRESETS).
// Every number comes from the engine: gradNorms, updateNorms, unitStats.
import { DEEP, DEEP_KEYS, DEEP_PRESETS } from '../state.js';
import { SATURATION } from '../../lib/nnplay-flow.mjs';
import { FlowChart, layerColors } from './flowchart.js';
import { el } from './dom.js';
import { short, percent, count } from './format.js';

// points kept per chart (every other one is dropped beyond), and the
// smallest gap between two unit counts while training (more when they cost more)
const MAX_POINTS = 2000, UNITS_MS = 500, COST_FACTOR = 5;

const same = (a, b) => (Array.isArray(a) ? a.length === b.length && a.every((v, i) => v === b[i]) : a === b);

export class GradFlowPanel {
  /**
   * group: the view's settings group ('2d', 'mnist': its gradflow and deep
   * settings); t(key, values); lang() the page's language; settings() the
   * group's settings; onChange(name, value) for a setting of the group;
   * noSteps: the key of the hint shown before any step.
   */
  constructor({ group, t, lang, settings, onChange, noSteps = 'gfNoSteps' }) {
    Object.assign(this, { group, t, lang, settings, onChange, noSteps });
    this.net = null;
    this.points = [];
    this.units = null;
    this.unitsDue = 0;
  }

  get open() { return !!this.settings().gradflow; }

  /** The panel's elements, built again (e.g. in another language: they replace the old ones); its history stays. */
  build() {
    const t = this.t, id = (name) => `gf-${this.group}-${name}`, old = this.root;
    this.root = el('details', { className: 'gradflow', id: id('panel'), dataset: { control: 'gradflow' } });
    this.root.append(el('summary', { textContent: t('gfTitle') }));
    this.root.addEventListener('toggle', () => {
      if (this.root.open === this.open) return;
      this.onChange('gradflow', this.root.open);
      // opened by the reader: its top in sight (its column scrolls on its own)
      if (this.root.open) this.root.scrollIntoView({ block: 'nearest' });
    });
    this.buttons = new Map(DEEP.map((name) => {
      const b = el('button', { type: 'button', className: 'small', textContent: t(`gfDeep_${name}`), dataset: { deep: name } });
      b.addEventListener('click', () => this.onChange('deep', name));
      return [name, b];
    }));
    this.why = el('p', { className: 'help gf-why' });
    this.note = el('p', { className: 'help gf-note' });
    const canvas = (name, label) => el('canvas', { className: 'chart gf-chart', id: id(name), role: 'img', ariaLabel: t(label) });
    this.gradCanvas = canvas('grad', 'gfGradChart');
    this.ratioCanvas = canvas('ratio', 'gfRatioChart');
    this.gradChart = new FlowChart(this.gradCanvas);
    this.ratioChart = new FlowChart(this.ratioCanvas);
    this.legend = el('div', { className: 'gf-legend', id: id('legend'), role: 'list', ariaLabel: t('gfLegend') });
    this.table = el('table', { className: 'gf-table', id: id('table') });
    const s = SATURATION, root = Math.sqrt(1 - s);
    this.definition = () => t('gfDefinition', { pct: percent(this.lang(), s, 0), lo: short(this.lang(), (1 - root) / 2, 2),
      hi: short(this.lang(), (1 + root) / 2, 3), th: short(this.lang(), root, 3), probe: this.probeText ?? '…' });
    this.defText = el('p', { className: 'help gf-definition' });
    this.root.append(el('p', { className: 'help', textContent: t('gfIntro') }),
      el('div', { className: 'gf-deep', role: 'group', ariaLabel: t('gfDeepLabel') },
        el('span', { textContent: t('gfDeepLabel') }), ...this.buttons.values()),
      this.why, this.note, el('p', { className: 'gf-chart-title', textContent: t('gfGradTitle') }), this.gradCanvas,
      el('p', { className: 'gf-chart-title', textContent: t('gfRatioTitle') }), this.ratioCanvas, this.legend,
      el('div', { className: 'gf-table-box' }, this.table), this.defText);
    this.legendKey = '';
    old?.replaceWith(this.root);
    this.sync();
    return this.root;
  }

  /** Shows the settings: open or closed, the deep net chosen (and whether it was changed since). */
  sync() {
    if (!this.root) return;
    const s = this.settings();
    if (this.root.open !== this.open) this.root.open = this.open;
    for (const [name, b] of this.buttons) b.setAttribute('aria-pressed', String(s.deep === name));
    const preset = DEEP_PRESETS[this.group][s.deep];
    const changed = preset && DEEP_KEYS.some((k) => !same(s[k], preset[k]));
    this.why.textContent = `${this.t(`gfWhy_${s.deep}`)}${changed ? ` ${this.t('gfModified')}` : ''}`;
    // closed: the net no longer records its updates
    if (!this.open) this.release();
  }

  /** Stops the watched net's tracking (it may have been freed by its view meanwhile). */
  release() {
    if (this.net?.ptr && this.net.tracking) this.net.trackUpdates(false);
    this.net = null;
  }

  /**
   * While open: records the net's last step (a new net, or fewer steps than
   * before, starts a new history), counts its units over `probe` (a Data;
   * `probeText` says which) when `force` or due, and draws. Returns at once when closed.
   */
  draw(net, probe, { force = false, probeText = '', note = '' } = {}) {
    if (!this.open || !this.root || !net) return;
    this.probeText = probeText;
    this.record(net);
    const now = performance.now();
    if (probe && (force || now >= this.unitsDue || this.units?.net !== net)) {
      const t0 = performance.now();
      this.units = { ...net.unitStats(probe), step: net.steps, net };
      this.unitsDue = now + Math.max(UNITS_MS, COST_FACTOR * (performance.now() - t0));
    }
    const lang = this.lang(), t = this.t;
    const names = this.layerNames();
    const colors = layerColors(names.length - 1);
    const series = (key) => names.map((name, i) => ({ label: name.short, color: colors[i], dash: i === names.length - 1 ? [5, 3] : [],
      points: this.points.map((p) => [p.step, p[key][i]]) }));
    const x = t('stepsAxis');
    this.gradChart.draw(series('grad'), { yLabel: t('gfGradAxis'), xLabel: x, lang });
    this.ratioChart.draw(series('ratio'), { yLabel: t('gfRatioAxis'), xLabel: x, lang });
    this.note.textContent = note || (this.points.length ? '' : t(this.noSteps));
    this.drawLegend(names, colors);
    this.drawTable(names);
    this.defText.textContent = this.definition();
  }

  /** The layers of weights (dense, or conv in a loaded CNN; index into layers()) and the activation after each: the lines and rows. */
  layerNames() {
    const L = this.layers;
    const dense = L.map((l, i) => (l.type === 'dense' || l.type === 'conv' ? i : -1)).filter((i) => i >= 0);
    return dense.map((i, k) => {
      const out = k === dense.length - 1;
      const act = out ? -1 : L.findIndex((l, j) => j > i && j < dense[k + 1] && l.type === 'activation');
      return { dense: i, act, out, long: out ? this.t('gfOutput') : this.t('gfLayer', { k: k + 1 }),
        short: out ? this.t('gfOut') : String(k + 1) };
    });
  }

  record(net) {
    if (net !== this.net || net.steps < (this.points.at(-1)?.step ?? 0)) {
      this.release();
      this.net = net;
      this.layers = net.layers().map(({ type }) => ({ type }));
      this.points = [];
      this.units = null;
      net.trackUpdates(true);
      // a step taken before tracking started has no update norms
      this.trackedFrom = net.steps;
    }
    const step = net.steps;
    if (step === 0 || step === this.points.at(-1)?.step) return;
    const g = net.gradNorms(), u = net.updateNorms(), names = this.layerNames();
    const tracked = step > this.trackedFrom;
    this.points.push({ step, grad: names.map((n) => g[n.dense]), ratio: names.map((n) => (tracked ? u.ratios[n.dense] : NaN)) });
    if (this.points.length > MAX_POINTS) this.points = this.points.filter((_, i) => i % 2 === 1);
  }

  /** One swatch per layer, rebuilt when the layers or the language change. */
  drawLegend(names, colors) {
    const key = `${this.lang()}/${colors.join()}`;
    if (key === this.legendKey) return;
    this.legendKey = key;
    this.legend.replaceChildren(...names.map((n, i) => el('span', { role: 'listitem', className: 'gf-key', dataset: { color: colors[i] } },
      el('span', { className: `gf-swatch${n.out ? ' gf-dashed' : ''}`, style: `background: ${colors[i]}` }), n.long)));
  }

  /** The last step per layer: ‖∇‖, ‖Δw‖/‖w‖, and the units' shares. */
  drawTable(names) {
    const t = this.t, lang = this.lang(), p = this.points.at(-1), u = this.units;
    const num = (v) => (p && Number.isFinite(v) ? short(lang, v, 3) : '—');
    const pct = (v) => (v === null || v === undefined ? '—' : percent(lang, v, 1));
    const head = el('tr', {}, ...['gfColLayer', 'gfColGrad', 'gfColRatio', 'gfColSat', 'gfColDead']
      .map((k) => el('th', { scope: 'col', textContent: t(k) })));
    const rows = names.map((n, i) => el('tr', { dataset: { layer: n.out ? 'out' : String(i + 1) } },
      el('th', { scope: 'row', textContent: n.long }),
      el('td', { textContent: num(p?.grad[i]) }), el('td', { textContent: num(p?.ratio[i]) }),
      el('td', { textContent: pct(n.act >= 0 ? u?.saturated[n.act] : null) }),
      el('td', { textContent: pct(n.act >= 0 ? u?.dead[n.act] : null) })));
    const caption = p ? t('gfCaption', { step: count(lang, p.step), unitStep: count(lang, u?.step ?? 0), probe: this.probeText }) : '';
    this.table.replaceChildren(el('caption', { textContent: caption }), el('thead', {}, head), el('tbody', {}, ...rows));
  }
}
