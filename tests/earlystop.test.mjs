// earlystop.test.mjs: the dev set and early stopping under Node (issue 12,
// part 3). The rule (shared/earlystop.js: best epoch, patience, resume) on
// hand-made sequences; DevMonitor and Net.snapshot()/restore() on real nets
// (the restored net evaluates bit for bit as at its best epoch, batch norm
// included; a bad snapshot changes nothing; no wasm memory growth); the
// three-way split (2d/datasets.js: devPct 0 is the old split, a dev share
// leaves the training set alone); the URL (state.js: dev share, patience,
// auto-restore, scenario; old and malformed links); and, through the 2D
// Trainer and the MNIST Run the page uses, the "overfit me" scenario's claim
// (train loss falls while dev and test losses climb, default seeds) and
// early stopping's decisions not depending on how training is sliced.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as S from '../web/js/state.js';
import { EarlyStopping, DevMonitor } from '../web/js/shared/earlystop.js';
import { generate, split } from '../web/js/2d/datasets.js';
import { applies } from '../web/js/2d/task.js';
import { builds, lcg } from './helpers.mjs';

const [, nn] = builds[0];

describe('EarlyStopping: the rule', () => {
  const run = (rule, losses) => losses.map((l, e) => rule.observe(e, l));

  test('the best epoch is the lowest dev loss so far; a tie or a NaN is not better', () => {
    const r = new EarlyStopping();
    assert.deepEqual(run(r, [1, 0.8, 0.9, 0.7, 0.7, NaN, 0.75]), ['best', 'best', null, 'best', null, null, null]);
    assert.equal(r.bestEpoch, 3);
    assert.equal(r.bestLoss, 0.7);
    assert.equal(r.waited(6), 3);
  });

  test('patience p stops at the first epoch end p epochs after the best, once', () => {
    const r = new EarlyStopping({ patience: 2 });
    assert.deepEqual(run(r, [1, 0.5, 0.6, 0.55, 0.9, 0.8]), ['best', 'best', null, 'stop', null, null]);
    assert.equal(r.bestEpoch, 1);
    assert.ok(r.stopped);
    // a better loss after a stop is still a best
    assert.equal(r.observe(6, 0.4), 'best');
  });

  test('patience 0 never stops; a patience set mid-run applies at the next epoch end', () => {
    const r = new EarlyStopping();
    assert.ok(!run(r, [0.5, ...Array(500).fill(0.9)]).includes('stop'));
    r.patience = 100;
    assert.equal(r.observe(501, 0.9), 'stop');
  });

  test('resume after a stop counts the patience again from the resume epoch', () => {
    const r = new EarlyStopping({ patience: 3 });
    run(r, [1, 0.5, 0.6, 0.6, 0.6]);
    assert.ok(r.stopped);
    r.resume(4);
    assert.equal(r.stopped, false);
    assert.deepEqual([5, 6, 7].map((e) => r.observe(e, 0.7)), [null, null, 'stop']);
    // resume without a stop changes nothing
    const q = new EarlyStopping({ patience: 3 });
    run(q, [1, 0.5, 0.6]);
    q.resume(2);
    assert.equal(q.observe(4, 0.6), 'stop');
  });

  test('reset forgets the best and the stop', () => {
    const r = new EarlyStopping({ patience: 1 });
    run(r, [0.1, 0.2]);
    r.reset();
    assert.equal(r.bestEpoch, -1);
    assert.equal(r.stopped, false);
    assert.equal(r.observe(0, 5), 'best');
  });
});

/** A small classification net and its train, dev and test sets (few noisy points: it over-fits). */
function setup({ batchNorm = false } = {}) {
  const all = nn.dataset('circle', { n: 240, noise: 0.4, seed: 5 }).shuffle(5);
  const train = all.slice(0, 60), dev = all.slice(60, 150), held = all.slice(150);
  all.free();
  const net = nn.createNet({ inputs: 2, layers: [{ units: 16, batchNorm }, { units: 16, batchNorm }], activation: 'tanh',
    outputs: 2, output: 'softmax', optimizer: { name: 'adam', lr: 0.02 }, seed: 3 });
  const free = () => [net, train, dev, held].forEach((o) => o.free());
  return { net, train, dev, test: held, free };
}

