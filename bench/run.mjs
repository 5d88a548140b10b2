// run.mjs: the benchmark runner behind `make bench`. In one Node process it
// sets up every engine (nnplay wasm SIMD and scalar, nnplay native, ConvNetJS,
// TF.js wasm and cpu), runs interleaved rounds (every engine runs every case
// once per round), then writes bench/results.json and BENCHMARKS.md. With
// --cases (a comma list, e.g. cnn-train) only those cases run, and the tables
// are printed instead of written, so the record of the full suite stays.
// Usage: node bench/run.mjs [--native build/bench/native] [--rounds 5] [--cases a,b]

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUDGET, CASES, MAX_BATCH, loadShared, selectCases } from './cases.mjs';
import { convnetRunners } from './engines/convnet.mjs';
import { nativeEngine } from './engines/native.mjs';
import { loadNNPlay, nnplayRunners } from './engines/nnplay.mjs';
import { tensorCount, tfjsRunners, useBackend, wasmVariant } from './engines/tfjs.mjs';
import { caseTables, keptNotes, machineInfo, renderReport } from './report.mjs';
import { pageSection, readPage } from './page.mjs';
import { readSweep, sweepSection } from './sweep.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WARMUP = 0.3;   // the warm-up round's share of the budgets

function parseArgs(argv) {
  const opts = { native: path.join(ROOT, 'build/bench/native'), rounds: 5, cases: CASES };
  for (let i = 0; i < argv.length; i += 2) {
    const [key, value] = [argv[i], argv[i + 1]];
    if (key === '--native' && value) opts.native = path.resolve(value);
    else if (key === '--rounds' && Number(value) >= 1) opts.rounds = Math.floor(Number(value));
    else if (key === '--cases' && value !== undefined) opts.cases = selectCases(value);
    else throw new Error(`usage: node bench/run.mjs [--native PATH] [--rounds N] [--cases a,b] (bad argument ${key})`);
  }
  return opts;
}

// A JS engine: runs its runners of the selected cases in turn after an
// optional hook; a case it has no runner for is left out.
function jsEngine(runners, before = async () => {}) {
  return {
    async round(budget, cases) {
      await before();
      return Object.fromEntries(cases.filter((c) => runners[c.id]).map((c) => [c.id, runners[c.id](budget)]));
    },
    async checks() { await before(); return runners.checks(); },
  };
}

// Every engine that sets up; the others are listed in `skipped` with the reason.
async function createEngines(opts, shared, simd) {
  const tfv = (name) => `TF.js ${shared.versions['@tensorflow/tfjs-core']} ${name}`;
  const specs = [
    ['nnplay-simd', 'nnplay wasm SIMD', async () => jsEngine(nnplayRunners(simd, shared))],
    ['nnplay-scalar', 'nnplay wasm scalar', async () => jsEngine(nnplayRunners(await loadNNPlay(false), shared))],
    ['nnplay-native', 'nnplay native', async () => nativeEngine(opts.native, shared)],
    ['convnetjs', `ConvNetJS ${shared.versions.convnetjs}`, async () => jsEngine(convnetRunners(shared))],
    ['tfjs-wasm', tfv('wasm'), async () => jsEngine(await tfjsRunners('wasm', shared), () => useBackend('wasm'))],
    ['tfjs-cpu', tfv('cpu'), async () => jsEngine(await tfjsRunners('cpu', shared), () => useBackend('cpu'))],
  ];
  const engines = [], labels = {}, skipped = {};
  for (const [id, label, create] of specs) {
    labels[id] = label;
    try {
      engines.push({ id, ...(await create()) });
    } catch (e) {
      skipped[id] = e.message;
      console.error(`bench: skipping ${label}: ${e.message}`);
    }
  }
  return { engines, labels, skipped };
}

