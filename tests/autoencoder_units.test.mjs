// autoencoder_units.test.mjs: the autoencoder view's pure helpers
// (web/js/autoencoder/arch.js, codes.js), its URL settings (state.js, prefix
// a) and its strings in both languages, without a browser or the engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAeArch, canonicalAeArch, codeLayerIndex, denseWidths, presetOf, AE_PRESETS, AE_LIMITS }
  from '../web/js/autoencoder/arch.js';
import { planeBounds, toPlane, toCanvas, gridPoints, lerpCodes, planeToCodes, nearestPoint, onePerClass }
  from '../web/js/autoencoder/codes.js';
import * as S from '../web/js/state.js';
import { t, keys } from '../web/js/i18n.js';

test('architectures: parsed, checked, the code is the narrowest hidden layer', () => {
  const a = parseAeArch('784-128-32-2-32-128-784');
  assert.deepEqual(a.hidden, [128, 32, 2, 32, 128]);
  assert.equal(a.code, 2);
  assert.equal(a.width, 2);
  // weights counted by hand: (784+1)*128 + (128+1)*32 + (32+1)*2 + (2+1)*32 + (32+1)*128 + (128+1)*784
  assert.equal(a.weights, 785 * 128 + 129 * 32 + 33 * 2 + 3 * 32 + 33 * 128 + 129 * 784);
  assert.equal(parseAeArch('784 - 64 - 784').code, 0, 'spaces allowed');
  assert.equal(parseAeArch('784-16-8-8-16-784').code, 1, 'the first of the narrowest');
  for (const [text, key] of [['', 'aeErrSyntax'], ['784', 'aeErrSyntax'], ['784-2', 'aeErrSyntax'], ['784-a-784', 'aeErrSyntax'],
    ['783-2-784', 'aeErrEnds'], ['784-2-10', 'aeErrEnds'], ['784-0-784', 'aeErrUnits'], ['784-513-784', 'aeErrUnits'],
    [`784-${Array(8).fill(8).join('-')}-784`, 'aeErrDepth'], [`784-${Array(15).fill(8).join('-')}-784`, 'aeErrSyntax'],
    ['784-512-512-512-2-512-512-512-784', 'aeErrWeights'],
    ['784-512-512-512-512-2-512-784', 'aeErrWeights'], ['784-2-784; drop', 'aeErrSyntax'], [null, 'aeErrSyntax']]) {
    assert.equal(parseAeArch(text).error?.key, key, String(text));
  }
  assert.ok(AE_LIMITS.hidden >= 5, 'the presets fit the limits');
  for (const p of Object.values(AE_PRESETS)) assert.equal(canonicalAeArch(p), p);
  assert.equal(canonicalAeArch(' 784 -2- 784 '), '784-2-784');
  assert.equal(canonicalAeArch('784-2-783'), undefined);
  assert.equal(presetOf(AE_PRESETS.convnetjs), 'convnetjs');
  assert.equal(presetOf('784-3-784'), 'custom');
});

test('the code layer: the engine index of the code-th dense layer, or of the activation after it', () => {
  const d = (n) => ({ type: 'dense', shape: [n, 1, 1] }), act = (n) => ({ type: 'activation', shape: [n, 1, 1] });
  // dense layers with their activation inside
  assert.equal(codeLayerIndex([d(128), d(2), d(128), d(784)], 1), 1);
  // activations as layers of their own: the code is the activation's output
  assert.equal(codeLayerIndex([d(128), act(128), d(2), act(2), d(128), act(128), d(784)], 1), 3);
  assert.equal(codeLayerIndex([d(128), act(128), d(2), d(128), act(128), d(784)], 1), 2);
  assert.equal(codeLayerIndex([d(784)], 3), -1);
  assert.deepEqual(denseWidths([d(128), act(128), d(2), d(128), d(784)]), [128, 2, 128]);
});

