// owndata.test.mjs: the own-data parsers and the export serialisers under
// Node. 2D points CSV (header or not, classes by number or name, regression,
// scaling into the plot, round trip through pointsCsv) and MNIST-layout image
// CSV; every error path asserts its message with line and column (1-based);
// hostile input (huge numbers, NaN, Infinity, empty, wrong column counts, BOM,
// CRLF, open quotes, too many rows). Zip: stored and deflated entries built
// here with zlib, damaged archives, a zip bomb. Exports: history CSV, weights
// CSV and net JSON against a real net (build/wasm), the JSON read back into a
// snapshot equal to net.snapshot(), every mismatch refused; the chart's SVG.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parsePoints, pointsCsv, fit, LIMITS } from '../web/js/2d/csv-points.js';
import { csvRows, DataError } from '../web/js/shared/csv-read.js';
import { parseImageCsv, classesOf, splitImages, toGrey, IMAGE_LIMITS } from '../web/js/mnist/own-images.js';
import { zipEntries, zipRead } from '../web/js/shared/zip.js';
import { historyCsv, weightsCsv, netJson, snapshotFromJson, f32 } from '../web/js/shared/export-formats.js';
import { chartSvg } from '../web/js/shared/chart-svg.js';
import { t } from '../web/js/i18n.js';
import { builds } from './helpers.mjs';
import { makeZip } from './owndata-fixtures.mjs';

const rowsOf = (n, fn) => Array.from({ length: n }, (_, i) => fn(i)).join('\n');
const circle = (n = 12) => rowsOf(n, (i) => `${Math.cos(i)},${Math.sin(i)},${i % 2}`);

/** Asserts that fn throws a DataError with `key` whose English message matches `pattern`. */
function fails(fn, key, pattern) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof DataError, `a DataError, got ${e}`);
    assert.equal(e.key, key, e.message);
    assert.match(e.message, pattern);
    // every message exists in French too, with the same numbers
    assert.notEqual(t('fr', e.key, e.values), e.key);
    return true;
  });
}

