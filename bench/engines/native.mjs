// engines/native.mjs: the native build as a benchmark engine. The program
// (bench/native.c, built by `make bench`) is spawned once per round and runs
// the selected cases once; MNIST reaches it as raw float32/int32 files
// written here.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MAX_BATCH } from '../cases.mjs';

function writeRaw(dir, name, array) {
  const file = path.join(dir, name);
  writeFileSync(file, new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  return file;
}

function parseLine(stdout, bin) {
  const line = stdout.trim().split('\n').pop();
  try {
    return JSON.parse(line);
  } catch {
    throw new Error(`${bin} printed no JSON line: ${JSON.stringify(stdout.slice(0, 200))}`);
  }
}

/** The native engine: round(budget) -> {case: value}, checks(), free(). */
export function nativeEngine(bin, shared) {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: build it with \`make bench\``);
  const dir = mkdtempSync(path.join(tmpdir(), 'nnplay-bench-'));
  const { train, test } = shared.mnist;
  const files = [
    `train-x=${writeRaw(dir, 'train-x.f32', train.x)}`,
    `train-labels=${writeRaw(dir, 'train-labels.i32', train.labels)}`,
    `test-x=${writeRaw(dir, 'test-x.f32', test.x)}`,
    `test-labels=${writeRaw(dir, 'test-labels.i32', test.labels)}`,
    `max-batch-2d=${MAX_BATCH['2d']}`, `max-batch-mnist=${MAX_BATCH.mnist}`,
  ];
  let last = {};
  const free = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', free);   // also when the run fails
  return {
    round(budget, cases) {
      const args = [...files, `train-ms=${budget.train}`, `eval-ms=${budget.predict}`, `cnn-ms=${budget.cnn}`,
        `cases=${cases.map((c) => c.id).join(',')}`];
      const r = spawnSync(bin, args, { encoding: 'utf8' });
      if (r.error) throw r.error;
      if (r.status !== 0) throw new Error(`${bin} exited with ${r.status}: ${r.stderr.trim()}`);
      const { checks, ...values } = parseLine(r.stdout, bin);
      last = checks ?? {};
      return Object.fromEntries(cases.filter((c) => values[c.id] !== undefined).map((c) => [c.id, values[c.id]]));
    },
    checks: () => last,
    free,
  };
}
