// nnplay-flow.mjs: the gradient-flow calls of the Net class (engine/flow.c,
// "Gradient flow" in engine/nn.h): tracking what each training step changes
// per layer, and the saturated (sigmoid, tanh) and dead (ReLU) units of the
// activation layers over a set. Net (nnplay-net.mjs) calls these with itself;
// every argument is checked here and every C status becomes an Error there.

import { fail, number, numbers, options, describe, LIMITS } from './nnplay-names.mjs';
import { writeStruct, sizeOf } from './nnplay-struct.mjs';

/** The slope below which a unit counts as saturated, as a share of its largest (nn.h's NN_SATURATION_PERCENT). */
export const SATURATION = LIMITS.NN_SATURATION_PERCENT / 100;

/** Turns the recording of update norms on or off (off frees its buffer). */
export function trackUpdates(net, on) {
  if (typeof on !== 'boolean') fail(`trackUpdates: on must be true or false, got ${describe(on)}`);
  net.nn.check(net.nn.m._nn_set_track_updates(net.live(), on ? 1 : 0), 'trackUpdates');
}

/** Whether the net records update norms. */
export function tracking(net) {
  return net.nn.m._nn_get_track_updates(net.live()) === 1;
}

/**
 * Per layer (as layers()): the parameters' norm before the last tracked step,
 * the norm of the change it made, and their ratio; zeros before the first
 * tracked step and for layers without parameters.
 */
export function updateNorms(net) {
  const m = net.nn.m, count = m._nn_layer_count(net.live());
  const p = net.ioBuffer(count * 12);
  net.nn.check(m._nn_update_norms(net.ptr, p, p + count * 4, p + count * 8), 'updateNorms');
  const f = net.nn.heap().f32, at = p >> 2;
  return { paramNorms: f.slice(at, at + count), updateNorms: f.slice(at + count, at + 2 * count),
    ratios: f.slice(at + 2 * count, at + 3 * count) };
}

/**
 * Per layer (as layers()), over the inputs of `data` (a Data of this
 * instance, or inputs x as an array of n * inputs numbers): `saturated`, the
 * share of sigmoid or tanh outputs whose slope is below `slope` (default
 * SATURATION) times its largest; `dead`, the share of ReLU units that output
 * 0 for every example; null where the measure does not apply.
 */
export function unitStats(net, data, opts) {
  const { slope = SATURATION } = options(opts, 'unitStats');
  number(slope, 'unitStats: slope', { above: 0 });
  if (slope >= 1) fail(`unitStats: slope must be a finite number in (0, 1), got ${slope}`);
  const nn = net.nn, m = nn.m, count = m._nn_layer_count(net.live());
  const own = data && data.ptr !== undefined && data.nn === nn;
  let rows, x = null;
  if (own) {
    data.live();
    if (data.dims !== net.inputs) fail(`unitStats: data have ${data.dims} inputs, the net ${net.inputs}`);
    rows = data.n;
  } else {
    x = numbers(data, 'unitStats: x');
    rows = x.length / net.inputs;
    if (!Number.isInteger(rows)) fail(`unitStats: x has ${x.length} values, not a multiple of ${net.inputs} inputs`);
  }
  if (rows < 1) fail('unitStats: the data set is empty');
  // the outputs, then (for plain inputs) an nn_data and the inputs
  const dataBytes = own ? 0 : sizeOf('nn_data') + x.length * 4;
  const p = nn.alloc(count * 8 + dataBytes);
  try {
    const dp = own ? data.ptr : p + count * 8;
    if (!own) {
      const px = dp + sizeOf('nn_data');
      nn.heap().f32.set(x, px >> 2);
      writeStruct(nn.heap(), dp, 'nn_data', { x: px, y: 0, label: 0, n: rows, dx: net.inputs, dy: 0, x8: 0, x8_scale: 0, y_is_x: 0 });
    }
    nn.check(m._nn_unit_stats(net.ptr, dp, slope, p, p + count * 4), 'unitStats');
    const f = nn.heap().f32, at = p >> 2;
    const read = (o) => Array.from(f.subarray(at + o, at + o + count), (v) => (Number.isNaN(v) ? null : v));
    return { saturated: read(0), dead: read(count), slope };
  } finally {
    nn.free(p);
  }
}
