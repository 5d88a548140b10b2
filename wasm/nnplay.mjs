// nnplay.mjs: the JavaScript API of the nnplay engine, in Node and the browser.
// It wraps the emcc-built wasm module (build/wasm/nnplay-*.mjs) in classes
// (NNPlay, Net, Data, Stepper), turns every non-zero C status into a thrown Error in
// one helper, and gives typed-array views of wasm memory through one helper
// that re-creates them after memory growth. Structs, names and limits come
// from the generated nnplay-abi.mjs, checked against the build at load.
// No DOM access.

import { ABI } from './nnplay-abi.mjs';
import {
  NNPlayError, fail, lookup, number, numbers, options, describe, ACTIVATIONS, LOSSES, OPTIMIZERS, INITS,
  DATASETS, STREAMS, STATUS, LIMITS, COLOR_MODES, SURFACES, palette,
} from './nnplay-names.mjs';
import { writeStruct, readField, sizeOf } from './nnplay-struct.mjs';
import { Net } from './nnplay-net.mjs';
import { Stepper, surfaceValues } from './nnplay-optim.mjs';
import * as codes from './nnplay-codes.mjs';

export { NNPlayError, Net, Stepper };
export { ERR_DIVERGED } from './nnplay-names.mjs';

// SIMD detection: a module whose only function returns a v128 constant.
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0,
  10, 22, 1, 20, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11]);

/** True when this WebAssembly engine runs 128-bit SIMD. */
export function simdSupported() {
  try { return WebAssembly.validate(SIMD_PROBE); } catch { return false; }
}

// the most one allocation may ask for: wasm32 memory ends at 2 GiB
const MAX_ALLOC = 2 ** 31 - 65536;

const isNode = typeof process !== 'undefined' && !!process.versions?.node;

/**
 * Loads the engine. Options: `simd` (default: when supported), `single`
 * (the variant with the wasm inlined, for file:// pages), `wasmBinary`
 * (bytes of the .wasm, skips fetching), `baseUrl` (where the build lives,
 * default: next to this module).
 * @returns {Promise<NNPlay>}
 */
export async function load(opts = {}) {
  const simd = opts.simd ?? simdSupported();
  const name = `nnplay-${simd ? 'simd' : 'scalar'}`;
  const base = opts.baseUrl ?? new URL('./', import.meta.url);
  const single = opts.single ?? false;
  const { default: factory } = await import(new URL(`${name}${single ? '-single' : ''}.mjs`, base).href);
  const init = {};
  if (opts.wasmBinary) init.wasmBinary = opts.wasmBinary;
  else if (!single && isNode) {
    const { readFile } = await import('node:fs/promises');
    init.wasmBinary = await readFile(new URL(`${name}.wasm`, base));
  } else if (!single) {
    init.locateFile = (file) => new URL(file, base).href;
  }
  const module = await factory(init);
  // the interface the build was compiled against is the one nnplay-abi.mjs describes
  if (module._nnw_abi_hash() >>> 0 !== ABI.hash) fail('the wasm build does not match nnplay-abi.mjs (rebuild both)');
  return new NNPlay(module, simd);
}

/** One loaded engine instance: factory for nets and data sets. */
export class NNPlay {
  constructor(module, simd) {
    this.m = module;
    /** Whether this instance runs the SIMD build. */
    this.simd = simd;
    this.messages = new Map();
  }

  /** Current views of wasm memory (re-created after growth). */
  heap() {
    const m = this.m;
    if (this._buffer !== m.HEAPU8.buffer) {
      this._buffer = m.HEAPU8.buffer;
      this._heap = { f32: m.HEAPF32, i32: m.HEAP32, u32: m.HEAPU32, u8: m.HEAPU8 };
    }
    return this._heap;
  }

  /** Throws the C message for a non-zero status; returns 0 otherwise. */
  check(status, what, detail = '') {
    if (status === 0) return 0;
    let msg = this.messages.get(status);
    if (!msg) {
      msg = this.cString(this.m._nn_strerror(status));
      this.messages.set(status, msg);
    }
    throw new NNPlayError(`nnplay: ${what}: ${msg}${detail ? ` (${detail})` : ''}`, status);
  }

  /** The NUL-terminated string at p in wasm memory. */
  cString(p) {
    const u8 = this.heap().u8;
    let end = p;
    while (u8[end]) end++;
    return new TextDecoder().decode(u8.subarray(p, end));
  }

  /** Which layer the last failed createNet or loadNet stopped at, or ''. */
  errorDetail() { return this.cString(this.m._nn_error_detail()); }

