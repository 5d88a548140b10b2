// onnx.test.mjs: the ONNX export (wasm/nnplay-onnx.mjs) against ONNX
// Runtime: nets with every activation, batch norm, dropout, 2-D and
// MNIST-sized MLPs and CNNs (conv, max and average pools, per-channel batch
// norm) are trained a few steps, exported, run by onnxruntime-web (its wasm
// backend, one thread, the wasm file from node_modules: nothing is fetched)
// on 1,000 inputs and compared with net.predict. Tolerance: |ort - nnplay|
// <= 1e-5 absolute, times max(1, |nnplay|) for outputs beyond 1 (relative
// there: float32 sums in another order). The files are also decoded back with
// ONNX's own generated schema (shipped in onnxruntime-web) and checked field
// by field; layers without an ONNX mapping are refused by name.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { load } from '../build/wasm/nnplay.mjs';
import { toOnnx, OPSET } from '../build/wasm/nnplay-onnx.mjs';
import { varint } from '../build/wasm/nnplay-protobuf.mjs';
import { lcg } from './helpers.mjs';

ort.env.wasm.numThreads = 1;
ort.env.wasm.wasmPaths = new URL('../node_modules/onnxruntime-web/dist/', import.meta.url).href;
// ONNX's onnx.proto compiled by protobufjs, as onnxruntime-web ships it
const { onnx } = createRequire(import.meta.url)('../node_modules/onnxruntime-web/lib/onnxjs/ort-schema/protobuf/onnx.js');

const nn = await load();
const N = 1000, TOL = 1e-5;

/** A net built from opts, trained `steps` steps on random data so that weights and BN statistics move. */
function trained(opts, steps = 20) {
  const net = nn.createNet({ maxBatch: 64, seed: 7, ...opts });
  const rand = lcg(11), n = 256, x = new Float32Array(n * net.inputs).map(() => rand(-2, 2));
  const data = opts.output === 'softmax'
    ? { x, labels: Int32Array.from({ length: n }, () => Math.floor(rand(0, net.outputs))) }
    : { x, y: new Float32Array(n * net.outputs).map(() => (opts.output === 'tanh' ? rand(-0.9, 0.9) : rand(0.05, 0.95))) };
  net.setOptimizer({ kind: 'adam', lr: 0.01 });
  net.train(data, { batchSize: 32, steps });
  return net;
}

/** The largest scaled difference between ONNX Runtime's outputs and net.predict on N random inputs. */
async function compare(net, bytes, shape) {
  const rand = lcg(23), x = new Float32Array(N * net.inputs).map(() => rand(-3, 3));
  const want = net.predict(x);
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  const dims = shape ? [N, ...shape] : [N, net.inputs];
  const { output } = await session.run({ input: new ort.Tensor('float32', x, dims) });
  assert.deepEqual(output.dims, [N, net.outputs]);
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    assert.ok(Number.isFinite(want[i]), 'nnplay output is finite');
    worst = Math.max(worst, Math.abs(output.data[i] - want[i]) / Math.max(1, Math.abs(want[i])));
  }
  await session.release();
  return worst;
}

async function check(opts, steps) {
  const net = trained(opts, steps);
  try {
    const bytes = toOnnx(net, { doc: 'test' });
    const worst = await compare(net, bytes, opts.shape);
    assert.ok(worst <= TOL, `max |ort - nnplay| = ${worst}`);
    return { net, bytes };
  } finally {
    net.free();
  }
}

const ACTS = [['linear'], ['sigmoid'], ['tanh'], ['relu'], ['leaky_relu', 0.2], ['prelu', 0.3], ['elu', 0.7], ['gelu'], ['swish'], ['selu']];

describe('ONNX Runtime predicts what nnplay predicts', () => {
  for (const [act, param] of ACTS) {
    test(`MLP with ${act}${param !== undefined ? ` (${param})` : ''}`, async () => {
      await check({ inputs: 3, layers: [{ units: 8, activation: act, param }, { units: 5, activation: act, param }], outputs: 2, output: 'sigmoid' });
    });
  }
  test('each activation alone: output = f(x) for x in [-3, 3], to 1e-5', async () => {
    for (const [act, param] of ACTS) {
      const net = nn.createNet({ inputs: 1, layers: [{ units: 1, activation: act, param }], outputs: 1, output: 'linear' });
      const l = net.layers().filter((x) => x.type === 'dense');
      l[0].W[0] = 1; l[0].b[0] = 0; l[1].W[0] = 1; l[1].b[0] = 0;
      const worst = await compare(net, toOnnx(net));
      net.free();
      assert.ok(worst <= TOL, `${act}: max |ort - nnplay| = ${worst}`);
    }
  });
  test('PReLU with one slope per neuron', async () => {
    await check({ inputs: 4, layers: [{ units: 6, activation: 'prelu', perNeuron: true, param: 0.1 }], outputs: 3, output: 'softmax' });
  });
  test('batch norm and dropout, tanh and linear outputs', async () => {
    await check({ inputs: 5, layers: [{ units: 10, batchNorm: true, dropout: 0.3, activation: 'relu' }], outputs: 2, output: 'tanh' });
    await check({ inputs: 5, layers: [{ units: 10, batchNorm: true, activation: 'elu' }, 'batchnorm'], outputs: 1, output: 'linear' });
  });
  test('a 2-D net on its features (x1, x2, x1^2, x2^2, x1 x2, sin x1, sin x2)', async () => {
    await check({ inputs: 7, layers: [8, 8, 4], activation: 'tanh', outputs: 1, output: 'sigmoid' });
  });
  test('an MNIST-sized MLP (784-128-64-10, batch norm, dropout)', async () => {
    await check({ inputs: 784, layers: [{ units: 128, batchNorm: true, dropout: 0.2 }, 64], activation: 'relu', outputs: 10, output: 'softmax' }, 8);
  });
  test('a CNN: conv, batch norm per channel, max and average pools, per-neuron PReLU', async () => {
    await check({ shape: [1, 12, 12], layers: [{ conv: 4, kernel: 3, pad: 1, batchNorm: true, activation: 'relu' }, { maxpool: 2 },
      { conv: 6, kernel: 3, stride: 2, activation: 'prelu', perNeuron: true }, { avgpool: 2 }, { units: 16, activation: 'tanh' }],
    outputs: 10, output: 'softmax' }, 10);
  });
  test('a CNN on 2-channel input ending in a pool', async () => {
    await check({ shape: [2, 9, 7], layers: [{ conv: 3, kernel: 2, activation: 'gelu' }, { avgpool: 3, stride: 2 }], outputs: 2, output: 'sigmoid' });
  });
});

