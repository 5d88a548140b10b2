// abi.test.mjs: the generated build/wasm/nnplay-abi.mjs (wasm/abi-gen.c,
// from engine/nn.h) against both running wasm builds: the same interface
// hash, struct sizes, field offsets, enum counts, status codes and optimiser
// defaults. The hash is recomputed here from the module's content, so every
// value in it is covered. Then: load() refuses a build with another hash,
// the struct helper refuses a field it does not know or a field left unset,
// and the JS API's sources hold no hand-copied offset, size or limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { builds } from './helpers.mjs';
import { ABI } from '../build/wasm/nnplay-abi.mjs';
import { load } from '../build/wasm/nnplay.mjs';
import { writeStruct, readStruct, areaLayout } from '../build/wasm/nnplay-struct.mjs';

const TYPES = ['i32', 'u32', 'f32', 'ptr'];

/** FNV-1a over the module's content, in the order of nnw_abi_hash_compute (wasm/abi.c). */
function abiHash(abi) {
  let h = 2166136261;
  const bytes = (b) => { for (const x of b) h = Math.imul(h ^ x, 16777619) >>> 0; };
  const str = (s) => bytes([...new TextEncoder().encode(s), 0]);
  const i32 = (v) => bytes(new Uint8Array(Int32Array.of(v).buffer));
  const f64 = (v) => bytes(new Uint8Array(Float64Array.of(v).buffer));
  const structs = Object.entries(abi.structs);
  i32(structs.length);
  for (const [name, s] of structs) {
    const fields = Object.entries(s.fields);
    str(name); i32(s.size); i32(fields.length);
    for (const [field, f] of fields) { str(field); i32(f.offset); str(f.type); }
  }
  const enums = Object.entries(abi.enums);
  i32(enums.length);
  for (const [name, names] of enums) {
    str(name); i32(names.length);
    names.forEach(str);
  }
  for (const table of [abi.status, abi.limits]) {
    const rows = Object.entries(table);
    i32(rows.length);
    for (const [name, v] of rows) { str(name); f64(v); }
  }
  let count = 0;
  for (const [group, { struct, values }] of Object.entries(abi.defaults)) {
    for (const [key, value] of Object.entries(values)) {
      // the bytes of the struct as the JS API would write it
      const buf = new ArrayBuffer(abi.structs[struct].size);
      writeStruct({ i32: new Int32Array(buf), u32: new Uint32Array(buf), f32: new Float32Array(buf) }, 0, struct, value);
      str(group); str(key); str(struct); bytes(new Uint8Array(buf));
      count++;
    }
  }
  i32(count);
  return h;
}

test('the module is well formed and its hash covers its content', () => {
  assert.equal(abiHash(ABI), ABI.hash, 'hash recomputed from the module');
  assert.ok(Object.isFrozen(ABI.structs.nn_optim.fields), 'the module is frozen');
  for (const [name, s] of Object.entries(ABI.structs)) {
    const fields = Object.values(s.fields);
    // every field 4 bytes, none overlapping, together the whole struct
    assert.equal(fields.length * 4, s.size, `${name}: fields fill the struct`);
    assert.deepEqual(fields.map((f) => f.offset).sort((a, b) => a - b), fields.map((_, i) => 4 * i), `${name}: offsets`);
    for (const f of fields) assert.ok(TYPES.includes(f.type), `${name}: type ${f.type}`);
  }
  for (const struct of ['nn_layer_spec', 'nn_config', 'nn_data', 'nn_optim', 'nn_init', 'nn_report', 'nn_layer_info']) {
    assert.ok(ABI.structs[struct], `${struct} is described`);
  }
  for (const [name, names] of Object.entries(ABI.enums)) {
    assert.equal(new Set(names).size, names.length, `${name}: names are distinct`);
    for (const n of names) assert.match(n, /^[a-z][a-z0-9_]*$/, `${name}: ${n}`);
  }
  assert.equal(ABI.status.NN_ERR_DIVERGED, -8);
  assert.equal(ABI.limits.NN_MAX_UNITS, 65536);
  assert.equal(ABI.defaults.activation.values.leaky_relu.a, 0.01);
  assert.equal(ABI.defaults.layer.values.batchnorm.eps, 1e-5);
});

