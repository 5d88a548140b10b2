// model.js: the autoencoder view's model. The digits as engine data whose
// targets are their inputs (the training set, the test set in chunks of
// 250; bytes stay bytes); the net of an architecture (arch.js) with the
// shared MNIST training settings; a loaded file's checks; and the Encoder,
// which re-encodes the 10,000 test digits a chunk at a time within a frame's
// budget, then projects them to a plane (PCA for a code wider than 2) and
// measures the k-NN accuracy in code space. Training itself is
// mnist/model.js's Run.
import { PIXELS, SCALE } from '../mnist.js';
import { readCheckedNet, QUICK_TEST } from '../mnist/model.js';
import { MNIST_MAX_BATCH } from '../state.js';
import { parseAeArch, codeLayerIndex, denseWidths, AE_LIMITS } from './arch.js';

const CHUNK = 250;
// a saved net of the largest architecture is ~18 MB (weights and Adam's state)
const MAX_FILE_BYTES = 64 * 2 ** 20;
// k-NN in code space: the codes of the first half of the test digits vote for the second half's
export const KNN = { k: 5, query: 1000 };

/** The engine-side data, targets = inputs: {train, test (chunks of 250), quick (the first 1,000), quickTrain, nTrain, nTest}. */
export function makeAeSets(nn, mnist) {
  const wrap = (images) => nn.data({ x8: images, scale: SCALE, dims: PIXELS, targets: 'inputs' });
  const chunks = (set, n) => Array.from({ length: Math.ceil(n / CHUNK) }, (_, i) =>
    wrap(set.images.subarray(i * CHUNK * PIXELS, Math.min(n, (i + 1) * CHUNK) * PIXELS)));
  const test = chunks(mnist.test, mnist.test.n);
  return {
    train: wrap(mnist.train.images), test, quick: test.slice(0, QUICK_TEST / CHUNK),
    quickTrain: chunks(mnist.train, Math.min(QUICK_TEST, mnist.train.n)), nTrain: mnist.train.n, nTest: mnist.test.n,
    dev: null, quickDev: null, nDev: 0,
  };
}

/** createNet options of an architecture (parseAeArch) with hidden units `act`, loss 'bce' or 'mse', and the shared settings `s`. */
export function aeNetOptions(a, act, loss, s) {
  return {
    inputs: PIXELS, outputs: PIXELS, output: 'sigmoid', loss, maxBatch: MNIST_MAX_BATCH,
    // the code layer is linear: the plane is the code itself, unbounded
    layers: a.hidden.map((units, i) => ({ units, activation: i === a.code ? 'linear' : act })),
    init: s.init, seed: s.seed, optimizer: { name: s.optimizer, lr: s.lr, momentum: s.momentum }, l2: s.l2,
  };
}

/** The net of the settings (state.autoencoder, state.mnist); throws an Error in the words of `t`. */
export function buildAeNet(nn, st, shared, t) {
  const a = parseAeArch(st.arch);
  if (a.error) throw new Error(t(a.error.key, a.error.values));
  try {
    return nn.createNet(aeNetOptions(a, st.act, st.loss, shared));
  } catch (e) {
    throw new Error(t('aeErrBuild', { msg: e.message }), { cause: e });
  }
}

/**
 * What the view needs of a net: {k (the code layer's engine index), width
 * (the code's), hidden (the dense widths), arch (as text)}, or null when it
 * is no autoencoder of the digits (784 in, 784 sigmoid out, a narrower layer).
 */
