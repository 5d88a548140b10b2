// local.js: the fallback endpoint of pool.js where module workers cannot
// start (the one-file page opened from file://, whose modules are inlined):
// the runs train one after another on the page's own engine, on the main
// thread, in slices of a few milliseconds between frames, through the same
// host.js as a worker. Slower than workers, never frozen.
import { serve } from './host.js';

/**
 * An endpoint on the engine `nn` of this thread. slice: milliseconds of
 * work per pause; pause(): waits for the next frame (a timer in Node).
 */
export function localEndpoint(nn, isDiverged, { slice = 8, pause } = {}) {
  let listener = () => {}, dead = false;
  const handle = serve({
    load: async () => nn, isDiverged, slice, alive: () => !dead,
    pause: pause ?? (() => new Promise((r) => (typeof requestAnimationFrame === 'function' ? requestAnimationFrame(() => r()) : setTimeout(r, 0)))),
    // a message out is delivered in a later task, as a worker's would be
    post: (m) => { if (!dead) setTimeout(() => listener(m), 0); },
  });
  let queue = Promise.resolve();
  return {
    post: (m) => { queue = queue.then(() => handle(m)); },
    onMessage: (fn) => { listener = fn; },
    // the run stops at its next pause; then the sets go
    terminate: () => { dead = true; queue = queue.then(() => handle({ type: 'close' })); },
  };
}
