// mnist_loader.test.mjs: the shared MNIST loader (web/js/mnist.js) on small
// hand-made folders: it reads what scripts/mnist-build.mjs writes, and a
// missing, truncated or corrupt file gives a clear error, never bad data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { loadMnist, splitDev, PIXELS } from '../web/js/mnist.js';

function folder({ train = 3, test = 2, drop = null, patch = {} } = {}) {
  const files = {
    'mnist.json': Buffer.from(JSON.stringify({ train, test, rows: 28, cols: 28 })),
    'train-images.gz': gzipSync(Buffer.alloc(train * PIXELS, 7)),
    'train-labels.gz': gzipSync(Buffer.from([1, 2, 3].slice(0, train))),
    'test-images.gz': gzipSync(Buffer.alloc(test * PIXELS, 9)),
    'test-labels.gz': gzipSync(Buffer.from([4, 5].slice(0, test))),
    ...patch,
  };
  if (drop) delete files[drop];
  return async (name) => {
    if (!(name in files)) throw new Error(`ENOENT ${name}`);
    return new Uint8Array(files[name]);
  };
}

test('reads a folder written in the build format', async () => {
  const m = await loadMnist(folder());
  assert.equal(m.train.n, 3);
  assert.equal(m.test.n, 2);
  assert.equal(m.train.images.length, 3 * PIXELS);
  assert.equal(m.train.images[100], 7);
  assert.deepEqual([...m.test.labels], [4, 5]);
  const { train, dev } = splitDev(m.train, 1);
  assert.equal(train.n, 2);
  assert.deepEqual([...dev.labels], [3]);
});

test('a missing manifest or file says what to run', async () => {
  await assert.rejects(loadMnist(folder({ drop: 'mnist.json' })), /cannot read mnist\.json \(run 'make mnist'\)/);
  await assert.rejects(loadMnist(folder({ drop: 'test-labels.gz' })), /cannot read test-labels\.gz/);
});

test('truncated, corrupt or inconsistent files are refused', async () => {
  const gz = gzipSync(Buffer.alloc(3 * PIXELS, 7));
  await assert.rejects(loadMnist(folder({ patch: { 'train-images.gz': gz.subarray(0, gz.length - 9) } })), /cannot read train-images\.gz/);
  await assert.rejects(loadMnist(folder({ patch: { 'train-images.gz': Buffer.from('not gzip at all') } })), /cannot read train-images\.gz/);
  await assert.rejects(loadMnist(folder({ patch: { 'train-images.gz': gzipSync(Buffer.alloc(2 * PIXELS)) } })), /expected 3 digits/);
  await assert.rejects(loadMnist(folder({ patch: { 'test-labels.gz': gzipSync(Buffer.from([4, 12])) } })), /labels outside 0\.\.9/);
  await assert.rejects(loadMnist(folder({ patch: { 'mnist.json': Buffer.from('{"train": -1, "test": 2}') } })), /no train count/);
});
