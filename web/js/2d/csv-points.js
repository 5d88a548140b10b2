// csv-points.js: a 2D data set from CSV text, and back. Columns x1, x2 and
// a class (integers 0..K-1, or names mapped to classes in order of first
// appearance) or a number y (regression); a header is optional. Points
// inside the plot (±PLOT) stay as they are; others are scaled by one factor
// (both axes alike, so shapes keep their proportions) and centred to fit
// ±FIT. Pure: no DOM, no engine; every error is a DataError naming the line
// and column (1-based) of the first bad value.
import { DataError, csvRows, numberAt, isHeader, isNumber } from '../shared/csv-read.js';
import { toCsv } from '../shared/download.js';
import { f32 } from '../shared/export-formats.js';

/** Limits: points (the Points setting's maximum), classes (the 2D view's), |value|. */
export const LIMITS = { minRows: 10, maxRows: 2000, maxClasses: 5, maxAbs: 1e6 };
/** The plot's half-width (features.js grid) and the half-width scaled points fill. */
export const PLOT = 6, FIT = 5;

/**
 * Parses CSV text into {kind ('binary' | 'multiclass' | 'regression'),
 * classes (0 for regression), names (class names, or null), x
 * (Float32Array, n*2), labels (Int32Array) or y (Float32Array), n, header,
 * scale {factor, cx, cy} (factor 1: as given), counts (per class)}.
 * The third column is a class when its header says label/class/target
 * (or nothing) and every value is an integer 0..K-1, or when a value is not
 * a number (names); it is y (regression) when the header says y or a value
 * is not such an integer.
 */
export function parsePoints(text, limits = LIMITS) {
  const rows = csvRows(text, { maxRows: limits.maxRows, header: true, maxFields: 64 });
  if (!rows.length) throw new DataError('csvNoRows');
  const header = isHeader(rows[0]) ? rows.shift().fields : null;
  if (header && header.length !== 3) throw new DataError('csvColumns', { line: 1, expected: 3, got: header.length });
  if (rows.length > limits.maxRows) throw new DataError('csvTooManyRows', { line: rows[limits.maxRows].line, max: limits.maxRows });
  if (rows.length < limits.minRows) throw new DataError('csvTooFewRows', { min: limits.minRows, got: rows.length });
  for (const r of rows) {
    if (r.fields.length !== 3) throw new DataError('csvColumns', { line: r.line, expected: 3, got: r.fields.length });
  }
  const n = rows.length, x = new Float64Array(n * 2);
  rows.forEach((r, i) => { x[2 * i] = numberAt(r, 0, limits.maxAbs); x[2 * i + 1] = numberAt(r, 1, limits.maxAbs); });
  const third = rows.map((r) => r.fields[2]);
  const empty = rows.find((r) => r.fields[2] === '');
  if (empty) throw new DataError('csvEmpty', { line: empty.line, column: 3, value: '' });
  const yHeader = header && /^(y|target_y|value)$/i.test(header[2]);
  const names = !yHeader && third.some((v) => !isNumber(v));
  let kind, classes = 0, labels = null, y = null, classNames = null;
  if (names) {
    classNames = [];
    labels = new Int32Array(n);
    rows.forEach((r, i) => {
      let c = classNames.indexOf(r.fields[2]);
      if (c < 0) {
        if (classNames.length >= limits.maxClasses) throw new DataError('csvTooManyClasses', { line: r.line, column: 3, max: limits.maxClasses });
        c = classNames.push(r.fields[2]) - 1;
      }
      labels[i] = c;
    });
    classes = classNames.length;
  } else {
    const v = rows.map((r) => numberAt(r, 2, limits.maxAbs));
    const integer = v.every((a) => Number.isInteger(a) && a >= 0);
    if (!yHeader && integer) {
      classes = Math.max(...v) + 1;
      if (classes > limits.maxClasses) {
        const at = rows[v.findIndex((a) => a >= limits.maxClasses)];
        throw new DataError('csvClassRange', { line: at.line, column: 3, value: at.fields[2], max: limits.maxClasses - 1 });
      }
      labels = Int32Array.from(v);
    } else {
      y = Float32Array.from(v);
    }
  }
  if (labels) {
    if (new Set(labels).size < 2) throw new DataError('csvOneClass');
    kind = classes > 2 ? 'multiclass' : 'binary';
  } else kind = 'regression';
  const scale = fit(x);
  const out = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    out[2 * i] = (x[2 * i] - scale.cx) * scale.factor;
    out[2 * i + 1] = (x[2 * i + 1] - scale.cy) * scale.factor;
  }
  const counts = labels ? Array.from({ length: classes }, (_, c) => labels.reduce((a, l) => a + (l === c), 0)) : null;
  return { kind, classes: labels ? classes : 0, names: classNames, x: out, labels, y, n, header, scale, counts };
}

/** The scaling of points x (n*2) into the plot: {factor, cx, cy}, factor 1 and no shift when they fit. */
export function fit(x) {
  let lo = Infinity, hi = -Infinity, lo2 = Infinity, hi2 = -Infinity;
  for (let i = 0; i < x.length; i += 2) {
    lo = Math.min(lo, x[i]); hi = Math.max(hi, x[i]);
    lo2 = Math.min(lo2, x[i + 1]); hi2 = Math.max(hi2, x[i + 1]);
  }
  if (Math.max(-lo, hi, -lo2, hi2) <= PLOT) return { factor: 1, cx: 0, cy: 0 };
  const half = Math.max(hi - lo, hi2 - lo2) / 2;
  return { factor: half > 0 ? FIT / half : 1, cx: (lo + hi) / 2, cy: (lo2 + hi2) / 2 };
}

/**
 * CSV text of a data set {x (n*2), labels or y, names?}: a header x1,x2,label
 * (or y) and one row per point, as parsePoints reads it back.
 */
export function pointsCsv({ x, labels = null, y = null, names = null }) {
  const n = x.length / 2, rows = [['x1', 'x2', labels ? 'label' : 'y']];
  for (let i = 0; i < n; i++) {
    const third = labels ? (names ? names[labels[i]] : labels[i]) : y[i];
    rows.push([f32(x[2 * i]), f32(x[2 * i + 1]), labels ? third : f32(third)]);
  }
  return toCsv(rows);
}

