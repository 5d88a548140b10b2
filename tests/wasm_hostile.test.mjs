// wasm_hostile.test.mjs: hostile and careless calls through the JS API, on
// both builds. Each one must throw an NNPlayError whose message names the
// argument, and leave everything as it was: after every call a canary (a
// net's parameters and a data set's bytes, both in wasm memory) is checked
// byte for byte and the instance must still train and report errors in
// words. Some of these calls once wrote past their buffers and killed the
// instance; others were silently accepted and trained on nonsense.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builds } from './helpers.mjs';
import { NNPlayError } from '../build/wasm/nnplay.mjs';

/** FNV-1a of bytes, as the save format's checksum. */
function fnv1a(b, n) {
  let h = 2166136261;
  for (let i = 0; i < n; i++) h = Math.imul(h ^ b[i], 16777619) >>> 0;
  return h;
}

/** A copy of a saved net with a change at `at`, checksum made good again. */
function patched(bytes, at, values, width = 4) {
  const b = bytes.slice();
  const v = new DataView(b.buffer);
  values.forEach((x, i) => (width === 8 ? v.setBigUint64(at + 8 * i, BigInt.asUintN(64, BigInt(x)), true)
    : v.setUint32(at + 4 * i, x >>> 0, true)));
  v.setUint32(b.length - 4, fnv1a(b, b.length - 4), true);
  return b;
}

const f32bits = (f) => new Uint32Array(new Float32Array([f]).buffer)[0];

