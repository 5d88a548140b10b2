// status.js: the CNN view's status line and curves of one run, worded and
// drawn as the MLP view's (mnist/view.js, mnist/views.js drawCurves), so the
// two models read alike.
import { QUICK_TEST } from '../mnist/model.js';
import { drawCurves } from '../mnist/views.js';

/** "Epoch 1/1 · Train loss … · Test loss … · Accuracy test …%" of run `r` (mnist/model.js Run). */
export function statusLine(r, { t, fmt, testCount }) {
  const h = r.history[r.history.length - 1];
  if (!h) return t('mEvaluating');
  return `${t('epoch')} ${Math.min(r.epoch + 1, r.epochs)}/${r.epochs} · ${t('trainLoss')} ${fmt.fixed(h.trainLoss, 4)} · `
    + `${t('testLoss')} ${fmt.fixed(h.testLoss, 4)} · ${t('accuracy')} ${t('testAcc')} ${fmt.percent(h.testAcc, 2)}`
    + (h.full ? '' : ` (${t('mQuick', { test: testCount, quick: fmt.count(QUICK_TEST) })})`);
}

/** The loss curves (train, test) and accuracy curves (train on 1,000 digits, test) in percent. */
export function curveSeries(r, { t, fmt }) {
  const pts = (key, scale = 1) => r.history.map((p) => [p.x, p[key] * scale]);
  return {
    loss: [{ label: t('trainLoss'), color: '#333', points: pts('trainLoss') },
      { label: t('testLoss'), color: '#D55E00', dash: [4, 3], points: pts('testLoss') }],
    acc: [{ label: t('mTrainAcc', { n: fmt.count(QUICK_TEST) }), color: '#333', points: pts('trainAcc', 100) },
      { label: t('mTestAcc'), color: '#D55E00', dash: [4, 3], points: pts('testAcc', 100) }],
  };
}

/** Draws run `r`'s loss curves on one canvas and its accuracy curves on another. */
export function drawRunCurves(lossCanvas, accCanvas, r, { t, fmt }) {
  const { loss, acc } = curveSeries(r, { t, fmt }), xLabel = t('epoch').toLowerCase();
  drawCurves(lossCanvas, loss, { yMin: 0, xLabel, fmt });
  drawCurves(accCanvas, acc, { xLabel, unit: '%', legendBottom: true, fmt });
}
