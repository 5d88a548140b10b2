// browser_setup.mjs: what the browser tests share: Debian's Chromium and the
// flags it runs with here, scripts/serve.mjs started on a free port of
// 127.0.0.1 (never a downloaded browser, never another address), and a
// session (serve, launch once, open pages with their errors collected).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Starts scripts/serve.mjs on port 0 for `dir` (web/, or . for examples/) and resolves with {child, url}. */
export function serve(dir = 'web') {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/serve.mjs', dir, '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve.mjs did not start within 5 s: ${out}`)), 5000);
    const read = (d) => {
      out += d;
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m && Number(m[1]) > 0) { clearTimeout(timer); resolve({ child, url: m[0] }); }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`serve.mjs exited (${code}): ${out}`)); });
    child.on('error', reject);
  });
}

/**
 * One browser test file's session: on first use it checks the build, serves
 * web/ (and the repository root, for examples/ and dist/), and launches
 * Chromium; the file's `after` closes both. open(hash, options) gives a new
 * page in its own context with console and page errors collected, ready
 * (body[data-ready]) unless told not to wait; its close() fails on any
 * error the page logged. Options: viewport, url (the address the hash goes
 * after, instead of the served page: then no wait unless `wait`), wait,
 * before(context, page) (runs before the page loads), requests (collect
 * every URL the page asks for), context (more options for the browser
 * context, e.g. hasTouch), ready (the selector that says the page is ready).
 */
export function session({ viewport = { width: 1366, height: 768 } } = {}) {
  let started;
  async function start() {
    if (!existsSync(`${ROOT}web/lib/nnplay.mjs`)) throw new Error('web/lib is missing: run `make page` before the browser tests');
    let chromium;
    try {
      ({ chromium } = await import('playwright-core'));
    } catch (e) {
      throw new Error(`playwright-core is missing (npm ci installs it): ${e.message}`, { cause: e });
    }
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM} (apt-get install chromium)`);
    const web = await serve(), root = await serve('.');
    process.on('exit', () => { web.child.kill(); root.child.kill(); });
    // a default launch runs in a fresh temporary profile, removed on close
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 20000 });
    return { web, root, browser };
  }
  const ready = () => (started ??= start());
  after(async () => {
    const s = await started?.catch(() => null);
    await s?.browser.close();
    s?.web.child.kill();
    s?.root.child.kill();
  });
  async function open(hash = '', { viewport: size = viewport, url, wait = !url, before, requests: log = false,
    context: extra = {}, ready: readySelector = 'body[data-ready="1"]' } = {}) {
    const { web, browser } = await ready();
    const context = await browser.newContext({ ...extra, viewport: size });
    const page = await context.newPage();
    const errors = [], requests = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    if (log) page.on('request', (r) => requests.push(r.url()));
    await before?.(context, page);
    await page.goto(`${url ?? web.url}${hash}`);
    if (wait) await page.locator(readySelector).waitFor({ timeout: 10000 });
    return {
      page, context, errors, requests,
      /** Closes the page, failing on any error it logged. */
      async close() {
        await context.close();
        assert.deepEqual(errors, [], 'no console or page error');
      },
    };
  }
  return {
    ready, open,
    /** The served page's address and the repository root's (for examples/ and dist/). */
    async urls() { const { web, root } = await ready(); return { web: web.url, root: root.url }; },
    async browser() { return (await ready()).browser; },
  };
}
