// nnplay-onnx.mjs: a trained net as an ONNX model (ModelProto bytes, opset
// 17) that Netron draws and ONNX Runtime or PyTorch runs: dense layers as
// Gemm, convolutions as Conv, pools as MaxPool/AveragePool, batch norm with
// its running statistics (inference), dropout left out (inference), every
// activation as its ONNX operator or, for GELU (tanh form) and swish, composed
// from operators. The input is what the net reads: a 2-D net's features are
// computed outside the model (the doc string names them). No DOM: used by the
// page and the CLI. Layers it does not know stop the export with their name.

import { Message, floatBytes } from './nnplay-protobuf.mjs';
import { ABI } from './nnplay-abi.mjs';

const ACTIVATIONS = ABI.enums.nn_act, LAYER_KINDS = ABI.enums.nn_layer_kind;
export const OPSET = 17;
const IR_VERSION = 8; // the IR version that goes with opset 17
const FLOAT = 1; // TensorProto.DataType
const ATTR = { FLOAT: 1, INT: 2, INTS: 7 }; // AttributeProto.AttributeType
// the engine's SELU and GELU constants (engine/kernels_ref.c)
const SELU_ALPHA = 1.6732632423543772, SELU_LAMBDA = 1.0507009873554805;
// the layer kinds written below; any other (a newer engine's) is refused by name
const KNOWN = ['dense', 'activation', 'dropout', 'batchnorm', 'conv', 'maxpool', 'avgpool'];
const GELU_C = 0.7978845608028654, GELU_K = 0.044715;

function fail(msg) {
  throw new Error(`ONNX export: ${msg}`);
}

// Each layer's spec (activation parameter, PReLU per neuron, batch-norm eps)
// and the input's image shape, from the header of net.save() (engine/io.c:
// "NNPL", version, n_in, n_layers, output, loss, max_batch, seed, channels,
// height, width, then 36 bytes per layer spec from version 3).
function readSpecs(net) {
  const bytes = net.save(), v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u32 = (at) => v.getUint32(at, true);
  if (u32(0) !== 0x4c504e4e || u32(4) !== 3) fail(`net.save() wrote format version ${u32(4)}, this exporter reads version 3`);
  const count = u32(12), specs = [];
  for (let k = 0; k < count; k++) {
    const at = 44 + 36 * k;
    specs.push({ kind: u32(at), act: u32(at + 8), perNeuron: u32(at + 12) !== 0, a: v.getFloat32(at + 16, true), eps: v.getFloat32(at + 20, true) });
  }
  return { output: ACTIVATIONS[u32(16)], shape: [u32(32), u32(36), u32(40)], specs };
}

const attrInt = (name, i) => new Message().string(1, name).int(3, i).int(20, ATTR.INT);
const attrFloat = (name, f) => new Message().string(1, name).float(2, f).int(20, ATTR.FLOAT);
const attrInts = (name, list) => new Message().string(1, name).ints(8, list).int(20, ATTR.INTS);

// a ValueInfoProto: a float tensor of the given dims (strings are symbolic)
function valueInfo(name, dims) {
  const shape = new Message();
  for (const d of dims) shape.message(1, typeof d === 'string' ? new Message().string(2, d) : new Message().int(1, d));
  const tensor = new Message().int(1, FLOAT).message(2, shape);
  return new Message().string(1, name).message(2, new Message().message(1, tensor));
}

/** The graph under construction: nodes, initializers and fresh names. */
class Graph {
  constructor() {
    this.nodes = [];
    this.inits = [];
    this.count = 0;
  }

  /** A float initializer with these dims; returns its name. */
  weight(name, dims, values) {
    const n = dims.reduce((a, b) => a * b, 1);
    if (values.length !== n) fail(`${name} has ${values.length} values for dims ${dims.join('x')}`);
    this.inits.push(new Message().ints(1, dims).int(2, FLOAT).string(8, name).bytes(9, floatBytes(values)));
    return name;
  }

  scalar(value) { return this.weight(`const_${this.count++}`, [], [value]); }

  /** A node op(inputs) with attributes; returns its output's name. */
  node(op, inputs, attrs = [], name = `${op.toLowerCase()}_${this.count++}`, out = `${name}_out`) {
    const m = new Message();
    for (const i of inputs) m.string(1, i);
    m.string(2, out).string(3, name).string(4, op);
    for (const a of attrs) m.message(5, a);
    this.nodes.push(m);
    return out;
  }
}

// y = act(x) for an activation layer; slopes are PReLU's parameters
function activation(g, x, name, spec, layer, rank) {
  switch (name) {
    case 'linear': return x;
    case 'sigmoid': return g.node('Sigmoid', [x]);
    case 'tanh': return g.node('Tanh', [x]);
    case 'relu': return g.node('Relu', [x]);
    case 'leaky_relu': return g.node('LeakyRelu', [x], [attrFloat('alpha', spec.a)]);
    case 'elu': return g.node('Elu', [x], [attrFloat('alpha', spec.a)]);
    case 'selu': return g.node('Selu', [x], [attrFloat('alpha', SELU_ALPHA), attrFloat('gamma', SELU_LAMBDA)]);
    case 'softmax': return g.node('Softmax', [x], [attrInt('axis', -1)]);
    case 'prelu': {
      // one slope, or one per unit: shaped like an example to broadcast
      const dims = layer.W.length === 1 ? [1] : rank === 4 ? layer.shape : [layer.W.length];
      return g.node('PRelu', [x, g.weight(`prelu_${g.count++}_slope`, dims, layer.W)]);
    }
    case 'swish': return g.node('Mul', [x, g.node('Sigmoid', [x])]);
    case 'gelu': {
      // 0.5 x (1 + tanh(c (x + k x^3))), the engine's tanh form
      const x3 = g.node('Mul', [g.node('Mul', [x, x]), x]);
      const u = g.node('Mul', [g.node('Add', [x, g.node('Mul', [x3, g.scalar(GELU_K)])]), g.scalar(GELU_C)]);
      const half = g.node('Mul', [x, g.scalar(0.5)]);
      return g.node('Mul', [half, g.node('Add', [g.node('Tanh', [u]), g.scalar(1)])]);
    }
    default: return fail(`activation "${name}" has no ONNX mapping`);
  }
}

