// view.js: the "Backprop" view: the course's hand-sized examples (COURSE.md
// sections 2 and 4) computed live by the engine. Each preset is a tiny net
// with given weights and data. The view draws it (weights, biases, and for
// every neuron its net input z, its output and its delta δ = ∂E/∂z), tables
// the forward pass, and shows the next SGD step as before → after for every
// parameter, with E after it both with the biases updated and frozen. A step
// is on all the examples (full batch) or on the next one in the data's order
// (online SGD, as the exercises run it: the engine's train without shuffling).

import { el, svg } from '../shared/dom.js';
import { short, punctuate, NNBSP } from '../shared/format.js';
import { PRESETS, f32Digits, paramNames } from './model.js';

const toSub = (n) => String(n).replace(/\d/g, (d) => '₀₁₂₃₄₅₆₇₈₉'[d]);
const POS = '#0072B2', NEG = '#E69F00';

export class BackpropView {
  /** root: #view-backprop; ctx: {nn, t, state} (the interface of every view: main.js). */
  constructor(root, ctx) {
    this.root = root;
    this.ctx = ctx;
    this.nn = ctx.nn;
    this.t = (key, values) => punctuate(this.lang, ctx.t(key, values));
    this.preset = 'course';
    this.steps = 0;
    this.online = false;
    this.frozen = false;
    this.shown = 0;
  }

  get lang() { return this.ctx.state.page.lang; }

  /** A value as float32 carries it, in the page's language: 0.15, not 0.150000006. */
  num(v) { return short(this.lang, v, f32Digits(v)); }

  /** A vector of values, separated as the language separates decimals. */
  list(a) { return `(${Array.from(a, (v) => this.num(v)).join(this.lang === 'fr' ? `${NNBSP}; ` : ', ')})`; }

  open() {
    if (this.net) return;
    this.build();
    this.reset();
    this.root.dataset.ready = '1';
  }

  /** The language changed: build the texts again (the example starts over). */
  apply(group, name) {
    if (group === 'page' && name === 'lang' && this.net) {
      this.build();
      this.select.value = this.preset;
      this.reset();
    }
  }

  frame() {}

  close() {}

  /** Keyboard: → applies one step. */
  key(e) {
    if (e.key !== 'ArrowRight') return false;
    this.step();
    return true;
  }

  fail(e) { this.status.textContent = e.message; }

  build() {
    const t = this.t;
    const num = (id, value) => {
      const i = el('input', { type: 'number', step: 'any', id, value: String(value) });
      i.addEventListener('change', () => this.refresh());
      return i;
    };
    this.inputs = { x1: num('ex-x1', 0), x2: num('ex-x2', 0), t1: num('ex-t1', 0), t2: num('ex-t2', 0), lr: num('ex-lr', 0.5) };
    const field = (key, label) => el('div', { className: `field ex-${key}` }, el('label', { htmlFor: this.inputs[key].id, textContent: label }), this.inputs[key]);
    this.select = el('select', { id: 'ex-preset' });
    for (const k of Object.keys(PRESETS)) this.select.append(el('option', { value: k, textContent: t(`ex_${k}`) }));
    this.select.addEventListener('change', () => { this.preset = this.select.value; this.reset(); });
    this.mode = el('select', { id: 'ex-mode' });
    this.mode.append(el('option', { value: 'batch', textContent: t('exFullBatch') }),
      el('option', { value: 'online', textContent: t('exOnline') }));
    this.mode.addEventListener('change', () => { this.online = this.mode.value === 'online'; this.reset(); });
    this.modeField = el('div', { className: 'field stack' }, el('label', { htmlFor: 'ex-mode', textContent: t('exMode') }), this.mode);
    this.freeze = el('input', { type: 'checkbox', id: 'ex-freeze', checked: this.frozen });
    this.freeze.addEventListener('change', () => { this.frozen = this.freeze.checked; this.refresh(); });
    const freezeField = el('div', { className: 'field ex-freeze-field' }, this.freeze,
      el('label', { htmlFor: 'ex-freeze', textContent: t('exFreeze') }));
    const step = el('button', { type: 'button', className: 'primary', textContent: t('exStep'), id: 'ex-step' });
    step.addEventListener('click', () => this.step());
    const reset = el('button', { type: 'button', textContent: t('exReset'), id: 'ex-reset' });
    reset.addEventListener('click', () => this.reset());
    this.diagram = svg('svg', { class: 'example-net', role: 'img', id: 'ex-diagram' });
    this.neurons = el('table', { className: 'example-table', id: 'ex-neurons' });
    this.forward = el('table', { className: 'example-table', id: 'ex-forward' });
    this.table = el('table', { className: 'example-table', id: 'ex-table' });
    this.status = el('p', { className: 'stats', id: 'ex-status' });
    this.status.setAttribute('role', 'status');
    this.after = el('div', { className: 'ex-after', id: 'ex-after' });
    this.about = el('p', { className: 'why' });
    this.editable = el('div', {}, field('x1', 'x₁'), field('x2', 'x₂'), field('t1', 't₁'), field('t2', 't₂'));
    this.root.replaceChildren(
      el('div', { className: 'toolbar' }, step, reset),
      el('p', { className: 'why', textContent: t('exHelp') }),
      el('div', { className: 'example' },
        el('fieldset', { className: 'group' }, el('legend', { textContent: t('exInputs') }),
          el('div', { className: 'field stack' }, el('label', { htmlFor: 'ex-preset', textContent: t('exPreset') }), this.select),
          this.editable, this.modeField, field('lr', 'η'), freezeField, this.about),
        el('div', { className: 'example-main' }, this.status,
          el('figure', { className: 'ex-figure' }, this.diagram, el('figcaption', { textContent: t('exDiagramHelp') })),
          el('div', { className: 'ex-neurons' }, this.neurons),
          el('section', { className: 'ex-step' }, el('h2', { textContent: t('exNextStep') }), this.after, this.table),
          el('div', { className: 'ex-forward' }, this.forward))));
  }

