// own-images.js: one's own 28 x 28 grey images for the MNIST and CNN views,
// pure parts: the CSV layout of Kaggle's MNIST ("label, 784 pixels", header
// optional, pixels 0-255), the class of an image from its folder (a zip's
// or a picked folder's paths: digits/3/a.png -> 3), the seeded split into
// training and test images, and the MNIST-shaped result {train, test, info}
// the views take. Decoding PNG/JPEG needs the browser (own-decode.js).
import { DataError, csvRows, numberAt, isHeader } from '../shared/csv-read.js';
import { PIXELS } from '../mnist.js';

/** Limits: images per file, classes (the nets' ten outputs), the test share. */
export const IMAGE_LIMITS = { minImages: 10, maxImages: 20000, classes: 10, testShare: 0.2 };

/**
 * Images from "label,p0,...,p783" CSV text: {images (Uint8Array n*784),
 * labels (Uint8Array n), n}. Labels are integers 0..9, pixels integers
 * 0..255; a DataError names the line and column of the first bad value.
 */
export function parseImageCsv(text, limits = IMAGE_LIMITS) {
  const rows = csvRows(text, { maxRows: limits.maxImages, header: true, maxFields: PIXELS + 64 });
  if (rows.length && isHeader(rows[0])) rows.shift();
  if (rows.length > limits.maxImages) throw new DataError('csvTooManyRows', { line: rows[limits.maxImages].line, max: limits.maxImages });
  if (rows.length < limits.minImages) throw new DataError('csvTooFewRows', { min: limits.minImages, got: rows.length });
  const n = rows.length, images = new Uint8Array(n * PIXELS), labels = new Uint8Array(n);
  rows.forEach((r, i) => {
    if (r.fields.length !== PIXELS + 1) throw new DataError('csvColumns', { line: r.line, expected: PIXELS + 1, got: r.fields.length });
    const label = numberAt(r, 0, 1e6);
    if (!Number.isInteger(label) || label < 0 || label >= limits.classes) {
      throw new DataError('csvClassRange', { line: r.line, column: 1, value: r.fields[0], max: limits.classes - 1 });
    }
    labels[i] = label;
    for (let p = 0; p < PIXELS; p++) {
      const fast = smallInt(r.fields[p + 1]);
      if (fast >= 0 && fast <= 255) { images[i * PIXELS + p] = fast; continue; }
      const v = numberAt(r, p + 1, 1e6);
      if (!Number.isInteger(v) || v < 0 || v > 255) throw new DataError('csvPixel', { line: r.line, column: p + 2, value: r.fields[p + 1] });
      images[i * PIXELS + p] = v;
    }
  });
  return { images, labels, n };
}

// a field of 1 to 3 decimal digits as its value, else -1 (the general check then says what is wrong)
function smallInt(s) {
  if (s.length === 0 || s.length > 3) return -1;
  let v = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

const IMAGE_FILE = /\.(png|jpe?g)$/i;

/**
 * The classes of image files from their paths ('a/3/x.png'): the folder
 * just above each file names its class. Folders named 0..9 are those
 * classes; other names are numbered in sorted order (at most `classes`).
 * Files that are not PNG/JPEG, and hidden ones (__MACOSX/, .x), are left
 * out. Returns {files: [{path, label}], names}.
 */
export function classesOf(paths, limits = IMAGE_LIMITS) {
  const images = paths.filter((p) => IMAGE_FILE.test(p) && !p.split('/').some((s) => s.startsWith('.') || s === '__MACOSX'));
  if (!images.length) throw new DataError('imgNone');
  if (images.length > limits.maxImages) throw new DataError('imgTooMany', { got: images.length, max: limits.maxImages });
  const folder = (p) => p.split('/').slice(-2, -1)[0];
  const missing = images.find((p) => folder(p) === undefined);
  if (missing) throw new DataError('imgNoFolder', { path: missing });
  const names = [...new Set(images.map(folder))].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const digits = names.every((s) => /^\d$/.test(s));
  if (names.length > limits.classes) throw new DataError('imgTooManyClasses', { got: names.length, max: limits.classes });
  if (names.length < 2) throw new DataError('imgOneClass');
  const label = (p) => (digits ? Number(folder(p)) : names.indexOf(folder(p)));
  return { files: images.map((path) => ({ path, label: label(path) })), names: digits ? null : names };
}

/** A small seeded PRNG (mulberry32): the split of one's images is the same for a seed. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The MNIST-shaped sets of n images {images, labels, n}: shuffled with
 * `seed` and split, the last testShare (at least one image) for testing:
 * {train, test, info: {train, test, own: true, names}}.
 */
export function splitImages({ images, labels, n }, seed, { names = null, testShare = IMAGE_LIMITS.testShare } = {}) {
  const order = Array.from({ length: n }, (_, i) => i), rand = prng(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const nTest = Math.max(1, Math.round(n * testShare)), nTrain = n - nTest;
  const take = (idx) => {
    const out = { images: new Uint8Array(idx.length * PIXELS), labels: new Uint8Array(idx.length), n: idx.length };
    idx.forEach((k, i) => { out.images.set(images.subarray(k * PIXELS, (k + 1) * PIXELS), i * PIXELS); out.labels[i] = labels[k]; });
    return out;
  };
  return { train: take(order.slice(0, nTrain)), test: take(order.slice(nTrain)), info: { train: nTrain, test: nTest, own: true, names } };
}

/**
 * Grey 0..255 bytes from RGBA pixels (w*h*4) of one image, as MNIST draws
 * digits: light strokes on black. A picture whose border is mostly light
 * (a dark digit on white paper) is inverted; transparent pixels count as
 * background. Returns {grey (Uint8Array w*h), inverted}.
 */
export function toGrey(rgba, w, h) {
  const grey = new Uint8Array(w * h);
  for (let p = 0; p < w * h; p++) {
    const a = rgba[4 * p + 3] / 255;
    grey[p] = Math.round(a * (0.299 * rgba[4 * p] + 0.587 * rgba[4 * p + 1] + 0.114 * rgba[4 * p + 2]));
  }
  let border = 0, count = 0;
  for (let x = 0; x < w; x++) { border += grey[x] + grey[(h - 1) * w + x]; count += 2; }
  for (let y = 1; y < h - 1; y++) { border += grey[y * w] + grey[y * w + w - 1]; count += 2; }
  const inverted = border / count > 127;
  if (inverted) for (let p = 0; p < w * h; p++) grey[p] = 255 - grey[p];
  return { grey, inverted };
}