for (const [name, nn] of builds) {
  test(`${name}: hostile calls throw clean errors and corrupt nothing`, () => {
    const memory = () => nn.m.HEAPU8.buffer.byteLength;
    // the canary: a net and a data set whose bytes must never change
    const canary = nn.createNet({ inputs: 2, layers: [5], outputs: 3, output: 'softmax', seed: 9, maxBatch: 8 });
    const canaryData = nn.dataset('spirals', { n: 60, classes: 3, seed: 4 });
    const params0 = canary.params().slice(), x0 = canaryData.x.slice(), labels0 = canaryData.labels.slice();
    const intact = (what) => {
      assert.deepEqual(canary.params(), params0, `${what}: canary parameters intact`);
      assert.deepEqual(canaryData.x, x0, `${what}: canary data intact`);
      assert.deepEqual(canaryData.labels, labels0, `${what}: canary labels intact`);
      // the instance still works and still has words for its errors
      const probe = nn.createNet({ inputs: 2, layers: [3], outputs: 1, seed: 1 });
      assert.ok(Number.isFinite(probe.trainBatch(new Float32Array([1, 2]), new Float32Array([1]))), `${what}: trains`);
      assert.throws(() => probe.trainBatch(new Float32Array(3), new Float32Array(1)), /not a multiple of 2 inputs/);
      probe.free();
      assert.throws(() => nn.loadNet(new Uint8Array(16)), /truncated, corrupt/, `${what}: C messages readable`);
    };

    const soft = nn.createNet({ inputs: 2, layers: [4], outputs: 3, output: 'softmax', seed: 1, maxBatch: 8 });
    const bce = nn.createNet({ inputs: 2, layers: [4], outputs: 1, output: 'sigmoid', seed: 1, maxBatch: 8 });
    const x4 = new Float32Array([0.1, 0.2, -0.3, 0.4]);
    const saved = soft.save();
    const S = 44 + 36 * 3; // settings after the 3 layer specs (engine/io.c, version 3)
    const mem0 = memory();

    // [what, call, the message must match]
    const calls = [
      ['data with target width 1000 on a 3-output net', () => soft.train(nn.data({ x: new Float32Array(128), labels: new Int32Array(64),
        y: new Float32Array(64000), targetDims: 1000, dims: 2 }), { batchSize: 8, steps: 4 }), /size or count/],
      ['100,000 targets beside labels', () => soft.trainBatch({ x: x4, labels: [0, 1], y: new Float32Array(1e5) }), /y has 100000 values, 6 expected/],
      ['100,000 labels on a BCE net', () => bce.trainBatch({ x: x4, y: new Float32Array(2), labels: new Int32Array(1e5) }), /labels has 100000 values, 2 expected/],
      ['a batch past max_batch', () => soft.trainBatch({ x: new Float32Array(2e5), labels: new Int32Array(1e5) }), /batch of 100000 is larger than the net's max_batch 8/],
      ['an io buffer past 4 GiB', () => soft.ioBuffer(2 ** 33), /out of memory/],
      ['an io buffer of 2^31 bytes', () => soft.ioBuffer(2 ** 31), /out of memory/],
      ['an allocation of NaN bytes', () => nn.alloc(NaN), /allocation of NaN/],
      ['predict output past 2^28 values', () => {
        const wide = nn.createNet({ inputs: 1, layers: [], outputs: 65536, output: 'linear', seed: 1, maxBatch: 4 });
        try { return wide.predict(new Float32Array(16385)); } finally { wide.free(); }
      }, /predict: 1073807360 outputs, more than/],
      ['dropout NaN', () => nn.createNet({ layers: [{ units: 4, dropout: NaN }] }), /dropout must be/],
      ['dropout -0.5', () => nn.createNet({ layers: [{ units: 4, dropout: -0.5 }] }), /dropout must be/],
      ['l2 NaN', () => nn.createNet({ l2: NaN }), /l2 must be/],
      ['l1 -1', () => soft.setRegularization({ l1: -1 }), /l1 must be/],
      ['optimizer name null', () => nn.createNet({ optimizer: { name: null } }), /optimizer must be a name/],
      ['init 5', () => nn.createNet({ init: 5 }), /setInit expects an options object, got 5/],
      ['setOptimizer(42)', () => soft.setOptimizer(42), /setOptimizer expects an options object, got 42/],
      ['setOptimizer momentum 1', () => soft.setOptimizer({ name: 'momentum', momentum: 1 }), /momentum must be/],
      ['setThreshold(null)', () => bce.setThreshold(null), /threshold must be a finite number/],
      ['setLearningRate("0.1")', () => soft.setLearningRate('0.1'), /learning rate must be/],
      ['label 2^32', () => soft.trainBatch({ x: x4, labels: [2 ** 32, 0] }), /labels\[0\] must be a class index/],
      ['label 1.7', () => soft.trainBatch({ x: x4, labels: [1.7, 0] }), /labels\[0\] must be a class index/],
      ['label NaN', () => soft.trainBatch({ x: x4, labels: [0, NaN] }), /labels\[1\] must be a class index/],
      ['label -1 in a Float32Array', () => soft.trainBatch({ x: x4, labels: new Float32Array([-1, 0]) }), /labels\[0\] must be a class index/],
      ['labels 1.7 in data()', () => nn.data({ x: x4, labels: [1.7, 0], dims: 2 }), /data: labels\[0\]/],
      ['label 3 of 3 classes', () => soft.trainBatch({ x: x4, labels: [0, 3] }), /class label is out of range/],
      ['predict("abcd")', () => soft.predict('abcd'), /predict: x must be a typed array/],
      ['predict([1, "2"])', () => soft.predict([1, '2']), /predict: x\[1\] must be a finite number/],
      ['predict NaN in a plain array', () => soft.predict([NaN, 0]), /predict: x\[0\] must be a finite number/],
      ['predict into a small array', () => soft.predict(x4, new Float32Array(5)), /out must be a Float32Array of at least 6/],
      ['predict into a plain array', () => soft.predict(x4, [0, 0, 0, 0, 0, 0]), /out must be a Float32Array/],
      ['data dims -1', () => nn.data({ x: x4, dims: -1 }), /dims must be an integer/],
      ['data dims 3 for 4 values', () => nn.data({ x: x4, dims: 3 }), /array lengths do not match/],
      ['data() without options', () => nn.data(), /data: x must be a typed array/],
      ['data(null)', () => nn.data(null), /data expects an options object/],
      ['data with x8 a Float32Array', () => nn.data({ x8: x4 }), /x8 must be a Uint8Array/],
      ['data with a NaN scale', () => nn.data({ x8: new Uint8Array(4), scale: NaN, dims: 2 }), /scale must be/],
      ['an unknown data set', () => nn.dataset('spirale'), /unknown data set "spirale" \(one of: circle, xor, gauss, spiral, spirals, blobs, plane, cos\)/],
      ['dataset classes "4"', () => nn.dataset('spirals', { classes: '4' }), /classes must be an integer/],
      ['dataset classes 9', () => nn.dataset('blobs', { classes: 9 }), /classes must be an integer in \[2, 5\]/],
      ['dataset n 0', () => nn.dataset('circle', { n: 0 }), /n must be an integer/],
      ['dataset(name, null)', () => nn.dataset('circle', null), /dataset expects an options object/],
      ['evaluate 0 rows', () => soft.evaluate({ x: new Float32Array(0), labels: new Int32Array(0) }), /evaluate: the data set is empty/],
      ['loss of 0 rows', () => soft.loss({ x: new Float32Array(0), labels: [] }), /loss: the data set is empty/],
      ['layers null', () => nn.createNet({ layers: null }), /layers must be an array/],
      ['layers [null]', () => nn.createNet({ layers: [null] }), /each entry is a number of units, a layer object or an activation name/],
      ['layers "8"', () => nn.createNet({ layers: '8' }), /layers must be an array/],
      ['createNet(7)', () => nn.createNet(7), /createNet expects an options object/],
      ['setRegularization(null)', () => soft.setRegularization(null), /setRegularization expects an options object/],
      ['train(data, null)', () => soft.train(canaryData, null), /train expects an options object/],
      ['train shuffle "no"', () => soft.train(canaryData, { batchSize: 4, shuffle: 'no' }), /shuffle must be true or false/],
      ['trainBatch(null)', () => soft.trainBatch(null), /expected a Data or/],
      ['a conv kernel larger than its input', () => nn.createNet({ shape: [1, 5, 5], outputs: 2, output: 'softmax',
        layers: [{ conv: 2, kernel: 7 }] }), /createNet: a size or count .* \(layer 0, conv on a 1 x 5 x 5 input\)/],
      ['a pool after a dense layer', () => nn.createNet({ inputs: 4, outputs: 2, output: 'softmax',
        layers: [8, { maxpool: 2 }] }), /\(layer 2, maxpool on a 8 x 1 x 1 input\)/],
      ['shape and inputs that disagree', () => nn.createNet({ shape: [1, 5, 5], inputs: 24 }), /inputs 24 is not the product of shape 1 x 5 x 5/],
      ['a conv stride 0', () => nn.createNet({ shape: [1, 5, 5], layers: [{ conv: 2, kernel: 3, stride: 0 }] }), /conv stride must be/],
      ['batch norm momentum 0', () => nn.createNet({ layers: [{ type: 'batchnorm', momentum: 0 }, 4] }), /batchnorm momentum must be/],
      ['activation param NaN', () => nn.createNet({ layers: [{ units: 3, activation: 'elu', param: NaN }] }), /activation param must be/],
      ['loadNet of a string', () => nn.loadNet('NNPL'), /loadNet expects a Uint8Array/],
      ['a saved net from a newer version', () => nn.loadNet(patched(saved, 4, [99])), /\(a version-99 file; this build reads versions 1 to \d+\)/],
      ['a saved net whose shuffle generator sticks at 0', () => nn.loadNet(patched(saved, S + 72, [0, 0], 8)), /truncated, corrupt/],
      ['a saved net with step count INT64_MAX', () => nn.loadNet(patched(saved, S + 108, [2n ** 63n - 1n], 8)), /truncated, corrupt/],
      ['a saved net with Adam t = -1', () => nn.loadNet(patched(saved, S + 116, [-1], 8)), /truncated, corrupt/],
      ['a saved net with a NaN constant-init weight', () => nn.loadNet(patched(saved, S + 40, [f32bits(NaN)])), /truncated, corrupt/],
      ['a saved net with a NaN weight', () => nn.loadNet(patched(saved, S + 160, [f32bits(NaN)])), /truncated, corrupt/],
      ['a 216-byte header describing 784 -> 65536 -> 10', () => {
        const b = new Uint8Array(216), v = new DataView(b.buffer);
        [0x4C504E4E, 2, 784, 3, 10, 3, 1024, 1].forEach((x, i) => v.setUint32(4 * i, x, true));
        [[0, 65536], [1, 0, 2], [0, 10]].forEach((spec, k) => spec.forEach((x, j) => v.setUint32(32 + 24 * k + 4 * j, x, true)));
        v.setUint32(212, fnv1a(b, 212), true);
        return nn.loadNet(b);
      }, /truncated, corrupt/],
    ];

    let handled = 0;
    for (const [what, call, re] of calls) {
      assert.throws(call, (e) => e instanceof NNPlayError && re.test(e.message), `${what}: expected an NNPlayError matching ${re}`);
      intact(what);
      handled++;
    }
    assert.equal(handled, calls.length);
    // none of it grew wasm memory by more than a few MB (the 216-byte header once took 1.8 GB)
    assert.ok(memory() - mem0 <= 16 << 20, `memory grew by ${(memory() - mem0) >> 20} MB`);

    // failed calls changed nothing: the nets still train to the same numbers as fresh twins
    const twin = nn.createNet({ inputs: 2, layers: [4], outputs: 3, output: 'softmax', seed: 1, maxBatch: 8 });
    const l1 = soft.trainBatch(x4, new Int32Array([0, 2])), l2 = twin.trainBatch(x4, new Int32Array([0, 2]));
    assert.equal(l1, l2, 'the net that saw every hostile call trains exactly as a fresh one');
    assert.deepEqual(soft.params(), twin.params());
    [soft, bce, twin, canary].forEach((n) => n.free());
    canaryData.free();
    console.log(`# ${name}: ${handled} of ${calls.length} hostile calls handled cleanly`);
  });

  test(`${name}: a loaded net answers every call as the original, and failed calls change nothing`, () => {
    const data = nn.dataset('spirals', { n: 50, classes: 3, seed: 2 });
    const a = nn.createNet({ inputs: 2, layers: [{ units: 6, batchNorm: true }], outputs: 3, output: 'softmax', seed: 3,
      maxBatch: 8, optimizer: { name: 'adam', lr: 0.01 } });
    a.train(data, { batchSize: 7, steps: 11 }); // saved mid-epoch
    const b = nn.loadNet(a.save());
    assert.deepEqual(b.optimizer, a.optimizer, 'the optimiser settings come with the file');
    assert.throws(() => b.setLearningRate(NaN), /learning rate must be/);
    assert.equal(b.optimizer.lr, a.optimizer.lr, 'a failed setLearningRate changes nothing');
    b.setLearningRate(0.02);
    a.setLearningRate(0.02);
    assert.ok(Math.abs(b.optimizer.lr - 0.02) < 1e-9);
    // the epoch in progress continues in the same order: identical numbers
    const ra = a.train(data, { batchSize: 7, steps: 20 }), rb = b.train(data, { batchSize: 7, steps: 20 });
    assert.deepEqual(rb, ra, 'same losses and epochs');
    assert.deepEqual(b.params(), a.params(), 'bit-identical parameters');
    assert.deepEqual(b.save(), a.save(), 'and the same bytes when saved again');
    a.free(); b.free(); data.free();
  });

  test(`${name}: train without shuffling is online SGD in the data's order`, () => {
    const xs = [-1.2, 0.3, -0.1, 0.0, -0.4, 0.7], ys = [0, 1, 0, 1, 0, 1];
    const make = () => {
      const net = nn.createNet({ inputs: 1, layers: [], outputs: 1, output: 'tanh', loss: 'se_half',
        optimizer: { name: 'sgd', lr: 0.1 }, seed: 1 });
      net.params().set([0.1, 0]);
      return net;
    };
    const a = make(), b = make();
    const data = nn.data({ x: new Float32Array(xs), y: new Float32Array(ys), dims: 1 });
    a.train(data, { batchSize: 1, steps: 12, shuffle: false });
    for (let e = 0; e < 2; e++) xs.forEach((x, i) => b.trainBatch({ x: new Float32Array([x]), y: new Float32Array([ys[i]]) }));
    assert.deepEqual(a.params(), b.params(), 'two epochs in order, one example a step');
    const c = make();
    c.train(data, { batchSize: 1, steps: 12 });
    assert.notDeepEqual(c.params(), a.params(), 'shuffled epochs take another order');
    // a train call refused before its first step leaves the order setting as it was
    const d = make();
    const bad = nn.data({ x: new Float32Array(xs), y: new Float32Array(6), dims: 1 });
    const wrongWidth = nn.data({ x: new Float32Array(12), y: new Float32Array(6), dims: 2 });
    assert.throws(() => d.train(wrongWidth, { batchSize: 1, steps: 1, shuffle: false }), /data have 2 inputs/);
    assert.equal(nn.m._nn_get_shuffle(d.ptr), 1, 'refused in JS: shuffling unchanged');
    d.free();
    const e = nn.createNet({ inputs: 1, layers: [], outputs: 2, output: 'linear', loss: 'mse', seed: 1 });
    assert.throws(() => e.train(bad, { batchSize: 1, steps: 1, shuffle: false }), /size or count/);
    assert.equal(nn.m._nn_get_shuffle(e.ptr), 1, 'refused by the engine: shuffling unchanged');
    [e, bad, wrongWidth].forEach((o) => o.free());
    [a, b, c].forEach((n) => n.free());
    data.free();
  });

  test(`${name}: predict and activations use a bounded buffer whatever the input size`, () => {
    const net = nn.createNet({ inputs: 2, layers: [8], outputs: 1, seed: 1 });
    const small = new Float32Array([0.5, -0.5]);
    const before = net.predict(small)[0];
    const mem0 = nn.m.HEAPU8.buffer.byteLength;
    const x = new Float32Array(2e6).map((_, i) => Math.sin(i));
    const out = net.predict(x);
    assert.equal(out.length, 1e6);
    assert.equal(out[0], net.predict(x.subarray(0, 2))[0], 'chunked rows give the same outputs');
    assert.equal(out[999999], net.predict(x.subarray(1999998))[0]);
    const acts = net.activations(x.subarray(0, 2e5));
    assert.equal(acts.length, 3);
    assert.equal(acts[2][12345], net.activations(x.subarray(24690, 24692))[2][0], 'chunked activations');
    assert.equal(acts[0].length, 2e5 / 2 * 8);
    const x4 = new Float32Array(2e7).fill(0.5);  // 10 million rows: 80 MB in, 40 MB out
    assert.equal(net.predict(x4)[9999999], net.predict(x4.subarray(0, 2))[0], "the last of ten million rows");
    assert.ok(nn.m.HEAPU8.buffer.byteLength - mem0 <= 24 << 20, 'ten million rows did not grow wasm memory past a chunk');
    assert.ok(net.ioBytes <= (16 << 20) + 64, `io buffer ${net.ioBytes} bytes`);
    // after a failed allocation the buffer is still consistent
    assert.throws(() => net.ioBuffer(2 ** 33), /out of memory/);
    assert.equal(net.predict(small)[0], before, 'predict works after a failed allocation');
    net.free();
  });
}
