// browser.test.mjs: the page itself, in headless Chromium through
// playwright-core. It serves web/ with scripts/serve.mjs on a free port of
// 127.0.0.1 (needs `make page` for web/lib) and checks loading without
// errors, training to 90% on Circle, Reset, reproducible shared links, embed
// mode, the keyboard, divergence, hostile links, French, every data set from
// its control, the network diagram, the MNIST view (training, weight images,
// tabs), the single-file dist/nnplay.html from file:// (needs `make dist`)
// and that no page fetches anything from elsewhere; it leaves screenshots of
// the trained page in build/screenshot-2d.png and build/screenshot-mnist.png
// for a person to look at. One browser for all tests, a fresh context per
// test. Chromium and playwright-core are required: when missing, every test
// fails and says what to install.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ROOT, session } from './browser_setup.mjs';
import { course, flatParams } from './course-fixture.mjs';
import { existsSync, mkdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const SCREENSHOT = `${ROOT}build/screenshot-2d.png`;
const SCREENSHOT_MNIST = `${ROOT}build/screenshot-mnist.png`;
const DIST = `${ROOT}dist/nnplay.html`;

const browserSession = session({ viewport: { width: 1200, height: 900 } });
const { ready } = browserSession;

/**
 * A new page on `hash` (of the served page, or after `url`), ready, with its
 * console errors and page errors collected, and the URLs it requested.
 */
async function open(hash = '', options = {}) {
  const p = await browserSession.open(hash, { wait: true, ...options, requests: true });
  // the 2-D view's status (the MNIST view has its own, #m-status)
  return { ...p, status: p.page.locator('#stats') };
}

/** The numbers of the status line, in any language: epoch, step, losses (text) and accuracies (%). */
function parseStatus(text) {
  // English numbers (1,234.5678); the thousands separators go before matching
  const m = /^\D*?(\d+) · \D*?(\d+) · [^·]*?([\d.]+|—) · [^·]*?([\d.]+|—)(?: · [^·]*? ([\d.]+|—)%? \/ [^·]*? ([\d.]+|—)%?)?$/
    .exec(text.trim().replace(/(\d),(?=\d{3})/g, '$1'));
  assert.ok(m, `unexpected status: ${text}`);
  return { epoch: +m[1], step: +m[2], trainLoss: m[3], testLoss: m[4], trainAcc: m[5] ? +m[5] : NaN, testAcc: m[6] ? +m[6] : NaN, text };
}

async function readStatus(status) {
  return parseStatus(await status.textContent());
}

/** Polls the status until `ok(parsed)` holds; returns the parsed status. */
async function waitStatus(status, ok, { timeout = 5000, what = 'status' } = {}) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    last = await readStatus(status);
    if (ok(last)) return last;
    if (Date.now() > end) assert.fail(`${what} not reached within ${timeout} ms; last: ${last.text}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The MNIST view's status, in any language: epoch of epochs, losses (text), test accuracy (%), quick note. */
function parseMnistStatus(text) {
  const m = /^\D*?(\d+)\/(\d+) · [^·]*?([\d.]+) · [^·]*?([\d.]+) · [^·]*? ([\d.]+)%(?: \((.*)\))?$/.exec(text.trim());
  assert.ok(m, `unexpected MNIST status: ${text}`);
  return { epoch: +m[1], epochs: +m[2], trainLoss: m[3], testLoss: m[4], testAcc: +m[5], quick: m[6] ?? '', text };
}

/** Polls #m-status until `ok(parsed)` holds; returns the parsed status. */
async function waitMnist(page, ok, { timeout = 20000, what = 'MNIST status' } = {}) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    last = parseMnistStatus(await page.locator('#m-status').textContent());
    if (ok(last)) return last;
    if (Date.now() > end) assert.fail(`${what} not reached within ${timeout} ms; last: ${last.text}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The pixels of the #m-weights canvas: {width, height, bytes (RGBA, a Buffer), colours (distinct)}. */
async function weightPixels(page) {
  const { width, height, b64 } = await page.locator('#m-weights').evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let bin = '';
    for (let i = 0; i < d.length; i += 0x8000) bin += String.fromCharCode(...d.subarray(i, i + 0x8000));
    return { width: c.width, height: c.height, b64: btoa(bin) };
  });
  const bytes = Buffer.from(b64, 'base64');
  const colours = new Set();
  for (let i = 0; i < bytes.length; i += 4) colours.add(bytes.readUInt32LE(i));
  return { width, height, bytes, colours: colours.size };
}

