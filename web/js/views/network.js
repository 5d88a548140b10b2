// network.js: the network diagram. Inputs, hidden neurons and outputs as
// columns of small live heatmaps (each neuron's own output over the plane),
// links between them coloured by the weight's sign and sized by |w|, the
// value shown on hover. Clicking a neuron asks the page to show it large.
import { heatmapPixels } from './colors.js';

const SVG = 'http://www.w3.org/2000/svg';

export class NetworkView {
  constructor(root, { onPick, label }) {
    this.root = root;
    this.onPick = onPick;
    this.label = label;
    this.svg = document.createElementNS(SVG, 'svg');
    this.svg.setAttribute('class', 'links');
    this.svg.setAttribute('aria-hidden', 'true');
    this.nodes = document.createElement('div');
    this.nodes.className = 'nodes';
    root.replaceChildren(this.svg, this.nodes);
    this.shape = '';
  }

  /**
   * Lays out columns of sizes `columns` (e.g. [2, 4, 2, 1]) with column titles;
   * rebuilds only when the shape changes.
   */
  layout(columns, titles, res) {
    const shape = `${columns.join(',')}/${titles.join(',')}/${res}`;
    if (shape === this.shape) return;
    this.shape = shape;
    this.columns = columns;
    this.res = res;
    const W = this.root.clientWidth || 500, H = this.root.clientHeight || 300;
    const most = Math.max(...columns);
    const node = Math.max(10, Math.min(40, Math.floor((H - 30) / (most * 1.35))));
    const gapX = (W - node) / Math.max(1, columns.length - 1);
    this.svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
    this.svg.setAttribute('width', W);
    this.svg.setAttribute('height', H);
    this.nodes.replaceChildren();
    this.svg.replaceChildren();
    this.images = new Map();
    this.pos = columns.map((count, c) => Array.from({ length: count }, (_, u) => {
      const total = count * node * 1.35;
      return { x: c * gapX, y: 24 + (H - 24 - total) / 2 + u * node * 1.35, size: node };
    }));
    this.canvases = this.pos.map((col, c) => col.map((p, u) => {
      const cv = document.createElement('canvas');
      cv.width = res;
      cv.height = res;
      cv.className = 'node';
      Object.assign(cv.style, { left: `${p.x}px`, top: `${p.y}px`, width: `${p.size}px`, height: `${p.size}px` });
      cv.setAttribute('role', 'button');
      cv.tabIndex = 0;
      cv.setAttribute('aria-label', this.label(c, u));
      cv.title = this.label(c, u);
      const pick = () => this.onPick(c, u);
      cv.addEventListener('click', pick);
      cv.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); pick(); } });
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
    // one line per weight, kept for updates
    this.links = [];
    for (let c = 0; c + 1 < columns.length; c++) {
      for (let j = 0; j < columns[c + 1]; j++) {
        for (let i = 0; i < columns[c]; i++) {
          const a = this.pos[c][i], b = this.pos[c + 1][j];
          const line = document.createElementNS(SVG, 'line');
          line.setAttribute('x1', a.x + a.size);
          line.setAttribute('y1', a.y + a.size / 2);
          line.setAttribute('x2', b.x);
          line.setAttribute('y2', b.y + b.size / 2);
          const title = document.createElementNS(SVG, 'title');
          line.append(title);
          this.svg.append(line);
          this.links.push({ line, title, c, i, j });
        }
      }
    }
  }

  /** Redraws the neuron heatmaps (maps[c][u]: values over the grid) and the links. */
  update(maps, kinds, weights, describe) {
    maps.forEach((col, c) => col.forEach((values, u) => {
      const cv = this.canvases[c]?.[u];
      if (!cv) return;
      const ctx = cv.getContext('2d');
      // one pixel buffer per neuron, made with its canvas and reused every frame
      const img = (this.images ??= new Map()).get(cv) ?? ctx.createImageData(this.res, this.res);
      this.images.set(cv, img);
      heatmapPixels(img.data, values, kinds[c]);
      ctx.putImageData(img, 0, 0);
    }));
    let max = 1e-6;
    for (const w of weights) for (const v of w.W) max = Math.max(max, Math.abs(v));
    for (const l of this.links) {
      const w = weights[l.c].W[l.j * weights[l.c].inputs + l.i];
      l.line.setAttribute('stroke', w >= 0 ? '#0072B2' : '#E69F00');
      l.line.setAttribute('stroke-width', (0.4 + 5 * Math.abs(w) / max).toFixed(2));
      l.line.setAttribute('stroke-opacity', (0.25 + 0.75 * Math.abs(w) / max).toFixed(2));
      l.title.textContent = describe(l.c, l.i, l.j, w);
    }
  }

  /** Marks the neuron shown large. */
  select(c, u) {
    this.canvases.flat().forEach((cv) => cv.classList.remove('selected'));
    this.canvases[c]?.[u]?.classList.add('selected');
  }
}
