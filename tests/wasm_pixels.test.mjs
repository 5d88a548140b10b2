// wasm_pixels.test.mjs: the pixels calls of the JS API in both builds:
// colorize picks the palette entries the engine's modes define, and
// activationPixels (one engine call) gives the same pixels as colorize over
// activations() and predict(); bad arguments throw a clear NNPlayError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builds } from './helpers.mjs';
import { NNPlayError } from '../build/wasm/nnplay.mjs';

// entry i is (i, 255 - i, 7, 255)
const ramp = (p) => Uint8Array.from({ length: 4 * p }, (_, i) => [Math.floor(i / 4), 255 - Math.floor(i / 4), 7, 255][i % 4]);
const reds = (px) => Array.from(px).filter((_, i) => i % 4 === 0);

for (const [name, nn] of builds) {
  test(`${name}: colorize`, () => {
    const pal = ramp(5);
    // a typed array is taken as it is: NaN (a diverged net's output) takes the middle
    assert.deepEqual(reds(nn.colorize(new Float32Array([-1, -0.5, 0, 0.5, 1, -7, 9, NaN]), { palette: pal })), [0, 1, 2, 3, 4, 0, 4, 2]);
    assert.deepEqual(reds(nn.colorize([0, 0.5, 1], { mode: 'probability', palette: pal })), [0, 2, 4]);
    assert.deepEqual(reds(nn.colorize([4, 0.5, -2, -0.5, 0, 0.25], { columns: 2, mode: 'scaled', palette: pal })), [4, 1, 2, 4, 0, 3]);
    assert.deepEqual(reds(nn.colorize([1, 0, 0, 0, 0.9, 0.1], { columns: 3, mode: 'class', palette: ramp(9) })), [2, 5]);
    assert.deepEqual(reds(nn.colorize([-0.5, 0.5], { discrete: true, palette: pal })), [0, 4]);
    const px = nn.colorize(new Float32Array(16), { palette: pal });
    assert.ok(px instanceof Uint8ClampedArray && px.length === 64, 'what an ImageData takes: a Uint8ClampedArray of 4 bytes a value');
  });

  test(`${name}: activationPixels is colorize of activations and predictions`, () => {
    const net = nn.createNet({ inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 4, activation: 'relu' }],
      outputs: 3, output: 'softmax', seed: 5, maxBatch: 16 });
    const x = Float32Array.from({ length: 2 * 40 }, (_, i) => Math.sin(i * 1.7) * 5);
    const pal = ramp(255);
    const layers = net.layers(), last = layers.length - 1;
    const modes = layers.map((l, i) => (i === last ? 'probability' : l.type === 'activation' ? 'scaled' : null));
    const px = net.activationPixels(x, { modes, palette: pal }).slice();
    assert.equal(px.length, 4 * 40 * (3 + 4 + 3));
    const acts = net.activations(x);
    const want = [];
    layers.forEach((l, i) => {
      if (l.type === 'activation') want.push(...nn.colorize(acts[i], { columns: l.outputs, mode: 'scaled', palette: pal }));
    });
    want.push(...nn.colorize(net.predict(x), { columns: 3, mode: 'probability', palette: pal }));
    assert.deepEqual(Array.from(px), want);
    const classes = net.activationPixels(x, { modes: modes.map((m, i) => (i === last ? 'class' : null)), palette: ramp(3 * 8) });
    assert.equal(classes.length, 4 * 40, 'one tile for a class layer');
    const throws = (fn, re) => assert.throws(fn, (e) => e instanceof NNPlayError && re.test(e.message), `expected ${re}`);
    throws(() => net.activationPixels(x, { modes: ['scaled'], palette: pal }), /one entry per layer/);
    throws(() => net.activationPixels(x, { modes: modes.map(() => 'bright'), palette: pal }), /unknown colour mode "bright"/);
    throws(() => net.activationPixels(x, { modes, palette: [1, 2, 3, 4] }), /palette must be/);
    throws(() => nn.colorize([1, 2, 3], { columns: 2, palette: pal }), /not rows of 2/);
    throws(() => nn.colorize([1, 2], { columns: 2, mode: 'class', palette: ramp(3) }), /size or count/);
    net.free();
  });
}

