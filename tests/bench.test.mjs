// bench.test.mjs: the benchmark's work counts, from which BENCHMARKS.md
// gives GFLOP/s, against counts done by hand.
import assert from 'node:assert/strict';
import test from 'node:test';
import { CASES, gemmInput, mlpFlops, selectCases } from '../bench/cases.mjs';
import { gflops } from '../bench/report.mjs';

test('flops of the MLP cases, counted by hand', () => {
  // 784·120 + 120·80 + 80·10 = 104,480 multiply-adds forward
  assert.equal(mlpFlops([784, 120, 80, 10], false), 2 * 104480);
  // training: forward, dW of every layer, dx of all but the first (120·80 + 80·10)
  assert.equal(mlpFlops([784, 120, 80, 10], true), 2 * 104480 * 2 + 2 * 10400);
  assert.equal(mlpFlops([2, 8, 8, 2], false), 2 * (16 + 64 + 16));
  const cnn = CASES.find((c) => c.id === 'cnn-train');
  // conv1 8·25 by 784 positions (forward, dW), conv2 16·200 by 196 (forward, dW, dx), dense 256·10 (three)
  assert.equal(cnn.flops, 2 * (2 * 8 * 25 * 784 + 3 * 16 * 200 * 196 + 3 * 2560));
});

test('GFLOP/s from samples/s and from ms per call', () => {
  const train = CASES.find((c) => c.id === 'mnist-train');
  assert.equal(gflops(train, 1e4), (438720 * 1e4) / 1e9);
  const grid = CASES.find((c) => c.id === 'grid-100');
  // 10,000 points of 192 flops in 2 ms: 0.96 GFLOP/s
  assert.ok(Math.abs(gflops(grid, 2) - 0.96) < 1e-12);
  assert.equal(gflops(CASES.find((c) => c.id === 'gemm-512'), 20), undefined);
});

test('the GEMM cases are selectable and their input is fixed', () => {
  assert.deepEqual(selectCases('gemm-512,gemm-1024').map((c) => c.unit), ['GFLOP/s', 'GFLOP/s']);
  const a = gemmInput(8), b = gemmInput(8);
  assert.deepEqual(a, b);
  assert.ok(a.every((v) => v >= -1 && v < 1) && new Set(a).size > 60);
});
