// arith.js: the arithmetic of the chosen cell (receptive.js explain) with
// its numbers: for a convolution the k x k patch of one input channel (the
// others one click away, each with its sum), the kernel, their products and
// sum, the sum over channels, + bias, and the engine's own output for the
// cell beside it; for a max pool the window with its winner; for an average
// pool the window, its sum and mean; for a dense unit the sum over its inputs
// and the terms that weigh most; then each elementwise layer after it
// (activation, batch norm). The root carries data-z (the sum shown, in
// full) and data-engine (the engine's value) for the tests.
import { el } from '../shared/dom.js';

/** Renders explanation `e` into `root`; opts: {t, fmt, layers, channel (the input channel shown), onChannel(ci)}. */
export function drawArith(root, e, { t, fmt, layers, channel = 0, onChannel }) {
  if (!e) {
    root.replaceChildren(el('p', { className: 'help', textContent: t('cnnArithHelp') }));
    for (const k of ['z', 'engine', 'layer', 'cell']) delete root.dataset[k];
    return;
  }
  // 3 decimals, and no '-0.000' for a tiny negative number
  const num = (v, d = 3) => (v === null || Math.abs(v) < 0.5 * 10 ** -d ? fmt.fixed(0, v === null ? 0 : d) : fmt.fixed(v, d));
  const full = (v) => fmt.short(v, 7);
  const d = layers[e.layer], base = e.base >= 0 ? layers[e.base] : null;
  const where = layers[e.layer].shape[1] * layers[e.layer].shape[2] > 1
    ? t('cnnCellAt', { c: e.cell.c + 1, y: e.cell.y + 1, x: e.cell.x + 1 }) : t('cnnUnitN', { c: e.cell.c + 1 });
  const kids = [el('h3', { textContent: `${t('cnnLayerN', { k: e.layer + 1 })} · ${d.last ? t('cnnOutputLogits') : d.token} · ${where}` })];
  const f = e.field;
  // the rows and columns inside the image; the field's size counts the padding it reaches into
  const clip = (v) => Math.min(28, Math.max(1, v + 1));
  kids.push(el('p', { className: 'help', textContent: f.full ? t('cnnFieldAll')
    : t('cnnFieldRows', { y0: clip(f.y0), y1: clip(f.y1), x0: clip(f.x0), x1: clip(f.x1), h: f.y1 - f.y0 + 1, w: f.x1 - f.x0 + 1 })
      + (f.y0 < 0 || f.x0 < 0 || f.y1 > 27 || f.x1 > 27 ? ` ${t('cnnFieldPad')}` : '') }));
  const from = e.base === 0 ? t('cnnTheInput') : t('cnnTheLayer', { k: e.base });
  if (e.kind === 'conv') kids.push(...conv(e, base, { t, fmt, num, full, from, channel, onChannel }));
  else if (e.kind === 'maxpool' || e.kind === 'avgpool') kids.push(...pool(e, base, { t, num, full, from }));
  else if (e.kind === 'dense') kids.push(...dense(e, { t, fmt, num, full, from }));
  else kids.push(el('p', { textContent: t('cnnInputValue', { v: full(e.value) }) }));
  if (e.kind !== 'input') kids.push(engineLine(e, { t, fmt, full }));
  for (const s of e.chain) kids.push(chainLine(s, { t, full, layers, clicked: s.layer === e.layer }));
  root.replaceChildren(...kids);
  root.dataset.z = String(e.kind === 'input' ? e.value : e.z);
  root.dataset.engine = String(e.kind === 'input' ? e.value : e.engine);
  root.dataset.layer = String(e.base);
  root.dataset.cell = `${e.cell.c},${e.cell.y},${e.cell.x}`;
}

/** A k x k table of numbers; `mark(ky, kx)` gives a cell's class. */
function grid(values, { caption, num, mark = () => '' }) {
  const rows = values.map((row, ky) => el('tr', {}, ...row.map((v, kx) => {
    const td = el('td', { textContent: num(v), className: `${v === null ? 'pad' : ''} ${mark(ky, kx)}`.trim() });
    if (v !== null) td.dataset.v = String(v);
    return td;
  })));
  return el('table', { className: 'mac-grid' }, el('caption', { textContent: caption }), el('tbody', {}, ...rows));
}