describe('2D points CSV', () => {
  test('classes 0/1 with and without a header, BOM and CRLF', () => {
    for (const text of [`x1,x2,label\n${circle()}`, circle(), `\ufeffx1,x2,label\r\n${circle().replaceAll('\n', '\r\n')}\r\n\r\n`]) {
      const d = parsePoints(text);
      assert.equal(d.kind, 'binary');
      assert.equal(d.n, 12);
      assert.equal(d.classes, 2);
      assert.deepEqual(d.counts, [6, 6]);
      assert.equal(d.scale.factor, 1);
      assert.ok(Math.abs(d.x[2] - Math.cos(1)) < 1e-6 && Math.abs(d.x[3] - Math.sin(1)) < 1e-6);
      assert.deepEqual([...d.labels.slice(0, 3)], [0, 1, 0]);
    }
  });

  test('three classes, names in order of first appearance, quoted names', () => {
    const d = parsePoints(`x1,x2,species\n${rowsOf(12, (i) => `${i % 5},${i % 3},"${['setosa', 'versi,color', 'virginica'][i % 3]}"`)}`);
    assert.equal(d.kind, 'multiclass');
    assert.deepEqual(d.names, ['setosa', 'versi,color', 'virginica']);
    assert.deepEqual([...d.labels.slice(0, 4)], [0, 1, 2, 0]);
  });

  test('regression: a y header or non-integer values', () => {
    const byHeader = parsePoints(`x1,x2,y\n${rowsOf(12, (i) => `${i / 4},${-i / 4},${i % 2}`)}`);
    assert.equal(byHeader.kind, 'regression');
    assert.equal(byHeader.classes, 0);
    assert.equal(byHeader.y[3], 1);
    const byValue = parsePoints(rowsOf(12, (i) => `${i / 4},0,${i * 0.5 - 1}`));
    assert.equal(byValue.kind, 'regression');
    assert.equal(byValue.y[1], -0.5);
  });

  test('points beyond the plot are scaled by one factor and centred', () => {
    const d = parsePoints(rowsOf(12, (i) => `${100 + 10 * i},${50 + i},${i % 2}`));
    // x spans 100..210: centre 155, half-range 55 -> factor 5/55, both axes alike
    assert.ok(Math.abs(d.scale.factor - 5 / 55) < 1e-12);
    assert.ok(Math.abs(d.x[0] - -5) < 1e-5 && Math.abs(d.x[22] - 5) < 1e-5);
    assert.ok(Math.abs(d.x[1] - (50 - 55.5) * (5 / 55)) < 1e-5);
    assert.deepEqual(fit(new Float64Array([-6, 6, 6, -6])), { factor: 1, cx: 0, cy: 0 });
  });

  test('pointsCsv round trip: same points, labels and names', () => {
    const rand = (i) => Math.fround(Math.sin(i * 12.9898) * 5.5);
    for (const third of [(i) => i % 3, (i) => ['a', 'b'][i % 2], (i) => rand(i + 100)]) {
      const yHeader = typeof third(1) === 'number' && !Number.isInteger(third(1));
      const d = parsePoints(`x1,x2,${yHeader ? 'y' : 'label'}\n${rowsOf(40, (i) => `${rand(i)},${rand(i + 50)},${third(i)}`)}`);
      const back = parsePoints(pointsCsv(d));
      assert.deepEqual(back.x, d.x);
      assert.deepEqual(back.labels, d.labels);
      assert.deepEqual(back.y, d.y);
      assert.deepEqual(back.names, d.names);
    }
    assert.equal(f32(Math.fround(0.1)), 0.1);
  });

  test('every bad value is named by line and column', () => {
    const good = circle(11).split('\n');
    const withRow = (at, row) => [...good.slice(0, at), row, ...good.slice(at)].join('\n');
    fails(() => parsePoints(`x1,x2,label\n${withRow(4, '1,abc,0')}`), 'csvNotNumber', /^Line 6, column 2: “abc” is not a number/);
    fails(() => parsePoints(withRow(2, 'NaN,1,0')), 'csvNotNumber', /^Line 3, column 1: “NaN”/);
    fails(() => parsePoints(withRow(2, 'Infinity,1,0')), 'csvNotNumber', /^Line 3, column 1/);
    fails(() => parsePoints(withRow(2, '0x10,1,0')), 'csvNotNumber', /^Line 3, column 1/);
    fails(() => parsePoints(withRow(0, '1e309,1,0')), 'csvOutOfRange', /^Line 1, column 1: 1e309 is beyond ±1/);
    fails(() => parsePoints(withRow(0, '1,-2e6,0')), 'csvOutOfRange', /^Line 1, column 2/);
    fails(() => parsePoints(withRow(5, '1,,0')), 'csvEmpty', /^Line 6, column 2: the value is empty/);
    fails(() => parsePoints(withRow(5, '1,2,')), 'csvEmpty', /^Line 6, column 3/);
    fails(() => parsePoints(withRow(3, '1,2')), 'csvColumns', /^Line 4: 2 columns, expected 3/);
    fails(() => parsePoints(withRow(3, '1,2,0,4')), 'csvColumns', /^Line 4: 4 columns, expected 3/);
    fails(() => parsePoints(withRow(3, '1,'.repeat(100))), 'csvTooManyFields', /^Line 4: more than 64 columns/);
    fails(() => parsePoints('x1,x2\n1,2'), 'csvColumns', /^Line 1: 2 columns, expected 3/);
    fails(() => parsePoints(withRow(7, '1,2,7')), 'csvClassRange', /^Line 8, column 3: class “7” is not an integer from 0 to 4/);
    fails(() => parsePoints(rowsOf(12, (i) => `${i},0,${'abcdef'[i % 6]}`)), 'csvTooManyClasses', /^Line 6, column 3: more than 5 class names/);
    fails(() => parsePoints(withRow(2, '1,2,"open')), 'csvOpenQuote', /^Line 3, column 3: a quote is opened/);
    fails(() => parsePoints(rowsOf(12, (i) => `${i},0,1`)), 'csvOneClass', /same class/);
    fails(() => parsePoints(''), 'csvNoRows', /no rows/);
    fails(() => parsePoints('\ufeff\r\n\n'), 'csvNoRows', /no rows/);
    fails(() => parsePoints(circle(5)), 'csvTooFewRows', /Only 5 rows: at least 10/);
    fails(() => parsePoints(`x1,x2,label\n${circle(LIMITS.maxRows + 1)}`), 'csvTooManyRows', /^Line 2,?002: more than 2,?000 rows/);
    fails(() => parsePoints(42), 'csvNotText', /not text/);
  });

  test('CSV reader: quotes, escaped quotes, line numbers across quoted line breaks', () => {
    const rows = csvRows('a,"b ""c""",d\n"multi\nline",2,3\r\n\n4,5,6');
    assert.deepEqual(rows.map((r) => r.line), [1, 2, 5]);
    assert.deepEqual(rows[0].fields, ['a', 'b "c"', 'd']);
    assert.equal(rows[1].fields[0], 'multi\nline');
    // old Mac line ends (a lone CR), spaces around fields, a line of spaces
    const cr = csvRows('a, b\r1 ,2\r  \r3,4');
    assert.deepEqual(cr.map((r) => [r.line, ...r.fields]), [[1, 'a', 'b'], [2, '1', '2'], [4, '3', '4']]);
  });
});

