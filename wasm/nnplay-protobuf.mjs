// nnplay-protobuf.mjs: the few protocol-buffer encodings an ONNX file needs,
// written by hand (why not protobufjs: README, "ONNX export"): varints
// (int64 and enums, negatives as 64-bit two's complement), length-delimited
// fields (strings, bytes, nested messages, packed int64s) and 32-bit floats.
// A message is a list of encoded fields; finish() joins them. Write only:
// the tests decode the files back with ONNX's own generated schema.

const WIRE_VARINT = 0, WIRE_LEN = 2, WIRE_FIXED32 = 5;
const utf8 = new TextEncoder();

/** The varint bytes of an integer (a safe integer; negatives take 10 bytes). */
export function varint(n) {
  if (!Number.isSafeInteger(n)) throw new Error(`protobuf: ${n} is not an integer a varint can hold here`);
  let v = BigInt.asUintN(64, BigInt(n));
  const out = [];
  do {
    const low = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v ? low | 0x80 : low);
  } while (v);
  return Uint8Array.from(out);
}

const tag = (field, wire) => varint(field * 8 + wire);

/** One message under construction: add fields in field-number order, then finish(). */
export class Message {
  constructor() {
    this.parts = [];
    this.size = 0;
  }

  push(...chunks) {
    for (const c of chunks) {
      this.parts.push(c);
      this.size += c.length;
    }
    return this;
  }

  /** An int64/int32/enum field. */
  int(field, n) { return this.push(tag(field, WIRE_VARINT), varint(n)); }

  /** A 32-bit float field. */
  float(field, f) {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, f, true);
    return this.push(tag(field, WIRE_FIXED32), b);
  }

  /** A bytes field. */
  bytes(field, b) { return this.push(tag(field, WIRE_LEN), varint(b.length), b); }

  /** A string field (UTF-8). */
  string(field, s) { return this.bytes(field, utf8.encode(s)); }

  /** A nested message field (a Message). */
  message(field, m) { return this.bytes(field, m.finish()); }

  /** A packed repeated int64 field. */
  ints(field, list) {
    const inner = new Message();
    for (const n of list) inner.push(varint(n));
    return this.bytes(field, inner.finish());
  }

  /** The encoded message. */
  finish() {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const c of this.parts) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

/** Float32 values as little-endian bytes (TensorProto.raw_data's layout). */
export function floatBytes(values) {
  const b = new Uint8Array(values.length * 4), v = new DataView(b.buffer);
  for (let i = 0; i < values.length; i++) v.setFloat32(i * 4, values[i], true);
  return b;
}
