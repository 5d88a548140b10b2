// codes.js: the code plane's arithmetic, pure functions over flat arrays:
// the bounds of the plotted codes, canvas pixels to code coordinates and
// back, the grid of codes of the manifold picture, the codes between two
// digits, a point of the PCA plane back to a code, and the nearest plotted
// point (for the hover thumbnail). No DOM, no engine.

/**
 * The box {x0, x1, y0, y1} that holds the points (n x 2, flat) but their
 * most extreme 0.5 % on each side, padded by 5 %; a unit box around 0 when
 * there is nothing finite to hold.
 */
export function planeBounds(points, n) {
  const xs = [], ys = [];
  for (let i = 0; i < n; i++) {
    const x = points[2 * i], y = points[2 * i + 1];
    if (Number.isFinite(x) && Number.isFinite(y)) { xs.push(x); ys.push(y); }
  }
  if (!xs.length) return { x0: -1, x1: 1, y0: -1, y1: 1 };
  const range = (v) => {
    v.sort((a, b) => a - b);
    const cut = Math.floor(0.005 * (v.length - 1));
    let lo = v[cut], hi = v[v.length - 1 - cut];
    if (!(hi - lo > 1e-6)) { lo -= 0.5; hi += 0.5; }
    const pad = 0.05 * (hi - lo);
    return [lo - pad, hi + pad];
  };
  const [x0, x1] = range(xs), [y0, y1] = range(ys);
  return { x0, x1, y0, y1 };
}

/** Canvas pixel (px, py) of a w x h canvas to plane coordinates [x, y] (y up). */
export function toPlane(b, w, h, px, py) {
  return [b.x0 + (px / w) * (b.x1 - b.x0), b.y1 - (py / h) * (b.y1 - b.y0)];
}

/** Plane coordinates [x, y] to a canvas pixel [px, py] of a w x h canvas. */
export function toCanvas(b, w, h, x, y) {
  return [((x - b.x0) / (b.x1 - b.x0)) * w, ((b.y1 - y) / (b.y1 - b.y0)) * h];
}

/** The g x g points at the centres of a grid over the box, row by row from the top: flat (g * g x 2). */
export function gridPoints(b, g) {
  const out = new Float32Array(g * g * 2);
  for (let r = 0; r < g; r++) {
    for (let c = 0; c < g; c++) {
      const i = 2 * (r * g + c);
      out[i] = b.x0 + ((c + 0.5) / g) * (b.x1 - b.x0);
      out[i + 1] = b.y1 - ((r + 0.5) / g) * (b.y1 - b.y0);
    }
  }
  return out;
}

/** `steps` codes from a to b (both of width d), both ends included: flat (steps x d). */
export function lerpCodes(a, b, steps) {
  const d = a.length, out = new Float32Array(steps * d);
  for (let s = 0; s < steps; s++) {
    const t = steps === 1 ? 0 : s / (steps - 1);
    // the ends exactly a and b (a + t (b - a) at t = 1 may differ from b in the last bit)
    for (let j = 0; j < d; j++) out[s * d + j] = s === steps - 1 && steps > 1 ? b[j] : a[j] + t * (b[j] - a[j]);
  }
  return out;
}

/**
 * The codes of plane points (n x 2, flat): the points themselves for a 2-D
 * code; else mean + x c1 + y c2 on the plane of the first two principal
 * components (pca: {mean (d), components (2 x d)}), the others at their mean.
 */
export function planeToCodes(points, n, width, pca) {
  if (width === 2 || !pca) return Float32Array.from(points.subarray(0, 2 * n));
  const out = new Float32Array(n * width), { mean, components: c } = pca;
  for (let i = 0; i < n; i++) {
    const x = points[2 * i], y = points[2 * i + 1];
    for (let j = 0; j < width; j++) out[i * width + j] = mean[j] + x * c[j] + y * c[width + j];
  }
  return out;
}

/** The index of the point (n x 2, flat) nearest to (x, y) within `radius`, or -1. */
export function nearestPoint(points, n, x, y, radius) {
  let best = -1, bd = radius * radius;
  for (let i = 0; i < n; i++) {
    const dx = points[2 * i] - x, dy = points[2 * i + 1] - y, d = dx * dx + dy * dy;
    if (d <= bd) { bd = d; best = i; }
  }
  return best;
}

/** The first test digit of each class 0..9 (labels of the set): the reconstructions' row. */
export function onePerClass(labels, classes = 10) {
  const out = new Array(classes).fill(-1);
  for (let i = 0; i < labels.length && out.includes(-1); i++) if (out[labels[i]] === -1) out[labels[i]] = i;
  return out.filter((i) => i >= 0);
}
