// browser_sweep.test.mjs: the experiments panel (web/js/shared/sweep/) in
// Chromium, in the MNIST, CNN and 2D views: a small sweep runs in module
// workers; the table sorts both ways by a clicked header; CSV and Markdown
// downloads hold the table; the MNIST numbers equal the same run in Node
// (same data, batch order and initial weights in any thread); a sweep that
// changes the layers says the initial weights differ; a bad spec gives a
// clear message and the page works on. The one-file page from file:// runs
// the same sweep on its main thread. Frames/s during a sweep are reported,
// not asserted (the machine is shared). Needs `make page` and `make dist`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { ROOT, session } from './browser_setup.mjs';
import * as S from '../web/js/state.js';
import { ERR_DIVERGED, load } from '../build/wasm/nnplay.mjs';
import { loadMnist, nodeReader } from '../web/js/mnist.js';
import { mnistSweepSetup } from '../web/js/mnist/sweep.js';
import { parseSweep, planRuns } from '../web/js/shared/sweep/spec.js';
import { freeSets, makeSets, SweepRun } from '../web/js/shared/sweep/runner.js';
import { COLUMNS } from '../web/js/shared/sweep/table.js';

const { open } = session();
const DIST = `${ROOT}dist/nnplay.html`;

/** Runs a sweep in the panel `box` (#m-sweep, #c-sweep, #s-sweep) and waits for its n rows. */
async function sweep(page, box, { spec, epochs, limit, rows }) {
  await page.fill(`${box}-spec`, spec);
  await page.fill(`${box}-epochs`, String(epochs));
  await page.fill(`${box}-limit`, String(limit));
  await page.click(`${box} [data-sweep=toggle]`);
  await page.locator(`${box} [data-sweep=toggle][aria-pressed=false]`).waitFor({ timeout: 120000 });
  assert.equal(await page.locator(`${box} [data-sweep=message]`).textContent(), '', 'no error');
  assert.equal(await page.locator(`${box} [data-sweep=table] tbody tr`).count(), rows);
  return page.locator(`${box} [data-sweep=status]`).textContent();
}

const column = (page, box, k) => page.locator(`${box} [data-sweep=table] tbody tr`).evaluateAll(
  (trs, i) => trs.map((tr) => tr.children[i].textContent), k);

/** Frames per second of `page` over 3 s (requestAnimationFrame). */
const fps = (page) => page.evaluate(() => new Promise((resolve) => {
  let n = 0;
  const t0 = performance.now();
  const tick = () => { n++; if (performance.now() - t0 < 3000) requestAnimationFrame(tick); else resolve((1000 * n) / (performance.now() - t0)); };
  requestAnimationFrame(tick);
}));

/** The text of the file a click on `selector` downloads. */
async function download(page, selector) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return { name: d.suggestedFilename(), text: readFileSync(await d.path(), 'utf8') };
}

