// model.js: the 2D view's model. It owns the engine objects (the net,
// the train, dev and test sets and the heatmap grid in wasm memory), turns
// the state into engine calls, trains in time-budgeted slices and keeps the
// loss history; with a dev set, early stopping (shared/earlystop.js) sees
// the dev loss at every epoch end. No DOM: 2d/view.js wires it to the views.
import { outputFor, task, gridResolution } from './task.js';
import { applyTraining } from '../shared/training.js';
import { mapFeatures, usable, grid, line } from './features.js';
import { generate, targets } from './datasets.js';
import { ERR_DIVERGED } from '../../lib/nnplay.mjs';
import { colorOptions, DIVERGING } from '../shared/colors.js';
import { DevMonitor } from '../shared/earlystop.js';

const NEURON_RES = 24;
// grid points per activations() call: bounds the wasm buffer it needs
const CHUNK = 4096;

export class Trainer {
  constructor(nn) {
    this.nn = nn;
    this.net = null;
    this.sets = null;
    this.history = [];
    this.diverged = false;
    this.epochs = 0;
    this.added = [];
    this.early = new DevMonitor();
  }

  /** Regenerates the raw points (data seed, noise, ...) and everything after. */
  buildData(state) {
    // points the user added join the new data; removed ones come back
    this.raw = generate(this.nn, state, this.added);
    this.buildNet(state);
  }

  /** Builds the net for the state (architecture, init, seed) on the current data. */
  buildNet(state) {
    this.freeEngine();
    const out = outputFor(state);
    this.output = out;
    this.task = task(state);
    this.features = usable(state.features, this.raw.dims);
    const k = this.features.length;
    const layers = state.hidden.map((units) => ({ units, activation: state.activation, dropout: state.dropout,
      batchNorm: state.batchNorm }));
    this.net = this.nn.createNet({
      inputs: k, layers, outputs: out.units, output: out.output, loss: out.loss, seed: state.seed, maxBatch: 2048,
      init: { name: state.init, constant: state.initConst }, threshold: out.output === 'tanh' ? 0 : undefined,
    });
    this.applyLive(state);
    const wrap = (set) => this.nn.data({ x: mapFeatures(set.x, this.raw.dims, this.features), ...targets(set, out), dims: k });
    this.sets = { train: wrap(this.raw.train), dev: this.raw.dev.x.length ? wrap(this.raw.dev) : null,
      test: this.raw.test.x.length ? wrap(this.raw.test) : null };
    this.buildGrid(state);
    this.history = [];
    this.epochs = 0;
    this.diverged = false;
    this.record();
    this.devStart();
  }

  /** The heatmap grid (raw points and mapped features) at the resolution the state allows. */
  buildGrid(state) {
    const res = gridResolution(state);
    this.res = res;
    const oneD = this.raw.dims === 1;
    this.gridRaw = oneD ? line(res) : grid(res);
    this.gridX = mapFeatures(this.gridRaw, this.raw.dims, this.features);
    this.gridOut = new Float32Array((oneD ? res : res * res) * this.net.outputs);
    // the neurons' maps: a NEURON_RES square (for 1-D data, the line along
    // x1 repeated on every row: vertical stripes)
    const R = NEURON_RES;
    this.neuronRaw = oneD ? Float32Array.from({ length: R * R }, (_, p) => line(R)[p % R]) : grid(R);
    this.neuronX = mapFeatures(this.neuronRaw, this.raw.dims, this.features);
    this.neuronRes = R;
    // the inputs' maps never change: coloured once
    this.inputPixels = this.nn.colorize(this.neuronX, { columns: this.features.length, mode: 'scaled', palette: DIVERGING }).slice();
  }

  /** Settings that change while training: optimiser, rate, batch, penalties. */
  applyLive(state) {
    applyTraining(this.net, { name: state.optimizer, lr: state.lr, momentum: state.momentum, beta2: state.beta2,
      decay: state.decay }, { l1: state.reg === 'l1' ? state.regRate : 0, l2: state.reg === 'l2' ? state.regRate : 0 });
    // runSlice caps it at the training set's size: batch >= n is full batch
    this.batch = state.batch;
    this.early.configure({ patience: state.patience, autoRestore: state.autoRestore });
  }