/** Trains epoch by epoch with a monitor until it stops or `epochs` pass; returns the evaluations per epoch. */
function trainWith(mon, { net, train, dev, test: held }, epochs = 300) {
  const seen = [];
  for (let e = 0; e <= epochs; e++) {
    if (e) net.trainEpoch(train, { batchSize: 10 });
    const d = net.evaluate(dev);
    seen.push({ dev: d, test: net.evaluate(held) });
    mon.epochEnd({ epoch: e, step: net.steps, devLoss: d.loss, devAcc: d.accuracy }, net, () => net.evaluate(held));
    if (mon.stop) break;
  }
  return seen;
}

describe('DevMonitor and Net.snapshot/restore on real nets', () => {
  for (const batchNorm of [false, true]) {
    test(`restore gives back the best epoch's weights bit for bit${batchNorm ? ' (batch norm statistics included)' : ''}`, () => {
      const s = setup({ batchNorm });
      const mon = new DevMonitor({ patience: 15 });
      const seen = trainWith(mon, s);
      assert.ok(mon.stop, 'patience stopped training');
      const b = mon.best;
      assert.equal(mon.stop.epoch, b.epoch + 15);
      assert.equal(mon.stop.bestEpoch, b.epoch);
      assert.equal(b.devLoss, Math.min(...seen.map((x) => x.dev.loss)), 'the best is the lowest dev loss');
      assert.equal(b.testLoss, seen[b.epoch].test.loss, 'the test loss measured at the best epoch');
      const now = s.net.evaluate(s.test).loss;
      assert.notEqual(now, b.testLoss, 'training moved on');
      const steps = s.net.steps;
      assert.ok(mon.restore(s.net));
      assert.deepEqual(mon.restored, { epoch: b.epoch });
      assert.equal(s.net.evaluate(s.dev).loss, b.devLoss, 'dev loss as at the best epoch');
      assert.equal(s.net.evaluate(s.test).loss, b.testLoss, 'test loss as at the best epoch');
      assert.equal(s.net.evaluate(s.test).accuracy, b.testAcc);
      assert.equal(s.net.steps, steps, 'the step count is kept');
      s.net.trainEpoch(s.train, { batchSize: 10 });
      assert.ok(Number.isFinite(s.net.evaluate(s.dev).loss), 'training goes on from the restored weights');
      s.free();
    });
  }

  test('autoRestore restores at the stop; a new best overwrites one buffer, allocated once', () => {
    const s = setup();
    const mon = new DevMonitor({ patience: 10, autoRestore: true });
    let buffer = null, bests = 0, reused = true, tests = 0;
    for (let e = 0; e < 300 && !mon.stop; e++) {
      if (e) s.net.trainEpoch(s.train, { batchSize: 10 });
      const d = s.net.evaluate(s.dev);
      const v = mon.epochEnd({ epoch: e, step: s.net.steps, devLoss: d.loss, devAcc: d.accuracy }, s.net, () => { tests++; return s.net.evaluate(s.test); });
      if (v === 'best') { bests++; if (buffer && mon.weights !== buffer) reused = false; buffer = mon.weights; }
    }
    assert.ok(bests > 2, `several bests (${bests})`);
    assert.equal(tests, bests, 'the test set is measured at each best only');
    assert.ok(reused, 'the same Float32Array for every best');
    assert.equal(mon.stop.restored, true);
    assert.equal(s.net.evaluate(s.test).loss, mon.best.testLoss, 'restored at the stop');
    s.free();
  });

  test('no best, another net, or after reset: restore says no and changes nothing', () => {
    const s = setup();
    const mon = new DevMonitor();
    assert.equal(mon.restore(s.net), false);
    const d = s.net.evaluate(s.dev);
    mon.epochEnd({ epoch: 0, step: 0, devLoss: d.loss, devAcc: d.accuracy }, s.net, () => s.net.evaluate(s.test));
    const other = nn.createNet({ inputs: 2, layers: [{ units: 3 }], outputs: 2, output: 'softmax' });
    const before = other.params().slice();
    assert.equal(mon.restore(other), false, 'a net of another size');
    assert.deepEqual(other.params(), before);
    mon.reset();
    assert.equal(mon.best, null);
    assert.equal(mon.restore(s.net), false, 'after reset');
    other.free();
    s.free();
  });

  test('snapshot: parameters then BN running mean and variance; bad snapshots are refused and change nothing', () => {
    const s = setup({ batchNorm: true });
    s.net.trainEpoch(s.train, { batchSize: 10 });
    assert.equal(s.net.snapshotSize, s.net.params().length + 2 * (16 + 16));
    const snap = s.net.snapshot();
    assert.ok(snap instanceof Float32Array && snap.length === s.net.snapshotSize);
    assert.deepEqual(snap.subarray(0, s.net.params().length), s.net.params());
    const into = new Float32Array(s.net.snapshotSize);
    assert.equal(s.net.snapshot(into), into, 'into is filled and returned');
    assert.throws(() => s.net.snapshot(new Float32Array(3)), /snapshotSize/);
    const loss = s.net.evaluate(s.test).loss, params = s.net.params().slice();
    const nan = snap.slice(); nan[5] = NaN;
    const negative = snap.slice(); negative[snap.length - 1] = -1;
    for (const [bad, re] of [[snap.slice(1), /values/], [nan, /finite/], [negative, /negative variance/], [Array.from(snap), /Float32Array/],
      [null, /Float32Array/]]) {
      assert.throws(() => s.net.restore(bad), re);
      assert.deepEqual(s.net.params(), params, 'parameters unchanged');
      assert.equal(s.net.evaluate(s.test).loss, loss, 'statistics unchanged');
    }
    s.free();
  });

  test('a thousand snapshots and restores do not grow wasm memory', () => {
    const s = setup({ batchNorm: true });
    const buf = new Float32Array(s.net.snapshotSize);
    s.net.snapshot(buf);
    const size = nn.m.HEAPU8.buffer.byteLength;
    for (let i = 0; i < 1000; i++) { s.net.snapshot(buf); s.net.restore(buf); }
    assert.equal(nn.m.HEAPU8.buffer.byteLength, size);
    s.free();
  });

  test('epochPosition counts the examples of the current epoch', () => {
    const s = setup();
    assert.equal(s.net.epochPosition, 0);
    s.net.train(s.train, { batchSize: 10, steps: 2 });
    assert.equal(s.net.epochPosition, 20);
    s.net.train(s.train, { batchSize: 10, steps: 0 });
    assert.equal(s.net.epochPosition, 0);
    s.free();
  });
});

