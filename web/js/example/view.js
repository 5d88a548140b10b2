// view.js: the "Backprop" tab, the worked example of the course (COURSE.md
// section 4) computed live by the engine: a 2-2-2 sigmoid net with
// E = 1/2 sum (t - o)^2, its forward values, every gradient, and the
// parameters after each SGD step. The teacher can change the input, the
// target and the learning rate, step, and go back to the course's numbers.

const COURSE = {
  x: [0.05, 0.10], t: [0.01, 0.99], lr: 0.5,
  // W_hid (row = neuron), b_hid, W_out, b_out: the engine's parameter layout
  params: [0.15, 0.20, 0.25, 0.30, 0.35, 0.35, 0.40, 0.45, 0.50, 0.55, 0.60, 0.60],
};
const SVG = 'http://www.w3.org/2000/svg';
const fmt = (v) => (Number.isFinite(v) ? v.toFixed(9) : '—');

const el = (tag, props = {}, ...kids) => {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...kids);
  return e;
};

export class ExampleView {
  constructor(root, { nn, t }) {
    this.root = root;
    this.nn = nn;
    this.t = t;
    this.steps = 0;
  }

  open() {
    this.build();
    this.reset();
    this.root.dataset.ready = '1';
  }

  build() {
    const t = this.t;
    const num = (id, value) => {
      const i = el('input', { type: 'number', step: 'any', id, value: String(value) });
      i.addEventListener('change', () => this.refresh());
      return i;
    };
    this.inputs = {
      x1: num('ex-x1', COURSE.x[0]), x2: num('ex-x2', COURSE.x[1]),
      t1: num('ex-t1', COURSE.t[0]), t2: num('ex-t2', COURSE.t[1]), lr: num('ex-lr', COURSE.lr),
    };
    const field = (key, label) => el('div', { className: 'field' }, el('label', { htmlFor: this.inputs[key].id, textContent: label }), this.inputs[key]);
    const step = el('button', { type: 'button', className: 'primary', textContent: t('exStep'), id: 'ex-step' });
    step.addEventListener('click', () => this.step());
    const reset = el('button', { type: 'button', textContent: t('exReset'), id: 'ex-reset' });
    reset.addEventListener('click', () => this.reset());
    this.diagram = document.createElementNS(SVG, 'svg');
    this.diagram.setAttribute('viewBox', '0 0 520 220');
    this.diagram.setAttribute('class', 'example-net');
    this.diagram.setAttribute('role', 'img');
    this.diagram.setAttribute('aria-label', t('exDiagram'));
    this.table = el('table', { className: 'example-table', id: 'ex-table' });
    this.status = el('p', { className: 'stats', id: 'ex-status' });
    this.status.setAttribute('role', 'status');
    this.root.replaceChildren(
      el('div', { className: 'toolbar' }, step, reset),
      el('p', { className: 'why', textContent: t('exHelp') }),
      el('div', { className: 'example' },
        el('fieldset', { className: 'group' }, el('legend', { textContent: t('exInputs') }),
          field('x1', 'x₁'), field('x2', 'x₂'), field('t1', 't₁'), field('t2', 't₂'), field('lr', 'η')),
        el('div', { className: 'example-main' }, this.status, this.diagram, this.table)));
  }

  /** Back to the course's weights (and inputs); step count 0. */
  reset() {
    this.net?.free();
    this.net = this.nn.createNet({ inputs: 2, layers: [{ units: 2, activation: 'sigmoid' }], outputs: 2,
      output: 'sigmoid', loss: 'se_half', optimizer: { name: 'sgd', lr: COURSE.lr }, maxBatch: 1 });
    this.net.params().set(COURSE.params);
    Object.entries({ x1: COURSE.x[0], x2: COURSE.x[1], t1: COURSE.t[0], t2: COURSE.t[1], lr: COURSE.lr })
      .forEach(([k, v]) => { this.inputs[k].value = String(v); });
    this.steps = 0;
    this.refresh();
  }

  batch() {
    const v = (k) => Number(this.inputs[k].value);
    return { x: new Float32Array([v('x1'), v('x2')]), y: new Float32Array([v('t1'), v('t2')]) };
  }

  step() {
    try {
      this.net.setLearningRate(Number(this.inputs.lr.value));
      this.net.trainBatch(this.batch());
      this.steps += 1;
      this.refresh();
    } catch (e) {
      this.status.textContent = e.message;
    }
  }

