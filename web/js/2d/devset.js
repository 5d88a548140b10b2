// devset.js: the 2D view's dev set and early stopping, on top of its
// controller (view.js): the dev loss and accuracy in the status line, the
// dev curve and the best-dev marker on the charts, the dev points on the
// boundary (hollow diamonds, shown with the test points by "Show test and dev
// data"), the panel (shared/earlystop-panel.js) with Restore best weights,
// and pausing when patience stops training. The model side is in model.js
// (Trainer: sets.dev, early).
import * as F from '../shared/format.js';
import { EarlyStopPanel } from '../shared/earlystop-panel.js';

export class DevView2D {
  /** view: the View2D; the panel goes under its status lines, before the curves. */
  constructor(view) {
    this.view = view;
    this.panel = new EarlyStopPanel({
      t: (k, v) => view.t(k, v), id: 'earlystop',
      onRestore: () => view.guard(() => { if (view.trainer.restoreBest()) view.dirty = true; }),
    });
    view.$('chart').before(this.panel.root);
  }

  get trainer() { return this.view.trainer; }

  relabel() { this.panel.relabel((k, v) => this.view.t(k, v)); }

  /** Play pressed: after a stop by patience, training goes on (patience counts again from here). */
  playing(on) {
    if (on && this.trainer) this.trainer.early.resume(this.trainer.epochs);
  }

  /** The status line's dev parts for history point h: {loss: ' · Dev loss …', acc: ' / dev …'} ('' without a dev set). */
  status(h, f, pct) {
    if (!this.trainer.sets.dev) return { loss: '', acc: '' };
    const t = (k) => this.view.t(k);
    return { loss: ` · ${t('devLoss')} ${f(h.devLoss)}`, acc: ` / ${t('devAcc')} ${pct(h.devAcc)}` };
  }

  /** Chart options with the dev curve's label and the best-dev marker, for metric 'loss' or 'accuracy'. */
  chart(options, metric) {
    const tr = this.trainer, best = tr.early.best, t = (k) => this.view.t(k);
    if (!tr.sets.dev) return options;
    const acc = metric === 'accuracy';
    return { ...options, labels: { ...options.labels, dev: acc ? t('devAcc') : t('devLoss'), best: best && this.view.t('bestDevAt', { epoch: best.epoch }) },
      best: best && { step: best.step, value: acc ? best.devAcc : best.devLoss } };
  }

  /** The dev points, with the test points (the showTest setting). */
  drawPoints() {
    const raw = this.trainer.raw;
    if (raw.dev.x.length) this.view.boundary.drawPoints(raw.dev, raw.dims, { dev: true, kind: raw.kind });
  }

  /** The panel: best dev epoch, test score then and now, a stop; the charts' text alternatives name the best epoch. */
  update() {
    const tr = this.trainer, s = this.view.s, lang = this.view.ctx.state.page.lang, v = this.view;
    const h = tr.history[tr.history.length - 1], best = tr.sets.dev && tr.early.best;
    for (const [id, key] of [['chart', 'lossChart'], ['acc-chart', 'accChart']]) {
      const label = `${v.t(key)}${best ? ` · ${v.t('bestDevAt', { epoch: best.epoch })}` : ''}`;
      if (v.$(id)?.getAttribute('aria-label') !== label) v.$(id)?.setAttribute('aria-label', label);
    }
    this.panel.update({ monitor: tr.sets.dev ? tr.early : null, epoch: tr.epochs, now: { testLoss: h.testLoss, testAcc: h.testAcc },
      classify: tr.raw.kind !== 'regression', patience: s.patience,
      fmt: { loss: (x) => F.fixed(lang, x, 4), pct: (x) => F.percent(lang, x, 1) } });
  }
}