  /** The preset's net (and a scratch twin for the previews), weights and data; step count 0. */
  reset() {
    const P = PRESETS[this.preset];
    for (const o of [this.net, this.scratch, this.data]) o?.free();
    const options = {
      inputs: P.inputs, layers: P.hidden.map((units) => ({ units, activation: P.act })), outputs: P.outputs,
      output: P.output, loss: P.loss, optimizer: { name: 'sgd', lr: P.lr }, maxBatch: 8, seed: 1,
    };
    this.net = this.nn.createNet(options);
    this.scratch = this.nn.createNet(options);
    if (P.params) this.net.params().set(P.params);
    this.names = paramNames(this.net.layers());
    this.editable.hidden = !P.editable;
    // one example: full batch and online are the same thing
    this.modeField.hidden = P.x.length < 2;
    if (P.x.length < 2) this.online = false;
    this.mode.value = this.online ? 'online' : 'batch';
    const all = this.batch();
    this.data = this.nn.data({ x: all.x, y: all.y ?? null, labels: all.labels ?? null, dims: P.inputs,
      targetDims: all.y ? P.outputs : undefined });
    if (P.editable) {
      [this.inputs.x1.value, this.inputs.x2.value] = P.x[0].map(String);
      [this.inputs.t1.value, this.inputs.t2.value] = P.y[0].map(String);
    }
    this.inputs.lr.value = String(P.lr);
    this.about.textContent = this.t(`exAbout_${this.preset}`);
    this.steps = 0;
    this.shown = 0;
    this.refresh();
  }

  batch() {
    const P = PRESETS[this.preset];
    if (P.editable) {
      const v = (k) => Number(this.inputs[k].value);
      return { x: new Float32Array([v('x1'), v('x2')]), y: new Float32Array([v('t1'), v('t2')]), n: 1 };
    }
    const b = { x: new Float32Array(P.x.flat()), n: P.x.length };
    if (P.labels) b.labels = new Int32Array(P.labels);
    else b.y = new Float32Array(P.y.flat());
    return b;
  }

  /** Example i of a batch, as a batch of one. */
  one(b, i) {
    const ni = this.net.inputs, no = this.net.outputs;
    const r = { x: b.x.slice(i * ni, (i + 1) * ni), n: 1 };
    if (b.labels) r.labels = b.labels.slice(i, i + 1);
    else r.y = b.y.slice(i * no, (i + 1) * no);
    return r;
  }

