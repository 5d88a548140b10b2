// worker.js: a module Web Worker of the experiments panel: its own engine
// instance (web/lib), serving the runs the page gives it (host.js).
import { ERR_DIVERGED, load } from '../../../lib/nnplay.mjs';
import { serve } from './host.js';

const handle = serve({
  load: () => load(),
  isDiverged: (e) => e.code === ERR_DIVERGED,
  post: (m, transfer) => self.postMessage(m, transfer),
});
self.onmessage = (e) => { handle(e.data); };
