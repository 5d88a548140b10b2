// nnplay-optim.mjs: optimisers on a plain parameter vector and the loss
// surfaces of the engine (engine/nn.h: nn_stepper, nn_surface_*). A Stepper
// owns one C nn_stepper and the wasm buffers its calls use (parameters, a
// gradient, a point and a trace grown when a longer slice is asked), so the
// Optimisers view's frames allocate nothing. The updates are the nets' own
// code. Every call checks its arguments and turns C statuses into Errors.

import {
  fail, lookup, number, numbers, options, describe, optimFields, optimOptions, SURFACES, LIMITS, ERR_DIVERGED,
} from './nnplay-names.mjs';
import { writeStruct, readStruct, sizeOf, areaLayout } from './nnplay-struct.mjs';

// the struct area of a stepper: an nn_optim, a status word, an update count
const AREA = areaLayout({ optim: sizeOf('nn_optim'), status: 4, done: 4 });
// the most updates one descend() makes (a trace of 1.25 MiB)
export const MAX_DESCEND = 65536;
// the most points one surface() call evaluates
const MAX_POINTS = 1 << 22;

export class Stepper {
  /**
   * An optimiser (a name or {name, lr, momentum, beta2, delta, decay,
   * biasCorrection}) for the parameters `params` (their count is the
   * stepper's size; the stepper keeps its own copy in wasm memory).
   * @param {import('./nnplay.mjs').NNPlay} nn
   */
  static create(nn, optimizer, params) {
    numbers(params, 'stepper: params');
    const n = number(params.length, 'stepper: number of params', { min: 1, max: LIMITS.NN_MAX_PARAMS, integer: true });
    const fields = optimFields(optimizer, 'stepper');
    const bias = biasOption(optimizer);
    const s = new Stepper(nn, n);
    try {
      s.area = nn.alloc(AREA.size);
      // x, the gradient and the look-ahead point: 3n floats
      s.buf = nn.alloc(3 * n * 4);
      writeStruct(nn.heap(), s.area + AREA.optim, 'nn_optim', fields);
      s.ptr = nn.m._nn_stepper_create(n, s.area + AREA.optim, s.area + AREA.status);
      if (!s.ptr) nn.check(nn.heap().i32[(s.area + AREA.status) >> 2], 'stepper');
      nn.check(nn.m._nn_stepper_set_bias_correction(s.ptr, bias ? 1 : 0), 'stepper');
    } catch (e) {
      s.free();
      throw e;
    }
    s.bias = bias;
    s.setParams(params);
    s.read();
    return s;
  }

  constructor(nn, n) {
    this.nn = nn;
    /** The number of parameters. */
    this.n = n;
    this.ptr = this.area = this.buf = this.trace = 0;
    this.traceRows = 0;
  }

  live() { if (!this.ptr) fail('stepper used after free()'); return this.ptr; }

  // this.optimizer from the C side
  read() {
    const p = this.area + AREA.optim;
    this.nn.m._nn_stepper_get_optimizer(this.ptr, p);
    this.optimizer = { ...optimOptions(readStruct(this.nn.heap(), p, 'nn_optim')), biasCorrection: this.bias };
  }

  f32(ptr, count) { return this.nn.heap().f32.subarray(ptr >> 2, (ptr >> 2) + count); }

  /** Updates since creation or reset. */
  get steps() { this.live(); return this.nn.m._nnw_stepper_steps(this.ptr); }

  /** The parameters: a view of wasm memory, made afresh on each call. */
  params() { this.live(); return this.f32(this.buf, this.n); }

  /** Sets the parameters (n finite numbers); the optimiser's state is kept. */
  setParams(values) {
    this.live();
    numbers(values, 'setParams', { length: this.n });
    this.params().set(values);
    return this;
  }

  /** Sets the optimiser; the same name keeps the state (momentum, moments, Adam's t). */
  setOptimizer(opt) {
    this.live();
    const fields = optimFields(opt, 'setOptimizer');
    const bias = biasOption(opt);
    const p = this.area + AREA.optim;
    writeStruct(this.nn.heap(), p, 'nn_optim', fields);
    this.nn.check(this.nn.m._nn_stepper_set_optimizer(this.ptr, p), 'setOptimizer');
    this.nn.check(this.nn.m._nn_stepper_set_bias_correction(this.ptr, bias ? 1 : 0), 'setOptimizer');
    this.bias = bias;
    this.read();
    return this;
  }

  /** Zero state and step count; the parameters stay. */
  reset() {
    this.nn.check(this.nn.m._nn_stepper_reset(this.live()), 'reset');
    return this;
  }

  /** Where the next gradient is to be taken: the parameters, or Nesterov's look-ahead (a copy). */
  lookahead() {
    const point = this.buf + 8 * this.n;
    this.nn.check(this.nn.m._nn_stepper_lookahead(this.live(), this.buf, point), 'lookahead');
    return this.f32(point, this.n).slice();
  }

