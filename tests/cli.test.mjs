// cli.test.mjs: the command line of examples/mnist.mjs (nnplay-train). Every
// bad flag value, unknown flag, positional argument, unwritable --save or bad
// --load file ends with ONE line on stderr naming the flag and exit code 2,
// before any training; a run that fails while training exits 1 with one
// line. A net saved with --save and read back with --load evaluates to the
// same numbers, and training it on equals training longer in one run.
// Needs `make page` (build/wasm and web/data/mnist, web/data/mnist-small).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from '../build/wasm/nnplay.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const SMALL = join(ROOT, 'web/data/mnist-small');
// a net that learns in one epoch of 2000 digits, so equal numbers are not chance
const QUICK = ['--train-limit', '2000', '--activation', 'relu', '--lr', '0.1'];
let dir;

before(() => {
  for (const d of ['web/data/mnist/mnist.json', 'web/data/mnist-small/mnist.json', 'build/wasm/nnplay.mjs']) {
    if (!existsSync(join(ROOT, d))) throw new Error(`${d} is missing: run 'make page' first`);
  }
  dir = mkdtempSync(join(tmpdir(), 'nnplay-cli-'));
});

after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

/** Runs the CLI from the repository root; returns {status, stdout, stderr}. */
function cli(...args) {
  const r = spawnSync(process.execPath, ['examples/mnist.mjs', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.error, undefined, `${args.join(' ')}: ${r.error?.message}`);
  return r;
}

/** Asserts exit 2, one stderr line that names `flag`, and no output (nothing ran). */
function refused(args, flag, pattern) {
  const r = cli(...args);
  const what = `[${args.join(' ')}] stderr: ${r.stderr}`;
  assert.equal(r.status, 2, what);
  assert.match(r.stderr, /^nnplay-train: [^\n]+\n$/, `one line: ${what}`);
  assert.ok(r.stderr.includes(flag), `names ${flag}: ${what}`);
  if (pattern) assert.match(r.stderr, pattern, what);
  assert.equal(r.stdout, '', `nothing ran: ${what}`);
  return r.stderr;
}

/** The 'test loss L  test accuracy A%' of an output, as strings. */
function testScores(stdout) {
  const m = [...stdout.matchAll(/test loss (\d+\.\d+) {2}test accuracy (\d+\.\d+)%/g)].at(-1);
  assert.ok(m, `no test scores in: ${stdout}`);
  return { loss: m[1], accuracy: m[2] };
}

test('--help lists every flag with its range, --load and the exit codes', () => {
  const r = cli('--help');
  assert.equal(r.status, 0);
  assert.equal(r.stderr, '');
  for (const s of ['--load FILE', '--train-limit N', '--save FILE', '--epochs 2', 'an integer in [1, 1000], or 0 with --load',
    'an integer in [1, 65536]', 'a number in [0, 1)', 'a number > 0', 'adam', 'he_normal', 'Exit codes']) {
    assert.ok(r.stdout.includes(s), `--help mentions '${s}'`);
  }
  assert.ok(!r.stdout.includes('softmax,'), 'softmax is not offered as a hidden activation');
});

test('each out-of-range value: one line with the flag and its range, exit 2', () => {
  const cases = [
    [['--epochs', '-1'], '--epochs', /\[1, 1000\].*got '-1'$/m],
    [['--epochs', '0'], '--epochs', /got '0'/],
    [['--epochs=1001'], '--epochs'],
    [['--epochs', '1.5'], '--epochs'],
    [['--epochs', ''], '--epochs'],
    [['--batch=-1'], '--batch', /\[1, 65536\]/],
    [['--batch', '-1'], '--batch'],
    [['--batch', '0'], '--batch'],
    [['--batch', '65537'], '--batch'],
    [['--batch', '0x40'], '--batch'],
    [['--layers', ',,,'], '--layers'],
    [['--layers', '10,,20'], '--layers'],
    [['--layers', '120,'], '--layers'],
    [['--layers', '0'], '--layers'],
    [['--layers', '-5'], '--layers'],
    [['--layers', 'conv4k99'], '--layers'],
    [['--layers', 'conv0k3'], '--layers'],
    [['--layers', 'maxpool2s0'], '--layers'],
    [['--layers', 'conv8'], '--layers'],
    [['--arch', 'resnet'], '--arch'],
    [['--layers', '65537'], '--layers'],
    [['--layers', Array(17).fill(4).join(',')], '--layers', /1 to 16/],
    [['--lr', '0'], '--lr', /> 0/],
    [['--lr', '-.5'], '--lr'],
    [['--lr', 'Infinity'], '--lr'],
    [['--lr', '1e999'], '--lr'],
    [['--lr', 'abc'], '--lr'],
    [['--momentum', '1'], '--momentum', /\[0, 1\)/],
    [['--momentum', '-0.1'], '--momentum'],
    [['--l1', '-1'], '--l1', />= 0/],
    [['--l2', 'NaN'], '--l2'],
    [['--dropout', '1'], '--dropout'],
    [['--dropout', '-0.2'], '--dropout'],
    [['--seed', '-1'], '--seed', /\[0, 4294967295\]/],
    [['--seed', '4294967296'], '--seed'],
    [['--activation', 'softmax'], '--activation', /one of linear, sigmoid/],
    [['--activation', 'ReLU6'], '--activation'],
    [['--optimizer', 'adamw'], '--optimizer', /one of sgd, momentum, nesterov, adagrad, rmsprop, adam,/],
    [['--init', 'zeros'], '--init', /he_normal/],
    [['--train-limit', '0'], '--train-limit'],
    [['--dev', '-3'], '--dev'],
    [['--dev', '60000'], '--dev'],
  ];
  for (const [args, flag, pattern] of cases) refused(args, flag, pattern);
});

test('--dev and --train-limit are checked against the digits loaded', () => {
  refused(['--dev', '10000', '--train-limit', '2000'], '--dev', /\[0, 1999\].*got '10000'/);
  refused(['--dev', '2000', '--train-limit', '2000'], '--dev', /got '2000'/);
  refused(['--data', SMALL, '--dev', '10000'], '--dev', /\[0, 9999\]/);
  refused(['--data', SMALL, '--train-limit', '10001'], '--train-limit', /\[1, 10000\]/);
});

test('unknown flags, positional arguments and missing values: one line, see --help, exit 2', () => {
  refused(['--epoch', '3'], "'--epoch'", /see --help$/m);
  refused(['-x'], "'-x'", /see --help$/m);
  refused(['train'], "'train'", /positional.*see --help$/m);
  refused(['--epochs', '1', '--', 'extra'], "'extra'");
  refused(['--epochs'], '--epochs', /argument missing; see --help$/m);
  refused(['--data', '-x'], '--data', /see --help$/m);
  refused(['--scalar=yes'], '--scalar');
});

test('--save and --json are checked before training', () => {
  mkdirSync(join(dir, 'folder'), { recursive: true });
  refused(['--save', join(dir, 'missing', 'net.bin')], '--save', /does not exist/);
  refused(['--save', join(dir, 'folder')], '--save', /is a folder/);
  refused(['--save', `${join(dir, 'folder')}/`], '--save', /folder/);
  refused(['--json', join(dir, 'missing', 'log.jsonl')], '--json', /does not exist/);
  assert.ok(!existsSync(join(dir, 'missing')));
});

test('--data that is not an MNIST folder: one line naming --data, exit 2', () => {
  refused(['--data', join(dir, 'nowhere')], '--data', /MNIST: cannot read mnist\.json/);
  const bad = join(dir, 'bad-data');
  mkdirSync(bad, { recursive: true });
  writeFileSync(join(bad, 'mnist.json'), 'null');
  refused(['--data', bad], '--data', /MNIST: mnist\.json must hold an object/);
});

test('a net saved with --save evaluates the same with --load --epochs 0, and trains on as one longer run', () => {
  const file = join(dir, 'net.bin');
  const first = cli('--epochs', '1', ...QUICK, '--save', file);
  assert.equal(first.status, 0, first.stderr);
  assert.equal(first.stderr, '');
  assert.match(first.stdout, /^epoch 1 /m);
  const trained = testScores(first.stdout);
  assert.ok(Number(trained.accuracy) > 50, `the net learned (${trained.accuracy}%)`);

  const evaluated = cli('--load', file, '--epochs', '0');
  assert.equal(evaluated.status, 0, evaluated.stderr);
  assert.deepEqual(testScores(evaluated.stdout), trained);
  assert.doesNotMatch(evaluated.stdout, /^epoch/m, 'evaluation only: no training');

  // one more epoch from the file equals the second epoch of a two-epoch run:
  // weights, optimiser state and batch order all came back
  const lineOf = (stdout, k) => /^epoch \d+ {2}(train loss .*%)/m.exec(stdout.split('\n').filter((l) => l.startsWith('epoch'))[k])[1];
  const more = cli('--load', file, '--epochs', '1', '--train-limit', '2000', '--json', join(dir, 'log.jsonl'));
  assert.equal(more.status, 0, more.stderr);
  const longer = cli('--epochs', '2', ...QUICK);
  assert.equal(longer.status, 0, longer.stderr);
  assert.equal(lineOf(more.stdout, 0), lineOf(longer.stdout, 1));
  const log = readFileSync(join(dir, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(log.length, 1);
  assert.equal(log[0].epoch, 1);

  // an optimiser given with --load replaces the saved one: a different epoch
  const replaced = cli('--load', file, '--epochs', '1', '--train-limit', '2000', '--optimizer', 'sgd', '--lr', '0.001');
  assert.equal(replaced.status, 0, replaced.stderr);
  assert.notEqual(lineOf(replaced.stdout, 0), lineOf(more.stdout, 0));
  assert.match(replaced.stdout, /sgd lr 0\.001/);

  // --lr alone keeps the saved optimiser (name and state) with a new rate
  const rate = cli('--load', file, '--epochs', '1', '--train-limit', '2000', '--lr', '0.001');
  assert.equal(rate.status, 0, rate.stderr);
  assert.match(rate.stdout, /its saved optimiser, sgd lr 0\.001/);
  assert.notEqual(lineOf(rate.stdout, 0), lineOf(more.stdout, 0), 'the new rate changes the epoch');
});

test('--load refuses missing, corrupt and non-MNIST nets and architecture flags, exit 2', async () => {
  const file = join(dir, 'net.bin');
  if (!existsSync(file)) assert.equal(cli('--epochs', '1', '--train-limit', '200', '--save', file).status, 0);
  refused(['--load', join(dir, 'none.bin'), '--epochs', '0'], '--load', /no such file/);
  writeFileSync(join(dir, 'junk.bin'), 'not a net');
  refused(['--load', join(dir, 'junk.bin'), '--epochs', '0'], '--load', /loadNet/);
  refused(['--load', dir, '--epochs', '0'], '--load', /not a file/);
  const nn = await load();
  const xor = nn.createNet({ inputs: 2, outputs: 1, layers: [4] });
  writeFileSync(join(dir, 'xor.bin'), xor.save());
  refused(['--load', join(dir, 'xor.bin'), '--epochs', '0'], '--load', /2 inputs, 1 outputs/);
  for (const flag of [['--layers', '10'], ['--activation', 'tanh'], ['--dropout', '0.1'], ['--batch-norm'], ['--init', 'he_normal']]) {
    refused(['--load', file, ...flag], flag[0], /cannot be used with --load/);
  }
  refused(['--load', file, '--batch', '1000'], '--batch', /\[1, 256\]/);
});

test('a run that fails while training exits 1 with one line', () => {
  const r = cli('--epochs', '1', '--train-limit', '500', '--activation', 'relu', '--lr', '1e30');
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /^nnplay-train: [^\n]*diverged[^\n]*\n$/);
});

test('--arch cnn trains the course\'s CNN, saves it, and --load evaluates the same numbers', () => {
  const file = join(dir, 'cnn.bin');
  const run = cli('--arch', 'cnn', '--train-limit', '600', '--save', file);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /conv 8x28x28-maxpool 8x14x14-conv 16x14x14-maxpool 16x4x4-10 relu, adam lr 0\.002, batch 20/);
  const evaluated = cli('--load', file, '--epochs', '0');
  assert.equal(evaluated.status, 0, evaluated.stderr);
  assert.deepEqual(testScores(evaluated.stdout), testScores(run.stdout));
  // a spatial layer list of one's own, without the preset
  const own = cli('--layers', 'conv4k3s2p1,avgpool2,16', '--activation', 'relu', '--train-limit', '300', '--epochs', '1');
  assert.equal(own.status, 0, own.stderr);
  assert.match(own.stdout, /784-conv 4x14x14-avgpool 4x7x7-16-10 relu/);
});
