// owndata-fixtures.mjs: files for the own-data tests, made here: zip
// archives (stored or deflated entries, as zip tools write them) and grey
// PNG images, with node:zlib only.
import { deflateRawSync, deflateSync, crc32 } from 'node:zlib';

/** A zip of {name: bytes}, each deflated or stored, as zip tools write it. */
export function makeZip(files, { deflate = true } = {}) {
  const local = [], central = [];
  let offset = 0;
  const enc = new TextEncoder();
  for (const [name, data] of Object.entries(files)) {
    const nameBytes = enc.encode(name), body = deflate ? deflateRawSync(data) : data;
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0); head.writeUInt16LE(20, 4); head.writeUInt16LE(deflate ? 8 : 0, 8);
    head.writeUInt32LE(crc32(data), 14); head.writeUInt32LE(body.length, 18); head.writeUInt32LE(data.length, 22);
    head.writeUInt16LE(nameBytes.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0); dir.writeUInt16LE(20, 4); dir.writeUInt16LE(20, 6); dir.writeUInt16LE(deflate ? 8 : 0, 10);
    dir.writeUInt32LE(crc32(data), 16); dir.writeUInt32LE(body.length, 20); dir.writeUInt32LE(data.length, 24);
    dir.writeUInt16LE(nameBytes.length, 28); dir.writeUInt32LE(offset, 42);
    local.push(head, nameBytes, body);
    central.push(dir, nameBytes);
    offset += 30 + nameBytes.length + body.length;
  }
  const dirBytes = Buffer.concat(central), end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(Object.keys(files).length, 8); end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(dirBytes.length, 12); end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...local, dirBytes, end]));
}

/** A w x h 8-bit grey PNG of `pixels` (w*h bytes, row-major). */
export function greyPng(w, h, pixels) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4), body = Buffer.concat([Buffer.from(type), data]), crc = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4); ihdr[8] = 8; ihdr[9] = 0;
  // each row: filter byte 0, then its pixels
  const raw = Buffer.alloc(h * (w + 1));
  for (let y = 0; y < h; y++) raw.set(pixels.subarray(y * w, (y + 1) * w), y * (w + 1) + 1);
  return new Uint8Array(Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]));
}

/**
 * A toy image set: class c (0..classes-1) is a bright horizontal bar at rows
 * 2 + 2.5c (with a seeded jitter of a pixel and some noise), on black: easy
 * for any net, different for every class. Returns [{label, pixels (side*side)}].
 */
export function bars(n, { classes = 10, side = 28, invert = false } = {}) {
  let s = 7;
  const rand = () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 2 ** 32; };
  return Array.from({ length: n }, (_, i) => {
    const label = i % classes, pixels = new Uint8Array(side * side), row = Math.round(((2 + 2.5 * label + (rand() < 0.5 ? 0 : 1)) * side) / 28);
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const on = Math.abs(y - row) <= Math.max(1, side / 28);
        const v = on ? 200 + Math.floor(rand() * 55) : Math.floor(rand() * 30);
        pixels[y * side + x] = invert ? 255 - v : v;
      }
    }
    return { label, pixels };
  });
}