describe('the three-way split (2d/datasets.js)', () => {
  const st = (o) => ({ ...S.defaults()['2d'], ...o });

  test('split(): devPct 0 is the old two-way split; dev comes from the test side, never larger than test', () => {
    const rand = lcg(9);
    for (let i = 0; i < 500; i++) {
      const points = 20 + Math.floor(rand() * 1981), trainPct = 10 + Math.floor(rand() * 81), devPct = Math.floor(rand() * 46);
      const old = Math.max(1, Math.round((points * trainPct) / 100));
      assert.deepEqual(split(points, trainPct, 0), { train: old, dev: 0, test: points - old });
      const s = split(points, trainPct, devPct);
      assert.equal(s.train, old, 'the training set does not depend on the dev share');
      assert.equal(s.train + s.dev + s.test, points);
      assert.ok(s.dev >= 0 && s.dev <= s.test, `${points}/${trainPct}/${devPct}: dev ${s.dev} <= test ${s.test}`);
      if (devPct > 0 && points - old >= 4) assert.ok(s.dev > 0, 'a dev share gives dev points');
    }
    assert.deepEqual(split(400, 50, 20), { train: 200, dev: 80, test: 120 });
    assert.deepEqual(split(400, 90, 45), { train: 360, dev: 20, test: 20 }, 'capped at half of what training leaves');
  });

  test('generate(): the same training points with or without a dev set; dev then test are the old test points in order', () => {
    for (const dataset of ['circle', 'spirals', 'cos']) {
      const base = generate(nn, st({ dataset, points: 300, noise: 0.2 }));
      const r = generate(nn, st({ dataset, points: 300, noise: 0.2, devPct: 25 }));
      assert.deepEqual(Array.from(r.train.x), Array.from(base.train.x), dataset);
      assert.equal(base.dev.x.length, 0, 'no dev points by default');
      assert.equal(r.dev.x.length / r.dims, 75);
      assert.deepEqual([...r.dev.x, ...r.test.x], Array.from(base.test.x), `${dataset}: dev + test = the old test set`);
      const targets = (set) => Array.from(set.labels ?? set.y);
      assert.deepEqual([...targets(r.dev), ...targets(r.test)], targets(base.test));
      assert.deepEqual(Array.from(generate(nn, st({ dataset, points: 300, noise: 0.2, devPct: 25 })).dev.x), Array.from(r.dev.x), 'same seed, same split');
    }
  });
});

