// autoencoder.mjs: `nnplay-train --autoencoder`, an MNIST autoencoder trained
// headless in Node (examples/mnist.mjs hands it the whole command line).
// The digits are their own targets (targets: 'inputs', no copy); per epoch it
// prints the reconstruction loss on the test digits and how well the code
// layer separates the classes: the k-NN accuracy of test codes against the
// codes of a sample of training digits, from the untrained net on. --save
// writes a net the page's autoencoder view loads.
// Run: make page && node examples/mnist.mjs --autoencoder --help
import { appendFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { load, NNPlay } from '../build/wasm/nnplay.mjs';
import { loadMnist, nodeReader, MAX_COUNT, PIXELS, SCALE } from '../web/js/mnist.js';
import { UsageError, usage, INT, REAL, int, real, oneOf, path, readFlags, checkWritable, trainEpoch } from './cli-flags.mjs';

const NAME = 'nnplay-train';
const DATA = fileURLToPath(new URL('../web/data/mnist/', import.meta.url));
const MAX_HIDDEN = 16;

// hidden dense sizes; the narrowest (the first of equals) is the code layer
const sizes = {
  range: `1 to ${MAX_HIDDEN} comma-separated dense sizes in [1, 65536]`,
  parse: (s) => {
    const list = s.split(',').map((t) => (INT.test(t) && +t >= 1 && +t <= 65536 ? +t : NaN));
    return list.length <= MAX_HIDDEN && list.every(Number.isFinite) ? list : undefined;
  },
};
// none, mask:<p> (p in [0, 1]) or gaussian:<sigma> (sigma >= 0)
const noise = {
  range: "'none', mask:<p> with p in [0, 1] or gaussian:<sigma> with sigma >= 0",
  parse: (s) => {
    if (s === 'none') return { kind: 'none', amount: 0 };
    const m = /^(mask|gaussian):(.+)$/.exec(s);
    const a = m && REAL.test(m[2]) ? +m[2] : NaN;
    return m && Number.isFinite(a) && a >= 0 && (m[1] === 'gaussian' || a <= 1) ? { kind: m[1], amount: a } : undefined;
  },
};
// --loss se is the course's squared error (half the sum over pixels), mse its mean
const LOSSES = { bce: 'bce', se: 'se_half', mse: 'mse' };

const { activations, optimizers } = NNPlay.names;
/** @type {Record<string, { help: string, value?: string, boolean?: boolean, short?: string, arg?: string, range?: string, parse?: (s: string) => any }>} */
const FLAGS = {
  autoencoder: { boolean: true, help: 'train an autoencoder (this mode)' },
  layers: { value: '128,32,2,32,128', ...sizes, help: 'hidden dense layers between 784 inputs and 784 sigmoid outputs; the narrowest is the code' },
  activation: { value: 'relu', ...oneOf(activations.filter((a) => a !== 'softmax')), help: 'hidden activation (the code layer is linear)' },
  loss: { value: 'bce', ...oneOf(Object.keys(LOSSES)), help: 'bce (binary cross-entropy on pixel values), se (1/2 sum of squares) or mse' },
  noise: { value: 'none', ...noise, help: 'corrupt the training inputs (denoising); the targets stay clean' },
  optimizer: { value: 'adam', ...oneOf(optimizers), help: 'optimiser' },
  lr: { value: '0.001', ...real('a number > 0', (v) => v > 0), help: 'learning rate' },
  batch: { value: '64', ...int(1, 65536), help: 'mini-batch size' },
  epochs: { value: '5', ...int(1, 1000), help: 'epochs over the training digits' },
  seed: { value: '1', ...int(0, 2 ** 32 - 1), help: 'seed of the initial weights, the batch order and the noise' },
  'train-limit': { arg: 'N', ...int(1, MAX_COUNT.train, 'an integer in [1, training digits]'), help: 'train on the first N training digits only' },
  'test-limit': { arg: 'N', ...int(1, MAX_COUNT.test, 'an integer in [1, test digits]'), help: 'score on the first N test digits only' },
  'knn-refs': { value: '10000', ...int(1, MAX_COUNT.train), help: 'training digits whose codes are the k-NN references (the first ones)' },
  k: { value: '5', ...int(1, 256), help: 'neighbours of the k-NN accuracy' },
  data: { ...path('DIR'), help: "folder written by 'make mnist' (default: the repository's web/data/mnist)" },
  json: { ...path('FILE'), help: 'append one JSON line per epoch (epoch 0: the untrained net)' },
  save: { ...path('FILE'), help: "save the net at the end (loads in the page's autoencoder view)" },
  scalar: { boolean: true, help: 'use the scalar wasm build instead of SIMD' },
  help: { boolean: true, short: 'h', help: 'this text' },
};

const HELP = `usage: node examples/mnist.mjs --autoencoder [options]    (or: npx nnplay-train --autoencoder [options])
${Object.entries(FLAGS).map(([name, f]) => `  ${`--${name}${f.boolean ? '' : ` ${f.value ?? f.arg}`}`.padEnd(26)}${f.help}`
  + `${f.boolean || f.range === 'a path' ? '' : `; ${f.range}`}`).join('\n')}
Each epoch prints the reconstruction loss on the test digits and the k-NN
accuracy of their codes against the codes of --knn-refs training digits.
Exit codes: 0 done; 1 training failed (e.g. the loss diverged); 2 a bad flag,
an unreadable --data, or an unwritable --save or --json, reported before any
training.`;

/** The checked settings of a command line. */
const settings = (argv) => readFlags(argv, FLAGS, { hint: 'see --autoencoder --help' });

/**
 * The autoencoder of the flags: 784 -> hidden sizes -> 784 sigmoid, the
 * narrowest hidden layer linear; `code` is the index (in net.layers()) whose
 * outputs are the codes.
 */
export function buildAutoencoder(nn, { layers, activation = 'relu', loss = 'bce', seed = 1, maxBatch = 256, optimizer }) {
  const codeAt = layers.indexOf(Math.min(...layers));
  const net = nn.createNet({
    inputs: PIXELS, outputs: PIXELS, output: 'sigmoid', loss: LOSSES[loss] ?? loss, maxBatch, seed,
    layers: layers.map((units, i) => ({ units, activation: i === codeAt ? 'linear' : activation })), optimizer,
  });
  // the code: the output of the narrowest dense layer, after its (linear) activation
  const dense = net.layers().map((l, i) => [l, i]).filter(([l]) => l.type === 'dense');
  let code = dense[codeAt][1];
  if (net.layers()[code + 1]?.type === 'activation') code += 1;
  return { net, code };
}

/** k-NN accuracy of the test codes against the reference codes. */
export function codeAccuracy(nn, net, code, refs, test, k) {
  const dims = net.layers()[code].outputs;
  return nn.knnAccuracy({ ref: net.encode(refs, code), refLabels: refs.labels, query: net.encode(test, code),
    queryLabels: test.labels, dims, k });
}

async function run(argv) {
  const o = settings(argv);
  if (o.help) {
    console.log(HELP);
    return;
  }
  for (const flag of ['save', 'json']) if (o[flag] !== undefined) await checkWritable(flag, o[flag]);
  let mnist;
  try {
    mnist = await loadMnist(await nodeReader(o.data ?? DATA));
  } catch (e) {
    usage(`--data ${o.data ?? 'web/data/mnist'}: ${e.message}`);
  }
  const limit = (set, n, flag) => {
    if (n === undefined) return set;
    if (n > set.n) usage(`--${flag} must be an integer in [1, ${set.n}] (the digits there are), got '${o.raw[flag]}'`);
    return { images: set.images.subarray(0, n * PIXELS), labels: set.labels.subarray(0, n), n };
  };
  const train = limit(mnist.train, o['train-limit'], 'train-limit'), test = limit(mnist.test, o['test-limit'], 'test-limit');
  const refs = limit(mnist.train, Math.min(o['knn-refs'], mnist.train.n), 'knn-refs');
  if (o.k > refs.n) usage(`--k must be an integer in [1, ${refs.n}] (the k-NN references), got '${o.raw.k}'`);
  const nn = await load({ simd: !o.scalar });
  let built;
  try {
    built = buildAutoencoder(nn, { layers: o.layers, activation: o.activation, loss: o.loss, seed: o.seed,
      maxBatch: Math.max(o.batch, 256), optimizer: { name: o.optimizer, lr: o.lr } });
  } catch (e) {
    usage(`cannot build the net (--layers, --batch): ${e.message}`);
  }
  const { net, code } = built;
  net.setInputNoise(o.noise);
  const wrap = (s) => nn.data({ x8: s.images, scale: SCALE, labels: Int32Array.from(s.labels), dims: PIXELS, targets: 'inputs' });
  const sets = { train: wrap(train), test: wrap(test), refs: wrap(refs) };
  const report = async (line) => { if (o.json) await appendFile(o.json, `${JSON.stringify(line)}\n`); };
  const widths = [PIXELS, ...o.layers, PIXELS].join('-');
  const noisy = o.noise.kind === 'none' ? '' : `, noise ${o.raw.noise}`;
  console.log(`nnplay ${nn.simd ? 'SIMD' : 'scalar'}: autoencoder ${widths} ${o.activation}, sigmoid + ${o.loss}${noisy}, `
    + `${o.optimizer} lr ${o.lr}, batch ${o.batch}, ${train.n} training digits; code: layer ${code} (${o.layers[o.layers.indexOf(Math.min(...o.layers))]} wide)`);
  const score = () => ({ testLoss: net.evaluate(sets.test).loss, knnAccuracy: codeAccuracy(nn, net, code, sets.refs, sets.test, o.k) });
  const first = score();
  console.log(`epoch 0  test loss ${first.testLoss.toFixed(4)}  code ${o.k}-NN accuracy ${(100 * first.knnAccuracy).toFixed(2)}%  (untrained)`);
  await report({ epoch: 0, ...first });
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    const { trainLoss, seconds } = trainEpoch(net, sets.train, o.batch, epoch);
    const line = { epoch, trainLoss, ...score(), samplesPerSecond: Math.round(train.n / seconds) };
    console.log(`epoch ${epoch}  train loss ${line.trainLoss.toFixed(4)}  test loss ${line.testLoss.toFixed(4)}  `
      + `code ${o.k}-NN accuracy ${(100 * line.knnAccuracy).toFixed(2)}%  ${line.samplesPerSecond} samples/s`);
    await report(line);
  }
  if (o.save) {
    await writeFile(o.save, net.save());
    console.log(`saved the net to ${o.save}`);
  }
}

/** Runs the autoencoder command line; returns the exit code (errors: one line on stderr). */
export async function main(argv) {
  try {
    await run(argv);
    return 0;
  } catch (e) {
    if (process.stdout.isTTY) process.stdout.write('\r\x1b[K');
    console.error(`${NAME}: ${e.message}`);
    return e instanceof UsageError ? 2 : 1;
  }
}
