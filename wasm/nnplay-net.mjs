// nnplay-net.mjs: the Net class of the JS API. A Net owns one C nn_net and a
// few wasm buffers allocated with it (a batch area and a small struct area),
// so training calls copy at most one mini-batch and allocate nothing.
// Every call checks that the net is alive and turns C statuses into Errors.
// Structs go through nnplay-struct.mjs; layer templates, defaults and limits
// come from the generated nnplay-abi.mjs.

import {
  fail, lookup, number, numbers, options, describe, ACTIVATIONS, LOSSES, LOSS_ALIASES, optimFields, optimOptions,
  INITS, INIT_ALIASES, LAYER_KINDS, STREAMS, LIMITS,
} from './nnplay-names.mjs';
import { writeStruct, readStruct, readField, sizeOf, areaLayout } from './nnplay-struct.mjs';
import { layerSpecs, defaultLoss } from './nnplay-layers.mjs';
import * as flow from './nnplay-flow.mjs';
import * as ae from './nnplay-codes.mjs';
import * as inspect from './nnplay-inspect.mjs';

// predict and activations work through a buffer of at most this many bytes
// (more rows are done in chunks), so one call on a huge input does not keep
// its size in wasm memory for the life of the net
const IO_CHUNK_BYTES = 16 << 20;
// the most values one predict returns (1 GiB of floats)
const MAX_OUTPUTS = 2 ** 28;

const UNITS = { min: 1, max: LIMITS.NN_MAX_UNITS, integer: true };

// The struct area of a net: one of each struct a call passes, two floats,
// and two pointers (wasm32: 4 bytes) for nn_bn_running.
const AREA = areaLayout({
  data: sizeOf('nn_data'), report: sizeOf('nn_report'), loss: 4, accuracy: 4, optim: sizeOf('nn_optim'),
  misc: Math.max(sizeOf('nn_init'), sizeOf('nn_layer_info')), mean: 4, variance: 4,
});

export class Net {
  /** @param {import('./nnplay.mjs').NNPlay} nn */
  static create(nn, opts) {
    const o = options(opts, 'createNet');
    const ptr = Net.withConfig(nn, o, (cfg, st) => {
      const p = nn.m._nn_create(cfg, st);
      if (!p) nn.check(nn.heap().i32[st >> 2], 'createNet', nn.errorDetail());
      return p;
    });
    const net = new Net(nn, ptr);
    try {
      if (o.init !== undefined) net.setInit(o.init);
      net.setOptimizer(o.optimizer ?? { name: 'sgd', lr: o.lr });
      if (o.lr !== undefined && o.optimizer !== undefined) net.setLearningRate(o.lr);
      if (o.l1 !== undefined || o.l2 !== undefined) net.setRegularization({ l1: o.l1 ?? 0, l2: o.l2 ?? 0 });
      if (o.threshold !== undefined) net.setThreshold(o.threshold);
    } catch (e) {
      net.free();
      throw e;
    }
    return net;
  }

  /**
   * The bytes createNet(opts) would allocate in the engine for the net (its
   * one arena), computed by the engine without building anything; throws
   * what createNet would throw (the engine's detail names the layer).
   */
  static plannedBytes(nn, opts) {
    return Net.withConfig(nn, options(opts, 'netBytes'), (cfg) => {
      const bytes = nn.m._nnw_plan_bytes(cfg);
      if (bytes < 0) nn.check(bytes, 'netBytes', nn.errorDetail());
      return bytes;
    });
  }

