// download.js: hands a file made in the page to the browser's download,
// writes CSV text, and takes a file dropped on a view. Nothing leaves the
// machine: a download is a Blob URL, a dropped file is read in the page.
import { el } from './dom.js';

/** Saves blob (or bytes) as filename through a temporary link. */
export function downloadBlob(filename, blob, type = 'application/octet-stream') {
  const b = blob instanceof Blob ? blob : new Blob([blob], { type });
  const url = URL.createObjectURL(b);
  const a = el('a', { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** Saves text as filename with the given MIME type. */
export function downloadText(filename, text, type = 'text/plain') {
  downloadBlob(filename, new Blob([text], { type: `${type};charset=utf-8` }));
}

/** One CSV field: quoted when it holds a comma, a quote or a line break. */
export function csvField(v) {
  const s = typeof v === 'number' && !Number.isFinite(v) ? String(v) : String(v ?? '');
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** CSV text from rows of values (the first row usually the header), CRLF-free. */
export function toCsv(rows) {
  return rows.map((r) => r.map(csvField).join(',')).join('\n') + '\n';
}

/** Calls onFile(file) for a file dropped anywhere on `root`, outlined (class "dropping") while one is dragged over it. */
export function acceptDrop(root, onFile) {
  root.addEventListener('dragover', (e) => { if (e.dataTransfer?.types?.includes('Files')) { e.preventDefault(); root.classList.add('dropping'); } });
  root.addEventListener('dragleave', (e) => { if (e.target === root || !root.contains(e.relatedTarget)) root.classList.remove('dropping'); });
  root.addEventListener('drop', (e) => {
    root.classList.remove('dropping');
    const f = e.dataTransfer?.files?.[0];
    if (!f) return;
    e.preventDefault();
    onFile(f);
  });
}
