// main.js: wires the page. It reads the state from the URL, loads the engine,
// builds the trainer and the views, routes control changes to the right
// rebuild (data, net, live or view), and runs one training slice and one
// redraw per animation frame. Nothing here computes: see trainer.js and views/.
import { load } from '../lib/nnplay.mjs';
import * as S from './state.js';
import { t as translate } from './i18n.js';
import { Trainer } from './trainer.js';
import { nearest } from './datasets.js';
import { Boundary } from './views/boundary.js';
import { NetworkView } from './views/network.js';
import { LossChart } from './views/chart.js';
import { Controls } from './views/controls.js';
import { SharePanel } from './views/share.js';
import { MnistView } from './mnist/view.js';
import { ExampleView } from './example/view.js';

const $ = (id) => document.getElementById(id);
const FRAME_BUDGET_MS = 10;

const state = S.parse(location.hash || location.search);
const t = (key, values) => translate(state.lang, key, values);
let nn, trainer, boundary, diagram, chart, controls, share, mnist = null, example = null;
let playing = false, dirty = true, selected = null, addClass = 0, diagramNames = [], diagramKey = '';
const speed = { steps: 0, since: performance.now(), rate: 0 };

function applyChrome() {
  document.documentElement.lang = state.lang;
  document.title = t('title');
  document.body.classList.toggle('embed', state.embed);
  document.body.dataset.hide = state.hide.join(' ');
  const groups = ['dataset', 'data', 'features', 'network', 'training'];
  document.body.classList.toggle('no-controls', state.embed && groups.every((g) => state.hide.includes(g)));
  showView();
  for (const [id, key] of [['btn-step', 'step'], ['btn-epoch', 'stepEpoch'], ['btn-reset', 'reset'],
    ['btn-new', 'newWeights'], ['btn-regen', 'regenerate']]) $(id).textContent = t(key);
  $('title').textContent = t('title');
  $('tab-backprop').textContent = t('exTab');
  $('boundary-caption').textContent = t('boundary');
  $('diagram').setAttribute('aria-label', t('diagram'));
  $('chart').setAttribute('aria-label', t('lossChart'));
  $('click-help').textContent = t('clickHelp');
  setPlaying(playing);
}

function setPlaying(on) {
  playing = on && !trainer?.diverged;
  const b = $('btn-play');
  b.textContent = playing ? `❚❚ ${t('pause')}` : `▶ ${t('play')}`;
  b.setAttribute('aria-label', playing ? t('pause') : t('play'));
  b.setAttribute('aria-pressed', String(playing));
}

function writeUrl() {
  const hash = S.serialize(state);
  history.replaceState(null, '', hash ? `#${hash}` : location.pathname + location.search);
  share?.update(state);
}

/** Shows the 2D or the MNIST view; the MNIST one is built on first use. */
function showView() {
  for (const v of S.VIEWS) {
    $(`view-${v}`).hidden = state.view !== v;
    $(`tab-${v}`).setAttribute('aria-selected', String(state.view === v));
  }
  if (state.view !== '2d') setPlaying(false);
  if (state.view === 'backprop' && !example && nn) {
    example = new ExampleView($('view-backprop'), { nn, t });
    example.open();
  }
  if (state.view === 'mnist' && !mnist && nn) {
    setPlaying(false);
    const reader = globalThis.nnplayMnistReader ?? (async (name) => {
      const r = await fetch(new URL(`data/mnist/${name}`, document.baseURI));
      if (!r.ok) throw new Error(`${r.status} ${r.statusText}`);
      return new Uint8Array(await r.arrayBuffer());
    });
    mnist = new MnistView($('view-mnist'), { nn, state, t, onChange: (n, v) => guard(mnist, () => change(n, v)), reader });
    mnist.open().catch((e) => console.warn(e));
  }
}