test('MNIST: 2 runs in workers, sorted both ways, CSV and Markdown, the numbers Node computes', async (t) => {
  const p = await open('#view=mnist&mDev=500');
  const { page } = p;
  await page.locator('#view-mnist[data-ready="1"]').waitFor({ timeout: 30000 });
  const status = await sweep(page, '#m-sweep', { spec: 'activation=sigmoid,relu', epochs: 1, limit: 1000, rows: 2 });
  assert.match(status, /2 of 2 runs done · in parallel on [12] workers/);
  assert.match(await page.locator('#m-sweep [data-sweep=note]').textContent(), /same initial weights for every run/);
  assert.equal(await page.locator('#m-sweep [data-sweep=weights] figure canvas').count(), 2);
  const labels = await column(page, '#m-sweep', 0);
  assert.deepEqual(labels, ['activation=sigmoid', 'activation=relu']);

  // sort by test accuracy: best first, then the other way
  const acc = COLUMNS.findIndex((c) => c.key === 'testAcc');
  const pct = (s) => parseFloat(s.replace(',', '.'));
  await page.click('#m-sweep [data-sort=testAcc]');
  const down = (await column(page, '#m-sweep', acc)).map(pct);
  assert.ok(down[0] >= down[1], `descending: ${down}`);
  assert.equal(await page.locator('#m-sweep th[aria-sort=descending] [data-sort=testAcc]').count(), 1);
  await page.click('#m-sweep [data-sort=testAcc]');
  const up = (await column(page, '#m-sweep', acc)).map(pct);
  assert.deepEqual(up, [...down].reverse());
  assert.equal(await page.locator('#m-sweep th[aria-sort=ascending]').count(), 1);

  const csv = await download(page, '#m-sweep [data-sweep=csv]');
  assert.equal(csv.name, 'nnplay-sweep.csv');
  const lines = csv.text.trim().split('\n');
  assert.equal(lines[0], COLUMNS.map((c) => c.key).join(','));
  assert.equal(lines.length, 3);
  // in the table's order (ascending accuracy), with the table's numbers
  const rows = lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [COLUMNS[i].key, v])));
  rows.forEach((r, i) => assert.equal((100 * Number(r.testAcc)).toFixed(2), up[i].toFixed(2)));
  const md = await download(page, '#m-sweep [data-sweep=md]');
  assert.equal(md.name, 'nnplay-sweep.md');
  assert.match(md.text, /^activation=sigmoid,relu\n\n\| run \| test accuracy \| test loss \|/);
  assert.equal(md.text.trim().split('\n').filter((l) => l.startsWith('| activation=')).length, 2);

  // the same run in Node: the same numbers (up to the CSV's 7 digits)
  const mnist = await loadMnist(await nodeReader(`${ROOT}web/data/mnist`));
  const view = { ready: true, state: S.parse('view=mnist&mDev=500').mnist, mnist, t: (k) => k };
  const { base, data } = mnistSweepSetup(view, 1000);
  const nn = await load();
  const sets = makeSets(nn, data);
  for (const d of planRuns({ ...base, epochs: 1 }, parseSweep('activation=sigmoid,relu'))) {
    const run = new SweepRun(nn, sets, d, (e) => e.code === ERR_DIVERGED);
    while (!run.done) run.step(1e9);
    const r = run.result(), shown = rows.find((x) => x.label === d.label);
    for (const key of ['testLoss', 'testAcc', 'bestDevLoss', 'bestDevAcc', 'params']) {
      assert.equal(Number(shown[key]), +r[key].toPrecision(7), `${d.label} ${key}: Chromium = Node`);
    }
    run.free();
  }
  freeSets(sets);

  // frames/s while 4 runs train on the whole set in workers, against the same page idle (reported, not asserted)
  const idle = await fps(page);
  await page.fill('#m-sweep-spec', 'lr=0.5,0.2,0.1,0.05');
  await page.fill('#m-sweep-limit', '');
  await page.click('#m-sweep [data-sweep=toggle]');
  const busy = await fps(page);
  t.diagnostic(`MNIST, 4 runs of 60,000 digits in workers: the page at ${busy.toFixed(1)} frames/s, ${idle.toFixed(1)} idle just before`
    + ` (${await page.locator('#m-sweep [data-sweep=status]').textContent()})`);
  // stop it, unless it has already finished (on a fast machine it may: a click would then start another)
  const toggle = page.locator('#m-sweep [data-sweep=toggle]');
  if (await toggle.getAttribute('aria-pressed') === 'true') await toggle.click();
  assert.equal(await toggle.getAttribute('aria-pressed'), 'false', 'stopped');
  await p.close();
});

