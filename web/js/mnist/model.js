// model.js: the MNIST view's model. A Run is one network training on the
// digits (wasm Data objects of bytes, so 47 MB stay 47 MB), in time-budgeted
// slices, with its history of losses and accuracies; the comparison trains
// several Runs from the same initial weights on the same batch order.
// Every piece of work is small: a few steps, or one evaluation chunk of 250
// digits, so a frame never waits for a whole test set on a big net. With a
// dev set (the last training digits), each epoch end's dev loss goes to
// early stopping (shared/earlystop.js).
import { PIXELS, SCALE, splitDev } from '../mnist.js';
import { MNIST_MAX_BATCH } from '../state.js';
import { ERR_DIVERGED } from '../../lib/nnplay.mjs';
import { DevMonitor } from '../shared/earlystop.js';

/** The digits of a quick estimate between epoch ends (test, and train accuracy). */
export const QUICK_TEST = 1000;
const CHUNK = 250;
const RECORDS_PER_EPOCH = 10;

const wrap = (nn, images, labels) => nn.data({ x8: images, scale: SCALE, labels: Int32Array.from(labels), dims: PIXELS });
const chunks = (nn, set, n) => Array.from({ length: Math.ceil(n / CHUNK) }, (_, i) => {
  const s = i * CHUNK, e = Math.min(n, s + CHUNK);
  return wrap(nn, set.images.subarray(s * PIXELS, e * PIXELS), set.labels.subarray(s, e));
});

/**
 * The engine-side data: the train set, the test set and 1,000 train digits
 * in chunks of 250, and the dev set (setDev).
 */
export function makeSets(nn, mnist, devCount = 0) {
  const test = chunks(nn, mnist.test, mnist.test.n);
  const sets = {
    test,
    // the first 1,000 test digits: the quick estimate between epoch ends
    quick: test.slice(0, QUICK_TEST / CHUNK),
    quickTrain: chunks(nn, mnist.train, Math.min(QUICK_TEST, mnist.train.n)),
  };
  return setDev(nn, mnist, sets, devCount);
}

/**
 * Splits the last `devCount` training digits off as the dev set (at most
 * half of them: devCap), in chunks of 250 (its first 1,000: the quick
 * estimate): sets.train holds the others (a copy in wasm memory, rebuilt
 * here), sets.dev is null for 0. Returns sets.
 */
export function setDev(nn, mnist, sets, devCount) {
  sets.train?.free();
  sets.dev?.forEach((d) => d.free());
  const { train, dev } = splitDev(mnist.train, Math.min(devCount, devCap(mnist.train.n)));
  sets.train = wrap(nn, train.images, train.labels);
  sets.nTrain = train.n;
  sets.dev = dev.n ? chunks(nn, dev, dev.n) : null;
  sets.quickDev = sets.dev?.slice(0, QUICK_TEST / CHUNK) ?? null;
  sets.nDev = dev.n;
  return sets;
}

/** The largest dev set of n training digits: half of them. */
export const devCap = (n) => Math.floor(n / 2);

/**
 * Loss and accuracy of one chunk, and whether it diverged: the engine's one
 * definition (ERR_DIVERGED, a loss that is NaN or beyond float range), when
 * loss and accuracy are NaN.
 */
export function evaluateChunk(net, d) {
  try {
    return { ...net.evaluate(d), diverged: false };
  } catch (e) {
    if (e.code !== ERR_DIVERGED) throw e;
    return { loss: NaN, accuracy: NaN, diverged: true };
  }
}

/**
 * A net read from a saved file, checked completely before it is returned:
 * at most maxBytes, readable, problem(net) (a text, or null when the view
 * can take it), a finite loss on the Data `probe`. Throws an Error in the
 * words of `t`, having freed what it built, otherwise.
 */
export async function readCheckedNet(nn, file, { t, maxBytes, problem, probe }) {
  if (file.size > maxBytes) throw new Error(t('mTooBig'));
  let net = null;
  try {
    try {
      net = nn.loadNet(new Uint8Array(await file.arrayBuffer()));
    } catch (e) {
      throw new Error(t('mUnreadable', { msg: e.message }), { cause: e });
    }
    const why = problem(net);
    if (why) throw new Error(why);
    if (evaluateChunk(net, probe).diverged) throw new Error(t('mBadWeights'));
    return net;
  } catch (e) {
    net?.free();
    throw e;
  }
}

