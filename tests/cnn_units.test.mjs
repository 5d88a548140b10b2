// cnn_units.test.mjs: the CNN view's pure logic under Node, against the
// engine (build/wasm): the architecture string (parse, format, malformed
// and hostile text), each layer's shape, parameters and multiply-adds
// checked against the engine's own net.layers() for many architectures, the
// impossible combinations named by their layer before anything is built,
// the receptive field and the arithmetic of a cell equal to the engine's
// output, and the URL state (cArch, the shared MNIST settings' defaults per
// model, the rejected link values). Needs `make page` for model.js (it
// imports the engine from web/lib).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { load } from '../build/wasm/nnplay.mjs';
import * as A from '../web/js/cnn/arch.js';
import { explain, receptiveField, cellIndex, cellAt, baseOf } from '../web/js/cnn/receptive.js';
import * as S from '../web/js/state.js';
import { lcg } from './helpers.mjs';

const nn = await load();
const noLib = existsSync(new URL('../web/lib/nnplay.mjs', import.meta.url)) ? false : 'web/lib is missing: run `make page`';
const model = noLib ? null : await import('../web/js/cnn/model.js');

/** A net built from an architecture string, as the view builds it. */
function build(arch, extra = {}) {
  const { layers } = A.parseArch(arch);
  return nn.createNet({ shape: A.INPUT_SHAPE, outputs: 10, output: 'softmax', maxBatch: 4, layers: A.netLayers(layers), seed: 3, ...extra });
}

const ARCHS = [
  A.PRESETS.convnetjs, A.PRESETS.lenet, '', 'relu', 'd32-tanh', 'c4k3', 'c4k3s2p1-bn-relu-ap3s2', 'c2k28', 'c3k1-prelu-mp28',
  'c8k5s3p2-elu-mp2s1-c4k2-gelu-d20-bn-swish-d10-selu', 'mp2-mp2-mp7', 'c5k7p3-sigmoid-c6k3s2-leaky_relu-bn-ap2-d16-linear',
  'c1k28p14-relu', 'c64k1-relu-mp4-c2k7',
];

