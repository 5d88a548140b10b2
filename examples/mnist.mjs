#!/usr/bin/env node
// mnist.mjs (nnplay-train): trains the course's MNIST MLP headless in Node.
// Every setting of the page is a flag, checked once against the range --help
// states; a progress bar per epoch on a TTY, loss and accuracy per epoch, an
// optional JSON-lines log, and the net saved to a file that the page's MNIST
// view loads and that --load trains on or evaluates.
// Run: make mnist wasm && node examples/mnist.mjs --help
import { appendFile, readFile, stat, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { load, NNPlay } from '../build/wasm/nnplay.mjs';
import { exportOnnx } from './onnx-export.mjs';
import { loadMnist, nodeReader, splitDev, MAX_COUNT, PIXELS, SCALE } from '../web/js/mnist.js';
import { plainSets, sweepMain, SWEEP_RANGE } from './sweep.mjs';
import { EXPORT_FLAGS, exportsGiven, writeExports } from './cli-exports.mjs';
import { UsageError, usage, int, real, oneOf, path, readFlags, checkWritable, trainEpoch } from './cli-flags.mjs';

const NAME = 'nnplay-train';
const DATA = fileURLToPath(new URL('../web/data/mnist/', import.meta.url));
const MAX_HIDDEN = 16;
const MAX_NET_BYTES = 1 << 30;

// A layer list: dense sizes (120), convolutions conv<channels>k<kernel>[s<stride>][p<pad>]
// (conv8k5p2) and pools maxpool<k>[s<stride>] / avgpool<k>[s<stride>] (stride: the window).
const LAYER_TOKEN = /^(?:(\d+)|conv(\d+)k(\d+)(?:s(\d+))?(?:p(\d+))?|(max|avg)pool(\d+)(?:s(\d+))?)$/;
function layerToken(t) {
  const m = LAYER_TOKEN.exec(t);
  if (!m) return undefined;
  const within = (v, lo, hi) => (v >= lo && v <= hi ? v : NaN);
  if (m[1]) return within(+m[1], 1, 65536);
  if (m[2]) {
    return { conv: within(+m[2], 1, 1024), kernel: within(+m[3], 1, 28), stride: within(+(m[4] ?? 1), 1, 28),
      pad: within(+(m[5] ?? 0), 0, 14) };
  }
  return { [`${m[6]}pool`]: within(+m[7], 1, 28), stride: within(+(m[8] ?? m[7]), 1, 28) };
}
const units = {
  range: `'none', or 1 to ${MAX_HIDDEN} comma-separated layers: dense sizes in [1, 65536], conv<C>k<K>[s<S>][p<P>]`
    + ' (C in [1, 1024], K and S in [1, 28], P in [0, 14]), maxpool<K>[s<S>] or avgpool<K>[s<S>]',
  parse: (s) => {
    if (s === 'none') return [];
    const list = s.split(',').map(layerToken);
    const ok = (l) => (typeof l === 'number' ? Number.isFinite(l) : l !== undefined && Object.values(l).every(Number.isFinite));
    return list.length <= MAX_HIDDEN && list.every(ok) ? list : undefined;
  },
};
// ConvNetJS's MNIST network, the CNN of the course's lab
const CNN = { layers: 'conv8k5p2,maxpool2,conv16k5p2,maxpool3', activation: 'relu', optimizer: 'adam', lr: '0.002',
  batch: '20', epochs: '1' };

const { activations, optimizers, inits } = NNPlay.names;
// Every flag: its default (none: not set), its check and what it is for.
// `arch` flags describe the net, so --load (whose file holds them) refuses them.
/**
 * @typedef {{ help: string, value?: string, boolean?: boolean, short?: string, arch?: boolean,
 *   arg?: string, range?: string, parse?: (s: any) => any, multiple?: boolean }} Flag
 * @type {Record<string, Flag>}
 */
const FLAGS = {
  arch: { value: 'mlp', ...oneOf(['mlp', 'cnn']), arch: true,
    help: `preset: the course's MLP, or cnn (--layers ${CNN.layers}, relu, adam lr 0.002, batch 20, 1 epoch)` },
  layers: { value: '120,80', ...units, arch: true, help: 'hidden layers; a convolution or pool makes the input a 1 x 28 x 28 image' },
  activation: { value: 'sigmoid', ...oneOf(activations.filter((a) => a !== 'softmax')), arch: true, help: 'hidden activation' },
  optimizer: { value: 'sgd', ...oneOf(optimizers), help: 'optimiser' },
  lr: { value: '0.5', ...real('a number > 0', (v) => v > 0), help: 'learning rate' },
  momentum: { value: '0.9', ...real('a number in [0, 1)', (v) => v >= 0 && v < 1), help: 'momentum / rho / beta1' },
  batch: { value: '64', ...int(1, 65536), help: 'mini-batch size' },
  epochs: { value: '2', ...int(0, 1000, 'an integer in [1, 1000], or 0 with --load (evaluate only)'), help: 'epochs over the training digits' },
  l1: { value: '0', ...real('a number >= 0', (v) => v >= 0), help: 'L1 penalty on the weights' },
  l2: { value: '0', ...real('a number >= 0', (v) => v >= 0), help: 'L2 penalty on the weights' },
  dropout: { value: '0', ...real('a number in [0, 1)', (v) => v >= 0 && v < 1), arch: true, help: 'dropout rate after each hidden layer' },
  'batch-norm': { boolean: true, arch: true, help: 'batch normalisation before each activation' },
  init: { value: 'xavier_uniform', ...oneOf(inits), arch: true, help: 'initialisation scheme' },
  seed: { value: '1', ...int(0, 2 ** 32 - 1), help: 'seed of the initial weights, the batch order and dropout' },
  'train-limit': { arg: 'N', ...int(1, MAX_COUNT.train, 'an integer in [1, training digits]'),
    help: 'train on the first N training digits only (quick runs)' },
  dev: { value: '0', ...int(0, MAX_COUNT.train - 1, 'an integer in [0, training digits - 1]'),
    help: 'digits kept out of training as a dev set (the last ones)' },
  data: { ...path('DIR'), help: "folder written by 'make mnist' (default: the repository's web/data/mnist)" },
  json: { ...path('FILE'), help: 'append one JSON line per epoch' },
  save: { ...path('FILE'), help: "save the net at the end (loads in the page's MNIST view)" },
  'export-onnx': { ...path('FILE'), help: 'write the trained net as an ONNX model (Netron, ONNX Runtime, PyTorch)' },
  load: { ...path('FILE'), help: 'train on (or with --epochs 0, evaluate) a net saved by --save' },
  ...EXPORT_FLAGS,
  scalar: { boolean: true, help: 'use the scalar wasm build instead of SIMD' },
  sweep: { arg: 'SPEC', multiple: true, range: SWEEP_RANGE, parse: (list) => list,
    help: 'runs one net per value, e.g. activation=sigmoid,tanh,relu; several (repeated or ;) cross' },
  workers: { arg: 'N', ...int(1, 64), help: 'worker threads of --sweep (default: the cores)' },
  target: { value: '0.9', ...real('a number in [0, 1]', (v) => v >= 0 && v <= 1), help: "test accuracy of --sweep's 'to target' columns" },
  autoencoder: { boolean: true, help: 'train an MNIST autoencoder instead (examples/autoencoder.mjs; --autoencoder --help lists its flags)' },
  help: { boolean: true, short: 'h', help: 'this text' },
};

const HELP = `usage: node examples/mnist.mjs [options]    (or: npx nnplay-train [options])
${Object.entries(FLAGS).map(([name, f]) => `  ${`--${name}${f.boolean ? '' : ` ${f.value ?? f.arg}`}`.padEnd(26)}${f.help}`
  + `${f.boolean || f.range === 'a path' ? '' : `; ${f.range}`}`).join('\n')}
With --load FILE the architecture (--layers, --activation, --dropout,
--batch-norm, --init) and the maximum batch come from FILE, and those flags
are refused. --epochs N trains the net on; --epochs 0 evaluates it only.
Given with --load, --optimizer replaces the saved optimiser (keeping its
state when the name is the same); --lr and --momentum alone change the saved
optimiser's settings and keep its state; --l1 and
--l2 replace both saved penalties (one not given is 0); --seed reseeds the
batch order and dropout. Not given, the saved ones carry on.
Exit codes: 0 done; 1 training failed (e.g. the loss diverged); 2 a bad flag,
an unreadable --data or --load, or an unwritable --save, --json or --export-onnx, reported
before any training.`;

/** The checked settings of a command line; `given` holds the flags set explicitly. */
function settings(argv) {
  // --arch cnn changes the defaults of the flags not given
  const o = readFlags(argv, FLAGS, { preset: (name, values) => (values.arch === 'cnn' && !values.load ? CNN[name] : undefined) });
  if (o.help) return o;
  if (o.epochs === 0 && !o.load) usage(`--epochs must be ${FLAGS.epochs.range}, got '${o.raw.epochs}'`);
  if (o.load) {
    const arch = Object.keys(FLAGS).filter((name) => FLAGS[name].arch && o.given.has(name));
    if (arch.length) usage(`--${arch[0]} cannot be used with --load: the architecture comes from ${o.load}`);
  }
  for (const name of ['load', 'save']) if (o.sweep && o[name]) usage(`--${name} cannot be used with --sweep`);
  return o;
}

/** The net of --load FILE, which must be an MNIST classifier (784 inputs, 10 softmax outputs). */
async function loadNet(nn, file) {
  const bad = (message) => usage(`--load ${file}: ${message}`);
  let bytes, net;
  try {
    const st = await stat(file);
    if (!st.isFile()) bad('not a file');
    if (st.size > MAX_NET_BYTES) bad(`${st.size} bytes, more than a net can hold (${MAX_NET_BYTES})`);
    bytes = await readFile(file);
    net = nn.loadNet(bytes);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    bad(e.code === 'ENOENT' ? 'no such file' : e.message);
  }
  if (net.inputs !== PIXELS || net.outputs !== 10 || net.lossName !== 'softmax_ce') {
    const found = `${net.inputs} inputs, ${net.outputs} outputs and loss ${net.lossName}`;
    net.free();
    bad(`the net has ${found}; MNIST needs ${PIXELS} inputs, 10 outputs and a softmax output`);
  }
  return net;
}

/** '784-120-80-10 sigmoid' for a net; a CNN's spatial layers by their shape ('conv 8x28x28'). */
function describe(net) {
  const layers = net.layers();
  const acts = [...new Set(layers.filter((l) => l.type === 'activation').map((l) => l.activation))];
  const sizes = [net.inputs, ...layers.filter((l) => !['activation', 'dropout', 'batchnorm'].includes(l.type))
    .map((l) => (l.type === 'dense' ? l.outputs : `${l.type} ${l.shape.join('x')}`))];
  return `${sizes.join('-')}${acts.length ? ` ${acts.join(', ')}` : ''}`;
}

/** The training, dev and test digits of --data (bytes), with --train-limit and --dev checked against them. */
async function readData(o) {
  const dir = o.data ?? DATA;
  let mnist;
  try {
    mnist = await loadMnist(await nodeReader(dir));
  } catch (e) {
    usage(`--data ${o.data ?? 'web/data/mnist'}: ${e.message}`);
  }
  let all = mnist.train;
  if (o['train-limit'] !== undefined) {
    const n = o['train-limit'];
    if (n > all.n) usage(`--train-limit must be an integer in [1, ${all.n}] (the training digits), got '${o.raw['train-limit']}'`);
    all = { images: all.images.subarray(0, n * PIXELS), labels: all.labels.subarray(0, n), n };
  }
  if (o.dev > all.n - 1) usage(`--dev must be an integer in [0, ${all.n - 1}] (training digits - 1), got '${o.raw.dev}'`);
  return { ...splitDev(all, o.dev), test: mnist.test };
}

/** The sets of --data in the engine (see readData). */
async function loadData(nn, o) {
  const { train, dev, test } = await readData(o);
  const wrap = (s) => nn.data({ x8: s.images, scale: SCALE, labels: Int32Array.from(s.labels), dims: PIXELS });
  return { train: wrap(train), dev: dev.n ? wrap(dev) : null, test: wrap(test) };
}

/** createNet options from the flags. */
const netOptions = (o) => ({
  inputs: PIXELS, outputs: 10, output: 'softmax', maxBatch: Math.max(o.batch, 256),
  ...(o.layers.some((l) => typeof l !== 'number') ? { shape: [1, 28, 28] } : {}),
  layers: o.layers.map((l) => (typeof l === 'number' ? { units: l }
    : l.conv ? { ...l, activation: o.activation, batchNorm: o['batch-norm'] } : l)),
  activation: o.activation, dropout: o.dropout, batchNorm: o['batch-norm'], init: o.init,
  optimizer: { name: o.optimizer, lr: o.lr, momentum: o.momentum }, l1: o.l1, l2: o.l2, seed: o.seed,
});

/** A new net from the flags, or the --load net with the training flags given applied. */
async function makeNet(nn, o) {
  const optimizer = { name: o.optimizer, lr: o.lr, momentum: o.momentum };
  if (!o.load) {
    try {
      const net = nn.createNet(netOptions(o));
      return { net, what: describe(net) };
    } catch (e) {
      usage(`cannot build the net (--layers, --batch, --dropout): ${e.message}`);
    }
  }
  const net = await loadNet(nn, o.load);
  if (o.batch > net.maxBatch) {
    if (o.given.has('batch')) {
      usage(`--batch must be an integer in [1, ${net.maxBatch}] (the maximum batch of ${o.load}), got '${o.raw.batch}'`);
    }
    o.batch = net.maxBatch;
  }
  if (o.given.has('optimizer')) net.setOptimizer(optimizer);
  else if (o.given.has('lr') || o.given.has('momentum')) {
    // the saved optimiser carries on (same name: same state) with the new settings
    net.setOptimizer({ ...net.optimizer, ...(o.given.has('lr') ? { lr: o.lr } : {}),
      ...(o.given.has('momentum') ? { momentum: o.momentum } : {}) });
  }
  if (o.given.has('l1') || o.given.has('l2')) net.setRegularization({ l1: o.l1, l2: o.l2 });
  if (o.given.has('seed')) ['shuffle', 'dropout'].forEach((stream) => net.setSeed(stream, o.seed));
  return { net, what: `${describe(net)} from ${o.load}` };
}

async function main() {
  // the autoencoder has flags of its own: examples/autoencoder.mjs takes the whole command line
  if (process.argv.includes('--autoencoder')) {
    process.exitCode = await (await import('./autoencoder.mjs')).main(process.argv.slice(2));
    return;
  }
  const o = settings(process.argv.slice(2));
  if (o.help) {
    console.log(HELP);
    return;
  }
  for (const flag of ['save', 'json', 'export-onnx', ...exportsGiven(o)]) if (o[flag] !== undefined) await checkWritable(flag, o[flag]);
  if (o.sweep) {
    const base = { net: netOptions(o), batch: o.batch, epochs: o.epochs, records: 4, target: o.target };
    await sweepMain(o, { base, data: plainSets(await readData(o), PIXELS, SCALE), simd: !o.scalar, usage });
    return;
  }
  const nn = await load({ simd: !o.scalar });
  const { net, what } = await makeNet(nn, o);
  const sets = await loadData(nn, o);
  const lines = [];
  const report = async (line) => { lines.push(line); if (o.json) await appendFile(o.json, `${JSON.stringify(line)}\n`); };
  const engine = `nnplay ${nn.simd ? 'SIMD' : 'scalar'}`;

  if (o.epochs === 0) {
    console.log(`${engine}: ${what}, evaluation only`);
    const te = net.evaluate(sets.test), dv = sets.dev ? net.evaluate(sets.dev) : null;
    console.log(`test loss ${te.loss.toFixed(4)}  test accuracy ${(100 * te.accuracy).toFixed(2)}%`
      + `${dv ? `  dev accuracy ${(100 * dv.accuracy).toFixed(2)}%` : ''}`);
    await report({ epoch: 0, testLoss: te.loss, testAccuracy: te.accuracy, devLoss: dv?.loss, devAccuracy: dv?.accuracy });
  }
  const opt = net.optimizer;
  const optimizer = `${o.load && !o.given.has('optimizer') ? 'its saved optimiser, ' : ''}${opt.name} lr ${+opt.lr.toPrecision(6)}`;
  if (o.epochs) console.log(`${engine}: ${what}, ${optimizer}, batch ${o.batch}, ${sets.train.n} training digits`);
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    const { trainLoss, seconds: secs } = trainEpoch(net, sets.train, o.batch, epoch);
    const te = net.evaluate(sets.test), dv = sets.dev ? net.evaluate(sets.dev) : null;
    const line = { epoch, trainLoss, testLoss: te.loss, testAccuracy: te.accuracy,
      devLoss: dv?.loss, devAccuracy: dv?.accuracy, samplesPerSecond: Math.round(sets.train.n / secs) };
    console.log(`epoch ${epoch}  train loss ${line.trainLoss.toFixed(4)}  test loss ${te.loss.toFixed(4)}  `
      + `test accuracy ${(100 * te.accuracy).toFixed(2)}%${dv ? `  dev accuracy ${(100 * dv.accuracy).toFixed(2)}%` : ''}  `
      + `${line.samplesPerSecond} samples/s`);
    await report(line);
  }
  if (o.save) {
    await writeFile(o.save, net.save());
    console.log(`saved the net to ${o.save}`);
  }
  await writeExports(o, net, lines, { data: o.data ?? 'mnist' });
  if (o['export-onnx']) await exportOnnx(net, o['export-onnx']);
}

main().catch((e) => {
  if (process.stdout.isTTY) process.stdout.write('\r\x1b[K');
  console.error(`${NAME}: ${e.message}`);
  process.exit(e instanceof UsageError ? 2 : 1);
});