  // Checks createNet's options, writes the nn_config they describe to wasm
  // memory and runs use(cfg, statusPtr); the memory is freed after.
  static withConfig(nn, o, use) {
    // an image input: [channels, height, width], as many values as inputs
    let shape = [0, 0, 0];
    if (o.shape !== undefined) {
      if (!Array.isArray(o.shape) || o.shape.length !== 3) fail(`shape must be [channels, height, width], got ${describe(o.shape)}`);
      shape = o.shape.map((v, i) => number(v, `shape[${i}]`, UNITS));
    }
    const inputs = number(o.inputs ?? (o.shape ? shape[0] * shape[1] * shape[2] : 2), 'inputs', UNITS);
    if (o.shape && inputs !== shape[0] * shape[1] * shape[2]) fail(`inputs ${inputs} is not the product of shape ${shape.join(' x ')}`);
    const output = ACTIVATIONS[lookup(ACTIVATIONS, o.output ?? 'sigmoid', 'output')];
    const loss = lookup(LOSSES, o.loss ?? defaultLoss(output), 'loss', LOSS_ALIASES);
    const maxBatch = number(o.maxBatch ?? 256, 'maxBatch', { min: 1, max: LIMITS.NN_MAX_BATCH, integer: true });
    const seed = number(o.seed ?? 1, 'seed', { min: 0, max: LIMITS.UINT32_MAX, integer: true });
    const specs = layerSpecs(o);
    const specSize = sizeOf('nn_layer_spec');
    const pl = nn.alloc(specs.length * specSize), cfg = nn.alloc(sizeOf('nn_config')), st = nn.alloc(4);
    try {
      const h = nn.heap();
      specs.forEach((s, k) => writeStruct(h, pl + k * specSize, 'nn_layer_spec', s));
      writeStruct(h, cfg, 'nn_config', {
        n_in: inputs, n_layers: specs.length, layers: pl, output: ACTIVATIONS.indexOf(output), loss, max_batch: maxBatch,
        seed: seed >>> 0, channels: shape[0], height: shape[1], width: shape[2],
      });
      return use(cfg, st);
    } finally {
      [pl, cfg, st].forEach((p) => nn.free(p));
    }
  }

  /** A Net around a C net just created or loaded; frees it if the JS side cannot be set up. */
  static wrap(nn, ptr) {
    try {
      return new Net(nn, ptr);
    } catch (e) {
      nn.m._nn_free(ptr);
      throw e;
    }
  }

  constructor(nn, ptr) {
    const m = nn.m;
    this.nn = nn;
    this.ptr = ptr;
    this.inputs = m._nn_inputs(ptr);
    this.outputs = m._nn_outputs(ptr);
    this.maxBatch = m._nn_max_batch(ptr);
    this.lossName = LOSSES[m._nn_loss_kind(ptr)];
    this.io = this.ioBytes = this.batch = 0;
    // the struct area (AREA): the structs and floats calls pass to C
    this.s = nn.alloc(AREA.size);
    try {
      this.batch = nn.alloc(this.maxBatch * (this.inputs + this.outputs + 1) * 4);
    } catch (e) {
      nn.free(this.s);
      throw e;
    }
    this.readOptimizer();
  }

  // this.optimizer from the C side (a loaded net carries its own)
  readOptimizer() {
    const p = this.s + AREA.optim;
    this.nn.m._nnw_get_optimizer(this.ptr, p);
    const o = readStruct(this.nn.heap(), p, 'nn_optim');
    this.optimizer = optimOptions(o);
  }

  live() {
    if (!this.ptr) fail('net used after free()');
    return this.ptr;
  }

  /** Grows the per-net buffer for predict and activations (rarely; at most IO_CHUNK_BYTES
   * or one row). Pointer and size stay consistent when the allocation fails. */
  ioBuffer(bytes) {
    if (bytes > this.ioBytes) {
      this.nn.free(this.io);
      this.io = this.ioBytes = 0;
      this.io = this.nn.alloc(bytes);
      this.ioBytes = bytes;
    }
    return this.io;
  }