// Drops an engine that failed mid-run, with its samples, and says why.
function dropEngine(engines, e, error, skipped, samples) {
  console.error(`bench: ${e.id} failed, dropped: ${error.message}`);
  skipped[e.id] = `failed: ${error.message}`;
  engines.splice(engines.indexOf(e), 1);
  e.free?.();
  for (const id of Object.keys(samples)) delete samples[id][e.id];
}

// One round; the engine order rotates by `shift` so no engine always goes first.
async function runRound(engines, budget, shift, ctx, label) {
  const order = engines.map((_, i) => engines[(i + shift) % engines.length]);
  for (const e of order) {
    const t0 = performance.now();
    let values;
    try {
      values = await e.round(budget, ctx.cases);
    } catch (error) {
      dropEngine(engines, e, error, ctx.skipped, ctx.samples);
      continue;
    }
    const ran = ctx.cases.filter((c) => values[c.id] !== undefined);
    if (ctx.record) for (const c of ran) (ctx.samples[c.id][e.id] ??= []).push(values[c.id]);
    if (ran.length) console.log(`${label} ${e.id.padEnd(14)} ${((performance.now() - t0) / 1000).toFixed(1)} s  `
      + ran.map((c) => `${c.id} ${Number(values[c.id]).toPrecision(4)}`).join('  '));
  }
  return order.map((e) => e.id);
}

function median(sorted) {
  const m = sorted.length >> 1;
  return sorted.length % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
}

// {case: {engine: {median, min, max, unit}}} from the per-round samples.
function summarise(samples, cases) {
  const round = (v) => Number(v.toPrecision(5));
  return Object.fromEntries(cases.map((c) => [c.id, Object.fromEntries(Object.entries(samples[c.id]).map(([id, vs]) => {
    const s = [...vs].sort((a, b) => a - b);
    return [id, { median: round(median(s)), min: round(s[0]), max: round(s[s.length - 1]), unit: c.unit }];
  }))]));
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const machine = machineInfo(ROOT);
  const simd = await loadNNPlay(true);
  const shared = { ...loadShared(simd), versions: machine.packages };
  const { engines, labels, skipped } = await createEngines(opts, shared, simd);
  const tfWasm = engines.some((e) => e.id === 'tfjs-wasm') ? await wasmVariant() : null;
  const warm = Object.fromEntries(Object.entries(BUDGET).map(([k, ms]) => [k, ms * WARMUP]));
  const { cases } = opts;
  const samples = Object.fromEntries(cases.map((c) => [c.id, {}]));
  await runRound(engines, warm, 0, { samples, skipped, cases, record: false }, 'warm-up');
  let order = [];
  for (let r = 0; r < opts.rounds; r++) {
    const ctx = { samples, skipped, cases, record: true };
    const o = await runRound(engines, BUDGET, r, ctx, `round ${r + 1}/${opts.rounds}`);
    if (r === 0) order = o;
  }
  const checks = {};
  for (const e of engines) checks[e.id] = await e.checks();
  engines.forEach((e) => e.free?.());
  console.log(`TF.js tensors alive at the end: ${tensorCount()}`);
  const results = summarise(samples, cases);
  if (cases.length < CASES.length) {
    console.log(`\n${caseTables(results, labels, checks, cases)}`);
    console.log('\n(only some cases ran: bench/results.json and BENCHMARKS.md were left as they were)');
    return;
  }
  writeFileSync(path.join(ROOT, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
  const file = path.join(ROOT, 'BENCHMARKS.md');
  const run = { rounds: opts.rounds, budget: BUDGET, warmup: WARMUP, maxBatch: MAX_BATCH, tfWasm, skipped, order };
  writeFileSync(file, renderReport({ results, checks, machine, run, labels, notes: keptNotes(file),
    page: [pageSection(readPage(ROOT)), sweepSection(readSweep(ROOT))].filter(Boolean).join('\n\n') }));
  console.log('wrote bench/results.json and BENCHMARKS.md');
}

main().catch((e) => {
  console.error(`bench: ${e.stack ?? e}`);
  process.exit(1);
});