test('the plane: bounds, pixels and back, the grid, the nearest point', () => {
  const pts = new Float32Array(2000);
  for (let i = 0; i < 1000; i++) { pts[2 * i] = i / 999; pts[2 * i + 1] = -2 * (i / 999); }
  pts[0] = 1e6; // one outlier is left out
  const b = planeBounds(pts, 1000);
  assert.ok(b.x1 < 2 && b.x0 < 0 && b.x0 > -0.1, JSON.stringify(b));
  assert.ok(b.y0 < -2 && b.y0 > -2.2 && b.y1 > 0, JSON.stringify(b));
  assert.deepEqual(planeBounds(new Float32Array([NaN, 1]), 1), { x0: -1, x1: 1, y0: -1, y1: 1 });
  const one = planeBounds(new Float32Array([3, 3, 3, 3]), 2);
  assert.ok(one.x0 < 3 && one.x1 > 3, 'a single point gets a box around it');
  for (const [px, py] of [[0, 0], [123, 45], [300, 200]]) {
    const [x, y] = toPlane(b, 300, 200, px, py), [qx, qy] = toCanvas(b, 300, 200, x, y);
    assert.ok(Math.abs(qx - px) < 1e-9 && Math.abs(qy - py) < 1e-9);
  }
  assert.deepEqual(toPlane(b, 300, 200, 0, 0), [b.x0, b.y1], 'the top left is (x0, y1): y goes up');
  const g = gridPoints({ x0: 0, x1: 4, y0: 0, y1: 2 }, 2);
  assert.deepEqual(Array.from(g), [1, 1.5, 3, 1.5, 1, 0.5, 3, 0.5]);
  assert.equal(nearestPoint(new Float32Array([0, 0, 10, 10, 11, 10]), 3, 10.8, 10, 2), 2);
  assert.equal(nearestPoint(new Float32Array([0, 0]), 1, 5, 5, 2), -1);
});

test('interpolation: both ends exactly the two codes, evenly spaced between', () => {
  const a = Float32Array.of(0.1, -3, 7.3), b = Float32Array.of(2.2, 5, -1.7), c = lerpCodes(a, b, 10);
  assert.equal(c.length, 30);
  assert.deepEqual(Array.from(c.subarray(0, 3)), Array.from(a));
  assert.deepEqual(Array.from(c.subarray(27)), Array.from(b));
  for (let j = 0; j < 3; j++) assert.ok(Math.abs(c[3 * 5 + j] - (a[j] + (5 / 9) * (b[j] - a[j]))) < 1e-6);
});

test('a point of the PCA plane back to a code: mean + x c1 + y c2', () => {
  const pca = { mean: Float32Array.of(1, 2, 3), components: Float32Array.of(1, 0, 0, 0, 0.6, 0.8) };
  assert.deepEqual(Array.from(planeToCodes(Float32Array.of(2, 5), 1, 3, pca)), [3, 5, 7]);
  assert.deepEqual(Array.from(planeToCodes(Float32Array.of(2, 5, 9, 9), 1, 2, null)), [2, 5], 'a 2-D code is the point');
});

test('one test digit per class, first occurrences', () => {
  // by hand: 0 at 3, 1 at 2, 2 at 1, 3 at 18, 4 at 4, 5 at 8, 6 at 11, 7 at 0, no 8, 9 at 7
  assert.deepEqual(onePerClass([7, 2, 1, 0, 4, 1, 4, 9, 5, 9, 0, 6, 9, 0, 1, 5, 9, 7, 3, 4]), [3, 2, 1, 18, 4, 8, 11, 0, 7]);
  assert.deepEqual(onePerClass([3, 3, 1]), [2, 0], 'class 1 first, then class 3');
});

