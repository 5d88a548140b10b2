// browser_cnn_layout.test.mjs: the CNN view (issue 11) in headless Chromium,
// the pages around it: the offline dist/nnplay.html carries it; the heaviest
// net a link may ask for trains with the page's wasm memory under 256 MiB
// (frames/s and memory reported, not asserted as timings); and screenshots
// of the CNN view and the MLP view's switch at 1366 × 768, 768 × 1024 and
// 390 × 844 in English and French, in build/shots/, with nothing wider than
// the screen. Needs `make page` and `make dist`.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { ROOT, session } from './browser_setup.mjs';

const { open } = session();
const SHOTS = `${ROOT}build/shots`;

/** Epoch, epochs, losses and test accuracy (%) of the English status. */
function status(text) {
  const m = /^Epoch (\d+)\/(\d+) · Train loss (\d+\.\d{4}) · Test loss (\d+\.\d{4}) · Accuracy test (\d+\.\d\d)%/.exec(text);
  assert.ok(m, `CNN status: ${text}`);
  return { epoch: +m[1], epochs: +m[2], trainLoss: +m[3], testLoss: +m[4], testAcc: +m[5] };
}

/** The CNN view of `hash`, ready, its first evaluation done. */
async function cnn(hash, options = {}) {
  const p = await open(hash, options);
  await p.page.locator('#view-cnn[data-ready="1"]').waitFor({ timeout: 60000 });
  await p.page.waitForFunction(() => /\d\s?%/.test(document.getElementById('c-status').textContent), null, { timeout: 30000 });
  return p;
}

const text = (page, sel) => page.locator(sel).textContent();

/** Trains for `ms`, then pauses. */
async function trainFor(page, ms) {
  await page.click('#c-play');
  await page.waitForTimeout(ms);
  await page.click('#c-play');
  await page.waitForTimeout(300);
}

describe('the CNN view\'s pages in Chromium', { timeout: 900000 }, () => {
  test('the offline page (dist/nnplay.html) carries the CNN view', async () => {
    const dist = `${ROOT}dist/nnplay.html`;
    assert.ok(existsSync(dist), 'dist/nnplay.html is missing: run `make dist`');
    const p = await cnn('#view=cnn', { url: pathToFileURL(dist).href, wait: true });
    const { page } = p;
    assert.match(await text(page, '#c-status'), /on 1,000 test digits; all 2,000 at each epoch end/, 'the offline subset');
    const first = status(await text(page, '#c-status'));
    await page.click('#c-play');
    // the next point of the curves (every 50 steps of the 500 of an offline epoch)
    await page.waitForFunction((l) => Number(/Train loss (\d+\.\d+)/.exec(document.getElementById('c-status').textContent)?.[1]) < l,
      first.trainLoss, { timeout: 60000 });
    await page.click('#c-play');
    await p.close();
  });

  test('the heaviest net a link may ask for trains, and the page\'s wasm memory stays under 256 MiB (reported)', async (t) => {
    // 1.16 million multiply-adds per digit: batches of at most 17
    const arch = 'c32k3p1-bn-relu-c4k3p1';
    const p = await cnn(`#view=cnn&cArch=${arch}&mBatch=128`, { before: (context, page) => page.addInitScript(() => {
      window.wasmMemories = [];
      for (const k of ['instantiate', 'instantiateStreaming']) {
        const f = WebAssembly[k];
        WebAssembly[k] = async (...a) => {
          const r = await f.apply(WebAssembly, a);
          for (const v of Object.values((r.instance ?? r).exports ?? {})) if (v instanceof WebAssembly.Memory) window.wasmMemories.push(v);
          return r;
        };
      }
    }) });
    const { page } = p;
    assert.equal(await page.inputValue('#cnn-arch'), arch, 'built, not refused');
    assert.match(await text(page, '.c-curves'), /This net trains on batches of at most 17/);
    await page.evaluate(() => { window.frameCount = 0; const f = () => { window.frameCount++; requestAnimationFrame(f); }; requestAnimationFrame(f); });
    const t0 = Date.now();
    await trainFor(page, 4000);
    const frames = await page.evaluate(() => window.frameCount), mib = await page.evaluate(() => Math.max(...window.wasmMemories.map((m) => m.buffer.byteLength)) / 2 ** 20);
    t.diagnostic(`${arch}: ${(frames / ((Date.now() - t0) / 1000)).toFixed(1)} frames/s, wasm memory ${mib} MiB`);
    assert.ok(mib > 0 && mib < 256, `wasm memory ${mib} MiB`);
    await p.close();
  });

  test('screenshots at 1366 × 768, 768 × 1024 and 390 × 844 in English and French; nothing wider than the screen', async (t) => {
    mkdirSync(SHOTS, { recursive: true });
    for (const lang of ['en', 'fr']) {
      for (const [w, h] of [[1366, 768], [768, 1024], [390, 844]]) {
        const p = await cnn(`#view=cnn&lang=${lang}&cDigit=3`, { viewport: { width: w, height: h } });
        const { page } = p;
        await trainFor(page, 2000);
        await page.locator('#cnn-map-3').click({ position: { x: 90, y: 30 } });
        const wide = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
        assert.ok(wide <= 0, `${lang} ${w} × ${h}: the page is ${wide} px wider than the screen`);
        await page.evaluate(() => scrollTo(0, 0));
        await page.screenshot({ path: `${SHOTS}/cnn-${lang}-${w}x${h}.png` });
        await page.screenshot({ path: `${SHOTS}/cnn-${lang}-${w}x${h}-full.png`, fullPage: true });
        await page.locator('.c-arith').screenshot({ path: `${SHOTS}/cnn-${lang}-${w}x${h}-arith.png` });
        await page.click('#model-mnist');
        await page.locator('#view-mnist[data-ready="1"]').waitFor({ timeout: 30000 });
        assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), `${lang} ${w}: MLP view`);
        await page.screenshot({ path: `${SHOTS}/mlp-${lang}-${w}x${h}.png` });
        await p.close();
      }
    }
    t.diagnostic(`screenshots in ${SHOTS}`);
  });
});
