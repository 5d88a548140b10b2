// serve.mjs: a static file server for the page, on 127.0.0.1 only.
// Usage: node scripts/serve.mjs [root=web] [port=8000]; port 0 picks a free
// port. It prints the address it listens on, with the real port.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

const root = resolve(process.argv[2] ?? 'web');
const portArg = process.argv[3] ?? process.env.PORT ?? '8000';
if (!/^\d+$/.test(portArg) || Number(portArg) > 65535) {
  console.error(`serve: the port must be an integer in [0, 65535], got '${portArg}'`);
  process.exit(2);
}
// A file is inside the root when its path starts with the root and a
// separator: '/srv/web-secret' starts with '/srv/web' but is not inside.
const inside = root.endsWith(sep) ? root : root + sep;
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css',
  '.wasm': 'application/wasm', '.json': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml',
  '.gz': 'application/gzip', '.bin': 'application/octet-stream', '.ts': 'text/plain',
};

function reply(res, code, text) {
  res.writeHead(code, { 'content-type': 'text/plain' });
  res.end(text);
}

const server = createServer(async (req, res) => {
  let path;
  try {
    path = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
  } catch {
    reply(res, 400, 'bad request');
    return;
  }
  if (path.includes('\0')) {
    reply(res, 400, 'bad request');
    return;
  }
  let file = normalize(join(root, path));
  if (file !== root && !file.startsWith(inside)) {
    reply(res, 404, 'not found');
    return;
  }
  try {
    if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
    const body = await readFile(file);
    // the length lets a page show a download's progress (the MNIST view does)
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache',
      'content-length': body.length });
    res.end(body);
  } catch {
    reply(res, 404, 'not found');
  }
});

server.listen(Number(portArg), '127.0.0.1', () => {
  console.log(`nnplay: serving ${root} on http://127.0.0.1:${server.address().port}/`);
});