/** The fraction of pixels that differ between two snapshots of the same canvas. */
function changedFraction(a, b) {
  assert.deepEqual([b.width, b.height], [a.width, a.height], 'the weight canvas kept its size');
  let changed = 0;
  for (let i = 0; i < a.bytes.length; i += 4) if (a.bytes.readUInt32LE(i) !== b.bytes.readUInt32LE(i)) changed++;
  return changed / (a.bytes.length / 4);
}

/** Clicks the MNIST tab (when `click`) and waits for the digits; checks the tabs and panels say MNIST. */
async function showMnist(page, { click = true } = {}) {
  if (click) await page.locator('#tab-mnist').click();
  await page.locator('#view-mnist[data-ready="1"]').waitFor({ timeout: 15000 });
  // the first evaluation runs over the next frames
  await page.waitForFunction(() => /\d%/.test(document.getElementById('m-status').textContent), null, { timeout: 15000 });
  assert.equal(await page.locator('#view-2d').isVisible(), false, '2-D view hidden');
  assert.ok(await page.locator('#view-mnist').isVisible(), 'MNIST view shown');
  assert.equal(await page.locator('#tab-mnist').getAttribute('aria-selected'), 'true');
  assert.equal(await page.locator('#tab-2d').getAttribute('aria-selected'), 'false');
  assert.match(await page.evaluate(() => location.hash), /(^#|&)view=mnist(&|$)/);
  assert.equal((await page.locator('#view-mnist .card > [role="alert"]').textContent()).trim(), '', 'no MNIST message');
}

// about 45 s on a laptop-class machine; the guard leaves room for a slow CI
describe('the page in Chromium', { timeout: 150000 }, () => {
  test('0. prerequisites: web/lib, playwright-core, Chromium, the server', async () => {
    await ready();
  });

  test('1. loads with no console or page error, and becomes ready', async () => {
    const p = await open();
    const { page, status } = p;
    assert.equal(await page.locator('body').getAttribute('data-ready'), '1');
    const s = await readStatus(status);
    assert.match(s.text, /Epoch 0 · Step 0 · Train loss [\d.]+ · Test loss [\d.]+ · Accuracy train [\d.]+% \/ test [\d.]+%/);
    assert.ok(await page.locator('#boundary').isVisible());
    assert.ok(await page.getByRole('button', { name: 'Play' }).isVisible());
    assert.equal(await page.title(), 'nnplay: a neural network playground');
    // let a few frames run, so errors in drawing show up too
    await page.waitForTimeout(300);
    await p.close();
  });

  test('2. Play on Circle reaches 90% test accuracy within 10 s; 10. screenshot', async (t) => {
    const p = await open();
    const { page, status } = p;
    const t0 = Date.now();
    await page.getByRole('button', { name: 'Play' }).click();
    assert.equal(await page.locator('#btn-play').getAttribute('aria-pressed'), 'true');
    const s = await waitStatus(status, (x) => x.testAcc >= 90, { timeout: 10000, what: 'test accuracy ≥ 90%' });
    const took = Date.now() - t0;
    t.diagnostic(`90% after ${took} ms at epoch ${s.epoch}`);
    assert.ok(s.epoch > 0 && s.step > 0, s.text);
    assert.ok(+s.trainLoss < 0.5, s.text);
    // a little more training for a clear picture, then pause and shoot
    await page.waitForTimeout(1000);
    await page.getByRole('button', { name: 'Pause' }).click();
    assert.equal(await page.locator('#btn-play').getAttribute('aria-pressed'), 'false');
    const paused = await readStatus(status);
    assert.ok(paused.testAcc >= 90, paused.text);
    mkdirSync(`${ROOT}build`, { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    assert.ok(existsSync(SCREENSHOT));
    await p.close();
  });

  test('3. Reset restores the initial loss', async () => {
    const p = await open();
    const { page, status } = p;
    const first = await readStatus(status);
    assert.equal(first.step, 0);
    await page.getByRole('button', { name: 'Play' }).click();
    await waitStatus(status, (x) => x.epoch >= 5, { what: 'five epochs' });
    await page.getByRole('button', { name: 'Pause' }).click();
    const trained = await readStatus(status);
    assert.notEqual(trained.trainLoss, first.trainLoss, 'training changed the loss');
    await page.getByRole('button', { name: 'Reset' }).click();
    const again = await waitStatus(status, (x) => x.step === 0, { what: 'step 0 after Reset' });
    assert.equal(again.epoch, 0);
    assert.equal(again.trainLoss, first.trainLoss);
    assert.equal(again.testLoss, first.testLoss);
    assert.equal(again.trainAcc, first.trainAcc);
    await p.close();
  });

  test('4. a shared URL reproduces the same first 20 losses', async () => {
    const hash = '#dataset=spiral&hidden=8,8&lr=0.1&seed=5&dataSeed=3';
    const run = async () => {
      const p = await open(hash);
      const losses = [(await readStatus(p.status)).trainLoss];
      const step = p.page.getByRole('button', { name: 'Step', exact: true });
      for (let k = 1; k <= 20; k++) {
        await step.click();
        const s = await waitStatus(p.status, (x) => x.step >= k, { what: `step ${k}` });
        assert.equal(s.step, k, 'one click, one step');
        losses.push(s.trainLoss);
      }
      await p.close();
      return losses;
    };
    const a = await run();
    const b = await run();
    assert.deepEqual(b, a, 'same link, same losses');
    assert.ok(new Set(a).size > 5, `the losses change: ${a.join(' ')}`);
    assert.ok(a.every((v) => Number.isFinite(+v)), a.join(' '));
  });

  test('5. embed mode hides the chrome and the chosen controls', async () => {
    const p = await open('#embed=1&hide=training,network,dataset,data,features');
    const { page } = p;
    for (const group of ['training', 'network', 'dataset', 'data', 'features']) {
      const loc = page.locator(`[data-control="${group}"]`);
      assert.ok(await loc.count() > 0, `a [data-control=${group}] group exists`);
      for (const el of await loc.all()) assert.equal(await el.isVisible(), false, `${group} is hidden`);
    }
    assert.equal(await page.locator('.chrome').isVisible(), false, 'the header is hidden');
    assert.ok(await page.locator('#boundary').isVisible(), 'the boundary stays');
    assert.ok(await page.locator('.toolbar[data-control="buttons"]').isVisible(), 'the buttons stay');
    assert.ok(await page.locator('#chart').isVisible() && await page.locator('#acc-chart').isVisible(), 'the charts stay');
    const box = await page.locator('#boundary').boundingBox();
    assert.ok(box.width > 100 && box.height > 100, `boundary size ${box.width}x${box.height}`);
    await p.close();
  });

  test('6. keyboard: space toggles play, ArrowRight steps once', async () => {
    const p = await open();
    const { page, status } = p;
    const play = page.locator('#btn-play');
    assert.equal(await play.getAttribute('aria-pressed'), 'false');
    await page.keyboard.press('Space');
    assert.equal(await play.getAttribute('aria-pressed'), 'true');
    await waitStatus(status, (x) => x.step > 0, { what: 'training under space' });
    await page.keyboard.press('Space');
    assert.equal(await play.getAttribute('aria-pressed'), 'false');
    await page.waitForTimeout(150);
    const before = await readStatus(status);
    await page.waitForTimeout(150);
    assert.equal((await readStatus(status)).step, before.step, 'paused: no more steps');
    await page.keyboard.press('ArrowRight');
    const later = await waitStatus(status, (x) => x.step !== before.step, { what: 'a step from ArrowRight' });
    assert.equal(later.step, before.step + 1);
    await page.keyboard.press('ArrowRight');
    await waitStatus(status, (x) => x.step === before.step + 2, { what: 'a second step' });
    assert.equal(await play.getAttribute('aria-pressed'), 'false');
    await p.close();
  });

  test('7. divergence pauses the page and says so; Reset recovers', async () => {
    const p = await open('#dataset=plane&lr=10');
    const { page, status } = p;
    const first = await readStatus(status);
    const message = page.locator('#message');
    assert.equal(await message.getAttribute('role'), 'alert');
    assert.equal((await message.textContent()).trim(), '');
    await page.getByRole('button', { name: 'Play' }).click();
    await page.getByRole('alert').filter({ hasText: 'diverged' }).waitFor({ timeout: 5000 });
    assert.match(await message.textContent(), /diverged/);
    assert.equal(await page.locator('#btn-play').getAttribute('aria-pressed'), 'false', 'paused itself');
    assert.ok(await page.getByRole('button', { name: 'Play' }).isVisible());
    const stopped = await readStatus(status);
    await page.waitForTimeout(300);
    assert.equal((await readStatus(status)).step, stopped.step, 'no training after divergence');
    await page.getByRole('button', { name: 'Reset' }).click();
    const again = await waitStatus(status, (x) => x.step === 0, { what: 'step 0 after Reset' });
    assert.equal(again.trainLoss, first.trainLoss);
    assert.equal((await message.textContent()).trim(), '', 'the message goes away');
    await p.close();
  });

  test('8. malformed links load without error and fall back to sane values', async () => {
    for (const hash of ['#points=abc&lr=-5&dataset=<script>&hidden=999',
      '#dataset="><img src=x onerror=alert(1)>&features=&noise=NaN&seed=-1&%E0%A4%A=1&lang=xx&speed=<b>']) {
      const p = await open(hash);
      const { page, status } = p;
      assert.equal(await page.locator('#ctl-dataset').inputValue(), 'circle', hash);
      assert.equal(await page.locator('#ctl-points').inputValue(), '400', hash);
      assert.equal(await page.locator('#ctl-noise').inputValue(), '0', hash);
      assert.equal(await page.locator('#ctl-lang').inputValue(), 'en', hash);
      const lr = Number(await page.locator('#ctl-lr').inputValue());
      assert.ok(lr >= 1e-5 && lr <= 10, `lr ${lr}`);
      assert.equal(await page.locator('script').count(), 1, 'no injected script');
      assert.equal(await page.locator('img').count(), 0, 'no injected image');
      const s = await readStatus(status);
      assert.equal(s.step, 0);
      assert.ok(Number.isFinite(+s.trainLoss) && Number.isFinite(+s.testLoss), s.text);
      assert.ok(s.trainAcc >= 0 && s.trainAcc <= 100, s.text);
      await page.getByRole('button', { name: 'Step', exact: true }).click();
      await waitStatus(status, (x) => x.step === 1, { what: 'one step' });
      await p.close();
    }
  });

  test('9. lang=fr gives French names', async () => {
    const p = await open('#lang=fr');
    const { page, status } = p;
    assert.ok(await page.getByRole('button', { name: 'Lecture' }).isVisible());
    assert.ok(await page.getByRole('button', { name: 'Réinitialiser' }).isVisible());
    assert.equal(await page.getByRole('button', { name: 'Play' }).count(), 0);
    assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
    assert.match(await status.textContent(), /^Époque 0 · Itération 0 · /);
    await page.getByRole('button', { name: 'Lecture' }).click();
    assert.ok(await page.getByRole('button', { name: 'Pause' }).isVisible());
    await p.close();
  });

  test('11. every data set can be picked in the control, trains, and goes into the URL', async () => {
    const p = await open();
    const { page, status } = p;
    const select = page.locator('#ctl-dataset');
    const names = await select.locator('option').evaluateAll((os) => os.map((o) => o.value));
    // custom: a loaded CSV (browser_owndata); picked without a file it shows the circle
    assert.deepEqual(names, ['circle', 'xor', 'gauss', 'spiral', 'spirals', 'blobs', 'plane', 'cos', 'custom']);
    for (const name of [...names.slice(1), 'circle']) {
      await select.selectOption(name);
      await waitStatus(status, (x) => x.step === 0, { what: `${name}: a fresh net` });
      const hash = await page.evaluate(() => location.hash);
      if (name === 'circle') assert.equal(hash, '', 'back to the defaults: an empty hash');
      else assert.match(hash, new RegExp(`(^#|&)dataset=${name}(&|$)`));
      await page.getByRole('button', { name: 'Step epoch' }).click();
      const s = await waitStatus(status, (x) => x.epoch === 1, { what: `${name}: one epoch` });
      assert.ok(Number.isFinite(+s.trainLoss), `${name}: ${s.text}`);
      const regression = name === 'plane' || name === 'cos';
      assert.equal(Number.isNaN(s.testAcc), regression, `${name}: accuracy shown for classification only`);
    }
    await p.close();
  });

  test('11b. an old link (dataset=multispiral, before the rename) opens the K spirals', async () => {
    const p = await open('#dataset=multispiral&classes=4');
    assert.equal(await p.page.locator('#ctl-dataset').inputValue(), 'spirals');
    assert.equal(await p.page.locator('#ctl-classes').inputValue(), '4');
    await p.close();
  });

  /** A page on `hash` after one epoch, with the diagram's neurons (buttons over the canvas that draws them). */
  async function diagramAfterEpoch(hash) {
    const p = await open(hash);
    await p.page.getByRole('button', { name: 'Step epoch' }).click();
    await waitStatus(p.status, (x) => x.epoch === 1, { what: 'one epoch' });
    await p.page.waitForTimeout(100);
    return { p, nodes: p.page.locator('#diagram .node') };
  }

  test('12. the diagram gives each neuron a name that says where it is', async () => {
    const { p, nodes } = await diagramAfterEpoch('');
    assert.equal(await nodes.count(), 2 + 4 + 2 + 1, 'two inputs, 4 + 2 hidden, one output');
    const labels = await nodes.evaluateAll((cs) => cs.map((c) => c.getAttribute('aria-label')));
    assert.equal(new Set(labels).size, labels.length, `distinct names: ${labels.join(' | ')}`);
    for (const l of labels.slice(2, 8)) assert.doesNotMatch(l, /^Output/, `hidden neuron named "${l}"; all: ${labels.join(' | ')}`);
    assert.match(labels[8], /Output/);
    await p.close();
  });

  test('13. the diagram draws every neuron and link, for 2-D and for 1-D (cos) data', async () => {
    for (const [hash, inputs] of [['', 2], ['#dataset=cos', 1]]) {
      const name = hash || 'circle';
      const { p, nodes } = await diagramAfterEpoch(hash);
      assert.equal(await nodes.count(), inputs + 4 + 2 + 1, name);
      // each neuron's map is drawn on the diagram's canvas under its button
      const blank = await nodes.evaluateAll((ns) => {
        const cv = document.querySelector('#diagram canvas.links'), box = cv.getBoundingClientRect(), k = cv.width / box.width;
        return ns.map((n) => {
          const r = n.getBoundingClientRect();
          const d = cv.getContext('2d').getImageData(Math.round((r.left - box.left + 3) * k), Math.round((r.top - box.top + 3) * k),
            Math.max(1, Math.round((r.width - 6) * k)), Math.max(1, Math.round((r.height - 6) * k))).data;
          return !d.some((v, i) => i % 4 === 3 && v !== 0);
        });
      });
      assert.deepEqual(blank, blank.map(() => false), `${name}: a map in every neuron (true = blank)`);
      // the links: coloured pixels between the first two columns, and a weight on hover
      const [a, b] = [await nodes.nth(0).boundingBox(), await nodes.nth(inputs).boundingBox()];
      const mid = { x: (a.x + a.width + b.x) / 2, y: (a.y + a.height / 2 + b.y + b.height / 2) / 2 };
      await p.page.mouse.move(mid.x, mid.y);
      const tip = p.page.locator('#diagram [role="tooltip"]');
      await tip.waitFor({ timeout: 2000 });
      assert.match(await tip.textContent(), /→.*-?\d\.\d{1,3}( \(.*\))?$/, `${name}: the hovered link says its weight`);
      await p.close();
    }
  });

  test('14. MNIST: Train raises the test accuracy and changes the weight images; tabs; 15. screenshot', async (t) => {
    const p = await open('#view=mnist');
    const { page } = p;
    await showMnist(page, { click: false });
    assert.ok(p.requests.some((u) => u.endsWith('/data/mnist/train-images.gz')), 'the full set, from web/data/mnist');
    assert.equal((await page.locator('#view-mnist .why').textContent()).trim(), '', 'no offline-subset note for the full set');
    const play = page.locator('#m-play');
    assert.match(await play.textContent(), /Train/);
    assert.equal(await play.getAttribute('aria-pressed'), 'false');
    const first = parseMnistStatus(await page.locator('#m-status').textContent());
    assert.equal(first.epoch, 1, first.text);
    assert.ok(first.testAcc < 30, `untrained: ${first.text}`);
    const before = await weightPixels(page);
    assert.ok(before.width > 100 && before.height > 100, `weight canvas ${before.width}x${before.height}`);
    assert.ok(before.colours > 50, `the weight images are drawn (${before.colours} colours)`);

    const t0 = Date.now();
    await play.click();
    assert.match(await play.textContent(), /Pause/);
    assert.equal(await play.getAttribute('aria-pressed'), 'true');
    const s = await waitMnist(page, (x) => x.testAcc >= 80, { what: 'test accuracy ≥ 80%' });
    t.diagnostic(`MNIST ${first.testAcc}% → ${s.testAcc}% after ${Date.now() - t0} ms`);
    assert.ok(Number.isFinite(+s.trainLoss) && +s.testLoss < +first.testLoss, s.text);
    assert.ok(await page.locator('#m-progress').evaluate((e) => e.value) > 0, 'the progress bar moved');
    const later = await weightPixels(page);
    const changed = changedFraction(before, later);
    t.diagnostic(`${(100 * changed).toFixed(1)}% of the weight canvas's pixels changed`);
    assert.ok(changed > 0.05, `the weight images changed: ${(100 * changed).toFixed(2)}% of the pixels`);

    // Pause stops training
    await play.click();
    assert.match(await play.textContent(), /Train/);
    assert.equal(await play.getAttribute('aria-pressed'), 'false');
    const paused = await page.locator('#m-status').textContent();
    await page.waitForTimeout(200);
    assert.equal(await page.locator('#m-status').textContent(), paused, 'paused: the status stays');
    assert.match(await page.evaluate(() => location.hash), /(^#|&)view=mnist(&|$)/, 'the hash still says view=mnist');
    mkdirSync(`${ROOT}build`, { recursive: true });
    await page.screenshot({ path: SCREENSHOT_MNIST, fullPage: true });
    assert.ok(existsSync(SCREENSHOT_MNIST));

    // the tabs: to 2-D and back; the MNIST view keeps its trained net
    await page.locator('#tab-2d').click();
    assert.ok(await page.locator('#view-2d').isVisible(), '2-D view shown');
    assert.equal(await page.locator('#view-mnist').isVisible(), false, 'MNIST view hidden');
    assert.equal(await page.locator('#tab-2d').getAttribute('aria-selected'), 'true');
    assert.equal(await page.locator('#tab-mnist').getAttribute('aria-selected'), 'false');
    assert.doesNotMatch(await page.evaluate(() => location.hash), /view=mnist/);
    assert.ok(await page.locator('#boundary').isVisible());
    await showMnist(page);
    assert.equal(await page.locator('#m-status').textContent(), paused, 'the trained MNIST net is still there');
    await p.close();
  });

  test('16. the served page fetches nothing outside its own origin (2-D play, MNIST tab)', async () => {
    const p = await open();
    const { page, status } = p;
    await page.getByRole('button', { name: 'Play' }).click();
    await waitStatus(status, (x) => x.epoch >= 3, { what: 'three epochs' });
    await page.waitForTimeout(1000);
    await showMnist(page);
    await page.locator('#m-play').click();
    await waitMnist(page, (x) => x.testAcc >= 50, { what: 'some MNIST training' });
    await page.locator('#m-play').click();
    const origin = new URL((await browserSession.urls()).web).origin;
    assert.ok(p.requests.length > 5, `requests were seen: ${p.requests.join(' ')}`);
    const outside = p.requests.filter((u) => new URL(u).origin !== origin);
    assert.deepEqual(outside, [], `only ${origin} is asked`);
    await p.close();
  });

  /** dist/nnplay.html from file://, ready; fails clearly when it is not built. */
  async function openDist(hash = '') {
    assert.ok(existsSync(DIST), 'dist/nnplay.html is missing: run `make dist` before the browser tests');
    return open(hash, { url: pathToFileURL(DIST).href });
  }

  /** Every request of a dist page is the file itself (any hash), or data: or blob:. */
  function assertOnlyTheFile(requests) {
    const file = pathToFileURL(DIST).href;
    const other = requests.filter((u) => u.split('#')[0] !== file && !/^(data|blob):/.test(u));
    assert.deepEqual(other, [], `the file asks for nothing else (${requests.length} requests)`);
  }

  test('17. dist/nnplay.html from file://: 2-D Play reaches 90%, MNIST trains on the offline subset, no requests', async (t) => {
    const p = await openDist();
    const { page, status } = p;
    assert.equal(await page.locator('body').getAttribute('data-ready'), '1');
    assert.equal(await page.title(), 'nnplay: a neural network playground');
    const first = await readStatus(status);
    assert.equal(first.step, 0, first.text);
    let t0 = Date.now();
    await page.getByRole('button', { name: 'Play' }).click();
    const s = await waitStatus(status, (x) => x.testAcc >= 90, { timeout: 10000, what: 'test accuracy ≥ 90% (file://)' });
    t.diagnostic(`file:// 2-D: 90% after ${Date.now() - t0} ms at epoch ${s.epoch}`);
    assert.notEqual(s.trainLoss, first.trainLoss, s.text);
    await page.getByRole('button', { name: 'Pause' }).click();

    await showMnist(page);
    assert.match(await page.locator('#view-mnist .why').textContent(),
      /^Offline copy: 10,000 training and 2,000 test digits/, 'the offline-subset note');
    const m0 = parseMnistStatus(await page.locator('#m-status').textContent());
    assert.ok(m0.testAcc < 30, `untrained: ${m0.text}`);
    t0 = Date.now();
    await page.locator('#m-play').click();
    // the subset's two epochs end near 81%: ask for a clear rise, not more
    const m = await waitMnist(page, (x) => x.testAcc >= 70 && x.testAcc >= m0.testAcc + 30, { what: 'offline MNIST test accuracy ≥ 70%' });
    t.diagnostic(`file:// MNIST ${m0.testAcc}% → ${m.testAcc}% after ${Date.now() - t0} ms`);
    assertOnlyTheFile(p.requests);
    await p.close();
  });

  test('18. dist/nnplay.html: the MNIST status counts the offline test digits right', async () => {
    const p = await openDist('#view=mnist');
    const { page } = p;
    await showMnist(page, { click: false });
    const s = parseMnistStatus(await page.locator('#m-status').textContent());
    assert.ok(s.quick, `a quick estimate before training: ${s.text}`);
    // the offline copy has 2,000 test digits; the note must not promise the full set's 10,000
    assert.doesNotMatch(s.quick, /10,000/, `offline status: ${s.text}`);
    assertOnlyTheFile(p.requests);
    await p.close();
  });

  test('19. the same seed gives the same numbers in Chromium as in Node', async () => {
    // a run with every random stream at work (data, init, shuffle, dropout)
    const run = async (lib) => {
      const { load } = await import(lib);
      const nn = await load({ simd: true });
      const data = nn.dataset('spiral', { n: 200, noise: 0.2, seed: 3 });
      const net = nn.createNet({ inputs: 2, outputs: 2, output: 'softmax', seed: 11, maxBatch: 10,
        layers: [{ units: 8, dropout: 0.1, batchNorm: true }, { units: 8 }], optimizer: { name: 'adam', lr: 0.01 } });
      const losses = [];
      for (let i = 0; i < 50; i++) losses.push(net.train(data, { batchSize: 10, steps: 1 }).loss);
      const out = Array.from(net.predict(new Float32Array([0.5, -1, 2, 3])));
      net.free();
      return { losses, out };
    };
    const node = await run(new URL('../build/wasm/nnplay.mjs', import.meta.url).href);
    const p = await open();
    const browserRun = await p.page.evaluate(`(${run.toString()})('/lib/nnplay.mjs')`);
    assert.deepEqual(browserRun.losses, node.losses, 'identical losses');
    assert.deepEqual(browserRun.out, node.out, 'identical predictions');
    await p.close();
  });

  test('20. the Backprop tab shows the worked example of the course and its SGD step', async () => {
    const p = await open('#view=backprop');
    const { page } = p;
    await page.locator('#view-backprop[data-ready="1"]').waitFor();
    // values show as float32 carries them (0.15, 0.59327): every decimal number of the view
    const numbers = async () => (await page.locator('#view-backprop').innerText()).match(/-?\d+\.\d+(e-?\d+)?/g).map(Number);
    const has = (list, v, what) => assert.ok(list.some((x) => Math.abs(x - v) <= course.tolerance), `${what} ${v} shown`);
    let shown = await numbers();
    // COURSE.md section 4 (tests/course_fixture.json), to 1e-6
    for (const v of [...course.hidden, ...course.outputs, course.E]) has(shown, v, 'forward value');
    for (const v of flatParams(course.grad)) has(shown, v, 'gradient');
    await page.getByRole('button', { name: 'One SGD step' }).click();
    shown = await numbers();
    for (const v of [...flatParams(course.after), course.E_after]) has(shown, v, 'after the step');
    assert.match(await page.locator('#ex-status').textContent(), /Steps: 1/);
    await page.getByRole('button', { name: 'Start values' }).click();
    has(await numbers(), course.E, 'E again after going back');
    // the exercises: each preset computes, and a step lowers the error
    for (const preset of ['net221', 'neuron', 'pixels']) {
      await page.locator('#ex-preset').selectOption(preset);
      const e0 = Number((await page.locator('#ex-status').textContent()).match(/E = (\d+\.\d+)/)[1]);
      for (let i = 0; i < 5; i++) await page.getByRole('button', { name: 'One SGD step' }).click();
      const e1 = Number((await page.locator('#ex-status').textContent()).match(/E = (\d+\.\d+)/)[1]);
      assert.ok(e1 < e0, `${preset}: E falls from ${e0} to ${e1}`);
    }
    // online SGD in the data's order (train without shuffling): six steps on
    // the 1-D neuron equal six single-example steps taken in order in Node
    await page.locator('#ex-preset').selectOption('neuron');
    await page.locator('#ex-mode').selectOption('online');
    assert.match(await page.locator('#ex-status').textContent(), /next: example 1 of 6/);
    for (let i = 0; i < 6; i++) await page.getByRole('button', { name: 'One SGD step' }).click();
    assert.match(await page.locator('#ex-status').textContent(), /Steps: 6 · next: example 1 of 6/);
    const { load } = await import('../build/wasm/nnplay.mjs');
    const nn = await load();
    const net = nn.createNet({ inputs: 1, layers: [], outputs: 1, output: 'tanh', loss: 'se_half',
      optimizer: { name: 'sgd', lr: 0.1 }, maxBatch: 8, seed: 1 });
    net.params().set([0.1, 0]);
    const xs = [-1.2, 0.3, -0.1, 0.0, -0.4, 0.7], ys = [0, 1, 0, 1, 0, 1];
    xs.forEach((x, i) => net.trainBatch({ x: new Float32Array([x]), y: new Float32Array([ys[i]]) }));
    const [w, b] = net.params();
    net.free();
    // the value column, read back as a float32, is the engine's value bit for bit
    const row = async (name) => Number(await page.locator('#ex-table tr', { hasText: name }).locator('td').first().textContent());
    assert.equal(Math.fround(await row('W_out')), w, 'online weight as in Node');
    assert.equal(Math.fround(await row('b_out')), b, 'online bias as in Node');
    await p.close();
  });
});
