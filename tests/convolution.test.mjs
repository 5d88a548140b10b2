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
