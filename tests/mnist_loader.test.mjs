// mnist_loader.test.mjs: the shared MNIST loader (web/js/mnist.js) on small
// hand-made folders: it reads what scripts/mnist-build.mjs writes, and a
// missing, truncated, corrupt or oversized file, or a manifest that is not
// what the build writes, gives a clear Error (message 'MNIST: ...'), never
// bad data, a bare TypeError, or gigabytes of memory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { loadMnist, splitDev, PIXELS } from '../web/js/mnist.js';

function folder({ train = 3, test: testCount = 2, drop = null, patch = {} } = {}) {
  const files = {
    'mnist.json': Buffer.from(JSON.stringify({ train, test: testCount, rows: 28, cols: 28 })),
    'train-images.gz': gzipSync(Buffer.alloc(train * PIXELS, 7)),
    'train-labels.gz': gzipSync(Buffer.from([1, 2, 3].slice(0, train))),
    'test-images.gz': gzipSync(Buffer.alloc(testCount * PIXELS, 9)),
    'test-labels.gz': gzipSync(Buffer.from([4, 5].slice(0, testCount))),
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

test("sets: ['test'] reads the test files only (the convolution explainer's 1.6 MB)", async () => {
  const read = [];
  const inner = folder({ drop: 'train-images.gz' });
  const m = await loadMnist(async (name) => { read.push(name); return inner(name); }, { sets: ['test'] });
  assert.equal(m.train, undefined);
  assert.equal(m.test.n, 2);
  assert.deepEqual(read.sort(), ['mnist.json', 'test-images.gz', 'test-labels.gz']);
  for (const sets of [[], ['dev'], 'test', [1]]) await assert.rejects(loadMnist(folder(), { sets }), /sets must list 'train' and\/or 'test'/);
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
  await assert.rejects(loadMnist(folder({ patch: { 'mnist.json': Buffer.from('{"train": -1, "test": 2}') } })), /the train count must be an integer in \[1, 60000\], got -1/);
});

test('a manifest that is not an object of sane counts is refused with an MNIST: message', async () => {
  const manifests = ['null', '[]', '"x"', '7', '{"train": -1}', '{"train": 1e9}', '{"train": 60001, "test": 2}',
    '{"train": 3, "test": 10001}', '{"train": 2.5, "test": 2}', '{"train": "3", "test": 2}', '{"test": 2}',
    '{"train": 3, "test": 2, "rows": 32}'];
  for (const json of manifests) {
    await assert.rejects(loadMnist(folder({ patch: { 'mnist.json': Buffer.from(json) } })), (e) => {
      assert.equal(e.constructor, Error, `${json}: ${e.name}: ${e.message}`);
      assert.match(e.message, /^MNIST: mnist\.json/, json);
      return true;
    });
  }
});

// Counts the bytes every DecompressionStream made while `run` runs hands on.
async function countInflated(run) {
  const Real = globalThis.DecompressionStream;
  let bytes = 0;
  globalThis.DecompressionStream = class {
    constructor(format) {
      const inner = new Real(format);
      this.writable = inner.writable;
      this.readable = inner.readable.pipeThrough(new TransformStream({
        transform(chunk, out) { bytes += chunk.length; out.enqueue(chunk); },
      }));
    }
  };
  try {
    await run();
  } finally {
    globalThis.DecompressionStream = Real;
  }
  return bytes;
}

test('a gzip bomb is refused after inflating little more than the expected size', async () => {
  const bomb = gzipSync(Buffer.alloc(64 << 20));
  assert.ok(bomb.length < 1 << 20, `the bomb is small (${bomb.length} bytes)`);
  const labels = gzipSync(Buffer.alloc(10, 1));
  const json = Buffer.from(JSON.stringify({ train: 10, test: 2 }));
  const inflated = await countInflated(async () => {
    await assert.rejects(loadMnist(folder({ patch: { 'mnist.json': json, 'train-images.gz': bomb, 'train-labels.gz': labels } })),
      /^Error: MNIST: train-images\.gz inflates to more than the 7840 bytes expected$/);
  });
  // 7840 bytes expected, a few stream chunks of read-ahead allowed; all 64 MiB would be 67108864
  assert.ok(inflated < 4 << 20, `inflated ${inflated} bytes`);
  assert.ok(inflated > 7840, 'the counter saw the decompression');

  const labelBomb = gzipSync(Buffer.alloc(8 << 20, 1));
  await assert.rejects(loadMnist(folder({ patch: { 'test-labels.gz': labelBomb } })), /test-labels\.gz inflates to more than the 2 bytes/);
});