  // Writes an nn_data for `d` (a Data, or {x, y, labels} copied into the batch
  // area when it fits, else into temporary memory released by the caller).
  dataPtr(d, what, batch) {
    if (d && d.ptr !== undefined && d.nn === this.nn) {
      d.live();
      if (d.dims !== this.inputs) fail(`${what}: data have ${d.dims} inputs, the net ${this.inputs}`);
      if (d.targetsAreInputs) ae.targetsAreInputs('inputs', what, null, this);
      return { ptr: d.ptr, temp: null };
    }
    if (typeof d !== 'object' || d === null) fail(`${what}: expected a Data or {x, y | labels}, got ${describe(d)}`);
    const { x, y = null, labels = null } = d;
    const yIsX = ae.targetsAreInputs(d.targets, what, y, this);
    numbers(x, `${what}: x`);
    const n = x.length / this.inputs;
    if (!Number.isInteger(n)) fail(`${what}: x has ${x.length} values, not a multiple of ${this.inputs} inputs`);
    if (batch && n > this.maxBatch) fail(`${what}: a batch of ${n} is larger than the net's max_batch ${this.maxBatch}`);
    const wantLabels = this.lossName === 'softmax_ce';
    if (wantLabels && !labels) fail(`${what}: ${n} labels expected (softmax cross-entropy)`);
    if (!wantLabels && !y && !yIsX) fail(`${what}: ${n * this.outputs} targets expected`);
    // arrays given are checked even when the loss does not use them, but only
    // the one it uses is copied: nothing is written past the batch area
    if (labels !== null) numbers(labels, `${what}: labels`, { length: n, labels: true });
    if (y !== null) numbers(y, `${what}: y`, { length: n * this.outputs });
    const nn = this.nn;
    let px, py, pl, temp = null;
    if (n <= this.maxBatch) {
      px = this.batch;
      py = px + this.maxBatch * this.inputs * 4;
      pl = py + this.maxBatch * this.outputs * 4;
    } else {
      temp = nn.alloc(n * (this.inputs + this.outputs + 1) * 4);
      px = temp;
      py = px + n * this.inputs * 4;
      pl = py + n * this.outputs * 4;
    }
    const h = nn.heap();
    h.f32.set(x, px >> 2);
    if (wantLabels) h.i32.set(labels, pl >> 2);
    else if (!yIsX) h.f32.set(y, py >> 2);
    const ptr = this.s + AREA.data;
    writeStruct(h, ptr, 'nn_data', {
      x: px, y: wantLabels || yIsX ? 0 : py, label: wantLabels ? pl : 0, n, dx: this.inputs,
      dy: wantLabels ? 0 : this.outputs, x8: 0, x8_scale: 0, y_is_x: yIsX ? 1 : 0,
    });
    return { ptr, temp };
  }

  withData(d, what, fn, batch = false) {
    this.live();
    const { ptr, temp } = this.dataPtr(d, what, batch);
    try { return fn(ptr); } finally { this.nn.free(temp); }
  }

  /** One optimiser step on a mini-batch ({x, y} or {x, labels}, or a Data); returns the loss. */
  trainBatch(batch, yOrLabels) {
    const b = batch instanceof Float32Array || Array.isArray(batch)
      ? (this.lossName === 'softmax_ce' ? { x: batch, labels: yOrLabels } : { x: batch, y: yOrLabels }) : batch;
    return this.withData(b, 'trainBatch', (p) => {
      const status = this.nn.m._nn_train_batch(this.ptr, p, this.s + AREA.loss);
      const loss = this.nn.heap().f32[(this.s + AREA.loss) >> 2];
      this.nn.check(status, 'trainBatch');
      return loss;
    }, true);
  }

  /**
   * Runs `steps` mini-batches (0: to the end of the epoch) from a data set,
   * shuffled per epoch. @returns {{loss: number, steps: number, epochs: number}}
   */
  train(data, opts) {
    const { batchSize = 10, steps = 0, shuffle = true } = options(opts, 'train');
    this.live();
    number(batchSize, 'batchSize', { min: 1, max: this.maxBatch, integer: true });
    number(steps, 'steps', { min: 0, max: LIMITS.INT_MAX, integer: true });
    if (typeof shuffle !== 'boolean') fail(`train: shuffle must be true or false, got ${describe(shuffle)}`);
    return this.withData(data, 'train', (p) => {
      // the order of each new epoch: shuffled, or the data's own (online SGD in order)
      const m = this.nn.m, was = m._nn_get_shuffle(this.ptr);
      this.nn.check(m._nn_set_shuffle(this.ptr, shuffle ? 1 : 0), 'train');
      const rep = this.s + AREA.report;
      const status = m._nn_train(this.ptr, p, batchSize, steps, rep);
      const { loss, steps: ran, epochs } = readStruct(this.nn.heap(), rep, 'nn_report');
      const out = { loss, steps: ran, epochs };
      // a call refused before its first step changes nothing, the order included
      if (status !== 0 && out.steps === 0) m._nn_set_shuffle(this.ptr, was);
      this.nn.check(status, 'train');
      return out;
    });
  }

  /** One epoch (to its end) in mini-batches. */
  trainEpoch(data, opts) { return this.train(data, { ...options(opts, 'trainEpoch'), steps: 0 }); }

