// sweep_units.test.mjs: the pure parts of a sweep, shared by the page and the
// CLI (web/js/shared/sweep/spec.js and table.js): specs to runs (cross
// product, labels, what each value changes in a run's description, when runs
// can share initial weights), every kind of bad spec with a message that
// names the setting and the value, and the results table (sorting with
// missing numbers last, CSV rows, Markdown in English and French).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { combinations, formatSweep, initDiffers, MAX_RUNS, parseSweep, planRuns, SweepError } from '../web/js/shared/sweep/spec.js';
import { COLUMNS, csvRows, sortRows, toMarkdown } from '../web/js/shared/sweep/table.js';
import { toCsv } from '../web/js/shared/download.js';

const BASE = {
  net: { inputs: 784, outputs: 10, output: 'softmax', maxBatch: 256, layers: [{ units: 32 }], activation: 'sigmoid',
    optimizer: { name: 'sgd', lr: 0.5, momentum: 0.9 }, init: 'xavier_uniform', seed: 7 },
  batch: 64, epochs: 1,
};

test('one spec string with ; and several strings give the same cross product, last setting fastest', () => {
  const a = parseSweep('activation=sigmoid,tanh,relu; lr=0.1,0.01');
  const b = parseSweep(['activation=sigmoid,tanh,relu', 'lr=0.1,0.01']);
  assert.deepEqual(a, b);
  assert.equal(formatSweep(a), 'activation=sigmoid,tanh,relu;lr=0.1,0.01');
  const runs = combinations(a);
  assert.equal(runs.length, 6);
  assert.deepEqual(runs.map((r) => r.label).slice(0, 3), ['activation=sigmoid lr=0.1', 'activation=sigmoid lr=0.01', 'activation=tanh lr=0.1']);
});

test('each setting changes its part of the description and nothing else', () => {
  const [sig, relu] = planRuns(BASE, parseSweep('activation=sigmoid,relu'));
  assert.equal(relu.net.activation, 'relu');
  assert.equal(sig.net.activation, 'sigmoid');
  assert.equal(BASE.net.activation, 'sigmoid', 'the base is not changed');
  assert.deepEqual({ ...relu.net, activation: 'sigmoid' }, BASE.net);
  // per-layer fields (the 2D view sets them on every dense layer) follow
  const base2d = { ...BASE, net: { ...BASE.net, layers: [{ units: 4, activation: 'tanh', dropout: 0 }, { units: 4, activation: 'tanh', dropout: 0 }] } };
  const [, d2] = planRuns(base2d, parseSweep('dropout=0,0.25'));
  assert.deepEqual(d2.net.layers.map((l) => l.dropout), [0.25, 0.25]);
  assert.equal(d2.net.dropout, 0.25);
  const [b32, b128] = planRuns(BASE, parseSweep('batch=32,1024'));
  assert.equal(b32.batch, 32);
  assert.equal(b128.batch, 1024);
  assert.equal(b128.net.maxBatch, 1024, 'the net holds the batch');
  assert.equal(b32.net.maxBatch, 256);
  const [, on] = planRuns(BASE, parseSweep('batchnorm=off,on'));
  assert.equal(on.net.batchNorm, true);
});

test('another optimiser starts from its own default rate, unless lr is swept too (in any order)', () => {
  const [sgd, adam] = planRuns(BASE, parseSweep('optimizer=sgd,adam'));
  assert.equal(sgd.net.optimizer.lr, 0.5);
  assert.equal(adam.net.optimizer.name, 'adam');
  assert.equal(adam.net.optimizer.lr, undefined);
  assert.equal(adam.net.optimizer.momentum, 0.9);
  const runs = planRuns(BASE, parseSweep('lr=0.01,0.001;optimizer=sgd,adam'));
  assert.deepEqual(runs.map((r) => [r.net.optimizer.name, r.net.optimizer.lr]),
    [['sgd', 0.01], ['adam', 0.01], ['sgd', 0.001], ['adam', 0.001]]);
});