test('URL settings: prefix a, bad values ignored or clamped, the autoencoder\'s training defaults', () => {
  const s = S.parse('#view=autoencoder&aArch=784-64-3-64-784&aNoise=mask&aNoiseAmt=7&aDigitA=123&aDigitB=99999&aAct=nope&aLoss=mse');
  assert.equal(s.page.view, 'autoencoder');
  assert.equal(S.tabOf('autoencoder'), 'mnist');
  assert.equal(s.autoencoder.arch, '784-64-3-64-784');
  assert.equal(s.autoencoder.noise, 'mask');
  assert.equal(s.autoencoder.noiseAmt, 1, 'clamped');
  assert.equal(s.autoencoder.digitA, 123);
  assert.equal(s.autoencoder.digitB, 9999, 'clamped');
  assert.equal(s.autoencoder.act, 'relu', 'an unknown activation is ignored');
  assert.equal(s.autoencoder.loss, 'mse');
  assert.equal(S.parse('#aArch=784-2-10').autoencoder.arch, AE_PRESETS.default, 'a bad architecture falls back');
  assert.deepEqual(S.rejected('#aArch=784-2-10'), [['aArch', '784-2-10']]);
  assert.equal(s.mnist.optimizer, 'adam');
  assert.equal(s.mnist.batch, 64);
  const back = S.parse(`#${S.serialize(s)}`);
  assert.deepEqual(back.autoencoder, s.autoencoder, 'round trip');
  assert.ok(!S.serialize(S.parse('#view=autoencoder')).includes('mLr'), 'the defaults stay out of the link');
  assert.equal(S.parse('#view=mnist').mnist.optimizer, 'sgd', 'the MLP keeps its own defaults');
});

test('every autoencoder string in French, placeholders kept', () => {
  const en = keys('en').filter((k) => /^(ae|a[A-Z]|tip_a[A-Z])/.test(k));
  assert.ok(en.length > 50);
  const fr = new Set(keys('fr'));
  for (const k of en) {
    assert.ok(fr.has(k), `French for ${k}`);
    const holes = (lang) => (t(lang, k).match(/\{\w+\}/g) ?? []).sort().join();
    assert.equal(holes('fr'), holes('en'), k);
  }
  assert.match(t('fr', 'aeThumb', { i: 3, k: 5 }), /chiffre de test 3\u202f: un 5/);
});

test('describeAe on nets built by the engine: a dense autoencoder, a convolutional one, and nets that are not', async () => {
  const { load } = await import('../build/wasm/nnplay.mjs');
  const { describeAe, aeNetOptions } = await import('../web/js/autoencoder/model.js');
  const nn = await load();
  const shared = { init: 'xavier_uniform', seed: 1, optimizer: 'adam', lr: 0.001, momentum: 0.9, l2: 0 };
  const dense = nn.createNet(aeNetOptions(parseAeArch('784-64-3-64-784'), 'relu', 'bce', shared));
  const d = describeAe(dense);
  assert.deepEqual({ width: d.width, arch: d.arch, spatial: d.spatial }, { width: 3, arch: '784-64-3-64-784', spatial: false });
  assert.equal(dense.layers()[d.k].outputs, 3);
  const conv = nn.createNet({ shape: [1, 28, 28], output: 'sigmoid', outputs: 0, maxBatch: 8, seed: 1,
    layers: [{ conv: 4, kernel: 3, pad: 1, activation: 'relu' }, { maxpool: 2 }, { maxpool: 2 }, { units: 2, activation: 'linear' },
      { units: 196, activation: 'relu' }, { reshape: [4, 7, 7] }, { upsample: 4 }, { conv: 1, kernel: 3, pad: 1 }] });
  const c = describeAe(conv);
  assert.equal(c.width, 2);
  assert.equal(c.spatial, true);
  assert.equal(conv.layers()[c.k].outputs, 2);
  assert.match(c.arch, /^conv-.*-2-.*-upsample-conv$/);
  // decode(encode(x)) at the code layer is predict(x), bit for bit
  const x = Float32Array.from({ length: 2 * 784 }, (_, i) => ((i * 37) % 255) / 255);
  const out = conv.decode(conv.encode(x, c.k), c.k), p = conv.predict(x);
  assert.ok(out.every((v, i) => v === p[i]));
  const classifier = nn.createNet({ inputs: 784, outputs: 10, output: 'softmax', layers: [{ units: 8 }], seed: 1 });
  assert.equal(describeAe(classifier), null, 'a classifier is no autoencoder');
  const wide = nn.createNet({ inputs: 784, outputs: 784, output: 'sigmoid', loss: 'bce', layers: [{ units: 800 }], seed: 1 });
  assert.equal(describeAe(wide), null, 'no narrower layer');
  for (const net of [dense, conv, classifier, wide]) net.free();
});