  /** The offsets of every bias in the parameter array. */
  biasIndices() {
    return this.net.layers().filter((l) => l.type === 'dense').flatMap((l) => Array.from({ length: l.outputs }, (_, j) => l.bOffset + j));
  }

  /**
   * One SGD step of `net` as the Step button takes it. Frozen biases: the
   * engine takes the whole step, then the biases are written back from a copy
   * taken before it; with plain SGD (no momentum, no penalty on biases) that is
   * exactly a step on the weights alone.
   */
  stepNet(net, b, { frozen = this.frozen, inOrder = false } = {}) {
    const keep = frozen ? this.biasIndices().map((i) => [i, net.params()[i]]) : [];
    net.setLearningRate(Number(this.inputs.lr.value));
    // online: the next example in the data's order, through the engine's epoch
    if (inOrder) net.train(this.data, { batchSize: 1, steps: 1, shuffle: false });
    else net.trainBatch(b);
    const p = net.params();
    for (const [i, v] of keep) p[i] = v;
  }

  step() {
    try {
      this.stepNet(this.net, this.batch(), { inOrder: this.online });
      this.steps += 1;
      this.refresh();
    } catch (e) {
      this.status.textContent = e.message;
    }
  }

  /** What the next step gives, on the scratch net: {params, E} with the biases updated or frozen. */
  preview(stepBatch, all, frozen) {
    this.scratch.params().set(this.net.params());
    this.stepNet(this.scratch, stepBatch, { frozen });
    return { params: Float32Array.from(this.scratch.params()), E: this.scratch.loss(all) };
  }

  /** Recomputes and shows every value for the current parameters. */
  refresh() {
    const t = this.t, b = this.batch();
    // online, the gradient shown is the one the next step applies: the next example's
    const next = this.steps % b.n;
    const stepBatch = this.online ? this.one(b, next) : b;
    if (this.online) this.shown = next;
    let E, Eall, deltas, after;
    try {
      // per example, δ = ∂E/∂z of each dense layer is the gradient of its biases
      const dense = this.net.layers().filter((l) => l.type === 'dense');
      deltas = Array.from({ length: b.n }, (_, e) => {
        this.net.lossGrad(this.one(b, e));
        const g = this.net.grads();
        return dense.map((l) => Float32Array.from(g.subarray(l.bOffset, l.bOffset + l.outputs)));
      });
      after = { updated: this.preview(stepBatch, b, false), frozen: this.preview(stepBatch, b, true) };
      // last, so that grads() holds the gradient the next step applies
      E = this.net.lossGrad(stepBatch);
      Eall = this.online ? this.net.loss(b) : E;
    } catch (e) {
      this.status.textContent = e.message;
      return;
    }
    const n = (v) => this.num(v);
    this.status.textContent = this.online
      ? t('exStatusOnline', { n: this.steps, k: next + 1, m: b.n, e: n(E), E: n(Eall) })
      : t(b.n > 1 ? 'exStatusMean' : 'exStatus', { n: this.steps, E: n(E), m: b.n });
    const layers = this.net.layers();
    const acts = this.net.activations(b.x), out = this.net.predict(b.x);
    // per layer of neurons: z (the dense layer's output), the value after the activation, δ
    const dense = layers.filter((l) => l.type === 'dense');
    const cols = dense.map((l, k) => {
      const i = layers.indexOf(l), last = k === dense.length - 1;
      return { z: acts[i], h: last ? out : acts[i + 1], width: l.outputs, k, name: last ? 'o' : dense.length > 2 ? `h${k + 1},` : 'h' };
    });
    const row = (a, w, e) => a.subarray(e * w, (e + 1) * w);
    const ex = Math.min(this.shown, b.n - 1);
    this.drawNeurons(cols, deltas[ex], ex, b.n);
    this.drawForward(b, cols, deltas, next);
    this.drawStep(after);
    this.drawNet(row(b.x, this.net.inputs, ex), cols.map((c) => ({ ...c, z: row(c.z, c.width, ex), h: row(c.h, c.width, ex) })),
      deltas[ex], dense);
  }

