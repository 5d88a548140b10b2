// spiral.mjs: train a 3-arm spiral classifier headless in Node through the JS
// API, printing loss and accuracy per epoch. Run: make wasm && node examples/spiral.mjs
import { load } from '../build/wasm/nnplay.mjs';

const nn = await load();
const all = nn.dataset('spirals', { n: 600, classes: 3, noise: 0.1, seed: 42 }).shuffle(42);
const train = all.slice(0, 480);
const test = all.slice(480);

const net = nn.createNet({
  inputs: 2,
  layers: [16, 16],
  activation: 'tanh',
  outputs: 3,
  output: 'softmax',
  optimizer: { name: 'adam', lr: 0.01 },
  seed: 7,
  maxBatch: 32,
});

console.log(`nnplay ${nn.simd ? 'SIMD' : 'scalar'} build, ${net.params().length} parameters`);
for (let epoch = 1; epoch <= 200; epoch++) {
  const { loss } = net.trainEpoch(train, { batchSize: 16 });
  if (epoch % 20 === 0) {
    const tr = net.evaluate(train);
    const te = net.evaluate(test);
    console.log(`epoch ${String(epoch).padStart(3)}  loss ${loss.toFixed(4)}  `
      + `train acc ${(100 * tr.accuracy).toFixed(1)}%  test loss ${te.loss.toFixed(4)} acc ${(100 * te.accuracy).toFixed(1)}%`);
  }
}
net.free();
