// owndata.js: one's own images in the MNIST view (and its exports). "Load
// images…" takes a CSV in the "label, 784 pixels" layout or a zip of PNG/JPEG
// images in one folder per class; "Load a folder…" a folder of such class
// folders (<input webkitdirectory>); a drop on the view takes a CSV or a
// zip. Images are decoded here (createImageBitmap), drawn at 28 x 28 (larger
// or smaller ones are resized: the status says how many), made grey and,
// for dark strokes on a light background, inverted to MNIST's light on
// black (own-images.js toGrey). They replace the view's digits: shuffled
// with the view's seed, 80 % train and 20 % test (own-images.js). Nothing
// is sent anywhere. Exports: the curves as 2x PNG and SVG, the history and
// the weights as CSV, the net as JSON.
import { el } from '../shared/dom.js';
import { addExport, exportMenu } from '../shared/exports.js';
import { acceptDrop, downloadBlob, downloadText } from '../shared/download.js';
import { canvasPng, rgbaPng } from '../shared/png.js';
import { upscale } from './tiles.js';
import { chartSvg } from '../shared/chart-svg.js';
import { historyCsv, weightsCsv, netJson, snapshotFromJson } from '../shared/export-formats.js';
import { DataError } from '../shared/csv-read.js';
import { zipEntries, zipRead } from '../shared/zip.js';
import { parseImageCsv, classesOf, splitImages, toGrey } from './own-images.js';
import { PIXELS, SIDE, SCALE } from '../mnist.js';
import { makeSets } from './model.js';

/** The largest file read: a CSV of 20,000 images is about 70 MB. */
const MAX_FILE_BYTES = 100 << 20;

/** Decodes image files [{path, label, blob}] into {images, labels, n, resized, inverted}. */
export async function decodeImages(files) {
  const n = files.length, images = new Uint8Array(n * PIXELS), labels = new Uint8Array(n);
  const canvas = document.createElement('canvas');
  canvas.width = SIDE;
  canvas.height = SIDE;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  let resized = 0, inverted = 0;
  for (let i = 0; i < n; i++) {
    let bitmap;
    try {
      bitmap = await createImageBitmap(files[i].blob);
    } catch {
      throw new DataError('imgDecode', { path: files[i].path });
    }
    if (bitmap.width !== SIDE || bitmap.height !== SIDE) resized++;
    ctx.clearRect(0, 0, SIDE, SIDE);
    ctx.drawImage(bitmap, 0, 0, SIDE, SIDE);
    bitmap.close();
    const g = toGrey(ctx.getImageData(0, 0, SIDE, SIDE).data, SIDE, SIDE);
    if (g.inverted) inverted++;
    images.set(g.grey, i * PIXELS);
    labels[i] = files[i].label;
  }
  return { images, labels, n, resized, inverted };
}

/** The engine sets of a view (model.js makeSets), freed. */
export function freeSets(sets) {
  sets.train?.free();
  sets.test.forEach((d) => d.free());
  sets.quickTrain.forEach((d) => d.free());
  sets.dev?.forEach((d) => d.free());
}

/** The MNIST view's digits replaced by `mnist` ({train, test, info}): new engine sets, new runs. */
export function replaceDigits(view, mnist) {
  view.setPlaying(false);
  freeSets(view.sets);
  view.mnist = mnist;
  view.sets = makeSets(view.nn, mnist, view.state.dev);
  view.note.textContent = '';
  view.testCount = view.fmt.count(mnist.info.test);
  view.galleryIdx = Array.from({ length: Math.min(40, mnist.test.n) }, (_, i) => (i * 37) % mnist.test.n);
  view.rebuild();
}

export class OwnImages {
  /**
   * view: the MNIST or CNN view ({root, t, state, fmt, ready}); options: adopt(mnist) puts
   * the images into the view, run() its (first) Run, redraw() draws it all, prefix of the ids ('m', 'c').
   */
  constructor(view, { adopt, run, redraw, prefix }) {
    Object.assign(this, { view, adopt, currentRun: run, redraw, prefix });
    this.summary = null;
  }

  t(k, v) { return this.view.t(k, v); }