  /**
   * One update with the gradient `grad` (n numbers, taken at lookahead()).
   * A gradient or update that is not finite throws ERR_DIVERGED and changes nothing.
   */
  step(grad) {
    this.live();
    // NaN and infinities are the engine's to refuse (as divergence); anything but numbers is ours
    if (Array.isArray(grad)) {
      if (grad.length !== this.n) fail(`step: grad has ${grad.length} values, ${this.n} expected`);
      const i = grad.findIndex((v) => typeof v !== 'number');
      if (i >= 0) fail(`step: grad[${i}] must be a number, got ${describe(grad[i])}`);
    } else {
      numbers(grad, 'step: grad', { length: this.n, scan: false });
    }
    const g = this.buf + 4 * this.n;
    this.f32(g, this.n).set(grad);
    this.nn.check(this.nn.m._nn_stepper_step(this.ptr, this.buf, g), 'step');
    return this;
  }

  /**
   * Up to `steps` updates on the loss surface `surface` (a stepper of 2
   * parameters), each with the gradient at its look-ahead point; `seed`
   * draws the noisy surface's noise. Returns {trace (a copy: x, y, value,
   * gx, gy per update), steps (made), diverged}: an update whose gradient,
   * point or value would not be finite is not made, and ends the slice.
   */
  descend(surface, steps, opts) {
    this.live();
    const { seed = 1 } = options(opts, 'descend');
    const kind = lookup(SURFACES, surface, 'surface');
    number(steps, 'descend: steps', { min: 0, max: MAX_DESCEND, integer: true });
    number(seed, 'descend: seed', { min: 0, max: LIMITS.UINT32_MAX, integer: true });
    if (this.n !== 2) fail(`descend: a surface has 2 parameters, this stepper ${this.n}`);
    const width = LIMITS.NN_TRACE_WIDTH;
    if (steps > this.traceRows) {
      this.nn.free(this.trace);
      this.trace = this.traceRows = 0;
      this.trace = this.nn.alloc(steps * width * 4);
      this.traceRows = steps;
    }
    const done = this.area + AREA.done;
    const rc = this.nn.m._nn_surface_descend(this.ptr, kind, this.buf, steps, seed >>> 0, this.trace, done);
    const made = this.nn.heap().i32[done >> 2];
    const diverged = rc === ERR_DIVERGED;
    if (!diverged) this.nn.check(rc, 'descend');
    return { trace: this.f32(this.trace, made * width).slice(), steps: made, diverged };
  }

  free() {
    for (const p of [this.area, this.buf, this.trace]) this.nn.free(p);
    if (this.ptr) this.nn.m._nn_stepper_free(this.ptr);
    this.ptr = this.area = this.buf = this.trace = 0;
  }
}

// biasCorrection: true (the default) or false; a stepper's own option
function biasOption(opt) {
  const b = typeof opt === 'object' && opt !== null ? opt.biasCorrection : undefined;
  if (b !== undefined && typeof b !== 'boolean') fail(`biasCorrection must be true or false, got ${String(b)}`);
  return b ?? true;
}

/**
 * Values and gradients of `surface` at the points xy (x0, y0, x1, y1, ...;
 * a float typed array is taken as it is). Options: gradient (default true),
 * seed and draw (the noisy surface's noise, the same for every point).
 */
export function surfaceValues(nn, surface, xy, opts) {
  const { gradient = true, seed = 1, draw = 0 } = options(opts, 'surface');
  const kind = lookup(SURFACES, surface, 'surface');
  numbers(xy, 'surface: xy', { scan: false });
  const n = xy.length / 2;
  if (!Number.isInteger(n)) fail(`surface: xy holds ${xy.length} values, not pairs`);
  number(n, 'surface: points', { min: 0, max: MAX_POINTS, integer: true });
  number(seed, 'surface: seed', { min: 0, max: LIMITS.UINT32_MAX, integer: true });
  number(draw, 'surface: draw', { min: 0, max: LIMITS.UINT32_MAX, integer: true });
  if (n === 0) return { value: new Float32Array(0), grad: gradient ? new Float32Array(0) : null };
  const px = nn.scratch(n * 16), pv = px + n * 8, pg = pv + n * 4;
  const h = nn.heap();
  h.f32.set(xy, px >> 2);
  nn.check(nn.m._nn_surface_eval(kind, px, n, seed >>> 0, draw >>> 0, pv, gradient ? pg : 0), 'surface');
  const f32 = nn.heap().f32;
  return { value: f32.slice(pv >> 2, (pv >> 2) + n), grad: gradient ? f32.slice(pg >> 2, (pg >> 2) + 2 * n) : null };
}
