// convolution.test.mjs: the pure parts of issue 11's modules under Node: the
// convolution explainer's arithmetic (convolution/model.js: the output-size
// formula, typed kernels, the slide's 42 and 56 by hand and through the
// engine, pooling winners), the digit shift (shared/shift.js) and the race
// of an MLP against a CNN (shared/race.js) stepping both nets through the
// public JS API. Needs `make page` (web/lib, web/data/mnist).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { builds } from './helpers.mjs';
import * as M from '../web/js/convolution/model.js';

describe('convolution/model.js: the explainer arithmetic', () => {
  test('output side ⌊(n + 2p − k)/s⌋ + 1, and 0 when the window does not fit', () => {
    assert.equal(M.outputSide(28, 3, 0, 1), 26);
    assert.equal(M.outputSide(28, 3, 1, 1), 28);
    assert.equal(M.outputSide(28, 3, 1, 2), 14);
    assert.equal(M.outputSide(28, 3, 0, 2), 13, 'floor((28 - 3) / 2) + 1');
    assert.equal(M.outputSide(5, 3, 0, 1), 3);
    assert.equal(M.outputSide(5, 3, 3, 3), 3, 'floor((5 + 6 - 3) / 3) + 1 = floor(2.67) + 1');
    assert.equal(M.outputSide(28, 5, 2, 1), 28, 'the CNN conv 5 x 5 pad 2');
    assert.equal(M.outputSide(14, 3, 0, 3), 4, 'max pool 3 of 14');
    assert.equal(M.outputSide(2, 3), 0);
    assert.equal(M.outputSide(3, 3), 1);
  });

  test('a typed kernel is 9 finite numbers, else a reason', () => {
    assert.deepEqual(M.parseKernel('0 1 0\n0 0 0\n0 0 0').values, M.KERNELS.slide);
    assert.deepEqual(M.parseKernel('1,2,3,4,5,6,7,8,9').values, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(M.parseKernel('1;2;3 ; 4;5;6;7;8;-9').values, [1, 2, 3, 4, 5, 6, 7, 8, -9]);
    assert.deepEqual(M.parseKernel('0,5 0,25 1 1 1 1 1 1 −2').values, [0.5, 0.25, 1, 1, 1, 1, 1, 1, -2], 'French decimal commas, a minus sign');
    assert.deepEqual(M.parseKernel('1/16 2/16 1/16 2/16 4/16 2/16 1/16 2/16 1/16').values, M.KERNELS.gauss);
    assert.deepEqual(M.parseKernel('1e-3 .5 -.5 0 0 0 0 0 0').values.slice(0, 3), [0.001, 0.5, -0.5]);
    assert.deepEqual(M.parseKernel('1 2 3 4 5 6 7 8'), { error: 'count', n: 8 });
    assert.deepEqual(M.parseKernel(''), { error: 'count', n: 0 });
    assert.deepEqual(M.parseKernel('1 2 3 4 5 6 7 8 9 10'), { error: 'count', n: 10 });
    assert.deepEqual(M.parseKernel('1 2 3 4 abc 6 7 8 9'), { error: 'nan', token: 'abc', k: 5 });
    assert.deepEqual(M.parseKernel('1 2 3 4 5 6 7 8 NaN'), { error: 'nan', token: 'NaN', k: 9 });
    assert.deepEqual(M.parseKernel('1e999 2 3 4 5 6 7 8 9'), { error: 'nan', token: '1e999', k: 1 });
    assert.deepEqual(M.parseKernel('1/0 2 3 4 5 6 7 8 9'), { error: 'nan', token: '1/0', k: 1 });
    assert.deepEqual(M.parseKernel('1 2 3 4 5 6 7 8 2000'), { error: 'range', token: '2000', k: 9 });
    assert.ok(!Object.is(M.parseKernel('-0 0 0 0 0 0 0 0 0').values[0], -0));
  });

  test("the slide's patch: 42 at the centre (cross-correlation), 56 with the kernel flipped", () => {
    const { patch, side } = M.SLIDE;
    assert.equal(M.SLIDE.correlation, 42);
    const a = M.arithmetic(patch, side, M.KERNELS.slide, 1, 1);
    assert.equal(a.sum, 42);
    assert.deepEqual(a.patch, [40, 42, 46, 46, 50, 55, 52, 56, 58], "the centre's 3 x 3 window, rows as printed");
    assert.deepEqual(a.products, [0, 42, 0, 0, 0, 0, 0, 0, 0]);
    assert.deepEqual(M.flipKernel(M.KERNELS.slide), [0, 0, 0, 0, 0, 0, 0, 1, 0]);
    assert.equal(M.arithmetic(patch, side, M.flipKernel(M.KERNELS.slide), 1, 1).sum, 56);
    // the filled-in cells are outside the centre's window: the two results do not depend on them
    for (const [r, c] of M.SLIDE.filled) {
      const changed = patch.slice();
      changed[r * side + c] = 999;
      assert.equal(M.arithmetic(changed, side, M.KERNELS.slide, 1, 1).sum, 42);
      assert.equal(M.arithmetic(changed, side, M.flipKernel(M.KERNELS.slide), 1, 1).sum, 56);
    }
  });

  test('padding: the patch of a corner pixel has zeros, marked as padding', () => {
    const input = Array.from({ length: 16 }, (_, i) => i + 1);
    const a = M.arithmetic(input, 4, Array(9).fill(1), 0, 0, { pad: 1 });
    assert.deepEqual(a.padded, [true, true, true, true, false, false, true, false, false]);
    assert.deepEqual(a.patch, [0, 0, 0, 0, 1, 2, 0, 5, 6]);
    assert.equal(a.sum, 14);
    const s2 = M.arithmetic(input, 4, M.KERNELS.identity, 1, 1, { stride: 2, pad: 0 });
    assert.deepEqual([s2.rows, s2.cols, s2.sum], [[2, 3, 4], [2, 3, 4], 16], 'stride 2 moves the window by 2');
  });

  test('pooling: the window, its max and the first largest input winning, or the mean', () => {
    const map = [1, 5, 2, 0, 3, 5, 9, 9, 4, 4, 4, 4, 0, 0, 0, 0];
    const w = M.poolWindow(map, 4, 0, 0, { kind: 'max', size: 2, stride: 2 });
    assert.deepEqual(w.cells.map((e) => e.v), [1, 5, 3, 5]);
    assert.equal(w.value, 5);
    assert.deepEqual([w.winner.r, w.winner.c], [0, 1], 'the first of two equal maxima, as the engine picks it');
    const w2 = M.poolWindow(map, 4, 0, 1, { kind: 'max', size: 2, stride: 2 });
    assert.deepEqual([w2.value, w2.winner.r, w2.winner.c], [9, 1, 2]);
    const avg = M.poolWindow(map, 4, 1, 1, { kind: 'avg', size: 2, stride: 2 });
    assert.equal(avg.value, 2);
    assert.equal(avg.winner, null);
    const overlap = M.poolWindow(map, 4, 1, 1, { kind: 'max', size: 3, stride: 1 });
    assert.equal(overlap.value, 9);
  });

  test('no pixel chosen: the centre, or the largest response of a map', () => {
    assert.deepEqual(M.pickPixel([-1, -1], 3), [1, 1]);
    assert.deepEqual(M.pickPixel([-1, -1], 28), [13, 13]);
    assert.deepEqual(M.pickPixel([5, 99], 10), [5, 9]);
    assert.deepEqual(M.pickPixel([-1, -1], 3, [0, 1, 0, -7, 2, 7, 0, 0, 0]), [1, 0], 'the first largest |value|');
  });

  for (const [name, nn] of builds) {
    test(`${name}: the engine gives 42 and 56 on the slide, and every pixel of a digit as the arithmetic`, () => {
      const conv = new M.Convolver(nn);
      const r = conv.run(M.SLIDE.patch, 5, M.KERNELS.slide, { pad: 0, stride: 1, poolSize: 2, poolStride: 1 });
      assert.equal(r.side, 3);
      assert.equal(r.maps[0][4], 42);
      assert.equal(r.maps[1][4], 56);
      assert.equal(r.poolSide, 2);
      assert.deepEqual(Array.from(r.pooled[0]), [42, 46, 50, 55], 'max pool 2, stride 1 of the correlation');
      // a digit-like input with every kernel, padding and stride: the engine's map is the arithmetic's
      const input = Array.from({ length: 28 * 28 }, (_, i) => ((i * 37) % 256) * ((i % 28) > 6 ? 1 : 0));
      for (const kernel of ['laplacian', 'gauss', 'emboss']) {
        for (const [pad, stride] of [[0, 1], [1, 2], [3, 3]]) {
          const out = conv.run(input, 28, M.KERNELS[kernel], { pad, stride, pool: 'avg', poolSize: 3, poolStride: 2 });
          assert.equal(out.side, M.outputSide(28, 3, pad, stride));
          for (let i = 0; i < out.side * out.side; i += 7) {
            const at = [Math.floor(i / out.side), i % out.side];
            const want = M.arithmetic(input, 28, M.KERNELS[kernel], ...at, { pad, stride }).sum;
            assert.ok(Math.abs(out.maps[0][i] - want) <= 1e-5 * Math.max(1, Math.abs(want)), `${kernel} p${pad} s${stride} at ${at}`);
          }
          const w = M.poolWindow(out.maps[0], out.side, 1, 1, { kind: 'avg', size: 3, stride: 2 });
          assert.ok(Math.abs(out.pooled[0][out.poolSide + 1] - w.value) < 1e-3, 'the engine pools as the window says');
        }
      }
      // a pool larger than the map: no pool, no error
      const tiny = conv.run(M.SLIDE.patch, 5, M.KERNELS.identity, { pad: 0, stride: 3, poolSize: 4, poolStride: 4 });
      assert.equal(tiny.side, 1);
      assert.equal(tiny.poolSide, 0);
      assert.equal(tiny.pooled, null);
      assert.equal(tiny.maps[0][0], 40, 'stride 3 from the top left: the identity picks the window centre (1, 1)');
      conv.free();
    });
  }
});

describe('shared/shift.js: a digit moved by whole pixels', async () => {
  const { shiftDigit, clampShift, MAX_SHIFT } = await import('../web/js/shared/shift.js');
  const digit = Float32Array.from({ length: 784 }, (_, i) => ((i % 28) + Math.floor(i / 28)) / 54 + 0.001 * (i % 7));
  test('right and down are positive; pixels moved out are lost, zeros come in', () => {
    const s = shiftDigit(digit, 2, -3);
    for (let r = 0; r < 28; r++) {
      for (let c = 0; c < 28; c++) {
        const fr = r + 3, fc = c - 2;
        const want = fr < 28 && fc >= 0 ? digit[fr * 28 + fc] : 0;
        assert.equal(s[r * 28 + c], want, `(${r}, ${c})`);
      }
    }
    assert.notEqual(s, digit, 'a new array');
    assert.deepEqual(shiftDigit(digit, 0, 0), digit, 'no shift: the same pixels');
    assert.deepEqual(shiftDigit(shiftDigit(digit, 4, 1), -4, -1).subarray(28, 28 * 27).filter((_, i) => i % 28 < 24),
      digit.subarray(28, 28 * 27).filter((_, i) => i % 28 < 24), 'back and forth keeps what stayed inside');
    assert.ok(shiftDigit(digit, 28, 0).every((v) => v === 0), 'moved out entirely');
  });
  test('offsets are whole pixels within ±6', () => {
    assert.equal(MAX_SHIFT, 6);
    assert.deepEqual([9, -9, 2.6, -2.4, NaN, '3', -0].map(clampShift), [6, -6, 3, -2, 0, 3, 0]);
    assert.ok(!Object.is(clampShift(-0.2), -0));
  });
});

describe('shared/race.js: an MLP against a CNN, same batches, same order', async () => {
  const { loadMnist, nodeReader, PIXELS, SCALE } = await import('../web/js/mnist.js');
  const { Race, CONTENDERS, nextEvaluation, accuracyAt } = await import('../web/js/shared/race.js');
  const nn = builds[0][1];
  const { test: digits } = await loadMnist(await nodeReader(new URL('../web/data/mnist/', import.meta.url)), { sets: ['test'] });
  // train on the first 2,000 test digits, measure on the next 1,000 (the race's own split is the MNIST view's)
  const train = nn.data({ x8: digits.images.subarray(0, 2000 * PIXELS), scale: SCALE, labels: Int32Array.from(digits.labels.subarray(0, 2000)), dims: PIXELS });
  const held = { images: digits.images.subarray(2000 * PIXELS), labels: digits.labels.subarray(2000), n: digits.n - 2000 };

  test('the schedule of accuracy points', () => {
    assert.deepEqual([0, 1000, 9000, 10000, 15000].map(nextEvaluation), [1000, 2000, 10000, 15000, 20000]);
  });

  test('both nets see the same examples in the same order (the output bias of a zero net names each label)', () => {
    // with every weight 0 the outputs are uniform, so one SGD step on one
    // example raises the output bias of its label only: the labels in order
    const zero = { init: { name: 'constant', constant: 0 }, optimizer: { name: 'sgd', lr: 0.1 } };
    const race = new Race(nn, { train, test: held, batch: 1, samples: 20, evalDigits: 50, contenders: [
      { name: 'dense', options: { ...CONTENDERS[0].options, layers: [4], ...zero } },
      { name: 'conv', options: { shape: [1, 28, 28], layers: [{ conv: 2, kernel: 3 }, 'relu', { maxpool: 2 }], outputs: 10, output: 'softmax', ...zero } }] });
    const seen = race.runners.map((r) => {
      const labels = [];
      for (let k = 0; k < 12; k++) {
        const b = r.net.layers().at(-1).b.slice();
        race.trainSteps(r, 1);
        const d = r.net.layers().at(-1).b.map((v, i) => v - b[i]);
        labels.push(d.indexOf(Math.max(...d)));
      }
      return labels;
    });
    assert.deepEqual(seen[0], seen[1], 'the same labels in the same order');
    assert.notDeepEqual(seen[0], Array.from(digits.labels.subarray(0, 12)), 'shuffled, not the data order');
    race.free();
  });

  test('a race of 3,000 samples: lockstep, points at the same counts, each its own clock, both learn', () => {
    const race = new Race(nn, { train, test: held, samples: 3000 });
    const [mlp, cnn] = race.runners;
    assert.deepEqual([mlp.name, cnn.name], ['mlp', 'cnn']);
    assert.equal(mlp.params, 784 * 120 + 120 + 120 * 80 + 80 + 80 * 10 + 10, 'the MLP: 104,690 parameters');
    assert.equal(cnn.params, (8 * 25 + 8) + (16 * 8 * 25 + 16) + (16 * 4 * 4 * 10 + 10), 'the CNN: 5,994 parameters');
    let guard = 0;
    while (!race.done && guard++ < 10000) {
      race.work(5);
      // neither runs ahead: the one behind always goes next (a piece is at most the batches to the next point)
      assert.ok(Math.abs(mlp.samples - cnn.samples) <= 1000, `${mlp.samples} against ${cnn.samples}`);
    }
    assert.ok(race.done, 'the race ends');
    for (const r of race.runners) {
      assert.equal(r.samples, 3000);
      assert.deepEqual(r.history.map((h) => h.samples), [0, 1000, 2000, 3000], `${r.name}: points at the same counts`);
      assert.ok(r.history.every((h, i) => i === 0 || h.seconds > r.history[i - 1].seconds), `${r.name}: its clock runs`);
      assert.ok(r.history[0].acc < 0.3, `${r.name} starts near chance: ${r.history[0].acc}`);
      assert.ok(r.history.at(-1).acc > 0.5, `${r.name} learns: ${r.history.at(-1).acc}`);
      console.log(`${r.name}: ${r.history.map((h) => h.acc.toFixed(3)).join(' ')}, ${Math.round(race.rate(r))} samples/s`);
      assert.ok(race.rate(r) > 0);
      assert.equal(accuracyAt(r, r.seconds), r.history.at(-1).acc);
      assert.equal(accuracyAt(r, -1), null);
      assert.equal(accuracyAt(r, r.seconds + 1), null, 'nothing beyond its own training time');
      const [a, b] = r.history.slice(1, 3);
      assert.ok(Math.abs(accuracyAt(r, (a.seconds + b.seconds) / 2) - (a.acc + b.acc) / 2) < 1e-9, 'linear between its points');
    }
    assert.ok(race.rate(mlp) > race.rate(cnn), 'the MLP trains more samples per second');
    const p = race.predict(Float32Array.from(held.images.subarray(0, PIXELS), (v) => v * SCALE));
    assert.deepEqual(p.map((e) => e.probs.length), [10, 10]);
    const work = race.work(5);
    assert.ok(work <= 1, 'a finished race does nothing');
    race.free();
  });
});
