// datasets.js: the page's data from its state. Points come from the engine's
// seeded generators (so Node, C and the page see the same data for a seed),
// are shuffled with the data seed and split into train, dev and test sets
// (consecutive slices, see split); points the user added are kept
// separately and join the training set.
import { task } from './task.js';
import { CUSTOM, usesCustom } from './custom-data.js';

/**
 * Sizes of the three sets for `points` points: the first trainPct % train,
 * the next devPct % dev, the rest test. The dev set comes out of the points
 * that would otherwise be test points, so a dev share leaves the training
 * set (and so training) exactly as without one; it takes at most half of
 * them, so the test set is never smaller than the dev set. devPct 0: no dev
 * set, as before dev sets existed.
 */
export function split(points, trainPct, devPct = 0) {
  const train = Math.max(1, Math.round((points * trainPct) / 100));
  const dev = Math.max(0, Math.min(Math.round((points * devPct) / 100), Math.floor((points - train) / 2)));
  return { train, dev, test: points - train - dev };
}

/**
 * Generates the raw points of a state: {dims, kind, classes, train, dev, test},
 * where each set is {x (n*dims), labels (Int32Array) or y (Float32Array)}
 * (dev has no points without a dev share).
 */
export function generate(nn, state, added = []) {
  const t = task(state);
  const classes = t.kind === 'multiclass' ? t.classes : 2;
  // a loaded CSV's points (custom-data.js), shuffled by the data seed like a generated set's; before any file, the circle
  const own = usesCustom(state) ? CUSTOM.data : null;
  const all = own ? nn.data({ x: own.x, ...(own.labels ? { labels: own.labels } : { y: own.y }), dims: 2 })
    : nn.dataset(state.dataset === 'custom' ? 'circle' : state.dataset, { n: state.points, noise: state.noise, seed: state.dataSeed, classes });
  all.shuffle(state.dataSeed);
  const dims = all.dims;
  const sizes = split(all.n, state.trainPct, state.devPct), nTrain = sizes.train, nDev = sizes.dev;
  const pick = (from, to) => ({
    x: all.x.slice(from * dims, to * dims),
    labels: all.labels ? all.labels.slice(from, to) : null,
    y: all.y ? all.y.slice(from, to) : null,
  });
  const train = pick(0, nTrain), dev = pick(nTrain, nTrain + nDev), test = pick(nTrain + nDev, all.n);
  all.free();
  const extra = added.filter((p) => (t.kind === 'regression' ? p.y !== undefined : p.label < classes));
  if (extra.length) {
    train.x = concat(train.x, extra.flatMap((p) => (dims === 1 ? [p.x1] : [p.x1, p.x2])), Float32Array);
    if (train.labels) train.labels = concat(train.labels, extra.map((p) => p.label), Int32Array);
    if (train.y) train.y = concat(train.y, extra.map((p) => p.y), Float32Array);
  }
  return { dims, kind: t.kind, classes: t.kind === 'regression' ? 0 : classes, train, dev, test };
}

function concat(a, more, Type) {
  const out = new Type(a.length + more.length);
  out.set(a);
  out.set(more, a.length);
  return out;
}

/** Targets in the form the output needs: labels, 0/1, or -1/+1 for tanh. */
export function targets(set, output) {
  if (output.loss === 'softmax_ce') return { labels: set.labels };
  if (set.y) return { y: set.y };
  if (output.output === 'tanh') return { y: Float32Array.from(set.labels, (l) => 2 * l - 1) };
  return { y: Float32Array.from(set.labels) };
}

/** Index of the point nearest (x1, x2) among n points, and its squared distance. */
export function nearest(points, dims, x1, x2) {
  let best = -1, bestD = Infinity;
  for (let i = 0; i < points.length / dims; i++) {
    const dx = points[i * dims] - x1, dy = dims > 1 ? points[i * dims + 1] - x2 : 0;
    const d = dx * dx + dy * dy;
    if (d < bestD) { best = i; bestD = d; }
  }
  return { index: best, d2: bestD };
}
