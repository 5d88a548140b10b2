// cli_exports.test.mjs: nnplay-train's exports (examples/cli-exports.mjs):
// --export-json, --history-csv and --weights-csv after training hold the net
// that --save wrote (its parameters, read back through the engine) and one
// history row per epoch with the numbers the --json log gives; an unwritable
// export file is refused before any training (exit 2, one line naming the
// flag); the curves as SVG hold one point per epoch; the weights PNG has the
// saved net's first-layer weights in the view's colours, 2 x 2 pixels each.
// Needs `make page` (build/wasm, web/data/mnist-small).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from '../build/wasm/nnplay.mjs';
import { inflateSync } from 'node:zlib';
import { snapshotFromJson } from '../web/js/shared/export-formats.js';
import { diverging } from '../web/js/shared/colors.js';

/** CRC-32 of PNG chunks, written here from the PNG specification (independent of the exporter's). */
function crc32(buf) {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

const ROOT = new URL('..', import.meta.url).pathname;
let dir;
before(() => {
  for (const d of ['web/data/mnist-small/mnist.json', 'build/wasm/nnplay.mjs']) {
    if (!existsSync(join(ROOT, d))) throw new Error(`${d} is missing: run 'make page' first`);
  }
  dir = mkdtempSync(join(tmpdir(), 'nnplay-cli-exports-'));
});
after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

const cli = (...args) => spawnSync(process.execPath, ['examples/mnist.mjs', '--data', 'web/data/mnist-small', ...args],
  { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });

test('the exports hold the saved net and the logged history', async () => {
  const f = (name) => join(dir, name);
  const r = cli('--train-limit', '600', '--epochs', '3', '--layers', '12', '--batch-norm', '--activation', 'relu', '--lr', '0.1',
    '--save', f('net.bin'), '--json', f('log.jsonl'), '--export-json', f('net.json'), '--history-csv', f('h.csv'), '--weights-csv', f('w.csv'));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /wrote .*net\.json \(--export-json\)/);
  const nn = await load();
  const net = nn.loadNet(new Uint8Array(readFileSync(f('net.bin'))));
  // the JSON: every parameter and the batch-norm statistics of the saved net
  const { snapshot } = snapshotFromJson(readFileSync(f('net.json'), 'utf8'), net);
  assert.deepEqual(snapshot, net.snapshot());
  const doc = JSON.parse(readFileSync(f('net.json'), 'utf8'));
  assert.deepEqual(doc.layers.map((l) => l.kind), net.layers().map((l) => l.type));
  assert.ok(Math.abs(doc.normalisation.scale - 1 / 255) < 1e-12);
  // the weights CSV: one row per parameter, equal to it
  const rows = readFileSync(f('w.csv'), 'utf8').trim().split('\n');
  assert.equal(rows[0], 'layer,kind,param,row,col,value');
  const params = net.params(), layers = net.layers();
  assert.equal(rows.length - 1, params.length);
  for (const row of rows.slice(1)) {
    const [k, , p, i, j, v] = row.split(',');
    const l = layers[+k], n = l.b.length, at = p === 'W' ? l.wOffset + +i * (l.W.length / n) + +j : l.bOffset + +i;
    assert.equal(Math.fround(+v), params[at]);
  }
  // the history: the --json log's numbers, one row per epoch
  const log = readFileSync(f('log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const h = readFileSync(f('h.csv'), 'utf8').trim().split('\n');
  assert.equal(h[0], 'epoch,train_loss,test_loss,test_accuracy');
  assert.deepEqual(h.slice(1).map((l) => l.split(',').map(Number)), log.map((l) => [l.epoch, l.trainLoss, l.testLoss, l.testAccuracy]));
  net.free();
});

test('an unwritable export file is refused before training', () => {
  for (const flag of ['--export-json', '--history-csv', '--weights-csv']) {
    const r = cli('--train-limit', '100', '--epochs', '1', flag, join(dir, 'no', 'such', 'x'));
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, new RegExp(`^nnplay-train: ${flag} .*the folder .* does not exist\\n$`));
  }
});

test('the curves as SVG and the first layer as a PNG at 2x: the epochs logged, the pixels of the saved net', async () => {
  const f = (name) => join(dir, name);
  const r = cli('--train-limit', '600', '--epochs', '3', '--layers', '16', '--lr', '0.1', '--save', f('p.bin'), '--json', f('p.jsonl'),
    '--loss-svg', f('loss.svg'), '--accuracy-svg', f('acc.svg'), '--weights-png', f('w.png'));
  assert.equal(r.status, 0, r.stderr);
  const log = readFileSync(f('p.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  // one point per logged epoch in each curve; the test loss is the log's
  const curve = (svg, key) => {
    const m = new RegExp(`<polyline class="curve" data-key="${key}"[^>]* points="([^"]*)"`).exec(svg);
    assert.ok(m, `${key} is drawn`);
    return m[1].trim().split(/\s+/).map((p) => p.split(',').map(Number));
  };
  const loss = readFileSync(f('loss.svg'), 'utf8'), acc = readFileSync(f('acc.svg'), 'utf8');
  assert.match(loss, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.equal(curve(loss, 'testLoss').length, log.length);
  assert.equal(curve(loss, 'trainLoss').length, log.length);
  assert.equal(curve(acc, 'testAcc').length, log.length);
  // a smaller loss is drawn lower on the page (a larger y): the SVG's order is the log's
  const ys = curve(loss, 'testLoss').map(([, y]) => y), ls = log.map((l) => l.testLoss);
  for (let i = 1; i < ys.length; i++) assert.equal(Math.sign(ys[i] - ys[i - 1]), -Math.sign(ls[i] - ls[i - 1]), `epoch ${i + 1}`);
  // the PNG: 16 tiles of 28 x 28 (12 a row, a white pixel between), every pixel twice as large
  const png = readFileSync(f('w.png'));
  assert.deepEqual([...png.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10]);
  const width = png.readUInt32BE(16), height = png.readUInt32BE(20);
  assert.deepEqual([width, height], [2 * 12 * 29, 2 * 2 * 29]);
  let at = 8;
  const idat = [];
  while (at < png.length) {
    const n = png.readUInt32BE(at), type = png.toString('latin1', at + 4, at + 8);
    assert.equal(crc32(png.subarray(at + 4, at + 8 + n)), png.readUInt32BE(at + 8 + n), `${type} CRC`);
    if (type === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + n));
    at += 12 + n;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const px = (x, y) => [...raw.subarray(y * (1 + 4 * width) + 1 + 4 * x, y * (1 + 4 * width) + 5 + 4 * x)];
  // the saved net's first-layer weights on the symmetric scale of the view
  const nn = await load();
  const net = nn.loadNet(new Uint8Array(readFileSync(f('p.bin'))));
  const W = net.layers()[0].W, abs = Float32Array.from(W, Math.abs).sort();
  const m = abs[Math.floor(0.995 * (abs.length - 1))];
  for (const [u, p] of [[0, 0], [0, 406], [5, 300], [15, 783]]) {
    const x = (u % 12) * 29 + (p % 28), y = Math.floor(u / 12) * 29 + Math.floor(p / 28);
    const want = [...diverging(Math.round((Math.max(-1, Math.min(1, W[u * 784 + p] / m)) + 1) * 127.5) / 127.5 - 1), 255];
    for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]]) assert.deepEqual(px(2 * x + dx, 2 * y + dy), want, `unit ${u}, pixel ${p}`);
  }
  // the white gap between tiles
  assert.deepEqual(px(2 * 28, 0), [255, 255, 255, 255]);
  net.free();
});

test("--weights-png of a CNN: its first convolution's filters, 2 pixels a weight", async () => {
  const r = cli('--train-limit', '100', '--epochs', '1', '--arch', 'cnn', '--save', join(dir, 'c.bin'), '--weights-png', join(dir, 'c.png'));
  assert.equal(r.status, 0, r.stderr);
  const png = readFileSync(join(dir, 'c.png'));
  const nn = await load();
  const net = nn.loadNet(new Uint8Array(readFileSync(join(dir, 'c.bin'))));
  const { kernel, b } = net.layers()[0], cols = Math.min(8, b.length);
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [2 * cols * (kernel + 1), 2 * Math.ceil(b.length / cols) * (kernel + 1)]);
  net.free();
});
