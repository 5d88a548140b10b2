// browser_optim.test.mjs: the Optimisers view in headless Chromium (issue
// 12, part 1): the runs move and their losses fall on the quadratic; a
// preset loads its hyper-parameters (Distill's 0.0019 and 0.78); dragging the
// start point (mouse and touch) or moving it with the arrow keys restarts
// every run and goes into the URL; a link round-trips and a malformed one
// falls back; one at a time and step by step; a diverging optimiser is named
// and stops while the others go on; French; one screen at 1366x768 and
// nothing wider than a tablet or a phone. It leaves screenshots of the view
// in English and French at three sizes in build/shots/. Needs `make page`.
// Every wait has a timeout, but no assertion depends on how fast things run.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, statSync } from 'node:fs';
import { ROOT, session } from './browser_setup.mjs';

const SHOTS = `${ROOT}build/shots`;
const browser = session();

/** The view on `hash` (view=optim added), ready; fails on any console or page error at close. */
const open = (hash = '', { width = 1366, height = 768, touch = false } = {}) => browser.open(`#view=optim${hash}`,
  { viewport: { width, height }, context: { hasTouch: touch }, ready: '#view-optim[data-ready="1"]' });

const num = (s) => Number(s.replace(/[,\s\u202f]/g, '').replace('—', 'NaN'));
/** The run table (race mode): name -> {iter, loss, step, note}. */
async function runs(page) {
  const rows = await page.locator('#o-runs tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
  return Object.fromEntries(rows.map(([name, iter, loss, step]) => [name.split(' diverged')[0].split(' waiting')[0],
    { iter: num(iter), loss: num(loss), step: num(step), note: name }]));
}
const iteration = async (page) => num((/(?:Iteration|itération) ([\d,\u202f]+)/i.exec(await page.locator('#o-status').textContent()) ?? [0, '-1'])[1]);
const hashOf = (page) => new URLSearchParams(new URL(page.url()).hash.slice(1));
/** Waits until the status's iteration is in [lo, hi] (the status is redrawn on the next frame). */
const untilIteration = (page, [lo, hi], timeout = 20000) => page.waitForFunction(([a, b]) => {
  const m = /(?:Iteration|itération) ([\d,\u202f]+)/i.exec(document.getElementById('o-status').textContent);
  const k = m ? Number(m[1].replace(/[,\u202f]/g, '')) : NaN;
  return k >= a && k <= b;
}, [lo, hi], { timeout });

/** The canvas's pixels, to compare two moments of the map. */
const snapshot = (page) => page.locator('#o-map').evaluate((c) => c.toDataURL());

/** Page coordinates of the world point (x, y) on the map of a surface with box [x0, x1, y0, y1]. */
async function mapPoint(page, [x0, x1, y0, y1], x, y) {
  const b = await page.locator('#o-map').boundingBox();
  return [b.x + ((x - x0) / (x1 - x0)) * b.width, b.y + (1 - (y - y0) / (y1 - y0)) * b.height];
}

describe('the Optimisers view in Chromium', { timeout: 300000 }, () => {
  test('the runs move and every loss falls on the quadratic', async () => {
    const { page, close } = await open('&oSpeed=slow');
    assert.equal(await page.locator('#tab-optim').getAttribute('aria-selected'), 'true');
    const before = await snapshot(page);
    await untilIteration(page, [40, Infinity]);
    assert.notEqual(await snapshot(page), before, 'the paths are drawn');
    const r = await runs(page);
    assert.deepEqual(Object.keys(r), ['SGD', 'Momentum', 'Nesterov', 'AdaGrad', 'RMSProp', 'Adam']);
    // f at the start (-2.2, 0.5) is 701
    for (const [name, { iter, loss }] of Object.entries(r)) {
      assert.ok(iter >= 40, `${name} moved: ${iter}`);
      assert.ok(loss < 700, `${name}: loss ${loss} below its start`);
    }
    await page.waitForFunction(() => /^Done/.test(document.getElementById('o-status').textContent), null, { timeout: 30000 });
    const done = await runs(page);
    assert.ok(done.Momentum.loss < 0.01 && done.SGD.loss < 1, `after 300: momentum ${done.Momentum.loss}, SGD ${done.SGD.loss}`);
    await close();
  });

  test("a preset loads its hyper-parameters: Distill's alpha 0.0019 and beta 0.78", async () => {
    const { page, close } = await open();
    await page.locator('#ctl-oPreset').selectOption('distill');
    assert.equal(await page.locator('#o-momLr').inputValue(), '0.0019');
    assert.equal(await page.locator('#o-momBeta').inputValue(), '0.78');
    assert.equal(await page.locator('#o-sgdLr').inputValue(), '0.0019');
    assert.equal(await page.locator('#ctl-oIters').inputValue(), '150');
    assert.deepEqual([await page.locator('#o-show-sgd').isChecked(), await page.locator('#o-show-momentum').isChecked(),
      await page.locator('#o-show-nesterov').isChecked()], [true, true, false]);
    assert.match(await page.locator('#o-about').textContent(), /α = 0\.0019.*β = 0\.78/);
    assert.equal(hashOf(page).get('oPreset'), 'distill');
    assert.equal(hashOf(page).get('oMomBeta'), null, 'the preset alone carries its values');
    // a value edited live goes into the link and the runs start again
    await page.locator('#o-momBeta').fill('0.9');
    await page.locator('#o-momBeta').press('Enter');
    await page.waitForFunction(() => /oMomBeta=0\.9/.test(location.hash));
    // another surface leaves the preset
    await page.locator('#ctl-oSurface').selectOption('rosenbrock');
    assert.equal(await page.locator('#ctl-oPreset').inputValue(), 'none');
    assert.equal(await page.locator('#ctl-oX').inputValue(), '-1.2');
    await close();
  });

  test('dragging the start point (mouse, then touch) or the arrow keys restart every run from it', async () => {
    const { page, close } = await open('&oSpeed=slow', { touch: true });
    const box = [-2.5, 2.5, -2, 2];
    await untilIteration(page, [30, Infinity]);
    const [sx, sy] = await mapPoint(page, box, -2.2, 0.5);
    const [tx, ty] = await mapPoint(page, box, 1.5, 1.5);
    await page.mouse.move(sx, sy);
    await page.mouse.down();
    await page.mouse.move((sx + tx) / 2, (sy + ty) / 2, { steps: 4 });
    await page.mouse.move(tx, ty, { steps: 4 });
    await page.mouse.up();
    await untilIteration(page, [0, 29], 5000);
    const x = Number(hashOf(page).get('oX')), y = Number(hashOf(page).get('oY'));
    assert.ok(Math.abs(x - 1.5) < 0.05 && Math.abs(y - 1.5) < 0.05, `the link's start: ${x}, ${y}`);
    assert.equal(Number(await page.locator('#ctl-oX').inputValue()), x);
    const r = await runs(page);
    assert.ok(r.SGD.iter < 30, `SGD from the new start: ${r.SGD.iter}`);
    // a tap puts the start where the finger is
    const [px, py] = await mapPoint(page, box, -1, -1);
    await page.touchscreen.tap(px, py);
    await page.waitForFunction(() => /oX=-1(\.|&|$)/.test(location.hash) || /oX=-0\.99/.test(location.hash), null, { timeout: 5000 });
    assert.ok(Math.abs(Number(hashOf(page).get('oY')) + 1) < 0.05);
    // keyboard: 2% of the box a press, 10% with Shift
    await page.locator('#o-map').focus();
    const x0 = Number(hashOf(page).get('oX'));
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Shift+ArrowUp');
    assert.ok(Math.abs(Number(hashOf(page).get('oX')) - (x0 + 0.1)) < 1e-9, 'ArrowRight: x + 0.1');
    assert.ok(Math.abs(Number(hashOf(page).get('oY')) - (Number(await page.locator('#ctl-oY').inputValue()))) < 1e-9);
    assert.ok(Math.abs(Number(hashOf(page).get('oY')) + 0.6) < 0.05, 'Shift+ArrowUp: y + 0.4');
    await close();
  });

  test('a link round-trips every setting; a malformed one falls back to the defaults', async () => {
    const link = '&oSurface=rosenbrock&oX=-1.5&oY=2&oOptimizers=sgd,adam,adamnobc&oMode=one&oSpeed=slow&oIters=200&oAdamLr=0.02&oChart=step';
    let { page, close } = await open(link);
    assert.equal(await page.locator('#ctl-oSurface').inputValue(), 'rosenbrock');
    assert.equal(await page.locator('#ctl-oMode').inputValue(), 'one');
    assert.equal(await page.locator('#ctl-oChart').inputValue(), 'step');
    assert.equal(await page.locator('#o-adamLr').inputValue(), '0.02');
    assert.deepEqual(Object.keys(await runs(page)), ['SGD', 'Adam', 'Adam, no bias correction']);
    const given = new URLSearchParams(`view=optim${link}`);
    for (const [k, v] of given) assert.equal(hashOf(page).get(k), v, `${k} kept`);
    // one at a time: Adam waits while SGD runs (200 iterations take SGD 3 s at 1 a frame)
    const waiting = await runs(page);
    assert.ok(waiting.SGD.iter < 200 && waiting.Adam.iter === 0, `SGD ${waiting.SGD.iter}, Adam ${waiting.Adam.iter}`);
    assert.match(waiting.Adam.note, /waiting/);
    await close();
    ({ page, close } = await open('&oSurface=himmelblau&oX=abc&oAdamLr=NaN&oOptimizers=sgd,lbfgs&oMode=%3Cb%3E&oIters=-4'));
    assert.equal(await page.locator('#ctl-oSurface').inputValue(), 'quadratic');
    assert.equal(await page.locator('#o-adamLr').inputValue(), '0.1');
    assert.equal(await page.locator('#ctl-oIters').inputValue(), '300');
    assert.equal(Object.keys(await runs(page)).length, 6);
    assert.equal(await page.locator('#ctl-oMode').inputValue(), 'race');
    await close();
    // a start outside the surface's box is put on its edge, in a link or typed (and the note says the box's limits)
    ({ page, close } = await open('&oSurface=rosenbrock&oX=4'));
    await page.waitForFunction(() => /oX=2(&|$)/.test(location.hash));
    await page.locator('#ctl-oY').fill('-3');
    await page.locator('#ctl-oY').press('Enter');
    await page.waitForFunction(() => /oY=-1(&|$)/.test(location.hash));
    assert.equal(await page.locator('.field-oY .clamped').textContent(), 'Using -1: the value must be between -1 and 3.');
    await close();
  });

  test('step by step: one iteration a press, with the gradient and θ', async () => {
    const { page, close } = await open('&oMode=step&oOptimizers=sgd,momentum');
    assert.equal(await page.locator('#o-play').isDisabled(), true);
    assert.equal(await iteration(page), 0);
    await page.locator('#o-step').click();
    // → steps too, when no control has the focus
    await page.evaluate(() => document.activeElement.blur());
    await page.keyboard.press('ArrowRight');
    await untilIteration(page, [2, 2], 5000);
    assert.equal(await iteration(page), 2);
    const head = await page.locator('#o-runs thead th').allTextContents();
    assert.deepEqual(head, ['Optimisers', 'f(θ)', '|Δθ|', 'θ = (x, y)', '∇f']);
    // SGD's second update is -eps times the gradient it used
    const [, , step, theta, grad] = await page.locator('#o-runs tbody tr').first().locator('th, td').allTextContents();
    assert.ok(num(step) > 0 && theta.length > 0 && grad.length > 0);
    await close();
  });

  test('one optimiser diverges: it is named and stops, the others go on', async () => {
    const { page, close } = await open('&oSurface=beale&oSgdLr=10&oSpeed=fast');
    await page.waitForFunction(() => /^Done/.test(document.getElementById('o-status').textContent), null, { timeout: 60000 });
    const r = await runs(page);
    assert.match(r.SGD.note, /diverged at \d+/);
    assert.ok(r.SGD.iter < 1000);
    for (const name of ['Momentum', 'Nesterov', 'AdaGrad', 'RMSProp', 'Adam']) assert.equal(r[name].iter, 1000, name);
    assert.match(await page.locator('#o-message').textContent(), /^SGD: the values became too large/);
    await close();
  });

  test('French: every text of the view', async () => {
    const { page, close } = await open('&lang=fr&oPreset=adagrad');
    assert.equal(await page.locator('#tab-optim').textContent(), 'Optimiseurs');
    assert.match(await page.locator('#o-play').textContent(), /Lecture|Pause/);
    assert.match(await page.locator('#o-about').textContent(), /AdaGrad divise par la somme/);
    assert.match(await page.locator('#o-status').textContent(), /^(Itération|Terminé)/);
    assert.deepEqual(await page.locator('#o-runs thead th').allTextContents(), ['Optimiseurs', 'Itération', 'f(θ)', '|Δθ|']);
    assert.equal(await page.locator('#ctl-oChart option:checked').textContent(), 'Longueur des pas |Δθ|');
    assert.match(await page.locator('#o-params legend').textContent(), /Optimiseurs/);
    await close();
  });

  test('one screen at 1366x768; a tablet and a phone put the map first with nothing wider; screenshots', async () => {
    mkdirSync(SHOTS, { recursive: true });
    for (const [width, height] of [[1366, 768], [768, 1024], [390, 844]]) {
      for (const lang of ['en', 'fr']) {
        const { page, close } = await open(`&lang=${lang}`, { width, height });
        const size = await page.evaluate(() => [document.scrollingElement.scrollWidth, document.scrollingElement.scrollHeight]);
        assert.ok(size[0] <= width, `${width}x${height} ${lang}: ${size[0]} px wide`);
        const map = await page.locator('#o-map').boundingBox(), play = await page.locator('#o-play').boundingBox();
        const controls = await page.locator('.o-controls').boundingBox(), chart = await page.locator('#o-chart').boundingBox();
        assert.ok(map.width >= Math.min(300, width - 40), `the map is ${map.width} px wide`);
        if (width === 1366) {
          assert.ok(size[1] <= height, `one screen: ${size[1]} px high`);
          for (const [what, b] of [['map', map], ['Play', play], ['curves', chart]]) {
            assert.ok(b.y >= 0 && b.y + b.height <= height && b.x + b.width <= width, `${what} on the screen`);
          }
        } else {
          assert.ok(play.y < map.y && map.y < chart.y && chart.y < controls.y, 'Play, the map, the curves, then the controls');
        }
        await page.waitForFunction(() => /^(Done|Terminé)/.test(document.getElementById('o-status').textContent), null, { timeout: 30000 });
        const file = `${SHOTS}/optim-${lang}-${width}x${height}.png`;
        await page.screenshot({ path: file, fullPage: width !== 1366 });
        assert.ok(statSync(file).size > 10000);
        await close();
      }
    }
  });
});