describe('nnplay-train --export-onnx', () => {
  test('the CLI\'s CNN and its ONNX file predict alike (the net from --save as reference)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnplay-onnx-'));
    try {
      const onnxFile = join(dir, 'net.onnx'), saved = join(dir, 'net.nnp');
      const out = execFileSync(process.execPath, [new URL('../examples/mnist.mjs', import.meta.url).pathname, '--layers',
        'conv4k5,maxpool2,16', '--batch-norm', '--train-limit', '200', '--epochs', '1', '--save', saved, '--export-onnx', onnxFile], { encoding: 'utf8' });
      assert.match(out, /exported the net to .*net\.onnx \(ONNX\)/);
      const net = nn.loadNet(new Uint8Array(readFileSync(saved)));
      const bytes = new Uint8Array(readFileSync(onnxFile));
      assert.match(onnx.ModelProto.decode(bytes).docString, /\[N, 1, 28, 28\]/);
      assert.ok((await compare(net, bytes, [1, 28, 28])) <= TOL);
      net.free();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the file is a valid ModelProto', () => {
  test('decoded back with onnx.proto: version, opset, graph, weights', () => {
    const net = trained({ inputs: 2, layers: [{ units: 3, batchNorm: true, activation: 'leaky_relu', param: 0.05 }], outputs: 1, output: 'sigmoid' });
    const bytes = toOnnx(net, { name: 'g', doc: 'inputs: x1, x2' });
    const m = onnx.ModelProto.decode(bytes);
    assert.equal(Number(m.irVersion), 8);
    assert.equal(m.producerName, 'nnplay');
    assert.equal(m.docString, 'inputs: x1, x2');
    assert.deepEqual(m.opsetImport.map((o) => [o.domain, Number(o.version)]), [['', OPSET]]);
    const g = m.graph;
    assert.equal(g.name, 'g');
    assert.deepEqual(g.node.map((n) => n.opType), ['Gemm', 'BatchNormalization', 'LeakyRelu', 'Gemm', 'Sigmoid', 'Identity']);
    assert.equal(g.input[0].name, 'input');
    assert.deepEqual(g.input[0].type.tensorType.shape.dim.map((d) => d.dimParam || Number(d.dimValue)), ['N', 2]);
    assert.equal(g.output[0].name, 'output');
    assert.equal(g.node[2].attribute[0].name, 'alpha');
    assert.ok(Math.abs(g.node[2].attribute[0].f - 0.05) < 1e-7);
    // every parameter is in an initializer, bit for bit
    const l = net.layers(), W = g.initializer.find((t) => t.name === 'layer0_dense_W');
    assert.deepEqual(W.dims.map(Number), [3, 2]);
    assert.deepEqual(new Float32Array(W.rawData.slice().buffer), Float32Array.from(l[0].W));
    const params = g.initializer.filter((t) => !/_mean$|_var$/.test(t.name)).reduce((a, t) => a + t.rawData.length / 4, 0);
    assert.equal(params, net.params().length);
    net.free();
  });
  test('varints as protobuf writes them, negatives in ten bytes', () => {
    assert.deepEqual([...varint(0)], [0]);
    assert.deepEqual([...varint(300)], [0xac, 0x02]);
    assert.deepEqual([...varint(-1)], [255, 255, 255, 255, 255, 255, 255, 255, 255, 1]);
    assert.throws(() => varint(1.5), /not an integer/);
  });
});

describe('what cannot be exported says so', () => {
  test('a layer kind without an ONNX mapping is named', () => {
    const net = nn.createNet({ inputs: 2, layers: [3] });
    const fake = { nn: net.nn, inputs: 2, outputs: 1, save: () => net.save(), bnRunning: () => [],
      layers: () => net.layers().map((l, k) => (k === 1 ? { ...l, type: 'upsample' } : l)) };
    assert.throws(() => toOnnx(fake), /ONNX export: layer 1 is "upsample", which this exporter cannot write to ONNX/);
    net.free();
  });
  test("the autoencoder's upsample and reshape layers are refused by name", () => {
    const net = nn.createNet({ shape: [1, 4, 4], layers: [{ conv: 2, kernel: 3, pad: 1, activation: 'relu' }, { upsample: 2 }], outputs: 2 });
    assert.throws(() => toOnnx(net), /ONNX export: layer 2 is "upsample", which this exporter cannot write to ONNX/);
    net.free();
    const r = nn.createNet({ inputs: 8, layers: [{ type: 'reshape', shape: [2, 2, 2] }, { conv: 1, kernel: 2 }], outputs: 1 });
    assert.throws(() => toOnnx(r), /ONNX export: layer 0 is "reshape"/);
    r.free();
  });
  test('a freed net throws instead of writing a file', () => {
    const net = nn.createNet({ inputs: 2, layers: [3] });
    net.free();
    assert.throws(() => toOnnx(net), Error);
  });
});