  /** Recomputes and shows every value for the current parameters. */
  refresh() {
    const t = this.t, b = this.batch();
    let E;
    try {
      E = this.net.lossGrad(b);
    } catch (e) {
      this.status.textContent = e.message;
      return;
    }
    const p = this.net.params(), g = this.net.grads();
    const acts = this.net.activations(b.x);
    const h = acts[1], o = this.net.predict(b.x);
    this.status.textContent = t('exStatus', { n: this.steps, E: fmt(E) });
    const rows = [
      [t('exHidden'), `h₁ = ${fmt(h[0])}`, `h₂ = ${fmt(h[1])}`],
      [t('exOutput'), `o₁ = ${fmt(o[0])}`, `o₂ = ${fmt(o[1])}`],
      ['E = ½ Σ (t − o)²', fmt(E), ''],
      ['W_hid', `[${fmt(p[0])}, ${fmt(p[1])}]`, `[${fmt(p[2])}, ${fmt(p[3])}]`],
      ['b_hid', fmt(p[4]), fmt(p[5])],
      ['W_out', `[${fmt(p[6])}, ${fmt(p[7])}]`, `[${fmt(p[8])}, ${fmt(p[9])}]`],
      ['b_out', fmt(p[10]), fmt(p[11])],
      ['∂E/∂W_hid', `[${fmt(g[0])}, ${fmt(g[1])}]`, `[${fmt(g[2])}, ${fmt(g[3])}]`],
      ['∂E/∂b_hid', fmt(g[4]), fmt(g[5])],
      ['∂E/∂W_out', `[${fmt(g[6])}, ${fmt(g[7])}]`, `[${fmt(g[8])}, ${fmt(g[9])}]`],
      ['∂E/∂b_out', fmt(g[10]), fmt(g[11])],
    ];
    const head = el('tr', {}, el('th', { textContent: '' }), el('th', { textContent: t('exNeuron', { k: 1 }) }),
      el('th', { textContent: t('exNeuron', { k: 2 }) }));
    this.table.replaceChildren(el('caption', { textContent: t('exTable') }), el('thead', {}, head),
      el('tbody', {}, ...rows.map(([k, a, c]) => el('tr', {}, el('th', { textContent: k, scope: 'row' }),
        el('td', { textContent: a }), el('td', { textContent: c })))));
    this.drawNet(b, h, o, p);
  }

  drawNet(b, h, o, p) {
    const svg = this.diagram, pos = { x: [[40, 60], [40, 160]], h: [[260, 60], [260, 160]], o: [[480, 60], [480, 160]] };
    const kids = [];
    const line = (a, c, w, label, f) => {
      const l = document.createElementNS(SVG, 'line');
      Object.entries({ x1: a[0] + 22, y1: a[1], x2: c[0] - 22, y2: c[1], stroke: w >= 0 ? '#0072B2' : '#E69F00',
        'stroke-width': 1 + 3 * Math.min(1, Math.abs(w)) }).forEach(([k, v]) => l.setAttribute(k, v));
      const tx = document.createElementNS(SVG, 'text');
      tx.setAttribute('x', a[0] + (c[0] - a[0]) * f);
      tx.setAttribute('y', a[1] + (c[1] - a[1]) * f - 5);
      tx.setAttribute('text-anchor', 'middle');
      tx.textContent = label;
      kids.push(l, tx);
    };
    // labels of straight links mid-way, of crossing ones near their source
    const at = (i, j) => (i === j ? 0.5 : 0.27);
    for (let j = 0; j < 2; j++) for (let i = 0; i < 2; i++) line(pos.x[i], pos.h[j], p[j * 2 + i], p[j * 2 + i].toFixed(4), at(i, j));
    for (let j = 0; j < 2; j++) for (let i = 0; i < 2; i++) line(pos.h[i], pos.o[j], p[6 + j * 2 + i], p[6 + j * 2 + i].toFixed(4), at(i, j));
    const node = (c, value, name) => {
      const circle = document.createElementNS(SVG, 'circle');
      Object.entries({ cx: c[0], cy: c[1], r: 22, fill: '#fff', stroke: '#333' }).forEach(([k, v]) => circle.setAttribute(k, v));
      const tx = document.createElementNS(SVG, 'text');
      tx.setAttribute('x', c[0]);
      tx.setAttribute('y', c[1] + 4);
      tx.setAttribute('text-anchor', 'middle');
      tx.textContent = value.toFixed(3);
      const nm = document.createElementNS(SVG, 'text');
      nm.setAttribute('x', c[0]);
      nm.setAttribute('y', c[1] - 28);
      nm.setAttribute('text-anchor', 'middle');
      nm.textContent = name;
      kids.push(circle, tx, nm);
    };
    node(pos.x[0], b.x[0], 'x₁'); node(pos.x[1], b.x[1], 'x₂');
    node(pos.h[0], h[0], 'h₁'); node(pos.h[1], h[1], 'h₂');
    node(pos.o[0], o[0], 'o₁'); node(pos.o[1], o[1], 'o₂');
    svg.replaceChildren(...kids);
  }
}