describe('MNIST-layout images', () => {
  const row = (label, px = (p) => p % 256) => [label, ...Array.from({ length: 784 }, (_, p) => px(p))].join(',');
  const csv = (n, header = true) => `${header ? `label,${Array.from({ length: 784 }, (_, p) => `pixel${p}`).join(',')}\n` : ''}${rowsOf(n, (i) => row(i % 10, (p) => (p + i) % 256))}`;

  test('label + 784 pixels, header optional', () => {
    for (const header of [true, false]) {
      const d = parseImageCsv(csv(12, header));
      assert.equal(d.n, 12);
      assert.deepEqual([...d.labels.slice(0, 3)], [0, 1, 2]);
      assert.equal(d.images[784 + 5], 6);
      assert.equal(d.images.length, 12 * 784);
    }
  });

  test('bad labels, pixels and column counts are named by line and column', () => {
    const base = csv(11).split('\n');
    const bad = (r) => [...base, r].join('\n');
    fails(() => parseImageCsv(bad(row(10))), 'csvClassRange', /^Line 13, column 1: class “10” is not an integer from 0 to 9/);
    fails(() => parseImageCsv(bad(row('1.5'))), 'csvClassRange', /^Line 13, column 1/);
    fails(() => parseImageCsv(bad(row(3, (p) => (p === 100 ? 256 : 0)))), 'csvPixel', /^Line 13, column 102: pixel “256”/);
    fails(() => parseImageCsv(bad(row(3, (p) => (p === 0 ? -1 : 0)))), 'csvPixel', /^Line 13, column 2: pixel “-1”/);
    fails(() => parseImageCsv(bad(row(3, (p) => (p === 7 ? 'x' : 0)))), 'csvNotNumber', /^Line 13, column 9/);
    fails(() => parseImageCsv(bad('3,1,2')), 'csvColumns', /^Line 13: 3 columns, expected 785/);
    fails(() => parseImageCsv(bad(`${row(3)},0`)), 'csvColumns', /^Line 13: 786 columns, expected 785/);
    fails(() => parseImageCsv(csv(3)), 'csvTooFewRows', /Only 3 rows/);
    fails(() => parseImageCsv(csv(12), { ...IMAGE_LIMITS, maxImages: 11 }), 'csvTooManyRows', /^Line 13: more than 11 rows/);
  });

  test('classes from folders: digits, names, hidden files, limits', () => {
    const d = classesOf(['set/3/a.png', 'set/7/b.JPG', 'set/3/c.jpeg', '__MACOSX/set/3/._a.png', 'set/readme.txt', 'set/.DS_Store']);
    assert.deepEqual(d.files, [{ path: 'set/3/a.png', label: 3 }, { path: 'set/7/b.JPG', label: 7 }, { path: 'set/3/c.jpeg', label: 3 }]);
    assert.equal(d.names, null);
    const named = classesOf(['cats/x.png', 'dogs/y.png', 'cats/z.png']);
    assert.deepEqual(named.names, ['cats', 'dogs']);
    assert.deepEqual(named.files.map((f) => f.label), [0, 1, 0]);
    fails(() => classesOf(['a.txt']), 'imgNone', /No PNG or JPEG/);
    fails(() => classesOf(['a.png', 'b.png']), 'imgNoFolder', /^a\.png: an image must be in a folder/);
    fails(() => classesOf(['a/1.png', 'a/2.png']), 'imgOneClass', /Only one class folder/);
    fails(() => classesOf(Array.from({ length: 11 }, (_, i) => `c${i}/x.png`)), 'imgTooManyClasses', /11 class folders: at most 10/);
  });

  test('seeded split: same seed same split, every image once, 20 % test', () => {
    const n = 50, images = new Uint8Array(n * 784), labels = Uint8Array.from({ length: n }, (_, i) => i % 10);
    for (let i = 0; i < n; i++) images[i * 784] = i;
    const a = splitImages({ images, labels, n }, 7), b = splitImages({ images, labels, n }, 7), c = splitImages({ images, labels, n }, 8);
    assert.deepEqual(a.train.images, b.train.images);
    assert.notDeepEqual(a.train.images, c.train.images);
    assert.equal(a.test.n, 10);
    assert.equal(a.info.train, 40);
    const ids = [...a.train.images.filter((_, p) => p % 784 === 0), ...a.test.images.filter((_, p) => p % 784 === 0)].sort((x, y) => x - y);
    assert.deepEqual(ids, Array.from({ length: n }, (_, i) => i));
    // labels travel with their images
    for (let i = 0; i < a.train.n; i++) assert.equal(a.train.labels[i], a.train.images[i * 784] % 10);
  });

  test('toGrey: luminance, and a dark digit on white is inverted to MNIST\'s light on black', () => {
    const w = 4, h = 4, rgba = new Uint8ClampedArray(w * h * 4).fill(255);
    rgba.set([0, 0, 0, 255], (1 * w + 1) * 4);
    const { grey, inverted } = toGrey(rgba, w, h);
    assert.equal(inverted, true);
    assert.equal(grey[5], 255);
    assert.equal(grey[0], 0);
    const dark = new Uint8ClampedArray(w * h * 4);
    for (let p = 0; p < w * h; p++) dark[4 * p + 3] = 255;
    dark.set([100, 100, 100, 255], 20);
    const r = toGrey(dark, w, h);
    assert.equal(r.inverted, false);
    assert.equal(r.grey[5], 100);
  });
});

