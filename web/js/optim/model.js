// model.js: the Optimisers view's model. One Run per optimiser shown, each
// an engine Stepper (nn.stepper: the nets' own update code) descending the
// surface a slice per frame (descend: one call into C per run), with its
// path, values, step lengths and gradients kept for drawing; the Race moves
// the runs together, one at a time or step by step, and keeps the curves'
// rows. Divergence is what the engine reports (a slice that stops on a value
// that is not finite): that run stops at its last finite point, the others
// go on. No DOM.
import { RUNS, FLOOR } from './presets.js';

/** The stepper options of `run` (a row of RUNS) from the view's settings. */
export function runOptions(run, settings) {
  const o = { name: run.name, biasCorrection: run.biasCorrection ?? true };
  for (const [setting, option] of run.params) o[option] = settings[setting];
  return o;
}

/** One optimiser's run from the start point: its stepper and everything it went through. */
export class Run {
  constructor(nn, spec, settings) {
    this.spec = spec;
    this.id = spec.id;
    this.stepper = nn.stepper(runOptions(spec, settings), [settings.x, settings.y]);
    const n = settings.iters + 1;
    // point k, value k, step length k (from point k - 1) and the gradient update k used
    this.path = new Float32Array(2 * n);
    this.values = new Float32Array(n);
    this.steps = new Float32Array(n);
    this.grads = new Float32Array(2 * n);
    this.iters = settings.iters;
    this.lr = runOptions(spec, settings).lr;
  }

  /** Back to the start (x, y), where the surface's value is f0. */
  reset(x, y, f0) {
    this.stepper.reset().setParams([x, y]);
    this.path[0] = x;
    this.path[1] = y;
    this.values[0] = f0;
    this.steps[0] = NaN;
    this.count = 0;
    this.recorded = 0;
    this.diverged = false;
  }

  get finished() { return this.diverged || this.count >= this.iters; }

  /** Up to k updates on `surface`; returns how many were made. */
  advance(k, surface, seed) {
    const want = Math.min(k, this.iters - this.count);
    if (want <= 0 || this.diverged) return 0;
    const { trace, steps, diverged } = this.stepper.descend(surface, want, { seed });
    for (let i = 0; i < steps; i++) {
      const at = this.count + 1 + i, row = 5 * i;
      this.path[2 * at] = trace[row];
      this.path[2 * at + 1] = trace[row + 1];
      this.values[at] = trace[row + 2];
      this.grads[2 * at] = trace[row + 3];
      this.grads[2 * at + 1] = trace[row + 4];
      this.steps[at] = Math.hypot(trace[row] - this.path[2 * at - 2], trace[row + 1] - this.path[2 * at - 1]);
    }
    this.count += steps;
    if (diverged) this.diverged = true;
    return steps;
  }

  free() { this.stepper.free(); }
}

/** The runs of one setting: the surface, the start, the optimisers shown and how they move. */
export class Race {
  constructor(nn) {
    this.nn = nn;
    this.runs = [];
  }

  /** Builds the runs of `settings` (the view's state) and puts them at the start. */
  setup(settings) {
    this.free();
    this.settings = settings;
    this.surface = settings.surface;
    this.runs = RUNS.filter((r) => settings.optimizers.includes(r.id)).map((spec) => new Run(this.nn, spec, settings));
    this.restart();
  }

  /** A new start point (a drag): every run starts again from it. */
  moveStart(x, y) {
    this.settings = { ...this.settings, x, y };
    this.restart();
  }

  /** Every run back to the start point. */
  restart() {
    const { x, y } = this.settings;
    this.f0 = this.nn.surface(this.surface, [x, y], { gradient: false }).value[0];
    for (const r of this.runs) r.reset(x, y, this.f0);
    this.lossRows = [];
    this.stepRows = [];
    this.record();
  }

  /** The run that moves in 'one' mode: the first one not finished (null at the end). */
  get current() { return this.runs.find((r) => !r.finished) ?? null; }

  get finished() { return this.runs.every((r) => r.finished); }

  /** The most iterations any run has made. */
  get iteration() { return Math.max(0, ...this.runs.map((r) => r.count)); }

  /** k iterations: of every run (race, step) or of the current one (one at a time); returns the updates made. */
  advance(k, mode) {
    const movers = mode === 'one' ? [this.current].filter(Boolean) : this.runs;
    let made = 0;
    for (const r of movers) made += r.advance(k, this.surface, this.settings.seed);
    this.record();
    return made;
  }

  // the curves' rows: row k holds each run's value (and step length) after k updates, floored for the log scale
  record() {
    for (const r of this.runs) {
      for (let k = r.recorded; k <= r.count; k++) {
        const loss = this.lossRows[k] ??= { step: k }, step = this.stepRows[k] ??= { step: k };
        loss[r.id] = Math.max(FLOOR, r.values[k]);
        step[r.id] = k ? Math.max(FLOOR, r.steps[k]) : NaN;
      }
      r.recorded = r.count + 1;
    }
  }

  free() {
    for (const r of this.runs) r.free();
    this.runs = [];
  }
}