export function describeAe(net) {
  if (net.inputs !== PIXELS || net.outputs !== PIXELS || !['bce', 'mse', 'se_half'].includes(net.lossName)) return null;
  const layers = net.layers(), hidden = denseWidths(layers);
  if (!hidden.length || hidden.length > AE_LIMITS.hidden + 2) return null;
  const width = Math.min(...hidden), code = hidden.indexOf(width), k = codeLayerIndex(layers, code);
  if (k < 0 || width >= PIXELS) return null;
  // a convolutional autoencoder (nnplay-train or the JS API build one; arch.js writes dense ones only): its layers by kind
  const spatial = layers.some((l) => !['dense', 'activation', 'dropout', 'batchnorm'].includes(l.type));
  const arch = spatial ? layers.map((l) => (l.type === 'dense' ? String(l.shape[0]) : l.type)).join('-') : [PIXELS, ...hidden, PIXELS].join('-');
  return { k, width, hidden, arch, spatial };
}

/**
 * A net read from a file (nnplay-train --autoencoder --save, or this
 * view's Save), checked completely (describeAe, a finite loss on 250 test
 * digits) before it is returned; throws an Error in the words of `t`,
 * having freed what it built, otherwise.
 */
export function readAeNet(nn, file, sets, t) {
  return readCheckedNet(nn, file, { t, maxBytes: MAX_FILE_BYTES, probe: sets.quick[0], problem: (net) => (describeAe(net) ? null : t('aeNotAe')) });
}

/** The digits `indices` of a set as 784 floats each in [0, 1], as the engine reads their bytes. */
export function digitFloats(set, indices) {
  const x = new Float32Array(indices.length * PIXELS);
  indices.forEach((idx, j) => {
    const bytes = set.images.subarray(idx * PIXELS, (idx + 1) * PIXELS);
    for (let p = 0; p < PIXELS; p++) x[j * PIXELS + p] = bytes[p] * SCALE;
  });
  return x;
}

/**
 * The codes of every test digit, re-encoded chunk by chunk (step(), within a
 * time budget), then {codes (n x width), points (n x 2: the code, or its PCA
 * projection), pca ({mean, components, explained} or null), knn (accuracy)}
 * as `result` once a pass is over.
 */
export class Encoder {
  constructor(nn, sets, labels) {
    this.nn = nn;
    this.sets = sets;
    this.labels = Int32Array.from(labels);
    this.result = null;
    this.pass = null;
  }

  /** Starts a new pass over the test digits for net `net` (layer k, `width` wide), dropping one under way. */
  start(net, k, width) {
    this.pass = { net, k, width, next: 0, codes: new Float32Array(this.sets.nTest * width), at: 0 };
  }

  get busy() { return !!this.pass; }

  /** Drops the pass under way (its net is about to be freed). */
  cancel() { this.pass = null; }

  /** Encodes chunks for about `ms` milliseconds; true when a pass ended (result is new). */
  step(ms) {
    const p = this.pass;
    if (!p) return false;
    const t0 = performance.now();
    while (p.next < this.sets.test.length && performance.now() - t0 < ms) {
      const d = this.sets.test[p.next++];
      p.codes.set(p.net.encode(d, p.k), p.at);
      p.at += d.n * p.width;
    }
    if (p.next < this.sets.test.length) return false;
    this.pass = null;
    this.result = this.finish(p);
    return true;
  }

  finish({ codes, width }) {
    const n = this.sets.nTest, nn = this.nn, ok = finite(codes);
    // a diverged net's codes are not drawn (the view says it diverged)
    const pca = width === 2 || !ok ? null : nn.pca(codes, { n, dims: width, components: 2 });
    const points = pca ? pca.projected : codes;
    const half = Math.floor(n / 2), q = Math.min(KNN.query, n - half);
    const knn = ok && half > 0 && q > 0 ? nn.knnAccuracy({
      ref: codes.subarray(0, half * width), refLabels: this.labels.subarray(0, half),
      query: codes.subarray(half * width, (half + q) * width), queryLabels: this.labels.subarray(half, half + q), dims: width, k: KNN.k,
    }) : NaN;
    return { codes, width, points, pca, knn, n, ok, nRef: half, nQuery: q };
  }
}

const finite = (a) => a.every(Number.isFinite);
