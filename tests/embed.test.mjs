// embed.test.mjs: the measures of a code space through the JS API (nn.pca,
// nn.knnAccuracy; engine/embed.c) in both builds: PCA of points on a known
// plane in 3-D against the plane's normal and variances worked out here in
// float64, k-NN accuracy against a brute force written here, and bad
// arguments (wrong sizes, k out of range, NaN) throwing a clear Error.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { builds, lcg } from './helpers.mjs';
import { NNPlayError } from '../build/wasm/nnplay.mjs';

/** Brute-force k-NN accuracy: distances in float64, sorted by (distance, index), ties in votes to the nearest. */
function knnReference(ref, refLabels, query, queryLabels, dims, k) {
  let correct = 0;
  for (let q = 0; q < queryLabels.length; q++) {
    const order = Array.from(refLabels, (_, r) => {
      let s = 0;
      for (let t = 0; t < dims; t++) s += (query[q * dims + t] - ref[r * dims + t]) ** 2;
      return [s, r];
    }).sort((a, b) => a[0] - b[0] || a[1] - b[1]).slice(0, k).map(([, r]) => refLabels[r]);
    let best = -1, top = 0;
    for (const label of order) {
      const votes = order.filter((l) => l === label).length;
      if (votes > top) { top = votes; best = label; }
    }
    correct += best === queryLabels[q];
  }
  return correct / queryLabels.length;
}

for (const [name, nn] of builds) {
  describe(`code-space measures (${name})`, () => {
    test('PCA finds the axes of an ellipse in 3-D with their variances', () => {
      // x = c + a u + b v with a ~ U(-3, 3), b ~ U(-1, 1): variances 3 and 1/3 along u and v
      const r = lcg(5), n = 4000, s = Math.SQRT1_2;
      const u = [s, s, 0], v = [0, 0, 1], x = new Float32Array(n * 3);
      for (let i = 0; i < n; i++) {
        const a = r(-3, 3), b = r(-1, 1);
        for (let t = 0; t < 3; t++) x[i * 3 + t] = [1, 2, 3][t] + a * u[t] + b * v[t];
      }
      const { mean, components, projected, explained } = nn.pca(x, { n, dims: 3, components: 2 });
      const m64 = [0, 1, 2].map((t) => x.filter((_, i) => i % 3 === t).reduce((p, q) => p + q, 0) / n);
      mean.forEach((m, t) => assert.ok(Math.abs(m - m64[t]) < 1e-5, `mean ${t}`));
      // the first component is u (its largest entry positive: the first of two equal ones), the second v
      const dot = (w, i) => w.reduce((p, q, t) => p + q * components[i * 3 + t], 0);
      assert.ok(Math.abs(dot(u, 0) - 1) < 1e-3, `first component ${components.slice(0, 3)}`);
      assert.ok(Math.abs(Math.abs(dot(v, 1)) - 1) < 1e-3, `second component ${components.slice(3)}`);
      assert.ok(components[5] > 0, 'the largest entry is positive');
      // the shares: all variance is in the plane, 9 : 1 between the axes (up to sampling)
      assert.ok(Math.abs(explained[0] + explained[1] - 1) < 1e-5, `${explained}`);
      assert.ok(Math.abs(explained[0] / explained[1] - 9) < 0.5, `${explained}`);
      assert.equal(projected.length, n * 2);
      const p0 = (x[0] - mean[0]) * components[0] + (x[1] - mean[1]) * components[1] + (x[2] - mean[2]) * components[2];
      assert.ok(Math.abs(projected[0] - p0) < 1e-4, 'projection');
    });

    test('k-NN accuracy equals a brute force for every k', () => {
      const r = lcg(9), nRef = 50, nQ = 30, dims = 2;
      const grid = () => Math.floor(r(0, 5));
      const refLabels = Int32Array.from({ length: nRef }, () => Math.floor(r(0, 3)));
      const queryLabels = Int32Array.from({ length: nQ }, () => Math.floor(r(0, 3)));
      const ref = Float32Array.from({ length: nRef * dims }, (_, i) => grid() + 0.7 * refLabels[i >> 1]);
      const query = Float32Array.from({ length: nQ * dims }, (_, i) => grid() + 0.7 * queryLabels[i >> 1]);
      for (const k of [1, 2, 3, 5, 8, 13, nRef]) {
        const got = nn.knnAccuracy({ ref, refLabels, query, queryLabels, dims, k });
        assert.equal(got, Math.fround(knnReference(ref, refLabels, query, queryLabels, dims, k)), `k = ${k}`);
      }
      assert.equal(nn.knnAccuracy({ ref, refLabels, query: ref, queryLabels: refLabels, dims, k: 1 }), 1,
        'each point is its own nearest neighbour (a repeated point keeps the lower index: the same place)');
    });

    test('bad arguments throw a clear Error', () => {
      const x = new Float32Array([0, 1, 2, 3, 4, 5]), lab = new Int32Array([0, 1, 0]);
      const bad = [
        [() => nn.pca(x, { dims: 4 }), /not 1 rows of 4|n must be/],
        [() => nn.pca(x, { dims: 2, components: 3 }), /components must be an integer in \[1, 2\]/],
        [() => nn.pca(x, { dims: 2, n: 2 }), /not 2 rows of 2/],
        [() => nn.pca(new Float32Array([0, NaN, 1, 2]), { dims: 2 }), /x\[1\] must be a finite number/],
        [() => nn.knnAccuracy({ ref: x, refLabels: lab, query: x, queryLabels: lab, dims: 2, k: 4 }), /k must be an integer in \[1, 3\]/],
        [() => nn.knnAccuracy({ ref: x, refLabels: lab, query: x, queryLabels: lab, dims: 2, k: NaN }), /k must be/],
        [() => nn.knnAccuracy({ ref: x, refLabels: lab.subarray(1), query: x, queryLabels: lab, dims: 2 }), /refLabels has 2 values, 3 expected/],
        [() => nn.knnAccuracy({ ref: x, refLabels: lab, query: x.subarray(1), queryLabels: lab, dims: 2 }), /query has 5 values/],
        [() => nn.knnAccuracy({ ref: x, refLabels: new Int32Array([0, -1, 0]), query: x, queryLabels: lab, dims: 2 }), /class index/],
      ];
      for (const [call, re] of bad) assert.throws(call, (e) => e instanceof NNPlayError && re.test(e.message), String(re));
      assert.equal(nn.knnAccuracy({ ref: x, refLabels: lab, query: x, queryLabels: lab, dims: 2, k: 1 }), 1, 'usable after');
    });
  });
}
