// wasm_errors.test.mjs: bad input from JavaScript throws a clear NNPlayError
// and corrupts nothing (the net keeps its parameters and keeps training);
// divergence is reported as its own error; wasm memory does not grow while
// training (200,000 steps) and stays bounded over 1,000 nets created and freed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builds } from './helpers.mjs';
import { NNPlayError, ERR_DIVERGED } from '../build/wasm/nnplay.mjs';

const throwsMsg = (fn, re) => assert.throws(fn, (e) => e instanceof NNPlayError && re.test(e.message), `expected ${re}`);

for (const [name, nn] of builds) {
  test(`${name}: bad input throws and leaves the net usable`, () => {
    const net = nn.createNet({ inputs: 2, layers: [4], outputs: 3, output: 'softmax', seed: 1, maxBatch: 8 });
    const before = net.params().slice();
    const x = new Float32Array([0.1, 0.2, -0.3, 0.4]);
    const labels = new Int32Array([0, 2]);
    throwsMsg(() => nn.createNet({ layers: [{ units: 4, activation: 'sigmoidd' }] }), /unknown activation "sigmoidd"/);
    throwsMsg(() => nn.createNet({ output: 'softmax', loss: 'bce' }), /do not go together/);
    throwsMsg(() => nn.createNet({ optimizer: 'adamm' }), /unknown optimizer/);
    throwsMsg(() => nn.createNet({ layers: [{ units: 0 }] }), /units must be/);
    throwsMsg(() => nn.createNet({ layers: [{ units: 4, dropout: 1 }] }), /dropout/);
    throwsMsg(() => nn.createNet({ init: 'zeros' }), /unknown init/);
    throwsMsg(() => net.trainBatch(new Float32Array(3), labels), /not a multiple of 2 inputs/);
    throwsMsg(() => net.trainBatch(x, new Int32Array([0])), /labels has 1 values, 2 expected/);
    throwsMsg(() => net.trainBatch(x, new Int32Array([0, 3])), /class label is out of range/);
    throwsMsg(() => net.trainBatch(new Float32Array(18), new Int32Array(9)), /larger than the net's max_batch/);
    throwsMsg(() => net.setLearningRate(NaN), /learning rate must be a finite number > 0, got NaN/);
    throwsMsg(() => net.setLearningRate(-1), /learning rate must be a finite number > 0, got -1/);
    throwsMsg(() => net.setOptimizer({ name: 'sgd', lr: NaN }), /lr must be/);
    throwsMsg(() => net.setRegularization({ l2: -1 }), /l2 must be a finite number in \[0, Infinity\], got -1/);
    throwsMsg(() => net.setSeed('weights', 1), /unknown stream/);
    throwsMsg(() => net.train({ x }, { batchSize: 2 }), /labels expected/);
    throwsMsg(() => net.train(nn.dataset('circle', { n: 10 }), { batchSize: 99 }), /batchSize/);
    throwsMsg(() => nn.dataset('moons'), /unknown data set/);
    throwsMsg(() => nn.dataset('circle', { noise: 2 }), /noise/);
    throwsMsg(() => nn.loadNet(new Uint8Array([1, 2, 3])), /truncated, corrupt/);
    assert.deepEqual(net.params(), before, 'parameters untouched by failed calls');
    const loss = net.trainBatch(x, labels);
    assert.ok(Number.isFinite(loss), 'still trains');
    net.free();
    throwsMsg(() => net.trainBatch(x, labels), /used after free/);
    throwsMsg(() => net.params(), /used after free/);
    net.free(); // a second free is harmless
  });

  test(`${name}: out of memory is a clear error and the engine goes on`, () => {
    // 2^20 x 1024 floats per buffer: 4 GiB, beyond wasm32 memory
    throwsMsg(() => nn.createNet({ inputs: 4, layers: [{ units: 1024 }], maxBatch: 1 << 20 }), /out of memory/);
    throwsMsg(() => nn.createNet({ inputs: 4, layers: [{ units: 4096 }], maxBatch: 1 << 20 }), /size or count is out of range/);
    const net = nn.createNet({ inputs: 2, layers: [4], seed: 1 });
    assert.ok(Number.isFinite(net.trainBatch(new Float32Array([1, 2]), new Float32Array([1]))));
    net.free();
  });

  test(`${name}: divergence is its own error and changes nothing`, () => {
    const net = nn.createNet({ inputs: 2, layers: [], outputs: 1, output: 'linear', loss: 'mse',
      optimizer: { name: 'sgd', lr: 50 }, seed: 1, maxBatch: 4 });
    const x = new Float32Array([1, 2, -3, 4, 5, -6, 7, 8]), y = new Float32Array([1, -1, 2, 0]);
    let err = null;
    for (let i = 0; i < 1000 && !err; i++) {
      try { net.trainBatch(x, y); } catch (e) { err = e; }
    }
    assert.ok(err instanceof NNPlayError, 'diverges');
    assert.equal(err.code, ERR_DIVERGED);
    assert.match(err.message, /diverged/);
    const p = net.params().slice();
    assert.throws(() => net.trainBatch(x, y));
    assert.deepEqual(net.params(), p, 'a diverged step is not applied');
    net.reset().setLearningRate(0.001);
    assert.ok(Number.isFinite(net.trainBatch(x, y)), 'usable after reset');
    net.free();
  });

  test(`${name}: 200,000 training steps do not grow wasm memory`, () => {
    const data = nn.dataset('circle', { n: 200, seed: 1 });
    const net = nn.createNet({ inputs: 2, layers: [8, 8], outputs: 2, output: 'softmax', seed: 1, maxBatch: 10 });
    const x = data.x.slice(0, 20), labels = data.labels.slice(0, 10);
    net.train(data, { batchSize: 10, steps: 10 });
    net.trainBatch(x, labels);
    const size = nn.m.HEAPU8.buffer.byteLength;
    net.train(data, { batchSize: 10, steps: 150000 });
    for (let i = 0; i < 50000; i++) net.trainBatch(x, labels);
    assert.equal(net.steps, 200011);
    assert.equal(nn.m.HEAPU8.buffer.byteLength, size, 'memory size unchanged');
    net.free();
    data.free();
  });

  test(`${name}: 1,000 nets created and freed leave memory bounded`, () => {
    const opts = { inputs: 2, layers: [16, 16], outputs: 2, output: 'softmax', maxBatch: 256 };
    for (let i = 0; i < 20; i++) nn.createNet(opts).free();
    const size = nn.m.HEAPU8.buffer.byteLength;
    for (let i = 0; i < 1000; i++) {
      const net = nn.createNet({ ...opts, seed: i });
      net.predict(new Float32Array(2 * 300));
      net.free();
    }
    assert.ok(nn.m.HEAPU8.buffer.byteLength <= size + (1 << 20), 'memory bounded');
  });
}
