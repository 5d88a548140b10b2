// cli_sweep.test.mjs: nnplay-train --sweep. Several --sweep flags and ';'
// cross; the runs go to worker threads (--workers) and the page's table is
// printed in Markdown; --json appends one line per run with the same
// numbers; a bad spec, --load or --save with --sweep, or a bad --workers end
// with one line on stderr and exit code 2 before any training.
// Needs `make page` (build/wasm, web/lib, web/data/mnist-small).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const QUICK = ['--data', 'web/data/mnist-small', '--train-limit', '600', '--dev', '100', '--layers', '16', '--epochs', '1'];
let dir;
before(() => { dir = mkdtempSync(join(tmpdir(), 'nnplay-sweep-')); });
after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

const cli = (...args) => spawnSync(process.execPath, ['examples/mnist.mjs', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });

test('two --sweep flags cross: 4 runs on 2 threads, a Markdown table, JSON lines with the same numbers', () => {
  const json = join(dir, 'runs.jsonl');
  const r = cli(...QUICK, '--sweep', 'activation=sigmoid,relu', '--sweep', 'lr=0.5,0.1', '--workers', '2', '--json', json);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /sweep activation=sigmoid,relu;lr=0\.5,0\.1: 4 runs on 2 worker thread\(s\)/);
  assert.match(r.stdout, /same data and batch order \(seed 1\); the same initial weights/);
  const table = r.stdout.split('\n').filter((l) => l.startsWith('|'));
  assert.equal(table.length, 6);
  assert.match(table[0], /^\| run \| test accuracy \| test loss \| best dev accuracy \| best dev loss \| epochs to target/);
  const labels = table.slice(2).map((l) => l.split('|')[1].trim());
  assert.deepEqual(labels, ['activation=sigmoid lr=0.5', 'activation=sigmoid lr=0.1', 'activation=relu lr=0.5', 'activation=relu lr=0.1']);
  const lines = readFileSync(json, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, 4);
  lines.forEach((l, i) => {
    assert.equal(l.label, labels[i]);
    assert.equal(l.sweep, 'activation=sigmoid,relu;lr=0.5,0.1');
    assert.ok(l.testAcc > 0 && l.testAcc <= 1);
    assert.equal(table[2 + i].split('|')[2].trim(), `${(100 * l.testAcc).toFixed(2)}%`, 'the table shows the JSON numbers');
  });
  assert.equal(new Set(lines.map((l) => l.initDigest)).size, 1, 'one initial net');
});

test('a sweep that changes the initial weights says so', () => {
  const r = cli(...QUICK, '--sweep', 'init=xavier_uniform,he_normal', '--workers', '1');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /not the same initial weights: init change\(s\) them/);
});

test('bad sweeps and combinations: one line, exit 2, nothing run', () => {
  const bad = [
    [['--sweep', 'colour=red,blue'], /--sweep: unknown setting 'colour'/],
    [['--sweep', 'lr=0.1'], /--sweep: lr: give 2 to 8 values/],
    [['--sweep', 'lr=0.1,0.2', '--sweep', 'lr=1,2'], /--sweep: lr is given twice/],
    [['--sweep', 'lr=0.1,0.2', '--save', join(dir, 'n.bin')], /--save cannot be used with --sweep/],
    [['--sweep', 'lr=0.1,0.2', '--workers', '0'], /--workers must be an integer in \[1, 64\], got '0'/],
  ];
  for (const [args, message] of bad) {
    const r = cli(...QUICK, ...args);
    assert.equal(r.status, 2, args.join(' '));
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(r.stderr, message);
  }
});
