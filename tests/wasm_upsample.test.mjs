// wasm_upsample.test.mjs: the conv decoder's layers through the JS API, in
// both builds. The specs ({upsample}, {reshape}, raw {type}) build the net
// the engine describes (shapes, the factor as stride) and bad ones are
// refused with clear messages; the gradient of a small conv autoencoder
// against central differences (float64 sums of float losses; tolerances
// below); a tiny conv autoencoder trains (its loss falls), the SIMD and
// scalar builds agree within 1e-6 relative and the native build
// (build/trace autoencoder) within 1e-5; a saved one loads and trains on
// exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { builds } from './helpers.mjs';

// the net of tests/trace.c's `autoencoder`: 1 x 8 x 8 -> code of 6 -> 1 x 8 x 8
const AE = {
  shape: [1, 8, 8], output: 'sigmoid', outputs: 0, maxBatch: 8, seed: 5, optimizer: { name: 'adam', lr: 0.01 },
  layers: [{ conv: 4, kernel: 3, pad: 1, activation: 'relu' }, { maxpool: 2 }, { type: 'dense', units: 6 },
    { units: 32, activation: 'relu' }, { reshape: [2, 4, 4] }, { upsample: 2 }, { conv: 1, kernel: 3, pad: 1 }],
};
// image k: a vertical bar at column k / 2 mod 8 for odd k, else a horizontal one at that row
const images = (n) => Float32Array.from({ length: n * 64 }, (_, i) => {
  const k = Math.floor(i / 64), y = Math.floor((i % 64) / 8), col = i % 8;
  return (k % 2 ? col : y) === Math.floor(k / 2) % 8 ? 1 : 0;
});

function run(nn, steps) {
  const x = images(24);
  const data = nn.data({ x, y: x, dims: 64, targetDims: 64 });
  const net = nn.createNet(AE);
  const losses = [];
  for (let i = 0; i < steps; i++) losses.push(net.train(data, { batchSize: 8, steps: 1 }).loss);
  net.free();
  data.free();
  return losses;
}

const relClose = (a, b, tol, what) => {
  assert.equal(a.length, b.length);
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= tol * Math.abs(b[i]),
    `${what}: step ${i}: ${v} vs ${b[i]} (relative tolerance ${tol})`));
};