/** One control changed: rebuild what depends on it. */
function change(name, value) {
  const kind = S.update(state, name, value);
  if (!kind) { controls.refresh(state); mnist?.refresh(state); return; }
  if (kind === 'mnist') { writeUrl(); mnist?.refresh(state); if (mnist?.ready) mnist.rebuild(); return; }
  if (kind === 'mnist-live') { writeUrl(); mnist?.refresh(state); if (mnist?.ready) mnist.applyLive(); return; }
  if (name === 'view') { showView(); writeUrl(); return; }
  if (name === 'mCompare') { writeUrl(); return; }
  if (kind === 'data') { trainer.buildData(state); selected = null; }
  else if (kind === 'net') { trainer.buildNet(state); selected = null; }
  else if (kind === 'live') trainer.applyLive(state);
  else if (name === 'resolution') trainer.buildGrid(state);
  if (name === 'lang') { applyChrome(); controls.build(state); share.build(); }
  if (name === 'hide' || name === 'embed') applyChrome();
  controls.refresh(state);
  classPicker();
  writeUrl();
  dirty = true;
}

function classPicker() {
  const box = $('class-picker');
  const k = trainer.raw.classes;
  box.hidden = k < 2;
  if (addClass >= k) addClass = 0;
  box.replaceChildren(...Array.from({ length: Math.max(k, 0) }, (_, c) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = `swatch class-${c}`;
    b.setAttribute('aria-label', `${t('addClass')}: ${t('classN', { k: c })}`);
    b.setAttribute('aria-pressed', String(c === addClass));
    b.addEventListener('click', () => { addClass = c; classPicker(); });
    return b;
  }));
}

function stats() {
  const h = trainer.history[trainer.history.length - 1];
  const f = (v) => (!Number.isFinite(v) ? '—' : Math.abs(v) >= 1e4 ? v.toExponential(2) : v.toFixed(4));
  const pct = (v) => (Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : '—');
  const acc = trainer.raw.kind === 'regression' ? ''
    : ` · ${t('accuracy')} ${t('trainAcc')} ${pct(h.trainAcc)} / ${t('testAcc')} ${pct(h.testAcc)}`;
  $('stats').textContent = `${t('epoch')} ${trainer.epochs} · ${t('stepCount')} ${trainer.net.steps} · `
    + `${t('trainLoss')} ${f(h.trainLoss)} · ${t('testLoss')} ${f(h.testLoss)}${acc}`;
  $('why').textContent = t(trainer.output.why);
  $('message').textContent = trainer.diverged ? t('diverged') : '';
  $('speed').textContent = t('stepsPerSecond', { n: Math.round(speed.rate) });
}

// Per-neuron maps for the diagram: inputs, hidden layers, outputs.
function diagramData() {
  const feats = trainer.features, k = feats.length, n = trainer.neuronX.length / k;
  // scales a map to [-1, 1] in place (hundreds of maps a frame: plain loops)
  const norm = (a) => {
    let m = 1e-9;
    for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
    for (let i = 0; i < a.length; i++) a[i] /= m;
    return a;
  };
  const inputs = feats.map((_f, j) => norm(Float32Array.from({ length: n }, (_, p) => trainer.neuronX[p * k + j])));
  const hidden = trainer.neuronMaps().map((layer) => layer.map(norm));
  const out = trainer.net.predict(trainer.neuronX);
  const units = trainer.net.outputs;
  const outputs = Array.from({ length: units }, (_u, u) => Float32Array.from({ length: n }, (_, p) => out[p * units + u]));
  // 1-D data: each map is a line along x1, drawn as vertical stripes
  if (trainer.raw.dims === 1) {
    const R = 24, stripes = (a) => Float32Array.from({ length: R * R }, (_, p) => a[Math.floor(((p % R) * a.length) / R)]);
    inputs.forEach((a, i) => { inputs[i] = stripes(a); });
    hidden.forEach((layer) => layer.forEach((a, i) => { layer[i] = stripes(a); }));
    outputs.forEach((a, i) => { outputs[i] = stripes(a); });
  }
  const outKind = trainer.output.output === 'softmax' ? { kind: 'binary', signed: false }
    : { kind: trainer.raw.kind === 'regression' ? 'regression' : 'binary', signed: trainer.output.output === 'tanh' };
  const plain = { kind: 'regression' };
  return {
    maps: [inputs, ...hidden, outputs],
    kinds: [plain, ...hidden.map(() => plain), outKind],
  };
}