describe('cnn/arch.js: the architecture string', () => {
  test('presets and examples round trip through parse and format', () => {
    for (const a of ARCHS) {
      const p = A.parseArch(a);
      assert.equal(p.error, undefined, a);
      assert.equal(A.formatArch(p.layers), a, 'canonical already');
      assert.equal(A.canonicalArch(a), a);
    }
  });

  test('defaults are left out, case and spaces are normalised', () => {
    assert.equal(A.canonicalArch(' C8K5S1P0-ReLU-MP2S2 '), 'c8k5-relu-mp2');
    assert.equal(A.canonicalArch('c8k5p0-ap3s3'), 'c8k5-ap3');
    assert.deepEqual(A.parseArch('c8k5s2p1').layers, [{ kind: 'conv', filters: 8, kernel: 5, stride: 2, pad: 1 }]);
    assert.deepEqual(A.parseArch('mp3s2').layers, [{ kind: 'maxpool', size: 3, stride: 2 }]);
  });

  test('a malformed token names its layer; numbers out of range say their limits', () => {
    const cases = [
      ['c8k5-relu-foo', 'cnnErrToken', 2], ['c8k5--relu', 'cnnErrToken', 1], ['c8', 'cnnErrToken', 0], ['k5', 'cnnErrToken', 0],
      ['c0k3', 'cnnErrRange', 0], ['c65k3', 'cnnErrRange', 0], ['relu-c8k29', 'cnnErrRange', 1], ['c8k3s0', 'cnnErrRange', 0],
      ['c8k3p15', 'cnnErrRange', 0], ['mp0', 'cnnErrRange', 0], ['relu-relu-d0', 'cnnErrRange', 2], ['d1025', 'cnnErrRange', 0],
      ['softmax', 'cnnErrToken', 0], ['c8k5-c8k5p-relu', 'cnnErrToken', 1], ['c8k5p2s1', 'cnnErrToken', 0],
      [Array(17).fill('relu').join('-'), 'cnnErrTooMany', -1],
    ];
    for (const [text, key, layer] of cases) {
      const { error } = A.parseArch(text);
      assert.ok(error, text);
      assert.equal(error.key, key, text);
      assert.equal(error.layer, layer, `${text}: layer`);
      assert.equal(A.canonicalArch(text), undefined, text);
    }
    const { error } = A.parseArch('relu-c65k3');
    assert.deepEqual(error.values, { k: 2, token: 'c65k3', name: 'filters', v: 65, min: 1, max: 64 });
  });

  test('hostile text never throws and never passes', () => {
    const rnd = lcg(7);
    const alphabet = 'ckpsmadbnrelu0123456789-_<>"\'%\u00e9 ';
    for (let i = 0; i < 3000; i++) {
      const text = Array.from({ length: Math.floor(rnd() * 40) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join('');
      const p = A.parseArch(text);
      if (!p.error) assert.equal(A.parseArch(A.formatArch(p.layers)).error, undefined, text);
    }
    for (const bad of [null, undefined, 42, {}, [], 'x'.repeat(1e6), '<script>alert(1)</script>', `${'c8k3-'.repeat(5000)}relu`]) {
      assert.ok(A.parseArch(bad).error, String(bad).slice(0, 20));
    }
  });
});

describe('cnn/arch.js: shapes and parameters against the engine', () => {
  test('every layer: the shape, parameters and count of net.layers()', () => {
    for (const a of ARCHS) {
      const { rows, error } = A.plan(A.parseArch(a).layers);
      assert.equal(error, null, a);
      const net = build(a);
      const layers = net.layers();
      assert.equal(rows.length, layers.length, `${a}: one row per engine layer, the output included`);
      rows.forEach((r, i) => {
        assert.deepEqual(r.shape, layers[i].shape, `${a}: layer ${i} shape`);
        assert.equal(r.params, layers[i].params, `${a}: layer ${i} params`);
      });
      assert.equal(A.totals(rows).params, net.params().length, `${a}: total`);
      if (model) {
        const macs = model.describeNet(net).reduce((s, d) => s + d.macs, 0);
        assert.equal(A.totals(rows).macs, macs, `${a}: multiply-adds as the view counts them for a loaded net`);
        assert.deepEqual(model.describeNet(net).map((d) => d.token).slice(0, -1).join('-'), a, `${a}: tokens of the engine's layers`);
      }
      net.free();
    }
  });

  test('the ConvNetJS demo: shapes, 5,994 parameters, 0.78 million multiply-adds per digit', () => {
    const { rows } = A.plan(A.parseArch(A.PRESETS.convnetjs).layers);
    assert.deepEqual(rows.map((r) => r.shape), [[8, 28, 28], [8, 28, 28], [8, 14, 14], [16, 14, 14], [16, 14, 14], [16, 4, 4], [10, 1, 1]]);
    assert.deepEqual(A.totals(rows), { params: 5994, macs: 156800 + 627200 + 2560, values: 6272 * 2 + 1568 + 3136 * 2 + 256 + 10 });
    assert.equal(A.maxBatchFor(A.totals(rows).macs), 25);
    assert.equal(A.maxBatchFor(1), A.LIMITS.batch);
    assert.equal(A.maxBatchFor(A.LIMITS.macs), 5);
  });

  test('impossible combinations are named by their layer, and the engine refuses the same ones', () => {
    const cases = [
      ['c8k5-relu-mp2-c16k13', 'cnnErrKernel', 3], ['c4k29', 'cnnErrRange', 0], ['mp2-mp2-mp2-mp4', 'cnnErrWindow', 3],
      ['c4k3s2-c4k3s2-c4k3s2-c4k3', 'cnnErrKernel', 3], ['d64-relu-c8k3', 'cnnErrNeedsImage', 2], ['d10-mp2', 'cnnErrNeedsImage', 1],
      ['c8k5p2-d1024-d512', 'cnnErrParams', 1], ['d1024-d1024', 'cnnErrParams', 1], ['c64k3p1-c32k3p1', 'cnnErrMacs', 1],
      ['c64k5p2-relu-c64k5p2', 'cnnErrMacs', 2],
    ];
    for (const [a, key, layer] of cases) {
      const err = A.archError(a);
      assert.ok(err, a);
      assert.equal(err.key, key, a);
      if (layer >= 0) assert.equal(err.layer, layer, `${a}: the layer named`);
      if (key === 'cnnErrKernel' || key === 'cnnErrWindow') {
        assert.throws(() => build(a), new RegExp(`layer ${layer}, `), `${a}: the engine names the same layer`);
      }
    }
    assert.deepEqual(A.archError('c8k5-relu-mp2-c16k13').values, { k: 4, token: 'c16k13', kernel: 13, n: 12, pad: 0, padded: 12 });
    const params = A.archError('c8k5p2-d1024-d512');
    assert.equal(params.values.token, 'd1024', 'the heaviest layer');
    assert.equal(params.values.m, 6272 * 1024 + 1024);
    assert.ok(params.values.n > A.LIMITS.params);
  });

  test('the limits keep the engine memory of any allowed net at the largest batch under LIMITS.megabytes, or the view says so', () => {
    // nets near the limits: the engine's plan (nn.netBytes) is what the view checks before building
    for (const a of [A.PRESETS.convnetjs, A.PRESETS.lenet, 'c64k1-relu-c64k1', 'c16k9p4-relu-c16k9p4-relu', 'd1024-relu-d512']) {
      const { rows, error } = A.plan(A.parseArch(a).layers);
      const mb = A.maxBatchFor(A.totals(rows).macs);
      const bytes = nn.netBytes({ shape: A.INPUT_SHAPE, outputs: 10, output: 'softmax', maxBatch: mb, layers: A.netLayers(A.parseArch(a).layers) });
      if (!error) assert.ok(bytes > 0, a);
      if (a === A.PRESETS.convnetjs || a === A.PRESETS.lenet) assert.ok(bytes < A.LIMITS.megabytes * 2 ** 20, `${a}: ${bytes} bytes`);
    }
  });
});

describe('cnn/receptive.js: a cell from the engine\'s numbers', { skip: noLib }, () => {
  const rnd = lcg(11);
  const x = Float32Array.from({ length: 784 }, () => (rnd() < 0.3 ? rnd() : 0));

  for (const a of [A.PRESETS.convnetjs, A.PRESETS.lenet, 'c4k3s2p1-bn-relu-ap3s2-c3k2p1-prelu-d12-bn-tanh', 'relu-c2k5p4-mp3s2']) {
    test(`${a}: every conv, pool and dense cell's sum equals the engine's output to 1e-5`, () => {
      const net = build(a);
      // biases away from 0, so that the bias's part is seen
      const p = net.params();
      for (let i = 0; i < p.length; i++) p[i] += 0.01 * (rnd() - 0.5);
      const layers = model.describeNet(net), acts = net.activations(x);
      let checked = 0;
      layers.forEach((d, k) => {
        const n = d.shape[0] * d.shape[1] * d.shape[2];
        for (let t = 0; t < 12; t++) {
          const cell = cellAt(d.shape, Math.floor(rnd() * n));
          const e = explain(layers, acts, x, k, cell);
          assert.equal(cellIndex(d.shape, cell) < n, true);
          if (e.kind === 'input') continue;
          assert.ok(Math.abs(e.z - e.engine) <= 1e-5, `${a} layer ${k} ${JSON.stringify(cell)}: ${e.z} vs ${e.engine}`);
          assert.equal(e.engine, acts[e.base][cellIndex(layers[e.base].shape, cell)], 'engine: the base layer\'s own output');
          const last = e.chain.length ? e.chain[e.chain.length - 1] : null;
          if (last) assert.equal(last.value, acts[last.layer][cellIndex(layers[last.layer].shape, cell)]);
          if (e.kind === 'maxpool') {
            const { ky, kx } = e.winner;
            assert.equal(e.values[ky][kx], e.engine, 'the winner is the max');
            assert.ok(e.values.flat().every((v) => v === null || v <= e.engine));
          }
          if (e.kind === 'conv') {
            assert.equal(e.channels.length, layers[e.base].inShape[0]);
            const sum = e.channels.reduce((s, c) => s + c.sum, 0);
            assert.ok(Math.abs(sum - e.total) < 1e-9);
          }
          checked++;
        }
      });
      assert.ok(checked > 20, `${checked} cells checked`);
      net.free();
    });
  }

  test('the ConvNetJS demo: receptive fields in the input (5 x 5, then 14 x 14 through a pool, clipped by padding)', () => {
    const net = build(A.PRESETS.convnetjs);
    const layers = model.describeNet(net);
    assert.deepEqual(receptiveField(layers, 0, { y: 10, x: 12 }), { y0: 8, y1: 12, x0: 10, x1: 14, full: false });
    assert.deepEqual(receptiveField(layers, 0, { y: 0, x: 0 }), { y0: -2, y1: 2, x0: -2, x1: 2, full: false });
    // pool 2 after a 5 x 5 conv: 6 x 6; the second conv's 5 x 5 over that: 14 x 14
    assert.deepEqual(receptiveField(layers, 2, { y: 3, x: 4 }), { y0: 4, y1: 9, x0: 6, x1: 11, full: false });
    assert.deepEqual(receptiveField(layers, 3, { y: 5, x: 5 }), { y0: 4, y1: 17, x0: 4, x1: 17, full: false });
    assert.equal(receptiveField(layers, 6, { y: 0, x: 0 }).full, true, 'the dense output sees everything');
    assert.equal(baseOf(layers, 1), 0, 'the ReLU after conv 1 is explained by conv 1');
    const e = explain(layers, net.activations(x), x, 1, { c: 2, y: 0, x: 0 });
    assert.equal(e.base, 0);
    assert.equal(e.chain.length, 1);
    assert.equal(e.chain[0].value, Math.max(0, e.engine), 'ReLU of the conv output');
    assert.equal(e.channels[0].values[0][0], null, 'padding');
    net.free();
  });
});

describe('state.js: the CNN view\'s settings', () => {
  test('the architecture in the URL: canonical, and a link that cannot work falls back and is reported', () => {
    assert.equal(S.parse('#view=cnn').cnn.arch, A.DEFAULT_ARCH);
    assert.equal(S.parse('#cArch=c6k5p2-TANH-ap2').cnn.arch, 'c6k5p2-tanh-ap2');
    const s = S.parse('#view=cnn&cArch=c6k5p2-tanh-ap2&cDigit=42');
    assert.deepEqual(s.cnn, { arch: 'c6k5p2-tanh-ap2', digit: 42 });
    assert.equal(S.serialize(s), 'view=cnn&cArch=c6k5p2-tanh-ap2&cDigit=42');
    assert.deepEqual(S.parse(S.serialize(s)), s);
    for (const bad of ['c8k40', 'd64-c8k3', 'relu-foo', '<script>', 'c64k5p2-c64k5p2', '']) {
      const t = `#view=cnn&cArch=${encodeURIComponent(bad)}`;
      if (bad === '') {
        assert.equal(S.parse(t).cnn.arch, '', 'no hidden layer is an architecture');
        continue;
      }
      assert.equal(S.parse(t).cnn.arch, A.DEFAULT_ARCH, bad);
      assert.deepEqual(S.rejected(t), [['cArch', bad]], bad);
    }
    assert.deepEqual(S.rejected('#lr=abc&mBatch=1&nothing=1&cDigit=-1'), [['lr', 'abc'], ['cDigit', '-1']]);
    assert.deepEqual(S.rejected('%%%'), []);
  });

  test('the shared MNIST settings take each model\'s defaults, and what the user set carries across', () => {
    const s = S.parse('#view=cnn');
    assert.deepEqual([s.mnist.optimizer, s.mnist.lr, s.mnist.batch, s.mnist.epochs], ['adam', 0.002, 20, 1]);
    assert.equal(S.serialize(s), 'view=cnn', 'the CNN\'s defaults are not written');
    S.update(s, 'page', 'view', 'mnist');
    assert.deepEqual([s.mnist.optimizer, s.mnist.lr, s.mnist.batch, s.mnist.epochs], ['sgd', 0.5, 64, 2], 'back to the MLP\'s');
    S.update(s, 'mnist', 'batch', 32);
    S.update(s, 'mnist', 'lr', 0.1);
    S.update(s, 'page', 'view', 'cnn');
    assert.deepEqual([s.mnist.optimizer, s.mnist.lr, s.mnist.batch, s.mnist.epochs], ['sgd', 0.1, 32, 1],
      'a rate set carries across with its optimiser; the batch set too; the epochs follow the model');
    assert.equal(S.serialize(s), 'view=cnn&mOptimizer=sgd&mLr=0.1&mBatch=32');
    assert.deepEqual(S.parse(S.serialize(s)), s);
    assert.deepEqual(S.parse('#view=cnn&mLr=0.01').mnist.optimizer, 'adam', 'a link\'s rate alone keeps the model\'s optimiser');
    assert.equal(S.parse('#view=mnist&mOptimizer=adam').mnist.lr, 0.5);
  });

  test('the CNN view sits under the MNIST tab', () => {
    assert.ok(S.VIEWS.includes('cnn'));
    assert.ok(!S.TABS.includes('cnn'));
    assert.equal(S.tabOf('cnn'), 'mnist');
    assert.equal(S.tabOf('2d'), '2d');
    for (const p of S.SETTINGS.cnn) assert.match(p.key, /^c[A-Z]/, p.key);
  });
});

describe('cnn/model.js: loaded nets the view cannot show', { skip: noLib }, () => {
  test('a net that ends in a convolution, or upsamples or reshapes, is refused with its own message', () => {
    const conv10 = nn.createNet({ shape: A.INPUT_SHAPE, outputs: 0, output: 'softmax', maxBatch: 4, seed: 3,
      layers: [{ conv: 10, kernel: 28 }] });
    const decoder = nn.createNet({ shape: A.INPUT_SHAPE, outputs: 10, output: 'softmax', maxBatch: 4, seed: 3,
      layers: [{ maxpool: 2 }, { upsample: 2 }, { type: 'dense', units: 16 }, { reshape: [1, 4, 4] }] });
    for (const net of [conv10, decoder]) {
      assert.equal(net.outputs, 10);
      assert.deepEqual(model.loadedProblem(net, model.describeNet(net)), { key: 'cnnNotClassifier', values: {} });
      net.free();
    }
    const fine = build(A.PRESETS.convnetjs);
    assert.equal(model.loadedProblem(fine, model.describeNet(fine)), null, 'the demo net loads');
    fine.free();
  });
});
