// tfp.test.mjs: TensorFlow Playground links read into nnplay's 2D state
// (web/js/2d/tfp.js): the link TFP's own page opens with, links built from
// its format (src/state.ts) as its serialize() writes them (spiral with
// every feature, regression, L1 at 0.001, hidden controls), hostile values
// (NaN, 1e999, negative sizes, __proto__, 4,000+ characters, encoded
// commas) and text that is not a TFP link. The state a link gives goes
// through state.js (serialize, parse) unchanged, as the page applies it.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { fromTfp, TfpError, TFP_KEYS } from '../web/js/2d/tfp.js';
import * as S from '../web/js/state.js';

const TFP = 'https://playground.tensorflow.org/';
// the link TFP's README and page open with
const DEFAULT = '#activation=tanh&batchSize=10&dataset=circle&regDataset=reg-plane&learningRate=0.03&regularizationRate=0&noise=0'
  + '&networkShape=4,2&seed=0.12345&showTestData=false&discretize=false&percTrainData=50&x=true&y=true&xTimesY=false'
  + '&xSquared=false&ySquared=false&cosX=false&sinX=false&cosY=false&sinY=false&collectStats=false&problem=classification'
  + '&initZero=false&hideText=false';
// built from TFP's format: what its serialize() writes for these settings
const link = (over) => {
  const m = new Map(DEFAULT.slice(1).split('&').map((p) => p.split('=')));
  for (const [k, v] of Object.entries(over)) m.set(k, v);
  return `#${[...m].map(([k, v]) => `${k}=${v}`).join('&')}`;
};
const SPIRAL_ALL = link({ dataset: 'spiral', x: 'true', y: 'true', xTimesY: 'true', xSquared: 'true', ySquared: 'true', cosX: 'true',
  sinX: 'true', cosY: 'true', sinY: 'true', networkShape: '8,8,5', activation: 'relu', learningRate: '0.01', noise: '25', percTrainData: '70' });
const REGRESSION = link({ problem: 'regression', regDataset: 'reg-plane', activation: 'linear', networkShape: '', batchSize: '30', learningRate: '0.001' });
const L1 = link({ regularization: 'L1', regularizationRate: '0.001', dataset: 'xor', showTestData: 'true', discretize: 'true', seed: '0.53621' });

const reasons = (r) => r.unmapped.map((u) => `${u.key}:${u.reason}`);

/** The page's state after applying a link: the 2D settings over the defaults, through the URL. */
function applied(r) {
  const s = S.defaults();
  Object.assign(s['2d'], r.state);
  return S.parse(S.serialize(s));
}

