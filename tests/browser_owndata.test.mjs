// browser_owndata.test.mjs: own data and exports in Chromium (issue 14,
// parts 2 and 3). The 2D view: a CSV loaded by the file input and by a
// synthetic drop becomes "Custom (CSV)", shows its counts and trains; a bad
// file names line and column and leaves the data; a link with
// dataset=custom asks for the file. Exports (playwright download events):
// the picture's PNG is 2x the canvas's CSS size, the SVG parses and holds
// the curves, the history and weights CSVs and the JSON match the net
// (JSON weights equal net.params()), the data CSV reads back, the JSON
// loads back. The MNIST view: an image CSV and a zip of PNGs replace its
// digits and train; the CNN view likewise. The one-file page from file://
// loads and exports too. Needs `make page` and `make dist`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { session, ROOT } from './browser_setup.mjs';
import { parsePoints } from '../web/js/2d/csv-points.js';
import { setCustom } from '../web/js/2d/custom-data.js';
import * as S from '../web/js/state.js';
import { load } from '../build/wasm/nnplay.mjs';
import { makeZip, greyPng, bars } from './owndata-fixtures.mjs';

const { open } = session();
const EPOCHS = 40;

/** The page's Trainer in Node on the same file and link, after `epochs` epochs: what the page must show and export. */
async function expected(csv, link, epochs) {
  const { Trainer } = await import('../web/js/2d/model.js');
  setCustom(parsePoints(csv));
  const tr = new Trainer(await load());
  tr.buildData(S.parse(link)['2d']);
  for (let i = 0; i < epochs; i++) tr.train(0);
  const out = { params: Array.from(tr.net.params()), history: tr.history.length, last: tr.history.at(-1) };
  tr.freeEngine();
  setCustom(null);
  return out;
}

// three blobs of 40 points around (-3, -3), (3, -3), (0, 3), classes by name
const blobs = () => {
  const rows = ['x1,x2,kind'];
  for (let i = 0; i < 120; i++) {
    const k = i % 3, a = Math.sin(i * 12.9898) * 0.8, b = Math.cos(i * 78.233) * 0.8;
    rows.push(`${[-3, 3, 0][k] + a},${[-3, -3, 3][k] + b},${['red', 'green', 'blue'][k]}`);
  }
  return `${rows.join('\r\n')}\r\n`;
};

/** Saves what `click` downloads: {name, bytes}. */
async function download(page, click) {
  const [d] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = await d.path();
  return { name: d.suggestedFilename(), bytes: readFileSync(path) };
}

/** Clicks export item `id` of the view (opening the menu first). */
async function exportItem(page, view, id) {
  await page.locator(`${view} .export-menu > summary`).click();
  return download(page, () => page.locator(`#${id}`).click());
}

const pngSize = (bytes) => ({ w: bytes.readUInt32BE(16), h: bytes.readUInt32BE(20) });

