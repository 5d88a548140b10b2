// sweep.js: what the CNN view gives the experiments panel
// (shared/sweep/panel.js): its architecture with the shared MNIST training
// settings as a run's description, and its digits as plain bytes.
import { PIXELS, SCALE } from '../mnist.js';
import { digitData } from '../shared/sweep/runner.js';
import { DIGITS_TARGET } from '../mnist/sweep.js';
import { archError, failureText, maxBatchFor, netLayers, parseArch, plan, totals } from './arch.js';
import { netOptions } from './model.js';

/** {base, data} from the view's architecture and settings; limit: the first training digits only (0: all). */
export function cnnSweepSetup(view, limit) {
  if (!view.mnist) throw new Error(view.t('swLoading'));
  const arch = view.state.arch, problem = archError(arch);
  if (problem) throw new Error(failureText(view.t, problem));
  const { layers } = parseArch(arch);
  // the batch a step's cost allows (arch.js), as the view trains
  const maxBatch = maxBatchFor(totals(plan(layers).rows).macs), s = view.shared;
  return { base: { net: netOptions(s, netLayers(layers), maxBatch), batch: Math.min(s.batch, maxBatch), epochs: s.epochs,
    records: 4, target: DIGITS_TARGET }, data: digitData({ train: view.mnist.train, dev: null, test: view.mnist.test }, PIXELS, SCALE, limit) };
}