  /** Puts the load buttons into `toolbar` and the status line after `after`; call again after the view builds its DOM. */
  mount(toolbar, after) {
    const t = (k, v) => this.t(k, v);
    const file = el('input', { type: 'file', accept: '.csv,.zip,text/csv,application/zip', id: `${this.prefix}-own-file`, className: 'visually-hidden' });
    file.addEventListener('change', () => { const f = file.files[0]; file.value = ''; this.fromFile(f); });
    const dir = el('input', { type: 'file', id: `${this.prefix}-own-dir`, className: 'visually-hidden', multiple: true });
    dir.webkitdirectory = true;
    dir.addEventListener('change', () => { const fs = [...dir.files]; dir.value = ''; this.fromFolder(fs); });
    const load = el('button', { type: 'button', id: `${this.prefix}-own-load`, textContent: t('mOwnLoad'), title: t('tip_mOwnLoad') });
    load.addEventListener('click', () => file.click());
    const folder = el('button', { type: 'button', id: `${this.prefix}-own-folder`, textContent: t('mOwnFolder'), title: t('tip_mOwnLoad') });
    folder.addEventListener('click', () => dir.click());
    toolbar.append(load, folder, file, dir);
    this.status = el('p', { className: 'own-status', id: `${this.prefix}-own-status`, role: 'status' });
    this.error = el('p', { className: 'message', id: `${this.prefix}-own-error`, ariaLive: 'assertive' });
    after.after(this.status, this.error);
    if (!this.dropWired) {
      acceptDrop(this.view.root, (f) => this.fromFile(f));
      this.dropWired = true;
    }
    this.exports();
    this.show();
  }

  /** A CSV or a zip. */
  async fromFile(f) {
    if (!f) return;
    await this.run(f.name, async () => {
      if (f.size > MAX_FILE_BYTES) throw new DataError('csvTooBig', { mb: MAX_FILE_BYTES >> 20 });
      if (/\.zip$/i.test(f.name)) {
        const bytes = new Uint8Array(await f.arrayBuffer());
        const entries = zipEntries(bytes), byName = new Map(entries.map((e) => [e.name, e]));
        const { files, names } = classesOf(entries.map((e) => e.name));
        const blobs = [];
        for (const one of files) blobs.push({ ...one, blob: new Blob([await zipRead(bytes, byName.get(one.path))]) });
        return { ...(await decodeImages(blobs)), names };
      }
      return { ...parseImageCsv(await f.text()), names: null, resized: 0, inverted: 0 };
    });
  }

  /** The files of a picked folder (their webkitRelativePath: folder/class/image.png). */
  async fromFolder(list) {
    if (!list.length) return;
    const name = list[0].webkitRelativePath.split('/')[0] || list[0].name;
    await this.run(name, async () => {
      const byPath = new Map(list.map((f) => [f.webkitRelativePath || f.name, f]));
      const { files, names } = classesOf([...byPath.keys()]);
      return { ...(await decodeImages(files.map((one) => ({ ...one, blob: byPath.get(one.path) })))), names };
    });
  }

  /** Reads with `read`, splits and hands the sets to the view; an error leaves its digits. */
  async run(name, read) {
    if (!this.view.ready) return;
    this.lastError = null;
    this.status.textContent = this.t('mOwnReading', { name });
    try {
      const d = await read();
      const sets = splitImages(d, this.view.state.seed, { names: d.names });
      this.summary = { name, n: d.n, train: sets.train.n, test: sets.test.n, resized: d.resized, inverted: d.inverted, names: d.names,
        counts: Array.from({ length: 10 }, (_, c) => d.labels.reduce((a, l) => a + (l === c), 0)) };
      this.adopt(sets);
    } catch (e) {
      // a bad file is the user's to fix (the message says where); anything else is a bug to see
      if (!(e instanceof DataError)) console.error(e);
      this.lastError = { name, e };
    }
    this.show();
  }

  /** The status: what is loaded (counts per class, split, resized, inverted) and that it stays on this computer. */
  show() {
    const t = (k, v) => this.t(k, v), s = this.summary, e = this.lastError?.e, fmt = this.view.fmt;
    this.error.textContent = e ? t('ownFileError', { file: this.lastError.name, message: e.key ? t(e.key, e.values) : e.message }) : '';
    if (!s) { this.status.textContent = t('mOwnHint'); return; }
    const label = (c) => (s.names ? s.names[c] : String(c));
    const counts = s.counts.map((n, c) => (n ? `${label(c)}: ${fmt.count(n)}` : '')).filter(Boolean).join(' · ');
    let text = t('mOwnLoaded', { name: s.name, n: fmt.count(s.n), train: fmt.count(s.train), test: fmt.count(s.test), counts });
    if (s.resized) text += ` ${t('mOwnResized', { n: fmt.count(s.resized) })}`;
    if (s.inverted) text += ` ${t('mOwnInverted', { n: fmt.count(s.inverted) })}`;
    this.status.textContent = `${text} ${t('ownLocal')}`;
  }

