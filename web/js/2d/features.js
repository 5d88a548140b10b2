// features.js: the input features of the playground (x1, x2, x1², x2², x1·x2,
// sin x1, sin x2) as a pure mapping from raw points to the network's inputs.
// The same mapping serves the data, the heatmap grid and the neuron views.

const MAPS = {
  x1: (a) => a,
  x2: (a, b) => b,
  x1sq: (a) => a * a,
  x2sq: (a, b) => b * b,
  x1x2: (a, b) => a * b,
  sinx1: (a) => Math.sin(a),
  sinx2: (a, b) => Math.sin(b),
};

/** Features that exist for points of `dims` raw coordinates (1 for cos(x)). */
export function usable(features, dims) {
  const ok = dims === 1 ? features.filter((f) => !/2/.test(f)) : features.slice();
  return ok.length ? ok : ['x1'];
}

/** Maps n raw points (n * dims) to n * features.length network inputs. */
export function mapFeatures(points, dims, features, out) {
  const n = points.length / dims, k = features.length;
  const res = out ?? new Float32Array(n * k);
  const fns = features.map((f) => MAPS[f]);
  for (let i = 0; i < n; i++) {
    const a = points[i * dims], b = dims > 1 ? points[i * dims + 1] : 0;
    for (let j = 0; j < k; j++) res[i * k + j] = fns[j](a, b);
  }
  return res;
}

/** A res x res grid over [lo, hi]^2, row 0 at the top (largest x2). */
export function grid(res, lo = -6, hi = 6) {
  const g = new Float32Array(res * res * 2);
  const step = (hi - lo) / (res - 1);
  for (let r = 0; r < res; r++) {
    for (let c = 0; c < res; c++) {
      g[2 * (r * res + c)] = lo + c * step;
      g[2 * (r * res + c) + 1] = hi - r * step;
    }
  }
  return g;
}

/** n points along x1 in [lo, hi] (the 1D regression view). */
export function line(n, lo = -6, hi = 6) {
  return Float32Array.from({ length: n }, (_, i) => lo + (i * (hi - lo)) / (n - 1));
}
