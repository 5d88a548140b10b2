// nnplay-inspect.mjs: what the Net class (nnplay-net.mjs) reads out of a
// net for drawing and for keeping its best weights: every layer's outputs
// for given inputs, their RGBA maps in one engine call, and a snapshot of
// the parameters and batch-norm statistics that restore() puts back.
import { fail, lookup, numbers, describe, COLOR_MODES, palette } from './nnplay-names.mjs';

/** Outputs of every layer for inputs x: an array of Float32Array (n * width_k). */
export function activations(net, x) {
  net.live();
  const width = net.nn.m._nn_activation_width(net.ptr);
  const widths = net.layers().map((l) => l.outputs);
  const rows = x && typeof x.length === 'number' ? Math.floor(x.length / net.inputs) : 0;
  const out = widths.map((w) => new Float32Array(rows * w));
  net.ioRun(x, width, 'activations', (px, n, po) => net.nn.m._nn_activations(net.ptr, px, n, po), (po, row, n) => {
    const f32 = net.nn.heap().f32;
    let at = po >> 2;
    widths.forEach((w, k) => {
      out[k].set(f32.subarray(at, at + n * w), row * w);
      at += n * w;
    });
  });
  return out;
}

/**
 * Maps of the units of chosen layers over the inputs x, in one engine call:
 * `modes` has one entry per layer (layers()), a colour mode ('signed',
 * 'probability', 'scaled', 'class'; see NNPlay.colorize) or null for a
 * layer not drawn. The last layer is coloured after the output function.
 * Returns RGBA pixels (Uint8ClampedArray over wasm memory, valid until the
 * next call that returns pixels): a tile of n pixels per unit (one per
 * 'class' layer), in layer then unit order.
 */
export function activationPixels(net, x, { modes, discrete = false, palette: pal } = {}) {
  net.live();
  numbers(x, 'activationPixels: x', { scan: false });
  const n = x.length / net.inputs;
  if (!Number.isInteger(n)) fail(`activationPixels: x has ${x.length} values, not a multiple of ${net.inputs} inputs`);
  const count = net.nn.m._nn_layer_count(net.ptr);
  if (!Array.isArray(modes) || modes.length !== count) fail(`activationPixels: modes must have one entry per layer (${count})`);
  const codes = modes.map((m) => (m === null ? -1 : lookup(COLOR_MODES, m, 'colour mode')));
  const entries = palette(pal, 'activationPixels');
  const width = net.nn.m._nn_activation_width(net.ptr);
  // how many pixels: the engine's count (nn_pixel_count), from the modes in wasm memory
  const mp = net.nn.alloc(count * 4);
  let pixels;
  try {
    net.nn.heap().i32.set(codes, mp >> 2);
    pixels = net.nn.m._nn_pixel_count(net.ptr, n, mp);
  } finally {
    net.nn.free(mp);
  }
  if (pixels < 0) net.nn.check(pixels, 'activationPixels');
  // x, the activations, the modes, the palette, then the pixels
  const sizes = [x.length * 4, n * width * 4, count * 4, pal.length];
  const at = sizes.reduce((a, b) => [...a, a[a.length - 1] + b], [0]);
  const base = net.nn.scratch(at[4] + pixels * 4);
  const h = net.nn.heap();
  h.f32.set(x, base >> 2);
  h.i32.set(codes, (base + at[2]) >> 2);
  h.u8.set(pal, base + at[3]);
  net.nn.check(net.nn.m._nn_activation_pixels(net.ptr, base, n, base + at[1], base + at[2], discrete ? 1 : 0,
    base + at[3], entries, base + at[4]), 'activationPixels');
  return new Uint8ClampedArray(net.nn.heap().u8.buffer, base + at[4], pixels * 4);
}

/** Values in a snapshot: every parameter, then each batch-norm layer's running mean and variance. */
export function snapshotSize(net) {
  return net.params().length + net.bnRunning().reduce((a, [, , c]) => a + 2 * c, 0);
}

/**
 * A copy of what the net's predictions depend on: every parameter and the
 * batch-norm running statistics (not the optimiser state or the step
 * count), into `into` (a Float32Array of snapshotSize values, reused: no
 * allocation) or a new array. restore() puts it back.
 */
export function snapshot(net, into) {
  const params = net.params(), size = snapshotSize(net);
  if (into !== undefined && !(into instanceof Float32Array && into.length === size)) {
    fail(`snapshot: into must be a Float32Array of ${size} values (snapshotSize), got ${describe(into)}`);
  }
  const out = into ?? new Float32Array(size);
  out.set(params);
  let at = params.length;
  const f32 = net.nn.heap().f32;
  for (const [mean, variance, c] of net.bnRunning()) {
    out.set(f32.subarray(mean >> 2, (mean >> 2) + c), at);
    out.set(f32.subarray(variance >> 2, (variance >> 2) + c), at + c);
    at += 2 * c;
  }
  return out;
}

/**
 * Writes back a snapshot of this net (or one of the same architecture): it
 * then predicts and evaluates exactly as when the snapshot was taken. The
 * optimiser state and step count are kept; training goes on from there.
 * Checked first (length, finite values, variances >= 0): a bad snapshot
 * changes nothing.
 */
export function restore(net, snap) {
  const params = net.params(), size = snapshotSize(net), bn = net.bnRunning();
  if (!(snap instanceof Float32Array)) fail(`restore: expected a Float32Array from snapshot(), got ${describe(snap)}`);
  numbers(snap, 'restore: snapshot', { length: size });
  let at = params.length;
  for (const [, , c] of bn) {
    for (let i = at + c; i < at + 2 * c; i++) if (!(snap[i] >= 0)) fail(`restore: snapshot[${i}] is a negative variance`);
    at += 2 * c;
  }
  params.set(snap.subarray(0, params.length));
  at = params.length;
  const f32 = net.nn.heap().f32;
  for (const [mean, variance, c] of bn) {
    f32.set(snap.subarray(at, at + c), mean >> 2);
    f32.set(snap.subarray(at + c, at + 2 * c), variance >> 2);
    at += 2 * c;
  }
  return net;
}
