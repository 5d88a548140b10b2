// shots.mjs: screenshots of the dev set and early stopping (the 2D view with
// the overfit scenario stopped by patience, the MNIST view with a dev set)
// at 1366x768, 768x1024 and 390x844, in English and French, into
// build/shots/ (git-ignored), to look at after a change to these views.
// Debian's Chromium and scripts/serve.mjs on 127.0.0.1, as the browser
// tests; needs `make page`. Run: node scripts/shots.mjs
/* global document -- the functions handed to the page run there */
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { ROOT, CHROMIUM, ARGS, serve } from '../tests/browser_setup.mjs';

const SIZES = [[1366, 768], [768, 1024], [390, 844]];
const out = `${ROOT}build/shots`;
mkdirSync(out, { recursive: true });
const { child, url } = await serve();
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
try {
  for (const lang of ['en', 'fr']) {
    for (const [width, height] of SIZES) {
      const page = await browser.newPage({ viewport: { width, height } });
      page.on('pageerror', (e) => console.error(`pageerror: ${e.message}`));
      await page.goto(`${url}#preset=overfit&patience=20&lang=${lang}`);
      await page.locator('body[data-ready="1"]').waitFor();
      await page.locator('#btn-play').click();
      await page.waitForFunction(() => document.querySelector('#earlystop .es-stop')?.textContent.length > 0, null, { timeout: 60000 });
      await page.waitForTimeout(300);
      await page.screenshot({ path: `${out}/2d-${width}x${height}-${lang}.png`, fullPage: width < 1000 });
      await page.goto(`${url}#view=mnist&mDev=5000&mHidden=32&mEpochs=3&mPatience=2&lang=${lang}`);
      await page.locator('#view-mnist[data-ready="1"]').waitFor({ timeout: 30000 });
      await page.locator('#m-play').click();
      await page.waitForFunction(() => / 3\b/.test(document.querySelector('#m-earlystop .es-best')?.textContent ?? ''), null, { timeout: 120000 });
      await page.waitForTimeout(500);
      await page.screenshot({ path: `${out}/mnist-${width}x${height}-${lang}.png`, fullPage: true });
      await page.close();
      console.log(`${lang} ${width}x${height}`);
    }
  }
} finally {
  await browser.close();
  child.kill();
}
