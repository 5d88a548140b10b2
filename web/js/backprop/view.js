// view.js: the "Backprop" view: the course's hand-sized examples (COURSE.md
// sections 2 and 4) computed live by the engine. Each preset is a tiny net
// with given weights and data; the tab draws it with its weights and
// activations and tables every activation, the error, every parameter and
// every gradient, and applies one SGD step at a time: on all the examples
// (full batch), or on one example at a time in the data's order (online
// SGD, as the exercises run it: the engine's train without shuffling).

import { el, svg } from '../shared/dom.js';

const PRESETS = {
  // COURSE.md section 4: every number of it must show here
  course: {
    inputs: 2, hidden: [2], outputs: 2, act: 'sigmoid', output: 'sigmoid', loss: 'se_half', lr: 0.5,
    params: [0.15, 0.20, 0.25, 0.30, 0.35, 0.35, 0.40, 0.45, 0.50, 0.55, 0.60, 0.60],
    x: [[0.05, 0.10]], y: [[0.01, 0.99]], editable: true,
  },
  // the 2-2-1 exercise: weights as given (rows = neurons), biases zero
  net221: {
    inputs: 2, hidden: [2], outputs: 1, act: 'sigmoid', output: 'sigmoid', loss: 'se_half', lr: 0.5,
    params: [0.5, -0.3, 0.7, -0.1, 0, 0, 0.2, -0.1, 0],
    x: [[-1, -1], [-1, 1], [1, 1], [1, -1]], y: [[0], [1], [0], [1]],
  },
  // the 1-D tanh neuron, from w = 0.1, b = 0
  neuron: {
    inputs: 1, hidden: [], outputs: 1, act: null, output: 'tanh', loss: 'se_half', lr: 0.1, params: [0.1, 0],
    x: [[-1.2], [0.3], [-0.1], [0.0], [-0.4], [0.7]], y: [[0], [1], [0], [1], [0], [1]],
  },
  // 2 x 2 images: solid, vertical, diagonal, horizontal (softmax, Xavier seed 1)
  pixels: {
    inputs: 4, hidden: [], outputs: 4, act: null, output: 'softmax', loss: 'softmax_ce', lr: 0.5, params: null,
    x: [[1, 1, 1, 1], [1, 0, 1, 0], [0, 1, 0, 1], [1, 0, 0, 1], [0, 1, 1, 0], [1, 1, 0, 0], [0, 0, 1, 1]],
    labels: [0, 1, 1, 2, 2, 3, 3],
  },
};
const fmt = (v) => (Number.isFinite(v) ? v.toFixed(9) : '—');
const list = (a) => `[${Array.from(a, fmt).join(', ')}]`;