  /** Loss and accuracy over a set in evaluation mode. @returns {{loss: number, accuracy: number}} */
  evaluate(data) {
    return this.withData(data, 'evaluate', (p) => {
      this.nonEmpty(p, 'evaluate');
      const status = this.nn.m._nn_evaluate(this.ptr, p, this.s + AREA.loss, this.s + AREA.accuracy);
      const f = this.nn.heap().f32;
      const out = { loss: f[(this.s + AREA.loss) >> 2], accuracy: f[(this.s + AREA.accuracy) >> 2] };
      this.nn.check(status, 'evaluate');
      return out;
    });
  }

  /** Gradient of loss + penalty on one batch into grads(), without a step; returns the loss. */
  lossGrad(batch) {
    return this.withData(batch, 'lossGrad', (p) => {
      const status = this.nn.m._nn_loss_grad(this.ptr, p, this.s + AREA.loss);
      const loss = this.nn.heap().f32[(this.s + AREA.loss) >> 2];
      this.nn.check(status, 'lossGrad');
      return loss;
    }, true);
  }

  /** Loss of a batch, training mode (dropout, batch statistics) or evaluation mode. */
  loss(batch, opts) {
    const { train = false } = options(opts, 'loss');
    if (typeof train !== 'boolean') fail(`loss: train must be true or false, got ${describe(train)}`);
    return this.withData(batch, 'loss', (p) => {
      if (!train) this.nonEmpty(p, 'loss');
      const status = this.nn.m._nn_loss_only(this.ptr, p, train ? 1 : 0, this.s + AREA.loss);
      const loss = this.nn.heap().f32[(this.s + AREA.loss) >> 2];
      this.nn.check(status, 'loss');
      return loss;
    }, train);
  }

  // the row count of an nn_data: a loss or accuracy over no rows means nothing
  nonEmpty(p, what) {
    if (readField(this.nn.heap(), p, 'nn_data', 'n') === 0) fail(`${what}: the data set is empty`);
  }

  // Runs call(px, rows, po) over x in chunks whose inputs and `outWidth`
  // outputs per row fit the io buffer; take(po, row, rows) reads each chunk.
  ioRun(x, outWidth, what, call, take) {
    this.live();
    numbers(x, `${what}: x`, { scan: false });
    const n = x.length / this.inputs;
    if (!Number.isInteger(n)) fail(`${what}: x has ${x.length} values, not a multiple of ${this.inputs} inputs`);
    const rowBytes = (this.inputs + outWidth) * 4;
    const chunk = Math.max(1, Math.min(n, Math.floor(IO_CHUNK_BYTES / rowBytes)));
    const px = this.ioBuffer(chunk * rowBytes + 4);
    const po = px + chunk * this.inputs * 4;
    for (let row = 0; row < n; row += chunk) {
      const rows = Math.min(chunk, n - row);
      this.nn.heap().f32.set(x.subarray ? x.subarray(row * this.inputs, (row + rows) * this.inputs)
        : x.slice(row * this.inputs, (row + rows) * this.inputs), px >> 2);
      this.nn.check(call(px, rows, po), what);
      take(po, row, rows);
    }
    return n;
  }

  /** Outputs (n * outputs) for inputs x, probabilities for sigmoid/softmax; into `out` when given. */
  predict(x, out) {
    const k = this.outputs;
    const rows = x && typeof x.length === 'number' ? x.length / this.inputs : 0;
    if (rows * k > MAX_OUTPUTS) fail(`predict: ${rows * k} outputs, more than ${MAX_OUTPUTS} in one call`);
    if (out !== undefined && !(out instanceof Float32Array && out.length >= rows * k)) {
      fail(`predict: out must be a Float32Array of at least ${rows * k} values, got ${describe(out)}`);
    }
    let result = out;
    this.ioRun(x, k, 'predict', (px, n, po) => this.nn.m._nn_predict(this.ptr, px, n, po), (po, row, n) => {
      result ??= new Float32Array((x.length / this.inputs) * k);
      result.set(this.nn.heap().f32.subarray(po >> 2, (po >> 2) + n * k), row * k);
    });
    return result ?? new Float32Array(0);
  }

  /** Outputs of every layer for inputs x: an array of Float32Array (n * width_k) (nnplay-inspect.mjs). */
  activations(x) { return inspect.activations(this, x); }

