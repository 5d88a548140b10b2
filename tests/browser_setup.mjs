// browser_setup.mjs: what the browser tests share: Debian's Chromium and the
// flags it runs with here, and scripts/serve.mjs started on a free port of
// 127.0.0.1 (never a downloaded browser, never another address).
import { spawn } from 'node:child_process';
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
