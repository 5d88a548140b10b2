// mnist_convae.test.mjs: a convolutional autoencoder learns MNIST digits,
// headless through the JS API (SIMD build), seeded. Encoder conv 8@3x3 ReLU,
// max pool 2, conv 16@3x3 ReLU, max pool 2, dense 32 (the code); decoder
// dense 784 ReLU, reshape 16 x 7 x 7, upsample 2, conv 8@3x3 ReLU, upsample
// 2, conv 1@3x3, sigmoid + BCE against the input. Trained on the first 2,000
// training digits for 3 epochs (Adam 0.002, batch 32); the reconstruction
// BCE (per image, summed over 784 pixels) of 500 test digits must fall below
// half its value at initialisation and below 0.8 times the best constant
// image's (the per-pixel mean of the training digits). Measured: 542.6 at
// initialisation, 186.4, 147.6, 114.2 after each epoch; the mean image 200.3.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from '../build/wasm/nnplay.mjs';
import { loadMnist, nodeReader, SCALE, PIXELS } from '../web/js/mnist.js';

const nn = await load({ simd: true });
const mnist = await loadMnist(await nodeReader(new URL('../web/data/mnist/', import.meta.url)));
const floats = (set, n) => Float32Array.from(set.images.subarray(0, n * PIXELS), (p) => p * SCALE);

// the mean BCE per image of reconstructing every image of x (n x 784) as `image`
function constantBce(x, image) {
  const n = x.length / PIXELS;
  const eps = 1e-7;
  let sum = 0;
  for (let i = 0; i < x.length; i++) {
    const o = Math.min(Math.max(image[i % PIXELS], eps), 1 - eps), t = x[i];
    sum -= t * Math.log(o) + (1 - t) * Math.log(1 - o);
  }
  return sum / n;
}

test('conv autoencoder on 2,000 MNIST digits, 3 epochs: test reconstruction BCE halves and beats the mean image by 20%', () => {
  const xTrain = floats(mnist.train, 2000), xTest = floats(mnist.test, 500);
  const train = nn.data({ x: xTrain, y: xTrain, dims: PIXELS, targetDims: PIXELS });
  const testSet = nn.data({ x: xTest, y: xTest, dims: PIXELS, targetDims: PIXELS });
  const net = nn.createNet({
    shape: [1, 28, 28], output: 'sigmoid', outputs: 0, maxBatch: 32, seed: 1, optimizer: { name: 'adam', lr: 0.002 },
    layers: [{ conv: 8, kernel: 3, pad: 1, activation: 'relu' }, { maxpool: 2 },
      { conv: 16, kernel: 3, pad: 1, activation: 'relu' }, { maxpool: 2 }, { type: 'dense', units: 32 },
      { units: 784, activation: 'relu' }, { reshape: [16, 7, 7] }, { upsample: 2 },
      { conv: 8, kernel: 3, pad: 1, activation: 'relu' }, { upsample: 2 }, { conv: 1, kernel: 3, pad: 1 }],
  });
  assert.deepEqual(net.layers().map((l) => l.shape.join('x')).slice(-6),
    ['16x7x7', '16x14x14', '8x14x14', '8x14x14', '8x28x28', '1x28x28']);
  const mean = new Float64Array(PIXELS);
  for (let i = 0; i < xTrain.length; i++) mean[i % PIXELS] += xTrain[i] / 2000;
  const baseline = constantBce(xTest, mean);
  const before = net.evaluate(testSet).loss;
  const t0 = performance.now();
  const losses = [];
  for (let e = 0; e < 3; e++) {
    net.trainEpoch(train, { batchSize: 32 });
    losses.push(net.evaluate(testSet).loss);
  }
  const secs = (performance.now() - t0) / 1000;
  console.log(`# conv autoencoder: test BCE ${before.toFixed(1)} -> ${losses.map((l) => l.toFixed(1)).join(' -> ')}`
    + ` (mean image ${baseline.toFixed(1)}), ${Math.round(6000 / secs)} samples/s`);
  assert.ok(losses[2] < 0.5 * before, `BCE ${before} -> ${losses[2]}`);
  assert.ok(losses[2] < losses[0], `still falling after the first epoch: ${losses}`);
  assert.ok(losses[2] < 0.8 * baseline, `beats the mean image: ${losses[2]} vs ${baseline}`);
  [net, train, testSet].forEach((o) => o.free());
});