function drawDiagram() {
  const cols = [trainer.features.length, ...state.hidden, trainer.net.outputs];
  const titles = [t('features'), ...state.hidden.map((_, i) => `${i + 1}`), t('output')];
  // the neurons' names change with the shape or the language, not every frame
  const key = `${state.lang}/${trainer.features.join(',')}/${cols.join(',')}`;
  if (key !== diagramKey) {
    diagramKey = key;
    diagramNames = [trainer.features.map((f) => t('inputName', { f: t(f) })),
      ...state.hidden.map((u, l) => Array.from({ length: u }, (_, i) => t('neuronName', { k: i + 1, l: l + 1 }))),
      Array.from({ length: trainer.net.outputs }, (_, i) => t('outputName', { k: i + 1 }))];
  }
  const names = diagramNames;
  diagram.layout(cols, [...titles, key], 24);
  const d = diagramData();
  diagram.update(d.maps, d.kinds, trainer.weights(), (c, i, j, w) => t('weight', { from: names[c][i], to: names[c + 1][j], w: w.toFixed(3) }));
}

// The diagram's cost grows with the net (8 x 64 neurons: 512 maps). While
// training it is redrawn at most so often that it takes a fifth of the time
// (a small net's, every frame), and always once training stops: frames stay
// short whatever a link asks for.
const diagramPace = { next: 0, stale: false };
function drawDiagramPaced(force) {
  const t0 = performance.now();
  if (!force && t0 < diagramPace.next) {
    diagramPace.stale = true;
    return;
  }
  drawDiagram();
  diagramPace.next = t0 + 4 * (performance.now() - t0);
  diagramPace.stale = false;
}

function draw() {
  const oneD = trainer.raw.dims === 1;
  const res = trainer.res, kind = trainer.raw.kind;
  if (selected && !oneD) {
    const { c, u } = selected;
    boundary.drawHeatmap(trainer.unitMap(c, u), res, { kind: 'regression', discretize: false });
    $('boundary-caption').textContent = t('neuronView', { k: u + 1, l: c });
  } else {
    const out = trainer.predictGrid();
    if (oneD) boundary.drawCurve(trainer.gridRaw, out);
    else boundary.drawHeatmap(out, res, { kind, classes: trainer.raw.classes, signed: trainer.output.output === 'tanh', discretize: state.discretize });
    $('boundary-caption').textContent = oneD ? t('curveView') : kind === 'regression' ? t('regressionView') : t('boundary');
  }
  // a big net's heatmap is computed on a coarser grid (state.js, GRID_BUDGET): say so
  if (!oneD && res < state.resolution) $('boundary-caption').textContent += ` ${t('coarseGrid', { res })}`;
  boundary.drawPoints(trainer.raw.train, trainer.raw.dims, { kind });
  if (state.showTest) boundary.drawPoints(trainer.raw.test, trainer.raw.dims, { test: true, kind });
  // a diverged net's predictions mean nothing: veil them and say why
  if (trainer.diverged) boundary.veil(t('diverged'));

  if (diagram.visible) drawDiagramPaced(!playing);
  chart.draw(trainer.history, { log: state.logScale, labels: { train: t('trainLoss'), test: t('testLoss') } });
  stats();
}

// The views behind one interface: frame() once per animation frame while
// shown, fail(error) to pause and say what went wrong in the view's own
// message. The Backprop view has no frame and reports its own errors.
const view2d = {
  frame: frame2d,
  fail(e) { setPlaying(false); $('message').textContent = e.message; },
};
const shown = () => ({ '2d': view2d, mnist, backprop: example })[state.view];

/** Runs fn; an error goes to `view`'s own message (never another view's) and the console. */
function guard(view, fn) {
  try {
    fn();
  } catch (e) {
    console.error(e);
    view?.fail?.(e);
  }
}

function frame() {
  // never let one bad frame stop the loop: the view says it and pauses
  const view = shown();
  guard(view, () => view?.frame?.());
  requestAnimationFrame(frame);
}

function frame2d() {
  if (playing) {
    // one step, one epoch (as TensorFlow Playground) or as many as fit the budget
    const steps = state.speed === 'max' ? trainer.trainFor(FRAME_BUDGET_MS)
      : trainer.train(state.speed === 'step' ? 1 : 0);
    speed.steps += steps;
    if (trainer.diverged) setPlaying(false);
    dirty = true;
  }
  const now = performance.now();
  if (now - speed.since > 1000) {
    speed.rate = (speed.steps * 1000) / (now - speed.since);
    speed.steps = 0;
    speed.since = now;
    // only the counter changes: no redraw while paused
    $('speed').textContent = t('stepsPerSecond', { n: Math.round(speed.rate) });
  }
  if (dirty) { draw(); dirty = false; }
  // paused with a diagram skipped while training: draw its last state
  else if (!playing && diagramPace.stale && diagram.visible) drawDiagramPaced(true);
}