  /** One row per neuron for the example shown: z, its output, δ. */
  drawNeurons(cols, delta, ex, n) {
    const t = this.t;
    const rows = cols.flatMap((c) => Array.from({ length: c.width }, (_, j) => el('tr', {},
      el('th', { scope: 'row', textContent: `${c.name}${toSub(j + 1)}` }),
      el('td', { textContent: this.num(c.z[ex * c.width + j]) }),
      el('td', { textContent: this.num(c.h[ex * c.width + j]) }),
      el('td', { textContent: this.num(delta[c.k][j]) }))));
    this.neurons.replaceChildren(el('caption', { textContent: n > 1 ? t('exNeuronsOf', { k: ex + 1 }) : t('exNeurons') }),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col', textContent: t('exNeuron') }), el('th', { scope: 'col', textContent: t('exZ') }),
        el('th', { scope: 'col', textContent: t('exOut') }), el('th', { scope: 'col', textContent: t('exDelta') }))),
      el('tbody', {}, ...rows));
  }

  /** Forward values, one row per example (click one to show it in the diagram). */
  drawForward(b, cols, deltas, next) {
    const t = this.t, ni = this.net.inputs, no = this.net.outputs;
    const slice = (a, w, e) => this.list(a.subarray(e * w, (e + 1) * w));
    const rows = Array.from({ length: b.n }, (_, e) => {
      const tr = el('tr', { className: [this.online && e === next ? 'next' : '', e === this.shown ? 'shown' : ''].join(' ').trim() },
        el('td', { textContent: slice(b.x, ni, e) }),
        ...cols.flatMap((c) => [el('td', { textContent: slice(c.z, c.width, e) }), el('td', { textContent: slice(c.h, c.width, e) })]),
        el('td', { textContent: b.labels ? String(b.labels[e]) : slice(b.y, no, e) }),
        ...cols.map((c) => el('td', { textContent: this.list(deltas[e][c.k]) })));
      if (b.n > 1 && !this.online) {
        tr.tabIndex = 0;
        const pick = () => { this.shown = e; this.refresh(); };
        tr.addEventListener('click', pick);
        tr.addEventListener('keydown', (k) => { if (k.key === 'Enter' || k.key === ' ') { k.preventDefault(); pick(); } });
      }
      return tr;
    });
    const th = (text) => el('th', { scope: 'col', textContent: text });
    this.forward.replaceChildren(el('caption', { textContent: t(b.n > 1 && !this.online ? 'exForwardPick' : 'exForward') }),
      el('thead', {}, el('tr', {}, th('x'), ...cols.flatMap((c) => [th(`z (${c.name})`), th(c.name)]), th(t('exTarget')),
        ...cols.map((c) => th(`δ (${c.name})`)))),
      el('tbody', {}, ...rows));
  }

  /** The next step, parameter by parameter: before, gradient, after; and E after it both ways. */
  drawStep(after) {
    const t = this.t, p = this.net.params(), g = this.net.grads();
    const biases = new Set(this.biasIndices());
    const chosen = this.frozen ? after.frozen : after.updated;
    const rows = this.names.map((name, i) => el('tr', { className: this.frozen && biases.has(i) ? 'frozen' : '' },
      el('th', { scope: 'row', textContent: name }),
      el('td', { textContent: this.num(p[i]) }),
      el('td', { textContent: this.num(g[i]) }),
      el('td', { textContent: this.num(chosen.params[i]) + (this.frozen && biases.has(i) ? ` (${t('exFrozenMark')})` : '') })));
    const th = (text) => el('th', { scope: 'col', textContent: text });
    this.table.replaceChildren(el('caption', { textContent: t('exTable') }),
      el('thead', {}, el('tr', {}, th(t('exParam')), th(t('exBefore')), th(t('exGradient')), th(t('exAfter')))),
      el('tbody', {}, ...rows));
    const figure = (key, v, on) => el('li', { className: on ? 'chosen' : '' }, `${t(key)} `, el('strong', { textContent: this.num(v.E) }));
    const kids = [el('p', { textContent: t('exAfterE') }),
      el('ul', {}, figure('exEUpdated', after.updated, !this.frozen), figure('exEFrozen', after.frozen, this.frozen)),
      el('p', { className: 'why', textContent: t('exFreezeHow') })];
    if (this.preset === 'course') kids.push(el('p', { className: 'why', id: 'ex-course-e', textContent: t('exCourseE') }));
    this.after.replaceChildren(...kids);
  }

  /** The net for one example: inputs, then per layer z, output and δ in each neuron; weights and biases on the links. */
  drawNet(x, cols, delta, dense) {
    const t = this.t, n = (v) => this.num(v);
    const values = [x, ...cols.map((c) => c.h)];
    const names = ['x', ...cols.map((c) => c.name)];
    const most = Math.max(...values.map((c) => c.length));
    // nodes are boxes wide enough for nine significant digits
    const W = 600, slot = 88, top = 22, bias = 44, H = top + most * slot + bias;
    const bw = 43, bh = 14;
    const colX = (ci) => 52 + (ci * (W - 160)) / (values.length - 1);
    const pos = values.map((c, ci) => Array.from(c, (_, u) => [colX(ci), top + (u + 0.5) * ((most * slot) / c.length)]));
    const biasPos = values.slice(0, -1).map((_, ci) => [colX(ci) + 30, H - 20]);
    const kids = [];
    const labelled = dense.reduce((s, l) => s + (l.inputs + 1) * l.outputs, 0) <= 12;
    const link = (a, c, w, dash, label, f) => {
      const line = svg('line', { x1: a[0], y1: a[1], x2: c[0], y2: c[1], stroke: w >= 0 ? POS : NEG,
        'stroke-width': 1 + 3 * Math.min(1, Math.abs(w)), ...(dash ? { 'stroke-dasharray': '5 3' } : {}) });
      line.append(svg('title', {}, `${label} = ${n(w)}`));
      kids.push(line);
      if (labelled) {
        kids.push(svg('text', { x: a[0] + (c[0] - a[0]) * f, y: a[1] + (c[1] - a[1]) * f - 4, 'text-anchor': 'middle', class: 'w' }, n(w)));
      }
    };
    dense.forEach((l, ci) => {
      for (let j = 0; j < l.outputs; j++) {
        const c = pos[ci + 1][j];
        for (let i = 0; i < l.inputs; i++) {
          const a = pos[ci][i];
          // labels of straight links mid-way, of crossing ones near their source
          link([a[0] + bw, a[1]], [c[0] - bw, c[1]], l.W[j * l.inputs + i], false,
            `w ${names[ci]}${toSub(i + 1)} → ${names[ci + 1]}${toSub(j + 1)}`, i === j ? 0.5 : 0.28);
        }
        link(biasPos[ci], [c[0] - bw + 2, c[1] + 8], l.b[j], true, `b ${names[ci + 1]}${toSub(j + 1)}`, 0.62);
      }
    });
    biasPos.forEach(([bx, by]) => kids.push(svg('rect', { x: bx - 10, y: by - 10, width: 20, height: 20, rx: 4, class: 'bias' }),
      svg('text', { x: bx, y: by + 4, 'text-anchor': 'middle' }, '1')));
    values.forEach((c, ci) => Array.from(c).forEach((v, u) => {
      const [px, py] = pos[ci][u];
      const name = `${names[ci]}${toSub(u + 1)}`;
      kids.push(svg('rect', { x: px - bw, y: py - bh, width: 2 * bw, height: 2 * bh, rx: bh, class: 'neuron' }),
        svg('text', { x: px, y: py + 4, 'text-anchor': 'middle', class: 'v' }, n(v)),
        svg('text', { x: px, y: py - bh - 5, 'text-anchor': 'middle', class: 'name' }, name));
      if (ci > 0) {
        const col = cols[ci - 1];
        // left-aligned a little right of the node's edge, clear of the bias link
        kids.push(svg('text', { x: px - bw + 12, y: py + bh + 13, class: 'z' }, `z ${n(col.z[u])}`),
          svg('text', { x: px - bw + 12, y: py + bh + 26, class: 'd' }, `δ ${n(delta[col.k][u])}`));
      }
    }));
    this.diagram.setAttribute('viewBox', `0 0 ${W} ${H}`);
    this.diagram.setAttribute('aria-label', t('exDiagram'));
    this.diagram.replaceChildren(...kids);
  }
}
