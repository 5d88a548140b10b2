// autoencoder.test.mjs: the autoencoder calls of the JS API (targets equal
// to the inputs, encode, decode, input noise; engine/codes.c) in both
// builds: a Data with targets 'inputs' trains and evaluates as the same set
// with its inputs copied as y, to the bit; decode(encode(x, k), k) equals
// predict(x) bit for bit for every layer k, for float and byte inputs; bad
// arguments throw a clear Error and leave the net usable.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { builds, lcg } from './helpers.mjs';
import { NNPlayError } from '../build/wasm/nnplay.mjs';

/** A small autoencoder d -> 6 -> 2 -> 6 -> d with sigmoid output. */
function autoencoder(nn, { d = 8, loss = 'bce', seed = 3, maxBatch = 16 } = {}) {
  return nn.createNet({ inputs: d, outputs: d, output: 'sigmoid', loss, seed, maxBatch,
    layers: [{ units: 6, activation: 'tanh' }, { units: 2, activation: 'linear' }, { units: 6, activation: 'relu' }] });
}

function pixels(n, d, seed) {
  const r = lcg(seed);
  return Uint8Array.from({ length: n * d }, () => Math.floor(r(0, 256)));
}

for (const [name, nn] of builds) {
  describe(`autoencoder API (${name})`, () => {
    test('targets "inputs" train and evaluate exactly as the inputs given as y', () => {
      for (const loss of ['bce', 'mse']) {
        const n = 37, d = 8, x8 = pixels(n, d, 5);
        const x = Float32Array.from(x8, (v) => Math.fround(v * Math.fround(1 / 255)));
        const a = autoencoder(nn, { loss }), b = autoencoder(nn, { loss });
        const da = nn.data({ x8, dims: d, targets: 'inputs' });
        const db = nn.data({ x, y: x, dims: d, targetDims: d });
        assert.equal(da.targetsAreInputs, true);
        assert.equal(da.y, null);
        assert.equal(da.targetDims, d);
        const ea = a.evaluate(da), eb = b.evaluate(db);
        assert.equal(ea.loss, eb.loss, `${loss}: the same reconstruction loss before training`);
        assert.ok(Number.isNaN(ea.accuracy), 'a reconstruction has no accuracy');
        const ra = a.train(da, { batchSize: 5, steps: 20 }), rb = b.train(db, { batchSize: 5, steps: 20 });
        assert.equal(ra.loss, rb.loss, `${loss}: the same mean training loss`);
        assert.deepEqual(a.params(), b.params(), `${loss}: the same parameters after 20 steps`);
        assert.ok(a.evaluate(da).loss < ea.loss, `${loss}: the reconstruction loss falls`);
        // a plain batch object with targets 'inputs', as trainBatch takes it
        const l1 = a.lossGrad({ x: x.subarray(0, 8 * d), targets: 'inputs' });
        const l2 = b.lossGrad({ x: x.subarray(0, 8 * d), y: x.subarray(0, 8 * d) });
        assert.equal(l1, l2);
        assert.deepEqual(a.grads(), b.grads());
        [a, b, da, db].forEach((o) => o.free());
      }
    });

    test('gradient through targets "inputs" against central differences (BCE and squared error)', () => {
      // a smooth net (tanh, no ReLU kink); h = 3e-3 keeps the rounding of the float32 loss (about 1e-7 |L| / h) small
      for (const loss of ['bce', 'se_half']) {
        const n = 6, d = 8, r = lcg(21), h = 3e-3;
        const x = Float32Array.from({ length: n * d }, () => r(0.05, 0.95));
        const net = nn.createNet({ inputs: d, outputs: d, output: 'sigmoid', loss, seed: 5, maxBatch: 8,
          layers: [{ units: 5, activation: 'tanh' }, { units: 2, activation: 'linear' }, { units: 5, activation: 'tanh' }] });
        const batch = { x, targets: 'inputs' };
        net.lossGrad(batch);
        const g = net.grads(), p = net.params();
        let num2 = 0, den2 = 0, norm = 0;
        for (let i = 0; i < p.length; i++) {
          const keep = p[i];
          p[i] = keep + h;
          const lp = net.loss(batch, { train: true });
          p[i] = keep - h;
          const lm = net.loss(batch, { train: true });
          p[i] = keep;
          const num = (lp - lm) / (2 * h);
          num2 += (g[i] - num) ** 2;
          den2 += (g[i] + num) ** 2;
          norm += g[i] ** 2;
        }
        assert.ok(Math.sqrt(norm) > 1e-3, `${loss}: the gradient is not zero`);
        assert.ok(Math.sqrt(num2 / den2) < 1e-2, `${loss}: ||a - n|| / ||a + n|| = ${Math.sqrt(num2 / den2)}`);
        net.free();
      }
    });

    test('decode(encode(x, k), k) equals predict(x) bit for bit for every layer', () => {
      const n = 53, d = 8, x8 = pixels(n, d, 9);
      const x = Float32Array.from(x8, (v) => Math.fround(v * Math.fround(1 / 255)));
      const net = autoencoder(nn, { maxBatch: 16 });
      const data = nn.data({ x8, dims: d, targets: 'inputs', labels: Int32Array.from({ length: n }, (_, i) => i % 3) });
      net.train(data, { batchSize: 8, steps: 30 });
      const want = net.predict(x);
      const layers = net.layers();
      assert.ok(layers.length >= 7);
      for (let k = 0; k < layers.length; k++) {
        const codes = net.encode(x, k);
        assert.equal(codes.length, n * layers[k].outputs, `layer ${k}: n rows of its width`);
        assert.deepEqual(net.encode(data, k), codes, `layer ${k}: byte inputs give the same codes`);
        const back = net.decode(codes, k);
        assert.equal(back.length, want.length);
        assert.ok(back.every((v, i) => Object.is(v, want[i])), `layer ${k}: decode(encode(x)) is predict(x)`);
      }
      // the code layer is 2 wide: its outputs are the activations of layer 2
      const acts = net.activations(x);
      assert.deepEqual(net.encode(x, 2), acts[2]);
      net.free(); data.free();
    });

    test('input noise: settings read back, clean targets, a noisy copy for display', () => {
      const net = autoencoder(nn);
      assert.deepEqual(net.inputNoise, { kind: 'none', amount: 0 });
      net.setInputNoise({ kind: 'mask', amount: 0.25 });
      assert.deepEqual(net.inputNoise, { kind: 'mask', amount: 0.25 });
      const x = new Float32Array(4000).fill(1);
      const c = nn.corrupt(x, { dims: 8, kind: 'mask', amount: 0.25, seed: 7 });
      const zeros = c.filter((v) => v === 0).length / c.length;
      assert.ok(Math.abs(zeros - 0.25) < 0.03, `mask rate ${zeros}`);
      assert.ok(c.every((v) => v === 0 || v === 1));
      assert.deepEqual(nn.corrupt(x, { dims: 8, kind: 'mask', amount: 0.25, seed: 7 }), c, 'seeded');
      assert.equal(x[0], 1, 'the input is not changed');
      net.free();
    });

    test('bad arguments throw a clear Error and leave the net usable', () => {
      const net = autoencoder(nn);
      const x = new Float32Array(3 * 8).fill(0.5);
      const bad = [
        [() => net.encode(x, 7), /k must be an integer in \[0, 6\]/],
        [() => net.encode(x, -1), /k must be/],
        [() => net.encode(x, 1.5), /k must be/],
        [() => net.encode(new Float32Array(7), 1), /not a multiple of 8 inputs/],
        [() => net.decode(new Float32Array(5), 2), /not a multiple of layer 2's width 2/],
        [() => net.decode(new Float32Array(4), 9), /k must be/],
        [() => net.setInputNoise({ kind: 'salt', amount: 0.1 }), /unknown noise kind "salt"/],
        [() => net.setInputNoise({ kind: 'mask', amount: NaN }), /amount must be a finite number/],
        [() => net.setInputNoise({ kind: 'mask', amount: 1.5 }), /amount must be/],
        [() => net.setInputNoise({ kind: 'gaussian', amount: -1 }), /amount must be/],
        [() => nn.corrupt(x, { dims: 5, kind: 'mask', amount: 0.1 }), /not a multiple of 5/],
        [() => nn.data({ x, dims: 8, y: x, targets: 'inputs' }), /targets 'inputs' and y together/],
        [() => nn.data({ x, dims: 8, targets: 'outputs' }), /targets must be 'inputs'/],
      ];
      for (const [call, re] of bad) assert.throws(call, (e) => e instanceof NNPlayError && re.test(e.message), String(re));
      // a classifier takes no targets 'inputs'
      const clf = nn.createNet({ inputs: 8, outputs: 3, output: 'softmax', layers: [4] });
      const d = nn.data({ x, dims: 8, targets: 'inputs' });
      assert.throws(() => clf.train(d), /targets 'inputs' need a squared-error or BCE loss/);
      const narrow = nn.createNet({ inputs: 8, outputs: 2, output: 'sigmoid', loss: 'bce', layers: [4] });
      assert.throws(() => narrow.evaluate(d), /as many outputs as inputs/);
      assert.equal(narrow.encode(d, 0).length, 3 * 4, 'encoding reads the inputs only');
      assert.deepEqual(net.inputNoise, { kind: 'none', amount: 0 }, 'a refused setting changes nothing');
      const before = net.evaluate(d).loss;
      assert.ok(Number.isFinite(before));
      net.train(d, { batchSize: 3, steps: 2 });
      [net, clf, narrow, d].forEach((o) => o.free());
    });
  });
}
