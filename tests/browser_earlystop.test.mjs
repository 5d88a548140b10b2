// browser_earlystop.test.mjs: the dev set and early stopping in Chromium
// (issue 12, part 3). The 2D view: a dev share set from its control splits
// the points as Node does (the dev loss at step 0 is Node's); training
// draws the dev curve and rings the best dev epoch; patience stops training
// at the epoch Node computes; Restore best weights brings back the test
// score reported at the best dev epoch; Play trains on; auto-restore from a
// link; French texts; malformed links load. The MNIST view: a dev set of
// the last training digits, its curve, marker and restore. Expected
// numbers come from the page's own Trainer run in Node (2d/model.js on
// build/wasm). Needs `make page`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { session } from './browser_setup.mjs';
import * as S from '../web/js/state.js';
import { load } from '../build/wasm/nnplay.mjs';

const NNBSP = '\u202f';
const { open } = session();

let engine;
/** What the page should show for a 2D link: the page's Trainer in Node, played until patience stops it. */
async function expected(link) {
  const { Trainer } = await import('../web/js/2d/model.js');
  const tr = new Trainer(engine ??= await load());
  tr.buildData(S.parse(link)['2d']);
  const first = tr.history[0];
  for (let i = 0; i < 5000 && !tr.early.stop; i++) tr.train(0);
  const out = { first, best: { ...tr.early.best }, stop: { ...tr.early.stop }, last: tr.history.at(-1) };
  tr.freeEngine();
  return out;
}

const f4 = (v) => v.toFixed(4);
const status = (page) => page.locator('#stats').textContent();

/** Pixels of canvas `id` within 40 of the dev curve's colour (#0072B2). */
const devPixels = (page, id) => page.evaluate((cid) => {
  const c = document.getElementById(cid), d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i]) < 40 && Math.abs(d[i + 1] - 114) < 40 && Math.abs(d[i + 2] - 178) < 40) n++;
  return n;
}, id);

/** The best-dev marker of canvas `id` (data-best): a ring of the dev colour around a white centre. */
async function assertMarker(page, id) {
  const ring = await page.evaluate((cid) => {
    const c = document.getElementById(cid);
    if (!c.dataset.best) return null;
    const [x, y] = c.dataset.best.split(',').map(Number), ctx = c.getContext('2d');
    const at = (dx, dy) => Array.from(ctx.getImageData(x + dx, y + dy, 1, 1).data);
    const blue = [];
    for (let r = 3; r <= 6; r++) for (let a = 0; a < 16; a++) blue.push(at(Math.round(r * Math.cos(a * Math.PI / 8)), Math.round(r * Math.sin(a * Math.PI / 8))));
    return { centre: at(0, 0), blue: blue.filter(([r, g, b]) => r < 60 && Math.abs(g - 114) < 50 && Math.abs(b - 178) < 50).length };
  }, id);
  assert.ok(ring, `${id}: a best-dev marker is drawn`);
  assert.ok(ring.centre.slice(0, 3).every((v) => v > 200), `${id}: white centre ${ring.centre}`);
  assert.ok(ring.blue >= 8, `${id}: a ring of the dev colour (${ring.blue} pixels)`);
}

const SETTINGS = 'noise=0.5&points=80&trainPct=40&hidden=16,16,16&optimizer=adam&lr=0.01';

