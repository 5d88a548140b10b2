// nnplay-struct.mjs: the one way the JS API reads and writes the engine's
// structs in wasm memory: field by field, by C name, as nnplay-abi.mjs
// (generated from engine/nn.h) lays them out, so no offset or struct size
// is written by hand and a field moved in nn.h needs no edit here.

import { ABI } from './nnplay-abi.mjs';
import { fail } from './nnplay-names.mjs';

// the view of NNPlay.heap() each field type is stored through
const VIEW = { i32: 'i32', u32: 'u32', f32: 'f32', ptr: 'u32' };

function layout(struct) {
  const s = ABI.structs[struct];
  if (!s) fail(`internal: no struct ${struct} in nnplay-abi.mjs`);
  return s;
}

/** The size in bytes of a struct (e.g. 'nn_data'). */
export function sizeOf(struct) {
  return layout(struct).size;
}

/**
 * Writes `values` into the struct at `ptr`: one number per field, by its C
 * name, and no other key (a field nn.h gained and nobody sets, or a typo,
 * throws instead of leaving memory unset).
 */
export function writeStruct(heap, ptr, struct, values) {
  const { fields } = layout(struct);
  for (const key of Object.keys(values)) if (!(key in fields)) fail(`internal: ${struct} has no field ${key}`);
  for (const [name, f] of Object.entries(fields)) {
    const v = values[name];
    if (typeof v !== 'number') fail(`internal: ${struct}.${name} is not set`);
    heap[VIEW[f.type]][(ptr + f.offset) >> 2] = v;
  }
}

/** The struct at `ptr` as an object with one number per field, by C name. */
export function readStruct(heap, ptr, struct) {
  const out = {};
  for (const [name, f] of Object.entries(layout(struct).fields)) out[name] = heap[VIEW[f.type]][(ptr + f.offset) >> 2];
  return out;
}

/** One field of the struct at `ptr`. */
export function readField(heap, ptr, struct, name) {
  const f = layout(struct).fields[name];
  if (!f) fail(`internal: ${struct} has no field ${name}`);
  return heap[VIEW[f.type]][(ptr + f.offset) >> 2];
}

/**
 * Places areas of the given sizes in bytes one after another, each at a
 * multiple of 8: { name: offset, ..., size: total }.
 */
export function areaLayout(sizes) {
  const out = {};
  let at = 0;
  for (const [name, bytes] of Object.entries(sizes)) {
    out[name] = at;
    at += Math.ceil(bytes / 8) * 8;
  }
  out.size = at;
  return out;
}