test('layers: dense lists and convolutions, which make the input an image (and back)', () => {
  const [none, two, conv] = planRuns({ ...BASE, net: { ...BASE.net, layers: [{ units: 32, dropout: 0.1 }] } },
    parseSweep('layers=none,64-32,conv4k5p2-maxpool2-16'));
  assert.deepEqual(none.net.layers, []);
  assert.deepEqual(two.net.layers, [{ units: 64, dropout: 0.1 }, { units: 32, dropout: 0.1 }]);
  assert.deepEqual(conv.net.shape, [1, 28, 28]);
  assert.equal(conv.net.inputs, undefined);
  assert.deepEqual(conv.net.layers, [{ conv: 4, kernel: 5, stride: 1, pad: 2, activation: 'sigmoid' },
    { maxpool: 2, stride: 2 }, { units: 16, dropout: 0.1 }]);
  const cnnBase = { ...BASE, net: { ...BASE.net, inputs: undefined, shape: [1, 28, 28], layers: [{ conv: 8, kernel: 5, activation: 'relu' }] } };
  const [dense] = planRuns(cnnBase, parseSweep('layers=100,conv2k3'));
  assert.equal(dense.net.inputs, 784);
  assert.equal(dense.net.shape, undefined);
  assert.throws(() => planRuns({ ...BASE, net: { ...BASE.net, inputs: 2 } }, parseSweep('layers=4,conv2k3')),
    /layers: convolutions and pools need the 28 x 28 digits/);
});

test('only init, seed, layers and batch norm change the initial weights', () => {
  assert.equal(initDiffers(parseSweep('activation=relu,tanh;optimizer=sgd,adam;lr=1,2;dropout=0,0.5')), null);
  assert.equal(initDiffers(parseSweep('batch=1,2;l2=0,1;l1=0,1;momentum=0,0.5')), null);
  assert.deepEqual(initDiffers(parseSweep('activation=relu,tanh;init=he_normal,xavier_uniform')), ['init']);
  assert.deepEqual(initDiffers(parseSweep('layers=4,8;seed=1,2;batchnorm=on,off')), ['layers', 'seed', 'batchnorm']);
});

test('bad specs: one clear message naming the setting and the value', () => {
  const bad = [
    ['', /an empty sweep/],
    ['activation', /'activation': expected setting=value,value/],
    ['colour=red,blue', /unknown setting 'colour'; one of activation, optimizer/],
    ['activation=relu', /activation: give 2 to 8 values separated by commas, got 1/],
    ['activation=relu,', /activation: '' is not one of/],
    ['activation=relu,softmax', /activation: 'softmax' is not one of .*relu/],
    ['lr=0.1,-1', /lr: '-1' is not a number > 0/],
    ['lr=0.1,NaN', /lr: 'NaN' is not a number > 0/],
    ['lr=0.1,1e999', /lr: '1e999' is not a number > 0/],
    ['dropout=0,1', /dropout: '1' is not a number in \[0, 1\)/],
    ['batch=0,8', /batch: '0' is not an integer in \[1, 2048\]/],
    ['batchnorm=on,maybe', /batchnorm: 'maybe' is not on or off/],
    ['layers=32,conv', /layers: 'conv' is not 'none' or layers joined by '-'/],
    ['layers=32,0', /layers: '0' is not/],
    ['lr=0.1,0.1', /lr: a value is given twice/],
    ['lr=0.1,0.2;lr=0.3,0.4', /lr is given twice/],
    ['lr=1,2,3,4,5,6,7,8,9', /lr: give 2 to 8 values/],
    ['lr=1,2,3,4,5;l2=1,2,3,4', new RegExp(`20 runs; a sweep has at most ${MAX_RUNS}`)],
  ];
  for (const [spec, message] of bad) {
    assert.throws(() => parseSweep(spec), (e) => e instanceof SweepError && message.test(e.message), spec);
  }
});

