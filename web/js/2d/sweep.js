// sweep.js: what the 2D view gives the experiments panel
// (shared/sweep/panel.js): its current net (features, layers, output) and
// training settings as a run's description, and its points, mapped to the
// chosen features, as plain arrays.
import { mapFeatures } from './features.js';
import { targets } from './datasets.js';

/** Epochs of a 2D run unless the panel says otherwise (the sets are small), and the accuracy target. */
export const EPOCHS_2D = 100;
const TARGET_2D = 0.9;

/** {base, data} from the view's trainer (its data, features, output) and state['2d']; limit: the first training points only (0: all). */
export function sweepSetup2D(tr, s, limit) {
  const out = tr.output, k = tr.features.length;
  const layers = s.hidden.map((units) => ({ units, activation: s.activation, dropout: s.dropout, batchNorm: s.batchNorm }));
  const net = {
    inputs: k, layers, outputs: out.units, output: out.output, loss: out.loss, seed: s.seed, maxBatch: 2048,
    activation: s.activation, dropout: s.dropout, batchNorm: s.batchNorm,
    init: { name: s.init, constant: s.initConst }, threshold: out.output === 'tanh' ? 0 : undefined,
    optimizer: { name: s.optimizer, lr: s.lr, momentum: s.momentum, beta2: s.beta2, decay: s.decay },
    l1: s.reg === 'l1' ? s.regRate : 0, l2: s.reg === 'l2' ? s.regRate : 0,
  };
  const plain = (set, cap = Infinity) => {
    const n = Math.min(cap, set.x.length / tr.raw.dims);
    if (!n) return null;
    const t = targets(set, out);
    return { x: mapFeatures(set.x.subarray(0, n * tr.raw.dims), tr.raw.dims, tr.features), dims: k,
      ...(t.labels ? { labels: Int32Array.from(t.labels).subarray(0, n) } : { y: Float32Array.from(t.y).subarray(0, n), targetDims: 1 }) };
  };
  const n = tr.raw.train.x.length / tr.raw.dims;
  return {
    base: { net, batch: Math.min(s.batch, n), epochs: EPOCHS_2D, records: 1, target: out.loss === 'mse' && !out.output.startsWith('tanh') ? null : TARGET_2D },
    data: { train: plain(tr.raw.train, limit > 0 ? limit : Infinity), dev: plain(tr.raw.dev), test: plain(tr.raw.test) },
  };
}
