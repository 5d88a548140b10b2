// Types of wasm/nnplay-onnx.mjs (the ONNX export), for tsc in `make lint`.
import type { Net } from './nnplay.mjs';

/** The ONNX opset the export targets. */
export const OPSET: number;
/** The dims of the model's input: ['N', inputs], or ['N', C, H, W] for a net built with an image shape. */
export function onnxInputDims(net: Net): (number | string)[];
/** The ONNX model (ModelProto bytes) of a net: input "input", output "output" (after the output function). */
export function toOnnx(net: Net, opts?: { name?: string; doc?: string }): Uint8Array;