describe('state.js: dev share, patience, auto-restore and the scenario in the URL', () => {
  test('defaults: no dev set, no patience, no scenario, so old links keep their meaning', () => {
    const d = S.defaults();
    assert.deepEqual([d['2d'].devPct, d['2d'].patience, d['2d'].autoRestore, d['2d'].preset], [0, 0, false, 'none']);
    assert.deepEqual([d.mnist.dev, d.mnist.patience, d.mnist.autoRestore], [0, 0, false]);
    const old = 'dataset=xor&trainPct=70&hidden=8,8&lr=0.1&showTest=1';
    const s = S.parse(old);
    assert.equal(S.serialize(s), old);
    assert.equal(s['2d'].devPct, 0);
    assert.equal(s['2d'].preset, 'none');
  });

  test('the auto-restore box shows only with a patience (2d/task.js); the dev share and patience always', () => {
    const st = (o) => ({ ...S.defaults()['2d'], ...o });
    assert.equal(applies(st({}), 'autoRestore'), false);
    assert.equal(applies(st({ patience: 5 }), 'autoRestore'), true);
    assert.equal(applies(st({}), 'patience'), true);
    assert.equal(applies(st({}), 'devPct'), true);
  });

  test('round trips and malformed values', () => {
    const s = S.parse('devPct=20&patience=30&autoRestore=1&mDev=5000&mPatience=2&mAutoRestore=1');
    assert.deepEqual([s['2d'].devPct, s['2d'].patience, s['2d'].autoRestore, s.mnist.dev, s.mnist.patience, s.mnist.autoRestore],
      [20, 30, true, 5000, 2, true]);
    assert.deepEqual(S.parse(S.serialize(s)), s);
    const bad = S.parse('devPct=abc&patience=-3&autoRestore=maybe&preset=underfit&mDev=1e9&mPatience=2.5&devPct=');
    assert.deepEqual([bad['2d'].devPct, bad['2d'].patience, bad['2d'].autoRestore, bad['2d'].preset, bad.mnist.patience],
      [0, 0, false, 'none', 0]);
    assert.equal(bad.mnist.dev, 0, 'an int with an exponent falls back');
    const big = S.parse('devPct=99&patience=99999&mDev=60000&mPatience=80');
    assert.deepEqual([big['2d'].devPct, big['2d'].patience, big.mnist.dev, big.mnist.patience], [45, 1000, 10000, 50], 'clamped');
  });

  test("preset=overfit: the scenario's values are the link's defaults; its own values win; leaving it resets them", () => {
    const s = S.parse('preset=overfit');
    const o = S.SCENARIOS.overfit;
    for (const [k, v] of Object.entries(o)) assert.deepEqual(s['2d'][k], v, k);
    assert.equal(s['2d'].seed, 1, 'the seeds are left as they are');
    assert.equal(S.serialize(s), 'preset=overfit', 'the link is just the scenario');
    const mine = S.parse('preset=overfit&hidden=4&dataset=xor');
    assert.deepEqual(mine['2d'].hidden, [4]);
    assert.equal(mine['2d'].dataset, 'xor');
    assert.equal(mine['2d'].noise, o.noise);
    assert.deepEqual(S.parse(S.serialize(mine)), mine);
    // chosen in the page (update), then left
    const d = S.defaults();
    d['2d'].reg = 'l2';
    assert.equal(S.update(d, '2d', 'preset', 'overfit'), 'data');
    assert.deepEqual([d['2d'].hidden, d['2d'].reg, d['2d'].devPct], [[16, 16, 16], 'none', 30]);
    assert.equal(S.update(d, '2d', 'preset', 'none'), 'data');
    assert.deepEqual(d, S.defaults(), 'back to the defaults');
  });
});