  /**
   * wasm memory for `bytes` bytes, computed by the caller as a Number (exact
   * to 2^53): anything past wasm32's 2 GiB, or a failed malloc, throws the
   * out-of-memory error instead of wrapping around to a small buffer.
   */
  alloc(bytes) {
    if (!Number.isSafeInteger(bytes) || bytes < 0) fail(`internal: allocation of ${bytes} bytes`);
    const p = bytes <= MAX_ALLOC ? this.m._malloc(Math.max(bytes, 4)) : 0;
    if (!p) throw new NNPlayError(`nnplay: out of memory (${bytes} bytes asked)`, STATUS.NN_ERR_NOMEM);
    return p;
  }

  free(p) { if (p) this.m._free(p); }

  /** Copies a typed array into new wasm memory; returns the pointer. */
  copyIn(array, Type) {
    const p = this.alloc(array.length * 4);
    (Type === Int32Array ? this.heap().i32 : this.heap().f32).set(array, p >> 2);
    return p;
  }

  /**
   * wasm memory of at least `bytes` bytes shared by the calls that return
   * pixels: their views stay valid until the next such call (or growth).
   */
  scratch(bytes) {
    if (bytes > (this.scratchBytes ?? 0)) {
      this.free(this.scratchPtr);
      this.scratchPtr = this.scratchBytes = 0;
      this.scratchPtr = this.alloc(bytes);
      this.scratchBytes = bytes;
    }
    return this.scratchPtr;
  }

  /**
   * RGBA pixels for `values` (n rows of `columns`) through `palette` (RGBA
   * bytes): mode 'signed' (values in [-1, 1]), 'probability' (p as 2p - 1),
   * 'scaled' (each column by its largest |v|): a tile of n pixels per column;
   * 'class': one tile, each pixel the largest column's run of the palette,
   * shaded by confidence. `discrete`: the end colours only. Returns a
   * Uint8ClampedArray over wasm memory (an ImageData can use it as it is),
   * valid until the next call that returns pixels.
   */
  colorize(values, { columns = 1, mode = 'signed', discrete = false, palette: pal } = {}) {
    numbers(values, 'colorize: values', { scan: false });
    number(columns, 'colorize: columns', { min: 1, max: LIMITS.NN_MAX_UNITS, integer: true });
    const m = lookup(COLOR_MODES, mode, 'colour mode');
    const entries = palette(pal, 'colorize');
    const n = values.length / columns;
    if (!Number.isInteger(n)) fail(`colorize: ${values.length} values are not rows of ${columns}`);
    const tiles = mode === 'class' ? 1 : columns;
    const px = this.scratch(values.length * 4 + pal.length + n * tiles * 4);
    const pp = px + values.length * 4, po = pp + pal.length;
    const h = this.heap();
    h.f32.set(values, px >> 2);
    h.u8.set(pal, pp);
    this.check(this.m._nn_colorize(po, px, n, columns, m, discrete ? 1 : 0, pp, entries), 'colorize');
    return new Uint8ClampedArray(this.heap().u8.buffer, po, n * tiles * 4);
  }

  /** Builds a network; see README for the options. @returns {Net} */
  createNet(opts) { return Net.create(this, opts); }

  /** The bytes createNet(opts) would allocate in the engine (its one arena), computed without building; throws as createNet would. */
  netBytes(opts) { return Net.plannedBytes(this, opts); }

  /** A net from bytes written by net.save(). @returns {Net} */
  loadNet(bytes) {
    if (!(bytes instanceof Uint8Array)) fail(`loadNet expects a Uint8Array, got ${describe(bytes)}`);
    // the status word after the bytes, 4-byte aligned
    const st4 = Math.ceil(bytes.length / 4) * 4;
    const p = this.alloc(st4 + 4);
    const st = p + st4;
    this.heap().u8.set(bytes, p);
    const ptr = this.m._nn_load(p, bytes.length, st);
    const status = this.heap().i32[st >> 2];
    this.free(p);
    if (!ptr) this.check(status, 'loadNet', this.errorDetail());
    return Net.wrap(this, ptr);
  }

  /**
   * A data set in wasm memory from JS arrays: `x` (n * dims floats) or `x8`
   * (n * dims bytes, read as x8 * scale, default 1/255), and `y` (targets,
   * n * targetDims) or `labels` (n class indices); `targets: 'inputs'` makes
   * the inputs the targets, as the net reads them (an autoencoder's; no copy).
   * @returns {Data}
   */
  data(o) {
    const { x = null, x8 = null, scale, y = null, labels = null, dims, targetDims, targets } = options(o, 'data');
    return new Data(this, { x, x8, scale, y, labels, dims, targetDims, targets });
  }

