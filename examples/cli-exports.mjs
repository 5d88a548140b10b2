// cli-exports.mjs: the exports of nnplay-train (examples/mnist.mjs), the
// same files as the page's Export menu: --export-json (the net in the
// nnplay-net JSON format, README "Exports"), --history-csv (loss and
// accuracy per epoch) and --weights-csv (layer, kind, param, row, col,
// value), written by web/js/shared/export-formats.js; --loss-svg and
// --accuracy-svg (the curves, web/js/shared/chart-svg.js) and --weights-png
// (the first layer's weights or filters as tiles at 2x, web/js/mnist/tiles.js,
// encoded here with node:zlib).
import { writeFile } from 'node:fs/promises';
import { deflateSync } from 'node:zlib';
import { historyCsv, weightsCsv, netJson } from '../web/js/shared/export-formats.js';
import { chartSvg } from '../web/js/shared/chart-svg.js';
import { weightTiles, upscale } from '../web/js/mnist/tiles.js';
import { SCALE } from '../web/js/mnist.js';

const file = (help) => ({ arg: 'FILE', range: 'a path', parse: (s) => (s !== '' ? s : undefined), help });

/** The flags, in mnist.mjs's FLAGS form. */
export const EXPORT_FLAGS = {
  'export-json': file('write the net at the end as JSON (the nnplay-net format of the page\'s Export menu)'),
  'history-csv': file('write the loss and accuracy of every epoch as CSV'),
  'weights-csv': file('write every weight and bias at the end as CSV (layer, kind, param, row, col, value)'),
  'loss-svg': file('write the loss curves (train, test, dev) per epoch as SVG'),
  'accuracy-svg': file('write the accuracy curves per epoch as SVG'),
  'weights-png': file("write the first layer's weights (MLP) or filters (CNN) as tiles, 2 pixels a weight, as PNG"),
};

const CRC = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = CRC[(c ^ b) & 255] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

/** PNG bytes of an RGBA image ({width, height, rgba}): 8-bit RGBA, no filter. */
export function pngBytes({ width, height, rgba }) {
  const chunk = (type, data) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'latin1');
    data.copy(out, 8);
    out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const head = Buffer.alloc(13);
  head.writeUInt32BE(width, 0);
  head.writeUInt32BE(height, 4);
  head.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA, deflate, no filter, no interlace
  const raw = Buffer.alloc(height * (1 + 4 * width));
  for (let y = 0; y < height; y++) raw.set(rgba.subarray(4 * y * width, 4 * (y + 1) * width), y * (1 + 4 * width) + 1);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', head), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** The first layer as tiles: a dense layer on 28 x 28 pixels, or a convolution on one channel. */
export function firstLayerTiles(net) {
  const first = net.layers()[0];
  const side = first.type === 'conv' && first.W.length === first.b.length * first.kernel ** 2 ? first.kernel
    : first.type === 'dense' && first.W.length === first.b.length * 784 ? 28 : 0;
  if (!side) throw new Error(`--weights-png: the first layer (${first.type}) has no weights to show as images`);
  return weightTiles(first.W, first.b.length, { side, cols: side === 28 ? 12 : 8 });
}

/** The export flags given (their names), for the writability check before training. */
export const exportsGiven = (o) => Object.keys(EXPORT_FLAGS).filter((name) => o[name] !== undefined);

const LABELS = (acc) => ({ train: acc ? 'train accuracy' : 'train loss', test: acc ? 'test accuracy' : 'test loss',
  dev: acc ? 'dev accuracy' : 'dev loss', x: 'epoch', y: acc ? 'accuracy (%)' : 'loss' });

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
    'loss-svg': () => chartSvg(history, { metric: 'loss', xKey: 'epoch', labels: LABELS(false) }),
    'accuracy-svg': () => chartSvg(history, { metric: 'accuracy', xKey: 'epoch', labels: LABELS(true) }),
    'weights-png': () => pngBytes(upscale(firstLayerTiles(net), 2)),
  };
  for (const name of exportsGiven(o)) {
    await writeFile(o[name], out[name]());
    console.log(`wrote ${o[name]} (--${name})`);
  }
}
