// cases.mjs: what the benchmark measures, shared by every engine: the case
// table (name, unit, direction), the two networks, the time budgets, the
// prediction grids and the data (Circle points from nnplay's generator, the
// first MNIST digits scaled to [0, 1]), plus the timing helpers.

import { loadMnist, toFloat } from './mnist.mjs';

/** Cases in report order; `higher` says whether a larger value is faster. */
export const CASES = [
  { id: '2d-train', title: '2D training (2-8-8-2 tanh, batch 10, 200 Circle points)', unit: 'samples/s', higher: true },
  { id: 'grid-100', title: 'Decision boundary, 100×100 grid predict', unit: 'ms', higher: false },
  { id: 'grid-300', title: 'Decision boundary, 300×300 grid predict', unit: 'ms', higher: false },
  { id: 'mnist-train', title: 'MNIST training (784-120-80-10 sigmoid, batch 64)', unit: 'samples/s', higher: true },
  { id: 'mnist-infer', title: 'MNIST inference (batch 2000)', unit: 'samples/s', higher: true },
];

/** The 2D net: 2-8-8-2, tanh hidden, softmax cross-entropy, SGD 0.03, batch 10. */
export const NET_2D = { inputs: 2, hidden: [8, 8], activation: 'tanh', outputs: 2, lr: 0.03, batch: 10 };
/** The MNIST net: 784-120-80-10, sigmoid hidden, softmax cross-entropy, SGD 0.1, batch 64. */
export const NET_MNIST = { inputs: 784, hidden: [120, 80], activation: 'sigmoid', outputs: 10, lr: 0.1, batch: 64 };

/** nnplay's max_batch (the predict chunk) per net, the fastest measured (see BENCHMARKS.md). */
export const MAX_BATCH = { '2d': 4096, mnist: 2000 };

export const MNIST_TRAIN_N = 9600;   // the first 9600 digits: 150 whole batches of 64
export const MNIST_INFER_N = 2000;   // the first 2000 test digits, one batch
export const GRID_SIDES = { 'grid-100': 100, 'grid-300': 300 };

/** Time budgets (ms) of one case run; the warm-up round uses a fraction. */
export const BUDGET = { train: 700, predict: 250 };

/** Cell centres of a side x side grid over [-6, 6]^2, row by row from the top: (side², 2). */
export function gridPoints(side) {
  const x = new Float32Array(2 * side * side);
  for (let i = 0; i < side; i++) {
    for (let j = 0; j < side; j++) {
      x[2 * (i * side + j)] = -6 + (12 * (j + 0.5)) / side;
      x[2 * (i * side + j) + 1] = 6 - (12 * (i + 0.5)) / side;
    }
  }
  return x;
}

/** The shared data: Circle points from an nnplay instance, grids, MNIST subsets. */
export function loadShared(nnplay) {
  const circle = nnplay.dataset('circle', { n: 200, noise: 0, seed: 1 });
  const points = { x: circle.x.slice(), labels: circle.labels.slice(), n: circle.n };
  circle.free();
  const train = loadMnist('train', { limit: MNIST_TRAIN_N });
  const test = loadMnist('test', { limit: MNIST_INFER_N });
  return {
    points,
    grids: Object.fromEntries(Object.entries(GRID_SIDES).map(([id, side]) => [id, gridPoints(side)])),
    mnist: {
      train: { x: toFloat(train.images), labels: Int32Array.from(train.labels), n: train.n },
      test: { x: toFloat(test.images), labels: Int32Array.from(test.labels), n: test.n },
    },
  };
}

/** Runs step() (returning work done) for budgetMs; returns work per second. */
export function perSecond(budgetMs, step) {
  let work = 0;
  const t0 = performance.now();
  let t;
  do {
    work += step();
    t = performance.now();
  } while (t - t0 < budgetMs);
  return work / ((t - t0) / 1000);
}

/** Runs call() repeatedly for budgetMs; returns ms per call. */
export function msPerCall(budgetMs, call) {
  return 1000 / perSecond(budgetMs, () => { call(); return 1; });
}

/** Index of the largest of row i of a (n, width) array. */
export function argmax(a, i, width) {
  let best = 0;
  for (let j = 1; j < width; j++) if (a[i * width + j] > a[i * width + best]) best = j;
  return best;
}

/** Fraction of rows of probabilities (n, width) whose argmax is the label. */
export function accuracy(probs, labels, width) {
  let ok = 0;
  for (let i = 0; i < labels.length; i++) ok += argmax(probs, i, width) === labels[i] ? 1 : 0;
  return ok / labels.length;
}

/**
 * The per-case runners of a JS engine, given its four primitives:
 * train2d(budgetMs) and trainMnist(budgetMs) -> samples/s, predict2d(x, out)
 * and predictMnist(x, out) writing probabilities.
 */
export function jsRunners(shared, { train2d, predict2d, trainMnist, predictMnist }) {
  const outs = Object.fromEntries(Object.entries(shared.grids).map(([id, x]) => [id, new Float32Array(x.length)]));
  const { test } = shared.mnist;
  const mnistOut = new Float32Array(test.n * NET_MNIST.outputs);
  const gridCase = (id) => (b) => msPerCall(b.predict, () => predict2d(shared.grids[id], outs[id]));
  let trained = 0;   // MNIST digits trained so far (rate times budget: about)
  return {
    '2d-train': (b) => train2d(b.train),
    'grid-100': gridCase('grid-100'),
    'grid-300': gridCase('grid-300'),
    'mnist-train': (b) => {
      const rate = trainMnist(b.train);
      trained += (rate * b.train) / 1000;
      return rate;
    },
    'mnist-infer': (b) => perSecond(b.predict, () => { predictMnist(test.x, mnistOut); return test.n; }),
    checks() {
      const p2 = new Float32Array(shared.points.n * 2);
      predict2d(shared.points.x, p2);
      predictMnist(test.x, mnistOut);
      return {
        '2d-accuracy': accuracy(p2, shared.points.labels, 2),
        'mnist-accuracy': accuracy(mnistOut, test.labels, NET_MNIST.outputs),
        'mnist-trained': trained,
      };
    },
  };
}
