// host.js: the worker side of a sweep, the same in a Web Worker, a Node
// worker thread and the page's main thread (the fallback). Messages in:
// {type: 'data', data} once (the sets, copied into this engine's memory and
// then dropped), then {type: 'run', id, desc}, one at a time. Messages out:
// {type: 'point', id, point} as the run records, {type: 'done', id, result,
// weights} at its end, {type: 'error', id, message} when it cannot run;
// {type: 'close'} frees the sets (a worker that ends frees everything anyway).
import { freeSets, makeSets, SweepRun } from './runner.js';

/**
 * A message handler for one engine instance. load(): the engine (awaited
 * once); isDiverged(e); post(message, transfer); slice: milliseconds of
 * work between yields; pause(): a promise that yields to the thread's
 * other work (messages, or the page's frames); alive(): false stops the
 * run at the next pause (its net freed, nothing more posted).
 */
export function serve({ load, isDiverged, post, slice = 50, pause = () => new Promise((r) => setTimeout(r, 0)),
  alive = () => true }) {
  let nn = null, sets = null;
  const engine = load().then((e) => { nn = e; });
  return async (msg) => {
    await engine;
    if (msg.type === 'data' || msg.type === 'close') {
      if (sets) freeSets(sets);
      sets = msg.type === 'data' ? makeSets(nn, msg.data, msg.quick) : null;
      return;
    }
    if (msg.type !== 'run') return;
    let run = null;
    try {
      if (!sets) throw new Error('no data before the run');
      run = new SweepRun(nn, sets, msg.desc, isDiverged);
      while (!run.done) {
        for (const point of run.step(slice)) post({ type: 'point', id: msg.id, point });
        await pause();
        if (!alive()) return;
      }
      const weights = run.firstLayer();
      post({ type: 'done', id: msg.id, result: run.result(), weights }, [weights.W.buffer]);
    } catch (e) {
      post({ type: 'error', id: msg.id, message: e.message });
    } finally {
      run?.free();
    }
  };
}