test('2D: a dev share, its curve and best marker, patience stops, restore brings back the best test score', { timeout: 120000 }, async () => {
  const want = await expected(`${SETTINGS}&devPct=30&patience=20`);
  const { page, close } = await open(`#${SETTINGS}`);
  assert.doesNotMatch(await status(page), /Dev loss/, 'no dev set by default');
  assert.equal(await page.locator('#earlystop').isHidden(), true);
  for (let i = 0; i < 5; i++) await page.locator('#btn-epoch').click();
  assert.equal(await devPixels(page, 'chart'), 0, 'no dev curve without a dev set');

  await page.locator('#ctl-devPct').fill('30');
  await page.waitForFunction(() => /devPct=30/.test(location.hash));
  // the split and the initial weights as in Node: the same dev loss at step 0
  assert.match(await status(page), new RegExp(`Step 0 · Train loss ${f4(want.first.trainLoss)} · Dev loss ${f4(want.first.devLoss)} · `
    + `Test loss ${f4(want.first.testLoss)}`));
  await page.locator('#ctl-patience').fill('20');
  await page.locator('#ctl-patience').press('Enter');
  await page.waitForFunction(() => /patience=20/.test(location.hash));

  await page.locator('#btn-play').click();
  await page.waitForFunction(() => document.querySelector('#earlystop .es-stop')?.textContent.length > 0, null, { timeout: 60000 });
  assert.equal(await page.locator('#btn-play').getAttribute('aria-pressed'), 'false', 'patience paused training');
  const { best, stop } = want;
  assert.equal(stop.epoch, best.epoch + 20);
  assert.match(await status(page), new RegExp(`^Epoch ${stop.epoch} · `), 'stopped at the epoch Node stops at');
  assert.match(await page.locator('#earlystop .es-stop').textContent(), new RegExp(`Stopped at epoch ${stop.epoch}: no better dev loss for 20 epochs`));
  const panel = await page.locator('#earlystop .es-best').textContent();
  assert.match(panel, new RegExp(`Best dev loss ${f4(best.devLoss)} at epoch ${best.epoch} · test then ${f4(best.testLoss)} `
    + `\\(${(100 * best.testAcc).toFixed(1)}%\\), now ${f4(want.last.testLoss)}`));
  // the dev curve, and the best epoch ringed on both charts and named for screen readers
  assert.ok(await devPixels(page, 'chart') > 100, 'the dev curve is drawn');
  await assertMarker(page, 'chart');
  await assertMarker(page, 'acc-chart');
  assert.match(await page.locator('#chart').getAttribute('aria-label'), new RegExp(`best dev \\(epoch ${best.epoch}\\)`));

  await page.locator('#earlystop-restore').click();
  await page.waitForFunction(() => /restored/.test(document.querySelector('#earlystop .es-best').textContent));
  const restored = await status(page);
  assert.match(restored, new RegExp(`Dev loss ${f4(best.devLoss)} · Test loss ${f4(best.testLoss)} `), 'the test score reported at the best dev epoch');
  assert.match(restored, new RegExp(`/ test ${(100 * best.testAcc).toFixed(1)}%`));
  assert.match(await page.locator('#earlystop .es-best').textContent(), new RegExp(`Weights of epoch ${best.epoch} restored`));

  // Play trains on after a stop; patience counts again from there
  await page.locator('#btn-play').click();
  await page.waitForFunction((e) => Number(/^Epoch (\d+)/.exec(document.getElementById('stats').textContent)?.[1]) > e + 2, stop.epoch);
  assert.equal(await page.locator('#earlystop .es-stop').textContent(), '', 'the stop message is gone');
  await page.locator('#btn-play').click();
  await close();
});

test('2D: the overfit scenario with auto-restore from a link; Reset forgets the best', { timeout: 120000 }, async () => {
  const want = await expected('preset=overfit&patience=20&autoRestore=1');
  const { page, close } = await open('#preset=overfit&patience=20&autoRestore=1&speed=max');
  assert.equal(await page.locator('#ctl-preset').inputValue(), 'overfit');
  assert.equal(await page.locator('#ctl-devPct').inputValue(), '30');
  assert.equal(await page.locator('#ctl-autoRestore').isChecked(), true);
  assert.equal(await page.locator('#ctl-showTest').isChecked(), true, 'the scenario shows the held-out points');
  await page.locator('#btn-play').click();
  await page.waitForFunction(() => document.querySelector('#earlystop .es-stop')?.textContent.length > 0, null, { timeout: 60000 });
  assert.match(await page.locator('#earlystop .es-stop').textContent(), new RegExp(`Best weights \\(epoch ${want.best.epoch}\\) restored`));
  assert.match(await status(page), new RegExp(`Test loss ${f4(want.best.testLoss)} `));
  await page.locator('#btn-reset').click();
  await page.waitForFunction(() => /at epoch 0 /.test(document.querySelector('#earlystop .es-best').textContent));
  assert.match(await status(page), /^Epoch 0 · Step 0/);
  await close();
});

