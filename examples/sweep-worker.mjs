// sweep-worker.mjs: one worker thread of nnplay-train --sweep: its own
// engine instance, serving the runs its parent gives it (web/js/shared/sweep/host.js).
import { parentPort, workerData } from 'node:worker_threads';
import { ERR_DIVERGED, load } from '../build/wasm/nnplay.mjs';
import { serve } from '../web/js/shared/sweep/host.js';

const handle = serve({
  load: () => load({ simd: workerData.simd }),
  isDiverged: (e) => e.code === ERR_DIVERGED,
  post: (m, transfer) => parentPort.postMessage(m, transfer),
});
parentPort.on('message', (m) => { handle(m); });
