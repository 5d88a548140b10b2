// browser_autoencoder_layout.test.mjs: the autoencoder view's pages in
// headless Chromium: the page stays fluid while it trains and re-encodes
// the 10,000 test digits (frames/s, samples/s and passes over the test
// digits a second RECORDED in build/autoencoder-numbers.json, never
// asserted as timings); a diverging net is said and its codes never drawn;
// screenshots at 1366 × 768, 768 × 1024 and 390 × 844 in English and
// French into build/shots/, nothing wider than the screen. Needs `make page`.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { ROOT, session } from './browser_setup.mjs';

const { open } = session();
const SHOTS = `${ROOT}build/shots`;

async function ae(hash, options = {}) {
  const p = await open(hash, options);
  await p.page.locator('#view-autoencoder[data-ready="1"]').waitFor({ timeout: 60000 });
  await p.page.waitForFunction(() => /\d[.,]\d{4}$/.test(document.getElementById('a-status').textContent), null, { timeout: 30000 });
  return p;
}

describe('the autoencoder view\'s pages in Chromium', { timeout: 900000 }, () => {
  test('training keeps the page fluid (frames/s, samples/s and re-encodings a second recorded)', async (t) => {
    const p = await ae('#view=autoencoder');
    const { page } = p;
    await page.evaluate(() => {
      window.probe = { frames: 0, rates: [] };
      const f = () => { window.probe.frames++; requestAnimationFrame(f); };
      requestAnimationFrame(f);
      window.probe.timer = setInterval(() => {
        const m = /([\d,]+) samples\/s/.exec(document.getElementById('a-speed').textContent);
        if (m) window.probe.rates.push(Number(m[1].replace(/,/g, '')));
      }, 1000);
    });
    const pass0 = Number(await page.getAttribute('#a-plane', 'data-pass') ?? 0), t0 = Date.now();
    await page.click('#a-play');
    await page.waitForTimeout(8000);
    const seconds = (Date.now() - t0) / 1000;
    const { frames, rates } = await page.evaluate(() => window.probe);
    const passes = Number(await page.getAttribute('#a-plane', 'data-pass')) - pass0;
    await page.click('#a-play');
    const median = [...rates].sort((a, b) => a - b)[Math.floor(rates.length / 2)] ?? NaN;
    const numbers = { framesPerSecond: frames / seconds, samplesPerSecond: median, encodingsPerSecond: passes / seconds, load: loadavg()[0] };
    mkdirSync(`${ROOT}build`, { recursive: true });
    writeFileSync(`${ROOT}build/autoencoder-numbers.json`, `${JSON.stringify(numbers, null, 2)}\n`);
    t.diagnostic(JSON.stringify(numbers));
    assert.ok(frames > 0 && passes > 0 && rates.length > 0, 'frames drawn, the codes re-encoded, samples/s shown');
    await p.close();
  });

  test('divergence is said and its codes are never drawn', async () => {
    // measured in Node: ELU units with SGD at rate 10 diverge at the 3rd step (ReLU units do not: they die)
    const p = await ae('#view=autoencoder&mOptimizer=sgd&mLr=10&aAct=elu');
    const { page } = p;
    await page.waitForFunction(() => document.getElementById('a-plane').dataset.pass === '1', null, { timeout: 30000 });
    await page.click('#a-play');
    await page.waitForFunction(() => /diverged/.test(document.getElementById('a-message').textContent), null, { timeout: 30000 });
    const pass = await page.getAttribute('#a-plane', 'data-pass');
    await page.waitForTimeout(1500);
    assert.equal(await page.getAttribute('#a-plane', 'data-pass'), pass, 'no new plane after the divergence');
    assert.match(await page.locator('#a-play').textContent(), /Train/, 'paused');
    await p.close();
  });

  test('screenshots at 1366 × 768, 768 × 1024 and 390 × 844 in English and French; nothing wider than the screen', async (t) => {
    mkdirSync(SHOTS, { recursive: true });
    for (const lang of ['en', 'fr']) {
      for (const [w, h] of [[1366, 768], [768, 1024], [390, 844]]) {
        const p = await ae(`#view=autoencoder&lang=${lang}&aNoise=mask`, { viewport: { width: w, height: h } });
        const { page } = p;
        await page.click('#a-play');
        await page.waitForTimeout(6000);
        await page.click('#a-play');
        await page.waitForFunction(() => Number(document.getElementById('a-plane').dataset.pass) > 1, null, { timeout: 30000 });
        await page.locator('#a-plane').scrollIntoViewIfNeeded();
        const box = await page.locator('#a-plane').boundingBox();
        await page.mouse.click(box.x + 0.6 * box.width, box.y + 0.4 * box.height);
        assert.ok(await page.getAttribute('#a-decoded', 'data-code'), `${lang} ${w}: a point decoded`);
        const wide = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
        assert.ok(wide <= 0, `${lang} ${w} × ${h}: the page is ${wide} px wider than the screen`);
        await page.evaluate(() => scrollTo(0, 0));
        await page.screenshot({ path: `${SHOTS}/autoencoder-${lang}-${w}x${h}.png` });
        await page.screenshot({ path: `${SHOTS}/autoencoder-${lang}-${w}x${h}-full.png`, fullPage: true });
        await p.close();
      }
    }
    t.diagnostic(`screenshots in ${SHOTS}`);
  });
});
