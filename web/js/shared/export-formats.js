// export-formats.js: what the export menu and the CLI write, as text: the
// loss/accuracy history as CSV, the weights as CSV (layer, kind, param, row,
// col, value), and the net as JSON in the documented "nnplay-net" format
// (README, "Exports"), which netFromJson reads back into a net of the same
// architecture after checking every field. Pure: a Net (or anything with its
// layers() and bnRunning-backed snapshot()) in, text out; no DOM.
import { toCsv } from './download.js';
import { DataError } from './csv-read.js';

export const NET_FORMAT = 'nnplay-net';

/** The shortest decimal that reads back as the same float32 (0.1, not 0.10000000149011612). */
export function f32(v) {
  for (let p = 1; p < 10; p++) {
    const s = Number(v.toPrecision(p));
    if (Math.fround(s) === v) return s;
  }
  return v;
}
export const NET_VERSION = 1;

// a measure and its column in the CSV; the history keys of the 2D view, the MNIST view and the CLI
const MEASURES = [
  ['train_loss', 'trainLoss'], ['train_accuracy', 'trainAcc'], ['dev_loss', 'devLoss'], ['dev_accuracy', 'devAcc'],
  ['test_loss', 'testLoss'], ['test_accuracy', 'testAcc'],
];
const blank = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : '');

/**
 * CSV of a history [{step?, epoch?, x? (fractional epochs), trainLoss, ...}]:
 * epoch, step (when the history has steps), then train/dev/test loss and
 * accuracy; a value not measured (NaN, missing) is an empty field.
 */
export function historyCsv(history) {
  const steps = history.some((h) => Number.isFinite(h.step));
  const measures = MEASURES.filter(([, k]) => history.some((h) => Number.isFinite(h[k])));
  /** @type {(string | number)[][]} */
  const rows = [['epoch', ...(steps ? ['step'] : []), ...measures.map(([name]) => name)]];
  for (const h of history) {
    rows.push([blank(h.epoch ?? h.x), ...(steps ? [blank(h.step)] : []), ...measures.map(([, k]) => blank(h[k]))]);
  }
  return toCsv(rows);
}

// a layer's parameter blocks as [name, values, rows]: W as (rows, values/rows), b one per row
function blocks(l) {
  const rows = l.b ? l.b.length : l.W ? l.W.length : 0;
  return [['W', l.W, rows], ['b', l.b, rows]].filter(([, v]) => v);
}

/**
 * CSV of a net's parameters: layer (index in net.layers()), kind, param (W
 * or b), row, col, value. A dense layer's W is (outputs, inputs): row the
 * unit, col the input; a convolution's (out channels, in channels x k x k);
 * a bias (b) has col 0.
 */
export function weightsCsv(net) {
  const rows = [['layer', 'kind', 'param', 'row', 'col', 'value']];
  net.layers().forEach((l, k) => {
    for (const [name, v, n] of blocks(l)) {
      const cols = v.length / n;
      for (let i = 0; i < v.length; i++) rows.push([k, l.type, name, Math.floor(i / cols), i % cols, f32(v[i])]);
    }
  });
  return toCsv(rows);
}

const list = (v) => Array.from(v, f32);
const rowsOf = (v, n) => Array.from({ length: n }, (_, r) => list(v.subarray((r * v.length) / n, ((r + 1) * v.length) / n)));

/**
 * The net as a JSON object: {format, version, inputs, outputs, loss,
 * normalisation, layers: [{kind, inputs, outputs, shape, activation,
 * kernel, stride, pad, W (rows of numbers), b, running_mean, running_var}],
 * meta}. `normalisation` says how raw data become the net's inputs (the
 * caller's: pixel scale, 2D features and scaling); meta is free (view, data).
 */
export function netToJson(net, { normalisation = null, meta = {} } = {}) {
  const snap = net.snapshot(), nParams = net.params().length;
  let bnAt = nParams;
  const layers = net.layers().map((l) => {
    const out = { kind: l.type, inputs: l.inputs, outputs: l.outputs, shape: l.shape };
    if (l.activation) out.activation = l.activation;
    if (l.type === 'conv' || /pool/.test(l.type)) Object.assign(out, { kernel: l.kernel, stride: l.stride, pad: l.pad });
    for (const [name, v, n] of blocks(l)) out[name] = name === 'W' ? rowsOf(v, n) : list(v);
    if (l.type === 'batchnorm') {
      const c = l.shape[0];
      out.running_mean = list(snap.subarray(bnAt, bnAt + c));
      out.running_var = list(snap.subarray(bnAt + c, bnAt + 2 * c));
      bnAt += 2 * c;
    }
    return out;
  });
  return { format: NET_FORMAT, version: NET_VERSION, inputs: net.inputs, outputs: net.outputs,
    loss: net.lossName, normalisation, layers, meta };
}

