// maps.js: the CNN view's pictures: the first layer's filters (the MLP's
// weight images: mnist/views.js WeightGrid, one scale and its legend), and
// one digit going through the net: the input with a cell's receptive field,
// and every layer's outputs (feature maps) as small images, grouped per
// layer and labelled with the layer and its shape. Each layer's maps share one symmetric colour scale (the MLP's
// weights' diverging colours: orange negative, white 0, blue positive), given
// in its caption. A cell is chosen by a click or a tap, or from the keyboard
// on a focused layer (arrows move, Page Up/Down change the map); the chosen
// cell is outlined, and the window it reads in the layer before is dashed.
import { diverging } from '../shared/colors.js';
import { WeightGrid } from '../mnist/views.js';
import { el } from '../shared/dom.js';
import { isSpatial, cellAt, cellIndex } from './receptive.js';

// a map is drawn about this many CSS pixels wide, a flat layer's cell this wide
const MAP_PX = 56, GAP = 4, FLAT_PX = 14, FLAT_COLS = 32;
// the keys a focused layer takes
const KEYS = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'PageUp', 'PageDown', 'Home']);

/** The largest |v| of finite values, and whether any value is not finite. */
function scaleOf(values) {
  let m = 0, bad = false;
  for (const v of values) {
    if (!Number.isFinite(v)) bad = true;
    else if (Math.abs(v) > m) m = Math.abs(v);
  }
  return { m, bad };
}

/** Where each value of a layer of `shape` goes, a map about mapPx wide: {width, height, cols, ppv, box(i) -> [x, y, size] in device pixels}. */
function geometry(shape, dpr, mapPx) {
  const [C, H, W] = shape;
  if (H * W > 1) {
    const ppv = Math.max(1, Math.floor(mapPx / Math.max(H, W)));
    const mw = ppv * W, mh = ppv * H, cols = Math.min(C, 8), rows = Math.ceil(C / cols);
    const box = (i) => {
      const c = Math.floor(i / (H * W)), y = Math.floor((i % (H * W)) / W), x = i % W;
      return [((c % cols) * (mw + GAP) + x * ppv) * dpr, (Math.floor(c / cols) * (mh + GAP) + y * ppv) * dpr, ppv * dpr];
    };
    return { width: cols * (mw + GAP) - GAP, height: rows * (mh + GAP) - GAP, cols, ppv, mw, mh, box, spatial: true };
  }
  const n = C * H * W, px = n > 256 ? 6 : FLAT_PX, cols = Math.min(n, n > 256 ? 64 : FLAT_COLS);
  const box = (i) => [(i % cols) * px * dpr, Math.floor(i / cols) * px * dpr, px * dpr];
  return { width: cols * px, height: Math.ceil(n / cols) * px, cols, ppv: px, box, spatial: false };
}

/** Fills `canvas` with `values` laid out as `shape` (colour(v) -> [r, g, b]) at `mapPx` a map; returns the geometry. */
function paint(canvas, shape, values, colour, mapPx = MAP_PX) {
  const dpr = Math.max(1, Math.round(window.devicePixelRatio || 1));
  const g = geometry(shape, dpr, mapPx);
  if (canvas.width !== g.width * dpr || canvas.height !== g.height * dpr) {
    canvas.width = g.width * dpr;
    canvas.height = g.height * dpr;
  }
  canvas.style.width = `${g.width}px`;
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(canvas.width, canvas.height);
  img.data.fill(255);
  for (let i = 0; i < values.length; i++) {
    const [x0, y0, size] = g.box(i), rgb = colour(values[i]);
    for (let y = y0; y < y0 + size; y++) {
      for (let x = x0; x < x0 + size; x++) {
        const o = 4 * (y * canvas.width + x);
        img.data[o] = rgb[0]; img.data[o + 1] = rgb[1]; img.data[o + 2] = rgb[2];
      }
    }
  }
  ctx.putImageData(img, 0, 0);
  return { ...g, dpr };
}

