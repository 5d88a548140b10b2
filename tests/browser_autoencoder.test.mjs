// browser_autoencoder.test.mjs: the autoencoder view (issue 13) in headless
// Chromium. It opens from #view=autoencoder and trains: the reconstruction
// loss falls, the plane plots all 10,000 test digits and a k-NN accuracy
// well above chance; a click on the plane shows the decode of that point,
// equal to net.decode of the code shown (the net saved from the page, loaded
// with the public JS API inside the page); the interpolation's ends equal
// decode(encode(digit)) = predict(digit) of the same net; masking noise
// shows a noisy input beside the output and the clean original; a file of
// nnplay-train --autoencoder --save loads, as does one saved from the page,
// and a bad one is refused; the offline page carries the view;
// French. Needs `make page` (and `make dist` for the offline page).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, session } from './browser_setup.mjs';

const { open } = session();

/** The autoencoder view of `hash`, ready, its first evaluation done. */
async function ae(hash = '#view=autoencoder', options = {}) {
  const p = await open(hash, options);
  await p.page.locator('#view-autoencoder[data-ready="1"]').waitFor({ timeout: 60000 });
  await p.page.waitForFunction(() => /\d[.,]\d{4}$/.test(document.getElementById('a-status').textContent), null, { timeout: 30000 });
  return p;
}

const text = (page, sel) => page.locator(sel).textContent();
/** The test loss of the status, once it shows one. */
async function testLoss(page) {
  await page.waitForFunction(() => /Test loss \d/.test(document.getElementById('a-status').textContent), null, { timeout: 30000 });
  return Number(/Test loss (\d+\.\d+)/.exec(await text(page, '#a-status'))[1]);
}

/** Trains for `ms`, pauses, and waits for the plane's next pass over the test digits (data-pass grows). */
async function trainFor(page, ms) {
  const pass = Number(await page.locator('#a-plane').getAttribute('data-pass') ?? 0);
  await page.click('#a-play');
  await page.waitForTimeout(ms);
  await page.click('#a-play');
  await page.waitForFunction((n) => Number(document.getElementById('a-plane').dataset.pass) > n + 1, pass, { timeout: 30000 });
}

/** The bytes of the net saved from the page ('Save the net'). */
async function saved(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#a-save')]);
  return Array.from(readFileSync(await download.path()));
}

/** The pixel values (0..1, ink 1) a digit canvas shows, tile `i` of `cols` (drawn at 28 px each with `gap`). */
function tile(page, id, i = 0, gap = 0) {
  return page.evaluate((a) => {
    const c = document.getElementById(a.id), d = c.getContext('2d').getImageData(a.i * (28 + a.gap), 0, 28, 28).data;
    return Array.from({ length: 784 }, (_, p) => 1 - d[4 * p] / 255);
  }, { id, i, gap });
}

/** Largest difference between shown pixels and values, in grey levels (the canvas rounds to 1/255). */
const levels = (shown, values) => Math.max(...shown.map((v, p) => Math.abs(Math.round(255 * v) - Math.round(255 * Math.min(1, Math.max(0, values[p]))))));