/** Net options from the view's settings, state.mnist (optimizer may be overridden for a comparison). */
export function netOptions(s, optimizer = s.optimizer) {
  return {
    inputs: PIXELS, outputs: 10, output: 'softmax', maxBatch: MNIST_MAX_BATCH,
    layers: s.hidden.map((units) => ({ units })), activation: s.activation,
    dropout: s.dropout, batchNorm: s.batchNorm, init: s.init, seed: s.seed,
    optimizer: { name: optimizer, lr: optimizer === s.optimizer ? s.lr : undefined, momentum: s.momentum },
    l2: s.l2,
  };
}

export class Run {
  /** A run of `net` (created from netOptions, or loaded) on the sets; early: {patience, autoRestore}. */
  constructor(net, sets, { label, batch, epochs, early = {} }) {
    this.net = net;
    this.sets = sets;
    this.label = label;
    this.batch = batch;
    this.early = new DevMonitor(early);
    this.setRound(epochs);
    this.restart();
  }

  /** Epochs per round of training (the Epochs setting): a change moves the current round's end. */
  setRound(n) {
    this.roundEpochs = n;
    this.epochs = (this.roundStart ?? 0) + n;
  }

  /** Done: another round of as many epochs, from the weights reached. */
  trainOn() {
    if (this.diverged) return;
    // after a stop by patience, patience counts again from here
    this.early.resume(this.epoch);
    this.roundStart = this.epoch;
    this.epochs = this.epoch + this.roundEpochs;
  }

  /** Samples trained per second of wall time over the last measure (see measure). */
  measure(seconds) {
    this.rate = this.samples / seconds;
    this.samples = 0;
  }

  /** Back to the net's initial weights, and a new history. */
  reset() {
    this.net.reset();
    this.restart();
  }

  /** A new history from the current weights (its first point is computed by the next trainFor calls). */
  restart() {
    this.epoch = 0;
    this.roundStart = 0;
    this.epochs = this.roundEpochs;
    this.samples = 0;
    this.rate = 0;
    this.stepInEpoch = 0;
    this.diverged = false;
    this.history = [];
    this.lossSum = 0;
    this.lossSteps = 0;
    this.stepMs = 0;
    this.early.reset();
    this.record();
  }

  /** Back to the best weights on the dev set (false when there are none); measured again over the next frames. */
  restoreBest() {
    if (this.pending?.full || !this.early.restore(this.net)) return false;
    this.lossSum = 0;
    this.lossSteps = 0;
    this.record(true);
    this.pending.restored = true;
    return true;
  }

  get stepsPerEpoch() { return Math.ceil(this.sets.nTrain / this.batch); }
  /** Trained and evaluated (or stopped by patience): nothing left to do. */
  get done() { return (this.epoch >= this.epochs || this.diverged || !!this.early.stop) && !this.pending; }
  /** What the run is doing: 'diverged', 'evaluating' (a whole test set), 'stopped' (early), 'done', or 'training' (or waiting to). */
  get state() {
    if (this.diverged) return 'diverged';
    if (this.pending?.full) return 'evaluating';
    if (this.early.stop && this.done) return 'stopped';
    return this.done ? 'done' : 'training';
  }
  /** Fraction of the current epoch done. */
  get progress() { return this.done ? 1 : this.stepInEpoch / this.stepsPerEpoch; }

  /**
   * Works for about `ms` milliseconds: finishes the pending evaluation, then
   * trains (unless `train` is false); at least one piece of work. Returns the
   * number of examples trained on.
   */
  trainFor(ms, train = true) {
    const t0 = performance.now();
    let samples = 0;
    const every = Math.max(1, Math.round(this.stepsPerEpoch / RECORDS_PER_EPOCH));
    do {
      if (this.pending) { this.evaluateNext(); continue; }
      if (!train || this.epoch >= this.epochs || this.diverged || this.early.stop) break;
      const toRecord = every - (this.stepInEpoch % every);
      // as many steps as fit half the budget, from the last step's time (at most 4)
      const fit = this.stepMs > 0 ? Math.floor(ms / 2 / this.stepMs) : 1;
      const steps = Math.max(1, Math.min(toRecord, this.stepsPerEpoch - this.stepInEpoch, 4, fit));
      let r;
      const s0 = performance.now();
      try {
        r = this.net.train(this.sets.train, { batchSize: this.batch, steps });
      } catch (e) {
        if (e.code !== ERR_DIVERGED) throw e;
        this.diverged = true;
        break;
      }
      this.stepMs = (performance.now() - s0) / Math.max(1, r.steps);
      this.lossSum += r.loss * r.steps;
      this.lossSteps += r.steps;
      this.stepInEpoch += r.steps;
      samples += r.steps * this.batch;
      this.samples += r.steps * this.batch;
      if (this.stepInEpoch >= this.stepsPerEpoch) {
        this.epoch += 1;
        this.stepInEpoch = 0;
        this.record(true);
      } else if (this.stepInEpoch % every === 0) {
        this.record();
      }
    } while (performance.now() - t0 < ms);
    return samples;
  }

