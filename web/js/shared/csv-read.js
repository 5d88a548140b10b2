// csv-read.js: the one CSV reader behind the page's own-data loaders
// (2D points, MNIST-layout images): text in, rows of fields out, with the
// 1-based line of each row. A byte-order mark, CRLF or CR line ends, blank
// lines and quoted fields ("a,b", "say ""hi""") are read; nothing is trusted.
// Errors are DataErrors: a strings-table key and its values (line, column),
// with the English text as message, so a view can say it in its language.
import { t } from '../i18n.js';

export class DataError extends Error {
  constructor(key, values = {}) {
    super(t('en', key, values));
    this.name = 'DataError';
    this.key = key;
    this.values = values;
  }
}

/** The most characters a loaded CSV may have (about 60 MB). */
export const MAX_CSV_CHARS = 60e6;

/**
 * The rows of CSV `text`: [{line, fields}] (blank lines skipped), at most
 * maxRows (+ 1 with `header`, which the caller takes off; an error names the
 * first line past it) and maxFields per row.
 */
export function csvRows(text, { maxRows = Infinity, maxFields = 1000, header = false } = {}) {
  if (typeof text !== 'string') throw new DataError('csvNotText');
  if (text.length > MAX_CSV_CHARS) throw new DataError('csvTooBig', { mb: Math.round(MAX_CSV_CHARS / 1e6) });
  const rows = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0, line = 1;
  const n = text.length;
  while (i < n) {
    const start = line;
    // the common case, a line without quotes or a lone CR: split it at once
    const nl = text.indexOf('\n', i), end = nl < 0 ? n : nl;
    const plain = text.slice(i, end > i && text[end - 1] === '\r' ? end - 1 : end);
    if (!plain.includes('"') && !plain.includes('\r')) {
      i = end + 1;
      line++;
      if (plain.trim() === '') continue;
      const fields = plain.split(',');
      if (fields.length > maxFields + 1) throw new DataError('csvTooManyFields', { line: start, max: maxFields });
      if (rows.length >= maxRows + (header ? 1 : 0)) throw new DataError('csvTooManyRows', { line: start, max: maxRows });
      rows.push({ line: start, fields: /\s/.test(plain) ? fields.map((f) => f.trim()) : fields });
      continue;
    }
    const fields = [];
    let field = '', quoted = false, atStart = true;
    for (;;) {
      if (i >= n) {
        if (quoted) throw new DataError('csvOpenQuote', { line: start, column: fields.length + 1 });
        fields.push(field);
        break;
      }
      const c = text[i];
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue; }
        if (c === '"') { quoted = false; i++; continue; }
        if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
        field += c;
        i++;
        continue;
      }
      if (c === '"' && atStart) { quoted = true; atStart = false; i++; continue; }
      if (c === ',') {
        fields.push(field);
        if (fields.length > maxFields) throw new DataError('csvTooManyFields', { line: start, max: maxFields });
        field = '';
        atStart = true;
        i++;
        continue;
      }
      if (c === '\r' || c === '\n') {
        i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
        line++;
        fields.push(field);
        break;
      }
      field += c;
      atStart = false;
      i++;
    }
    if (fields.length === 1 && fields[0].trim() === '') continue;
    if (rows.length >= maxRows + (header ? 1 : 0)) throw new DataError('csvTooManyRows', { line: start, max: maxRows });
    rows.push({ line: start, fields: fields.map((f) => f.trim()) });
  }
  return rows;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Whether a field reads as a decimal number (no hex, no Infinity, no empty field). */
export const isNumber = (s) => NUMBER.test(s);

/**
 * Field `column` (0-based) of row as a finite number within ±limit, or a
 * DataError naming its line and column (1-based).
 */
export function numberAt(row, column, limit) {
  const s = row.fields[column];
  const where = { line: row.line, column: column + 1, value: s.length > 24 ? `${s.slice(0, 24)}…` : s };
  if (s === '') throw new DataError('csvEmpty', where);
  if (!NUMBER.test(s)) throw new DataError('csvNotNumber', where);
  const v = Number(s);
  if (!Number.isFinite(v) || Math.abs(v) > limit) throw new DataError('csvOutOfRange', { ...where, limit });
  return v;
}

/** Whether a row is a header: its first field is not a number. */
export const isHeader = (row) => !isNumber(row.fields[0]);
