// owndata.js: the 2D view's own data and exports, on top of its controller
// (view.js). Loading: a "Load CSV…" button (file picker) and a drop of a
// file anywhere on the view; the file is parsed on this computer
// (csv-points.js), its counts, class balance and scaling shown, and it
// becomes the "Custom (CSV)" data set (custom-data.js). Exports (the shared
// menu, shared/exports.js): the picture and the curves as 2x PNG, the curves
// as SVG, the history and the weights as CSV, the net as JSON (and its
// weights loaded back), the data set as CSV.
import { el } from '../shared/dom.js';
import { addExport, exportMenu } from '../shared/exports.js';
import { acceptDrop, downloadBlob, downloadText } from '../shared/download.js';
import { canvasPng, stackPng, overlayOf } from '../shared/png.js';
import { chartSvg } from '../shared/chart-svg.js';
import { historyCsv, weightsCsv, netJson, snapshotFromJson } from '../shared/export-formats.js';
import { parsePoints, pointsCsv } from './csv-points.js';
import { CUSTOM, setCustom } from './custom-data.js';
import * as F from '../shared/format.js';

/** The largest CSV file read (bytes): 2,000 rows are far smaller. */
const MAX_FILE_BYTES = 8 << 20;

export class OwnData2D {
  /** view: the View2D; the panel goes under the class picker. */
  constructor(view) {
    this.view = view;
    this.input = el('input', { type: 'file', accept: '.csv,text/csv,text/plain', id: 'own-file', className: 'visually-hidden' });
    this.input.addEventListener('change', () => { const f = this.input.files[0]; this.input.value = ''; this.load(f); });
    this.button = el('button', { type: 'button', id: 'own-load' });
    this.button.addEventListener('click', () => this.input.click());
    this.help = el('span', { className: 'help' });
    this.status = el('p', { id: 'own-status', className: 'own-status', role: 'status' });
    this.error = el('p', { id: 'own-error', className: 'message', ariaLive: 'assertive' });
    this.root = el('div', { id: 'own-data', className: 'own-data', dataset: { control: 'dataset' } },
      el('div', { className: 'own-row' }, this.button, this.input, this.help), this.status, this.error);
    // under the picture; in the one-column layout (style.css, tablet and
    // phone) after the status and curves, so Play, the picture and the
    // status stay on the first screen
    const narrow = matchMedia('(max-width: 899px), (max-height: 559px)');
    const place = () => {
      const embed = document.documentElement.classList.contains('embed') || document.body.classList.contains('embed');
      if (narrow.matches && !embed) view.$('share').after(this.root); else view.$('click-help').after(this.root);
    };
    place();
    narrow.addEventListener('change', place);
    // a file dropped anywhere on the view
    acceptDrop(view.root, (f) => this.load(f));
    this.exports();
  }

  t(k, v) { return this.view.t(k, v); }

  /** Reads, checks and shows a CSV file; on any error the current data stay and the message names line and column. */
  async load(file) {
    if (!file) return;
    this.lastError = null;
    try {
      if (file.size > MAX_FILE_BYTES) throw Object.assign(new Error(), { key: 'csvTooBig', values: { mb: MAX_FILE_BYTES >> 20 } });
      const data = parsePoints(await file.text());
      data.file = file.name;
      setCustom(data);
      this.view.trainer.added = [];
      const v = this.view;
      if (v.s.dataset !== 'custom') v.ctx.onChange('2d', 'dataset', 'custom');
      else v.apply('2d', 'dataset', 'data');
    } catch (e) {
      this.lastError = { file: file.name, e };
    }
    this.update();
  }

  /** The texts in the page's language. */
  relabel() {
    this.button.textContent = this.t('ownLoad');
    this.button.title = this.t('tip_ownLoad');
    this.help.textContent = this.t('ownDrop');
    exportMenu(this.view.root, (k, v) => this.t(k, v)).relabel((k, v) => this.t(k, v));
    this.update();
  }

  /** The status line: what is loaded (counts, balance, scaling), or that a link needs its file again. */
  update() {
    const d = CUSTOM.data, s = this.view.s, lang = this.view.ctx.state.page.lang, t = (k, v) => this.t(k, v);
    const e = this.lastError?.e;
    this.error.textContent = e ? t('ownFileError', { file: this.lastError.file, message: e.key ? t(e.key, e.values) : e.message }) : '';
    if (s.dataset !== 'custom') { this.status.textContent = t('ownLocal'); return; }
    if (!d) { this.status.textContent = t('ownNeedFile'); return; }
    const raw = this.view.trainer?.raw, n = (set) => (set ? set.x.length / 2 : 0);
    let text = t('ownLoaded', { file: d.file, n: F.count(lang, d.n) });
    if (d.labels) {
      const name = (c) => (d.names ? d.names[c] : String(c));
      text += t('ownClasses', { k: d.classes, counts: d.counts.map((c, k) => `${name(k)}: ${F.count(lang, c)}`).join(' · ') });
    } else {
      text += t('ownRegression', { lo: F.short(lang, Math.min(...d.y), 3), hi: F.short(lang, Math.max(...d.y), 3) });
    }
    if (raw) text += t('ownSplit', { train: n(raw.train), dev: n(raw.dev), test: n(raw.test) });
    if (d.scale.factor !== 1) text += t('ownScaled', { f: F.short(lang, d.scale.factor, 3) });
    this.status.textContent = `${text} ${t('ownLocal')}`;
  }

