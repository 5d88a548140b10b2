// wasm_agree.test.mjs: the builds agree. SIMD and scalar wasm give the same
// losses (the kernels mirror their twins, so bit for bit; the stated
// tolerance is 1e-6 relative) and the native build (build/trace, from
// tests/trace.c) and the wasm build agree within 1e-5 relative for 100 steps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { builds } from './helpers.mjs';

// The run of tests/trace.c, through the JS API.
function trace(nn) {
  const data = nn.dataset('spiral', { n: 200, noise: 0.2, seed: 3 });
  const net = nn.createNet({
    inputs: 2, maxBatch: 10, seed: 11, outputs: 2, output: 'softmax',
    layers: [{ type: 'dense', units: 8 }, { type: 'batchnorm' }, { type: 'activation', activation: 'tanh' },
      { type: 'dropout', p: 0.1 }, { type: 'dense', units: 8 }, { type: 'activation', activation: 'tanh' }],
    optimizer: { name: 'adam', lr: 0.01 },
  });
  const losses = [];
  for (let i = 0; i < 100; i++) losses.push(net.train(data, { batchSize: 10, steps: 1 }).loss);
  net.free();
  data.free();
  return losses;
}

const relClose = (a, b, tol, what) => {
  assert.equal(a.length, b.length);
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= tol * Math.abs(b[i]),
    `${what}: step ${i}: ${v} vs ${b[i]} (relative tolerance ${tol})`));
};

test('SIMD and scalar wasm builds agree', () => {
  const [simd, scalar] = builds.map(([, nn]) => trace(nn));
  relClose(simd, scalar, 1e-6, 'simd vs scalar');
  assert.ok(simd[99] < simd[0], 'the loss falls');
});

test('native and wasm builds agree within 1e-5 relative over 100 steps', () => {
  const exe = fileURLToPath(new URL('../build/trace', import.meta.url));
  const native = execFileSync(exe, { encoding: 'utf8' }).trim().split('\n').map(Number);
  assert.equal(native.length, 100);
  relClose(trace(builds[0][1]), native, 1e-5, 'wasm vs native');
});

test('SIMD and scalar predictions agree on a grid', () => {
  const grid = new Float32Array(2 * 50 * 50);
  for (let i = 0; i < 2500; i++) grid.set([(i % 50) / 4 - 6, Math.floor(i / 50) / 4 - 6], 2 * i);
  const outs = builds.map(([, nn]) => {
    const net = nn.createNet({ inputs: 2, layers: [{ units: 9, activation: 'gelu' }, { units: 7, activation: 'swish' }],
      outputs: 3, output: 'softmax', seed: 5, maxBatch: 64 });
    const out = net.predict(grid);
    net.free();
    return out;
  });
  relClose(outs[0], outs[1], 1e-6, 'grid predictions');
});
