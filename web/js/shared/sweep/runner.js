// runner.js: one run of a sweep, in any thread (a Web Worker, a Node worker
// thread, or the page's main thread time-sliced): builds the net from its
// description, trains it on the sets in slices of about `ms`, records test
// and dev loss and accuracy a few times per epoch (the whole sets at each
// epoch end), and ends with the row of the results table and the first
// layer's weights. No DOM, no clock but performance.now(). Given the same
// description and data, every number but the times is the same in any thread.

/** Evaluation works through the sets in chunks of this many examples (a time slice never waits for a whole test set). */
const CHUNK = 1000;

/**
 * The engine-side sets from plain arrays ({x | x8, scale, labels | y, dims,
 * targetDims} per set; dev and test may be null): train, and dev and test in
 * chunks (the first `quick` examples of each: the estimate between epoch ends).
 */
export function makeSets(nn, data, quick = 1000) {
  const wrap = (s, a, b) => nn.data({ dims: s.dims, targetDims: s.targetDims, scale: s.scale,
    ...(s.x8 ? { x8: s.x8.subarray(a * s.dims, b * s.dims) } : { x: s.x.subarray(a * s.dims, b * s.dims) }),
    ...(s.labels ? { labels: s.labels.subarray(a, b) } : { y: s.y.subarray(a * (s.targetDims ?? 1), b * (s.targetDims ?? 1)) }) });
  const count = (s) => (s.labels ?? s.y).length / (s.labels ? 1 : s.targetDims ?? 1);
  const chunked = (s) => {
    if (!s || !count(s)) return null;
    const n = count(s), all = [];
    for (let a = 0; a < n; a += CHUNK) all.push(wrap(s, a, Math.min(n, a + CHUNK)));
    return { all, quick: all.slice(0, Math.max(1, Math.ceil(quick / CHUNK))), n };
  };
  return { train: wrap(data.train, 0, count(data.train)), nTrain: count(data.train), dev: chunked(data.dev),
    test: chunked(data.test) };
}

/**
 * The plain data of digit sets ({images (bytes), labels, n}; dev may be
 * null or empty), the first `limit` training digits only when given.
 */
export function digitData({ train, dev, test }, dims, scale, limit = 0) {
  const n = limit > 0 ? Math.min(limit, train.n) : train.n;
  const plain = (s, k = s?.n) => (s && k ? { x8: s.images.subarray(0, k * dims), labels: Int32Array.from(s.labels.subarray(0, k)), dims, scale } : null);
  return { train: plain(train, n), dev: plain(dev), test: plain(test) };
}

/** Frees what makeSets made. */
export function freeSets(sets) {
  sets.train.free();
  for (const s of [sets.dev, sets.test]) s?.all.forEach((d) => d.free());
}

