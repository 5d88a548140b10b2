// cli_exports.test.mjs: nnplay-train's exports (examples/cli-exports.mjs):
// --export-json, --history-csv and --weights-csv after training hold the net
// that --save wrote (its parameters, read back through the engine) and one
// history row per epoch with the numbers the --json log gives; an unwritable
// export file is refused before any training (exit 2, one line naming the
// flag). Needs `make page` (build/wasm, web/data/mnist-small).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from '../build/wasm/nnplay.mjs';
import { snapshotFromJson } from '../web/js/shared/export-formats.js';

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