test('CNN: a 2-run sweep in workers, the filters side by side, French', async () => {
  const p = await open('#view=cnn&lang=fr');
  const { page } = p;
  await page.locator('#view-cnn[data-ready="1"]').waitFor({ timeout: 30000 });
  const status = await sweep(page, '#c-sweep', { spec: 'optimizer=sgd,adam', epochs: 1, limit: 300, rows: 2 });
  assert.match(status, /2 essais terminés sur 2 · en parallèle sur [12] workers/);
  assert.deepEqual(await column(page, '#c-sweep', 0), ['optimizer=sgd', 'optimizer=adam']);
  assert.equal(await page.locator('#c-sweep [data-sweep=weights] figure').count(), 2);
  // samples/s of training alone: evaluating the 10,000 test digits (far longer here) is left out
  const speed = await column(page, '#c-sweep', COLUMNS.findIndex((c) => c.key === 'samplesPerSecond'));
  for (const v of speed) assert.ok(Number(v.replace(/\D/g, '')) > 100, `CNN training samples/s: ${v}`);
  assert.match(await page.locator('#c-sweep [data-sort=testAcc]').textContent(), /précision de test/);
  const md = await download(page, '#c-sweep [data-sweep=md]');
  assert.match(md.text, /\| essai \| précision de test \|/);
  assert.match(md.text, /\d,\d\d\u202f%/, 'French numbers');
  await p.close();
});

test('2D: a sweep from the folded panel, another architecture says the weights differ, a bad spec is refused', async () => {
  const p = await open('#view=2d&dataset=xor');
  const { page } = p;
  await page.click('#sweep-2d summary');
  await sweep(page, '#s-sweep', { spec: 'layers=4,8-8', epochs: 20, limit: '', rows: 2 });
  assert.match(await page.locator('#s-sweep [data-sweep=note]').textContent(), /initial weights differ between runs: layers change them/);
  const params = await column(page, '#s-sweep', COLUMNS.findIndex((c) => c.key === 'params'));
  assert.notEqual(params[0], params[1]);
  await page.click('#s-sweep [data-sort=label]');
  assert.deepEqual(await column(page, '#s-sweep', 0), ['layers=4', 'layers=8-8']);
  await page.click('#s-sweep [data-sort=label]');
  assert.deepEqual(await column(page, '#s-sweep', 0), ['layers=8-8', 'layers=4']);
  const csv = await download(page, '#s-sweep [data-sweep=csv]');
  assert.match(csv.text.split('\n')[1], /^layers=8-8,0\.\d+,/);

  await page.fill('#s-sweep-spec', 'activation=relu,cosine');
  await page.click('#s-sweep [data-sweep=toggle]');
  assert.match(await page.locator('#s-sweep [data-sweep=message]').textContent(),
    /Cannot run this sweep: activation: 'cosine' is not one of linear, sigmoid, tanh, relu/);
  assert.equal(await page.locator('#s-sweep [data-sweep=table] tbody tr').count(), 2, 'the last results stay');
  await page.click('#btn-play');
  await page.locator('#btn-play[aria-pressed=true]').waitFor();
  await p.close();
});

test('the one-file page from file:// runs the sweep on its main thread', async (t) => {
  assert.ok(existsSync(DIST), 'dist/nnplay.html is missing: run `make dist` before the browser tests');
  const p = await open('#view=mnist', { url: pathToFileURL(DIST).href, wait: true });
  const { page } = p;
  await page.locator('#view-mnist[data-ready="1"]').waitFor({ timeout: 30000 });
  const status = await sweep(page, '#m-sweep', { spec: 'activation=sigmoid,relu', epochs: 1, limit: 500, rows: 2 });
  assert.match(status, /2 of 2 runs done · one after another on this page/);
  // frames/s with the runs on the main thread (reported, not asserted)
  await page.fill('#m-sweep-limit', '');
  await page.click('#m-sweep [data-sweep=toggle]');
  t.diagnostic(`file://, 2 runs of the offline digits on the main thread: the page at ${(await fps(page)).toFixed(1)} frames/s`);
  await page.click('#m-sweep [data-sweep=toggle]');
  await p.close();
});
