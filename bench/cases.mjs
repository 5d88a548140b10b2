// cases.mjs: what the benchmark measures, shared by every engine: the case
// table (name, unit, direction), the three networks, the time budgets, the
// prediction grids and the data (Circle points from nnplay's generator, the
// first MNIST digits scaled to [0, 1]), plus the timing helpers.

import { loadMnist, toFloat } from './mnist.mjs';

/** Multiply-add flops of a dense net's matrix products per sample (2 per multiply-add):
 * forward x·Wᵀ, and for training also dW = dyᵀ·x and dx = dy·W (not for the first layer). */
export function mlpFlops(sizes, train) {
  const pairs = sizes.slice(1).map((n, i) => sizes[i] * n);
  const fwd = 2 * pairs.reduce((a, b) => a + b, 0);
  return train ? 2 * fwd + 2 * pairs.slice(1).reduce((a, b) => a + b, 0) : fwd;
}

/** The same count for a conv net's training step: conv layers are GEMMs of
 * (C_out) x (C_in·k·k) by (C_in·k·k) x (H_out·W_out), the dense head as above. */
function cnnTrainFlops() {
  // conv1 1→8 5×5 on 28×28 (first layer: no dx), conv2 8→16 5×5 on 14×14, dense 256→10
  const conv1 = 2 * 8 * 25 * 28 * 28, conv2 = 2 * 16 * 200 * 14 * 14, dense = 2 * 256 * 10;
  return 2 * conv1 + 3 * conv2 + 3 * dense;
}

/** The square GEMM cases: an n x n dense layer (linear output) predicting a batch of n rows. */
export const GEMM_SIDES = { 'gemm-512': 512, 'gemm-1024': 1024 };

/**
 * Cases in report order; `higher` says whether a larger value is faster;
 * `flops` is the matrix products' work per sample (samples/s cases) or per
 * call (ms cases), from which the tables give GFLOP/s.
 */
export const CASES = [
  { id: '2d-train', title: '2D training (2-8-8-2 tanh, batch 10, 200 Circle points)', unit: 'samples/s', higher: true,
    flops: mlpFlops([2, 8, 8, 2], true) },
  { id: 'grid-100', title: 'Decision boundary, 100×100 grid predict', unit: 'ms', higher: false,
    flops: 100 * 100 * mlpFlops([2, 8, 8, 2], false) },
  { id: 'grid-300', title: 'Decision boundary, 300×300 grid predict', unit: 'ms', higher: false,
    flops: 300 * 300 * mlpFlops([2, 8, 8, 2], false) },
  { id: 'mnist-train', title: 'MNIST training (784-120-80-10 sigmoid, batch 64)', unit: 'samples/s', higher: true,
    flops: mlpFlops([784, 120, 80, 10], true) },
  { id: 'mnist-infer', title: 'MNIST inference (batch 2000)', unit: 'samples/s', higher: true,
    flops: mlpFlops([784, 120, 80, 10], false) },
  { id: 'cnn-train', title: "CNN training (ConvNetJS's MNIST net: conv 8@5×5 pad 2, ReLU, max pool 2, "
    + 'conv 16@5×5 pad 2, ReLU, max pool 3, softmax; batch 20)', unit: 'samples/s', higher: true, flops: cnnTrainFlops() },
  { id: 'gemm-512', title: 'GEMM 512 × 512 × 512: a 512-512 dense layer predicting 512 rows', unit: 'GFLOP/s', higher: true },
  { id: 'gemm-1024', title: 'GEMM 1024 × 1024 × 1024: a 1024-1024 dense layer predicting 1024 rows', unit: 'GFLOP/s',
    higher: true },
];

/** The cases named in a comma list ('all' or empty: every case); throws on an unknown name. */
export function selectCases(list) {
  if (!list || list === 'all') return CASES;
  const ids = list.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = ids.filter((id) => !CASES.some((c) => c.id === id));
  if (unknown.length) throw new Error(`unknown case ${unknown.join(', ')} (cases: ${CASES.map((c) => c.id).join(', ')})`);
  return CASES.filter((c) => ids.includes(c.id));
}

/** The 2D net: 2-8-8-2, tanh hidden, softmax cross-entropy, SGD 0.03, batch 10. */
export const NET_2D = { inputs: 2, hidden: [8, 8], activation: 'tanh', outputs: 2, lr: 0.03, batch: 10 };
/** The MNIST net: 784-120-80-10, sigmoid hidden, softmax cross-entropy, SGD 0.1, batch 64. */
export const NET_MNIST = { inputs: 784, hidden: [120, 80], activation: 'sigmoid', outputs: 10, lr: 0.1, batch: 64 };

/**
 * ConvNetJS's MNIST demo network on 1 x 28 x 28 digits, trained here with
 * plain SGD 0.01 (its demo uses Adadelta) so every engine does the same work
 * per step. Output shapes 8x28x28, 8x14x14, 16x14x14, 16x4x4, 10; parameters
 * conv1 208, conv2 3216, dense 2570.
 */