describe('zip', () => {
  const files = { 'd/0/a.png': new Uint8Array([1, 2, 3, 4, 5]), 'd/1/b.png': new Uint8Array(1000).fill(7) };

  test('stored and deflated entries read back', async () => {
    for (const deflate of [true, false]) {
      const zip = makeZip(files, { deflate });
      const entries = zipEntries(zip);
      assert.deepEqual(entries.map((e) => e.name), Object.keys(files));
      for (const e of entries) assert.deepEqual(await zipRead(zip, e), files[e.name]);
    }
  });

  test('damaged archives and a zip bomb are refused with a message', async () => {
    const zip = makeZip(files);
    fails(() => zipEntries(new Uint8Array(10)), 'zipBad', /no end of central directory/);
    fails(() => zipEntries(zip.slice(0, zip.length - 30)), 'zipBad', /./);
    const moved = zip.slice();
    // the directory offset beyond the file
    new DataView(moved.buffer).setUint32(moved.length - 6, 0x7fffffff, true);
    fails(() => zipEntries(moved), 'zipBad', /central directory outside the file/);
    const bomb = makeZip({ 'd/0/big.png': new Uint8Array(5 << 20) });
    assert.ok(bomb.length < 20000);
    const [entry] = zipEntries(bomb);
    await assert.rejects(zipRead(bomb, entry), (e) => e.key === 'zipEntryBig' && /inflates to more than/.test(e.message));
    const garbled = zip.slice();
    const [first] = zipEntries(garbled);
    garbled.fill(0xff, first.offset + 30 + first.name.length, first.offset + 30 + first.name.length + first.csize);
    await assert.rejects(zipRead(garbled, first), (e) => e.key === 'zipBad');
  });
});

