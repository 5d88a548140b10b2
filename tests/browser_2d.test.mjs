// browser_2d.test.mjs: the 2D view's second pass in Chromium (issue 10):
// data-set presets, warnings that speak, a typed value out of range shows the
// value in use, the status after adding a point while paused, a status that
// does not flood screen readers, the diagram as a group, French numbers, and
// arrow keys on the view tabs. Needs `make page`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { session } from './browser_setup.mjs';

const { open } = session();

test('choosing a data set applies its preset; a link that says otherwise wins', async () => {
  const { page, close } = await open();
  await page.locator('#ctl-dataset').selectOption('spiral');
  await page.waitForFunction(() => /dataset=spiral/.test(location.hash));
  // the preset's two layers of 8 and its sin features, and Adam; none of it in the link
  assert.equal(await page.locator('#feat-sinx1').isChecked(), true);
  assert.equal(await page.locator('#ctl-optimizer').inputValue(), 'adam');
  assert.match(await page.locator('.field-hidden').textContent(), /2.*8 .*8 /s);
  assert.equal(await page.evaluate(() => location.hash), '#dataset=spiral');
  await close();
  const p2 = await open('#dataset=spiral&hidden=3');
  assert.match(await p2.page.locator('.field-hidden').textContent(), /1.*3 /s);
  assert.equal(await p2.page.locator('#ctl-optimizer').inputValue(), 'adam');
  await p2.close();
});

test('a typed learning rate out of range shows the value in use, and says why', async () => {
  const { page, close } = await open();
  const lr = page.locator('#ctl-lr');
  assert.match(await page.locator('.field-lr').getAttribute('title'), /^ε, the size of each step/, 'a tooltip from the course');
  assert.match(await page.locator('#btn-step').getAttribute('title'), /one mini-batch/);
  await lr.fill('-1');
  await lr.press('Enter');
  await page.waitForFunction(() => document.getElementById('ctl-lr').value === '0.00001');
  assert.match(await page.locator('.field-lr .clamped').textContent(), /0\.00001|1e-5/);
  assert.match(await page.evaluate(() => location.hash), /lr=0\.00001/);
  await lr.fill('0.5');
  await lr.press('Enter');
  await page.waitForFunction(() => /lr=0\.5/.test(location.hash));
  assert.equal(await page.locator('.field-lr .clamped').textContent(), '', 'no note for a value in range');
  await close();
});

test('warnings: batch norm on batches of 1, and decay with its formula', async () => {
  const { page, close } = await open('#batchNorm=1&batch=1');
  await page.waitForFunction(() => document.getElementById('hint')?.textContent.length > 0);
  assert.match(await page.locator('#hint').textContent(), /batches of 2 or more/);
  await close();
  const p2 = await open('#decay=0.01');
  await p2.page.getByRole('button', { name: 'Step epoch' }).click();
  await p2.page.waitForFunction(() => /ε_t = ε \/ \(1 \+ decay · t\)/.test(document.getElementById('hint').textContent));
  assert.match(await p2.page.locator('#hint').textContent(), /0\.03 \/ \(1 \+ 0\.01 × 20\) = 0\.025\./);
  await p2.close();
});

test('adding a point while paused updates the status at once', async () => {
  const { page, close } = await open();
  await page.getByRole('button', { name: 'Step epoch' }).click();
  await page.waitForFunction(() => /Epoch 1 /.test(document.getElementById('stats').textContent));
  const before = await page.locator('#stats').textContent();
  // points of the other class in the middle of the inner disc raise the train loss
  const box = await page.locator('#boundary').boundingBox();
  for (const [dx, dy] of [[0, 0], [4, 0], [0, 4], [-4, 0]]) {
    await page.mouse.click(box.x + box.width / 2 + dx, box.y + box.height / 2 + dy, { modifiers: ['Shift'] });
  }
  await page.waitForFunction((b) => document.getElementById('stats').textContent !== b, before);
  const after1 = await page.locator('#stats').textContent();
  assert.match(after1, /Epoch 1 · Step 20 /, 'no training happened');
  await close();
});

test('screen readers: the live status repeats at most every few seconds; the diagram is a group', async () => {
  const { page, close } = await open();
  assert.equal(await page.locator('#diagram').getAttribute('role'), 'group');
  assert.equal(await page.locator('#stats').getAttribute('role'), null);
  const live = page.locator('#view-2d .visually-hidden[role="status"]');
  await page.evaluate(() => {
    window.__liveChanges = 0;
    const el = document.querySelector('#view-2d .visually-hidden[role="status"]');
    new MutationObserver(() => { window.__liveChanges++; }).observe(el, { childList: true, characterData: true, subtree: true });
  });
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForTimeout(3000);
  const changes = await page.evaluate(() => window.__liveChanges);
  const stepped = await page.locator('#stats').textContent();
  assert.ok(changes <= 2, `the live region changed ${changes} times in 3 s of training`);
  assert.doesNotMatch(stepped, /Step 0 /, 'training ran meanwhile');
  await page.getByRole('button', { name: 'Pause' }).click();
  assert.equal(await live.textContent(), await page.locator('#stats').textContent(), 'pausing announces the status');
  await close();
});

