#!/usr/bin/env node
// mnist.mjs (nnplay-train): trains the course's MNIST MLP headless in Node.
// Every setting of the page is a flag; a progress bar per epoch on a TTY,
// loss and accuracy printed per epoch, an optional JSON-lines log, and the
// trained net saved to a file that the page's MNIST view loads.
// Run: make mnist wasm && node examples/mnist.mjs --help
import { parseArgs } from 'node:util';
import { writeFile, appendFile } from 'node:fs/promises';
import { load } from '../build/wasm/nnplay.mjs';
import { loadMnist, nodeReader, splitDev, SCALE } from '../web/js/mnist.js';

const HELP = `usage: node examples/mnist.mjs [options]
  --layers 120,80       hidden layer sizes
  --activation sigmoid  hidden activation (sigmoid, tanh, relu, leaky_relu, elu, gelu, swish, selu, ...)
  --optimizer sgd       sgd, momentum, nesterov, adagrad, rmsprop, adam
  --lr 0.5              learning rate
  --momentum 0.9        momentum / rho / rho1
  --batch 64            mini-batch size
  --epochs 2            epochs over the training digits
  --l1 0 --l2 0         penalties on the weights
  --dropout 0           dropout rate after each hidden layer
  --batch-norm          batch normalisation before each activation
  --init xavier_uniform initialisation scheme
  --seed 1              seed of the initial weights and the batch order
  --dev 0               digits kept out of training as a dev set (the last ones)
  --data web/data/mnist folder written by 'make mnist'
  --json FILE           append one JSON line per epoch
  --save FILE           save the trained net (loads in the page's MNIST view)
  --scalar              use the scalar wasm build instead of SIMD`;

const { values: o } = parseArgs({
  options: {
    layers: { type: 'string', default: '120,80' }, activation: { type: 'string', default: 'sigmoid' },
    optimizer: { type: 'string', default: 'sgd' }, lr: { type: 'string', default: '0.5' },
    momentum: { type: 'string', default: '0.9' }, batch: { type: 'string', default: '64' },
    epochs: { type: 'string', default: '2' }, l1: { type: 'string', default: '0' }, l2: { type: 'string', default: '0' },
    dropout: { type: 'string', default: '0' }, 'batch-norm': { type: 'boolean', default: false },
    init: { type: 'string', default: 'xavier_uniform' }, seed: { type: 'string', default: '1' },
    dev: { type: 'string', default: '0' }, data: { type: 'string', default: 'web/data/mnist' },
    json: { type: 'string' }, save: { type: 'string' }, scalar: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (o.help) { console.log(HELP); process.exit(0); }

const num = (name) => {
  const v = Number(o[name]);
  if (!Number.isFinite(v)) { console.error(`nnplay-train: --${name} must be a number, got '${o[name]}'`); process.exit(2); }
  return v;
};

async function main() {
  const nn = await load({ simd: !o.scalar });
  const mnist = await loadMnist(await nodeReader(o.data.startsWith('/') ? o.data : `${process.cwd()}/${o.data}`));
  const { train, dev } = splitDev(mnist.train, num('dev'));
  const wrap = (s) => nn.data({ x8: s.images, scale: SCALE, labels: Int32Array.from(s.labels), dims: 784 });
  const sets = { train: wrap(train), dev: dev.n ? wrap(dev) : null, test: wrap(mnist.test) };
  const batch = num('batch');
  const net = nn.createNet({
    inputs: 784, outputs: 10, output: 'softmax', maxBatch: Math.max(batch, 64),
    layers: o.layers.split(',').filter(Boolean).map(Number).map((units) => ({ units })),
    activation: o.activation, dropout: num('dropout'), batchNorm: o['batch-norm'], init: o.init,
    optimizer: { name: o.optimizer, lr: num('lr'), momentum: num('momentum') }, l1: num('l1'), l2: num('l2'), seed: num('seed'),
  });
  console.log(`nnplay ${nn.simd ? 'SIMD' : 'scalar'}: 784-${o.layers.replace(/,/g, '-')}-10 ${o.activation}, ${o.optimizer} lr ${o.lr}, `
    + `batch ${batch}, ${train.n} training digits`);
  const perEpoch = Math.ceil(train.n / batch);
  const tty = process.stdout.isTTY;
  for (let epoch = 1; epoch <= num('epochs'); epoch++) {
    const t0 = performance.now();
    let done = 0, lossSum = 0;
    while (done < perEpoch) {
      const steps = Math.min(50, perEpoch - done);
      const r = net.train(sets.train, { batchSize: batch, steps });
      done += r.steps;
      lossSum += r.loss * r.steps;
      if (tty) {
        const w = 30, k = Math.round((w * done) / perEpoch);
        process.stdout.write(`\repoch ${epoch} [${'#'.repeat(k)}${'.'.repeat(w - k)}] ${done}/${perEpoch}`);
      }
    }
    const secs = (performance.now() - t0) / 1000;
    const te = net.evaluate(sets.test), dv = sets.dev ? net.evaluate(sets.dev) : null;
    const line = { epoch, trainLoss: lossSum / done, testLoss: te.loss, testAccuracy: te.accuracy,
      devLoss: dv?.loss, devAccuracy: dv?.accuracy, samplesPerSecond: Math.round(train.n / secs) };
    if (tty) process.stdout.write('\r\x1b[K');
    console.log(`epoch ${epoch}  train loss ${line.trainLoss.toFixed(4)}  test loss ${te.loss.toFixed(4)}  `
      + `test accuracy ${(100 * te.accuracy).toFixed(2)}%${dv ? `  dev accuracy ${(100 * dv.accuracy).toFixed(2)}%` : ''}  `
      + `${line.samplesPerSecond} samples/s`);
    if (o.json) await appendFile(o.json, `${JSON.stringify(line)}\n`);
  }
  if (o.save) {
    await writeFile(o.save, net.save());
    console.log(`saved the net to ${o.save}`);
  }
}

main().catch((e) => {
  console.error(`nnplay-train: ${e.message}`);
  process.exit(1);
});