  /** A corrupted copy of x (rows of `dims`) as training with setInputNoise corrupts: {dims, kind, amount, seed}. */
  corrupt(x, opts) { return codes.corrupt(this, x, opts); }

  /** The top principal components of x (rows of dims): {mean, components, projected, explained}; {n, dims, components = 2}. */
  pca(x, opts) { return codes.pca(this, x, opts); }

  /** k-NN accuracy of labelled query rows against labelled ref rows: {ref, refLabels, query, queryLabels, dims, k = 5}. */
  knnAccuracy(opts) { return codes.knnAccuracy(this, opts); }

  /**
   * A seeded course data set: `name` one of circle, xor, gauss, spiral,
   * spirals, blobs, plane, cos (the older names spiral_k and blobs_k still
   * work); options n, noise (0..1), seed, classes (spirals: 3..5,
   * blobs: 2..5).
   * @returns {Data}
   */
  dataset(name, o) {
    const { n = 200, noise = 0, seed = 1, classes = 2 } = options(o, 'dataset');
    const kind = lookup(DATASETS, name, 'data set', { spiral_k: 'spirals', blobs_k: 'blobs' });
    number(n, 'n', { min: 1, max: 1e7, integer: true });
    number(noise, 'noise', { min: 0, max: 1 });
    number(seed, 'seed', { min: 0, max: LIMITS.UINT32_MAX, integer: true });
    number(classes, 'classes', { min: 2, max: 5, integer: true });
    const m = this.m;
    const dims = m._nn_dataset_dims(kind);
    const cls = m._nn_dataset_is_classification(kind);
    const x = this.alloc(n * dims * 4);
    let y = 0, lab;
    try {
      y = this.alloc(n * 4);
      lab = this.alloc(n * 4);
    } catch (e) {
      this.free(x); this.free(y);
      throw e;
    }
    const status = m._nn_dataset_generate(kind, n, classes, noise, seed >>> 0, x, y, lab);
    if (status) {
      this.free(x); this.free(y); this.free(lab);
      this.check(status, `dataset ${name}`);
    }
    // the generated arrays become the data set: no copy out and back in
    this.free(cls ? y : lab);
    const data = Data.adopt(this, { px: x, py: cls ? 0 : y, pl: cls ? lab : 0, n, dims, targetDims: cls ? 0 : 1 });
    data.classes = cls ? (['spirals', 'blobs'].includes(DATASETS[kind]) ? classes : 2) : 0;
    return data;
  }

  /**
   * An optimiser on a plain parameter vector: the nets' update code, stepped
   * with gradients the caller computes or on a loss surface (descend).
   * `optimizer` as createNet's, plus biasCorrection (Adam; default true).
   * @returns {Stepper}
   */
  stepper(optimizer, params) { return Stepper.create(this, optimizer, params); }

  /**
   * Values (and gradients) of a loss surface (quadratic, rosenbrock, beale,
   * saddle, camel, noisy) at the points xy = [x0, y0, x1, y1, ...]:
   * {value, grad}, copies. Options: gradient (true), seed and draw (the
   * noisy surface's noise).
   */
  surface(name, xy, opts) { return surfaceValues(this, name, xy, opts); }

  /** Names accepted by createNet, dataset, stepper and surface. */
  static get names() {
    return { activations: ACTIVATIONS.slice(), losses: LOSSES.slice(), optimizers: OPTIMIZERS.slice(),
      inits: INITS.slice(), datasets: DATASETS.slice(), streams: STREAMS.slice(), surfaces: SURFACES.slice() };
  }
}

