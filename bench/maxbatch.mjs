// maxbatch.mjs: how nnplay's maxBatch (the predict chunk size) affects the
// benchmark cases, to choose MAX_BATCH in bench/cases.mjs. Not part of
// `make bench`; run `node bench/maxbatch.mjs` after `make wasm`. Interleaved
// rounds as in run.mjs; prints the median per case and maxBatch.

import { BUDGET, CASES, loadShared } from './cases.mjs';
import { loadNNPlay, nnplayRunners } from './engines/nnplay.mjs';

const CHOICES = { '2d': [64, 256, 1024, 4096, 16384], mnist: [64, 256, 1000, 2000] };
const ROUNDS = 3;

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[s.length >> 1];
}

async function main() {
  const nn = await loadNNPlay(true);
  const shared = loadShared(nn);
  // one runner set per (2D choice, MNIST choice) pair, paired by position
  const n = Math.max(CHOICES['2d'].length, CHOICES.mnist.length);
  const configs = Array.from({ length: n }, (_, i) => ({
    '2d': CHOICES['2d'][Math.min(i, CHOICES['2d'].length - 1)],
    mnist: CHOICES.mnist[Math.min(i, CHOICES.mnist.length - 1)],
  }));
  const runners = configs.map((maxBatch) => nnplayRunners(nn, shared, maxBatch));
  const samples = configs.map(() => Object.fromEntries(CASES.map((c) => [c.id, []])));
  for (let r = 0; r < ROUNDS; r++) {
    runners.forEach((run, i) => CASES.forEach((c) => samples[i][c.id].push(run[c.id](BUDGET))));
  }
  console.log(`maxBatch (2D / MNIST)  ${CASES.map((c) => `${c.id} (${c.unit})`).join('  ')}`);
  configs.forEach((cfg, i) => {
    const cells = CASES.map((c) => median(samples[i][c.id]).toPrecision(4));
    console.log(`${cfg['2d']} / ${cfg.mnist}  ${cells.join('  ')}`);
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
