// cli-flags.mjs: what nnplay-train's command lines share (examples/mnist.mjs
// and its --autoencoder, examples/autoencoder.mjs): the value checks, each
// with the words of its range (shown by --help and in the error) and a parser
// that returns the value or undefined when out of range; the reading of a
// command line against a table of flags; the check that an output file can be
// written before any training; and an epoch of training with its progress
// bar. A bad command line is a UsageError: one line on stderr, exit code 2.
import { parseArgs } from 'node:util';
import { access, constants, stat } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';

/** A bad command line, data folder or net file. */
export class UsageError extends Error {}
export const usage = (message) => { throw new UsageError(message); };

export const INT = /^\d+$/;
export const REAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
export const int = (lo, hi, range = `an integer in [${lo}, ${hi}]`) => ({
  range, parse: (s) => (INT.test(s) && +s >= lo && +s <= hi ? +s : undefined),
});
export const real = (range, ok) => ({ range, parse: (s) => (REAL.test(s) && Number.isFinite(+s) && ok(+s) ? +s : undefined) });
export const oneOf = (names) => ({ range: `one of ${names.join(', ')}`, parse: (s) => (names.includes(s) ? s : undefined) });
export const path = (arg) => ({ arg, range: 'a path', parse: (s) => (s !== '' ? s : undefined) });

// parseArgs takes the '-1' of '--epochs -1' for a flag; joining such a value to
// its flag ('--epochs=-1') lets the range check answer instead.
function joinNegatives(argv, flags) {
  const out = [];
  for (let i = 0; i < argv.length; i++) {
    const flag = flags[/^--([^=]+)$/.exec(argv[i])?.[1]];
    if (argv[i] === '--') return out.concat(argv.slice(i));
    if (flag && !flag.boolean && /^-\.?\d/.test(argv[i + 1] ?? '')) out.push(`${argv[i]}=${argv[++i]}`);
    else out.push(argv[i]);
  }
  return out;
}

/**
 * The checked settings of a command line against `flags` ({name: {boolean,
 * short, multiple, value (the default), range, parse}}): {help: true}, or
 * {given (the flags set explicitly), raw (their text), name: value...}.
 * `preset(name, values)` may give a default other than the flag's own;
 * `hint` ends a parse error ('see --help').
 * @param {string[]} argv
 * @param {Record<string, any>} flags
 * @param {{hint?: string, preset?: (name: string, values: Record<string, any>) => any}} [opts]
 * @returns {Record<string, any>}
 */
export function readFlags(argv, flags, { hint = 'see --help', preset = () => undefined } = {}) {
  let values;
  try {
    const options = Object.fromEntries(Object.entries(flags).map(([name, f]) => [name,
      { type: /** @type {'boolean' | 'string'} */ (f.boolean ? 'boolean' : 'string'), ...(f.short ? { short: f.short } : {}),
        ...(f.multiple ? { multiple: true } : {}) }]));
    ({ values } = parseArgs({ args: joinNegatives(argv, flags), options, strict: true, allowPositionals: false }));
  } catch (e) {
    usage(`${e.message.replace(/\s*\n\s*/g, ' ').replace(/\.$/, '')}; ${hint}`);
  }
  if (values.help) return { help: true };
  const o = { given: new Set(Object.keys(values)), raw: {} };
  for (const [name, f] of Object.entries(flags)) {
    if (f.boolean) {
      o[name] = values[name] ?? false;
      continue;
    }
    const raw = /** @type {any} */ (values[name] ?? preset(name, values) ?? f.value);
    if (raw === undefined) continue;
    o[name] = f.parse(raw);
    o.raw[name] = raw;
    if (o[name] === undefined) usage(`--${name} must be ${f.range}, got '${raw}'`);
  }
  return o;
}

/** Refuses an output file that cannot be written, before any training. */
export async function checkWritable(flag, file) {
  const where = `--${flag} ${file}`;
  if (file.endsWith('/') || file.endsWith(sep)) usage(`${where}: names a folder, not a file`);
  const full = resolve(file), dir = dirname(full);
  const st = await stat(full).catch(() => null);
  if (st?.isDirectory()) usage(`${where}: is a folder, not a file`);
  if (!(await stat(dir).catch(() => null))?.isDirectory()) usage(`${where}: the folder ${dirname(file)} does not exist`);
  try {
    await access(st ? full : dir, constants.W_OK);
  } catch {
    usage(`${where}: ${st ? 'the file' : `the folder ${dirname(file)}`} is not writable`);
  }
}

/**
 * One epoch of mini-batches on `set` (Data), 50 steps a call, with a
 * progress bar on a TTY: {trainLoss (mean over the steps), seconds}.
 */
export function trainEpoch(net, set, batch, epoch) {
  const perEpoch = Math.ceil(set.n / batch), tty = process.stdout.isTTY, t0 = performance.now();
  let done = 0, lossSum = 0;
  while (done < perEpoch) {
    const r = net.train(set, { batchSize: batch, steps: Math.min(50, perEpoch - done) });
    done += r.steps;
    lossSum += r.loss * r.steps;
    if (tty) {
      const w = 30, k = Math.round((w * done) / perEpoch);
      process.stdout.write(`\repoch ${epoch} [${'#'.repeat(k)}${'.'.repeat(w - k)}] ${done}/${perEpoch}`);
    }
  }
  if (tty) process.stdout.write('\r\x1b[K');
  return { trainLoss: lossSum / done, seconds: (performance.now() - t0) / 1000 };
}
