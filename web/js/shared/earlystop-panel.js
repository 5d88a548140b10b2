// earlystop-panel.js: what a view shows of its dev set and early stopping
// (shared/earlystop.js), under its status line: the best dev epoch with the
// test score then and now, how long the dev loss has waited, the message of
// a stop by patience, and the Restore best weights button. Hidden without a
// dev set (unless a patience asks for one). Texts from earlystop-strings.js.
import { el } from './dom.js';

export class EarlyStopPanel {
  /**
   * t(key, values): the view's texts; id: the panel's id (its button's is
   * id-restore); onRestore(): the button; needs: the key of the line shown
   * for a patience without a dev set.
   */
  constructor({ t, id, onRestore, needs = 'esNeedsDev' }) {
    this.t = t;
    this.needs = needs;
    this.best = el('span', { className: 'es-best' });
    // a stop is said once, to screen readers too
    this.stop = el('span', { className: 'es-stop', role: 'status' });
    this.button = el('button', { type: 'button', id: `${id}-restore`, className: 'small' });
    this.button.addEventListener('click', () => onRestore());
    this.root = el('p', { className: 'earlystop', id, hidden: true }, this.best, ' ', this.stop, ' ', this.button);
    this.relabel(t);
  }

  /** The texts in the page's language. */
  relabel(t) {
    this.t = t;
    this.button.textContent = t('restoreBest');
    this.button.title = t('tip_restoreBest');
  }

  /**
   * monitor: the DevMonitor (null without a dev set); epoch: the current
   * epoch; now: {testLoss, testAcc} of the current weights; classify: show
   * accuracies; fmt: {loss(v), pct(v)}; patience: the setting (a patience
   * without a dev set gets a line saying so).
   */
  update({ monitor, epoch, now, classify, fmt, patience = 0 }) {
    const t = this.t;
    this.root.hidden = !monitor && !(patience > 0);
    if (this.root.hidden) return;
    const b = monitor?.best;
    let best, stop = '';
    if (!monitor) best = t(this.needs);
    else if (!b) best = t('esNone');
    else {
      best = t(classify ? 'esBestAcc' : 'esBest', { dev: fmt.loss(b.devLoss), epoch: b.epoch, test: fmt.loss(b.testLoss),
        testNow: fmt.loss(now.testLoss), acc: fmt.pct(b.testAcc), accNow: fmt.pct(now.testAcc) });
      if (monitor.restored && !monitor.stop?.restored) best += ` ${t('esRestored', { best: monitor.restored.epoch })}`;
      else if (patience > 0 && !monitor.stop && monitor.waited(epoch) > 0) best += ` ${t('esWaiting', { n: monitor.waited(epoch), p: patience })}`;
    }
    const s = monitor?.stop;
    if (s) stop = `${t('esStopped', { epoch: s.epoch, p: patience, best: s.bestEpoch })} ${t(s.restored ? 'esAutoRestored' : 'esRestoreHint', { best: s.bestEpoch })}`;
    if (this.best.textContent !== best) this.best.textContent = best;
    if (this.stop.textContent !== stop) this.stop.textContent = stop;
    this.button.disabled = !b;
  }
}
