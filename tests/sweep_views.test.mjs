// sweep_views.test.mjs: what each view gives a sweep starts where the view
// starts. The 2D view's description and data (2d/sweep.js) build the view's
// own net on its own points: a run's first test and dev loss and accuracy
// equal the view's Trainer's, for a classification set with features and a
// dev share and for a regression set (no accuracy target there). The
// training limit keeps the first points only. Needs `make page`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ERR_DIVERGED, load } from '../build/wasm/nnplay.mjs';
import * as S from '../web/js/state.js';
import { Trainer } from '../web/js/2d/model.js';
import { sweepSetup2D } from '../web/js/2d/sweep.js';
import { digitData, freeSets, makeSets, SweepRun } from '../web/js/shared/sweep/runner.js';
import { parseSweep, planRuns } from '../web/js/shared/sweep/spec.js';

const nn = await load();
const isDiverged = (e) => e.code === ERR_DIVERGED;

/** The view's first history point and the sweep's first point for the same link. */
function firstPoints(link, limit = 0) {
  const s = S.parse(link)['2d'];
  const tr = new Trainer(nn);
  tr.buildData(s);
  const { base, data } = sweepSetup2D(tr, s, limit);
  const sets = makeSets(nn, data);
  const run = new SweepRun(nn, sets, { ...base, label: 'x', epochs: 1 }, isDiverged);
  while (!run.history.length) run.step(0);
  const out = { view: tr.history[0], sweep: run.history[0], base, data, params: tr.net.params().length, runParams: run.params };
  run.free();
  freeSets(sets);
  tr.freeEngine();
  return out;
}

test('2D classification (features, hidden layers, dev share): the sweep starts from the view\'s net and points', () => {
  const link = 'dataset=spiral&features=x1,x2,sinx1,sinx2&hidden=6,4&activation=tanh&devPct=20&seed=5';
  const r = firstPoints(link);
  assert.equal(r.runParams, r.params);
  assert.equal(r.base.net.inputs, 4);
  for (const k of ['testLoss', 'testAcc', 'devLoss', 'devAcc']) {
    assert.ok(Number.isFinite(r.view[k]), `${k} measured`);
    assert.equal(r.sweep[k], r.view[k], k);
  }
  assert.equal(r.base.target, 0.9);
  const limited = firstPoints(link, 30);
  assert.equal(limited.data.train.y.length, 30, 'two classes and a sigmoid: 0/1 targets');
  assert.deepEqual(limited.data.train.x, r.data.train.x.subarray(0, 30 * 4), 'the first 30 points, mapped');
  assert.deepEqual(limited.data.test, r.data.test, 'the test set whole');
});

test('2D regression: targets as values, the same first test loss, no accuracy target', () => {
  const r = firstPoints('dataset=plane&hidden=3');
  assert.ok(r.data.train.y && !r.data.train.labels, 'targets, not labels');
  assert.equal(r.data.train.targetDims, 1);
  assert.ok(Number.isFinite(r.view.testLoss));
  assert.equal(r.sweep.testLoss, r.view.testLoss);
  assert.equal(r.base.target, null);
});

test('a sweep of the 2D view\'s description: its layers and activation reach every hidden layer', () => {
  const s = S.parse('dataset=xor&hidden=4,4&activation=tanh&dropout=0.1')['2d'];
  const tr = new Trainer(nn);
  tr.buildData(s);
  const { base } = sweepSetup2D(tr, s, 0);
  const [relu] = planRuns(base, parseSweep('activation=relu,elu'));
  assert.deepEqual(relu.net.layers.map((l) => l.activation), ['relu', 'relu']);
  const [, wide] = planRuns(base, parseSweep('layers=2,8-8-8'));
  assert.deepEqual(wide.net.layers, [8, 8, 8].map((units) => ({ units, activation: 'tanh', dropout: 0.1, batchNorm: false })));
  const net = nn.createNet(wide.net);
  assert.equal(net.layers().filter((l) => l.type === 'dense').length, 4);
  net.free();
  tr.freeEngine();
});

test('digit data: the first `limit` training digits, dev and test whole, empty sets left out', () => {
  const set = (n) => ({ images: Uint8Array.from({ length: n * 4 }, (_, i) => i % 256), labels: Uint8Array.from({ length: n }, (_, i) => i % 10), n });
  const d = digitData({ train: set(10), dev: set(0), test: set(3) }, 4, 1 / 255, 6);
  assert.equal(d.train.labels.length, 6);
  assert.ok(d.train.labels instanceof Int32Array);
  assert.equal(d.train.x8.length, 24);
  assert.equal(d.dev, null);
  assert.equal(d.test.labels.length, 3);
  assert.equal(digitData({ train: set(10), dev: null, test: set(3) }, 4, 1 / 255).train.labels.length, 10);
});