// 2d/model.js and mnist/model.js import the engine from web/lib (`make page`)
const noLib = existsSync(new URL('../web/lib/nnplay.mjs', import.meta.url)) ? false
  : 'web/lib is missing: run `make page` to test 2d/model.js and mnist/model.js';

/** The mean of `key` over the history points of epochs [from, to]. */
const mean = (history, key, from, to) => {
  const pts = history.filter((h) => h.epoch >= from && h.epoch <= to);
  return pts.reduce((a, h) => a + h[key], 0) / pts.length;
};

describe('the 2D Trainer: the overfit scenario and early stopping as the page runs them', { skip: noLib }, async () => {
  const { Trainer } = noLib ? {} : await import('../web/js/2d/model.js');

  test('overfit me (default seeds): the training loss falls while the dev and test losses climb well above their minimum', () => {
    const tr = new Trainer(nn);
    tr.buildData(S.parse('preset=overfit')['2d']);
    assert.deepEqual([tr.sets.train.n, tr.sets.dev.n, tr.sets.test.n], [32, 24, 24]);
    for (let e = 0; e < 400; e++) tr.train(0);
    const h = tr.history;
    assert.equal(tr.epochs, 400);
    const minTest = Math.min(...h.map((p) => p.testLoss)), at = h.find((p) => p.testLoss === minTest).epoch;
    const end = { train: mean(h, 'trainLoss', 391, 400), dev: mean(h, 'devLoss', 391, 400), test: mean(h, 'testLoss', 391, 400) };
    const mid = { train: mean(h, 'trainLoss', 191, 200), test: mean(h, 'testLoss', 191, 200) };
    assert.ok(at < 150, `the test loss is lowest early (epoch ${at})`);
    assert.ok(end.test > 2 * minTest && end.test > minTest + 0.5, `test loss at the end ${end.test} against its minimum ${minTest}`);
    assert.ok(end.test > mid.test && end.train < mid.train, 'from epoch 200 to 400 the test loss rises while the train loss falls');
    assert.ok(end.train < 0.2 * h[0].trainLoss, `the train loss falls (${h[0].trainLoss} -> ${end.train})`);
    const best = tr.early.best;
    assert.ok(best.epoch < 150, `best dev epoch ${best.epoch}`);
    assert.ok(end.dev > 2 * best.devLoss, `dev loss at the end ${end.dev} against its best ${best.devLoss}`);
    tr.freeEngine();
  });

  test('patience stops at best + patience whatever the slicing (one epoch, one step or a time budget per call)', () => {
    const link = S.parse('preset=overfit&patience=20')['2d'];
    const outcomes = ['epoch', 'step', 'budget'].map((how) => {
      const tr = new Trainer(nn);
      tr.buildData(link);
      for (let i = 0; i < 20000 && !tr.early.stop; i++) {
        if (how === 'epoch') tr.train(0);
        else if (how === 'step') tr.train(1);
        else tr.trainFor(2);
      }
      const out = { stop: tr.early.stop, best: tr.early.best, epochs: tr.epochs, steps: tr.net.steps };
      tr.freeEngine();
      return out;
    });
    const [a] = outcomes;
    assert.ok(a.stop, 'stopped');
    assert.equal(a.stop.epoch, a.best.epoch + 20);
    assert.equal(a.epochs, a.stop.epoch, 'training stops at the epoch end that decided it');
    for (const o of outcomes.slice(1)) assert.deepEqual(o, a);
  });

  test('restoreBest: the status numbers of the best epoch come back; Play resumes after a stop; reset forgets', () => {
    const tr = new Trainer(nn);
    tr.buildData(S.parse('preset=overfit&patience=20')['2d']);
    while (!tr.early.stop) tr.train(0);
    const best = tr.early.best, last = tr.history.at(-1);
    assert.notEqual(last.testLoss, best.testLoss);
    assert.ok(tr.restoreBest());
    const now = tr.history.at(-1);
    assert.equal(now.step, last.step, 'the point of the current step, measured again');
    assert.deepEqual([now.devLoss, now.testLoss, now.testAcc], [best.devLoss, best.testLoss, best.testAcc]);
    tr.early.resume(tr.epochs);
    assert.equal(tr.early.stop, null);
    tr.train(0);
    assert.equal(tr.epochs, best.epoch + 21, 'trains on');
    tr.reset();
    assert.equal(tr.early.best.epoch, 0, 'a reset starts again from the initial weights (epoch 0)');
    tr.freeEngine();
  });

  test('autoRestore: the stop puts the best weights back', () => {
    const tr = new Trainer(nn);
    tr.buildData(S.parse('preset=overfit&patience=20&autoRestore=1')['2d']);
    while (!tr.early.stop) tr.train(0);
    tr.record();
    assert.equal(tr.early.stop.restored, true);
    assert.equal(tr.measure(tr.sets.test).loss, tr.early.best.testLoss);
    tr.freeEngine();
  });
});