describe('the autoencoder view in Chromium', { timeout: 900000 }, () => {
  test('trains: the loss falls, 10,000 codes on the plane, a click decodes that point as net.decode does', async () => {
    const p = await ae();
    const { page } = p;
    assert.equal(await page.inputValue('#a-arch'), '784-128-32-2-32-128-784', 'the default architecture');
    assert.equal(await page.inputValue('#a-ctl-mOptimizer'), 'adam', 'the autoencoder\'s training defaults');
    assert.equal(await page.getAttribute('#model-autoencoder', 'aria-selected'), 'true');
    const before = await testLoss(page);
    await trainFor(page, 6000);
    const after = await testLoss(page);
    assert.ok(after < 0.8 * before, `the test loss falls: ${before} -> ${after}`);
    assert.equal(await page.getAttribute('#a-plane', 'data-points'), '10000');
    const knn = /: (\d+\.\d)%/.exec(await text(page, '#a-knn'));
    assert.ok(knn && Number(knn[1]) > 20, `k-NN accuracy in code space twice chance (10 %) at least: ${await text(page, '#a-knn')}`);
    // a click on the plane: the decode shown is net.decode of the code shown
    await page.locator('#a-plane').scrollIntoViewIfNeeded();
    const box = await page.locator('#a-plane').boundingBox();
    await page.mouse.click(box.x + 0.3 * box.width, box.y + 0.6 * box.height);
    const code = (await page.getAttribute('#a-decoded', 'data-code')).split(',').map(Number);
    assert.equal(code.length, 2);
    const shown = await tile(page, 'a-decoded');
    const bytes = await saved(page);
    const decoded = await page.evaluate(async (a) => {
      const { load } = await import(new URL('lib/nnplay.mjs', document.baseURI).href);
      const nn = await load({ baseUrl: new URL('lib/', document.baseURI) });
      const net = nn.loadNet(Uint8Array.from(a.bytes)), k = net.layers().findIndex((l) => l.outputs === 2);
      return Array.from(net.decode(Float32Array.from(a.code), k));
    }, { bytes, code });
    assert.equal(levels(shown, decoded), 0, 'the decode shown is net.decode of its code');
    // a drag moves the point and the decode with it
    await page.mouse.move(box.x + 0.3 * box.width, box.y + 0.6 * box.height);
    await page.mouse.down();
    await page.mouse.move(box.x + 0.7 * box.width, box.y + 0.2 * box.height, { steps: 5 });
    await page.mouse.up();
    assert.notEqual(await page.getAttribute('#a-decoded', 'data-code'), code.join(','), 'dragged');
    // the hover thumbnail: a test digit and its class
    assert.equal(await page.locator('.a-plane .ae-legend > span').count(), 10, 'a key of the ten classes');
    await p.close();
  });

  test('interpolation ends are decode(encode(digit)); masking noise shows noisy input, output and clean original', async () => {
    const p = await ae('#view=autoencoder&aDigitA=3&aDigitB=7');
    const { page } = p;
    await trainFor(page, 3000);
    assert.equal(await page.getAttribute('#a-interp', 'data-ends'), '3,7');
    const bytes = await saved(page);
    const ref = await page.evaluate(async (a) => {
      const { load } = await import(new URL('lib/nnplay.mjs', document.baseURI).href);
      const nn = await load({ baseUrl: new URL('lib/', document.baseURI) });
      const net = nn.loadNet(Uint8Array.from(a.bytes));
      // the digits as the page shows them (their bytes / 255 are exactly what the canvas's greys give back)
      const digit = (id) => {
        const d = document.getElementById(id).getContext('2d').getImageData(0, 0, 28, 28).data;
        return Float32Array.from({ length: 784 }, (_, i) => (255 - d[4 * i]) / 255);
      };
      const k = net.layers().findIndex((l) => l.outputs === 2), x = new Float32Array(1568);
      x.set(digit('a-end-a'));
      x.set(digit('a-end-b'), 784);
      const dec = net.decode(net.encode(x, k), k), pred = net.predict(x);
      return { dec: Array.from(dec), same: dec.every((v, i) => v === pred[i]) };
    }, { bytes });
    assert.ok(ref.same, 'decode(encode(x)) equals predict(x) bit for bit');
    assert.equal(levels(await tile(page, 'a-interp', 0, 2), ref.dec.slice(0, 784)), 0, 'first step: digit A decoded');
    assert.equal(levels(await tile(page, 'a-interp', 9, 2), ref.dec.slice(784)), 0, 'last step: digit B decoded');
    // noise: masking 0.5 while training, the triple shown
    assert.match(await text(page, '#a-noise-note'), /No noise/);
    await page.selectOption('#a-ctl-aNoise', 'mask');
    await page.fill('#a-ctl-aNoiseAmt', '0.5');
    await page.press('#a-ctl-aNoiseAmt', 'Enter');
    await page.waitForFunction(() => /Masking/.test(document.getElementById('a-noise-note').textContent));
    assert.match(await page.evaluate(() => location.hash), /aNoise=mask/);
    const [noisy, clean, output] = [await tile(page, 'a-noisy'), await tile(page, 'a-clean'), await tile(page, 'a-output')];
    const inked = clean.filter((v) => v > 0.5).length, kept = clean.filter((v, i) => v > 0.5 && noisy[i] > 0.5).length;
    assert.ok(kept < 0.8 * inked && kept > 0.2 * inked, `about half the ink masked: ${kept} of ${inked}`);
    assert.ok(noisy.every((v, i) => v === 0 || Math.abs(v - clean[i]) < 1e-9), 'masking only sets pixels to 0');
    assert.ok(output.some((v, i) => Math.abs(v - noisy[i]) > 0.1), 'the output is not the input');
    await trainFor(page, 1500);
    assert.equal(await page.evaluate(() => document.getElementById('a-message').textContent), '', 'trains with noise');
    await p.close();
  });

  test('a net of nnplay-train --autoencoder --save loads, as does one saved from the page; a bad file is refused and the net kept', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnplay-ae-'));
    try {
      const cli = join(dir, 'cli-ae.bin');
      execFileSync(process.execPath, ['examples/mnist.mjs', '--autoencoder', '--layers', '64,2,64', '--train-limit', '2000', '--test-limit', '500',
        '--knn-refs', '500', '--epochs', '1', '--save', cli], { cwd: ROOT, stdio: 'ignore' });
      const p = await ae('#view=autoencoder&aArch=784-32-3-32-784');
      const { page } = p;
      await trainFor(page, 1500);
      const bytes = await saved(page);
      const q = await ae();
      const message = () => text(q.page, '#a-message');
      await q.page.locator('#a-load').setInputFiles({ name: 'garbage.bin', mimeType: 'application/octet-stream', buffer: Buffer.from('not a net') });
      await q.page.waitForFunction(() => document.getElementById('a-message').textContent !== '');
      assert.match(await message(), /not a saved net/);
      assert.equal(await q.page.inputValue('#a-arch'), '784-128-32-2-32-128-784', 'the net kept');
      await q.page.locator('#a-load').setInputFiles(cli);
      await q.page.waitForFunction(() => /Loaded cli-ae\.bin/.test(document.getElementById('a-message').textContent));
      assert.match(await text(q.page, '#a-arch-summary'), /Loaded from cli-ae\.bin/);
      assert.equal(await q.page.inputValue('#a-arch'), '784-64-2-64-784');
      await q.page.waitForFunction(() => document.getElementById('a-plane').dataset.points === '10000', null, { timeout: 30000 });
      const before = await testLoss(q.page);
      await trainFor(q.page, 2000);
      assert.ok(await testLoss(q.page) < before, 'the loaded net trains on');
      await q.page.locator('#a-load').setInputFiles({ name: 'page-ae.bin', mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) });
      await q.page.waitForFunction(() => /Loaded page-ae\.bin/.test(document.getElementById('a-message').textContent));
      assert.equal(await q.page.inputValue('#a-arch'), '784-32-3-32-784');
      await q.page.waitForFunction(() => /3 dimensions/.test(document.getElementById('a-pca').textContent), null, { timeout: 30000 });
      await p.close();
      await q.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a bad link is refused with a message; French; a wider code is shown through PCA', async () => {
    const p = await ae('#view=autoencoder&aArch=784-2-10&lang=fr&aNoiseAmt=abc');
    const { page } = p;
    assert.equal(await page.inputValue('#a-arch'), '784-128-32-2-32-128-784', 'the default instead');
    assert.match(await text(page, '#a-message'), /ne peut pas servir/);
    assert.equal(await text(page, '#model-autoencoder'), 'Autoencodeur');
    for (const h of ['Plan des codes', 'Décodages sur le plan', 'Reconstructions', 'Interpolation', 'Débruitage']) {
      assert.ok((await page.locator('#view-autoencoder h2').allTextContents()).includes(h), h);
    }
    await page.selectOption('#a-preset', 'wide');
    await page.waitForFunction(() => /ACP/.test(document.getElementById('a-pca').textContent), null, { timeout: 30000 });
    assert.match(await text(page, '#a-pca'), /16 dimensions.*ACP/);
    assert.equal(await page.getAttribute('#a-plane', 'data-points'), '10000');
    await p.close();
  });

  test('the offline page (dist/nnplay.html) carries the view', async () => {
    const dist = `${ROOT}dist/nnplay.html`;
    assert.ok(existsSync(dist), 'dist/nnplay.html is missing: run `make dist`');
    const p = await ae('#view=autoencoder', { url: pathToFileURL(dist).href, wait: true });
    const { page } = p;
    const before = await testLoss(page);
    await trainFor(page, 3000);
    assert.ok(await testLoss(page) < before, 'trains offline');
    assert.ok(Number(await page.getAttribute('#a-plane', 'data-points')) > 0, 'plots its test digits');
    await p.close();
  });
});
