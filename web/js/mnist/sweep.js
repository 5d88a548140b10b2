// sweep.js: what the MNIST view gives the experiments panel
// (shared/sweep/panel.js): its current net and training settings as a
// run's description, and its digits (dev split included) as plain bytes.
import { PIXELS, SCALE, splitDev } from '../mnist.js';
import { digitData } from '../shared/sweep/runner.js';
import { netOptions, devCap } from './model.js';

/** The sweep's accuracy target on the digits (the 'to target' columns). */
export const DIGITS_TARGET = 0.9;

/** {base, data} from the view's state (state.mnist) and digits; limit: the first training digits only (0: all). */
export function mnistSweepSetup(view, limit) {
  if (!view.ready) throw new Error(view.t('swLoading'));
  const s = view.state;
  const { train, dev } = splitDev(view.mnist.train, Math.min(s.dev, devCap(view.mnist.train.n)));
  const net = { ...netOptions(s), l1: s.l1 ?? 0 };
  return { base: { net, batch: s.batch, epochs: s.epochs, records: 4, target: DIGITS_TARGET },
    data: digitData({ train, dev, test: view.mnist.test }, PIXELS, SCALE, limit) };
}
