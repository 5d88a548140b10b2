// sweep.mjs: `make bench BENCH_CASES=sweep`: how much a sweep gains from
// worker threads. The same run (the MNIST MLP 784-120-80-10 sigmoid, SGD,
// batch 64, on the first 20,000 training digits, training only) alone on one
// worker, then N copies (N = 2 and 4) spread over 2 and 4 workers, through
// the CLI's pool (examples/sweep.mjs, one engine per thread): total samples/s
// is every run's samples over the wall time from the pool's start (workers
// starting and the data copied to each included) to the last run's end; the
// ratio is against the one run alone. Interleaved rounds, medians; the load
// average is recorded, as the machine may be shared. Writes bench/sweep.json
// and its section of BENCHMARKS.md (before the Notes).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadMnist, nodeReader, PIXELS, SCALE } from '../web/js/mnist.js';
import { digitData } from '../web/js/shared/sweep/runner.js';
import { runSweep } from '../examples/sweep.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HEAD = '## Sweep: runs in parallel on worker threads';
const DIGITS = 20000, EPOCHS = 2, ROUNDS = 5;
const BASE = { net: { inputs: PIXELS, outputs: 10, output: 'softmax', maxBatch: 64, layers: [{ units: 120 }, { units: 80 }],
  activation: 'sigmoid', optimizer: { name: 'sgd', lr: 0.5 }, seed: 1 }, batch: 64, epochs: EPOCHS, records: 1, target: null };
// [runs, workers]
const SETUPS = [[1, 1], [2, 2], [4, 2], [4, 4]];

/** Total samples/s of `runs` copies of the run on `workers` threads. */
async function measure(data, runs, workers) {
  const descs = Array.from({ length: runs }, (_, i) => ({ ...structuredClone(BASE), label: `copy ${i + 1}` }));
  const t0 = performance.now();
  const out = await runSweep(descs, data, { workers });
  const seconds = (performance.now() - t0) / 1000;
  const samples = out.reduce((a, o) => a + o.result.epochs * DIGITS, 0);
  return { total: samples / seconds, perRun: out.map((o) => o.result.samplesPerSecond) };
}

const median = (v) => { const s = [...v].sort((a, b) => a - b), m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

/** The section of BENCHMARKS.md for a bench/sweep.json record, or '' for none. */
export function sweepSection(r) {
  if (!r) return '';
  const row = (cells) => `| ${cells.join(' | ')} |`, n = (v) => Math.round(v).toLocaleString('en-US');
  return [HEAD, '',
    `The MNIST MLP (784-120-80-10 sigmoid, SGD 0.5, batch 64) trained for ${r.epochs} epochs on the first`
    + ` ${r.digits.toLocaleString('en-US')} training digits, training only, by \`nnplay-train --sweep\`'s pool (bench/sweep.mjs):`
    + ' one run alone on one worker thread, then N copies over W workers, each with its own engine. Total samples/s is all'
    + " runs' samples over the wall time from the pool's start (workers starting and the data copied in included) to the last"
    + ` run's end; medians of ${r.rounds} interleaved rounds, measured on ${r.date} (${r.cpu}, ${r.cores} cores, 1-minute load`
    + ` ${r.load.join(' → ')} over the measure). Target: ≥ 1.8× one run alone with N runs on 2 cores.`,
    '', row(['runs', 'workers', 'total samples/s', 'min – max', '× one run alone', 'samples/s of each run (median)']),
    row(['---:', '---:', '---:', '---:', '---:', '---:']),
    ...r.setups.map((s) => row([s.runs, s.workers, n(s.total), `${n(s.min)} – ${n(s.max)}`, `${s.ratio.toFixed(2)}×`, n(s.perRun)])),
    '', r.note].join('\n');
}

/** bench/sweep.json, or null when never measured. */
export function readSweep(root = ROOT) {
  const file = path.join(root, 'bench/sweep.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
}

async function main() {
  const mnist = await loadMnist(await nodeReader(path.join(ROOT, 'web/data/mnist')));
  const data = digitData({ train: mnist.train, dev: null, test: null }, PIXELS, SCALE, DIGITS);
  const load0 = loadavg()[0];
  await measure(data, 1, 1);
  const samples = SETUPS.map(() => ({ total: [], perRun: [] }));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, [runs, workers]] of SETUPS.entries()) {
      const m = await measure(data, runs, workers);
      samples[i].total.push(m.total);
      samples[i].perRun.push(...m.perRun);
      console.log(`round ${round + 1}/${ROUNDS}: ${runs} run(s) on ${workers} worker(s): ${Math.round(m.total)} samples/s`);
    }
  }
  const alone = median(samples[0].total);
  const setups = SETUPS.map(([runs, workers], i) => ({ runs, workers, total: median(samples[i].total),
    min: Math.min(...samples[i].total), max: Math.max(...samples[i].total),
    ratio: median(samples[i].total) / alone, perRun: median(samples[i].perRun) }));
  const load = [load0, loadavg()[0]].map((v) => v.toFixed(2));
  // the load before the measure says whether others share the machine (the
  // bench's own threads raise the average while it runs)
  const busy = load0 > 0.5 * availableParallelism();
  const best2 = Math.max(...setups.filter((x) => x.workers === 2 && x.runs >= 2).map((x) => x.ratio));
  const record = { date: new Date().toISOString().slice(0, 10), cpu: cpus()[0]?.model ?? 'unknown', cores: availableParallelism(),
    digits: DIGITS, epochs: EPOCHS, rounds: ROUNDS, load, setups,
    note: busy ? `The machine was shared with other work while this ran (1-minute load ${load.join(' → ')} on`
      + ` ${availableParallelism()} cores): the runs got whatever share of the cores the other processes left, which changed`
      + ' from second to second (min – max), so these ratios do not measure the speed-up of parallel runs and say nothing'
      + ' about the target either way; run `make bench BENCH_CASES=sweep` on an idle machine for that.'
      : `The machine was idle when this started (the load then rose with the bench's own threads). With N runs on 2 cores the`
        + ` total reaches ${best2.toFixed(2)}× one run alone: the ≥ 1.8× target is ${best2 >= 1.8 ? 'met' : '**missed**'}. Ratios`
        + " above 2× with 4 runs come from the pool's fixed costs (workers starting, the digits copied to each), which one run"
        + ' alone pays for fewer samples.' };
  writeFileSync(path.join(ROOT, 'bench/sweep.json'), `${JSON.stringify(record, null, 2)}\n`);
  const file = path.join(ROOT, 'BENCHMARKS.md'), text = readFileSync(file, 'utf8');
  const section = `${sweepSection(record)}\n\n`, at = text.indexOf(`${HEAD}\n`);
  const next = (from) => { const i = text.indexOf('\n## ', from); return i < 0 ? text.length : i + 1; };
  writeFileSync(file, at >= 0 ? text.slice(0, at) + section + text.slice(next(at + 1)) : text.replace(/^## Notes\n/m, `${section}## Notes\n`));
  console.log(`\n${sweepSection(record)}\n\nwrote bench/sweep.json and the sweep section of BENCHMARKS.md`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => { console.error(`bench sweep: ${e.stack ?? e}`); process.exit(1); });
}