for (const [name, nn] of builds) {
  const m = nn.m;

  test(`${name}: the running build has the module's hash, layouts and enum counts`, () => {
    assert.equal(m._nnw_abi_hash() >>> 0, ABI.hash, 'interface hash');
    const structs = Object.entries(ABI.structs);
    structs.forEach(([struct, s], i) => {
      assert.equal(m._nnw_abi_struct_size(i), s.size, `sizeof(${struct})`);
      const fields = Object.entries(s.fields);
      fields.forEach(([field, f], j) => assert.equal(m._nnw_abi_field_offset(i, j), f.offset, `offsetof(${struct}, ${field})`));
      assert.equal(m._nnw_abi_field_offset(i, fields.length), -1, `${struct} has no more fields`);
    });
    assert.equal(m._nnw_abi_struct_size(structs.length), -1, 'no more structs');
    const enums = Object.entries(ABI.enums);
    enums.forEach(([e, names], i) => assert.equal(m._nnw_abi_enum_count(i), names.length, `${e} count`));
    assert.equal(m._nnw_abi_enum_count(enums.length), -1, 'no more enums');
  });

  test(`${name}: every status code has the engine's words, and defaults are the engine's`, () => {
    for (const [code, value] of Object.entries(ABI.status)) {
      if (value === 0) continue;
      assert.throws(() => nn.check(value, 'x'), (e) => e.code === value && !/unknown status/.test(e.message), code);
    }
    const net = nn.createNet({ inputs: 2, layers: [3], outputs: 1 });
    try {
      for (const [opt, d] of Object.entries(ABI.defaults.optim.values)) {
        net.setOptimizer(opt);
        // what C holds after the JS API wrote the defaults, read back through nn_get_optimizer
        assert.deepEqual(net.optimizer, { name: opt, lr: Math.fround(d.lr), momentum: Math.fround(d.beta1),
          beta2: Math.fround(d.beta2), delta: Math.fround(d.delta), decay: Math.fround(d.decay) }, opt);
        assert.equal(ABI.enums.nn_optimizer[d.kind], opt, `${opt}: kind`);
      }
    } finally {
      net.free();
    }
  });
}

test('load() refuses a wasm build whose interface hash differs from the module', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nnplay-abi-'));
  try {
    writeFileSync(join(dir, 'nnplay-scalar.mjs'),
      `export default async () => ({ _nnw_abi_hash: () => ${(ABI.hash + 1) >>> 0} });\n`);
    await assert.rejects(load({ simd: false, baseUrl: pathToFileURL(`${dir}/`), wasmBinary: new Uint8Array(8) }),
      /the wasm build does not match nnplay-abi\.mjs/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the struct helper writes by name, refuses unknown or unset fields, and reads back', () => {
  const buf = new ArrayBuffer(64);
  const heap = { i32: new Int32Array(buf), u32: new Uint32Array(buf), f32: new Float32Array(buf) };
  const opt = { kind: 5, lr: 0.5, beta1: 0.25, beta2: 0.125, delta: 1, decay: 2 };
  writeStruct(heap, 8, 'nn_optim', opt);
  assert.deepEqual(readStruct(heap, 8, 'nn_optim'), opt);
  assert.equal(heap.f32[(8 + ABI.structs.nn_optim.fields.lr.offset) >> 2], 0.5);
  assert.throws(() => writeStruct(heap, 0, 'nn_optim', { ...opt, clip: 1 }), /nn_optim has no field clip/);
  const { decay, ...noDecay } = opt;
  assert.equal(decay, 2);
  assert.throws(() => writeStruct(heap, 0, 'nn_optim', noDecay), /nn_optim\.decay is not set/);
  assert.throws(() => writeStruct(heap, 0, 'nn_nothing', {}), /no struct nn_nothing/);
  writeStruct(heap, 0, 'nn_config', { n_in: 1, n_layers: 1, layers: 0, output: 0, loss: 0, max_batch: 1, seed: 2 ** 32 - 1,
    channels: 0, height: 0, width: 0 });
  assert.equal(readStruct(heap, 0, 'nn_config').seed, 2 ** 32 - 1, 'u32 fields keep values above 2^31');
  assert.deepEqual(areaLayout({ a: 32, b: 12, c: 4 }), { a: 0, b: 32, c: 48, size: 56 });
});

test('the JS API copies no offset, struct size, enum table or C limit by hand', () => {
  const src = (f) => readFileSync(new URL(`../wasm/${f}`, import.meta.url), 'utf8');
  const code = ['nnplay.mjs', 'nnplay-net.mjs', 'nnplay-flow.mjs', 'nnplay-names.mjs', 'nnplay-struct.mjs', 'nnplay-optim.mjs',
    'nnplay-codes.mjs', 'nnplay-inspect.mjs']
    .map((f) => [f, src(f).replace(/^\s*(\/\/|\*|\/\*\*).*$/gm, '')]);
  const forbidden = [
    [/\bthis\.s \+ \d/, 'an offset into the struct area'],
    [/\(\w+ >> 2\) \+ \d+\]/, 'a field read at a literal word offset'],
    [/\balloc\((?!4\))\d+\)/, 'a literal allocation size (but one int status word)'],
    [/max: (65536|1 << 20|2 \*\* 31 - 1|2 \*\* 32 - 1)\b|< 2 \*\* 31\b/, 'a C limit'],
    [/\['(linear|sgd|se_half|constant|circle|init|dense)',/, 'an enum table'],
    [/_nnw_abi_version/, 'the old hand-bumped version'],
  ];
  for (const [file, text] of code) {
    for (const [re, what] of forbidden) assert.doesNotMatch(text, re, `${file}: ${what}`);
  }
});