function wire() {
  // the 2-D buttons report their errors in the 2-D message
  const on2d = (id, fn) => $(id).addEventListener('click', () => guard(view2d, fn));
  on2d('btn-play', () => setPlaying(!playing));
  on2d('btn-step', () => { setPlaying(false); trainer.train(1); dirty = true; });
  on2d('btn-epoch', () => { setPlaying(false); trainer.train(0); dirty = true; });
  on2d('btn-reset', () => { trainer.reset(); dirty = true; });
  on2d('btn-new', () => change('seed', String((Math.random() * 2 ** 31) >>> 0)));
  on2d('btn-regen', () => change('dataSeed', String((Math.random() * 2 ** 31) >>> 0)));
  $('tab-2d').addEventListener('click', () => change('view', '2d'));
  $('tab-mnist').addEventListener('click', () => change('view', 'mnist'));
  $('tab-backprop').addEventListener('click', () => change('view', 'backprop'));
  document.addEventListener('keydown', (e) => {
    if (e.target.closest?.('input, select, textarea, button, [contenteditable]')) return;
    if (state.view === 'mnist') {
      if (e.key === ' ' && mnist?.ready) { e.preventDefault(); mnist.setPlaying(!mnist.playing); }
      return;
    }
    if (state.view === 'backprop') {
      if (e.key === 'ArrowRight') { e.preventDefault(); example?.step(); }
      return;
    }
    if (e.key === ' ') { e.preventDefault(); setPlaying(!playing); }
    else if (e.key === 'ArrowRight') { e.preventDefault(); setPlaying(false); trainer.train(1); dirty = true; }
  });
  $('boundary').addEventListener('click', (e) => {
    const { x1, x2 } = boundary.toData(e);
    const raw = trainer.raw;
    if (e.ctrlKey || e.metaKey) {
      const near = nearest(raw.train.x, raw.dims, x1, raw.dims === 1 ? 0 : x2);
      if (near.index >= 0 && near.d2 < 1) trainer.removePoint(near.index);
    } else if (raw.kind === 'regression') {
      trainer.addPoint(raw.dims === 1 ? { x1, y: x2 / 3 } : { x1, x2, y: e.shiftKey ? -1 : 1 });
    } else {
      trainer.addPoint({ x1, x2, label: e.shiftKey ? (addClass + 1) % raw.classes : addClass });
    }
    dirty = true;
  });
  addEventListener('resize', () => { diagram.shape = ''; dirty = true; });
  addEventListener('hashchange', () => {
    const next = S.parse(location.hash);
    for (const p of S.PROPS) if (JSON.stringify(next[p.name]) !== JSON.stringify(state[p.name])) change(p.name, next[p.name]);
  });
}

async function main() {
  $('stats').textContent = t('loading');
  try {
    nn = await load(globalThis.nnplayLoadOptions ?? { baseUrl: new URL('./lib/', document.baseURI) });
  } catch (e) {
    $('message').textContent = t('loadError', { msg: e.message });
    throw e;
  }
  trainer = new Trainer(nn);
  trainer.buildData(state);
  boundary = new Boundary($('boundary'));
  diagram = new NetworkView($('diagram'), {
    label: (c, u) => diagramNames[c]?.[u] ?? `${c}.${u + 1}`,
    onPick: (c, u) => {
      const hiddenCol = c >= 1 && c <= state.hidden.length;
      selected = hiddenCol && !(selected?.c === c && selected?.u === u) ? { c, u } : null;
      diagram.select(selected?.c, selected?.u);
      dirty = true;
    },
  });
  chart = new LossChart($('chart'));
  controls = new Controls($('controls'), { t, onChange: (n, v) => guard(view2d, () => change(n, v)) });
  controls.build(state);
  share = new SharePanel($('share'), { t, baseUrl: location.href.split('#')[0] });
  share.build();
  share.update(state);
  applyChrome();
  classPicker();
  wire();
  setPlaying(state.autoplay && state.view === '2d');
  showView();
  document.body.dataset.ready = '1';
  requestAnimationFrame(frame);
}

main();
