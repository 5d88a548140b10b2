// dist.mjs: writes the page as ONE self-contained HTML file that runs from
// file:// (a USB stick, no server): the stylesheet, every ES module from
// web/js/main.js on, and both single-file engine builds (wasm inlined) go
// into the file; nothing is fetched. The sources are not changed.
// Usage: node scripts/dist.mjs [web=web] [wasm=build/wasm] [out=dist/nnplay.html]
//
// How: each module becomes a function registered under its path (relative to
// web/); `import`/`export` statements become calls into a tiny registry, which
// evaluates a module on first use, dependencies first, as ES modules do. The
// loader's one dynamic import (of the emcc factory) is rewritten to ask the
// registry, and the page is told to load the single-file build. Everything
// runs in one inline <script type="module">, allowed by its hash in the CSP.
// Only the import/export forms our code uses are understood (one name per
// `export const`); anything else stops the build with its file and line,
// rather than ship a broken page.
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join, posix, resolve } from 'node:path';

const [webDir = 'web', wasmDir = 'build/wasm', outFile = 'dist/nnplay.html'] = process.argv.slice(2);
const ENTRY_HTML = 'index.html';
// Built by emcc with -sSINGLE_FILE; the loader imports them next to itself.
const ENGINES = ['nnplay-simd-single.mjs', 'nnplay-scalar-single.mjs'];
const LIB = 'lib/';

