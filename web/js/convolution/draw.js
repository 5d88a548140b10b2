// draw.js: the convolution explainer's pictures: a map of values as a grid of
// cells on a canvas (grey levels for an input, the diverging orange-white-blue
// scale for an output), with the numbers written in when the cells are large
// enough, frames marking cells (the patch, the selected pixel, a pooling window
// and its winner), the colour key of the output, and 3 x 3 tables of numbers.
import { diverging } from '../shared/colors.js';
import { el } from '../shared/dom.js';

/** The canvas side the grid is drawn at (CSS scales it). */
const SIZE = 280;
const INK = '#000', POOL = '#009E73';
/** The frame of the kernel's patch on a photograph's dark greys (Okabe-Ito yellow). */
export const ON_DARK = '#F0E442';

/** Grey level of an MNIST value (0 background, 255 ink): ink dark on white, as the gallery draws digits. */
export const inkGrey = (v) => { const g = 255 - Math.max(0, Math.min(255, Math.round(v))); return [g, g, g]; };
/** Grey level of a photograph's value (0 black, 255 white), as the slide's patch. */
export const photoGrey = (v) => { const g = Math.max(0, Math.min(255, Math.round(v))); return [g, g, g]; };
/** The diverging colour of v on the symmetric scale [-m, m]. */
export const divergingOf = (m) => (v) => diverging(v / m);

/**
 * Draws `values` (side x side, row-major) as cells. opts: {colour(v) -> rgb,
 * label(v, r, c) -> text or null (written when cells are large), ring: cells of
 * padding drawn around the map (hatched zeros), marks: [{r, c, size, colour,
 * width, dash}] framed (in the coordinates of `values`, ring excluded)}.
 * Returns the cell size in canvas pixels.
 */
export function drawGrid(canvas, values, side, { colour, label = null, ring = 0, marks = [] }) {
  const full = side + 2 * ring;
  const cell = Math.max(2, Math.floor(SIZE / full));
  const W = cell * full;
  if (canvas.width !== W || canvas.height !== W) { canvas.width = W; canvas.height = W; }
  const ctx = canvas.getContext('2d');
  ctx.clearRect(0, 0, W, W);
  // the padding: zeros, hatched so they read as added
  if (ring) {
    ctx.fillStyle = '#f3f0e8';
    ctx.fillRect(0, 0, W, W);
    ctx.strokeStyle = '#d9d2c0';
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (let d = -W; d < W; d += 6) { ctx.moveTo(d, W); ctx.lineTo(d + W, 0); }
    ctx.stroke();
  }
  const big = cell >= 24 && label;
  ctx.font = `${Math.round(cell * (side > 4 ? 0.32 : 0.28))}px system-ui, sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      const v = values[r * side + c];
      const [R, G, B] = colour(v);
      ctx.fillStyle = `rgb(${R},${G},${B})`;
      ctx.fillRect((c + ring) * cell, (r + ring) * cell, cell, cell);
      if (big) {
        ctx.fillStyle = 0.299 * R + 0.587 * G + 0.114 * B < 140 ? '#fff' : '#111';
        ctx.fillText(label(v, r, c), (c + ring + 0.5) * cell, (r + ring + 0.5) * cell);
      }
    }
  }
  if (big && ring) {
    ctx.fillStyle = '#8a7f66';
    for (let r = 0; r < full; r++) {
      for (let c = 0; c < full; c++) {
        if (r < ring || c < ring || r >= side + ring || c >= side + ring) ctx.fillText('0', (c + 0.5) * cell, (r + 0.5) * cell);
      }
    }
  }
  if (cell >= 12) {
    // thin lines between cells when they are large enough to count
    ctx.strokeStyle = 'rgba(0,0,0,0.12)';
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (let i = 1; i < full; i++) { ctx.moveTo(i * cell + 0.5, 0); ctx.lineTo(i * cell + 0.5, W); ctx.moveTo(0, i * cell + 0.5); ctx.lineTo(W, i * cell + 0.5); }
    ctx.stroke();
  }
  for (const m of marks) {
    const lw = Math.min(5, Math.max(2, Math.round(cell / 10)) * (m.width ?? 1));
    // inset marks sit inside another frame of the same cell (a pool's winner inside the selected pixel)
    const inset = lw / 2 + (m.inset ? lw * 1.5 : 0);
    ctx.strokeStyle = m.colour ?? INK;
    ctx.lineWidth = lw;
    ctx.setLineDash((m.dash ?? []).map((d) => d * lw));
    const size = m.size ?? 1;
    ctx.strokeRect((m.c + ring) * cell + inset, (m.r + ring) * cell + inset, size * cell - 2 * inset, size * cell - 2 * inset);
    ctx.setLineDash([]);
  }
  return cell;
}

/** The marks of a pooling window (dashed) and its winner (solid). */
export function poolMarks(win, size) {
  const first = win.cells[0];
  const marks = [{ r: first.r, c: first.c, size, colour: POOL, dash: [2, 1.5] }];
  if (win.winner) marks.push({ r: win.winner.r, c: win.winner.c, colour: POOL, width: 1.5, inset: true });
  return marks;
}

/** The cell (row, column) of a map of `side` cells under a pointer event, or null; `ring` cells of padding around it. */
export function cellAt(canvas, e, side, ring = 0) {
  const b = canvas.getBoundingClientRect();
  const full = side + 2 * ring;
  const c = Math.floor(((e.clientX - b.left) / b.width) * full) - ring;
  const r = Math.floor(((e.clientY - b.top) / b.height) * full) - ring;
  return r >= 0 && c >= 0 && r < side && c < side ? [r, c] : null;
}

/** The key of the output's colours: a bar from -m to +m with its three values, and what they mean. */
export function legend(root, m, { format, text }) {
  const bar = el('span', { className: 'cv-key-bar' });
  bar.style.background = `linear-gradient(to right, ${[-1, -0.5, 0, 0.5, 1].map((v) => `rgb(${diverging(v).join(',')})`).join(', ')})`;
  root.replaceChildren(bar, el('span', { className: 'cv-key-ticks' },
    el('span', { textContent: `−${format(m)}` }), el('span', { textContent: '0' }), el('span', { textContent: `+${format(m)}` })),
  el('span', { className: 'cv-key-text', textContent: text }));
}

/** A 3 x 3 table of formatted values; `cls(i)` gives a cell's class (padding, the centre). */
export function table3(values, format, { caption, cls = () => '', role }) {
  const rows = [0, 1, 2].map((i) => el('tr', {}, ...[0, 1, 2].map((j) => el('td', {
    textContent: format(values[i * 3 + j], i * 3 + j), className: cls(i * 3 + j) }))));
  return el('table', { className: 'cv-table', dataset: role ? { cv: role } : {} }, el('caption', { textContent: caption }), el('tbody', {}, ...rows));
}