describe('the MNIST Run: a dev set of the last training digits', { skip: noLib }, async () => {
  const M = noLib ? {} : await import('../web/js/mnist/model.js');
  // digits of noise, labelled by the brightest of ten pixel bands: something to learn, quickly
  const fake = (n, seed) => {
    const r = lcg(seed), images = Uint8Array.from({ length: n * 784 }, () => Math.floor(256 * r()));
    const labels = Uint8Array.from({ length: n }, (_, i) => {
      let best = 0;
      for (let k = 1; k < 10; k++) if (images[i * 784 + k * 78] > images[i * 784 + best * 78]) best = k;
      return best;
    });
    return { images, labels, n };
  };
  const mnist = { train: fake(2000, 1), test: fake(500, 2) };

  test('setDev: the last N digits, at most half; training on the others', () => {
    const sets = M.makeSets(nn, mnist, 600);
    assert.deepEqual([sets.nTrain, sets.nDev, sets.train.n], [1400, 600, 1400]);
    assert.equal(sets.dev.reduce((a, d) => a + d.n, 0), 600);
    assert.deepEqual(Array.from(sets.dev[0].labels.subarray(0, 5)), Array.from(mnist.train.labels.subarray(1400, 1405)));
    M.setDev(nn, mnist, sets, 5000);
    assert.equal(sets.nDev, 1000, 'capped at half');
    M.setDev(nn, mnist, sets, 0);
    assert.deepEqual([sets.dev, sets.nTrain], [null, 2000]);
  });

  test('each epoch end feeds early stopping with the whole dev set; restore brings back the test score of the best epoch', () => {
    const sets = M.makeSets(nn, mnist, 500);
    const s = { ...S.defaults().mnist, hidden: [32], optimizer: 'adam', lr: 0.01, batch: 32 };
    const run = new M.Run(nn.createNet(M.netOptions(s)), sets, { label: 'adam', batch: 32, epochs: 6, early: { patience: 2 } });
    for (let i = 0; i < 100000 && !run.done; i++) run.trainFor(50);
    const full = run.history.filter((p) => p.full);
    assert.ok(full.length >= 3, `${full.length} epoch ends`);
    const b = run.early.best;
    assert.ok(b && b.epoch >= 1, 'the best is an epoch end');
    assert.equal(b.devLoss, Math.min(...full.map((p) => p.devLoss)));
    assert.equal(b.testLoss, full[b.epoch - 1].testLoss, 'the whole test set at that epoch end');
    assert.ok(run.history.every((p) => Number.isFinite(p.devLoss)), 'every point has a dev loss');
    if (run.early.stop) assert.equal(run.state, 'stopped');
    assert.ok(run.restoreBest());
    for (let i = 0; i < 1000 && run.pending; i++) run.trainFor(50, false);
    const now = run.history.at(-1);
    assert.deepEqual([now.devLoss, now.testLoss, now.testAcc], [b.devLoss, b.testLoss, b.testAcc]);
    run.free();
  });
});
