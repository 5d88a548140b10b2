// sweep_workers.test.mjs: a sweep's runs on worker threads (one engine each,
// examples/sweep.mjs) give exactly the numbers of the same runs done one
// after another in this thread (SweepRun directly), and so does the page's
// main-thread fallback (local.js, the one-file page's way); runs that only
// change the activation start from the same initial weights, runs with
// another init or seed from others. Times and samples/s are the only numbers
// that may differ. Needs `make page` (build/wasm, web/lib, web/data/mnist-small).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ERR_DIVERGED, load } from '../build/wasm/nnplay.mjs';
import { loadMnist, nodeReader, PIXELS, SCALE, splitDev } from '../web/js/mnist.js';
import { parseSweep, planRuns } from '../web/js/shared/sweep/spec.js';
import { freeSets, makeSets, SweepRun } from '../web/js/shared/sweep/runner.js';
import { SweepPool } from '../web/js/shared/sweep/pool.js';
import { localEndpoint } from '../web/js/shared/sweep/local.js';
import { plainSets, runSweep } from '../examples/sweep.mjs';

const isDiverged = (e) => e.code === ERR_DIVERGED;
const mnist = await loadMnist(await nodeReader(new URL('../web/data/mnist-small/', import.meta.url).pathname));
const cut = (s, n) => ({ images: s.images.subarray(0, n * PIXELS), labels: s.labels.subarray(0, n), n });
const { train, dev } = splitDev(cut(mnist.train, 1200), 200);
const DATA = plainSets({ train, dev, test: cut(mnist.test, 500) }, PIXELS, SCALE);
const BASE = {
  net: { inputs: PIXELS, outputs: 10, output: 'softmax', maxBatch: 64, layers: [{ units: 16 }], activation: 'sigmoid',
    dropout: 0.1, optimizer: { name: 'sgd', lr: 0.5 }, init: 'xavier_uniform', seed: 3 },
  batch: 32, epochs: 2, records: 3, target: 0.5,
};

/** The runs one after another in this thread, as the workers run them: {result, history}. */
async function sequential(descs) {
  const nn = await load();
  const sets = makeSets(nn, DATA);
  const out = descs.map((d) => {
    const run = new SweepRun(nn, sets, d, isDiverged);
    while (!run.done) run.step(1e9);
    const r = { result: run.result(), history: run.history, weights: run.firstLayer() };
    run.free();
    return r;
  });
  freeSets(sets);
  return out;
}

// every number but the clock's
const TIMED = ['samplesPerSecond', 'targetSeconds'];
const untimed = (r) => Object.fromEntries(Object.entries(r).filter(([k]) => !TIMED.includes(k)));
const points = (h) => h.map(({ seconds, ...p }) => p);

/** Collects each run's points from the pool's messages. */
async function pooled(pool, descs) {
  const history = descs.map(() => []);
  const out = await pool.run(descs, DATA, { onPoint: (i, p) => history[i].push(p) });
  return out.map((o, i) => ({ ...o, history: history[i] }));
}

test('2 runs on 2 worker threads = the same runs in sequence in one thread; same activation sweep: same initial weights', async () => {
  const descs = planRuns(BASE, parseSweep('activation=sigmoid,relu'));
  const threads = await runSweep(descs, DATA, { workers: 2 });
  const seq = await sequential(descs);
  assert.equal(threads.length, 2);
  for (let i = 0; i < 2; i++) {
    const t = threads[i].result, s = seq[i].result;
    assert.equal(t.label, descs[i].label);
    assert.equal(t.epochs, 2);
    assert.ok(t.testAcc > 0.3 && t.testAcc <= 1, `${t.label} learnt something: ${t.testAcc}`);
    assert.ok(Number.isFinite(t.bestDevLoss), 'a dev set gives a best dev loss');
    assert.ok(t.samplesPerSecond > 0);
    assert.deepEqual(untimed(t), untimed(s));
    assert.deepEqual(threads[i].weights.W, seq[i].weights.W, 'the final first-layer weights are the same bits');
    assert.equal(threads[i].weights.side, 28);
    assert.equal(threads[i].weights.units, 16);
  }
  assert.equal(seq[0].history.length, 1 + 2 * 3, 'a point at the start and 3 per epoch');
  assert.equal(seq[0].result.initDigest, seq[1].result.initDigest, 'sigmoid and relu start from the same weights');
  assert.notEqual(seq[0].result.testLoss, seq[1].result.testLoss, 'and end elsewhere');
});

test('the page\'s main-thread fallback gives the same numbers and points as worker threads', async () => {
  const descs = planRuns(BASE, parseSweep('lr=0.5,0.1'));
  const nn = await load();
  const local = await pooled(new SweepPool(() => localEndpoint(nn, isDiverged, { slice: 2 }), 1), descs);
  const seq = await sequential(descs);
  for (let i = 0; i < 2; i++) {
    assert.deepEqual(untimed(local[i].result), untimed(seq[i].result));
    assert.deepEqual(points(local[i].history), points(seq[i].history));
    assert.deepEqual(local[i].weights.W, seq[i].weights.W);
  }
  assert.ok(local[0].history.at(-1).testAcc > 0.3);
});

test('another init or seed starts from other weights; a stopped sweep stops', async () => {
  const seq = await sequential(planRuns(BASE, parseSweep('init=xavier_uniform,he_normal')));
  assert.notEqual(seq[0].result.initDigest, seq[1].result.initDigest);
  const seeds = await sequential(planRuns(BASE, parseSweep('seed=3,4')));
  assert.notEqual(seeds[0].result.initDigest, seeds[1].result.initDigest);
  assert.equal(seeds[0].result.initDigest, seq[0].result.initDigest, 'seed 3 xavier_uniform is the same net twice');
  // a main-thread sweep stopped while its run trains: no point comes after, the run stops
  const nn = await load();
  const pool = new SweepPool(() => localEndpoint(nn, isDiverged, { slice: 1 }), 1);
  let n = 0;
  const started = new Promise((resolve) => {
    pool.run(planRuns({ ...BASE, epochs: 50 }, parseSweep('lr=0.5,0.1')), DATA, { onPoint: () => { n++; resolve(); } });
  });
  await started;
  pool.terminate();
  const at = n;
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(n, at, 'no point after the stop');
});

test('a run that cannot be built rejects the sweep with its label and the engine\'s message', async () => {
  const descs = planRuns(BASE, parseSweep('batch=32,128'));
  descs[1].net.maxBatch = 64;
  await assert.rejects(runSweep(descs, DATA, { workers: 1 }), /batch=128: .*batch/i);
});