/** The dims of the model's input: ['N', inputs], or ['N', C, H, W] for a net built with an image shape. */
export function onnxInputDims(net) {
  const { shape } = readSpecs(net);
  return shape[0] > 0 ? ['N', ...shape] : ['N', net.inputs];
}

/**
 * The ONNX model (ModelProto bytes) of a net: input "input" ([N, inputs], or
 * [N, C, H, W] for a net built with an image shape), output "output"
 * ([N, outputs], after the output function). Options: name (the graph's
 * name), doc (its doc_string, e.g. which features the inputs are).
 * @param {{ inputs: number, outputs: number, save(): Uint8Array, layers(): any[], bnRunning(): number[][],
 *   nn: { heap(): { f32: Float32Array } } }} net  a Net (what of it is read)
 * @param {{name?: string, doc?: string}} [opts]
 * @returns {Uint8Array}
 */
export function toOnnx(net, { name = 'nnplay', doc = '' } = {}) {
  // save() allocates in wasm memory, which may grow and detach views: first
  const { output, shape, specs } = readSpecs(net);
  const bnViews = net.bnRunning(), f32 = net.nn.heap().f32, running = bnViews.map(([mean, variance, c]) => [
    Float32Array.from(f32.subarray(mean >> 2, (mean >> 2) + c)), Float32Array.from(f32.subarray(variance >> 2, (variance >> 2) + c))]);
  const layers = net.layers();
  if (specs.length !== layers.length) fail(`the net has ${layers.length} layers but saves ${specs.length} specs`);
  const image = shape[0] > 0, g = new Graph();
  let x = 'input', rank = image ? 4 : 2, bn = 0;
  layers.forEach((l, k) => {
    if (!KNOWN.includes(l.type)) fail(`layer ${k} is "${l.type}", which this exporter cannot write to ONNX`);
    const spec = specs[k], kind = LAYER_KINDS[spec.kind];
    if (kind !== l.type) fail(`layer ${k} is ${l.type} but saves as ${kind}`);
    const at = `layer${k}_${l.type}`;
    switch (l.type) {
      case 'dense':
        if (rank === 4) x = g.node('Flatten', [x], [attrInt('axis', 1)]);
        rank = 2;
        x = g.node('Gemm', [x, g.weight(`${at}_W`, [l.outputs, l.inputs], l.W), g.weight(`${at}_b`, [l.outputs], l.b)],
          [attrInt('transB', 1)], at);
        break;
      case 'activation':
        x = activation(g, x, l.activation, spec, l, rank);
        break;
      case 'dropout': break; // identity at inference
      case 'batchnorm': {
        const [mean, variance] = running[bn++], c = l.shape[0];
        x = g.node('BatchNormalization', [x, g.weight(`${at}_scale`, [c], l.W), g.weight(`${at}_bias`, [c], l.b),
          g.weight(`${at}_mean`, [c], mean), g.weight(`${at}_var`, [c], variance)], [attrFloat('epsilon', spec.eps)], at);
        break;
      }
      case 'conv': {
        const cin = l.W.length / (l.shape[0] * l.kernel * l.kernel);
        x = g.node('Conv', [x, g.weight(`${at}_W`, [l.shape[0], cin, l.kernel, l.kernel], l.W), g.weight(`${at}_b`, [l.shape[0]], l.b)],
          [attrInts('kernel_shape', [l.kernel, l.kernel]), attrInts('strides', [l.stride, l.stride]),
            attrInts('pads', [l.pad, l.pad, l.pad, l.pad])], at);
        break;
      }
      case 'maxpool':
      case 'avgpool':
        x = g.node(l.type === 'maxpool' ? 'MaxPool' : 'AveragePool', [x],
          [attrInts('kernel_shape', [l.kernel, l.kernel]), attrInts('strides', [l.stride, l.stride])], at);
        break;
    }
  });
  if (rank === 4) x = g.node('Flatten', [x], [attrInt('axis', 1)]);
  x = activation(g, x, output, {}, null, 2);
  x = g.node('Identity', [x], [], 'output_identity', 'output');

  const graph = new Message();
  for (const n of g.nodes) graph.message(1, n);
  graph.string(2, name);
  for (const i of g.inits) graph.message(5, i);
  graph.string(10, doc);
  graph.message(11, valueInfo('input', onnxInputDims(net)));
  graph.message(12, valueInfo(x, ['N', net.outputs]));
  return new Message().int(1, IR_VERSION).string(2, 'nnplay').string(3, '1').string(6, doc)
    .message(7, graph).message(8, new Message().string(1, '').int(2, OPSET)).finish();
}