export class BackpropView {
  /** root: #view-backprop; ctx: {nn, t} (the interface of every view: main.js). */
  constructor(root, ctx) {
    this.root = root;
    this.nn = ctx.nn;
    this.t = ctx.t;
    this.preset = 'course';
    this.steps = 0;
    this.online = false;
  }

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
    const step = el('button', { type: 'button', className: 'primary', textContent: t('exStep'), id: 'ex-step' });
    step.addEventListener('click', () => this.step());
    const reset = el('button', { type: 'button', textContent: t('exReset'), id: 'ex-reset' });
    reset.addEventListener('click', () => this.reset());
    this.diagram = svg('svg', { viewBox: '0 0 560 240', class: 'example-net', role: 'img', 'aria-label': t('exDiagram') });
    this.table = el('table', { className: 'example-table', id: 'ex-table' });
    this.forward = el('table', { className: 'example-table', id: 'ex-forward' });
    this.status = el('p', { className: 'stats', id: 'ex-status' });
    this.status.setAttribute('role', 'status');
    this.about = el('p', { className: 'why' });
    this.editable = el('div', {}, field('x1', 'x₁'), field('x2', 'x₂'), field('t1', 't₁'), field('t2', 't₂'));
    this.root.replaceChildren(
      el('div', { className: 'toolbar' }, step, reset),
      el('p', { className: 'why', textContent: t('exHelp') }),
      el('div', { className: 'example' },
        el('fieldset', { className: 'group' }, el('legend', { textContent: t('exInputs') }),
          el('div', { className: 'field stack' }, el('label', { htmlFor: 'ex-preset', textContent: t('exPreset') }), this.select),
          this.editable, this.modeField, field('lr', 'η'), this.about),
        el('div', { className: 'example-main' }, this.status, this.diagram, this.forward, this.table)));
  }

  /** The preset's net, weights and data; step count 0. */
  reset() {
    const P = PRESETS[this.preset];
    this.net?.free();
    this.data?.free();
    this.net = this.nn.createNet({
      inputs: P.inputs, layers: P.hidden.map((units) => ({ units, activation: P.act })), outputs: P.outputs,
      output: P.output, loss: P.loss, optimizer: { name: 'sgd', lr: P.lr }, maxBatch: 8, seed: 1,
    });
    if (P.params) this.net.params().set(P.params);
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

  step() {
    try {
      this.net.setLearningRate(Number(this.inputs.lr.value));
      // online: the next example in the data's order, through the engine's epoch
      if (this.online) this.net.train(this.data, { batchSize: 1, steps: 1, shuffle: false });
      else this.net.trainBatch(this.batch());
      this.steps += 1;
      this.refresh();
    } catch (e) {
      this.status.textContent = e.message;
    }
  }

  /** Recomputes and shows every value for the current parameters. */
  refresh() {
    const t = this.t, b = this.batch();
    // online, the gradient shown is the one the next step applies: the next example's
    const next = this.steps % b.n;
    let E, Eall;
    try {
      E = this.net.lossGrad(this.online ? this.one(b, next) : b);
      Eall = this.online ? this.net.loss(b) : E;
    } catch (e) {
      this.status.textContent = e.message;
      return;
    }
    const layers = this.net.layers(), g = this.net.grads();
    const acts = this.net.activations(b.x);
    const out = this.net.predict(b.x);
    this.status.textContent = this.online
      ? t('exStatusOnline', { n: this.steps, k: next + 1, m: b.n, e: fmt(E), E: fmt(Eall) })
      : t(b.n > 1 ? 'exStatusMean' : 'exStatus', { n: this.steps, E: fmt(E), m: b.n });
    // forward values, one row per example
    const hiddenActs = layers.map((l, i) => (l.type === 'activation' ? acts[i] : null)).filter(Boolean);
    const width = (a) => a.length / b.n;
    const fwdRows = Array.from({ length: b.n }, (_, e) => el('tr', { className: this.online && e === next ? 'next' : '' },
      el('td', { textContent: list(b.x.subarray(e * this.net.inputs, (e + 1) * this.net.inputs)) }),
      ...hiddenActs.map((a) => el('td', { textContent: list(a.subarray(e * width(a), (e + 1) * width(a))) })),
      el('td', { textContent: list(out.subarray(e * this.net.outputs, (e + 1) * this.net.outputs)) }),
      el('td', { textContent: b.labels ? String(b.labels[e]) : list(b.y.subarray(e * this.net.outputs, (e + 1) * this.net.outputs)) })));
    this.forward.replaceChildren(el('caption', { textContent: t('exForward') }),
      el('thead', {}, el('tr', {}, el('th', { textContent: 'x' }), ...hiddenActs.map((_, k) => el('th', { textContent: `h${k + 1}` })),
        el('th', { textContent: 'o' }), el('th', { textContent: t('exTarget') }))),
      el('tbody', {}, ...fwdRows));
    // parameters and gradients, layer by layer, W row by row (rows = neurons)
    const rows = [];
    let d = 0;
    const dense = layers.filter((l) => l.type === 'dense');
    dense.forEach((l) => {
      d += 1;
      const name = d === dense.length ? 'out' : `hid${dense.length > 2 ? d : ''}`;
      for (let j = 0; j < l.outputs; j++) {
        const w = l.W.subarray(j * l.inputs, (j + 1) * l.inputs);
        const gw = g.subarray(l.wOffset + j * l.inputs, l.wOffset + (j + 1) * l.inputs);
        rows.push([`W_${name}[${j + 1}]`, list(w), list(gw)]);
      }
      rows.push([`b_${name}`, list(l.b), list(g.subarray(l.bOffset, l.bOffset + l.outputs))]);
    });
    this.table.replaceChildren(el('caption', { textContent: t('exTable') }),
      el('thead', {}, el('tr', {}, el('th', { textContent: '' }), el('th', { textContent: t('exValue') }), el('th', { textContent: t('exGradient') }))),
      el('tbody', {}, ...rows.map(([k, a, c]) => el('tr', {}, el('th', { textContent: k, scope: 'row' }),
        el('td', { textContent: a }), el('td', { textContent: c })))));
    // the example the next step uses (online), else the first
    const e = this.online ? next : 0;
    this.drawNet(b.x.subarray(e * this.net.inputs, (e + 1) * this.net.inputs),
      hiddenActs.map((a) => a.subarray(e * width(a), (e + 1) * width(a))), out.subarray(e * this.net.outputs, (e + 1) * this.net.outputs), dense);
  }

  /** The net for one example: values in the neurons, weights on the links. */
  drawNet(x, hidden, out, dense) {
    const cols = [x, ...hidden, out];
    const names = ['x', ...hidden.map((_, k) => (hidden.length > 1 ? `h${k + 1}.` : 'h')), 'o'];
    const W = 560, H = 240, most = Math.max(...cols.map((c) => c.length));
    const r = Math.min(22, (H - 40) / (most * 2.6));
    const pos = cols.map((c, ci) => Array.from(c, (_, u) => [40 + (ci * (W - 80)) / (cols.length - 1),
      30 + ((u + 0.5) * (H - 40)) / c.length]));
    const kids = [];
    const labels = dense.reduce((s, l) => s + l.inputs * l.outputs, 0) <= 8;
    dense.forEach((l, ci) => {
      for (let j = 0; j < l.outputs; j++) {
        for (let i = 0; i < l.inputs; i++) {
          const a = pos[ci][i], c = pos[ci + 1][j], w = l.W[j * l.inputs + i];
          const link = svg('line', { x1: a[0] + r, y1: a[1], x2: c[0] - r, y2: c[1], stroke: w >= 0 ? '#0072B2' : '#E69F00',
            'stroke-width': 1 + 3 * Math.min(1, Math.abs(w)) });
          link.append(svg('title', {}, w.toFixed(6)));
          kids.push(link);
          // labels of straight links mid-way, of crossing ones near their source
          const f = i === j ? 0.5 : 0.27;
          if (labels) kids.push(svg('text', { x: a[0] + (c[0] - a[0]) * f, y: a[1] + (c[1] - a[1]) * f - 5, 'text-anchor': 'middle' }, w.toFixed(4)));
        }
      }
    });
    cols.forEach((c, ci) => Array.from(c).forEach((v, u) => {
      const [px, py] = pos[ci][u];
      kids.push(svg('circle', { cx: px, cy: py, r, fill: '#fff', stroke: '#333' }),
        svg('text', { x: px, y: py + 4, 'text-anchor': 'middle' }, v.toFixed(3)),
        svg('text', { x: px, y: py - r - 4, 'text-anchor': 'middle' }, `${names[ci]}${toSub(u + 1)}`));
    }));
    this.diagram.replaceChildren(...kids);
  }
}

const toSub = (n) => String(n).replace(/\d/g, (d) => '₀₁₂₃₄₅₆₇₈₉'[d]);