test('2D: a CSV by file input and by drop trains; exports match the net', async () => {
  const p = await open('');
  const { page } = p;
  const want = await expected(blobs(), '#dataset=custom', EPOCHS);
  assert.ok(want.last.testAcc > 0.9, `the blobs are learnt in ${EPOCHS} epochs (test accuracy ${want.last.testAcc})`);
  await page.locator('#own-file').setInputFiles({ name: 'blobs.csv', mimeType: 'text/csv', buffer: Buffer.from(blobs()) });
  await page.waitForFunction(() => /blobs\.csv/.test(document.querySelector('#own-status').textContent));
  const status = await page.locator('#own-status').textContent();
  assert.match(status, /120 points, 3 classes \(red: 40 · green: 40 · blue: 40\)/);
  assert.match(status, /60 train \/ 0 dev \/ 60 test/);
  assert.match(page.url(), /dataset=custom/);
  assert.equal(await page.locator('#class-picker button').count(), 3);
  for (let i = 0; i < EPOCHS; i++) await page.locator('#btn-epoch').click();
  await page.waitForFunction((e) => new RegExp(`Epoch ${e} `).test(document.querySelector('#stats').textContent), EPOCHS);
  assert.match(await page.locator('#stats').textContent(), new RegExp(`test ${(100 * want.last.testAcc).toFixed(1)}`));

  // a bad file: line and column named, the data stay
  const bad = `x1,x2,label\n${'1,2,0\n'.repeat(12)}3,oops,1\n`;
  await page.locator('#own-file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await page.waitForFunction(() => document.querySelector('#own-error').textContent.length > 0);
  assert.equal(await page.locator('#own-error').textContent(), 'bad.csv: Line 14, column 2: “oops” is not a number.');
  assert.match(await page.locator('#own-status').textContent(), /blobs\.csv/);

  // exports: PNG at 2x, SVG, CSVs and JSON against the net
  const css = await page.locator('#boundary').evaluate((c) => [c.clientWidth, c.clientHeight]);
  const png = await exportItem(page, '#view-2d', 'ex-png-boundary');
  assert.equal(png.name, 'nnplay-boundary.png');
  assert.deepEqual(pngSize(png.bytes), { w: 2 * css[0], h: 2 * css[1] });
  // the canvas is back at the page's own ratio
  assert.equal(await page.locator('#boundary').evaluate((c) => c.width), css[0]);
  // the network diagram: its canvases at 2x, with the neurons' boxes painted where the page shows them
  const diagram = await page.locator('#view-2d .diagram canvas.maps').evaluate((c) => {
    const at = c.getBoundingClientRect(), node = c.parentElement.querySelector('.node').getBoundingClientRect();
    return { w: c.clientWidth, h: c.clientHeight, x: node.left - at.left, y: node.top - at.top, size: node.width };
  });
  const net = await exportItem(page, '#view-2d', 'ex-png-network');
  assert.equal(net.name, 'nnplay-network.png');
  assert.deepEqual(pngSize(net.bytes), { w: 2 * diagram.w, h: 2 * diagram.h });
  const [border, inside, corner] = await page.evaluate(async ({ bytes, d }) => {
    const img = await createImageBitmap(new Blob([new Uint8Array(bytes)], { type: 'image/png' }));
    const c = new OffscreenCanvas(img.width, img.height), ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const px = (x, y) => [...ctx.getImageData(Math.round(2 * x), Math.round(2 * y), 1, 1).data];
    // the box's left edge half-way down, its middle (the neuron's map), the picture's top-left corner
    return [px(d.x + 0.5, d.y + d.size / 2), px(d.x + d.size / 2, d.y + d.size / 2), px(1, d.h - 1)];
  }, { bytes: [...net.bytes], d: diagram });
  assert.deepEqual(border.slice(0, 3), [0x99, 0x99, 0x99], 'the box border (#999)');
  assert.notDeepEqual(inside.slice(0, 3), [255, 255, 255], 'the map inside the box is drawn');
  assert.deepEqual(corner, [255, 255, 255, 255], 'on white');
  assert.equal(await page.locator('#view-2d .diagram canvas.maps').evaluate((c) => c.width), diagram.w * (await page.evaluate(() => devicePixelRatio)),
    'the diagram is back at the page\'s ratio');
  const lossCss = await page.locator('#chart').evaluate((c) => [c.clientWidth, c.clientHeight]);
  assert.deepEqual(pngSize((await exportItem(page, '#view-2d', 'ex-png-loss')).bytes), { w: 2 * lossCss[0], h: 2 * lossCss[1] });
  const svg = (await exportItem(page, '#view-2d', 'ex-svg-loss')).bytes.toString();
  const curves = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    if (doc.querySelector('parsererror')) return null;
    return [...doc.querySelectorAll('polyline.curve')].map((l) => [l.dataset.key, l.getAttribute('points').split(' ').length]);
  }, svg);
  const historyLength = want.history;
  assert.deepEqual(curves.sort(), [['testLoss', historyLength], ['trainLoss', historyLength]]);
  const history = (await exportItem(page, '#view-2d', 'ex-history')).bytes.toString().trim().split('\n');
  assert.equal(history[0], 'epoch,step,train_loss,train_accuracy,test_loss,test_accuracy');
  assert.equal(history.length, historyLength + 1);
  const params = want.params;
  const weights = (await exportItem(page, '#view-2d', 'ex-weights')).bytes.toString().trim().split('\n').slice(1);
  assert.equal(weights.length, params.length);
  const json = JSON.parse((await exportItem(page, '#view-2d', 'ex-json')).bytes.toString());
  assert.equal(json.format, 'nnplay-net');
  const flat = json.layers.flatMap((l) => [...(l.W ? l.W.flat() : []), ...(l.b ?? [])]);
  assert.deepEqual(flat.map(Math.fround), params);
  assert.deepEqual(json.normalisation.features, ['x1', 'x2']);
  const data = parsePoints((await exportItem(page, '#view-2d', 'ex-data')).bytes.toString());
  assert.equal(data.n, 120);
  assert.deepEqual(data.names.slice().sort(), ['blue', 'green', 'red']);

  // the JSON's weights back into the net after a reset
  await page.locator('#btn-reset').click();
  const jsonText = JSON.stringify(json);
  await page.locator('#own-json-file').setInputFiles({ name: 'net.json', mimeType: 'application/json', buffer: Buffer.from(jsonText) });
  await page.waitForFunction(() => /net\.json/.test(document.querySelector('#own-status').textContent));
  // the net's weights are the file's: its JSON export gives them back, and the stats the trained net's
  const again = JSON.parse((await exportItem(page, '#view-2d', 'ex-json')).bytes.toString());
  assert.deepEqual(again.layers, json.layers);
  assert.match(await page.locator('#stats').textContent(), new RegExp(`test ${(100 * want.last.testAcc).toFixed(1)}`));

  // a drop: a regression set
  await page.evaluate(() => {
    const rows = ['x1,x2,y'];
    for (let i = 0; i < 50; i++) rows.push(`${(i % 10) - 5},${Math.floor(i / 10) - 2},${((i % 10) - 5) * 0.2}`);
    const dt = new DataTransfer();
    dt.items.add(new File([rows.join('\n')], 'plane.csv', { type: 'text/csv' }));
    const target = document.querySelector('#boundary');
    for (const type of ['dragover', 'drop']) target.dispatchEvent(new window.DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  await page.waitForFunction(() => /plane\.csv/.test(document.querySelector('#own-status').textContent));
  assert.match(await page.locator('#own-status').textContent(), /^plane\.csv: 50 points, y from -1 to 0\.8; 25 train \/ 0 dev \/ 25 test/);
  await page.locator('#btn-epoch').click();
  assert.doesNotMatch(await page.locator('#stats').textContent(), /accuracy/i);
  await p.close();
});

test('2D: a link with dataset=custom asks for its file; French', async () => {
  const p = await open('#dataset=custom&lang=fr');
  assert.match(await p.page.locator('#own-status').textContent(), /Un lien ne peut pas transporter le fichier/);
  assert.equal(await p.page.locator('#own-load').textContent(), 'Charger un CSV…');
  await p.close();
});

test('MNIST: an image CSV and a zip of PNGs replace the digits and train; exports', async () => {
  const p = await open('#view=mnist&mHidden=32&mActivation=relu&mOptimizer=adam&mLr=0.01&mEpochs=5&mBatch=20', { wait: false });
  const { page } = p;
  await page.locator('#view-mnist[data-ready="1"]').waitFor({ timeout: 60000 });
  // 200 images in the "label, 784 pixels" layout, with a header
  const csv = [`label,${Array.from({ length: 784 }, (_, i) => `pixel${i}`).join(',')}`,
    ...bars(200).map((b) => `${b.label},${Array.from(b.pixels).join(',')}`)].join('\n');
  await page.locator('#m-own-file').setInputFiles({ name: 'bars.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.waitForFunction(() => /bars\.csv:/.test(document.querySelector('#m-own-status').textContent));
  assert.match(await page.locator('#m-own-status').textContent(), /^bars\.csv: 200 images \(0: 20 · 1: 20 .* 9: 20\); 160 train, 40 test\./);
  await page.locator('#m-play').click();
  await page.waitForFunction(() => /Train on|Entraîner/.test(document.querySelector('#m-play').textContent), null, { timeout: 60000 });
  const acc = async () => Number(/Accuracy test ([\d.]+)\s?%/.exec(await page.locator('#m-status').textContent())?.[1]);
  assert.ok(await acc() >= 90, `bars are learnt: ${await page.locator('#m-status').textContent()}`);

  // a zip of 60 PNGs, 3 classes by name, 32 x 32 (resized) and dark on light (inverted)
  const files = {};
  bars(60, { classes: 3, side: 32, invert: true }).forEach((b, i) => { files[`shapes/${['low', 'mid', 'top'][b.label]}/${i}.png`] = greyPng(32, 32, b.pixels); });
  files['shapes/readme.txt'] = new Uint8Array([104, 105]);
  await page.locator('#m-own-file').setInputFiles({ name: 'shapes.zip', mimeType: 'application/zip', buffer: Buffer.from(makeZip(files)) });
  await page.waitForFunction(() => /shapes\.zip:/.test(document.querySelector('#m-own-status').textContent) || document.querySelector('#m-own-error').textContent);
  assert.equal(await page.locator('#m-own-error').textContent(), '');
  const status = await page.locator('#m-own-status').textContent();
  assert.match(status, /shapes\.zip: 60 images \(low: 20 · mid: 20 · top: 20\); 48 train, 12 test\. 60 resized to 28 × 28\. 60 dark on light/);
  await page.locator('#m-play').click();
  await page.waitForFunction(() => /Train on|Entraîner/.test(document.querySelector('#m-play').textContent), null, { timeout: 60000 });
  assert.ok(await acc() >= 90, `the zip's classes are learnt: ${await page.locator('#m-status').textContent()}`);

  // a bad CSV: line and column, the images stay
  await page.locator('#m-own-file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(`${csv}\n3,${'0,'.repeat(783)}300`) });
  await page.waitForFunction(() => document.querySelector('#m-own-error').textContent.length > 0);
  assert.equal(await page.locator('#m-own-error').textContent(), 'bad.csv: Line 202, column 785: pixel “300” is not an integer from 0 to 255.');
  assert.match(await page.locator('#m-own-status').textContent(), /shapes\.zip/);

  // exports
  const css = await page.locator('#view-mnist canvas.chart').first().evaluate((c) => [c.clientWidth, c.clientHeight]);
  assert.deepEqual(pngSize((await exportItem(page, '#view-mnist', 'm-ex-png-loss')).bytes), { w: 2 * css[0], h: 2 * css[1] });
  // the first-layer weights as drawn, each weight a 2 x 2 block
  const tiles = await page.locator('#m-weights').evaluate((c) => [c.width, c.height]);
  assert.deepEqual(pngSize((await exportItem(page, '#view-mnist', 'm-ex-png-weights')).bytes), { w: 2 * tiles[0], h: 2 * tiles[1] });
  const history = (await exportItem(page, '#view-mnist', 'm-ex-history')).bytes.toString().trim().split('\n');
  assert.match(history[0], /^epoch,train_loss,train_accuracy,test_loss,test_accuracy/);
  assert.ok(history.length > 5);
  const json = JSON.parse((await exportItem(page, '#view-mnist', 'm-ex-json')).bytes.toString());
  assert.deepEqual(json.layers.filter((l) => l.kind === 'dense').map((l) => [l.inputs, l.outputs]), [[784, 32], [32, 10]]);
  const weights = (await exportItem(page, '#view-mnist', 'm-ex-weights')).bytes.toString().trim().split('\n');
  assert.equal(weights.length - 1, 785 * 32 + 33 * 10);
  // the JSON and the CSV hold the same numbers
  const flat = json.layers.flatMap((l) => [...(l.W ? l.W.flat() : []), ...(l.b ?? [])]);
  assert.deepEqual(weights.slice(1).map((r) => Math.fround(Number(r.split(',')[5]))), flat.map(Math.fround));
  // the JSON's weights back after a reset: the same export, the same test accuracy once measured
  const before = await acc();
  await page.locator('#m-reset').click();
  await page.locator('#m-own-json-file').setInputFiles({ name: 'net.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(json)) });
  await page.waitForFunction(() => /net\.json/.test(document.querySelector('#m-own-status').textContent));
  assert.deepEqual(JSON.parse((await exportItem(page, '#view-mnist', 'm-ex-json')).bytes.toString()).layers, json.layers);
  await page.waitForFunction((a) => new RegExp(`Accuracy test ${a.toFixed(2)}`).test(document.querySelector('#m-status').textContent), before, { timeout: 20000 });
  // a net of another size is refused, naming the layer
  const other = { ...json, layers: json.layers.map((l, k) => (k === 0 ? { ...l, outputs: 31 } : l)) };
  await page.locator('#m-own-json-file').setInputFiles({ name: 'other.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(other)) });
  await page.waitForFunction(() => /other\.json/.test(document.querySelector('#m-own-error').textContent));
  assert.match(await page.locator('#m-own-error').textContent(), /layer 0\): dense 784→31 where the net has dense 784→32/);
  await p.close();
});

test('CNN: an image CSV replaces the digits and trains; the export menu saves its net', async () => {
  const p = await open('#view=cnn&cArch=conv4k5p2,maxpool2&mEpochs=3', { wait: false });
  const { page } = p;
  await page.locator('#view-cnn[data-ready="1"]').waitFor({ timeout: 60000 });
  const csv = bars(100).map((b) => `${b.label},${Array.from(b.pixels).join(',')}`).join('\n');
  await page.locator('#c-own-file').setInputFiles({ name: 'bars.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.waitForFunction(() => /bars\.csv:/.test(document.querySelector('#c-own-status').textContent));
  assert.match(await page.locator('#c-own-status').textContent(), /^bars\.csv: 100 images .*; 80 train, 20 test\./);
  await page.locator('#c-play').click();
  await page.waitForFunction(() => /Train on/.test(document.querySelector('#c-play').textContent), null, { timeout: 60000 });
  assert.match(await page.locator('#c-status').textContent(), /Epoch 3/);
  const json = JSON.parse((await exportItem(page, '#view-cnn', 'c-ex-json')).bytes.toString());
  assert.deepEqual(json.layers.map((l) => l.kind).slice(0, 3), ['conv', 'activation', 'maxpool']);
  assert.equal(json.meta.view, 'cnn');
  await p.close();
});

test('dist/nnplay.html from file://: a CSV loads, trains and exports, nothing is fetched', async () => {
  const dist = `${ROOT}dist/nnplay.html`;
  assert.ok(existsSync(dist), 'dist/nnplay.html is missing: run `make dist` before the browser tests');
  const p = await open('', { url: pathToFileURL(dist).href, wait: true, requests: true });
  const { page } = p;
  await page.locator('#own-file').setInputFiles({ name: 'blobs.csv', mimeType: 'text/csv', buffer: Buffer.from(blobs()) });
  await page.waitForFunction(() => /blobs\.csv:/.test(document.querySelector('#own-status').textContent));
  await page.locator('#btn-epoch').click();
  const history = (await exportItem(page, '#view-2d', 'ex-history')).bytes.toString().trim().split('\n');
  assert.equal(history.length, 3);
  const png = await exportItem(page, '#view-2d', 'ex-png-boundary');
  assert.equal(png.bytes.subarray(1, 4).toString(), 'PNG');
  const other = p.requests.filter((u) => u.split('#')[0] !== pathToFileURL(dist).href && !/^(data|blob):/.test(u));
  assert.deepEqual(other, []);
  await p.close();
});