// Every fetch stays inside this file: scripts by hash, wasm compiled from
// bytes, styles and the data: favicon inline; no connections at all.
const csp = (scriptHash) => [
  "default-src 'none'",
  `script-src '${scriptHash}' 'wasm-unsafe-eval'`,
  "style-src 'unsafe-inline'",
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

function fail(msg) {
  console.error(`dist: ${msg}`);
  process.exit(1);
}

function read(file) {
  if (!existsSync(file)) fail(`${file} is missing (run 'make page' first)`);
  return readFileSync(file, 'utf8');
}

// ---- modules ----------------------------------------------------------------

/** Where module `id` (a path relative to web/) is read from. */
function sourceOf(id) {
  const name = id.slice(LIB.length);
  if (id.startsWith(LIB) && ENGINES.includes(name)) return join(wasmDir, name);
  return join(webDir, id);
}

const resolveId = (fromId, spec) => {
  if (!spec.startsWith('./') && !spec.startsWith('../')) fail(`${fromId}: bare import '${spec}' is not supported`);
  const id = posix.normalize(posix.join(posix.dirname(fromId), spec));
  if (id.startsWith('../')) fail(`${fromId}: '${spec}' is outside ${webDir}/`);
  return id;
};

const lineOf = (text, index) => text.slice(0, index).split('\n').length;

/** `a, b as c` → [{ local: 'a', name: 'a' }, { local: 'b', name: 'c' }]. */
function names(list, where) {
  return list.split(',').map((s) => s.trim()).filter(Boolean).map((s) => {
    const m = /^([\w$]+)(?:\s+as\s+([\w$]+))?$/.exec(s);
    if (!m) fail(`${where}: cannot read '${s}' in an import or export list`);
    return { local: m[1], name: m[2] ?? m[1] };
  });
}

const q = JSON.stringify;

/**
 * Rewrites one module into the body of a registry function. Returns the body
 * and the ids it depends on (statically, and through the loader's dynamic import).
 */
function transform(id, text) {
  const deps = [];
  const head = [];      // requires, in import order, hoisted as ES imports are
  const exported = [];  // [name, getter source]
  const need = (spec) => { const dep = resolveId(id, spec); deps.push(dep); return `__nnplay.require(${q(dep)})`; };
  // Each statement is replaced by as many newlines, so lines keep their numbers.
  let body = text;
  const rewrite = (re, fn) => {
    body = body.replace(re, (...args) => {
      const line = `${id}:${lineOf(args.at(-1), args.at(-2))}`;
      return fn(line, ...args.slice(1, -2)) + args[0].replace(/[^\n]/g, '');
    });
  };
  rewrite(/^import\s*\{([^}]*)\}\s*from\s*(['"])([^'"]+)\2[ \t]*;?/gm, (at, list, _, spec) => {
    const bind = names(list, at).map((n) => (n.local === n.name ? n.local : `${n.local}: ${n.name}`));
    head.push(`const { ${bind.join(', ')} } = ${need(spec)};`);
    return '';
  });
  rewrite(/^import\s+\*\s+as\s+([\w$]+)\s+from\s*(['"])([^'"]+)\2[ \t]*;?/gm, (at, ns, _, spec) => {
    head.push(`const ${ns} = ${need(spec)};`);
    return '';
  });
  rewrite(/^import\s+([\w$]+)\s+from\s*(['"])([^'"]+)\2[ \t]*;?/gm, (at, local, _, spec) => {
    head.push(`const { default: ${local} } = ${need(spec)};`);
    return '';
  });
  rewrite(/^import\s*(['"])([^'"]+)\1[ \t]*;?/gm, (at, _, spec) => {
    head.push(`${need(spec)};`);
    return '';
  });
  rewrite(/^export\s*\{([^}]*)\}\s*from\s*(['"])([^'"]+)\2[ \t]*;?/gm, (at, list, _, spec) => {
    const dep = need(spec);
    head.push(`${dep};`);
    for (const n of names(list, at)) exported.push([n.name, `${dep}.${n.local}`]);
    return '';
  });
  rewrite(/^export\s*\{([^}]*)\}[ \t]*;?/gm, (at, list) => {
    for (const n of names(list, at)) exported.push([n.name, n.local]);
    return '';
  });
  // `export default x` and `export function f`: the statement stays, the keyword goes
  body = body.replace(/^export\s+default\s+/gm, () => {
    exported.push(['default', '__default']);
    return 'const __default = ';
  });
  body = body.replace(/^export\s+((?:async\s+)?function\*?|class|const|let|var)\s+([\w$]+)/gm, (s, kind, name) => {
    exported.push([name, name]);
    return `${kind} ${name}`;
  });

  // The loader imports the engine from a URL; here the registry serves it.
  const dynamic = /\bimport\(new URL\((`[^`]*`), base\)\.href\)/g;
  body = body.replace(dynamic, (s, file) => {
    deps.push(...ENGINES.map((e) => posix.join(posix.dirname(id), e)));
    return `__nnplay.import(${q(posix.dirname(id) + '/')}, ${file})`;
  });

  const left = /^[ \t]*(import|export)\b(?![.(])/m.exec(body);
  if (left) fail(`${id}:${lineOf(body, left.index)}: unsupported ${left[1]} statement: ${body.slice(left.index).split('\n')[0]}`);

  const getters = exported.map(([name, src]) => `${q(name)}: () => ${src}`);
  const lines = [];
  // The engine may not fetch anything: with these shadowed, emcc reads the
  // inlined wasm from its data: URI in memory instead of fetching the URI.
  if (ENGINES.some((e) => id.endsWith(`/${e}`))) lines.push('const fetch = undefined, XMLHttpRequest = undefined;');
  lines.push(...head);
  if (getters.length) lines.push(`__nnplay.exports(ns, { ${getters.join(', ')} });`);
  return { body: `${lines.join('\n')}\n${body.trim()}\n`, deps };
}

/** Every module reachable from `entry`, each once; fails on an import cycle. */
function collect(entry) {
  const modules = new Map();
  const state = new Map(); // id → 'open' | 'done'
  const visit = (id, chain) => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'open') fail(`import cycle: ${[...chain, id].join(' → ')}`);
    state.set(id, 'open');
    const mod = transform(id, read(sourceOf(id)));
    modules.set(id, mod);
    for (const dep of mod.deps) visit(dep, [...chain, id]);
    state.set(id, 'done');
  };
  visit(entry, []);
  return modules;
}

// The registry: a module runs on its first require, after its dependencies;
// exports are getters, so they read the module's live bindings.
const RUNTIME = `const __nnplay = (() => {
  const defs = new Map(), done = new Map();
  const require = (id) => {
    let ns = done.get(id);
    if (ns) return ns;
    const body = defs.get(id);
    if (!body) throw new Error(\`nnplay: \${id} is not in this file\`);
    ns = Object.create(null);
    done.set(id, ns);
    body(ns);
    return ns;
  };
  return {
    define: (id, body) => { defs.set(id, body); },
    require,
    exports: (ns, getters) => {
      for (const [name, get] of Object.entries(getters)) Object.defineProperty(ns, name, { get, enumerable: true });
    },
    import: async (dir, file) => require(new URL(file, \`x:/\${dir}\`).pathname.slice(1)),
  };
})();
`;

// The MNIST subset (web/data/mnist-small: 10,000 training and 2,000 test
// digits, gzip-compressed) travels in the file as base64; the page is started
// with a reader of it instead of fetch, and with the engine whose wasm is
// inlined (the loader's file:// option).
const MNIST_DIR = 'data/mnist-small';
const MNIST_FILES = ['mnist.json', 'train-images.gz', 'train-labels.gz', 'test-images.gz', 'test-labels.gz'];

function mnistReader() {
  const files = {};
  for (const f of MNIST_FILES) {
    const path = join(webDir, MNIST_DIR, f);
    if (!existsSync(path)) fail(`${path} is missing (run 'make mnist' first)`);
    files[f] = readFileSync(path).toString('base64');
  }
  return `((files) => async (name) => {
  if (!(name in files)) throw new Error(\`\${name} is not in this file\`);
  return Uint8Array.from(atob(files[name]), (c) => c.charCodeAt(0));
})(${JSON.stringify(files)})`;
}

// index.html's entry (js/page.js) starts the router with the page's defaults;
// here the router module is bundled and started with the file's own options.
const PAGE_ENTRY = 'js/page.js', ROUTER = 'js/main.js';

function bundle(entry) {
  if (entry !== PAGE_ENTRY) fail(`${ENTRY_HTML} loads ${entry}, expected ${PAGE_ENTRY}`);
  const modules = collect(ROUTER);
  // without this the page would try to import the engine from a file, and fail
  if (!ENGINES.every((e) => modules.has(LIB + e))) fail(`the loader's import of the engine was not found in ${LIB}nnplay.mjs`);
  const parts = [RUNTIME];
  for (const [id, mod] of modules) {
    parts.push(`__nnplay.define(${q(id)}, function (ns) {\n${mod.body}});\n`);
  }
  parts.push(`__nnplay.require(${q(ROUTER)}).start({ loadOptions: { single: true }, mnistReader: ${mnistReader()} });\n`);
  const js = parts.join('\n');
  // the HTML parser would end or confuse the script at these
  const bad = /<\/script|<!--|<script/i.exec(js);
  if (bad) fail(`the bundle contains '${bad[0]}' near: ${js.slice(bad.index - 60, bad.index + 20)}`);
  return js;
}

// ---- the page -----------------------------------------------------------------

const html = read(join(webDir, ENTRY_HTML));
let script = null; // the inline script's text, exactly as its CSP hash covers it
let out = html
  .replace(/<link\s+rel="stylesheet"\s+href="([^"]+)"\s*\/?>/g, (s, href) => {
    const css = read(join(webDir, href));
    if (/@import|url\((?!\s*['"]?data:)/i.test(css)) fail(`${href} loads other files (@import or url())`);
    if (/<\/style/i.test(css)) fail(`${href} contains '</style'`);
    return `<style>\n${css.trim()}\n</style>`;
  })
  .replace(/<script\s+type="module"\s+src="([^"]+)"\s*><\/script>/g, (s, src) => {
    if (script !== null) fail(`expected one module script in ${ENTRY_HTML}, found more`);
    script = `\n${bundle(posix.normalize(src))}`;
    return `<script type="module">${script}</script>`;
  });
if (script === null) fail(`no module script in ${ENTRY_HTML}`);

const hash = `sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}`;
let metas = 0;
out = out.replace(/(<meta\s+http-equiv="Content-Security-Policy"\s+content=")[^"]*(")/g, (s, a, b) => {
  metas++;
  return `${a}${csp(hash)}${b}`;
});
if (metas !== 1) fail(`expected one Content-Security-Policy meta tag in ${ENTRY_HTML}, found ${metas}`);

// Anything still pointing at another file would break on the stick.
const markup = out.replace(/<script type="module">[\s\S]*<\/script>|<style>[\s\S]*?<\/style>/g, '');
const ref = /\s(?:src|href)="(?!data:|#)([^"]*)"/.exec(markup);
if (ref) fail(`${ENTRY_HTML} still refers to '${ref[1]}'`);

out = out.replace(/^<!doctype html>\n/i, (s) =>
  `${s}<!-- nnplay in one file, written by scripts/dist.mjs (make dist) from web/ and ${wasmDir}/: do not edit. -->\n`);

mkdirSync(dirname(resolve(outFile)), { recursive: true });
writeFileSync(outFile, out);
console.log(`dist: ${outFile} (${(Buffer.byteLength(out) / 1024).toFixed(0)} KiB)`);
