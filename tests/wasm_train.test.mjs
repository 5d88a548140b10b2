// wasm_train.test.mjs: training through the JS API reaches the accuracies of
// the engine tests (XOR 100%, Circle/Gaussian/Spiral >= 97%, 3-class spiral
// >= 95%), on both builds, with fixed seeds; and reset/save/load behave;
// layers() gives each window (kernel, stride, pad), also for a loaded net, and
// netBytes() the engine's memory for a net before it is built.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builds } from './helpers.mjs';

const cases = [
  ['xor', { n: 200, seed: 1 }, [4], 'adam', 0.03, 300, 1.0],
  ['circle', { n: 400, seed: 2 }, [8, 8], 'adam', 0.01, 200, 0.97],
  ['gauss', { n: 400, seed: 3 }, [8, 8], 'sgd', 0.1, 100, 0.97],
  ['spiral', { n: 400, seed: 4 }, [16, 16], 'adam', 0.01, 600, 0.97],
  ['spirals', { n: 600, seed: 5, classes: 3 }, [16, 16], 'adam', 0.01, 600, 0.95],
];

for (const [name, nn] of builds) {
  for (const [set, opts, layers, opt, lr, epochs, target] of cases) {
    test(`${name}: ${set} reaches ${target * 100}% train accuracy`, () => {
      const data = nn.dataset(set, opts);
      const classes = data.classes;
      const train = classes > 2 ? data : nn.data({ x: data.x, y: Float32Array.from(data.labels), dims: 2 });
      const net = nn.createNet({ inputs: 2, layers, activation: 'tanh', outputs: classes > 2 ? classes : 1,
        output: classes > 2 ? 'softmax' : 'sigmoid', optimizer: { name: opt, lr }, seed: 7, maxBatch: 32 });
      let ev = net.evaluate(train);
      const first = ev.loss;
      for (let e = 0; e < epochs && ev.accuracy < target; e++) {
        net.trainEpoch(train, { batchSize: 10 });
        ev = net.evaluate(train);
      }
      assert.ok(ev.accuracy >= target, `accuracy ${ev.accuracy}`);
      assert.ok(ev.loss < first, 'loss fell');
      net.free();
      if (train !== data) train.free();
      data.free();
    });
  }

  test(`${name}: the data sets' older names spiral_k and blobs_k give the same points`, () => {
    for (const [old, now] of [['spiral_k', 'spirals'], ['blobs_k', 'blobs']]) {
      const a = nn.dataset(old, { n: 40, seed: 3, classes: 4 }), b = nn.dataset(now, { n: 40, seed: 3, classes: 4 });
      assert.deepEqual([a.x, a.labels, a.classes], [b.x, b.labels, 4]);
      a.free(); b.free();
    }
  });

  test(`${name}: reset restores the initial loss; save/load continues identically`, () => {
    const data = nn.dataset('spirals', { n: 300, seed: 9, classes: 3 });
    const net = nn.createNet({ inputs: 2, layers: [{ units: 8, dropout: 0.1, batchNorm: true }], outputs: 3,
      output: 'softmax', optimizer: 'adam', seed: 4, maxBatch: 16, l2: 1e-3 });
    const initial = net.evaluate(data).loss;
    net.train(data, { batchSize: 16, steps: 30 });
    assert.notEqual(net.evaluate(data).loss, initial);
    net.reset();
    assert.equal(net.evaluate(data).loss, initial, 'same initial loss after reset');
    assert.equal(net.steps, 0);
    net.train(data, { batchSize: 16, steps: 0 });
    const copy = nn.loadNet(net.save());
    for (let i = 0; i < 5; i++) {
      const a = net.train(data, { batchSize: 16, steps: 3 }).loss;
      const b = copy.train(data, { batchSize: 16, steps: 3 }).loss;
      assert.equal(a, b, 'loaded net trains like the saved one');
    }
    assert.deepEqual(net.predict(data.x), copy.predict(data.x));
    net.setSeed('init', 123).reset();
    assert.notEqual(net.evaluate(data).loss, initial, 'a new init seed gives new weights');
    net.free();
    copy.free();
    data.free();
  });

  test(`${name}: layers() gives each window, as built and as loaded; netBytes() plans without building`, () => {
    const opts = { shape: [1, 12, 12], outputs: 3, output: 'softmax', maxBatch: 8, seed: 2,
      layers: [{ conv: 4, kernel: 5, stride: 2, pad: 1 }, 'relu', { maxpool: 2 }, { avgpool: 2, stride: 1 }] };
    const want = [[5, 2, 1], [0, 0, 0], [2, 2, 0], [2, 1, 0], [0, 0, 0]];
    const window = (n) => n.layers().map((l) => [l.kernel, l.stride, l.pad]);
    const before = nn.m.HEAPU8.length;
    const bytes = nn.netBytes(opts);
    assert.equal(nn.m.HEAPU8.length, before, 'planning allocates nothing');
    assert.ok(Number.isInteger(bytes) && bytes > 0, `bytes ${bytes}`);
    assert.ok(nn.netBytes({ ...opts, maxBatch: 64 }) > bytes, 'a larger batch needs more memory');
    const net = nn.createNet(opts);
    assert.deepEqual(window(net), want);
    const copy = nn.loadNet(net.save());
    assert.deepEqual(window(copy), want, 'a loaded net knows its windows');
    net.free();
    copy.free();
    assert.throws(() => nn.netBytes({ ...opts, layers: [{ conv: 2, kernel: 15 }] }),
      /netBytes: a size or count .* \(layer 0, conv on a 1 x 12 x 12 input\)/, 'the engine names the layer');
    assert.throws(() => nn.netBytes({ ...opts, layers: [{ conv: 2, kernel: 3, stride: 0 }] }), /conv stride must be/);
  });
}
