// sweep.mjs: nnplay-train --sweep: the same net trained with one setting (or
// several, crossed) at several values, each run on a worker thread with its
// own engine (--workers, default: the cores), all from the same data and
// batch order (one seed) and, unless the sweep changes them, the same
// initial weights. Prints the page's results table (Markdown) at the end.
import { availableParallelism } from 'node:os';
import { appendFile } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { SweepPool } from '../web/js/shared/sweep/pool.js';
import { initDiffers, KEYS, parseSweep, planRuns, formatSweep } from '../web/js/shared/sweep/spec.js';
import { sortRows, toMarkdown } from '../web/js/shared/sweep/table.js';

/** What --sweep takes, for --help. */
export const SWEEP_RANGE = `setting=value,value[;setting=...], settings: ${Object.keys(KEYS).join(', ')}`;

/** A worker thread running sweep-worker.mjs, as an endpoint of pool.js. */
export function nodeEndpoint(simd) {
  const w = new Worker(new URL('./sweep-worker.mjs', import.meta.url), { workerData: { simd } });
  return {
    post: (m) => w.postMessage(m),
    onMessage: (fn) => {
      w.on('message', fn);
      w.on('error', (e) => fn({ type: 'error', message: e.message }));
    },
    terminate: () => { w.terminate(); },
  };
}

/** The plain arrays a worker needs: images as bytes (copied to each worker once). */
export { digitData as plainSets } from '../web/js/shared/sweep/runner.js';

/** Parses the --sweep values (SweepError on bad input) into run descriptions from the base one. */
export function sweepPlan(specs, base) {
  const axes = parseSweep(specs);
  return { axes, descs: planRuns(base, axes), differs: initDiffers(axes) };
}

/**
 * Runs the sweep on `workers` threads; `log(line)` gets progress. Resolves with [{result, weights}].
 * @param {object[]} descs
 * @param {object} data
 * @param {{ workers?: number, simd?: boolean, log?: (line: string) => void }} [options]
 */
export function runSweep(descs, data, { workers = availableParallelism(), simd = true, log = () => {} } = {}) {
  const pool = new SweepPool(() => nodeEndpoint(simd), Math.min(workers, descs.length));
  let finished = 0;
  return pool.run(descs, data, {
    onDone: (i, r) => log(`run ${++finished}/${descs.length} done: ${r.label}, test accuracy ${(100 * r.testAcc).toFixed(2)}%`
      + ` after ${r.epochs} epoch(s)${r.state === 'diverged' ? ' (diverged)' : ''}`),
  });
}

/** nnplay-train --sweep: plan, say what is shared, run, print the table, append JSON lines. */
export async function sweepMain(o, { base, data, simd, usage }) {
  let plan;
  try {
    plan = sweepPlan(o.sweep, base);
  } catch (e) {
    usage(`--sweep: ${e.message}`);
  }
  const { axes, descs, differs } = plan;
  const workers = Math.min(o.workers ?? availableParallelism(), descs.length);
  console.log(`sweep ${formatSweep(axes)}: ${descs.length} runs on ${workers} worker thread(s), ${o.epochs} epoch(s) each`);
  console.log(`same data and batch order (seed ${base.net.seed}); ${differs
    ? `not the same initial weights: ${differs.join(', ')} change(s) them` : 'the same initial weights'}`);
  const out = await runSweep(descs, data, { workers, simd, log: (l) => console.log(l) });
  const rows = out.map((r) => r.result);
  console.log(`\n${toMarkdown(o.sort ? sortRows(rows, o.sort, -1) : rows)}`);
  if (o.json) for (const r of rows) await appendFile(o.json, `${JSON.stringify({ sweep: formatSweep(axes), ...r })}\n`);
  return rows;
}
