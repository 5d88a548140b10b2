// page.mjs: the page's drawing speed in BENCHMARKS.md. tests/browser_speed.test.mjs
// measures the 2-D view training in headless Chromium (frames and training
// steps per second) and, under `make bench`, writes bench/page.json;
// pageSection renders it for bench/report.mjs. Run alone (`make bench-page`,
// or `node bench/page.mjs` after the test), it rewrites only that section of
// BENCHMARKS.md, before the Notes.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HEAD = '## Page: drawing while training';

/** bench/page.json, or null when it was never measured. */
export function readPage(root = ROOT) {
  const file = path.join(root, 'bench/page.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
}

/** The markdown section for a bench/page.json record, or '' for none. */
export function pageSection(page) {
  if (!page) return '';
  const row = (cells) => `| ${cells.join(' | ')} |`;
  const lines = [HEAD, '',
    `The 2-D view training at its default speed (one epoch a frame) in Debian's headless Chromium at ${page.viewport},`
    + ` measured by tests/browser_speed.test.mjs on ${page.date} (${page.cpu}, ${page.cores} cores): frames per second`
    + ` over ${page.seconds} s after a second to settle, training steps per second from the step counter, and the 1-minute`
    + ' load average at the start of each case (the machine is shared: compare figures taken at the same load).'
    + ' Targets: ≥ 50 fps for every net the buttons build and for 2,000 points at 300 × 300; ≥ 20 fps for what a link may ask.',
    '', row(['case', 'frames/s', 'steps/s', 'frame median (ms)', 'frame p95 (ms)', 'load']),
    row(['---', '---:', '---:', '---:', '---:', '---:'])];
  for (const [id, c] of Object.entries(page.cases)) {
    lines.push(row([`${id}: ${c.title}`, c.fps, c.stepsPerSecond.toLocaleString('en-US'), c.frameMsMedian, c.frameMsP95, c.load]));
  }
  return lines.join('\n');
}

// `node bench/page.mjs`: the section of BENCHMARKS.md replaced (or added before the Notes)
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = path.join(ROOT, 'BENCHMARKS.md');
  const text = readFileSync(file, 'utf8');
  const section = `${pageSection(readPage())}\n\n`;
  const at = text.indexOf(`${HEAD}\n`);
  const next = (from) => { const i = text.indexOf('\n## ', from); return i < 0 ? text.length : i + 1; };
  const out = at >= 0 ? text.slice(0, at) + section + text.slice(next(at + 1))
    : text.replace(/^## Notes\n/m, `${section}## Notes\n`);
  writeFileSync(file, out);
  console.log('wrote the page section of BENCHMARKS.md');
}