/** The input digit (values in [0, 1], ink dark) with a receptive field's rows and columns outlined. */
export function drawInput(canvas, x, field = null) {
  const g = paint(canvas, [1, 28, 28], x, (v) => { const c = Math.round(255 * (1 - Math.min(1, Math.max(0, v)))); return [c, c, c]; }, 168);
  if (!field) return;
  const ctx = canvas.getContext('2d'), u = g.ppv * g.dpr;
  const y0 = Math.max(0, field.y0), x0 = Math.max(0, field.x0), y1 = Math.min(27, field.y1), x1 = Math.min(27, field.x1);
  ctx.fillStyle = 'rgba(0, 114, 178, 0.18)';
  ctx.fillRect(x0 * u, y0 * u, (x1 - x0 + 1) * u, (y1 - y0 + 1) * u);
  ctx.strokeStyle = '#0072B2';
  ctx.lineWidth = 2 * g.dpr;
  ctx.strokeRect(x0 * u + g.dpr, y0 * u + g.dpr, (x1 - x0 + 1) * u - 2 * g.dpr, (y1 - y0 + 1) * u - 2 * g.dpr);
}

export class FeatureMaps {
  /** root: the element to fill; opts: {t, fmt, onSelect(layer, cell)}. */
  constructor(root, { t, fmt, onSelect }) {
    Object.assign(this, { root, t, fmt, onSelect });
    this.figures = [];
    this.key = '';
  }

  /** (Re)builds one figure per layer when the layers change; layers: model.js describeNet. */
  structure(layers) {
    const key = layers.map((d) => `${d.type}:${d.shape.join('x')}`).join('|');
    if (key === this.key) return;
    this.key = key;
    this.layers = layers;
    this.figures = layers.map((d, k) => {
      const canvas = el('canvas', { className: 'fmap', tabIndex: 0, role: 'img', id: `cnn-map-${k}` });
      const caption = el('figcaption', {});
      canvas.addEventListener('click', (e) => this.click(k, e));
      canvas.addEventListener('keydown', (e) => this.press(k, e));
      return { canvas, caption, figure: el('figure', { className: 'fmap-layer' }, caption, canvas) };
    });
    this.root.replaceChildren(...this.figures.map((f) => f.figure));
  }

  /**
   * Draws every layer's outputs for one input: acts (net.activations), the
   * selected {layer, cell} and the window it reads ({layer, channels, patch}
   * in that layer's rows and columns), or nulls.
   */
  draw(layers, acts, selected, reads) {
    this.structure(layers);
    this.layers = layers;
    this.selected = selected;
    layers.forEach((d, k) => {
      const { canvas, caption } = this.figures[k];
      const { m, bad } = scaleOf(acts[k]);
      const scale = m || 1;
      const g = paint(canvas, d.shape, acts[k], (v) => (Number.isFinite(v) ? diverging(v / scale) : [160, 160, 160]));
      this.figures[k].g = g;
      const shape = isSpatial(d) ? d.shape.join(' × ') : String(d.shape[0]);
      const what = d.last ? this.t('cnnOutputLogits') : this.t(`cnnKind_${d.type === 'activation' ? 'act' : d.type === 'batchnorm' ? 'bn' : d.type}`);
      caption.textContent = `${this.t('cnnLayerN', { k: k + 1 })} · ${d.last ? what : `${what} ${d.token}`} · ${shape} · `
        + (bad ? this.t('cnnNotFinite') : `±${this.fmt.short(m)}`);
      canvas.setAttribute('aria-label', this.t('cnnMapsOf', { k: k + 1, what: d.token, shape }));
      const ctx = canvas.getContext('2d');
      if (reads && reads.layer === k && g.spatial) {
        ctx.setLineDash([3 * g.dpr, 2 * g.dpr]);
        ctx.strokeStyle = '#000';
        ctx.lineWidth = g.dpr;
        const u = g.ppv * g.dpr, [, H, W] = d.shape;
        for (const c of reads.channels) {
          const y0 = Math.max(0, reads.patch.y0), x0 = Math.max(0, reads.patch.x0);
          const y1 = Math.min(H - 1, reads.patch.y1), x1 = Math.min(W - 1, reads.patch.x1);
          const [bx, by] = g.box(cellIndex(d.shape, { c, y: y0, x: x0 }));
          ctx.strokeRect(bx + 0.5 * g.dpr, by + 0.5 * g.dpr, (x1 - x0 + 1) * u - g.dpr, (y1 - y0 + 1) * u - g.dpr);
        }
        ctx.setLineDash([]);
      }
      if (selected && selected.layer === k) {
        const [bx, by, size] = g.box(cellIndex(d.shape, selected.cell));
        ctx.strokeStyle = '#000';
        ctx.lineWidth = 2 * g.dpr;
        ctx.strokeRect(bx - g.dpr, by - g.dpr, size + 2 * g.dpr, size + 2 * g.dpr);
      }
    });
  }