test('2D in French: the dev set, the panel and the controls', { timeout: 120000 }, async () => {
  const want = await expected('preset=overfit&patience=20');
  const { page, close } = await open('#preset=overfit&patience=20&lang=fr');
  assert.equal(await page.locator('label[for=ctl-devPct]').textContent(), 'Part de validation (%)');
  assert.equal(await page.locator('label[for=ctl-patience]').textContent(), 'Patience (époques, 0 = désactivée)');
  assert.equal(await page.locator('#ctl-preset option:checked').textContent(), 'Surapprentissage assuré');
  assert.equal(await page.locator('#earlystop-restore').textContent(), 'Restaurer les meilleurs poids');
  assert.match(await page.locator('.field-devPct').getAttribute('title'), /validation/);
  await page.locator('#btn-play').click();
  await page.waitForFunction(() => document.querySelector('#earlystop .es-stop')?.textContent.length > 0, null, { timeout: 60000 });
  const fr = (v) => f4(v).replace('.', ',');
  assert.match(await status(page), new RegExp(`Perte \\(validation\\) ${fr(want.last.devLoss)} · Perte \\(test\\)`));
  assert.match(await status(page), /Exactitude apprentissage [\d,]+\u202f% \/ validation [\d,]+\u202f% \/ test/);
  assert.match(await page.locator('#earlystop .es-best').textContent(),
    new RegExp(`Meilleure perte de validation ${fr(want.best.devLoss)} à l’époque ${want.best.epoch} · test alors ${fr(want.best.testLoss)}`));
  assert.equal(await page.locator('#earlystop .es-stop').textContent(),
    `Arrêt à l’époque ${want.stop.epoch}${NNBSP}: pas de meilleure perte de validation depuis 20 époques. Restaurez-les, ou Lecture pour continuer.`);
  assert.match(await page.locator('#chart').getAttribute('aria-label'), new RegExp(`meilleure validation \\(époque ${want.best.epoch}\\)`));
  await close();
});

test('malformed dev, patience, auto-restore and scenario values fall back and the page works', async () => {
  const { page, close } = await open('#devPct=abc&patience=-1&autoRestore=2&preset=%3Cb%3E&mDev=1e3&mPatience=x');
  assert.doesNotMatch(await status(page), /Dev loss/);
  assert.equal(await page.locator('#ctl-preset').inputValue(), 'none');
  assert.equal(await page.locator('#ctl-patience').inputValue(), '0');
  assert.equal(await page.locator('#earlystop').isHidden(), true);
  // a patience without a dev set says what it needs
  await page.locator('#ctl-patience').fill('5');
  await page.locator('#ctl-patience').press('Enter');
  await page.waitForFunction(() => /needs a dev set/.test(document.getElementById('earlystop').textContent));
  await page.locator('#btn-epoch').click();
  // the status is written on the next frame: wait for it rather than read it at once
  await page.waitForFunction(() => /^Epoch 1 ·/.test(document.getElementById('stats').textContent), null, { timeout: 10000 })
    .catch(async () => assert.fail(`status after one epoch: ${await status(page)}`));
  await close();
});

test('MNIST: the last training digits as a dev set, the dev curve and marker, restore', { timeout: 180000 }, async () => {
  const { page, close } = await open('#view=mnist&mDev=5000&mHidden=16&mEpochs=1&mPatience=3');
  await page.locator('#view-mnist[data-ready="1"]').waitFor({ timeout: 30000 });
  await page.waitForFunction(() => /Dev loss \d/.test(document.getElementById('m-status').textContent), null, { timeout: 30000 });
  assert.equal(await page.locator('#m-dev-note').textContent(),
    'Dev set: training digits 55,001 to 60,000 (the last 5,000); training uses the first 55,000.');
  assert.match(await page.locator('#m-earlystop').textContent(), /No best epoch yet/);
  assert.equal(await page.locator('#m-earlystop-restore').isDisabled(), true);
  await page.locator('#m-play').click();
  await page.waitForFunction(() => /at epoch 1 /.test(document.querySelector('#m-earlystop .es-best')?.textContent), null, { timeout: 120000 });
  const canvas = page.locator('#view-mnist canvas.chart').first();
  await canvas.evaluate((c) => { c.id = 'm-loss-chart'; });
  await page.waitForFunction(() => document.getElementById('m-loss-chart').dataset.best);
  assert.ok(await devPixels(page, 'm-loss-chart') > 50, 'the dev curve');
  await assertMarker(page, 'm-loss-chart');
  const m = /test then (\d\.\d{4}) \((\d+\.\d\d)%\)/.exec(await page.locator('#m-earlystop .es-best').textContent());
  assert.ok(m, 'the test score at the best epoch');
  await page.locator('#m-earlystop-restore').click();
  await page.waitForFunction(() => /restored/.test(document.querySelector('#m-earlystop .es-best').textContent), null, { timeout: 30000 });
  await page.waitForFunction((loss) => new RegExp(`Test loss ${loss} `).test(document.getElementById('m-status').textContent), m[1], { timeout: 30000 });
  assert.match(await page.locator('#m-status').textContent(), new RegExp(`Accuracy test ${m[2]}%`));
  await close();
});