// A convolution: channel buttons with their sums, then patch x kernel = products for the one shown.
function conv(e, base, { t, fmt, num, full, from, channel, onChannel }) {
  const ci = Math.min(channel, e.channels.length - 1), ch = e.channels[ci];
  const out = [el('p', { textContent: t('cnnConvWhat', { k: base.kernel, n: e.channels.length, from, s: base.stride, p: base.pad }) })];
  if (e.channels.length > 1) {
    const buttons = e.channels.map((c) => {
      const b = el('button', { type: 'button', className: 'small channel', textContent: `${c.channel + 1}: ${num(c.sum, 3)}`,
        ariaPressed: String(c.channel === ci), ariaLabel: t('cnnChannelSum', { c: c.channel + 1, v: full(c.sum) }) });
      b.addEventListener('click', () => onChannel(c.channel));
      return b;
    });
    out.push(el('div', { className: 'channels', role: 'group', ariaLabel: t('cnnChannels') },
      el('span', { textContent: `${t('cnnChannels')}:` }), ...buttons));
  }
  const products = ch.values.map((row, ky) => row.map((v, kx) => (v === null ? null : v * ch.weights[ky][kx])));
  out.push(el('div', { className: 'mac' },
    grid(ch.values, { caption: t('cnnPatch', { c: ch.channel + 1 }), num }), el('span', { className: 'op', textContent: '⊙' }),
    grid(ch.weights, { caption: t('cnnKernel'), num }), el('span', { className: 'op', textContent: '=' }),
    grid(products, { caption: t('cnnProducts'), num })));
  out.push(el('p', { className: 'sum-line', textContent: t('cnnChannelSumLine', { c: ch.channel + 1, v: full(ch.sum) })
    + (ch.values.flat().includes(null) ? ` ${t('cnnPadNote')}` : '') }));
  out.push(el('p', { className: 'sum-line strong', textContent: t('cnnConvSum', { n: e.channels.length, total: full(e.total),
    b: full(e.bias), z: full(e.z) }) }));
  return out;
}

// A pool: the window, its winner (max) or its sum and mean (average).
function pool(e, base, { t, num, full, from }) {
  const k = base.kernel;
  if (e.kind === 'maxpool') {
    const w = e.winner;
    return [el('p', { textContent: t('cnnMaxWhat', { k, from, s: base.stride }) }),
      el('div', { className: 'mac' }, grid(e.values, { caption: t('cnnWindow', { c: e.cell.c + 1 }), num,
        mark: (ky, kx) => (ky === w.ky && kx === w.kx ? 'winner' : '') })),
      el('p', { className: 'sum-line strong', textContent: t('cnnMaxLine', { v: full(e.z), y: w.ky + 1, x: w.kx + 1 }) })];
  }
  return [el('p', { textContent: t('cnnAvgWhat', { k, from, s: base.stride }) }),
    el('div', { className: 'mac' }, grid(e.values, { caption: t('cnnWindow', { c: e.cell.c + 1 }), num })),
    el('p', { className: 'sum-line strong', textContent: t('cnnAvgLine', { sum: full(e.sum), n: e.count, v: full(e.z) }) })];
}

// A dense unit: the sum over every input, its largest terms.
function dense(e, { t, fmt, num, full, from }) {
  const items = e.top.map((x) => el('li', { textContent: t('cnnTerm', { i: x.i + 1, w: num(x.w, 4), x: num(x.v, 4), t: num(x.t, 4) }) }));
  return [el('p', { textContent: t('cnnDenseWhat', { n: fmt.count(e.n), nz: fmt.count(e.nonzero), from }) }),
    el('p', { className: 'help', textContent: t('cnnTopTerms') }), el('ul', { className: 'terms' }, ...items),
    el('p', { className: 'sum-line strong', textContent: t('cnnDenseSum', { n: fmt.count(e.n), total: full(e.total), b: full(e.bias), z: full(e.z) }) })];
}

// The engine's own output for the cell, and how far the sum shown is from it.
function engineLine(e, { t, fmt, full }) {
  const diff = Math.abs(e.z - e.engine);
  return el('p', { className: 'engine-line', textContent: t('cnnEngine', { v: full(e.engine), k: e.base + 1,
    d: diff === 0 ? '0' : diff.toExponential(1).replace('.', fmt.decimal) }) });
}

// One elementwise layer after the base: its function on the value.
function chainLine(s, { t, full, layers, clicked }) {
  const k = s.layer + 1, d = layers[s.layer];
  let text;
  if (s.type === 'activation') {
    text = s.activation === 'relu' ? t('cnnRelu', { k, in: full(s.input), v: full(s.value) })
      : t('cnnAct', { k, f: t(s.activation), in: full(s.input), v: full(s.value) });
  } else if (s.type === 'batchnorm') {
    text = t('cnnBn', { k, in: full(s.input), g: full(s.gamma), b: full(s.beta), v: full(s.value) });
  } else text = t('cnnDropout', { k, v: full(s.value) });
  return el('p', { className: `chain-line${clicked ? ' strong' : ''}`, textContent: text, title: d.token });
}
