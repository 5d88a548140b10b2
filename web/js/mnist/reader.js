// reader.js: the page's MNIST reader: the files of a folder fetched over
// HTTP and read from the body stream, so that the 11.5 MB download can say
// how far it is. loadMnist calls it as read(name, {onProgress}); a reader
// that takes only the name (the offline page's, Node's) works as well.

/**
 * A reader of the folder at `base` (a URL ending in /): read(name,
 * {onProgress}) resolves with the file's bytes, calling onProgress(loaded,
 * total) as chunks arrive; total is the Content-Length, or null when the
 * server gives none (or one the body outgrows, as with a compressing server).
 */
export function fetchReader(base) {
  return async (name, { onProgress } = {}) => {
    const r = await fetch(new URL(name, base));
    if (!r.ok) throw new Error(`${r.status} ${r.statusText}`);
    if (!onProgress || !r.body) return new Uint8Array(await r.arrayBuffer());
    const size = Number(r.headers.get('content-length'));
    const total = Number.isSafeInteger(size) && size > 0 ? size : null;
    const chunks = [];
    let loaded = 0;
    const reader = r.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      loaded += value.length;
      onProgress(loaded, total !== null && loaded <= total ? total : null);
    }
    const out = new Uint8Array(loaded);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  };
}