/** Digest of a float array (FNV-1a over its bytes): equal initial weights give equal digests. */
export function digest(a) {
  const u8 = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let h = 0x811c9dc5;
  for (let i = 0; i < u8.length; i++) h = Math.imul(h ^ u8[i], 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

export class SweepRun {
  /**
   * desc: {label, net (createNet options), batch, epochs, records (points per
   * epoch), target (test accuracy for 'time to target', or null)};
   * isDiverged(e): whether an engine error is the divergence status.
   */
  constructor(nn, sets, desc, isDiverged) {
    this.desc = desc;
    this.sets = sets;
    this.isDiverged = isDiverged;
    this.net = nn.createNet(desc.net);
    this.params = this.net.params().length;
    this.initDigest = digest(this.net.params());
    this.perEpoch = Math.ceil(sets.nTrain / desc.batch);
    this.every = Math.max(1, Math.round(this.perEpoch / Math.max(1, desc.records ?? 4)));
    this.epoch = 0;
    this.stepInEpoch = 0;
    this.samples = 0;
    // training time (samples/s, seconds to target), apart from evaluation
    // time: summed over each stretch of one kind of work, not per engine call,
    // which can be shorter than a worker's coarse clock ticks (a 2D step)
    this.trainMs = 0;
    this.evalMs = 0;
    this.lossSum = 0;
    this.lossSteps = 0;
    this.history = [];
    this.diverged = false;
    this.best = null;
    this.reached = null;
    this.record(false);
  }

  get done() { return !this.pending && (this.diverged || this.epoch >= this.desc.epochs); }

  /** Works for about `ms` (at least one piece); returns the history points completed. */
  step(ms) {
    const t0 = performance.now(), points = [];
    let mark = t0, phase = null;
    const lap = (next) => {
      if (next === phase) return;
      const now = performance.now();
      if (phase) this[phase] += now - mark;
      mark = now;
      phase = next;
    };
    do {
      if (this.pending) {
        lap('evalMs');
        const p = this.evaluateNext();
        if (p) points.push(p);
        continue;
      }
      if (this.done) break;
      lap('trainMs');
      const steps = Math.min(this.every - (this.stepInEpoch % this.every), this.perEpoch - this.stepInEpoch);
      let r;
      try {
        r = this.net.train(this.sets.train, { batchSize: this.desc.batch, steps });
      } catch (e) {
        if (!this.isDiverged(e)) throw e;
        this.diverged = true;
        break;
      }
      this.samples += r.steps * this.desc.batch;
      this.lossSum += r.loss * r.steps;
      this.lossSteps += r.steps;
      this.stepInEpoch += r.steps;
      if (this.stepInEpoch >= this.perEpoch) {
        this.epoch += 1;
        this.stepInEpoch = 0;
        this.record(true);
      } else if (this.stepInEpoch % this.every === 0) this.record(false);
    } while (performance.now() - t0 < ms);
    lap(null);
    return points;
  }

  /** Starts a history point: the test and dev sets, whole at an epoch end, else their first examples. */
  record(full) {
    const part = (s) => (s ? (full ? s.all : s.quick) : []);
    this.pending = { full, x: this.epoch + this.stepInEpoch / this.perEpoch, next: 0, diverged: false,
      chunks: [...part(this.sets.test).map((d) => ['test', d]), ...part(this.sets.dev).map((d) => ['dev', d])],
      sums: { test: { loss: 0, acc: 0, n: 0 }, dev: { loss: 0, acc: 0, n: 0 } } };
  }

  /** Evaluates one chunk; returns the point after the last one. */
  evaluateNext() {
    const p = this.pending;
    if (p.next < p.chunks.length) {
      const [kind, d] = p.chunks[p.next++], s = p.sums[kind];
      let ev;
      try {
        ev = this.net.evaluate(d);
      } catch (e) {
        if (!this.isDiverged(e)) throw e;
        ev = { loss: NaN, accuracy: NaN };
        p.diverged = true;
      }
      s.loss += ev.loss * d.n;
      s.acc += ev.accuracy * d.n;
      s.n += d.n;
      if (p.next < p.chunks.length) return null;
    }
    this.pending = null;
    const mean = (s, f) => (s.n ? s[f] / s.n : NaN);
    const point = { x: p.x, full: p.full, trainLoss: this.lossSteps ? this.lossSum / this.lossSteps : NaN,
      testLoss: mean(p.sums.test, 'loss'), testAcc: mean(p.sums.test, 'acc'),
      devLoss: mean(p.sums.dev, 'loss'), devAcc: mean(p.sums.dev, 'acc'),
      seconds: this.trainMs / 1000 };
    this.lossSum = 0;
    this.lossSteps = 0;
    this.history.push(point);
    if (p.diverged) this.diverged = true;
    // best dev: over the epoch ends (whole dev set), as early stopping judges
    if (p.full && Number.isFinite(point.devLoss) && !(this.best?.devLoss <= point.devLoss)) this.best = point;
    const target = this.desc.target;
    if (target != null && !this.reached && point.testAcc >= target) this.reached = point;
    return point;
  }

  /** The first weighted layer: {W (a copy), units, inputs, side (a tile's side: 28 for digits, a filter's kernel, 0 for others)}. */
  firstLayer() {
    const l = this.net.layers().find((x) => x.W);
    const units = l.type === 'conv' ? l.shape[0] : l.outputs;
    const per = l.W.length / units, side = Math.round(Math.sqrt(per));
    return { W: Float32Array.from(l.W), units, inputs: per, side: side * side === per && per > 4 ? side : 0 };
  }

  /** The row of the results table (see table.js COLUMNS). */
  result() {
    const last = this.history.at(-1);
    return {
      label: this.desc.label, state: this.diverged ? 'diverged' : 'done', epochs: this.epoch,
      testLoss: last?.testLoss ?? NaN, testAcc: last?.testAcc ?? NaN,
      bestDevLoss: this.best?.devLoss ?? NaN, bestDevAcc: this.best?.devAcc ?? NaN, bestDevEpoch: this.best?.x ?? NaN,
      targetEpochs: this.reached?.x ?? NaN, targetSeconds: this.reached?.seconds ?? NaN,
      samplesPerSecond: this.trainMs > 0 ? this.samples / (this.trainMs / 1000) : NaN,
      params: this.params, initDigest: this.initDigest,
    };
  }

  free() { this.net.free(); }
}
