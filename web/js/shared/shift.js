// shift.js: move a 28 x 28 digit by whole pixels (at most 6 each way, zeros
// coming in), so the predictions of an MLP and a CNN can be compared as the
// digit moves: a dense layer sees a shifted digit as new pixels, shared
// filters and pooling see the same strokes (COURSE.md section 12,
// translation invariance). shiftDigit is pure; mountShift is the control
// under a drawing pad (the MNIST view's now, the CNN view's later).
//
// Mount API:
//   const shift = mountShift(container, {t, onShift});
//     t         t(key, values): the page's texts (keys shift* of shared/cnn-strings.js)
//     onShift   onShift({dx, dy}): the offset changed (read the prediction again)
//   shift.offset            {dx, dy}: right and down are positive
//   shift.apply(x)          the digit x (784 values) moved by the offset, a new array (null for null)
//   shift.preview(x)        draws x (what the net sees, already shifted) in the control's thumbnail
//   shift.set(dx, dy)       sets the offset (clamped), as the arrows do
//   shift.relabel(t)        another language: every text again
import { el } from './dom.js';

export const MAX_SHIFT = 6;

/** v as a whole shift in [-MAX_SHIFT, MAX_SHIFT] (0 when not a number). */
export function clampShift(v) {
  const n = Math.round(Number(v));
  return Number.isFinite(n) ? Math.max(-MAX_SHIFT, Math.min(MAX_SHIFT, n)) + 0 : 0;
}

/**
 * The side x side image x moved dx pixels right and dy down (negative: left,
 * up); pixels moved out are lost, the ones coming in are 0. A new Float32Array.
 */
export function shiftDigit(x, dx, dy, side = 28) {
  const out = new Float32Array(side * side);
  for (let r = 0; r < side; r++) {
    const from = r - dy;
    if (from < 0 || from >= side) continue;
    for (let c = 0; c < side; c++) {
      const fc = c - dx;
      if (fc >= 0 && fc < side) out[r * side + c] = x[from * side + fc];
    }
  }
  return out;
}

/** Mounts the shift control in `container` (see the top of this file). */
export function mountShift(container, { t, onShift }) {
  const offset = { dx: 0, dy: 0 };
  let texts = t, last = null, readout, canvas;
  const set = (dx, dy) => {
    const nx = clampShift(dx), ny = clampShift(dy);
    if (nx === offset.dx && ny === offset.dy) return;
    offset.dx = nx;
    offset.dy = ny;
    show();
    onShift?.({ ...offset });
  };
  const signed = (v) => (v > 0 ? `+${v}` : v < 0 ? `−${-v}` : '0');
  const show = () => {
    readout.textContent = texts('shiftOffset', { dx: signed(offset.dx), dy: signed(offset.dy) });
    container.dataset.dx = String(offset.dx);
    container.dataset.dy = String(offset.dy);
  };
  const preview = (x) => {
    last = x;
    const ctx = canvas.getContext('2d');
    const img = ctx.createImageData(28, 28);
    for (let p = 0; p < 784; p++) {
      const g = 255 - Math.round(255 * Math.max(0, Math.min(1, x ? x[p] : 0)));
      img.data.set([g, g, g, 255], 4 * p);
    }
    ctx.putImageData(img, 0, 0);
  };
  const build = () => {
    const button = (text, key, dx, dy) => {
      const b = el('button', { type: 'button', className: 'small', textContent: text, ariaLabel: texts(key), title: texts(key), dataset: { shift: key } });
      b.addEventListener('click', () => set(offset.dx + dx, offset.dy + dy));
      return b;
    };
    readout = el('span', { className: 'shift-readout', role: 'status' });
    canvas = el('canvas', { width: 28, height: 28, className: 'shift-preview', role: 'img', ariaLabel: texts('shiftPreview') });
    const centre = el('button', { type: 'button', className: 'small', textContent: texts('shiftReset'), dataset: { shift: 'reset' } });
    centre.addEventListener('click', () => set(0, 0));
    const pad = el('div', { className: 'shift-arrows' }, el('span'), button('↑', 'shiftUp', 0, -1), el('span'),
      button('←', 'shiftLeft', -1, 0), centre, button('→', 'shiftRight', 1, 0),
      el('span'), button('↓', 'shiftDown', 0, 1), el('span'));
    // the arrow keys on the control move the digit too
    pad.addEventListener('keydown', (e) => {
      const d = { ArrowUp: [0, -1], ArrowDown: [0, 1], ArrowLeft: [-1, 0], ArrowRight: [1, 0] }[e.key];
      if (!d) return;
      e.preventDefault();
      set(offset.dx + d[0], offset.dy + d[1]);
    });
    container.classList.add('shift');
    container.replaceChildren(el('div', { className: 'shift-title', textContent: texts('shiftTitle') }),
      el('div', { className: 'shift-row' }, pad, el('figure', {}, canvas, el('figcaption', { textContent: texts('shiftPreview') }))),
      readout, el('p', { className: 'help', textContent: texts('shiftHelp', { max: String(MAX_SHIFT) }) }));
    show();
    preview(last);
  };
  build();
  return {
    get offset() { return { ...offset }; },
    apply: (x) => (x ? shiftDigit(x, offset.dx, offset.dy) : null),
    preview,
    set,
    relabel(nt) { texts = nt; build(); },
  };
}