describe('TensorFlow Playground links', () => {
  test("TFP's opening link: the same data set, net, rates and split; only the seed string does not carry", () => {
    for (const text of [TFP + DEFAULT, DEFAULT, DEFAULT.slice(1), ` ${TFP}${DEFAULT}\n`]) {
      const r = fromTfp(text);
      assert.equal(r.state.dataset, 'circle');
      assert.deepEqual(r.state.hidden, [4, 2]);
      assert.deepEqual(r.state.features, ['x1', 'x2']);
      assert.equal(r.state.activation, 'tanh');
      assert.equal(r.state.lr, 0.03);
      assert.equal(r.state.batch, 10);
      assert.equal(r.state.trainPct, 50);
      assert.equal(r.state.noise, 0);
      assert.equal(r.state.reg, 'none');
      assert.equal(r.state.output, 'tanh', "TFP's classification output is tanh");
      assert.equal(r.state.points, 500);
      assert.deepEqual(reasons(r), ['seed:seed']);
      assert.ok(Number.isInteger(r.state.seed) && r.state.seed === r.state.dataSeed);
    }
    // the same seed string, the same seeds; another, others
    assert.equal(fromTfp(DEFAULT).state.seed, fromTfp(DEFAULT).state.seed);
    assert.notEqual(fromTfp(link({ seed: '0.12346' })).state.seed, fromTfp(DEFAULT).state.seed);
  });

  test('spiral with every feature: cos x and cos y are named as unmapped, the others kept', () => {
    const r = fromTfp(TFP + SPIRAL_ALL);
    assert.equal(r.state.dataset, 'spiral');
    assert.deepEqual(r.state.features, ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2']);
    assert.deepEqual(r.state.hidden, [8, 8, 5]);
    assert.equal(r.state.activation, 'relu');
    assert.equal(r.state.trainPct, 70);
    assert.equal(r.state.noise, 0.25, "TFP's noise 25 (of 0-50) is 0.25 on our 0-1 scale");
    assert.deepEqual(reasons(r).sort(), ['cosX:cosFeature', 'cosY:cosFeature', 'noise:noiseScale', 'seed:seed']);
  });

  test('regression: reg-plane is our plane, reg-gauss has no twin; no hidden layer', () => {
    const r = fromTfp(REGRESSION);
    assert.equal(r.state.dataset, 'plane');
    assert.equal(r.state.points, 1200);
    assert.equal(r.state.output, 'auto');
    assert.deepEqual(r.state.hidden, []);
    assert.equal(r.state.activation, 'linear');
    assert.equal(r.state.lr, 0.001);
    const g = fromTfp(link({ problem: 'regression', regDataset: 'reg-gauss' }));
    assert.equal(g.state.dataset, 'plane');
    assert.ok(reasons(g).includes('regDataset:regGauss'));
    // a classification link's regDataset is not used, as in TFP
    assert.ok(!reasons(fromTfp(link({ regDataset: 'reg-gauss' }))).includes('regDataset:regGauss'));
  });

  test('L1 at 0.001, test data shown, discretised', () => {
    const r = fromTfp(L1);
    assert.equal(r.state.reg, 'l1');
    assert.equal(r.state.regRate, 0.001);
    assert.equal(r.state.dataset, 'xor');
    assert.equal(r.state.showTest, true);
    assert.equal(r.state.discretize, true);
    assert.equal(fromTfp(link({ regularization: 'L2', regularizationRate: '0.03' })).state.reg, 'l2');
  });

  test('UI-only settings, initZero, unknown keys and a key without a value', () => {
    const r = fromTfp(link({ collectStats: 'true', hideText: 'true', tutorial: 'dp-reducing-overfitting', initZero: 'true',
      noise_hide: 'true', foo: 'bar', lonely: undefined }).replace('lonely=undefined', 'lonely'));
    assert.equal(r.state.init, 'constant');
    assert.equal(r.state.initConst, 0);
    for (const k of ['collectStats:uiOnly', 'hideText:uiOnly', 'tutorial:uiOnly', 'noise_hide:uiOnly', 'foo:unknown', 'lonely:unknown']) {
      assert.ok(reasons(r).includes(k), k);
    }
  });

  test('every TFP key the brief lists is one we read', () => {
    for (const k of ['activation', 'regularization', 'batchSize', 'dataset', 'regDataset', 'learningRate', 'regularizationRate',
      'noise', 'networkShape', 'seed', 'showTestData', 'discretize', 'percTrainData', 'x', 'y', 'xTimesY', 'xSquared',
      'ySquared', 'cosX', 'sinX', 'cosY', 'sinY', 'collectStats', 'problem', 'initZero', 'hideText']) assert.ok(TFP_KEYS.includes(k), k);
  });

  test('the state of each link survives the URL round trip of state.js, nothing rejected', () => {
    for (const text of [DEFAULT, SPIRAL_ALL, REGRESSION, L1]) {
      const r = fromTfp(text), back = applied(r)['2d'];
      for (const [k, v] of Object.entries(r.state)) assert.deepEqual(back[k], v, `${text}: ${k}`);
      const s = S.defaults();
      Object.assign(s['2d'], r.state);
      assert.deepEqual(S.rejected(S.serialize(s)), []);
    }
  });
});

describe('hostile values: clamped or defaulted, each named', () => {
  test('numbers out of range, not numbers, infinities', () => {
    const r = fromTfp(link({ learningRate: 'NaN', batchSize: '0', noise: '-5', percTrainData: '1e999', regularizationRate: '10',
      networkShape: '100,0,3,9,9,9,9,9,9,9' }));
    const by = Object.fromEntries(r.unmapped.map((u) => [u.key, u]));
    assert.equal(r.state.lr, 0.03);
    assert.equal(by.learningRate.reason, 'invalid');
    assert.equal(r.state.batch, 1);
    assert.equal(by.batchSize.reason, 'clamped');
    assert.equal(r.state.noise, 0);
    assert.equal(by.noise.reason, 'clamped');
    assert.equal(r.state.trainPct, 50);
    assert.equal(by.percTrainData.reason, 'invalid');
    assert.equal(r.state.regRate, 1, "our rate's maximum");
    assert.deepEqual(r.state.hidden, [64, 3, 9, 9, 9, 9, 9, 9]);
    assert.equal(by.networkShape.reason, 'clamped');
    assert.deepEqual(applied(r)['2d'].hidden, r.state.hidden);
  });

  test('names, shapes and keys that are not TFP values', () => {
    const r = fromTfp(link({ dataset: 'moons', activation: 'swish', problem: 'ranking', networkShape: '-1,abc', __proto__x: '1' })
      + '&__proto__=1&constructor=2');
    assert.equal(r.state.dataset, 'circle');
    assert.equal(r.state.activation, 'tanh');
    assert.deepEqual(r.state.hidden, [4, 2]);
    for (const k of ['dataset:invalid', 'activation:invalid', 'problem:invalid', 'networkShape:invalid', '__proto__:unknown',
      'constructor:unknown']) assert.ok(reasons(r).includes(k), k);
    assert.equal(Object.getPrototypeOf(r.state), Object.prototype);
    assert.equal({}.polluted, undefined);
  });

  test('percent-encoded commas and broken escapes', () => {
    assert.deepEqual(fromTfp('#networkShape=3%2C2&dataset=gauss').state.hidden, [3, 2]);
    assert.equal(fromTfp('#dataset=gauss&seed=%E0%A4%A').state.dataset, 'gauss');
  });

  test('text that is not a TFP link: a clear error with its code', () => {
    const cases = [['', 'empty'], ['   ', 'empty'], [null, 'empty'], ['hello world', 'noSettings'], ['#a=1&b=2', 'noSettings'],
      ['https://example.com/#activation=tanh', 'notTfp'], ['javascript:alert(1)', 'notTfp'], ['https://playground.tensorflow.org/', 'noSettings'],
      ['http://[::1', 'notTfp'], [`#activation=tanh&x=${'1'.repeat(5000)}`, 'tooLong']];
    for (const [text, code] of cases) {
      assert.throws(() => fromTfp(text), (e) => e instanceof TfpError && e.code === code && e.message.length > 0, String(text).slice(0, 40));
    }
  });
});
