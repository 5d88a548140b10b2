// devset.js: the MNIST view's dev set and early stopping, on top of its
// controller (view.js): the dev digits (the last `mDev` of the training
// set, model.js setDev) and the line saying which, the dev loss in the
// status, the dev curves and the best-dev marker (one net; a comparison
// keeps its test curves and tables each run's best), the panel
// (shared/earlystop-panel.js) with Restore best weights.
import { el } from '../shared/dom.js';
import { EarlyStopPanel } from '../shared/earlystop-panel.js';
import { DEV_COLOR, DEV_DASH } from '../shared/chart.js';
import { setDev, devCap } from './model.js';

export class MnistDev {
  /** view: the MnistView (its t, fmt, state, runs, sets). */
  constructor(view) {
    this.view = view;
    this.note = el('p', { className: 'help', id: 'm-dev-note' });
    this.panel = new EarlyStopPanel({ t: view.t, id: 'm-earlystop', needs: 'mEsNeedsDev', onRestore: view.guard(() => this.restore()) });
  }

  /** The elements for the curves card: which digits are the dev set, and the panel. */
  get nodes() { return [this.note, this.panel.root]; }

  /** A run's early-stopping settings from the view's. */
  get options() { return { patience: this.view.state.patience, autoRestore: this.view.state.autoRestore }; }

  /** The dev setting changed: the train and dev sets again (the runs are rebuilt after). */
  resplit() {
    const v = this.view;
    setDev(v.nn, v.mnist, v.sets, v.state.dev);
  }

  /** Every run back to its best weights on the dev set. */
  restore() {
    const v = this.view;
    if (v.runs.map((r) => r.restoreBest()).some(Boolean)) v.draw(true);
  }

  /** The status line's dev loss of history point h ('' without a dev set). */
  status(h) {
    return this.view.sets.dev ? ` · ${this.view.t('devLoss')} ${this.view.fmt.fixed(h.devLoss, 4)}` : '';
  }

  /**
   * The dev curve (one net) and the best-dev marker's legend entry, added to
   * the loss or accuracy series of view.draw; `points(key)` a run's [x, y].
   */
  series(list, metric, points) {
    const v = this.view, run = v.runs[0], b = run.early.best;
    if (!v.sets.dev || v.runs.length > 1) return list;
    const acc = metric === 'accuracy';
    const dev = { label: v.t(acc ? 'mDevAcc' : 'devLoss'), color: DEV_COLOR, dash: DEV_DASH, points: points(acc ? 'devAcc' : 'devLoss') };
    const best = b ? [{ label: `○ ${v.t('bestDevAt', { epoch: b.epoch })}`, color: DEV_COLOR, points: [],
      marker: { x: b.step, y: acc ? 100 * b.devAcc : b.devLoss } }] : [];
    return [...list, dev, ...best];
  }

  /** The note on the dev digits and the panel, after a draw. */
  update() {
    const v = this.view, s = v.state, f = v.fmt, run = v.runs[0], n = v.sets.nDev, total = v.mnist.train.n;
    let note = '';
    if (n) {
      note = v.t('mDevNote', { from: f.count(total - n + 1), to: f.count(total), n: f.count(n), train: f.count(total - n) });
      if (s.dev > devCap(total)) note += ` ${v.t('mDevCapped', { n: f.count(n) })}`;
    }
    if (this.note.textContent !== note) this.note.textContent = note;
    this.note.hidden = !note;
    const h = run.history[run.history.length - 1] ?? {};
    const full = [...run.history].reverse().find((p) => p.full) ?? h;
    this.panel.update({ monitor: v.sets.dev ? run.early : null, epoch: run.epoch, now: { testLoss: full.testLoss, testAcc: full.testAcc },
      classify: true, patience: s.patience, fmt: { loss: (x) => f.fixed(x, 4), pct: (x) => f.percent(x, 2) } });
  }
}