  /** RGBA maps of the units of chosen layers over inputs x, one engine call (nnplay-inspect.mjs). */
  activationPixels(x, opts) { return inspect.activationPixels(this, x, opts); }

  /** A view of all parameters (valid until the next wasm allocation). */
  params() {
    this.live();
    const p = this.nn.m._nn_params(this.ptr) >> 2;
    return this.nn.heap().f32.subarray(p, p + this.nn.m._nn_param_count(this.ptr));
  }

  /** A view of all gradients, same layout as params(). */
  grads() {
    this.live();
    const p = this.nn.m._nn_grads(this.ptr) >> 2;
    return this.nn.heap().f32.subarray(p, p + this.nn.m._nn_param_count(this.ptr));
  }

  // [mean pointer, variance pointer, count] of each batch-norm layer's running statistics
  bnRunning() {
    const m = this.nn.m, pm = this.s + AREA.mean, pv = this.s + AREA.variance, out = [];
    this.layers().forEach((l, k) => {
      if (l.type !== 'batchnorm') return;
      this.nn.check(m._nn_bn_running(this.ptr, k, pm, pv), 'bnRunning');
      const u32 = this.nn.heap().u32;
      out.push([u32[pm >> 2], u32[pv >> 2], l.shape[0]]);
    });
    return out;
  }

  /** Values in a snapshot: every parameter, then each batch-norm layer's running mean and variance. */
  get snapshotSize() { return inspect.snapshotSize(this); }

  /** Parameters and batch-norm statistics, into `into` (reused) or a new Float32Array (nnplay-inspect.mjs). */
  snapshot(into) { return inspect.snapshot(this, into); }

  /** Writes back a snapshot of this net (or one of the same architecture), checked first (nnplay-inspect.mjs). */
  restore(snap) { inspect.restore(this, snap); return this; }

  /** Examples of the current epoch already trained on (0 at an epoch's start). */
  get epochPosition() { return this.nn.m._nn_epoch_position(this.live()); }

  /** Per-layer description with views: {type, activation, inputs, outputs, shape, params, W, b, kernel, stride, pad}
   * (upsample: stride is the factor). */
  layers() {
    this.live();
    const m = this.nn.m, info = this.s + AREA.misc, count = m._nn_layer_count(this.ptr);
    const params = this.params();
    const out = [];
    for (let k = 0; k < count; k++) {
      this.nn.check(m._nn_layer_info_get(this.ptr, k, info), 'layers');
      const l = readStruct(this.nn.heap(), info, 'nn_layer_info');
      out.push({
        type: LAYER_KINDS[l.kind], activation: l.act >= 0 ? ACTIVATIONS[l.act] : null, inputs: l.n_in, outputs: l.n_out,
        W: l.w_len ? params.subarray(l.w_off, l.w_off + l.w_len) : null,
        b: l.b_len ? params.subarray(l.b_off, l.b_off + l.b_len) : null,
        wOffset: l.w_off, bOffset: l.b_off, shape: [l.channels, l.height, l.width], params: l.w_len + l.b_len,
        kernel: l.kernel, stride: l.stride, pad: l.pad,
      });
    }
    return out;
  }

  /** L2 norm of each layer's gradient from the last step. */
  gradNorms() {
    this.live();
    const count = this.nn.m._nn_layer_count(this.ptr);
    const p = this.ioBuffer(count * 4);
    this.nn.check(this.nn.m._nn_grad_norms(this.ptr, p), 'gradNorms');
    return this.nn.heap().f32.slice(p >> 2, (p >> 2) + count);
  }

  /** Whether training steps record what they change per layer (updateNorms); off by default, where it costs nothing. */
  trackUpdates(on = true) { flow.trackUpdates(this, on); return this; }

  /** Whether update norms are recorded (trackUpdates). */
  get tracking() { return flow.tracking(this); }

  /** Per layer: {paramNorms, updateNorms, ratios} of the last tracked step (nnplay-flow.mjs). */
  updateNorms() { return flow.updateNorms(this); }

  /** Per layer: {saturated, dead} shares of the activation layers' units over a set (nnplay-flow.mjs). */
  unitStats(data, opts) { return flow.unitStats(this, data, opts); }

  /** The outputs of layer k (n * its width) for inputs x (n * inputs) or a Data: the codes (nnplay-codes.mjs). */
  encode(input, k) { return ae.encode(this, input, k); }

