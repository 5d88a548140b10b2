// pool.js: spreads a sweep's runs over workers, one engine instance each,
// in the page (module Web Workers) and in Node (worker threads). A worker is
// an endpoint {post(message), onMessage(fn), terminate()}: spawn makes one.
// Each worker gets the data once, then runs one run at a time, the next
// waiting run as soon as it is free. Results come back in run order.

export class SweepPool {
  /** spawn(): a new endpoint; size: how many at most (never more than runs). */
  constructor(spawn, size) {
    this.spawn = spawn;
    this.size = Math.max(1, size);
    this.endpoints = [];
  }

  /**
   * Runs every description on the data; onPoint(i, point) and onDone(i,
   * result, weights) as they come; quick: the examples of an estimate
   * between epoch ends (runner.js makeSets). Resolves with [{result,
   * weights}] in run order; rejects on the first run that fails (the others stop).
   * @param {object[]} descs
   * @param {object} data
   * @param {{ onPoint?: (i: number, point: any) => void, onDone?: (i: number, result: any, weights: any) => void,
   *   quick?: number }} [handlers]
   * @returns {Promise<{ result: any, weights: any }[]>}
   */
  run(descs, data, { onPoint = () => {}, onDone = () => {}, quick } = {}) {
    const out = new Array(descs.length);
    let next = 0, finished = 0;
    return new Promise((resolve, reject) => {
      if (!descs.length) { resolve(out); return; }
      const give = (ep) => {
        if (next >= descs.length) return;
        const id = next++;
        ep.post({ type: 'run', id, desc: descs[id] });
      };
      const count = Math.min(this.size, descs.length);
      for (let k = 0; k < count; k++) {
        const ep = this.spawn();
        this.endpoints.push(ep);
        ep.onMessage((m) => {
          if (m.type === 'point') onPoint(m.id, m.point);
          else if (m.type === 'error') {
            this.terminate();
            reject(new Error(`${descs[m.id]?.label ?? 'a worker'}: ${m.message}`));
          } else if (m.type === 'done') {
            out[m.id] = { result: m.result, weights: m.weights };
            onDone(m.id, m.result, m.weights);
            if (++finished === descs.length) { this.terminate(); resolve(out); } else give(ep);
          }
        });
        ep.post({ type: 'data', data, quick });
        give(ep);
      }
    });
  }

  /** Ends every worker (a sweep stopped, or done). */
  terminate() {
    this.endpoints.forEach((ep) => ep.terminate());
    this.endpoints = [];
  }
}
