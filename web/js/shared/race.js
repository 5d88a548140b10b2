// race.js: an MLP against a CNN on MNIST (COURSE.md section 12), the model:
// the MNIST view's default MLP (784-120-80-10, sigmoid, SGD 0.5) and
// ConvNetJS's MNIST demo CNN (conv 8@5x5 pad 2, ReLU, max pool 2, conv
// 16@5x5 pad 2, ReLU, max pool 3, softmax; Adam 0.002) train on the same
// batches in the same order (same batch size, same shuffle seed), in
// lockstep: the net that has seen fewer samples works next. Each keeps its
// own training clock, and its test accuracy on the first 1,000 test digits
// at set sample counts. Everything goes through the public JS API; the
// drawing is race-view.js. Node tests step it without a page.
import { ERR_DIVERGED } from '../../lib/nnplay.mjs';
import { PIXELS, SCALE } from '../mnist.js';

/** Both nets take batches of this size (ConvNetJS's demo and the CLI's --arch cnn). */
export const RACE_BATCH = 20;
/** One pass over the 60,000 training digits. */
export const RACE_SAMPLES = 60000;
/** Test digits of each accuracy point, evaluated in chunks of EVAL_CHUNK (a CNN chunk stays a few ms). */
export const EVAL_DIGITS = 1000;
const EVAL_CHUNK = 50;

/** The two contenders: createNet options without seed and maxBatch. */
export const CONTENDERS = [
  { name: 'mlp', options: { inputs: PIXELS, layers: [120, 80], activation: 'sigmoid', outputs: 10, output: 'softmax',
    optimizer: { name: 'sgd', lr: 0.5 } } },
  { name: 'cnn', options: { shape: [1, 28, 28], outputs: 10, output: 'softmax',
    layers: [{ conv: 8, kernel: 5, pad: 2 }, 'relu', { maxpool: 2 }, { conv: 16, kernel: 5, pad: 2 }, 'relu', { maxpool: 3 }],
    optimizer: { name: 'adam', lr: 0.002 } } },
];

/** The sample counts after s at which accuracy is measured: every 1,000 up to 10,000, then every 5,000. */
export function nextEvaluation(s) {
  return s < 10000 ? s + 1000 : s + 5000;
}

/**
 * Test accuracy of `r` after `seconds` of its own training, linear between
 * its points; null outside them (it has not trained that long).
 */
export function accuracyAt(r, seconds) {
  const h = r.history;
  if (!h.length || seconds < h[0].seconds || seconds > h[h.length - 1].seconds) return null;
  let i = 1;
  while (i < h.length && h[i].seconds < seconds) i++;
  if (i === h.length || h[i].seconds === seconds) return h[Math.min(i, h.length - 1)].acc;
  const a = h[i - 1], b = h[i];
  return a.acc + ((b.acc - a.acc) * (seconds - a.seconds)) / (b.seconds - a.seconds);
}

export class Race {
  /**
   * nn: the engine; train: an engine Data of labelled digits, or a function
   * giving the current one (the MNIST view rebuilds its set when its dev
   * split changes); test: {images (bytes), labels, n}; options: seed (init
   * and batch order), batch, samples (the race's length), evalDigits, contenders.
   */
  constructor(nn, { train, test, seed = 1, batch = RACE_BATCH, samples = RACE_SAMPLES, evalDigits = EVAL_DIGITS, contenders = CONTENDERS }) {
    this.nn = nn;
    this.trainSet = typeof train === 'function' ? train : () => train;
    this.batch = batch;
    this.total = samples;
    const n = Math.min(evalDigits, test.n);
    this.evalSets = [];
    for (let s = 0; s < n; s += EVAL_CHUNK) {
      const e = Math.min(n, s + EVAL_CHUNK);
      this.evalSets.push(nn.data({ x8: test.images.subarray(s * PIXELS, e * PIXELS), scale: SCALE,
        labels: Int32Array.from(test.labels.subarray(s, e)), dims: PIXELS }));
    }
    this.runners = contenders.map(({ name, options }) => {
      const net = nn.createNet({ ...options, seed, maxBatch: batch });
      // the same batch order for both: the shuffle stream from the same seed
      net.setSeed('shuffle', seed);
      return { name, net, params: net.params().length, samples: 0, seconds: 0, history: [], nextEval: 0,
        pending: null, diverged: false, stepMs: 0 };
    });
  }

