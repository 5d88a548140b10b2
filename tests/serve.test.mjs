// serve.test.mjs: scripts/serve.mjs serves files inside its root and nothing
// else: '..' in any spelling (raw, percent-encoded, encoded slashes) cannot
// reach a sibling folder whose name starts with the root's name, and NUL
// bytes or broken percent-encoding are refused. Requests are sent raw
// (node:http with a path option), so the client does not normalise them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SERVE = new URL('../scripts/serve.mjs', import.meta.url).pathname;
const SECRET = 'the-secret-must-not-leak';
let dir, child, port;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nnplay-serve-'));
  mkdirSync(join(dir, 'X', 'sub'), { recursive: true });
  mkdirSync(join(dir, 'X-secret'));
  writeFileSync(join(dir, 'X', 'index.html'), '<p>home</p>');
  writeFileSync(join(dir, 'X', 'sub', 'a.js'), 'export const a = 1;');
  writeFileSync(join(dir, 'X', '..dots.txt'), 'dots');
  writeFileSync(join(dir, 'X-secret', 'file.txt'), SECRET);
  writeFileSync(join(dir, 'outside.txt'), SECRET);
  child = spawn(process.execPath, [SERVE, join(dir, 'X'), '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  port = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`serve.mjs exited (${code}): ${out}`)));
  });
});

after(() => {
  child?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** GET `path` exactly as written; resolves with {status, type, body}. */
function get(path) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, type: res.headers['content-type'], body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('listens on the ephemeral port it was given (0) and prints the real one', () => {
  assert.ok(Number.isInteger(port) && port > 0 && port < 65536, `port ${port}`);
});

test('files inside the root are served', async () => {
  const home = await get('/');
  assert.equal(home.status, 200);
  assert.equal(home.body, '<p>home</p>');
  assert.match(home.type, /^text\/html/);
  const js = await get('/sub/a.js');
  assert.equal(js.status, 200);
  assert.equal(js.type, 'text/javascript');
  assert.equal((await get('/..dots.txt')).body, 'dots', "a name starting with '..' inside the root is fine");
  assert.equal((await get('/sub/missing.js')).status, 404);
});

test("a sibling folder whose name starts with the root's name is not served", async () => {
  const paths = [
    '/../X-secret/file.txt', '/%2e%2e/X-secret/file.txt', '/..%2fX-secret%2ffile.txt', '/%2e%2e%2fX-secret%2ffile.txt',
    '/sub/..%2f..%2fX-secret/file.txt', '/..%5cX-secret%5cfile.txt', '/../outside.txt', '/..%2foutside.txt',
    '/..%2f..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
  ];
  for (const path of paths) {
    const r = await get(path);
    assert.equal(r.status, 404, path);
    assert.ok(!r.body.includes(SECRET), `${path} leaked the secret`);
  }
});

test('NUL bytes and broken percent-encoding are refused with 400', async () => {
  for (const path of ['/index.html%00', '/%00../X-secret/file.txt', '/%zz', '/%e0%a4%a']) {
    const r = await get(path);
    assert.equal(r.status, 400, path);
    assert.ok(!r.body.includes(SECRET), path);
  }
});
