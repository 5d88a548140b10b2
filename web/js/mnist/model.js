// model.js: the MNIST view's model. A Run is one network training on the
// digits (wasm Data objects of bytes, so 47 MB stay 47 MB), in time-budgeted
// slices, with its history of losses and accuracies; the comparison trains
// several Runs from the same initial weights on the same batch order.
import { PIXELS, SCALE } from '../mnist.js';
import { ERR_DIVERGED } from '../../lib/nnplay.mjs';

const QUICK_TEST = 1000;
const RECORDS_PER_EPOCH = 10;

/** The engine-side data: train and test sets, and a quick subset of the test digits. */
export function makeSets(nn, mnist) {
  const wrap = (images, labels) => nn.data({ x8: images, scale: SCALE, labels: Int32Array.from(labels), dims: PIXELS });
  return {
    train: wrap(mnist.train.images, mnist.train.labels),
    test: wrap(mnist.test.images, mnist.test.labels),
    quick: wrap(mnist.test.images.subarray(0, QUICK_TEST * PIXELS), mnist.test.labels.subarray(0, QUICK_TEST)),
    quickTrain: wrap(mnist.train.images.subarray(0, QUICK_TEST * PIXELS), mnist.train.labels.subarray(0, QUICK_TEST)),
    nTrain: mnist.train.n,
  };
}

/** Net options from the view's state (optimizer may be overridden for a comparison). */
export function netOptions(state, optimizer = state.mOptimizer) {
  return {
    inputs: PIXELS, outputs: 10, output: 'softmax', maxBatch: Math.max(64, state.mBatch),
    layers: state.mHidden.map((units) => ({ units })), activation: state.mActivation,
    dropout: state.mDropout, batchNorm: state.mBatchNorm, init: state.mInit, seed: state.mSeed,
    optimizer: { name: optimizer, lr: optimizer === state.mOptimizer ? state.mLr : undefined, momentum: state.mMomentum },
    l2: state.mL2,
  };
}

export class Run {
  /** A run of `net` (created from netOptions, or loaded) on the sets. */
  constructor(net, sets, { label, batch, epochs }) {
    this.net = net;
    this.sets = sets;
    this.label = label;
    this.batch = batch;
    this.epochs = epochs;
    this.restart();
  }

  /** Back to the net's initial weights, and a new history. */
  reset() {
    this.net.reset();
    this.restart();
  }

  /** A new history from the current weights. */
  restart() {
    this.epoch = 0;
    this.stepInEpoch = 0;
    this.diverged = false;
    this.history = [];
    this.lossSum = 0;
    this.lossSteps = 0;
    this.record();
  }

  get stepsPerEpoch() { return Math.ceil(this.sets.nTrain / this.batch); }
  get done() { return this.epoch >= this.epochs || this.diverged; }
  /** Fraction of the current epoch done. */
  get progress() { return this.done ? 1 : this.stepInEpoch / this.stepsPerEpoch; }

  /** Trains for about `ms` milliseconds; returns the number of examples used. */
  trainFor(ms) {
    const t0 = performance.now();
    let samples = 0;
    const every = Math.max(1, Math.round(this.stepsPerEpoch / RECORDS_PER_EPOCH));
    while (!this.done && performance.now() - t0 < ms) {
      const toRecord = every - (this.stepInEpoch % every);
      const steps = Math.min(toRecord, this.stepsPerEpoch - this.stepInEpoch, 4);
      let r;
      try {
        r = this.net.train(this.sets.train, { batchSize: this.batch, steps });
      } catch (e) {
        if (e.code !== ERR_DIVERGED) throw e;
        this.diverged = true;
        break;
      }
      this.lossSum += r.loss * r.steps;
      this.lossSteps += r.steps;
      this.stepInEpoch += r.steps;
      samples += r.steps * this.batch;
      if (this.stepInEpoch >= this.stepsPerEpoch) {
        this.epoch += 1;
        this.stepInEpoch = 0;
        this.record(true);
      } else if (this.stepInEpoch % every === 0) {
        this.record();
      }
    }
    return samples;
  }

  /** Appends {x (epochs, fractional), trainLoss, trainAcc, testLoss, testAcc} to the history. */
  record(full = false) {
    const ev = this.net.evaluate(full ? this.sets.test : this.sets.quick);
    // train accuracy on 1,000 training digits (evaluation mode)
    const trainAcc = this.net.evaluate(this.sets.quickTrain).accuracy;
    const x = this.epoch + this.stepInEpoch / this.stepsPerEpoch;
    const trainLoss = this.lossSteps ? this.lossSum / this.lossSteps : ev.loss;
    this.history.push({ x, trainLoss, trainAcc, testLoss: ev.loss, testAcc: ev.accuracy, full });
    this.lossSum = 0;
    this.lossSteps = 0;
    if (!Number.isFinite(ev.loss)) this.diverged = true;
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

/** The 10 x 10 confusion matrix (rows: true class) over a set, in chunks. */
export function confusion(net, images, labels) {
  const m = Array.from({ length: 10 }, () => new Array(10).fill(0));
  const chunk = 1000;
  for (let s = 0; s < labels.length; s += chunk) {
    const n = Math.min(chunk, labels.length - s);
    const p = predictBytes(net, images.subarray(s * PIXELS, (s + n) * PIXELS), n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let k = 1; k < 10; k++) if (p[i * 10 + k] > p[i * 10 + best]) best = k;
      m[labels[s + i]][best] += 1;
    }
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