export const NET_CNN = {
  shape: [1, 28, 28], conv: [{ filters: 8, kernel: 5, pad: 2, pool: 2 }, { filters: 16, kernel: 5, pad: 2, pool: 3 }],
  outputs: 10, lr: 0.01, batch: 20, params: [208, 3216, 2570],
};

/** nnplay's max_batch (the predict chunk) per net, the fastest measured (see BENCHMARKS.md). */
export const MAX_BATCH = { '2d': 4096, mnist: 2000 };

export const MNIST_TRAIN_N = 9600;   // the first 9600 digits: 150 whole batches of 64
export const MNIST_INFER_N = 2000;   // the first 2000 test digits, one batch
export const CNN_CHECK_N = 500;      // the CNN's loss and accuracy on the first 500 test digits
export const GRID_SIDES = { 'grid-100': 100, 'grid-300': 300 };

/** Time budgets (ms) of one case run; the warm-up round uses a fraction. */
export const BUDGET = { train: 700, predict: 250, cnn: 1500 };

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

/** n x n floats in [-1, 1) from a fixed LCG: the GEMM cases' input rows. */
export function gemmInput(n) {
  const x = new Float32Array(n * n);
  let s = 12345;
  for (let i = 0; i < x.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    x[i] = s / 2 ** 31 - 1;
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
    gemm: Object.fromEntries(Object.entries(GEMM_SIDES).map(([id, n]) => [id, gemmInput(n)])),
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

/** Mean cross-entropy of rows of probabilities (n, width) against the labels. */
export function crossEntropy(probs, labels, width) {
  let sum = 0;
  for (let i = 0; i < labels.length; i++) sum -= Math.log(Math.max(probs[i * width + labels[i]], 1e-30));
  return sum / labels.length;
}

/**
 * The per-case runners of a JS engine, given its primitives: train2d,
 * trainMnist and trainCnn (budgetMs) -> samples/s; predict2d, predictMnist
 * and predictCnn (x, out) writing probabilities; cnnParams() the CNN's
 * parameter counts, one per layer that has parameters; gemm(n) -> (x, out)
 * a function computing out = x·W + b for an n x n W. An engine without the
 * CNN primitives has no 'cnn-train' runner, one without gemm no GEMM cases.
 */
export function jsRunners(shared, {
  train2d, predict2d, trainMnist, predictMnist, trainCnn, predictCnn, cnnParams, gemm,
}) {
  const outs = Object.fromEntries(Object.entries(shared.grids).map(([id, x]) => [id, new Float32Array(x.length)]));
  const { test } = shared.mnist;
  const mnistOut = new Float32Array(test.n * NET_MNIST.outputs);
  const gridCase = (id) => (b) => msPerCall(b.predict, () => predict2d(shared.grids[id], outs[id]));
  let trained = 0, cnnTrained = 0;   // digits trained so far (rate times budget: about)
  // the CNN's loss on the first test digits, before any training and in
  // checks(), to show that it falls
  const cnnX = test.x.subarray(0, CNN_CHECK_N * 784), cnnLabels = test.labels.subarray(0, CNN_CHECK_N);
  const cnnOut = new Float32Array(CNN_CHECK_N * NET_CNN.outputs);
  const cnnTest = () => {
    predictCnn(cnnX, cnnOut);
    const k = NET_CNN.outputs;
    return { loss: crossEntropy(cnnOut, cnnLabels, k), accuracy: accuracy(cnnOut, cnnLabels, k) };
  };
  const hasCnn = trainCnn !== undefined;
  const cnnStart = hasCnn ? cnnTest() : null;
  const runners = {
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
      const cnnEnd = hasCnn ? cnnTest() : null;
      return {
        '2d-accuracy': accuracy(p2, shared.points.labels, 2),
        'mnist-accuracy': accuracy(mnistOut, test.labels, NET_MNIST.outputs),
        'mnist-trained': trained,
        ...(hasCnn ? {
          'cnn-loss-start': cnnStart.loss,
          'cnn-loss': cnnEnd.loss,
          'cnn-accuracy': cnnEnd.accuracy,
          'cnn-trained': cnnTrained,
          'cnn-params': cnnParams(),
        } : {}),
      };
    },
  };
  if (gemm) {
    for (const [id, n] of Object.entries(GEMM_SIDES)) {
      const run = gemm(n), x = shared.gemm[id], out = new Float32Array(n * n);
      runners[id] = (b) => (2 * n ** 3) / 1e9 * perSecond(b.predict, () => { run(x, out); return 1; });
    }
  }
  if (hasCnn) {
    runners['cnn-train'] = (b) => {
      const rate = trainCnn(b.cnn);
      cnnTrained += (rate * b.cnn) / 1000;
      return rate;
    };
  }
  return runners;
}
