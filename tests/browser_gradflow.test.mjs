// browser_gradflow.test.mjs: the gradient-flow panel (shared/gradflow.js)
// in Debian's Chromium, in the 2D and MNIST views: a link opens it with a
// deep net; its lines are drawn, one colour per layer with a legend; the
// numbers of its table are the engine's for the same net trained the same
// steps in Node (the page and Node give the same bits); its buttons load
// the deep nets into the controls and the URL; closing it is in the URL
// too; French texts. Needs `make page`. Waits have timeouts, no assertion
// depends on speed.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { session } from './browser_setup.mjs';
import { load } from '../build/wasm/nnplay.mjs';
import * as S from '../web/js/state.js';
import { layerColors } from '../web/js/shared/flowchart.js';

const browser = session();
const nn = await load();
/** A page on `hash`, ready; fails on any console or page error at close. */
const open = (hash) => browser.open(hash);

/** How many pixels of the canvas are within a small distance of each colour ('#rrggbb'). */
const pixelsOf = (canvas, colors) => canvas.evaluate((c, list) => {
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  const rgb = list.map((h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)));
  const counts = list.map(() => 0);
  for (let p = 0; p < d.length; p += 4) {
    rgb.forEach((q, k) => { if (d[p + 3] > 200 && Math.abs(d[p] - q[0]) + Math.abs(d[p + 1] - q[1]) + Math.abs(d[p + 2] - q[2]) < 30) counts[k]++; });
  }
  return counts;
}, colors);

/** The table's rows: {layer, grad, ratio, saturated, dead} as shown. */
const tableRows = (page, id) => page.locator(`#${id} tbody tr`).evaluateAll((rows) => rows.map((r) => {
  const [grad, ratio, saturated, dead] = [...r.querySelectorAll('td')].map((td) => td.textContent);
  return { layer: r.dataset.layer, grad, ratio, saturated, dead };
}));

/** A number shown to 3 significant digits (short()) against the engine's value. */
function near3(shown, v, what) {
  const n = Number(shown.replace(',', '.'));
  assert.ok(Number.isFinite(n) && Math.abs(n - v) <= 5e-3 * Math.abs(v), `${what}: ${shown} shown, ${v} from the engine`);
}

/** A share shown as a percentage with one decimal against the engine's value (null: '—'). */
function nearPct(shown, v, what) {
  if (v === null) { assert.equal(shown, '—', what); return; }
  const n = Number(shown.replace(',', '.').replace(/\s?%$/u, ''));
  assert.ok(Math.abs(n - 100 * v) <= 0.051, `${what}: ${shown} shown, ${100 * v}% from the engine`);
}

/** Compares the table of the panel `id` with the engine's numbers of `net` (norms) and `units`. */
function assertTable(rows, net, units, what) {
  const layers = net.layers(), g = net.gradNorms(), u = net.updateNorms();
  const dense = layers.map((l, i) => (l.type === 'dense' ? i : -1)).filter((i) => i >= 0);
  assert.equal(rows.length, dense.length, `${what}: a row per layer of weights`);
  dense.forEach((i, k) => {
    const act = k < dense.length - 1 ? layers.findIndex((l, j) => j > i && l.type === 'activation') : -1;
    near3(rows[k].grad, g[i], `${what} row ${k + 1} gradient norm`);
    near3(rows[k].ratio, u.ratios[i], `${what} row ${k + 1} update ratio`);
    nearPct(rows[k].saturated, act >= 0 ? units.saturated[act] : null, `${what} row ${k + 1} saturated`);
    nearPct(rows[k].dead, act >= 0 ? units.dead[act] : null, `${what} row ${k + 1} dead`);
  });
}

