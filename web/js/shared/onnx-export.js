// onnx-export.js: the "ONNX" item of a view's export menu (shared/exports.js):
// the net shown, written by the engine's exporter (lib/nnplay-onnx.mjs) with
// a doc string saying what its inputs and outputs are, saved as a file. The
// exporter is a few kilobytes of plain code, so it loads with the page
// (README, "ONNX export").
import { toOnnx, onnxInputDims } from '../../lib/nnplay-onnx.mjs';
import { exportMenu } from './exports.js';
import { downloadBlob } from './download.js';

/** The doc strings of the views' nets: what a user of the file must feed it. */
export const ONNX_DOCS = {
  features: (names) => `nnplay 2-D net. Input: [N, ${names.length}], the features ${names.join(', ')} of each point `
    + '(x1, x2), computed outside the model: the feature transform is not part of this file.',
  mnist: (dims) => `nnplay MNIST classifier. Input: [${dims.join(', ')}] grey levels / 255 in [0, 1], `
    + 'row by row, ink bright. Output: [N, 10] probabilities of the digits 0 to 9.',
};

/**
 * Adds the ONNX item to the export menu of the view at `root`: id (the
 * button's id), file (the file's name), net() (the net shown, or null),
 * doc(dims) (the doc string, given the input's dims). Errors show in the menu, in the page's language.
 */
export function addOnnxExport(root, t, { id, file, net, doc }) {
  // called again after a language change: the menu's texts follow
  const menu = exportMenu(root, t);
  menu.relabel(t);
  return menu.add({
    id, key: 'onnxExport', run: () => {
      const n = net();
      if (!n) throw new Error(t('onnxNoNet'));
      let bytes;
      try {
        bytes = toOnnx(n, { name: file.replace(/\.onnx$/, ''), doc: doc(onnxInputDims(n)) });
      } catch (e) {
        throw new Error(t('onnxFailed', { msg: e.message }), { cause: e });
      }
      downloadBlob(file, bytes);
    },
  });
}