describe('exports', () => {
  for (const [name, nn] of builds) {
    test(`${name}: weights CSV and net JSON hold net.params(); the JSON reads back only into the same architecture`, () => {
      const opts = { inputs: 2, layers: [{ units: 3, activation: 'tanh', batchNorm: true }, { units: 2, activation: 'relu' }], outputs: 3,
        output: 'softmax', seed: 4 };
      const net = nn.createNet(opts);
      const data = nn.dataset('blobs', { n: 60, classes: 3, seed: 2 });
      net.train(data, { batchSize: 10, steps: 20 });
      const params = net.params().slice();
      // weights CSV: every parameter once, at its layer's offset
      const rows = weightsCsv(net).trim().split('\n').slice(1).map((r) => r.split(','));
      assert.equal(rows.length, params.length);
      const layers = net.layers();
      for (const [k, , p, r, c, v] of rows) {
        const l = layers[+k], cols = (p === 'W' ? l.W.length : l.b.length) / (l.b ? l.b.length : l.W.length);
        const at = p === 'W' ? l.wOffset + +r * cols + +c : l.bOffset + +r;
        assert.equal(Math.fround(+v), params[at]);
      }
      // JSON: W rows of a dense layer are its units
      const text = netJson(net, { normalisation: { features: ['x1', 'x2'] } });
      const doc = JSON.parse(text);
      assert.equal(doc.format, 'nnplay-net');
      assert.equal(doc.version, 1);
      const dense = doc.layers.find((l) => l.kind === 'dense');
      assert.equal(dense.W.length, 3);
      assert.equal(dense.W[0].length, 2);
      assert.equal(doc.layers.find((l) => l.kind === 'batchnorm').running_var.length, 3);
      const back = snapshotFromJson(text, net);
      assert.deepEqual(back.snapshot, net.snapshot());
      assert.deepEqual(back.normalisation, { features: ['x1', 'x2'] });
      // into a fresh net of the same architecture: the same predictions
      const other = nn.createNet({ ...opts, seed: 9 });
      other.restore(snapshotFromJson(text, other).snapshot);
      const x = new Float32Array([0.3, -1, 2, 0.5]);
      assert.deepEqual(other.predict(x), net.predict(x));
      // another architecture, bad values, hostile text: refused, naming the layer
      const wider = nn.createNet({ ...opts, layers: [{ units: 4, activation: 'tanh', batchNorm: true }, { units: 2, activation: 'relu' }] });
      fails(() => snapshotFromJson(text, wider), 'jsonArch', /layer 0\): dense 2→3 where the net has dense 2→4/);
      const nan = JSON.parse(text);
      nan.layers[0].W[1][0] = 'NaN';
      fails(() => snapshotFromJson(JSON.stringify(nan), net), 'jsonValue', /layer 0, W\[2\]/);
      const negVar = JSON.parse(text);
      negVar.layers.find((l) => l.kind === 'batchnorm').running_var[0] = -1;
      fails(() => snapshotFromJson(JSON.stringify(negVar), net), 'jsonValue', /running_var\[0\]/);
      const short = JSON.parse(text);
      short.layers[0].b.pop();
      fails(() => snapshotFromJson(JSON.stringify(short), net), 'jsonArch', /b needs 3 numbers/);
      fails(() => snapshotFromJson('{', net), 'jsonBad', /cannot be read/);
      fails(() => snapshotFromJson('{"format":"x"}', net), 'jsonBad', /format is not/);
      fails(() => snapshotFromJson('{"format":"nnplay-net","version":2}', net), 'jsonVersion', /version 2/);
      fails(() => snapshotFromJson('null', net), 'jsonBad', /format/);
      for (const n of [net, other, wider]) n.free();
      data.free();
    });
  }

  test('history CSV: columns measured only, NaN as empty fields', () => {
    const csv = historyCsv([{ step: 0, epoch: 0, trainLoss: 0.7, testLoss: 0.69, trainAcc: 0.5, testAcc: 0.4, devLoss: NaN, devAcc: NaN },
      { step: 10, epoch: 1, trainLoss: 0.5, testLoss: NaN, trainAcc: 0.8, testAcc: 0.75, devLoss: NaN, devAcc: NaN }]);
    assert.equal(csv, 'epoch,step,train_loss,train_accuracy,test_loss,test_accuracy\n0,0,0.7,0.5,0.69,0.4\n1,10,0.5,0.8,,0.75\n');
    // the MNIST view's fractional epochs (x), no steps
    assert.equal(historyCsv([{ x: 0.5, trainLoss: 1, devLoss: 2 }]), 'epoch,train_loss,dev_loss\n0.5,1,2\n');
  });

  test('chart SVG: one polyline per curve with every finite point, labels escaped', () => {
    const history = Array.from({ length: 20 }, (_, i) => ({ step: i * 5, trainLoss: 1 / (i + 1), testLoss: i === 3 ? NaN : 1.2 / (i + 1), devLoss: NaN }));
    const svg = chartSvg(history, { labels: { train: 'Train <loss>', test: 'Test & co', x: 'steps', y: 'loss' }, log: true });
    const lines = [...svg.matchAll(/<polyline class="curve" data-key="(\w+)"[^>]* points="([^"]*)"/g)];
    assert.deepEqual(lines.map((m) => m[1]).sort(), ['testLoss', 'trainLoss']);
    const train = lines.find((m) => m[1] === 'trainLoss')[2].split(' ');
    assert.equal(train.length, 20);
    assert.equal(lines.find((m) => m[1] === 'testLoss')[2].split(' ').length, 19);
    // log scale: the first point is at the top (largest loss), x increases
    const pts = train.map((p) => p.split(',').map(Number));
    assert.ok(pts.every(([x], i) => i === 0 || x > pts[i - 1][0]));
    assert.ok(pts.every(([, y], i) => i === 0 || y > pts[i - 1][1]));
    assert.match(svg, /Train &lt;loss&gt;/);
    assert.match(svg, /Test &amp; co/);
    assert.doesNotMatch(svg, /NaN/);
    assert.match(chartSvg([], {}), /<svg[^>]*>[\s\S]*<\/svg>/);
  });
});
