// zip.js: the files of a .zip archive, read with the platform's
// DecompressionStream('deflate-raw') (browsers and Node 18+): no library.
// Only what own-data loading needs: stored (0) and deflated (8) entries,
// no encryption, no ZIP64, no multi-disk archives. Nothing is trusted: the
// central directory's counts, offsets and sizes are checked against the
// file, and every entry inflates into at most maxEntryBytes (a zip bomb
// stops there).
import { DataError } from './csv-read.js';

export const ZIP_LIMITS = { maxEntries: 20000, maxEntryBytes: 4 << 20, maxTotalBytes: 200 << 20 };

const u16 = (b, o) => b[o] | (b[o + 1] << 8);
const u32 = (b, o) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;

/** The central directory's entries: [{name, method, size, csize, offset}] (directories left out). */
export function zipEntries(bytes, limits = ZIP_LIMITS) {
  if (!(bytes instanceof Uint8Array)) throw new DataError('zipBad', { why: 'not bytes' });
  // the end record: the last "PK\5\6" within the last 64 KiB + 22 bytes
  let end = -1;
  for (let o = bytes.length - 22; o >= Math.max(0, bytes.length - 22 - 65535); o--) {
    if (u32(bytes, o) === 0x06054b50) { end = o; break; }
  }
  if (end < 0) throw new DataError('zipBad', { why: 'no end of central directory' });
  const count = u16(bytes, end + 10), dirSize = u32(bytes, end + 12), dirOffset = u32(bytes, end + 16);
  if (count === 0xffff || dirOffset === 0xffffffff) throw new DataError('zipBad', { why: 'ZIP64 archives are not read' });
  if (count > limits.maxEntries) throw new DataError('imgTooMany', { got: count, max: limits.maxEntries });
  if (dirOffset + dirSize > end) throw new DataError('zipBad', { why: 'central directory outside the file' });
  const out = [];
  let o = dirOffset;
  for (let k = 0; k < count; k++) {
    if (o + 46 > end || u32(bytes, o) !== 0x02014b50) throw new DataError('zipBad', { why: `entry ${k + 1} of the directory is damaged` });
    const flags = u16(bytes, o + 8), method = u16(bytes, o + 10);
    const csize = u32(bytes, o + 20), size = u32(bytes, o + 24);
    const nameLen = u16(bytes, o + 28), extraLen = u16(bytes, o + 30), commentLen = u16(bytes, o + 32);
    const offset = u32(bytes, o + 42);
    if (o + 46 + nameLen > end) throw new DataError('zipBad', { why: `entry ${k + 1} of the directory is damaged` });
    const name = new TextDecoder().decode(bytes.subarray(o + 46, o + 46 + nameLen));
    o += 46 + nameLen + extraLen + commentLen;
    if (name.endsWith('/')) continue;
    if (flags & 1) throw new DataError('zipBad', { why: `${name} is encrypted` });
    if (method !== 0 && method !== 8) throw new DataError('zipBad', { why: `${name}: compression method ${method} is not read` });
    if (offset + 30 > bytes.length || csize > bytes.length) throw new DataError('zipBad', { why: `${name} lies outside the file` });
    out.push({ name, method, size, csize, offset });
  }
  return out;
}

/** The bytes of one entry (from zipEntries), inflated into at most limits.maxEntryBytes. */
export async function zipRead(bytes, entry, limits = ZIP_LIMITS) {
  const o = entry.offset;
  if (u32(bytes, o) !== 0x04034b50) throw new DataError('zipBad', { why: `${entry.name}: no local header` });
  const start = o + 30 + u16(bytes, o + 26) + u16(bytes, o + 28);
  if (start + entry.csize > bytes.length) throw new DataError('zipBad', { why: `${entry.name} lies outside the file` });
  const raw = bytes.subarray(start, start + entry.csize);
  if (entry.method === 0) {
    if (raw.length > limits.maxEntryBytes) throw new DataError('zipEntryBig', { name: entry.name, max: limits.maxEntryBytes });
    return raw.slice();
  }
  const reader = new Blob([raw]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    let r;
    try {
      r = await reader.read();
    } catch (e) {
      throw new DataError('zipBad', { why: `${entry.name}: ${e.message}` });
    }
    if (r.done) break;
    size += r.value.length;
    if (size > limits.maxEntryBytes) {
      await reader.cancel();
      throw new DataError('zipEntryBig', { name: entry.name, max: limits.maxEntryBytes });
    }
    chunks.push(r.value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
}
