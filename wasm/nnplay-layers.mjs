// nnplay-layers.mjs: the layer list of a createNet call turned into the
// engine's layer specs (nn_layer_spec fields): numbers and {units, ...} for
// dense layers with their activation, batch norm and dropout; {conv, ...},
// {maxpool}, {avgpool} for spatial layers, {upsample}, {reshape} for a conv
// decoder; activation names on their own; raw {type, ...} layers of every
// kind. Every value is checked here; the specs start from the engine's own
// templates (nnplay-abi.mjs).

import { ABI } from './nnplay-abi.mjs';
import { fail, lookup, number, describe, ACTIVATIONS, LAYER_KINDS, LIMITS } from './nnplay-names.mjs';

// The nn_layer_spec of each kind as nn.h's helpers build it (nn_dense,
// nn_activation with its default parameter, nn_dropout, nn_batchnorm).
const LAYER = ABI.defaults.layer.values, ACTIVATION = ABI.defaults.activation.values;
const UNITS = { min: 1, max: LIMITS.NN_MAX_UNITS, integer: true };

// The layer specs (nn_layer_spec fields) of a createNet call.
export function layerSpecs(o) {
  const specs = [];
  const dense = (units, what) => specs.push({ ...LAYER.dense, units: number(units, what, UNITS) });
  const act = (name, param, perNeuron) => {
    const a = lookup(ACTIVATIONS, name, 'activation');
    if (ACTIVATIONS[a] === 'softmax') fail('softmax is an output, not a hidden activation');
    if (param !== undefined) number(param, 'activation param');
    const spec = ACTIVATION[ACTIVATIONS[a]];
    specs.push({ ...spec, per_neuron: perNeuron ? 1 : 0, a: param ?? spec.a });
  };
  const dropout = (p) => specs.push({ ...LAYER.dropout, a: number(p, 'dropout', { min: 0, max: 0.999 }) });
  const bn = (momentum = LAYER.batchnorm.a, eps = LAYER.batchnorm.eps) => specs.push({ ...LAYER.batchnorm,
    a: number(momentum, 'batchnorm momentum', { above: 0, max: 1 }), eps: number(eps, 'batchnorm eps', { above: 0 }) });
  const WINDOW = { min: 1, max: LIMITS.NN_MAX_UNITS, integer: true };
  const conv = (channels, kernel, stride = LAYER.conv.stride, pad = LAYER.conv.pad) => specs.push({ ...LAYER.conv,
    units: number(channels, 'conv channels', UNITS), kernel: number(kernel, 'conv kernel', WINDOW),
    stride: number(stride, 'conv stride', WINDOW), pad: number(pad, 'conv pad', { min: 0, max: LIMITS.NN_MAX_UNITS, integer: true }) });
  const pool = (kind, kernel, stride = kernel) => specs.push({ ...LAYER[kind],
    kernel: number(kernel, `${kind} window`, WINDOW), stride: number(stride, `${kind} stride`, WINDOW) });
  // a conv decoder: nearest-neighbour upsampling by `factor`; the previous
  // output seen as [channels, height, width] (the engine holds them in
  // units, kernel and stride)
  const upsample = (factor) => specs.push({ ...LAYER.upsample, stride: number(factor, 'upsample factor', WINDOW) });
  const reshape = (shape) => {
    if (!Array.isArray(shape) || shape.length !== 3) fail(`reshape: shape must be [channels, height, width], got ${describe(shape)}`);
    const [c, h, w] = shape.map((v, i) => number(v, `reshape ${['channels', 'height', 'width'][i]}`, WINDOW));
    specs.push({ ...LAYER.reshape, units: c, kernel: h, stride: w });
  };
  const layers = o.layers === undefined ? [] : o.layers;
  if (!Array.isArray(layers)) fail(`layers must be an array, got ${describe(layers)}`);
  if (layers.length > 64) fail(`layers: at most 64 entries, got ${layers.length}`);
  for (const entry of layers) {
    if (typeof entry === 'string') {
      // an activation on its own (after a convolution, say), or batch norm
      if (entry.toLowerCase() === 'batchnorm') bn();
      else act(entry);
      continue;
    }
    if (typeof entry !== 'number' && (typeof entry !== 'object' || entry === null || Array.isArray(entry))) {
      fail(`layers: each entry is a number of units, a layer object or an activation name, got ${describe(entry)}`);
    }
    const l = typeof entry === 'number' ? { units: entry } : entry;
    if (l.type) {
      // a raw layer of any kind
      const kind = LAYER_KINDS[lookup(LAYER_KINDS, l.type, 'layer type')];
      if (kind === 'dense') dense(l.units, 'units');
      else if (kind === 'activation') act(l.activation, l.param, l.perNeuron);
      else if (kind === 'dropout') dropout(l.p);
      else if (kind === 'batchnorm') bn(l.momentum, l.eps);
      else if (kind === 'conv') conv(l.channels, l.kernel, l.stride, l.pad);
      else if (kind === 'upsample') upsample(l.factor);
      else if (kind === 'reshape') reshape(l.shape);
      else pool(kind, l.kernel, l.stride);
      continue;
    }
    if (l.conv !== undefined) {
      conv(l.conv, l.kernel, l.stride, l.pad);
      if (l.batchNorm) bn();
      if (l.activation !== undefined) act(l.activation, l.param, l.perNeuron);
      continue;
    }
    if (l.maxpool !== undefined || l.avgpool !== undefined) {
      const kind = l.maxpool !== undefined ? 'maxpool' : 'avgpool';
      pool(kind, l[kind], l.stride);
      continue;
    }
    if (l.upsample !== undefined) {
      upsample(l.upsample);
      continue;
    }
    if (l.reshape !== undefined) {
      reshape(l.reshape);
      continue;
    }
    dense(l.units, 'units');
    if (l.batchNorm ?? o.batchNorm) bn();
    act(l.activation ?? o.activation ?? 'tanh', l.param ?? o.activationParam, l.perNeuron ?? o.preluPerNeuron);
    const p = l.dropout ?? o.dropout ?? 0;
    if (p !== 0) dropout(p);
  }
  // outputs 0: no dense output layer, the last of `layers` (a convolution,
  // say a conv decoder's) gives the outputs; the engine refuses any other kind
  if (o.outputs !== 0) dense(o.outputs ?? 1, 'outputs');
  return specs;
}

/** The loss that goes with an output function. */
export function defaultLoss(output) {
  return { softmax: 'softmax_ce', sigmoid: 'bce', linear: 'mse', tanh: 'mse' }[output] ?? 'mse';
}