  /** Layers k+1.. and the output function on codes (n * width of layer k): n * outputs values (nnplay-codes.mjs). */
  decode(act, k) { return ae.decode(this, act, k); }

  /** Corrupts the inputs while training ({kind: 'none' | 'mask' | 'gaussian', amount}); targets stay clean. */
  setInputNoise(o) { ae.setInputNoise(this, o); return this; }

  /** The input noise: {kind, amount}. */
  get inputNoise() { return ae.inputNoise(this); }

  /** Sets the optimiser: a name or {name, lr, momentum, beta2, delta, decay}. Same name keeps state. */
  setOptimizer(opt) {
    this.live();
    const values = optimFields(opt, 'setOptimizer');
    const p = this.s + AREA.optim;
    writeStruct(this.nn.heap(), p, 'nn_optim', values);
    this.nn.check(this.nn.m._nn_set_optimizer(this.ptr, p), 'setOptimizer');
    this.readOptimizer();
    return this;
  }

  /** Changes the learning rate only; optimiser state is kept. */
  setLearningRate(lr) {
    this.live();
    number(lr, 'learning rate', { above: 0 });
    this.nn.check(this.nn.m._nn_set_lr(this.ptr, lr), 'setLearningRate');
    this.readOptimizer();
    return this;
  }

  /** L1 and L2 penalties on dense weights. */
  setRegularization(opts) {
    this.live();
    const { l1 = 0, l2 = 0 } = options(opts, 'setRegularization');
    number(l1, 'l1', { min: 0 });
    number(l2, 'l2', { min: 0 });
    this.nn.check(this.nn.m._nn_set_regularization(this.ptr, l1, l2), 'setRegularization');
    return this;
  }

  /** Init scheme (name or {name, constant, bias}); re-initialises the weights. */
  setInit(init) {
    this.live();
    const o = typeof init === 'string' ? { name: init } : options(init, 'setInit');
    const scheme = lookup(INITS, o.name === undefined ? 'xavier_uniform' : o.name, 'init', INIT_ALIASES);
    const values = { scheme, w_const: number(o.constant ?? 0.5, 'constant'), b_const: number(o.bias ?? 0, 'bias') };
    const p = this.s + AREA.misc;
    writeStruct(this.nn.heap(), p, 'nn_init', values);
    this.nn.check(this.nn.m._nn_set_init(this.ptr, p), 'setInit');
    return this;
  }

  /** Seeds one stream ('init', 'shuffle' or 'dropout'); init takes effect at reset(). */
  setSeed(stream, seed) {
    this.live();
    const s = lookup(STREAMS, stream, 'stream');
    number(seed, 'seed', { min: 0, max: LIMITS.UINT32_MAX, integer: true });
    this.nn.check(this.nn.m._nn_set_seed(this.ptr, s, seed >>> 0), 'setSeed');
    return this;
  }

  /** Accuracy threshold for one squared-error output. */
  setThreshold(t) {
    this.live();
    number(t, 'threshold');
    this.nn.check(this.nn.m._nn_set_threshold(this.ptr, t), 'setThreshold');
    return this;
  }

  /** Back to the initial weights (same seed), zero optimiser state. */
  reset() {
    this.nn.check(this.nn.m._nn_reset(this.live()), 'reset');
    return this;
  }

  /** Optimiser steps taken since creation or reset. */
  get steps() { return this.nn.m._nnw_step_count(this.live()); }

  /** L1/L2 penalty value of the current weights. */
  penalty() { return this.nn.m._nn_penalty(this.live()); }

  /** Architecture, settings, parameters and optimiser state as bytes. */
  save() {
    this.live();
    const m = this.nn.m, size = m._nn_save_size(this.ptr);
    const p = this.nn.alloc(size);
    try {
      this.nn.check(m._nn_save(this.ptr, p, size, 0), 'save');
      return this.nn.heap().u8.slice(p, p + size);
    } finally {
      this.nn.free(p);
    }
  }

  /** Releases the net; any later call throws. */
  free() {
    if (!this.ptr) return;
    this.nn.m._nn_free(this.ptr);
    [this.s, this.batch, this.io].forEach((p) => this.nn.free(p));
    this.ptr = this.s = this.batch = this.io = 0;
  }
}