test('French: decimal commas and narrow no-break spaces in the status', async () => {
  const { page, close } = await open('#lang=fr');
  await page.getByRole('button', { name: 'Une époque' }).click();
  await page.waitForFunction(() => /Époque 1 /.test(document.getElementById('stats').textContent));
  const text = await page.locator('#stats').textContent();
  assert.match(text, /\d,\d{4}/, `a decimal comma: ${text}`);
  assert.match(text, /\d\u202f%/, `a narrow no-break space before %: ${text}`);
  // "pas" names nothing any more: the counter is an itération, the rate a taux
  assert.match(text, /Itération 20 /);
  assert.equal(await page.locator('label[for="ctl-lr"]').textContent(), 'Taux d’apprentissage');
  assert.equal(await page.locator('#btn-step').textContent(), 'Une itération');
  assert.deepEqual(await page.locator('#ctl-speed option').allTextContents(),
    ['Une itération par image', 'Une époque par image', 'Aussi vite que possible']);
  await close();
});

test('the view tabs follow the arrow keys', async () => {
  const { page, close } = await open();
  await page.locator('#tab-2d').focus();
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => /view=mnist/.test(location.hash));
  assert.equal(await page.locator('#tab-mnist').getAttribute('aria-selected'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'tab-mnist');
  await page.keyboard.press('End');
  await page.waitForFunction(() => /view=optim/.test(location.hash));
  await page.keyboard.press('Home');
  await page.waitForFunction(() => !/view=/.test(location.hash));
  assert.equal(await page.locator('#tab-2d').getAttribute('tabindex'), '0');
  assert.equal(await page.locator('#tab-mnist').getAttribute('tabindex'), '-1');
  await close();
});

test('the diagram: a neuron shows its map, formula and bias; a click on a link types a weight, B a bias', async () => {
  const { page, close } = await open();
  await page.getByRole('button', { name: 'Step epoch' }).click();
  await page.waitForFunction(() => /Epoch 1 /.test(document.getElementById('stats').textContent));
  const nodes = page.locator('#diagram .node');
  // inputs x1, x2, then the first hidden layer's 4 neurons
  await nodes.nth(2).hover();
  const tip = page.locator('#diagram .link-tip');
  await tip.waitFor({ state: 'visible' });
  assert.match(await tip.textContent(), /a = tanh\(Σᵢ wᵢ xᵢ \+ b\)/);
  assert.match(await tip.textContent(), /bias b = /);
  assert.equal(await tip.locator('canvas.node-zoom').count(), 1, 'the map, enlarged');
  // B on the focused neuron: type its bias
  const before = await page.locator('#stats').textContent();
  await nodes.nth(2).focus();
  await page.keyboard.press('b');
  const editor = page.locator('#diagram .diagram-edit');
  await editor.waitFor({ state: 'visible' });
  await editor.fill('2.5');
  await editor.press('Enter');
  await page.locator('#view-2d h1, #title').first().hover().catch(() => {});
  await nodes.nth(2).hover();
  await page.waitForFunction(() => /b = 2\.5 /.test(document.querySelector('#diagram .link-tip').textContent));
  await page.waitForFunction((b) => document.getElementById('stats').textContent !== b, before);
  assert.match(await page.locator('#stats').textContent(), /Epoch 1 · Step 20 /, 'no training: the loss of the edited net');
  // the link from x1 to the first hidden neuron, at its middle
  const mid = await page.evaluate(() => {
    const n = document.querySelectorAll('#diagram .node'), a = n[0].getBoundingClientRect(), b = n[2].getBoundingClientRect();
    return { x: (a.right + b.left) / 2, y: (a.top + a.bottom + b.top + b.bottom) / 4 };
  });
  await page.mouse.click(mid.x, mid.y);
  await editor.waitFor({ state: 'visible' });
  assert.match(await editor.inputValue(), /^-?\d/, 'the editor holds the weight');
  const beforeLink = await page.locator('#stats').textContent();
  await editor.fill('-3');
  await editor.press('Enter');
  await editor.waitFor({ state: 'hidden' });
  // the edited net's loss, measured again without training
  await page.waitForFunction((b) => document.getElementById('stats').textContent !== b, beforeLink, { timeout: 5000 })
    .catch(() => assert.fail(`the status did not change after the weight was typed: ${beforeLink}`));
  assert.match(await page.locator('#stats').textContent(), /Epoch 1 · Step 20 /);
  await close();
});
