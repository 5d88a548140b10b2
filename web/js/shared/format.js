// format.js: numbers as a reader of the page's language writes them. English:
// 1,234.5 and 97.5%; French: 1 234,5 and 97,5 % (a decimal comma, a narrow
// no-break space as the thousands separator and before %, :, ; and ?).
// Every number a view shows goes through here.

export const NNBSP = '\u202f';   // narrow no-break space

const cache = new Map();
function formatter(lang, opts) {
  const key = `${lang}/${JSON.stringify(opts)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-US', opts);
    cache.set(key, f);
  }
  return f;
}

// French spaces in numbers are narrow no-break spaces, whatever the ICU version
const frSpaces = (s) => s.replace(/[\u00a0\u202f ]/g, NNBSP);

/** v with exactly `digits` decimals (grouped thousands); '—' when not finite. */
export function fixed(lang, v, digits = 4) {
  if (!Number.isFinite(v)) return '—';
  const s = formatter(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v);
  return lang === 'fr' ? frSpaces(s) : s;
}

/** An integer count with grouped thousands (12,345 / 12 345). */
export function count(lang, n) {
  if (!Number.isFinite(n)) return '—';
  const s = formatter(lang, { maximumFractionDigits: 0 }).format(Math.round(n));
  return lang === 'fr' ? frSpaces(s) : s;
}

/** A fraction in [0, 1] as a percentage with `digits` decimals: 97.5% / 97,5 %. */
export function percent(lang, v, digits = 1) {
  if (!Number.isFinite(v)) return '—';
  const n = fixed(lang, 100 * v, digits);
  return lang === 'fr' ? `${n}${NNBSP}%` : `${n}%`;
}

/**
 * A value to read, not to compute with: at most `sig` significant digits, no
 * float32 noise (0.15, not 0.150000006); integers whole (12,345); exponent
 * form below 1e-4 and from 1e9.
 */
export function short(lang, v, sig = 4) {
  if (!Number.isFinite(v)) return '—';
  if (Number.isInteger(v) && Math.abs(v) < 1e9) return count(lang, v);
  if (v !== 0 && (Math.abs(v) >= 1e9 || Math.abs(v) < 1e-4)) {
    const s = v.toExponential(Math.max(0, sig - 1)).replace(/\.?0+e/, 'e');
    return lang === 'fr' ? s.replace('.', ',') : s;
  }
  const s = formatter(lang, { maximumSignificantDigits: sig }).format(v);
  return lang === 'fr' ? frSpaces(s) : s;
}

/** French typography in a sentence: a narrow no-break space before : ; ? ! (none in English). */
export function punctuate(lang, text) {
  if (lang !== 'fr') return text;
  return text.replace(/[ \u00a0\u202f]*([:;?!])(?=\s|$)/g, `${NNBSP}$1`);
}