  /** Adds a point to the training set (kept across resets); training goes on. */
  addPoint(p) {
    this.added.push(p);
    const t = this.raw.train, d = this.raw.dims;
    t.x = Float32Array.from([...t.x, ...(d === 1 ? [p.x1] : [p.x1, p.x2])]);
    if (t.labels) t.labels = Int32Array.from([...t.labels, p.label]);
    if (t.y) t.y = Float32Array.from([...t.y, p.y]);
    this.rewrapTrain();
  }

  /** Removes training point i (until the data are regenerated); training goes on. */
  removePoint(i) {
    const t = this.raw.train, d = this.raw.dims, n = t.x.length / d;
    if (n <= 1) return;
    const generated = n - this.added.length;
    if (i >= generated) this.added.splice(i - generated, 1);
    t.x = Float32Array.from([...t.x.subarray(0, i * d), ...t.x.subarray((i + 1) * d)]);
    if (t.labels) t.labels = Int32Array.from([...t.labels.subarray(0, i), ...t.labels.subarray(i + 1)]);
    if (t.y) t.y = Float32Array.from([...t.y.subarray(0, i), ...t.y.subarray(i + 1)]);
    this.rewrapTrain();
  }

  rewrapTrain() {
    this.sets.train.free();
    const k = this.features.length;
    this.sets.train = this.nn.data({ x: mapFeatures(this.raw.train.x, this.raw.dims, this.features),
      ...targets(this.raw.train, this.output), dims: k });
    // the loss and accuracy of the changed set show at once, paused or not:
    // the last point is measured again
    if (this.history.length && this.history[this.history.length - 1].step === this.net.steps) this.history.pop();
    this.record();
  }

  /** Back to the initial weights: same data, same seed. */
  reset() {
    this.net.reset();
    this.history = [];
    this.epochs = 0;
    this.diverged = false;
    this.record();
    this.devStart();
  }

  /** A new run: early stopping forgets its best and takes the initial weights as epoch 0's. */
  devStart() {
    this.early.reset();
    if (this.sets.dev) this.devEpoch();
  }

  /** An epoch ended (with a dev set): the dev loss to early stopping, which may stop training (early.stop). */
  devEpoch() {
    const dev = this.measure(this.sets.dev);
    this.early.epochEnd({ epoch: this.epochs, step: this.net.steps, devLoss: dev.loss, devAcc: dev.accuracy }, this.net,
      () => (this.sets.test ? this.measure(this.sets.test) : { loss: NaN, accuracy: NaN }));
  }

  /** Back to the best weights on the dev set (false when there are none); the current point is measured again. */
  restoreBest() {
    if (!this.early.restore(this.net)) return false;
    this.diverged = false;
    if (this.history.length && this.history[this.history.length - 1].step === this.net.steps) this.history.pop();
    this.record();
    return true;
  }

  /** Runs `steps` mini-batches (0: to the end of the epoch); returns the steps run. */
  train(steps) {
    if (this.diverged) return 0;
    const n = this.runSlice(steps);
    this.record();
    return n;
  }

  /** Trains for about `ms` milliseconds in slices; returns the steps run. */
  trainFor(ms) {
    const t0 = performance.now();
    let slice = this.slice ?? 1, steps = 0;
    while (performance.now() - t0 < ms && !this.diverged && !this.early.stop) {
      const s0 = performance.now();
      const r = this.runSlice(slice);
      steps += r;
      const took = performance.now() - s0;
      // aim slices at a quarter of the budget, so the frame ends close to it
      slice = Math.max(1, Math.min(100000, Math.round(slice * (took > 0 ? (ms / 4) / took : 2))));
    }
    this.slice = slice;
    this.record();
    return steps;
  }

  runSlice(steps) {
    const batch = Math.max(1, Math.min(this.batch, this.sets.train.n)), dev = this.sets.dev;
    // with a dev set no slice crosses an epoch's end: early stopping sees every one
    const left = Math.max(1, Math.ceil((this.sets.train.n - this.net.epochPosition) / batch));
    try {
      const r = this.net.train(this.sets.train, { batchSize: batch, steps: dev && steps > 0 ? Math.min(steps, left) : steps });
      this.epochs += r.epochs;
      if (dev && r.epochs) this.devEpoch();
      return r.steps;
    } catch (e) {
      if (e.code !== ERR_DIVERGED) throw e;
      this.diverged = true;
      return 0;
    }
  }

