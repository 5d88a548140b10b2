// table.js: the results table of a sweep, the same on the page and in the
// CLI: its columns, sorting, and the table as Markdown and as CSV rows (for
// shared/download.js toCsv). Numbers are formatted in the given language
// (shared/format.js); CSV keeps them plain (full precision, '.' decimals).
import { count, fixed, percent } from '../format.js';

/**
 * The columns: key of a result (runner.js result()), English header, the
 * kind of number, and which way is better ('max', 'min'; sorting starts there).
 */
export const COLUMNS = [
  { key: 'label', header: 'run', kind: 'text' },
  { key: 'testAcc', header: 'test accuracy', kind: 'pct', better: 'max' },
  { key: 'testLoss', header: 'test loss', kind: 'loss', better: 'min' },
  { key: 'bestDevAcc', header: 'best dev accuracy', kind: 'pct', better: 'max' },
  { key: 'bestDevLoss', header: 'best dev loss', kind: 'loss', better: 'min' },
  { key: 'targetEpochs', header: 'epochs to target', kind: 'epochs', better: 'min' },
  { key: 'targetSeconds', header: 'seconds to target', kind: 'sec', better: 'min' },
  { key: 'samplesPerSecond', header: 'samples/s', kind: 'int', better: 'max' },
  { key: 'params', header: 'parameters', kind: 'int', better: 'min' },
  { key: 'state', header: 'state', kind: 'text' },
];

/** One value as the page shows it in `lang`; '—' for a missing number. */
export function formatCell(lang, kind, v) {
  if (kind === 'text') return String(v ?? '');
  if (kind === 'pct') return percent(lang, v, 2);
  if (kind === 'loss') return fixed(lang, v, 4);
  if (kind === 'epochs' || kind === 'sec') return fixed(lang, v, 2);
  return count(lang, v);
}

/**
 * Rows sorted by column `key`, ascending (dir 1) or descending (-1); a
 * missing number (NaN: no dev set, target not reached, diverged) always
 * last; ties keep run order. A new array.
 */
export function sortRows(rows, key, dir = 1) {
  const col = COLUMNS.find((c) => c.key === key);
  if (!col) throw new Error(`no column '${key}'`);
  const text = col.kind === 'text';
  return rows.map((r, i) => [r, i]).sort(([a, i], [b, j]) => {
    const x = a[key], y = b[key];
    if (!text) {
      const fx = Number.isFinite(x), fy = Number.isFinite(y);
      if (fx !== fy) return fx ? -1 : 1;
      if (!fx || x === y) return i - j;
      return dir * (x - y);
    }
    return dir * String(x).localeCompare(String(y), 'en', { numeric: true }) || i - j;
  }).map(([r]) => r);
}

/** The CSV rows: the keys as header, then plain values (empty for a missing number). */
export function csvRows(rows) {
  const plain = (c, v) => (c.kind === 'text' ? v ?? '' : Number.isFinite(v) ? +v.toPrecision(7) : '');
  return [COLUMNS.map((c) => c.key), ...rows.map((r) => COLUMNS.map((c) => plain(c, r[c.key])))];
}

/** A Markdown table; headers from `header(column)` (default: English), numbers in `lang`. */
export function toMarkdown(rows, { lang = 'en', header = (c) => c.header } = {}) {
  const esc = (s) => String(s).replaceAll('|', '\\|');
  const lines = [COLUMNS.map((c) => esc(header(c))), COLUMNS.map((c) => (c.kind === 'text' ? '---' : '---:')),
    ...rows.map((r) => COLUMNS.map((c) => esc(formatCell(lang, c.kind, r[c.key]))))];
  return `${lines.map((l) => `| ${l.join(' | ')} |`).join('\n')}\n`;
}