  // A click or a tap on layer k's canvas: the cell under it.
  click(k, e) {
    const f = this.figures[k], d = this.layers[k];
    if (!f.g) return;
    const r = f.canvas.getBoundingClientRect();
    const px = ((e.clientX - r.left) / r.width) * f.g.width, py = ((e.clientY - r.top) / r.height) * f.g.height;
    const [C, H, W] = d.shape;
    let i;
    if (f.g.spatial) {
      const col = Math.floor(px / (f.g.mw + GAP)), row = Math.floor(py / (f.g.mh + GAP));
      const x = Math.floor((px - col * (f.g.mw + GAP)) / f.g.ppv), y = Math.floor((py - row * (f.g.mh + GAP)) / f.g.ppv);
      const c = row * f.g.cols + col;
      if (x < 0 || x >= W || y < 0 || y >= H || c >= C || col >= f.g.cols) return;
      i = cellIndex(d.shape, { c, y, x });
    } else {
      i = Math.floor(py / f.g.ppv) * f.g.cols + Math.floor(px / f.g.ppv);
      if (i >= C * H * W) return;
    }
    this.onSelect(k, cellAt(d.shape, i));
  }

  // The keyboard on layer k's canvas: arrows move the cell, Page Up/Down change the map.
  press(k, e) {
    const d = this.layers[k], [C, H, W] = d.shape;
    const cur = this.selected?.layer === k ? this.selected.cell : null;
    let { c, y, x } = cur ?? { c: 0, y: 0, x: 0 };
    if (!KEYS.has(e.key)) return;
    e.preventDefault();
    if (cur) {
      if (e.key === 'ArrowLeft') x -= 1;
      if (e.key === 'ArrowRight') x += 1;
      if (e.key === 'ArrowUp') y -= 1;
      if (e.key === 'ArrowDown') y += 1;
      if (e.key === 'PageDown') c += 1;
      if (e.key === 'PageUp') c -= 1;
      if (e.key === 'Home') { c = 0; y = 0; x = 0; }
      // a flat layer's cells run left to right over several rows
      if (H * W === 1 && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) { c += x; x = 0; }
      if (H * W === 1 && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) { c += y * this.figures[k].g.cols; y = 0; }
    }
    const clamp = (v, n) => Math.max(0, Math.min(n - 1, v));
    this.onSelect(k, { c: clamp(c, C), y: clamp(y, H), x: clamp(x, W) });
  }
}

/** The first layer's weights: a conv's k x k filters, or a dense layer's 28 x 28 images; click a filter for its map. */
export class Filters {
  /** opts: {t, fmt, onPick(layer, cell) (a filter's feature map, at its centre)}. */
  constructor({ t, fmt, onPick }) {
    Object.assign(this, { t, fmt, onPick });
    this.help = el('p', { className: 'help' });
    this.canvas = el('canvas', { className: 'weights', id: 'c-filters', role: 'img', ariaLabel: t('cnnFilters') });
    this.legend = el('span', { className: 'legend-text' });
    this.grid = null;
  }

  parts() {
    return [this.help, this.canvas, el('div', { className: 'legend' }, el('div', { className: 'legend-bar' }), this.legend)];
  }

  /** layers: model.js describeNet. */
  draw(layers) {
    const first = layers.find((d) => d.W && (d.type === 'conv' || d.type === 'dense'));
    this.canvas.hidden = !first || first.last;
    if (this.canvas.hidden) {
      this.help.textContent = this.t('cnnFiltersNone');
      return;
    }
    const side = first.type === 'conv' ? first.kernel : 28;
    this.first = first;
    if (this.grid?.side !== side) {
      this.grid = new WeightGrid(this.canvas, this.legend, { fmt: this.fmt, side, cols: 8, onPick: (u) => this.first.type === 'conv'
        && this.onPick(this.first.index, { c: u, y: this.first.shape[1] >> 1, x: this.first.shape[2] >> 1 }) });
    }
    this.grid.cols = 8;
    this.grid.draw(first.W, first.shape[0]);
    this.help.textContent = first.type === 'conv' ? this.t('cnnFiltersHelp', { k: first.kernel }) : this.t('cnnFiltersDense');
  }
}