  /** The export menu's items for this view. */
  exports() {
    const v = this.view, t = (k, val) => this.t(k, val), root = v.root, add = (id, key, run) => addExport(root, { id, key, run }, t);
    const menu = exportMenu(root, t);
    menu.relabel(t);
    if (menu.items.some((i) => i.id === `${this.prefix}-ex-history`)) return;
    const { redraw, prefix } = this, net = () => this.currentRun().net, history = () => this.currentRun()?.history ?? [];
    const name = prefix === 'c' ? 'cnn' : 'mnist';
    const labels = (acc) => ({ train: t(acc ? 'trainAcc' : 'trainLoss'), test: t(acc ? 'testAcc' : 'testLoss'),
      dev: t(acc ? 'devAcc' : 'devLoss'), x: t('epoch').toLowerCase(), y: t(acc ? 'accuracyAxis' : 'lossAxis') });
    const svg = (acc) => downloadText(`nnplay-${name}-${acc ? 'accuracy' : 'loss'}.svg`, chartSvg(history(),
      { metric: acc ? 'accuracy' : 'loss', labels: labels(acc), lang: v.lang, xKey: 'x' }), 'image/svg+xml');
    add(`${prefix}-ex-png-loss`, 'exPngLoss', async () => downloadBlob(`nnplay-${name}-loss.png`, await canvasPng(v.lossCanvas, redraw)));
    add(`${prefix}-ex-png-acc`, 'exPngAcc', async () => downloadBlob(`nnplay-${name}-accuracy.png`, await canvasPng(v.accCanvas, redraw)));
    // the first layer's weights (MLP) or filters (CNN) as drawn, each weight a 2 x 2 block
    const tiles = () => (prefix === 'c' ? v.filters?.grid : v.grid)?.image;
    add(`${prefix}-ex-png-weights`, 'exPngWeights', async () => {
      if (!tiles()) throw new Error(t('exNoWeights'));
      downloadBlob(`nnplay-${name}-weights.png`, await rgbaPng(upscale(tiles(), 2)));
    });
    add(`${prefix}-ex-svg-loss`, 'exSvgLoss', () => svg(false));
    add(`${prefix}-ex-svg-acc`, 'exSvgAcc', () => svg(true));
    add(`${prefix}-ex-history`, 'exHistory', () => downloadText(`nnplay-${name}-history.csv`, historyCsv(history()), 'text/csv'));
    add(`${prefix}-ex-weights`, 'exWeights', () => downloadText(`nnplay-${name}-weights.csv`, weightsCsv(net()), 'text/csv'));
    add(`${prefix}-ex-json`, 'exJson', () => downloadText(`nnplay-${name}.json`, netJson(net(),
      { normalisation: { pixels: 'bytes 0-255, row-major 28 x 28, light strokes on black', scale: SCALE },
        meta: { view: name, data: this.summary ? this.summary.name : 'mnist' } }), 'application/json'));
    // the weights of a JSON file back into the net (same architecture), measured again as a restore is
    const json = el('input', { type: 'file', accept: '.json,application/json', id: `${prefix}-own-json-file`, className: 'visually-hidden' });
    json.addEventListener('change', () => { const f = json.files[0]; json.value = ''; this.importJson(f); });
    root.append(json);
    add(`${prefix}-ex-import-json`, 'exImportJson', () => json.click());
  }

  /** Loads a net JSON's weights into the view's run (checked first: nothing changes on an error). */
  async importJson(file) {
    if (!file) return;
    const run = this.currentRun(), t = (k, v) => this.t(k, v);
    try {
      const { snapshot } = snapshotFromJson(await file.text(), run.net);
      if (run.pending?.full) throw new Error(t('mOwnBusy'));
      run.net.restore(snapshot);
      run.diverged = false;
      run.lossSum = 0;
      run.lossSteps = 0;
      run.record(true);
      run.pending.restored = true;
      this.lastError = null;
      this.show();
      this.status.textContent = t('jsonLoaded', { file: file.name });
      this.redraw();
    } catch (e) {
      if (!(e instanceof DataError)) console.error(e);
      this.lastError = { name: file.name, e };
      this.show();
    }
  }
}