/** A data set held in wasm memory, so training slices copy nothing. */
export class Data {
  constructor(nn, { x, x8 = null, scale = 1 / 255, y, labels, dims, targetDims, targets }) {
    // every array and size is checked here, once: a Data is then trusted
    const yIsX = codes.targetsAreInputs(targets, 'data', y);
    if (x8 !== null && !(x8 instanceof Uint8Array)) fail(`data: x8 must be a Uint8Array, got ${describe(x8)}`);
    const inputs = x8 ?? numbers(x, 'data: x');
    if (dims !== undefined) number(dims, 'data: dims', { min: 1, max: LIMITS.NN_MAX_UNITS, integer: true });
    if (targetDims !== undefined) number(targetDims, 'data: targetDims', { min: 1, max: LIMITS.NN_MAX_UNITS, integer: true });
    number(scale, 'data: scale');
    if (y !== null) numbers(y, 'data: y');
    if (labels !== null) numbers(labels, 'data: labels', { labels: true });
    const n = labels ? labels.length : y && targetDims ? y.length / targetDims : inputs.length / (dims ?? 2);
    const d = dims ?? (n ? inputs.length / n : 2);
    const td = y ? (targetDims ?? (n ? y.length / n : 1)) : 0;
    if (!Number.isInteger(n) || !Number.isInteger(d) || d < 1 || inputs.length !== n * d
        || (y && (!Number.isInteger(td) || y.length !== n * td))) {
      fail(`data: array lengths do not match (x ${inputs.length}, y ${y?.length ?? '-'}, labels ${labels?.length ?? '-'})`);
    }
    this.nn = nn;
    this.n = n;
    this.dims = d;
    // targets = inputs: as many target values per row as inputs, read from x
    this.targetDims = yIsX ? d : td;
    this.targetsAreInputs = yIsX;
    this.bytes = !!x8;
    this.px = this.p8 = this.py = this.pl = this.ptr = 0;
    try {
      if (x8) {
        this.p8 = nn.alloc(x8.length);
        nn.heap().u8.set(x8, this.p8);
      } else {
        this.px = nn.copyIn(x, Float32Array);
      }
      this.py = y ? nn.copyIn(y, Float32Array) : 0;
      this.pl = labels ? nn.copyIn(labels, Int32Array) : 0;
      this.writeDescriptor(scale);
    } catch (e) {
      this.release();
      throw e;
    }
  }

  /** A Data over arrays already in wasm memory (owned from now on). */
  static adopt(nn, { px = 0, p8 = 0, py = 0, pl = 0, n, dims, targetDims = 0, scale = 1 / 255 }) {
    const d = Object.create(Data.prototype);
    Object.assign(d, { nn, px, p8, py, pl, n, dims, targetDims, bytes: !!p8, targetsAreInputs: false });
    d.writeDescriptor(scale);
    return d;
  }

  // the nn_data the engine reads
  writeDescriptor(scale) {
    this.ptr = this.nn.alloc(sizeOf('nn_data'));
    writeStruct(this.nn.heap(), this.ptr, 'nn_data', {
      x: this.px, y: this.py, label: this.pl, n: this.n, dx: this.dims, dy: this.targetDims, x8: this.p8, x8_scale: scale,
      y_is_x: this.targetsAreInputs ? 1 : 0,
    });
  }

  live() { if (!this.ptr) fail('data used after free()'); return this.ptr; }
  /** A view of the inputs (n * dims): floats, or bytes for a set made from x8. */
  get x() {
    this.live();
    const h = this.nn.heap();
    return this.bytes ? h.u8.subarray(this.p8, this.p8 + this.n * this.dims)
      : h.f32.subarray(this.px >> 2, (this.px >> 2) + this.n * this.dims);
  }
  /** A view of the targets, or null (also when the targets are the inputs). */
  get y() { this.live(); return this.py ? this.nn.heap().f32.subarray(this.py >> 2, (this.py >> 2) + this.n * this.targetDims) : null; }
  /** A view of the labels, or null. */
  get labels() { this.live(); return this.pl ? this.nn.heap().i32.subarray(this.pl >> 2, (this.pl >> 2) + this.n) : null; }

  /** Shuffles rows in place with a seed. */
  shuffle(seed) {
    this.live();
    number(seed, 'seed', { min: 0, max: LIMITS.UINT32_MAX, integer: true });
    if (this.bytes) fail('shuffle: byte inputs are shuffled by index (train shuffles every epoch)');
    this.nn.check(this.nn.m._nn_shuffle(this.px, this.dims, this.py, this.targetDims, this.pl, this.n, seed >>> 0), 'shuffle');
    return this;
  }

  /** A new Data holding rows [start, end). */
  slice(start, end = this.n) {
    this.live();
    number(start, 'slice: start', { integer: true });
    number(end, 'slice: end', { integer: true });
    const s = Math.max(0, Math.min(start, this.n)), e = Math.max(s, Math.min(end, this.n));
    const rows = this.x.slice(s * this.dims, e * this.dims);
    return new Data(this.nn, {
      x: this.bytes ? null : rows, x8: this.bytes ? rows : null, scale: readField(this.nn.heap(), this.ptr, 'nn_data', 'x8_scale'),
      y: this.py ? this.y.slice(s * this.targetDims, e * this.targetDims) : null,
      labels: this.pl ? this.labels.slice(s, e) : null,
      dims: this.dims, targetDims: this.py ? this.targetDims : undefined,
      targets: this.targetsAreInputs ? 'inputs' : undefined,
    });
  }

  free() {
    if (this.ptr) this.release();
  }

  release() {
    [this.px, this.p8, this.py, this.pl, this.ptr].forEach((p) => this.nn.free(p));
    this.ptr = this.px = this.p8 = this.py = this.pl = 0;
  }
}

