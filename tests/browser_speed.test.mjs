// browser_speed.test.mjs: how fast the 2-D view draws while it trains, in
// headless Chromium at 1400 x 900 (same setup as browser.test.mjs: needs
// `make page`). For the default net, the largest net the buttons build
// (6 x 16), 2,000 points at 300 x 300, both together, and the largest a link
// may ask for (8 x 64), it records frames per second and training steps per
// second. The numbers are RECORDED (build/page-speed.json, or the file named
// by PAGE_SPEED_OUT: `make bench` writes bench/page.json, which BENCHMARKS.md
// shows), never asserted: they depend on the machine. What is asserted can
// fail without a clock: frames were drawn and training advanced.
import { describe, test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { ROOT, CHROMIUM, ARGS, serve } from './browser_setup.mjs';

export const SPEED_CASES = [
  { id: 'default', title: 'default net (2-4-2-1), 400 points, 100 × 100', hash: '#autoplay=1' },
  { id: '6x16', title: '6 × 16 (the buttons’ largest), 400 points, 100 × 100', hash: '#hidden=16,16,16,16,16,16&autoplay=1' },
  { id: 'points2000', title: 'default net, 2,000 points, 300 × 300', hash: '#points=2000&resolution=300&autoplay=1' },
  { id: '6x16-points2000', title: '6 × 16, 2,000 points, 300 × 300',
    hash: '#hidden=16,16,16,16,16,16&points=2000&resolution=300&autoplay=1' },
  { id: '8x64', title: '8 × 64 (a link’s largest), 400 points, 300 × 300',
    hash: '#hidden=64,64,64,64,64,64,64,64&resolution=300&autoplay=1' },
];
const SECONDS = Number(process.env.PAGE_SPEED_SECONDS ?? 4);
const OUT = resolve(ROOT, process.env.PAGE_SPEED_OUT ?? 'build/page-speed.json');

let server, base, browser;
const results = {};

// In the page before its scripts: the time of every animation frame.
function instrument() {
  window.__frames = [];
  const loop = (t) => { window.__frames.push(t); requestAnimationFrame(loop); };
  requestAnimationFrame(loop);
}

// The step counter of the status line ("Step 1234" or "Pas 1 234").
const steps = (page) => page.locator('#stats').evaluate((e) => {
  const m = /(?:Step|Pas)\s+([\d\s,.\u202f\u00a0]+)/.exec(e.textContent);
  return m ? Number(m[1].replace(/\D/g, '')) : NaN;
});

describe('speed: the 2-D view training in Chromium at 1400 x 900 (numbers recorded, not asserted)', { timeout: 240000 }, () => {
  before(async () => {
    const { chromium } = await import('playwright-core');
    ({ child: server, url: base } = await serve());
    process.on('exit', () => server?.kill());
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 20000 });
  });

  after(async () => {
    await browser?.close();
    server?.kill();
    const record = { date: new Date().toISOString(), cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length,
      viewport: '1400×900', seconds: SECONDS, load: loadavg().map((v) => +v.toFixed(2)), cases: results };
    mkdirSync(dirname(OUT), { recursive: true });
    writeFileSync(OUT, `${JSON.stringify(record, null, 2)}\n`);
  });

  for (const c of SPEED_CASES) {
    test(`${c.id}: ${c.title}`, async (t) => {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      await page.addInitScript(instrument);
      await page.goto(`${base}${c.hash}`);
      await page.locator('body[data-ready="1"]').waitFor({ state: 'attached', timeout: 20000 });
      assert.equal(await page.locator('#btn-play').getAttribute('aria-pressed'), 'true', 'autoplay is on');
      // a second to settle (first frames compile and size things), then the window
      await page.waitForTimeout(1000);
      const load0 = loadavg()[0];
      const s0 = await steps(page);
      const f0 = await page.evaluate(() => window.__frames.length);
      await page.waitForTimeout(SECONDS * 1000);
      const s1 = await steps(page);
      const times = await page.evaluate((n) => window.__frames.slice(n), f0);
      await context.close();
      assert.deepEqual(errors, [], 'no console or page error');
      assert.ok(times.length > 1, 'frames were drawn');
      assert.ok(s1 > s0, `training advanced (step ${s0} -> ${s1})`);
      const span = (times[times.length - 1] - times[0]) / 1000;
      const gaps = times.slice(1).map((v, i) => v - times[i]).sort((a, b) => a - b);
      const r = {
        title: c.title, hash: c.hash,
        fps: +((times.length - 1) / span).toFixed(1),
        stepsPerSecond: Math.round((s1 - s0) / SECONDS),
        frameMsMedian: +gaps[gaps.length >> 1].toFixed(1),
        frameMsP95: +gaps[Math.min(gaps.length - 1, Math.floor(0.95 * gaps.length))].toFixed(1),
        load: +load0.toFixed(2),
      };
      assert.ok(Number.isFinite(r.fps) && r.fps > 0 && r.stepsPerSecond > 0, 'numbers were recorded');
      results[c.id] = r;
      t.diagnostic(JSON.stringify(r));
    });
  }
});
