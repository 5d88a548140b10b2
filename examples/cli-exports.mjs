// cli-exports.mjs: the exports of nnplay-train (examples/mnist.mjs), the
// same files as the page's Export menu: --export-json (the net in the
// nnplay-net JSON format, README "Exports"), --history-csv (loss and
// accuracy per epoch) and --weights-csv (layer, kind, param, row, col,
// value), written by web/js/shared/export-formats.js.
import { writeFile } from 'node:fs/promises';
import { historyCsv, weightsCsv, netJson } from '../web/js/shared/export-formats.js';
import { SCALE } from '../web/js/mnist.js';

const file = (help) => ({ arg: 'FILE', range: 'a path', parse: (s) => (s !== '' ? s : undefined), help });

/** The flags, in mnist.mjs's FLAGS form. */
export const EXPORT_FLAGS = {
  'export-json': file('write the net at the end as JSON (the nnplay-net format of the page\'s Export menu)'),
  'history-csv': file('write the loss and accuracy of every epoch as CSV'),
  'weights-csv': file('write every weight and bias at the end as CSV (layer, kind, param, row, col, value)'),
};

/** The export flags given (their names), for the writability check before training. */
export const exportsGiven = (o) => Object.keys(EXPORT_FLAGS).filter((name) => o[name] !== undefined);

/**
 * Writes the files the flags ask for: `lines` are the CLI's JSON lines
 * ({epoch, trainLoss, testLoss, testAccuracy, devLoss, devAccuracy}).
 */
export async function writeExports(o, net, lines, { data = 'mnist' } = {}) {
  const history = lines.map((l) => ({ epoch: l.epoch, trainLoss: l.trainLoss, testLoss: l.testLoss, testAcc: l.testAccuracy,
    devLoss: l.devLoss, devAcc: l.devAccuracy }));
  const out = {
    'export-json': () => netJson(net, { normalisation: { pixels: 'bytes 0-255, row-major 28 x 28, light strokes on black', scale: SCALE },
      meta: { view: 'cli', data } }),
    'history-csv': () => historyCsv(history),
    'weights-csv': () => weightsCsv(net),
  };
  for (const name of exportsGiven(o)) {
    await writeFile(o[name], out[name]());
    console.log(`wrote ${o[name]} (--${name})`);
  }
}