  /** Loss and accuracy of a set. */
  measure(set) {
    // divergence is the engine's one definition (ERR_DIVERGED: a loss that is
    // NaN or beyond float range), never a threshold of the page's own
    try {
      return this.net.evaluate(set);
    } catch (e) {
      if (e.code !== ERR_DIVERGED) throw e;
      this.diverged = true;
      return { loss: Infinity, accuracy: NaN };
    }
  }

  /** Appends the current train, dev and test loss and accuracy to the history. */
  record() {
    const none = { loss: NaN, accuracy: NaN };
    const tr = this.measure(this.sets.train);
    const te = this.sets.test ? this.measure(this.sets.test) : none, dv = this.sets.dev ? this.measure(this.sets.dev) : none;
    const last = this.history[this.history.length - 1];
    const step = this.net.steps;
    if (last && last.step === step) return;
    this.history.push({ step, epoch: this.epochs, trainLoss: tr.loss, testLoss: te.loss, trainAcc: tr.accuracy, testAcc: te.accuracy,
      devLoss: dv.loss, devAcc: dv.accuracy });
    if (this.history.length > 4000) this.history = this.history.filter((_, i) => i % 2 === 0);
  }

  /** Predictions over the heatmap grid (Float32Array, reused). */
  predictGrid() {
    return this.net.predict(this.gridX, this.gridOut);
  }

  /** The heatmap's RGBA pixels (a view of wasm memory, valid until the next pixels call). */
  boundaryPixels({ discretize }) {
    const out = this.predictGrid(), kind = this.raw.kind;
    return this.nn.colorize(out, colorOptions({ kind, classes: this.raw.classes, signed: this.output.output === 'tanh', discretize }));
  }

  /** Hidden neuron `u` of hidden layer `c` (from 1) over the heatmap grid: RGBA pixels scaled to its largest |value|. */
  unitPixels(c, u) {
    const layers = this.net.layers();
    const idx = layers.map((l, i) => (l.type === 'activation' ? i : -1)).filter((i) => i >= 0)[c - 1];
    const w = layers[idx].outputs, k = this.features.length, n = this.gridX.length / k;
    const vals = new Float32Array(n);
    for (let s = 0; s < n; s += CHUNK) {
      const e = Math.min(n, s + CHUNK);
      const a = this.net.activations(this.gridX.subarray(s * k, e * k))[idx];
      for (let p = s; p < e; p++) vals[p] = a[(p - s) * w + u];
    }
    return this.nn.colorize(vals, { mode: 'scaled', palette: DIVERGING });
  }

  /**
   * Every neuron's map over the NEURON_RES grid, for the diagram, as blocks
   * of RGBA tiles: the inputs' (kept), then every hidden neuron's (scaled to
   * its largest |value|) and every output's, in one engine call.
   */
  neuronPixels() {
    const layers = this.net.layers(), last = layers.length - 1;
    const out = this.output.output === 'softmax' ? 'probability'
      : colorOptions({ kind: this.raw.kind === 'regression' ? 'regression' : 'binary', signed: this.output.output === 'tanh' }).mode;
    const modes = layers.map((l, i) => (i === last ? out : l.type === 'activation' ? 'scaled' : null));
    return [this.inputPixels, this.net.activationPixels(this.neuronX, { modes, palette: DIVERGING })];
  }

  /** Dense weight matrices in diagram order: inputs -> hidden... -> output. */
  weights() {
    return this.net.layers().filter((l) => l.type === 'dense').map((l) => ({ W: l.W.slice(), b: l.b.slice(), inputs: l.inputs, outputs: l.outputs }));
  }

  /**
   * Sets one parameter of dense layer `c` (in diagram order): weight W[j][i]
   * (from input i to unit j) or bias b[u], as a user typed it. The loss and
   * accuracy of the current step are measured again; training goes on from there.
   */
  setParam({ kind, c, i, j, u }, value) {
    const layer = this.net.layers().filter((l) => l.type === 'dense')[c];
    if (!layer || !Number.isFinite(value)) return;
    const at = kind === 'b' ? layer.bOffset + u : layer.wOffset + j * layer.inputs + i;
    if (kind === 'b' ? u >= layer.outputs : i >= layer.inputs || j >= layer.outputs) return;
    this.net.params()[at] = value;
    if (this.history.length && this.history[this.history.length - 1].step === this.net.steps) this.history.pop();
    this.record();
  }

  freeEngine() {
    this.net?.free();
    this.sets?.train.free();
    this.sets?.test?.free();
    this.sets?.dev?.free();
    this.net = null;
    this.sets = null;
  }
}