  /**
   * Starts the next history point: the test set (all of it when `full`),
   * 1,000 train digits and the dev set (all of it when `full`, else its
   * first 1,000), chunk by chunk.
   */
  record(full = false) {
    const test = full ? this.sets.test : this.sets.quick, dev = (full ? this.sets.dev : this.sets.quickDev) ?? [];
    this.pending = {
      full, chunks: [...test.map((d) => ['test', d]), ...this.sets.quickTrain.map((d) => ['train', d]), ...dev.map((d) => ['dev', d])],
      next: 0, x: this.epoch + this.stepInEpoch / this.stepsPerEpoch,
      sums: { test: { loss: 0, acc: 0, n: 0 }, train: { loss: 0, acc: 0, n: 0 }, dev: { loss: 0, acc: 0, n: 0 } }, diverged: false,
    };
  }

  /** Evaluates one chunk of the pending record; appends the point to the history after the last. */
  evaluateNext() {
    const p = this.pending, [kind, d] = p.chunks[p.next++];
    const ev = evaluateChunk(this.net, d), s = p.sums[kind];
    if (ev.diverged) p.diverged = true;
    s.loss += ev.loss * d.n;
    s.acc += ev.accuracy * d.n;
    s.n += d.n;
    if (p.next < p.chunks.length) return;
    this.pending = null;
    // {x (epochs, fractional), trainLoss, trainAcc, testLoss, testAcc, devLoss, devAcc}; train accuracy on 1,000 training digits
    const testLoss = p.sums.test.loss / p.sums.test.n;
    // the mean loss of the steps since the last point; before any step, the
    // loss on the 1,000 training digits evaluated here (never the test loss)
    const trainLoss = this.lossSteps ? this.lossSum / this.lossSteps : p.sums.train.loss / p.sums.train.n;
    const dv = p.sums.dev, testAcc = p.sums.test.acc / p.sums.test.n;
    const point = { x: p.x, trainLoss, trainAcc: p.sums.train.acc / p.sums.train.n, testLoss, testAcc,
      devLoss: dv.n ? dv.loss / dv.n : NaN, devAcc: dv.n ? dv.acc / dv.n : NaN, full: p.full };
    this.history.push(point);
    this.lossSum = 0;
    this.lossSteps = 0;
    this.changed = true;
    if (p.diverged) this.diverged = true;
    // an epoch end's whole dev set to early stopping (from the first epoch on;
    // not the measure of restored weights), with the whole test set's score
    if (p.full && dv.n && !p.restored && !this.diverged) {
      this.early.epochEnd({ epoch: this.epoch, step: p.x, devLoss: point.devLoss, devAcc: point.devAcc }, this.net,
        () => ({ loss: testLoss, accuracy: testAcc }));
    }
  }

  /** First hidden layer weights: {W (units * 784), units}. */
  firstLayer() {
    const l = this.net.layers().find((x) => x.type === 'dense');
    return { W: l.W, units: l.outputs };
  }

  free() { this.net.free(); }
}

/** Class probabilities (n * 10) for n digits given as bytes. */
export function predictBytes(net, images, n) {
  const x = new Float32Array(n * PIXELS);
  for (let i = 0; i < x.length; i++) x[i] = images[i] * SCALE;
  return net.predict(x);
}

/** The 10 x 10 confusion matrix (rows: true class) over a set, a chunk per animation frame; null if `alive()` turns false. */
export async function confusion(net, images, labels, alive = () => true) {
  const m = Array.from({ length: 10 }, () => new Array(10).fill(0));
  for (let s = 0; s < labels.length; s += CHUNK) {
    if (!alive()) return null;
    const n = Math.min(CHUNK, labels.length - s);
    const p = predictBytes(net, images.subarray(s * PIXELS, (s + n) * PIXELS), n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let k = 1; k < 10; k++) if (p[i * 10 + k] > p[i * 10 + best]) best = k;
      m[labels[s + i]][best] += 1;
    }
    await new Promise((r) => requestAnimationFrame(r));
  }
  return m;
}

/** Mean, standard deviation, min, max and L2 norm of a neuron's incoming weights. */
export function weightStats(W, unit) {
  const w = W.subarray(unit * PIXELS, (unit + 1) * PIXELS);
  let sum = 0, sq = 0, min = Infinity, max = -Infinity;
  for (const v of w) { sum += v; sq += v * v; min = Math.min(min, v); max = Math.max(max, v); }
  const mean = sum / w.length;
  return { mean, std: Math.sqrt(Math.max(0, sq / w.length - mean * mean)), min, max, norm: Math.sqrt(sq) };
}
