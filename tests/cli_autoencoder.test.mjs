// cli_autoencoder.test.mjs: `nnplay-train --autoencoder` (examples/autoencoder.mjs).
// A short seeded run on the small MNIST set (5,000 training digits, 3 epochs,
// 2-D code) must make the code separate the classes: the 5-NN accuracy of
// 1,000 test codes against 5,000 training codes rises by at least 0.2
// (absolute) over the untrained net's (observed: 0.21 -> 0.51), and the test
// reconstruction loss falls every epoch. The saved net loads with loadNet,
// reconstructs the test digits to the loss the run printed, and
// decode(encode(x)) equals predict(x). Bad flags: one line, exit 2.
// Needs `make page` (build/wasm and web/data/mnist-small).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from '../build/wasm/nnplay.mjs';
import { loadMnist, nodeReader, PIXELS, SCALE } from '../web/js/mnist.js';

const ROOT = new URL('..', import.meta.url).pathname;
const SMALL = join(ROOT, 'web/data/mnist-small');
const QUICK = ['--autoencoder', '--data', SMALL, '--train-limit', '5000', '--test-limit', '1000', '--knn-refs', '5000',
  '--lr', '0.01', '--seed', '1'];
const MARGIN = 0.2;
let dir;

before(() => {
  for (const d of ['web/data/mnist-small/mnist.json', 'build/wasm/nnplay.mjs']) {
    if (!existsSync(join(ROOT, d))) throw new Error(`${d} is missing: run 'make page' first`);
  }
  dir = mkdtempSync(join(tmpdir(), 'nnplay-ae-cli-'));
});

after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

function cli(...args) {
  const r = spawnSync(process.execPath, ['examples/mnist.mjs', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  assert.equal(r.error, undefined, `${args.join(' ')}: ${r.error?.message}`);
  return r;
}

test('--autoencoder --help lists its flags; the classifier help mentions it', () => {
  const r = cli('--autoencoder', '--help');
  assert.equal(r.status, 0, r.stderr);
  for (const s of ['--layers 128,32,2,32,128', '--noise none', 'mask:<p>', 'gaussian:<sigma>', '--loss bce', 'se', '--knn-refs',
    '--save FILE', '--json FILE', 'Exit codes']) {
    assert.ok(r.stdout.includes(s), `--help mentions '${s}'`);
  }
  assert.match(cli('--help').stdout, /--autoencoder/);
});

test('bad flags: one line naming the flag, exit 2, nothing trained', () => {
  const cases = [
    [['--noise', 'salt:0.1'], '--noise'], [['--noise', 'mask:1.5'], '--noise'], [['--noise', 'gaussian:-1'], '--noise'],
    [['--noise', 'mask:nan'], '--noise'], [['--layers', '0'], '--layers'], [['--layers', '32,,2'], '--layers'],
    [['--loss', 'ce'], '--loss'], [['--k', '0'], '--k'], [['--epochs', '-1'], '--epochs'], [['--lr', 'NaN'], '--lr'],
    [['--bogus'], 'bogus'], [['--save', join(ROOT, 'no-such-folder', 'net.bin')], '--save'],
    [['--data', SMALL, '--test-limit', '5000'], '--test-limit'],
  ];
  for (const [args, flag] of cases) {
    const r = cli('--autoencoder', ...args);
    const what = `[${args.join(' ')}] stderr: ${r.stderr}`;
    assert.equal(r.status, 2, what);
    assert.match(r.stderr, /^nnplay-train: [^\n]+\n$/, what);
    assert.ok(r.stderr.includes(flag), what);
    assert.equal(r.stdout, '', what);
  }
});

test('training separates the classes in code space and the saved net loads', async () => {
  const json = join(dir, 'ae.jsonl'), save = join(dir, 'ae.bin');
  const r = cli(...QUICK, '--epochs', '3', '--json', json, '--save', save);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /autoencoder 784-128-32-2-32-128-784 relu, sigmoid \+ bce/);
  const lines = readFileSync(json, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => l.epoch), [0, 1, 2, 3]);
  const [first, last] = [lines[0], lines.at(-1)];
  assert.ok(last.knnAccuracy >= first.knnAccuracy + MARGIN,
    `5-NN accuracy in code space ${first.knnAccuracy} -> ${last.knnAccuracy}: not ${MARGIN} above the untrained net's`);
  for (let i = 1; i < lines.length; i++) assert.ok(lines[i].testLoss < lines[i - 1].testLoss, `test loss falls at epoch ${i}`);

  const nn = await load();
  const net = nn.loadNet(new Uint8Array(readFileSync(save)));
  assert.equal(net.inputs, PIXELS);
  assert.equal(net.outputs, PIXELS);
  assert.deepEqual(net.inputNoise, { kind: 'none', amount: 0 });
  const mnist = await loadMnist(await nodeReader(SMALL), { sets: ['test'] });
  const x8 = mnist.test.images.subarray(0, 1000 * PIXELS);
  const data = nn.data({ x8, scale: SCALE, dims: PIXELS, targets: 'inputs' });
  assert.equal(net.evaluate(data).loss, Math.fround(last.testLoss), 'the loaded net reconstructs as the run reported');
  const x = Float32Array.from(x8.subarray(0, 50 * PIXELS), (v) => Math.fround(v * Math.fround(SCALE)));
  const code = net.layers().findIndex((l) => l.outputs === 2) + 1;
  assert.equal(net.layers()[code].outputs, 2, 'the code layer is 2 wide');
  const back = net.decode(net.encode(x, code), code), want = net.predict(x);
  assert.ok(back.every((v, i) => Object.is(v, want[i])), 'decode(encode(x)) equals predict(x)');
  net.free();
  data.free();
});

test('a denoising run with squared error trains and reports', () => {
  const json = join(dir, 'dae.jsonl');
  const r = cli(...QUICK, '--epochs', '1', '--layers', '64,8,64', '--noise', 'mask:0.3', '--loss', 'se', '--json', json);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /sigmoid \+ se, noise mask:0.3/);
  const lines = readFileSync(json, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.ok(lines[1].testLoss < lines[0].testLoss, 'the clean test loss falls with noisy inputs');
});