  /** Every net has trained its samples (or diverged) and measured its last point. */
  get done() { return this.runners.every((r) => this.finished(r)); }

  finished(r) { return (r.diverged || r.samples >= this.total) && !r.pending && r.nextEval > this.total; }

  /** Samples per second of `r`'s own training time. */
  rate(r) { return r.seconds > 0 ? r.samples / r.seconds : 0; }

  /**
   * Works for about `ms` milliseconds (at least one piece): the net that has
   * seen fewer samples goes next, so both stay within a few batches of each
   * other. A piece is a few training steps (one call) or one evaluation chunk.
   * Returns the number of pieces done.
   */
  work(ms) {
    const end = performance.now() + ms;
    let pieces = 0;
    do {
      const open = this.runners.filter((r) => !this.finished(r));
      if (!open.length) break;
      const r = open.reduce((a, b) => (b.samples < a.samples ? b : a));
      this.piece(r, Math.max(1, end - performance.now()));
      pieces++;
    } while (performance.now() < end);
    return pieces;
  }

  /** One piece of work for `r`: its pending evaluation's next chunk, the next evaluation, or training steps. */
  piece(r, ms) {
    if (r.pending) { this.evaluateNext(r); return; }
    if (r.diverged) { r.nextEval = Infinity; return; }
    if (r.samples >= r.nextEval || r.samples >= this.total) {
      r.pending = { next: 0, correct: 0, loss: 0, n: 0 };
      r.nextEval = r.samples >= this.total ? Infinity : Math.min(nextEvaluation(r.samples), this.total);
      return;
    }
    // as many steps as fit the budget, from the last step's time, never past the next evaluation
    const left = Math.ceil((r.nextEval - r.samples) / this.batch);
    const fit = r.stepMs > 0 ? Math.floor(Math.min(ms, 4) / r.stepMs) : 1;
    this.trainSteps(r, Math.max(1, Math.min(left, fit)));
  }

  /** Trains `r` for `steps` batches, timed; a diverged loss (the engine's ERR_DIVERGED) ends its race. */
  trainSteps(r, steps) {
    const t0 = performance.now();
    let rep;
    try {
      rep = r.net.train(this.trainSet(), { batchSize: this.batch, steps });
    } catch (e) {
      if (e.code !== ERR_DIVERGED) throw e;
      r.diverged = true;
      return;
    }
    const dt = performance.now() - t0;
    r.seconds += dt / 1000;
    r.stepMs = dt / Math.max(1, rep.steps);
    r.samples += rep.steps * this.batch;
  }

  /** One chunk of `r`'s pending evaluation; the point joins its history after the last. */
  evaluateNext(r) {
    const p = r.pending, d = this.evalSets[p.next++];
    let ev;
    try {
      ev = r.net.evaluate(d);
    } catch (e) {
      if (e.code !== ERR_DIVERGED) throw e;
      Object.assign(r, { diverged: true, pending: null, nextEval: Infinity });
      return;
    }
    p.correct += ev.accuracy * d.n;
    p.loss += ev.loss * d.n;
    p.n += d.n;
    if (p.next < this.evalSets.length) return;
    r.pending = null;
    r.history.push({ samples: r.samples, seconds: r.seconds, acc: p.correct / p.n, loss: p.loss / p.n });
  }

  /** Each net's class probabilities for one digit (784 values in [0, 1]): [{name, probs}]. */
  predict(x) {
    return this.runners.map((r) => ({ name: r.name, probs: r.net.predict(x) }));
  }

  free() {
    for (const r of this.runners) r.net.free();
    for (const d of this.evalSets) d.free();
    this.runners = [];
    this.evalSets = [];
  }
}
