// helpers.mjs: what the node tests share: both builds of the engine (SIMD and
// scalar, loaded once per test file) and a deterministic pseudo-random source.
import { load } from '../build/wasm/nnplay.mjs';

export const builds = [
  ['simd', await load({ simd: true })],
  ['scalar', await load({ simd: false })],
];

/** Deterministic floats in [lo, hi) from a 32-bit LCG. */
export function lcg(seed) {
  let s = seed >>> 0;
  return (lo = 0, hi = 1) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + (hi - lo) * ((s >>> 8) / 16777216);
  };
}