  /** The view's export menu items. */
  exports() {
    const v = this.view, t = (k, val) => this.t(k, val), root = v.root;
    const add = (id, key, run) => addExport(root, { id, key, run }, t);
    const redraw = () => { v.boundary.sizedFor = null; v.drawParts(true); };
    const png = async (id, name) => downloadBlob(`nnplay-${name}.png`, await canvasPng(v.$(id), redraw));
    const labels = (acc) => ({ train: t(acc ? 'trainAcc' : 'trainLoss'), test: t(acc ? 'testAcc' : 'testLoss'),
      dev: t(acc ? 'devAcc' : 'devLoss'), x: t('stepsAxis'), y: t(acc ? 'accuracyAxis' : 'lossAxis') });
    const svg = (acc) => downloadText(`nnplay-${acc ? 'accuracy' : 'loss'}.svg`, chartSvg(v.trainer.history,
      { metric: acc ? 'accuracy' : 'loss', log: !acc && v.s.logScale, labels: labels(acc), lang: v.ctx.state.page.lang }), 'image/svg+xml');
    add('ex-png-boundary', 'exPngBoundary', () => png('boundary', 'boundary'));
    // the network diagram: its two canvases (neuron maps, links) and the boxes and titles drawn over them
    add('ex-png-network', 'exPngNetwork', async () => {
      const d = v.diagram;
      if (!d.visible) throw new Error(t('exNoNetwork'));
      const again = () => { d.shape = null; redraw(); };
      downloadBlob('nnplay-network.png', await stackPng([d.mapCanvas, d.canvas], again,
        { decorate: overlayOf(d.nodes, d.canvas, { boxSel: '.node', textSel: '.col-title' }) }));
    });
    add('ex-png-loss', 'exPngLoss', () => png('chart', 'loss'));
    add('ex-png-acc', 'exPngAcc', () => png('acc-chart', 'accuracy'));
    add('ex-svg-loss', 'exSvgLoss', () => svg(false));
    add('ex-svg-acc', 'exSvgAcc', () => svg(true));
    add('ex-history', 'exHistory', () => downloadText('nnplay-history.csv', historyCsv(v.trainer.history), 'text/csv'));
    add('ex-weights', 'exWeights', () => downloadText('nnplay-weights.csv', weightsCsv(v.trainer.net), 'text/csv'));
    add('ex-json', 'exJson', () => downloadText('nnplay-net.json', netJson(v.trainer.net, this.normalisation()), 'application/json'));
    add('ex-data', 'exData', () => downloadText('nnplay-data.csv', this.dataCsv(), 'text/csv'));
    // the weights of a JSON file back into this net (same architecture)
    const json = el('input', { type: 'file', accept: '.json,application/json', id: 'own-json-file', className: 'visually-hidden' });
    json.addEventListener('change', () => { const f = json.files[0]; json.value = ''; this.importJson(f); });
    root.append(json);
    add('ex-import-json', 'exImportJson', () => json.click());
  }

  /** How the data reach the net's inputs, for the JSON file: the features, and a loaded set's scaling. */
  normalisation() {
    const d = v2custom(this.view.s);
    return { normalisation: { features: this.view.trainer.features, scale: d ? d.scale : { factor: 1, cx: 0, cy: 0 } },
      meta: { view: '2d', dataset: this.view.s.dataset, file: d?.file ?? null, output: this.view.trainer.output.output } };
  }

  /** The current data set (train, dev and test points, and points added by clicks) as CSV. */
  dataCsv() {
    const raw = this.view.trainer.raw, d = v2custom(this.view.s);
    const sets = [raw.train, raw.dev, raw.test].filter((s) => s.x.length);
    // cos(x) has one coordinate: x2 is 0
    const xy = (s) => (raw.dims === 2 ? Array.from(s.x) : Array.from(s.x).flatMap((a) => [a, 0]));
    const cat = (key, Type) => (sets[0][key] ? Type.from(sets.flatMap((s) => Array.from(s[key]))) : null);
    return pointsCsv({ x: Float32Array.from(sets.flatMap(xy)), labels: cat('labels', Int32Array), y: cat('y', Float32Array),
      names: d?.names ?? null });
  }

  /** Loads a net JSON's weights into the current net (checked first: nothing changes on an error). */
  async importJson(file) {
    if (!file) return;
    const tr = this.view.trainer;
    try {
      const { snapshot } = snapshotFromJson(await file.text(), tr.net);
      tr.net.restore(snapshot);
      tr.diverged = false;
      if (tr.history.length && tr.history[tr.history.length - 1].step === tr.net.steps) tr.history.pop();
      tr.record();
      this.lastError = null;
      this.error.textContent = '';
      this.status.textContent = this.t('jsonLoaded', { file: file.name });
      this.view.dirty = true;
    } catch (e) {
      this.error.textContent = this.t('ownFileError', { file: file.name, message: e.key ? this.t(e.key, e.values) : e.message });
    }
  }
}

const v2custom = (s) => (s.dataset === 'custom' ? CUSTOM.data : null);
