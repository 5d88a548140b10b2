// chart-svg.js: the loss or accuracy curves as an SVG file for slides,
// written from the history's numbers (not traced from the canvas): the same
// curves, colours, dashes, round ticks and legend as chart.js, in vector
// form, so it scales to any size. Pure: text out, no DOM.
import { niceTicks, logTicks, DEV_COLOR, DEV_DASH } from './chart.js';
import { short } from './format.js';

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const r2 = (v) => Math.round(v * 100) / 100;

/**
 * SVG text of `history` ([{step or x, trainLoss, testLoss, devLoss, trainAcc,
 * ...}]) for metric 'loss' or 'accuracy' (in %), log scale for a loss,
 * labels {train, test, dev, x, y}, lang for the numbers; width x height in
 * CSS pixels. Each curve is a <polyline class="curve" data-key="trainLoss">
 * holding every finite point.
 * @param {object[]} history
 * @param {{metric?: string, log?: boolean, labels?: {train?: string, test?: string, dev?: string, x?: string, y?: string},
 *   lang?: string, width?: number, height?: number, xKey?: string}} [opts]
 */
export function chartSvg(history, { metric = 'loss', log = false, labels = {}, lang = 'en', width = 640, height = 360, xKey } = {}) {
  const acc = metric === 'accuracy', useLog = log && !acc;
  const xk = xKey ?? (history.some((h) => Number.isFinite(h.step)) ? 'step' : 'x');
  /** @type {[string, string | undefined, string, number[]][]} */
  const all = acc ? [['trainAcc', labels.train, '#333', []], ['testAcc', labels.test, '#D55E00', [4, 3]], ['devAcc', labels.dev, DEV_COLOR, DEV_DASH]]
    : [['trainLoss', labels.train, '#333', []], ['testLoss', labels.test, '#D55E00', [4, 3]], ['devLoss', labels.dev, DEV_COLOR, DEV_DASH]];
  const series = all.filter(([k]) => history.some((h) => Number.isFinite(h[k]) && Number.isFinite(h[xk])));
  const value = (h, k) => (acc ? 100 * h[k] : h[k]);
  const ok = (v) => Number.isFinite(v) && (!useLog || v > 0);
  const vals = series.flatMap(([k]) => history.map((h) => value(h, k)).filter(ok));
  const xs = history.map((h) => h[xk]).filter(Number.isFinite);
  const L = 56, R = 12, T = 12 + 16 * Math.max(1, series.length), B = 40;
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`];
  if (!vals.length || !xs.length) return `${parts.join('\n')}\n</svg>\n`;
  let lo = Math.min(...vals), hi = Math.max(...vals);
  if (acc) { lo = Math.max(0, Math.floor(lo / 10) * 10); hi = 100; } else if (!useLog) lo = Math.min(0, lo);
  if (hi - lo < 1e-9) { hi = useLog ? hi * 10 : hi + 1; lo = useLog ? lo / 10 : lo; }
  const f = useLog ? (v) => Math.log10(v) : (v) => v;
  const x0 = Math.min(...xs), x1 = Math.max(Math.max(...xs), x0 + 1);
  const X = (s) => L + ((s - x0) / (x1 - x0)) * (width - L - R);
  const Y = (v) => T + (1 - (f(v) - f(lo)) / (f(hi) - f(lo))) * (height - T - B);
  for (const v of useLog ? logTicks(lo, hi) : niceTicks(lo, hi, 5)) {
    parts.push(`<line x1="${L}" x2="${width - R}" y1="${r2(Y(v))}" y2="${r2(Y(v))}" stroke="#e4e4e4"/>`,
      `<text x="${L - 4}" y="${r2(Y(v) + 4)}" text-anchor="end" fill="#555">${esc(short(lang, v, 3))}</text>`);
  }
  for (const s of niceTicks(x0, x1, 6).filter((v) => v >= x0 && v <= x1)) {
    parts.push(`<text x="${r2(X(s))}" y="${height - B + 16}" text-anchor="middle" fill="#555">${esc(short(lang, s, 6))}</text>`);
  }
  parts.push(`<path d="M${L} ${T}V${height - B}H${width - R}" fill="none" stroke="#999"/>`,
    `<text x="${L + (width - L - R) / 2}" y="${height - 6}" text-anchor="middle" fill="#333">${esc(labels.x ?? '')}</text>`,
    `<text transform="translate(14 ${T + (height - T - B) / 2}) rotate(-90)" text-anchor="middle" fill="#333">${esc(`${labels.y ?? ''}${useLog ? ' (log)' : ''}`)}</text>`);
  // the test and dev curves under the training curve, as on the canvas
  for (const [k, label, color, dash] of [...series].reverse()) {
    const pts = history.filter((h) => Number.isFinite(h[xk]) && ok(value(h, k))).map((h) => `${r2(X(h[xk]))},${r2(Y(value(h, k)))}`);
    parts.push(`<polyline class="curve" data-key="${k}" fill="none" stroke="${color}" stroke-width="1.6"${dash.length ? ` stroke-dasharray="${dash.join(' ')}"` : ''} points="${pts.join(' ')}"><title>${esc(label ?? k)}</title></polyline>`);
  }
  series.forEach(([, label, color, dash], i) => {
    const y = 12 + 16 * i;
    parts.push(`<line x1="${L}" x2="${L + 24}" y1="${y}" y2="${y}" stroke="${color}" stroke-width="1.6"${dash.length ? ` stroke-dasharray="${dash.join(' ')}"` : ''}/>`,
      `<text x="${L + 30}" y="${y + 4}" fill="${color}">${esc(label ?? '')}</text>`);
  });
  return `${parts.join('\n')}\n</svg>\n`;
}