/** The JSON text of netToJson: indented to be read by people, each list of numbers on one line. */
export const netJson = (net, opts) => `${JSON.stringify(netToJson(net, opts), null, 1)
  .replace(/\[\s+(-?[\d.e+-]+(?:,\s+-?[\d.e+-]+)*)\s+\]/g, (m, inner) => `[${inner.split(/,\s+/).join(',')}]`)}\n`;

/** The most characters an imported net file may have (the largest MNIST net as JSON is about 15 MB). */
export const MAX_JSON_CHARS = 64e6;

/**
 * A snapshot (net.snapshot()'s layout) from JSON text written by netJson,
 * for `net`: the file must describe the same architecture (layer kinds and
 * sizes, in order) and hold finite numbers (variances >= 0) of the right
 * counts; every difference is a DataError naming the layer. Returns
 * {snapshot, normalisation, meta}; net.restore(snapshot) then loads it.
 */
export function snapshotFromJson(text, net) {
  if (typeof text !== 'string' || text.length > MAX_JSON_CHARS) throw new DataError('jsonBad', { why: 'too big' });
  let doc;
  try {
    doc = JSON.parse(text.replace(/^\ufeff/, ''));
  } catch (e) {
    throw new DataError('jsonBad', { why: e.message });
  }
  if (!doc || typeof doc !== 'object' || doc.format !== NET_FORMAT) throw new DataError('jsonBad', { why: `format is not "${NET_FORMAT}"` });
  if (doc.version !== NET_VERSION) throw new DataError('jsonVersion', { got: String(doc.version), want: NET_VERSION });
  const layers = net.layers();
  if (!Array.isArray(doc.layers) || doc.layers.length !== layers.length) {
    throw new DataError('jsonArch', { layer: 'count', why: `${Array.isArray(doc.layers) ? doc.layers.length : 'no'} layers, the net has ${layers.length}` });
  }
  const snap = new Float32Array(net.snapshotSize);
  let bnAt = net.params().length;
  const put = (values, at, count, where, min = -Infinity) => {
    const flat = Array.isArray(values) ? values.flat() : null;
    if (!flat || flat.length !== count) throw new DataError('jsonArch', { layer: where.k, why: `${where.name} needs ${count} numbers` });
    flat.forEach((v, i) => {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < min || Math.abs(v) > 3.4e38) {
        throw new DataError('jsonValue', { layer: where.k, name: where.name, index: i });
      }
      snap[at + i] = v;
    });
  };
  layers.forEach((l, k) => {
    const d = doc.layers[k];
    if (!d || typeof d !== 'object' || d.kind !== l.type || d.inputs !== l.inputs || d.outputs !== l.outputs
      || (l.activation && d.activation !== l.activation)) {
      throw new DataError('jsonArch', { layer: k, why: `${describeLayer(d)} where the net has ${describeLayer({ ...l, kind: l.type })}` });
    }
    if (l.W) put(d.W, l.wOffset, l.W.length, { k, name: 'W' });
    if (l.b) put(d.b, l.bOffset, l.b.length, { k, name: 'b' });
    if (l.type === 'batchnorm') {
      const c = l.shape[0];
      put(d.running_mean, bnAt, c, { k, name: 'running_mean' });
      put(d.running_var, bnAt + c, c, { k, name: 'running_var' }, 0);
      bnAt += 2 * c;
    }
  });
  return { snapshot: snap, normalisation: doc.normalisation ?? null, meta: doc.meta ?? {} };
}

function describeLayer(d) {
  if (!d || typeof d !== 'object') return 'nothing';
  const act = typeof d.activation === 'string' ? ` ${d.activation.slice(0, 20)}` : '';
  return `${String(d.kind).slice(0, 20)}${act} ${Number(d.inputs)}→${Number(d.outputs)}`;
}
