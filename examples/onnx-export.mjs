// onnx-export.mjs: nnplay-train's --export-onnx FILE: the trained MNIST net
// as an ONNX model (wasm/nnplay-onnx.mjs), with a doc string that says what
// the input is (pixels scaled to [0, 1], as the CLI trains on them).
import { writeFile } from 'node:fs/promises';
import { toOnnx, onnxInputDims } from '../build/wasm/nnplay-onnx.mjs';

/** Writes net as an ONNX model to file and says so. */
export async function exportOnnx(net, file) {
  const doc = `nnplay MNIST classifier. Input: [${onnxInputDims(net).join(', ')}] grey levels / 255 in [0, 1], `
    + 'row by row, ink bright. Output: [N, 10] probabilities of the digits 0 to 9.';
  await writeFile(file, toOnnx(net, { name: 'nnplay_mnist', doc }));
  console.log(`exported the net to ${file} (ONNX)`);
}