describe('the gradient-flow panel in Chromium', { timeout: 240000 }, () => {
  test('2D: a link opens it with the deep sigmoid net; lines, legend and the engine\'s numbers', async () => {
    const p = await open('#gradflow=1&deep=sigmoid');
    const { page } = p;
    const panel = page.locator('#gf-2d-panel');
    assert.equal(await panel.getAttribute('open'), '', 'open from the link');
    assert.equal(await page.locator('#ctl-activation').inputValue(), 'sigmoid', 'the deep net in the controls');
    assert.match(await page.locator('#controls').innerText(), /Hidden layers: 5/);
    assert.equal(await panel.getByRole('button', { name: 'Deep sigmoid' }).getAttribute('aria-pressed'), 'true');
    assert.match(await panel.locator('.gf-why').innerText(), /100 to 1,000 times smaller/);
    assert.match(await panel.locator('.gf-note').innerText(), /press Step or Play/);
    // five epochs of 20 steps (200 training points, batches of 10)
    for (let i = 0; i < 5; i++) await page.locator('#btn-epoch').click();
    await page.waitForFunction(() => /After step 100;/.test(document.querySelector('#gf-2d-table caption')?.textContent), null, { timeout: 10000 });
    const caption = await page.locator('#gf-2d-table caption').innerText();
    assert.match(caption, /After step 100; units at step 100 over the 200 training points\./);
    // the same net, the same steps, in Node
    const { Trainer } = await import('../web/js/2d/model.js');
    const tr = new Trainer(nn);
    tr.buildData(S.parse('gradflow=1&deep=sigmoid')['2d']);
    tr.net.trackUpdates(true);
    for (let i = 0; i < 5; i++) tr.train(0);
    assert.equal(tr.net.steps, 100);
    const rows = await tableRows(page, 'gf-2d-table');
    assertTable(rows, tr.net, tr.net.unitStats(tr.sets.train), '2D');
    assert.deepEqual(rows.map((r) => r.layer), ['1', '2', '3', '4', '5', 'out']);
    const g = tr.net.gradNorms(), dense = tr.net.layers().map((l, i) => (l.type === 'dense' ? i : -1)).filter((i) => i >= 0);
    assert.ok(g[dense.at(-1)] / g[dense[0]] >= 10, 'the first layer\'s gradient is at least 10 times smaller');
    tr.freeEngine();
    // a line per layer: the first and the last hidden layers' colours are on both charts
    const colors = layerColors(5);
    for (const id of ['gf-2d-grad', 'gf-2d-ratio']) {
      const [first, last] = await pixelsOf(page.locator(`#${id}`), [colors[0], colors[4]]);
      assert.ok(first > 20 && last > 20, `${id}: layer 1 (${first} px) and layer 5 (${last} px) drawn`);
    }
    const legend = await page.locator('#gf-2d-legend [role=listitem]').evaluateAll((els) => els.map((e) => [e.textContent, e.dataset.color]));
    assert.deepEqual(legend, [...[1, 2, 3, 4, 5].map((k, i) => [`layer ${k}`, colors[i]]), ['output', '#222']]);
    // the definition of saturation, stated
    assert.match(await panel.locator('.gf-definition').innerText(), /below 10% of its largest \(a sigmoid output outside \[0\.026, 0\.974\]/);
    await p.close();
  });

  test('2D: the buttons load the deep nets; closing the panel goes into the URL', async () => {
    const p = await open('#gradflow=1');
    const { page } = p;
    const panel = page.locator('#gf-2d-panel');
    assert.equal(await panel.getByRole('button', { name: 'Your net' }).getAttribute('aria-pressed'), 'true');
    await panel.getByRole('button', { name: 'Deep ReLU (He)' }).click();
    assert.match(await page.evaluate(() => location.hash), /(^#|&)deep=relu_he(&|$)/);
    assert.equal(await page.locator('#ctl-activation').inputValue(), 'relu');
    assert.equal(await page.locator('#ctl-init').inputValue(), 'he_uniform');
    assert.equal(await panel.getByRole('button', { name: 'Deep ReLU (He)' }).getAttribute('aria-pressed'), 'true');
    assert.match(await panel.locator('.gf-why').innerText(), /He init keeps the signal’s scale/);
    await panel.getByRole('button', { name: 'Sigmoid + batch norm' }).click();
    assert.equal(await page.locator('#ctl-batchNorm').isChecked(), true);
    // a change to the net afterwards: the line says so
    await page.selectOption('#ctl-activation', 'tanh');
    assert.match(await panel.locator('.gf-why').innerText(), /\(changed since\)$/);
    for (let i = 0; i < 3; i++) await page.locator('#btn-step').click();
    await page.waitForFunction(() => /After step 3;/.test(document.querySelector('#gf-2d-table caption')?.textContent), null, { timeout: 10000 });
    await panel.locator('summary').click();
    await page.waitForFunction(() => !/gradflow=/.test(location.hash), null, { timeout: 5000 });
    assert.equal(await panel.getAttribute('open'), null, 'closed');
    // closed, training redraws nothing of it: the caption stays at step 3
    for (let i = 0; i < 3; i++) await page.locator('#btn-step').click();
    await page.waitForFunction(() => /Step 6 ·/.test(document.getElementById('stats').textContent), null, { timeout: 5000 });
    assert.match(await page.locator('#gf-2d-table caption').textContent(), /After step 3;/);
    // open again from the summary: a new history from the step it opens at
    await panel.locator('summary').click();
    await page.waitForFunction(() => /(^#|&)gradflow=1(&|$)/.test(location.hash), null, { timeout: 5000 });
    await page.locator('#btn-step').click();
    await page.waitForFunction(() => /After step 7;/.test(document.querySelector('#gf-2d-table caption')?.textContent), null, { timeout: 10000 });
    await p.close();
  });

  test('2D in French', async () => {
    const p = await open('#lang=fr&gradflow=1&deep=relu_small');
    const { page } = p;
    const panel = page.locator('#gf-2d-panel');
    assert.equal(await panel.locator('summary').innerText(), 'Flux du gradient');
    assert.equal(await panel.getByRole('button', { name: 'ReLU, petite init.' }).getAttribute('aria-pressed'), 'true');
    assert.match(await panel.locator('.gf-why').innerText(), /un sixième de la variance de He/);
    await page.locator('#btn-epoch').click();
    await page.waitForFunction(() => /Après l’itération 20/.test(document.querySelector('#gf-2d-table caption')?.textContent), null, { timeout: 10000 });
    assert.match(await panel.locator('.gf-definition').innerText(), /sous 10\u202f% de son maximum \(une sortie sigmoïde hors de \[0,026\u202f; 0,974\]/);
    assert.deepEqual(await page.locator('#gf-2d-table thead th').allInnerTexts(), ['Couche', '‖∇‖', '‖Δw‖/‖w‖', 'saturées', 'mortes']);
    // decimal commas in the table
    const rows = await tableRows(page, 'gf-2d-table');
    assert.ok(rows.every((r) => !/\d\.\d/.test(`${r.grad}${r.ratio}${r.dead}`)), `French numbers: ${JSON.stringify(rows[0])}`);
    assert.match(rows[0].dead, /^\d+,\d\u202f%$/);
    await p.close();
  });

  test('MNIST: the panel with the deep sigmoid net, the engine\'s numbers, French', async () => {
    const p = await open('#view=mnist&mGradflow=1&mDeep=sigmoid');
    const { page } = p;
    await page.locator('#view-mnist[data-ready="1"]').waitFor({ timeout: 30000 });
    const panel = page.locator('#gf-mnist-panel');
    assert.equal(await panel.getAttribute('open'), '');
    assert.match(await panel.locator('.gf-note').innerText(), /press Train/);
    await page.locator('#m-play').click();
    await page.waitForFunction(() => /After step (\d{2,})/.test(document.querySelector('#gf-mnist-table caption')?.textContent), null, { timeout: 30000 });
    await page.locator('#m-play').click();
    // paused: the next draw counts the units at the step shown
    await page.waitForFunction(() => {
      const m = /After step ([\d,]+); units at step ([\d,]+)/.exec(document.querySelector('#gf-mnist-table caption')?.textContent);
      return m && m[1] === m[2];
    }, null, { timeout: 30000 }).catch(() => {});
    const caption = await page.locator('#gf-mnist-table caption').innerText();
    const [, step, unitStep] = /After step ([\d,]+); units at step ([\d,]+) over the first 250 training digits\./.exec(caption).map((v) => Number(String(v).replace(/,/g, '')));
    const rows = await tableRows(page, 'gf-mnist-table');
    // the same net in Node: the same batches, the units at their step and the norms at theirs
    const { loadMnist, nodeReader } = await import('../web/js/mnist.js');
    const { makeSets, netOptions } = await import('../web/js/mnist/model.js');
    const mnist = await loadMnist(await nodeReader(new URL('../web/data/mnist/', import.meta.url)));
    const sets = makeSets(nn, mnist);
    const s = S.parse('mDeep=sigmoid').mnist;
    const net = nn.createNet(netOptions(s)).trackUpdates(true);
    // (steps: 0 would run to the end of the epoch)
    if (unitStep) net.train(sets.train, { batchSize: s.batch, steps: unitStep });
    const units = net.unitStats(sets.quickTrain[0]);
    if (step > unitStep) net.train(sets.train, { batchSize: s.batch, steps: step - unitStep });
    assert.equal(net.steps, step);
    assertTable(rows, net, units, `MNIST at step ${step}`);
    net.free();
    const colors = layerColors(5);
    const [first, last] = await pixelsOf(page.locator('#gf-mnist-grad'), [colors[0], colors[4]]);
    assert.ok(first > 10 && last > 10, `layer 1 (${first} px) and layer 5 (${last} px) drawn`);
    // the language changes: French texts, the same history
    await page.evaluate(() => { location.hash = location.hash.replace('view=mnist', 'view=mnist&lang=fr'); });
    await page.waitForFunction(() => document.querySelector('#gf-mnist-panel summary')?.textContent === 'Flux du gradient', null, { timeout: 10000 });
    assert.match(await page.locator('#gf-mnist-table caption').innerText(), /^Après l’itération/);
    assert.equal(await page.locator('#gf-mnist-panel').getByRole('button', { name: 'Sigmoïde profond' }).getAttribute('aria-pressed'), 'true');
    await p.close();
  });
});