const ROWS = [
  { label: 'activation=sigmoid', testAcc: 0.9, testLoss: 0.3, bestDevAcc: NaN, bestDevLoss: NaN, targetEpochs: NaN,
    targetSeconds: NaN, samplesPerSecond: 1000, params: 25450, state: 'done' },
  { label: 'activation=relu', testAcc: 0.95, testLoss: 0.2, bestDevAcc: 0.96, bestDevLoss: 0.15, targetEpochs: 0.5,
    targetSeconds: 1.25, samplesPerSecond: 2500.4, params: 25450, state: 'done' },
  { label: 'activation=tanh, "x"', testAcc: NaN, testLoss: NaN, bestDevAcc: 0.5, bestDevLoss: 2, targetEpochs: NaN,
    targetSeconds: NaN, samplesPerSecond: 1500, params: 25450, state: 'diverged' },
];

test('sorting: either way, a missing number last, ties in run order, labels naturally', () => {
  const labels = (rows) => rows.map((r) => r.label.split(/[=,]/)[1]);
  assert.deepEqual(labels(sortRows(ROWS, 'testAcc', -1)), ['relu', 'sigmoid', 'tanh']);
  assert.deepEqual(labels(sortRows(ROWS, 'testAcc', 1)), ['sigmoid', 'relu', 'tanh']);
  assert.deepEqual(labels(sortRows(ROWS, 'bestDevLoss', 1)), ['relu', 'tanh', 'sigmoid']);
  assert.deepEqual(labels(sortRows(ROWS, 'params', 1)), ['sigmoid', 'relu', 'tanh']);
  assert.deepEqual(labels(sortRows(ROWS, 'params', -1)), ['sigmoid', 'relu', 'tanh']);
  assert.deepEqual(labels(sortRows(ROWS, 'label', 1)), ['relu', 'sigmoid', 'tanh']);
  assert.deepEqual(labels(sortRows(ROWS, 'label', -1)), ['tanh', 'sigmoid', 'relu']);
  assert.throws(() => sortRows(ROWS, 'colour'), /no column 'colour'/);
  assert.equal(ROWS[0].label, 'activation=sigmoid', 'the rows are not sorted in place');
});

test('CSV: keys as header, plain numbers, empty for missing, quoted labels', () => {
  const csv = toCsv(csvRows(ROWS)).split('\n');
  assert.equal(csv[0], COLUMNS.map((c) => c.key).join(','));
  assert.equal(csv[1], 'activation=sigmoid,0.9,0.3,,,,,1000,25450,done');
  assert.equal(csv[2], 'activation=relu,0.95,0.2,0.96,0.15,0.5,1.25,2500.4,25450,done');
  assert.equal(csv[3], '"activation=tanh, ""x""",,,0.5,2,,,1500,25450,diverged');
  assert.equal(csv.length, 5);
});

test('Markdown: a header, right-aligned numbers, formatted in the language, | escaped', () => {
  const md = toMarkdown([...ROWS, { ...ROWS[0], label: 'a|b' }]).trimEnd().split('\n');
  assert.equal(md.length, 6);
  assert.match(md[0], /^\| run \| test accuracy \| test loss \| best dev accuracy/);
  assert.match(md[1], /^\| --- \| ---: \|/);
  assert.equal(md[3], '| activation=relu | 95.00% | 0.2000 | 96.00% | 0.1500 | 0.50 | 1.25 | 2,500 | 25,450 | done |');
  assert.match(md[2], /\| 90.00% \| 0.3000 \| — \| — \| — \| — \| 1,000 \|/);
  assert.match(md[5], /^\| a\\\|b \|/);
  const fr = toMarkdown(ROWS, { lang: 'fr', header: (c) => c.key.toUpperCase() }).split('\n');
  assert.match(fr[0], /^\| LABEL \| TESTACC \|/);
  assert.match(fr[3], /95,00\u202f% \| 0,2000 \|.* 2\u202f500 \| 25\u202f450 \|/);
});
