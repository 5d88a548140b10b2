// network.js: the network diagram. Inputs, hidden neurons and outputs as
// columns of small live heatmaps (each neuron's own output over the plane),
// links between them coloured by the weight's sign and sized by |w|, the
// value shown on hover; clicking a link lets one type a new weight, as in
// TensorFlow Playground. Clicking a neuron asks the page to show it large;
// hovering it shows its map enlarged with its formula and bias, and a
// double click (or B on the keyboard) edits the bias.
// The links and the maps are two canvases, redrawn on their own clocks (the
// caller's): the links at most MAX_LINKS per pair of layers (the strongest:
// 64 x 64 links are a solid band anyway), in LEVELS widths per colour; the
// maps as one atlas of RGBA tiles the engine colours (activationPixels),
// each tile then drawn scaled at its neuron. The diagram grows with the
// net, up to MAX_HEIGHT, before its neurons shrink.
import { el } from './dom.js';

const MIN_NODE = 6, READABLE = 20, MAX_NODE = 40, GAP = 1.35, TOP = 24, MAX_HEIGHT = 520;
const COLORS = ['#0072B2', '#E69F00'];
const LEVELS = 8;
export const MAX_LINKS = 128;

export class NetworkView {
  /**
   * onPick(c, u): a neuron clicked; label(c, u): its name; onEdit(target,
   * value): a typed weight {kind: 'w', c, i, j} (link from neuron i of column
   * c to neuron j of column c + 1) or bias {kind: 'b', c, u}; explain(c, u):
   * {formula, bias} of a neuron, or null (inputs).
   */
  constructor(root, { onPick, label, onEdit = null, explain = null }) {
    this.root = root;
    this.onPick = onPick;
    this.label = label;
    this.onEdit = onEdit;
    this.explain = explain;
    // the maps and the links in the same place (the .links rule positions
    // both); they do not overlap: links run between the neurons' edges
    this.mapCanvas = el('canvas', { className: 'links maps', ariaHidden: 'true' });
    this.canvas = el('canvas', { className: 'links', ariaHidden: 'true' });
    this.nodes = el('div', { className: 'nodes' });
    this.tip = el('div', { className: 'link-tip', role: 'tooltip', hidden: true });
    // the value editor of a weight or a bias, placed where it was asked for
    this.editor = el('input', { type: 'number', step: 'any', className: 'diagram-edit', hidden: true });
    this.editor.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') this.commit();
      else if (e.key === 'Escape') this.editor.hidden = true;
    });
    this.editor.addEventListener('blur', () => { this.editor.hidden = true; });
    // a hovered neuron's map, enlarged, in its tip
    this.zoom = el('canvas', { className: 'node-zoom', width: 96, height: 96, ariaHidden: 'true' });
    root.replaceChildren(this.mapCanvas, this.canvas, this.nodes, this.tip, this.editor);
    root.addEventListener('pointermove', (e) => this.hover(e));
    root.addEventListener('pointerleave', () => { this.tip.hidden = true; });
    root.addEventListener('click', (e) => { if (!e.target.closest?.('.node, .diagram-edit')) this.editLink(e); });
    this.shape = '';
  }

  /**
   * Lays out columns of sizes `columns` (e.g. [2, 4, 2, 1]) with column titles;
   * rebuilds only when the shape changes. A column too tall for the box makes
   * the diagram taller, up to MAX_HEIGHT, rather than neurons smaller than
   * READABLE px (then they shrink, to MIN_NODE). Returns whether it rebuilt.
   */
  layout(columns, titles, res) {
    const shape = `${columns.join(',')}/${titles.join(',')}/${res}`;
    if (shape === this.shape) return false;
    this.shape = shape;
    this.columns = columns;
    this.res = res;
    // links follow the page's line weight (style.css --stroke: the presenter preset doubles it)
    this.stroke = parseFloat(getComputedStyle(this.root).getPropertyValue('--stroke')) || 1;
    this.root.style.height = '';
    const most = Math.max(...columns);
    const box = this.root.clientHeight || 300;
    const W = this.root.clientWidth || 500, H = Math.max(box, Math.min(MAX_HEIGHT, 30 + most * READABLE * GAP));
    if (H > box) this.root.style.height = `${H}px`;
    const node = Math.max(MIN_NODE, Math.min(MAX_NODE, Math.floor((H - 30) / (most * GAP))));
    const gapX = (W - node) / Math.max(1, columns.length - 1);
    const dpr = window.devicePixelRatio || 1;
    for (const cv of [this.canvas, this.mapCanvas]) {
      Object.assign(cv, { width: Math.round(W * dpr), height: Math.round(H * dpr) });
      Object.assign(cv.style, { width: `${W}px`, height: `${H}px` });
    }
    this.nodes.replaceChildren();
    this.pos = columns.map((count, c) => Array.from({ length: count }, (_, u) => {
      const total = count * node * GAP;
      return { x: c * gapX, y: TOP + (H - TOP - total) / 2 + u * node * GAP, size: node };
    }));
    // the neurons are empty buttons over the one canvas that draws their maps
    this.canvases = this.pos.map((col, c) => col.map((p, u) => {
      const cv = document.createElement('div');
      cv.className = 'node';
      Object.assign(cv.style, { left: `${p.x}px`, top: `${p.y}px`, width: `${p.size}px`, height: `${p.size}px` });
      cv.setAttribute('role', 'button');
      cv.tabIndex = 0;
      cv.setAttribute('aria-label', this.label(c, u));
      cv.title = this.label(c, u);
      const pick = () => this.onPick(c, u);
      cv.addEventListener('click', pick);
      cv.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); pick(); }
        else if (e.key === 'b' || e.key === 'B') { e.preventDefault(); this.editBias(c, u); }
      });
      cv.addEventListener('dblclick', () => this.editBias(c, u));
      cv.addEventListener('pointerenter', () => this.showNode(c, u));
      this.nodes.append(cv);
      return cv;
    }));
    titles.slice(0, columns.length).forEach((t, c) => {
      const d = document.createElement('div');
      d.className = 'col-title';
      d.textContent = t;
      // first and last titles align with the edge so they are never clipped
      if (c === 0) d.style.left = '0px';
      else if (c === columns.length - 1) { d.style.right = '0px'; d.style.transform = 'none'; }
      else d.style.left = `${c * gapX + node / 2}px`;
      if (c === 0) d.style.transform = 'none';
      this.nodes.append(d);
    });
    // one segment per weight, (x1, y1, x2, y2) in CSS pixels, in weight order
    this.links = [];
    for (let c = 0; c + 1 < columns.length; c++) {
      const seg = new Float32Array(columns[c] * columns[c + 1] * 4);
      for (let j = 0; j < columns[c + 1]; j++) {
        for (let i = 0; i < columns[c]; i++) {
          const a = this.pos[c][i], b = this.pos[c + 1][j], k = 4 * (j * columns[c] + i);
          seg.set([a.x + a.size, a.y + a.size / 2, b.x, b.y + b.size / 2], k);
        }
      }
      this.links.push(seg);
    }
    this.tip.hidden = true;
    return true;
  }

  /** Whether the diagram is on screen (embed mode can hide it). */
  get visible() { return this.root.getClientRects().length > 0; }

  /** How many pairs of columns have links between them. */
  get pairs() { return this.links.length; }

  /**
   * Redraws the links for `weights` (dense layers in order), all of them or
   * only those between columns `pair` and `pair` + 1 (a band no other link
   * crosses: a big net's links can be redrawn a band a frame);
   * describe(c, i, j, w) words a link's tip.
   */
  drawLinks(weights, describe, pair) {
    this.weights = weights;
    this.describe = describe;
    let max = 1e-6;
    for (const w of weights) for (const v of w.W) max = Math.max(max, Math.abs(v));
    const ctx = this.canvas.getContext('2d'), dpr = this.canvas.width / (parseFloat(this.canvas.style.width) || 1);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    if (pair === undefined) ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    else {
      // from the left column's right edge to the right column's left edge, and
      // the half-width a thick link's end reaches into either neuron
      const a = this.pos[pair][0], b = this.pos[pair + 1][0];
      ctx.clearRect(a.x + a.size - 3, 0, b.x - a.x - a.size + 6, this.canvas.height);
    }
    // the strongest links of each pair of layers, in LEVELS groups per colour
    // by |w|, weakest first
    const paths = Array.from({ length: 2 * LEVELS }, () => []);
    this.links.forEach((seg, c) => {
      const W = weights[c]?.W;
      if (!W || (pair !== undefined && c !== pair)) return;
      const n = Math.min(W.length, seg.length / 4), min = threshold(W, n, MAX_LINKS);
      for (let k = 0, drawn = 0; k < n && drawn < MAX_LINKS; k++) {
        if (Math.abs(W[k]) < min) continue;
        drawn++;
        const level = Math.min(LEVELS - 1, Math.floor((Math.abs(W[k]) / max) * LEVELS));
        paths[2 * level + (W[k] >= 0 ? 0 : 1)].push(seg, k);
      }
    });
    // one short path per link (one path of many crossing links makes Skia
    // merge their outlines: 4 times slower), the style set once per level
    paths.forEach((path, i) => {
      if (!path.length) return;
      const q = (Math.floor(i / 2) + 0.5) / LEVELS;
      ctx.lineWidth = (0.4 + 5 * q) * this.stroke;
      ctx.globalAlpha = 0.25 + 0.75 * q;
      ctx.strokeStyle = COLORS[i % 2];
      for (let p = 0; p < path.length; p += 2) {
        const seg = path[p], k = path[p + 1];
        ctx.beginPath();
        ctx.moveTo(seg[4 * k], seg[4 * k + 1]);
        ctx.lineTo(seg[4 * k + 2], seg[4 * k + 3]);
        ctx.stroke();
      }
    });
    ctx.globalAlpha = 1;
  }

  /**
   * Redraws the neuron maps from blocks of RGBA tiles (Uint8ClampedArray,
   * this.res^2 pixels per tile, e.g. views of wasm memory), tiles in column
   * then neuron order: one atlas, then each tile scaled to its neuron.
   */
  drawMaps(blocks) {
    const R = this.res, count = this.pos.reduce((a, col) => a + col.length, 0);
    if (!this.atlas || this.atlas.height !== R * count || this.atlas.width !== R) this.atlas = el('canvas', { width: R, height: R * count });
    const actx = this.atlas.getContext('2d');
    let t = 0;
    for (const px of blocks) {
      const tiles = Math.min(px.length / (4 * R * R), count - t);
      if (tiles > 0) actx.putImageData(new ImageData(px.subarray(0, tiles * 4 * R * R), R, R * tiles), 0, R * t);
      t += tiles;
    }
    const ctx = this.mapCanvas.getContext('2d'), dpr = this.mapCanvas.width / (parseFloat(this.mapCanvas.style.width) || 1);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, this.mapCanvas.width, this.mapCanvas.height);
    t = 0;
    for (const col of this.pos) {
      for (const p of col) {
        if (t < count) ctx.drawImage(this.atlas, 0, t * R, R, R, p.x + 1, p.y + 1, p.size - 2, p.size - 2);
        t++;
      }
    }
  }

  /** The link under the pointer (within 4 px) as {c, k}, or null. */
  linkAt(x, y) {
    let best = 16, hit = null;
    this.links.forEach((seg, c) => {
      for (let k = 0; 4 * k < seg.length; k++) {
        const x1 = seg[4 * k], y1 = seg[4 * k + 1], dx = seg[4 * k + 2] - x1, dy = seg[4 * k + 3] - y1;
        if (x < x1 - 4 || x > x1 + dx + 4) continue;
        const f = Math.max(0, Math.min(1, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy || 1)));
        const d2 = (x1 + f * dx - x) ** 2 + (y1 + f * dy - y) ** 2;
        if (d2 < best) { best = d2; hit = { c, k }; }
      }
    });
    return hit;
  }

  /** Opens the editor at (x, y) on `target` holding `value`. */
  openEditor(target, value, x, y) {
    if (!this.onEdit) return;
    this.editing = target;
    this.editor.value = String(Number(value.toPrecision(6)));
    Object.assign(this.editor.style, { left: `${x}px`, top: `${y}px` });
    this.editor.hidden = false;
    this.tip.hidden = true;
    this.editor.focus();
    this.editor.select();
  }

  commit() {
    const v = Number(this.editor.value);
    this.editor.hidden = true;
    if (this.editing && this.editor.value.trim() !== '' && Number.isFinite(v)) this.onEdit(this.editing, v);
  }

  /** A click on a link: type its new weight. */
  editLink(e) {
    if (!this.weights) return;
    const r = this.root.getBoundingClientRect(), x = e.clientX - r.left, y = e.clientY - r.top;
    const hit = this.linkAt(x, y);
    if (!hit) return;
    const n = this.columns[hit.c], i = hit.k % n, j = Math.floor(hit.k / n);
    this.openEditor({ kind: 'w', c: hit.c, i, j }, this.weights[hit.c].W[hit.k], x + 8, y - 12);
  }

  /** Double click or B on a neuron with a bias: type its new bias. */
  editBias(c, u) {
    const b = c > 0 ? this.weights?.[c - 1]?.b?.[u] : undefined;
    if (b === undefined) return;
    const p = this.pos[c][u];
    this.openEditor({ kind: 'b', c: c - 1, u }, b, p.x + p.size + 4, p.y);
  }

  /** The tip of a hovered neuron: its map enlarged, its formula and bias. */
  showNode(c, u) {
    const info = this.explain?.(c, u);
    if (!info || !this.atlas) return;
    const R = this.res, t = this.pos.slice(0, c).reduce((a, col) => a + col.length, 0) + u;
    const z = this.zoom.getContext('2d');
    z.imageSmoothingEnabled = true;
    z.clearRect(0, 0, 96, 96);
    z.drawImage(this.atlas, 0, t * R, R, R, 0, 0, 96, 96);
    this.tip.replaceChildren(this.zoom, el('div', { textContent: this.label(c, u) }),
      el('div', { className: 'formula', textContent: info.formula }),
      ...(info.bias ? [el('div', { textContent: info.bias })] : []));
    const p = this.pos[c][u], W = this.root.clientWidth;
    const left = p.x + p.size + 8 + 200 > W ? Math.max(0, p.x - 208) : p.x + p.size + 8;
    Object.assign(this.tip.style, { left: `${left}px`, top: `${Math.max(0, p.y - 20)}px` });
    this.tip.hidden = false;
  }

  /** Shows the weight of the link under the pointer (within 4 px), if any. */
  hover(e) {
    if (!this.weights || !this.describe) return;
    if (e.target.closest?.('.node')) return;   // a neuron's own tip (showNode)
    const r = this.root.getBoundingClientRect(), x = e.clientX - r.left, y = e.clientY - r.top;
    const hit = this.linkAt(x, y);
    if (!hit) { this.tip.hidden = true; return; }
    const n = this.columns[hit.c], i = hit.k % n, j = Math.floor(hit.k / n);
    this.tip.textContent = this.describe(hit.c, i, j, this.weights[hit.c].W[hit.k]) + (this.onEdit ? ` ${this.editHint ?? ''}` : '');
    Object.assign(this.tip.style, { left: `${x + 12}px`, top: `${y + 12}px` });
    this.tip.hidden = false;
  }

  /** Marks the neuron shown large. */
  select(c, u) {
    this.canvases.flat().forEach((cv) => cv.classList.remove('selected'));
    this.canvases[c]?.[u]?.classList.add('selected');
  }
}

/** The smallest |w| among the `keep` largest of W[0..n), or 0 when all are kept. */
function threshold(W, n, keep) {
  if (n <= keep) return 0;
  const a = new Float32Array(n);
  for (let k = 0; k < n; k++) a[k] = -Math.abs(W[k]);
  return -a.sort()[keep - 1];
}