for (const [name, nn] of builds) {
  test(`${name}: upsample and reshape specs build the net the engine describes`, () => {
    const net = nn.createNet(AE);
    const got = net.layers().map((l) => [l.type, ...l.shape, l.stride]);
    assert.deepEqual(got, [['conv', 4, 8, 8, 1], ['activation', 4, 8, 8, 0], ['maxpool', 4, 4, 4, 2],
      ['dense', 6, 1, 1, 0], ['dense', 32, 1, 1, 0], ['activation', 32, 1, 1, 0], ['reshape', 2, 4, 4, 0],
      ['upsample', 2, 8, 8, 2], ['conv', 1, 8, 8, 1]]);
    assert.equal(net.outputs, 64, 'outputs 0: the last conv gives one output per pixel');
    // the raw {type} form gives the same net, to the bit
    const raw = nn.createNet({ ...AE, layers: [...AE.layers.slice(0, 4), { type: 'reshape', shape: [2, 4, 4] },
      { type: 'upsample', factor: 2 }, AE.layers[6]] });
    assert.deepEqual(raw.params(), net.params());
    const copy = nn.loadNet(net.save());
    assert.deepEqual(copy.layers().map((l) => [l.type, ...l.shape, l.stride]), got, 'a loaded net keeps its layers');
    [net, raw, copy].forEach((n) => n.free());
  });

  test(`${name}: bad upsample and reshape specs are refused with clear errors`, () => {
    const with6 = (l) => ({ ...AE, layers: [...AE.layers.slice(0, 4), ...l] });
    assert.throws(() => nn.createNet(with6([{ upsample: 0 }])), /upsample factor must be/);
    assert.throws(() => nn.createNet(with6([{ type: 'upsample', factor: 1.5 }])), /upsample factor must be/);
    assert.throws(() => nn.createNet(with6([{ reshape: [2, 4] }])), /reshape: shape must be \[channels, height, width\], got/);
    assert.throws(() => nn.createNet(with6([{ reshape: [2, 0, 4] }])), /reshape height must be/);
    assert.throws(() => nn.createNet(with6([{ reshape: [2, 3, 5] }, { conv: 1, kernel: 3 }])),
      /a size or count .* \(layer 6, reshape on a 32 x 1 x 1 input\)/, 'the engine names the reshape and its input');
    assert.throws(() => nn.createNet(with6([{ reshape: [2, 4, 4] }, { upsample: 2 }])),
      /the last layer must be dense or a convolution/, 'outputs 0 after an upsample');
    const ok = nn.createNet(with6([{ reshape: [2, 4, 4] }, { upsample: 2 }, { conv: 1, kernel: 3, pad: 1 }]));
    assert.equal(ok.outputs, 64);
    ok.free();
  });

  test(`${name}: a conv autoencoder's gradient against central differences`, () => {
    // tanh for ReLU: central differences across a kink would measure nothing
    const tanh = JSON.parse(JSON.stringify(AE.layers).replaceAll('"relu"', '"tanh"'));
    const net = nn.createNet({ ...AE, layers: tanh, maxBatch: 3 });
    // grey levels without ties: a max pool over equal values has a kink too
    const x = Float32Array.from({ length: 3 * 64 }, (_, i) => ((i * 37) % 129) / 128);
    const batch = { x, y: x };
    net.lossGrad(batch);
    const g = Float64Array.from(net.grads());
    const count = net.params().length;
    // the view is taken again for each write: a call may grow the heap
    const set = (i, v) => { net.params()[i] = v; };
    // float losses, h = 2e-3: each entry within 3e-2 relative plus what the
    // rounding of the float loss (4 ulps) makes of a difference over 2h; the
    // aggregated relative error within 5e-3, as tests/test_conv.c
    const l0 = net.loss(batch, { train: true }), noise = (4 * Math.abs(l0) * 2 ** -23) / 4e-3;
    let worst = 0, diff2 = 0, norm2 = 0;
    for (let i = 0; i < count; i++) {
      const keep = net.params()[i];
      set(i, keep + 2e-3);
      const lp = net.loss(batch, { train: true });
      set(i, keep - 2e-3);
      const lm = net.loss(batch, { train: true });
      set(i, keep);
      const fd = (lp - lm) / (Math.fround(keep + 2e-3) - Math.fround(keep - 2e-3));
      worst = Math.max(worst, Math.abs(fd - g[i]) / (3e-2 * Math.abs(fd) + noise));
      diff2 += (fd - g[i]) ** 2;
      norm2 += g[i] ** 2;
    }
    console.log(`# ${name}: ${count} parameters, worst entry ${worst.toFixed(3)} of its tolerance (noise ${noise.toExponential(1)}),`
      + ` aggregated ${Math.sqrt(diff2 / norm2).toExponential(2)}, gradient norm ${Math.sqrt(norm2).toFixed(3)}`);
    assert.ok(norm2 > 0, 'the gradient is not all zero');
    assert.ok(worst <= 1, `worst entry: ${worst} of its tolerance`);
    assert.ok(Math.sqrt(diff2 / norm2) <= 5e-3, `aggregated relative error ${Math.sqrt(diff2 / norm2)}`);
    net.free();
  });

  test(`${name}: a saved conv autoencoder loads and trains on exactly`, () => {
    const x = images(24);
    const data = nn.data({ x, y: x, dims: 64, targetDims: 64 });
    const net = nn.createNet(AE);
    net.train(data, { batchSize: 8, steps: 4 }); // mid-epoch
    const copy = nn.loadNet(net.save());
    assert.deepEqual(copy.predict(x), net.predict(x));
    for (let i = 0; i < 3; i++) {
      assert.equal(copy.train(data, { batchSize: 8, steps: 2 }).loss, net.train(data, { batchSize: 8, steps: 2 }).loss);
    }
    assert.deepEqual(copy.params(), net.params());
    [net, copy, data].forEach((o) => o.free());
  });
}

test('a tiny conv autoencoder trains; SIMD and scalar agree (1e-6), native and wasm (1e-5)', () => {
  const [simd, scalar] = builds.map(([, nn]) => run(nn, 40));
  relClose(simd, scalar, 1e-6, 'simd vs scalar');
  assert.ok(simd[39] < 0.6 * simd[0], `the reconstruction loss falls: ${simd[0]} -> ${simd[39]}`);
  const exe = fileURLToPath(new URL('../build/trace', import.meta.url));
  const native = execFileSync(exe, ['autoencoder'], { encoding: 'utf8' }).trim().split('\n').map(Number);
  assert.equal(native.length, 40);
  relClose(scalar, native, 1e-5, 'wasm vs native');
});
