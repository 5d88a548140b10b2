// earlystop.js: early stopping on a dev set, for every view. EarlyStopping
// is the rule alone (pure: the best epoch so far and patience), DevMonitor
// adds what a view needs around it: the test score measured at the best
// epoch, and a copy of the best weights (the net's snapshot(): parameters
// and batch-norm statistics, one Float32Array allocated once per net size
// and overwritten at each new best) to restore on request or on stop.
// No DOM: shared/earlystop-panel.js draws it.

/**
 * The rule: the dev loss of each epoch end against the best so far. A new
 * best is a loss strictly below it (a NaN loss never is). With patience p >
 * 0, training stops at the first epoch end p epochs after the best (or after
 * the epoch training was resumed at, whichever is later); patience 0 never
 * stops. A stop is reported once; training on after it (resume) counts the
 * patience again from there.
 */
export class EarlyStopping {
  constructor({ patience = 0 } = {}) {
    this.patience = patience;
    this.reset();
  }

  /** Forgets the best and any stop (a new run). */
  reset() {
    this.bestEpoch = -1;
    this.bestLoss = Infinity;
    this.since = 0;
    this.stopped = false;
  }

  /** Epochs since the best (or the resume), at epoch `epoch`. */
  waited(epoch) {
    return this.bestEpoch < 0 ? 0 : epoch - Math.max(this.bestEpoch, this.since);
  }

  /** An epoch ended with this dev loss: 'best', 'stop' (once) or null. */
  observe(epoch, devLoss) {
    if (devLoss < this.bestLoss) {
      this.bestLoss = devLoss;
      this.bestEpoch = epoch;
      return 'best';
    }
    if (this.stopped || this.patience <= 0 || this.bestEpoch < 0) return null;
    if (this.waited(epoch) < this.patience) return null;
    this.stopped = true;
    return 'stop';
  }

  /** Training goes on after a stop: patience counts again from `epoch`. */
  resume(epoch) {
    if (!this.stopped) return;
    this.stopped = false;
    this.since = epoch;
  }
}

/**
 * Early stopping around a net: at each epoch end (and at the start, epoch
 * 0) the dev score goes to the rule; at a new best the test score of the
 * same weights is measured (`test()`, only then) and the weights are copied.
 * best: {epoch, step, devLoss, devAcc, testLoss, testAcc} or null; stop:
 * {epoch, bestEpoch, restored} after a stop by patience, else null;
 * restored: {epoch} once the best weights are put back, until the next epoch end.
 */
export class DevMonitor {
  constructor({ patience = 0, autoRestore = false } = {}) {
    this.rule = new EarlyStopping({ patience });
    this.autoRestore = autoRestore;
    this.weights = null;
    this.reset();
  }

  /** Patience (epochs, 0 = off) and whether a stop restores the best weights; they apply at once. */
  configure({ patience, autoRestore }) {
    this.rule.patience = patience;
    this.autoRestore = autoRestore;
  }

  /** A new run (a new net, a reset): no best, no stop. The copy's buffer is kept for a net of the same size. */
  reset() {
    this.rule.reset();
    this.best = null;
    this.stop = null;
    this.restored = null;
  }

  /**
   * An epoch ended (or the run starts): point {epoch, step, devLoss, devAcc}
   * of `net`; test() gives {loss, accuracy} of the same weights. Returns
   * 'best', 'stop' or null; a stop restores the best weights when autoRestore is set.
   */
  epochEnd(point, net, test) {
    this.restored = null;
    const verdict = this.rule.observe(point.epoch, point.devLoss);
    if (verdict === 'best') {
      const t = test();
      this.best = { ...point, testLoss: t.loss, testAcc: t.accuracy };
      const size = net.snapshotSize;
      if (this.weights?.length !== size) this.weights = new Float32Array(size);
      net.snapshot(this.weights);
    } else if (verdict === 'stop') {
      this.stop = { epoch: point.epoch, bestEpoch: this.best.epoch, restored: false };
      if (this.autoRestore) this.stop.restored = this.restore(net);
    }
    return verdict;
  }

  /** Puts the best weights back into `net`; false when there are none (or they are another net's). */
  restore(net) {
    if (!this.best || this.weights?.length !== net.snapshotSize) return false;
    net.restore(this.weights);
    this.restored = { epoch: this.best.epoch };
    return true;
  }

  /** Epochs since the best (or since training went on after a stop). */
  waited(epoch) { return this.rule.waited(epoch); }

  /** Training goes on (Play): after a stop, patience counts again from `epoch`. */
  resume(epoch) {
    if (!this.stop) return;
    this.rule.resume(epoch);
    this.stop = null;
  }
}
