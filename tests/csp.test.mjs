// csp.test.mjs: the Content-Security-Policy of web/index.html is as strict as
// the page allows and as the offline file's (scripts/dist.mjs): no <base> or
// form can send the page elsewhere, no plugins, no eval, no inline scripts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const html = readFileSync(new URL('../web/index.html', import.meta.url), 'utf8');

/** The CSP meta tags of an HTML text, each as a Map directive -> [sources]. */
function policies(text) {
  return [...text.matchAll(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/gi)].map((m) => new Map(
    m[1].split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...sources]) => [name, sources])));
}

test('web/index.html has one CSP meta tag', () => {
  assert.equal(policies(html).length, 1);
});

test("the CSP forbids <base>, form targets and plugins ('none', as dist/nnplay.html)", () => {
  const [csp] = policies(html);
  for (const d of ['base-uri', 'form-action', 'object-src']) assert.deepEqual(csp.get(d), ["'none'"], d);
});

test('the CSP allows no eval and no inline script, only wasm compilation', () => {
  const [csp] = policies(html);
  assert.deepEqual(csp.get('default-src'), ["'self'"]);
  const scripts = csp.get('script-src');
  assert.ok(scripts, 'script-src is set');
  assert.ok(scripts.includes("'wasm-unsafe-eval'"), 'the engine compiles wasm');
  for (const [name, sources] of csp) {
    for (const bad of ["'unsafe-eval'", '*', 'data:', 'http:', 'https:']) {
      if (!(bad === 'data:' && name === 'img-src')) assert.ok(!sources.includes(bad), `${name} allows ${bad}`);
    }
  }
  assert.ok(!scripts.includes("'unsafe-inline'"), 'script-src allows inline scripts');
});
