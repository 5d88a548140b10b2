// web_units.test.mjs: the page's pure modules under Node. state.js (the URL
// state: round trips, defaults-only serialisation, hostile links, update()
// change kinds), 2d/task.js (task and output pairing, which controls apply),
// 2d/features.js (feature maps, grid orientation) and 2d/datasets.js (seeded
// generation, split, targets) on the wasm engine from build/wasm (`make
// wasm`); and, when web/lib is there (`make page`), that 2d/model.js and
// mnist/model.js take divergence from the engine (ERR_DIVERGED) and from
// nothing else.
//
// state.js groups the settings per view ({page, '2d', mnist}); most tests
// here see a state flat, by URL key (lr, mLr, lang, ...), through the
// adapters below, so one table of cases covers every group.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as S from '../web/js/state.js';
import { task, outputFor, gridResolution, applies, minClasses, warnings } from '../web/js/2d/task.js';
import { mapFeatures, usable, grid, line } from '../web/js/2d/features.js';
import { generate, targets, nearest } from '../web/js/2d/datasets.js';
import { load, ERR_DIVERGED } from '../build/wasm/nnplay.mjs';
import { lcg } from './helpers.mjs';

const nn = await load();

// ---- flat adapters: a state by URL key, and the setting of each key --------
/** Every setting, named by its URL key. */
const PROPS = S.ALL.map((p) => ({ ...p, name: p.key }));
const BY_KEY = new Map(S.ALL.map((p) => [p.key, p]));
const flat = (s) => Object.fromEntries(S.ALL.map((p) => [p.key, s[p.group][p.name]]));
const nest = (f) => {
  const s = S.defaults();
  for (const p of S.ALL) if (p.key in f) s[p.group][p.name] = f[p.key];
  return s;
};
const parse = (text) => flat(S.parse(text));
const serialize = (f) => S.serialize(nest(f));
const defaults = () => flat(S.defaults());
/** S.update on a flat state: the change kind, or null. */
function update(f, key, value) {
  const p = Object.hasOwn(f, key) ? BY_KEY.get(key) : undefined;
  if (!p) return null;
  const s = nest(f);
  const kind = S.update(s, p.group, p.name, value);
  Object.assign(f, flat(s));
  return kind;
}
/** The 2D view's settings: its defaults with `o` over them. */
const st2d = (o) => ({ ...S.defaults()['2d'], ...o });

/** Fails unless every value of a state is one parse() could produce. */
function assertValid(s, where = '') {
  for (const p of PROPS) {
    const v = s[p.name], msg = `${where} ${p.name} = ${JSON.stringify(v)}`;
    switch (p.type) {
      case 'number':
        assert.ok(typeof v === 'number' && Number.isFinite(v) && v >= p.min && v <= p.max, msg);
        break;
      case 'int':
        assert.ok(Number.isInteger(v) && v >= p.min && v <= p.max, msg);
        break;
      case 'enum':
        assert.ok(p.options.includes(v), msg);
        break;
      case 'bool':
        assert.equal(typeof v, 'boolean', msg);
        break;
      case 'set':
        assert.ok(Array.isArray(v) && v.every((i) => p.options.includes(i)), msg);
        assert.equal(new Set(v).size, v.length, msg);
        break;
      case 'text':
        // the setting's own parser gives back its canonical form
        assert.equal(p.parse(v), v, msg);
        break;
      case 'numbers':
        assert.ok(Array.isArray(v) && v.length === p.count, msg);
        assert.ok(v.every((x) => Number.isFinite(x) && x >= p.min && x <= p.max && (!p.integer || Number.isInteger(x))), msg);
        break;
      case 'layers':
        assert.ok(Array.isArray(v) && v.length <= S.MAX_LAYERS, msg);
        assert.ok(v.every((u) => Number.isInteger(u) && u >= 1 && u <= (p.maxUnits ?? S.MAX_UNITS)), msg);
        break;
      default:
        assert.fail(`unknown prop type ${p.type}`);
    }
  }
  assert.ok(s.features.length > 0, `${where} features must keep one input`);
}

/** parse(text) changed only `expected` (name -> value) from the defaults. */
function assertParsed(text, expected = {}) {
  const s = parse(text);
  assertValid(s, JSON.stringify(text));
  assert.deepEqual(s, { ...defaults(), ...expected }, `parse(${JSON.stringify(text)})`);
  return s;
}

// A non-default value of any prop, from its table entry (for props added later).
function otherValue(p) {
  switch (p.type) {
    case 'number': return p.def === p.max ? p.min : p.max;
    case 'int': return p.def === p.max ? p.min : p.max;
    case 'enum': return p.options.find((o) => o !== p.def);
    case 'bool': return !p.def;
    case 'set': return p.options.slice(0, 1).join() === p.def.join() ? p.options.slice(-1) : p.options.slice(0, 1);
    case 'layers': return p.def.join() === '8,3' ? [5] : [8, 3];
    case 'text': return p.sample;
    case 'numbers': return p.def.map((v, i) => (i === 0 ? (v === p.max ? p.min : p.max) : v));
    default: throw new Error(`unknown prop type ${p.type}`);
  }
}

// A scenario (preset) moves the defaults of the settings it sets, so the
// tables below leave it at 'none'; tests/earlystop.test.mjs tests its links.
const INDEPENDENT = PROPS.filter((p) => p.name !== 'preset');

// A state where every prop differs from its default (values a link can carry).
function allNonDefault() {
  const s = defaults();
  const pick = {
    dataset: 'blobs', classes: 5, noise: 0.35, points: 1234, trainPct: 70, dataSeed: 4294967295,
    features: ['x1', 'x1sq', 'x2sq', 'x1x2', 'sinx2'], hidden: [8, 1, 64, 3, 2, 7, 5, 6],
    activation: 'relu', output: 'tanh', init: 'he_normal', initConst: -1.5, seed: 42, batchNorm: true,
    dropout: 0.25, optimizer: 'adam', lr: 0.001, momentum: 0.95, beta2: 0.99, decay: 1e-7, batch: 32,
    reg: 'l2', regRate: 0.0003, speed: 'max', showTest: true, discretize: true, logScale: true,
    resolution: 50, lang: 'fr', embed: true, autoplay: true, hide: ['dataset', 'training', 'chart'],
  };
  for (const p of INDEPENDENT) {
    s[p.name] = p.name in pick ? pick[p.name] : otherValue(p);
    assert.notDeepEqual(s[p.name], p.def, p.name);
  }
  return s;
}

describe('state.js: URL round trip', () => {
  test('defaults parse from an empty hash and serialise to the empty string', () => {
    for (const text of ['', '#', '?', undefined, null]) assertParsed(text);
    assert.equal(serialize(defaults()), '');
    assert.deepEqual(parse(serialize(defaults())), defaults());
  });

  test('defaults() returns fresh copies (mutating one does not touch the table)', () => {
    const a = defaults();
    a.hidden.push(9);
    a.features.push('x1sq');
    assert.deepEqual(defaults().hidden, [4, 2]);
    assert.deepEqual(defaults().features, ['x1', 'x2']);
  });

  test('every prop with a non-default value survives parse(serialize(s))', () => {
    const s = allNonDefault();
    assertValid(s, 'fixture');
    const text = serialize(s);
    assert.deepEqual(parse(text), s);
    assert.deepEqual(parse(`#${text}`), s, 'with a leading #');
    assert.deepEqual(parse(`?${text}`), s, 'with a leading ?');
    // every prop is present exactly once
    const keys = [...new URLSearchParams(text).keys()];
    assert.deepEqual(keys.slice().sort(), INDEPENDENT.map((p) => p.name).sort());
    // lists stay readable in a link
    assert.match(text, /(^|&)hidden=8,1,64,3,2,7,5,6(&|$)/);
    assert.match(text, /(^|&)features=x1,x1sq,x2sq,x1x2,sinx2(&|$)/);
  });

  test('one prop at a time: boundaries and each option round trip', () => {
    for (const p of PROPS) {
      let values;
      switch (p.type) {
        case 'number': values = [p.min, p.max, +((p.min + p.max) / 2).toPrecision(4), p.step ?? 0.125]; break;
        case 'int': values = [p.min, p.max, p.min + 1]; break;
        case 'enum': values = p.options; break;
        case 'bool': values = [true, false]; break;
        case 'set': values = [p.options.slice(), p.options.slice(0, 1), p.options.slice(-2)]; break;
        case 'layers': values = [[], [1], [p.maxUnits ?? S.MAX_UNITS], [8, 8], Array(S.MAX_LAYERS).fill(3)]; break;
        case 'text': values = [p.def, p.sample]; break;
        case 'numbers': values = [Array(p.count).fill(p.min), Array(p.count).fill(p.max), p.def.map((v, i) => (i % 2 ? p.max : p.min))]; break;
        default: values = [];
      }
      for (const v of values) {
        const s = { ...defaults(), [p.name]: v };
        const text = serialize(s);
        assert.deepEqual(parse(text), s, `${p.name} = ${JSON.stringify(v)} via ${JSON.stringify(text)}`);
      }
    }
  });

  test('only non-default values are serialised', () => {
    assert.equal(serialize({ ...defaults(), lr: 0.1 }), 'lr=0.1');
    assert.equal(serialize({ ...defaults(), hidden: [8, 8], dataset: 'xor' }), 'dataset=xor&hidden=8,8');
    assert.equal(serialize({ ...defaults(), batchNorm: true }), 'batchNorm=1');
    assert.equal(serialize({ ...defaults(), hidden: [] }), 'hidden=');
    assert.equal(serialize({ ...defaults(), features: ['x1', 'x2'], hidden: [4, 2], lr: 0.03 }), '',
      'values equal to the defaults (fresh arrays) are left out');
    const s = allNonDefault();
    for (const p of PROPS) {
      // a default is the table's, or a preset's where the state chose one (a deep net)
      const one = { ...s, [p.name]: S.defaultOf(nest(s), BY_KEY.get(p.name)) };
      assert.ok(!new URLSearchParams(serialize(one)).has(p.name), `${p.name} at its default is left out`);
    }
  });

  test('numbers keep their exact value through a shared link (typed in a control or read from a URL)', () => {
    // what a user types must be what the link reproduces, or the shared run differs
    const s = defaults();
    update(s, 'lr', '0.0123456789');
    update(s, 'noise', '0.33333333');
    update(s, 'momentum', 0.912345678);
    update(s, 'hidden', [5, 6]);
    assert.deepEqual(parse(serialize(s)), s, 'state set through update()');
    for (const text of ['lr=0.0123456789', 'noise=0.33333333', 'regRate=0.000123456789', 'decay=1.23456789e-7',
      'lr=3.14159265358979', 'initConst=-1.2345678']) {
      const once = parse(text);
      assert.deepEqual(parse(serialize(once)), once, text);
    }
  });
});

describe('state.js: hostile links', () => {
  test('malformed numbers fall back to the default', () => {
    for (const raw of ['NaN', '0x10', '', '-', '+1', '1e', '.', '1.2.3', 'Infinity', '-Infinity', '1,5', ' 1', '1 ', 'abc', '٣']) {
      for (const name of ['lr', 'noise', 'points', 'seed']) {
        assertParsed(`${name}=${encodeURIComponent(raw)}`);
      }
    }
  });

  test("'1e999' never yields Infinity: a float is clamped to its maximum, an int falls back", () => {
    const s = parse('lr=1e999&noise=1e999&points=1e999&seed=1e999&dropout=-1e999');
    assertValid(s, '1e999');
    assert.ok(s.lr === 10 || s.lr === 0.03, `lr ${s.lr}`);
    assert.ok(s.noise === 1 || s.noise === 0, `noise ${s.noise}`);
    assert.equal(s.points, 400);
    assert.equal(s.seed, 1);
    assert.equal(s.dropout, 0);
  });

  test('out-of-range numbers are clamped', () => {
    assertParsed('lr=100', { lr: 10 });
    assertParsed('lr=-5', { lr: 1e-5 });
    assertParsed('lr=0', { lr: 1e-5 });
    assertParsed('noise=3', { noise: 1 });
    assertParsed('dropout=0.95', { dropout: 0.9 });
    assertParsed('points=5', { points: 20 });
    assertParsed('points=99999', { points: 2000 });
    assertParsed('trainPct=0', { trainPct: 10 });
    assertParsed('trainPct=100', { trainPct: 90 });
    assertParsed('classes=9', { classes: 5 });
    assertParsed('resolution=4000', { resolution: 300 });
    assertParsed('dataSeed=4294967296', { dataSeed: 2 ** 32 - 1 });
    assertParsed('dataSeed=9999999999', { dataSeed: 2 ** 32 - 1 });
    assertParsed('decay=2', { decay: 1 });
    assertParsed('momentum=1', { momentum: 0.999 });
    assertParsed('decay=1e-99', { decay: 1e-99 }); // tiny but in range: kept
  });

  test('negative integers never give a negative value', () => {
    for (const name of ['seed', 'dataSeed', 'points', 'batch', 'classes']) {
      const p = BY_KEY.get(name);
      const s = parse(`${name}=-3`);
      assertValid(s, name);
      assert.ok(s[name] === p.def || s[name] === p.min, `${name}=-3 gave ${s[name]}`);
    }
  });

  test('unknown keys are ignored; unknown enum values give the default', () => {
    assertParsed('foo=1&__proto__=x&constructor=1&toString=2&lr2=4');
    assertParsed('dataset=moons');
    assertParsed('dataset=Circle');
    assertParsed('dataset=SPIRAL');
    assertParsed('activation=eval&optimizer=adamw&init=zeros&reg=l3&speed=fast&lang=de&output=none');
    assertParsed('batchNorm=yes&embed=2&showTest=TRUE');
    assertParsed('batchNorm=true&embed=1&showTest=0', { batchNorm: true, embed: true });
    assert.equal(Object.getPrototypeOf(parse('__proto__=x')), Object.prototype);
  });

  test('script and markup as values fall back to defaults and never reach serialize()', () => {
    const evil = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "javascript:alert('x')", '${alert(1)}'];
    for (const raw of evil) {
      for (const p of PROPS) {
        const text = `${p.name}=${encodeURIComponent(raw)}`;
        const s = assertParsed(text);
        const out = serialize(s);
        assert.equal(out, '', `${text} serialised to ${out}`);
      }
      // raw (not encoded) in a hash, as typed in an address bar
      const s = assertParsed(`#dataset=${raw}&hidden=${raw}&features=${raw}&lr=${raw}&hide=${raw}`);
      const out = serialize(s);
      for (const bad of ['<', '>', '"', 'script', 'onerror', 'alert']) assert.ok(!out.includes(bad), out);
    }
  });

  test('huge strings fall back to defaults quickly', () => {
    const t0 = performance.now();
    assertParsed(`lr=${'1'.repeat(100000)}`);
    assertParsed(`dataset=${'a'.repeat(1e6)}`);
    assertParsed(`hidden=${'8,'.repeat(50000)}8`);
    assertParsed(`features=${'x1,'.repeat(50000)}x2`);
    assertParsed(`seed=${'9'.repeat(5000)}`);
    assertParsed(`${'k'.repeat(100000)}=1`);
    assert.ok(performance.now() - t0 < 2000, 'parse stays fast on huge input');
  });

  test('duplicated keys: one value is kept, the last valid one', () => {
    assertParsed('lr=0.1&lr=0.2', { lr: 0.2 });
    assertParsed('lr=0.1&lr=abc', { lr: 0.1 });
    assertParsed('dataset=xor&dataset=gauss', { dataset: 'gauss' });
    const text = serialize(parse('lr=0.1&lr=0.2&lr=0.3'));
    assert.equal(text, 'lr=0.3');
  });

  test('percent-encoding is decoded', () => {
    assertParsed('dataset=%67auss', { dataset: 'gauss' });
    assertParsed('hidden=8%2C8', { hidden: [8, 8] });
    assertParsed('features=x1%2Cx2sq', { features: ['x1', 'x2sq'] });
    assertParsed('%6C%72=0.5', { lr: 0.5 });
    assertParsed('lr=0%2E5', { lr: 0.5 });
    assertParsed('lr=%E0%A4%A'); // broken escape: default, no throw
    assertParsed('lr=%');
  });

  test('features: an empty list gives the default; order and duplicates are normalised', () => {
    assertParsed('features=');
    assertParsed('features=,');
    assertParsed('features=x2,x1');
    assertParsed('features=x1sq,x1,x1', { features: ['x1', 'x1sq'] });
    assertParsed('features=x1,x3');
    assertParsed('hide=', {});
    assertParsed('hide=chart,buttons', { hide: ['buttons', 'chart'] });
  });

  test('hidden: more than 8 layers are cut, units clamped to 1..64', () => {
    assertParsed('hidden=8,8,8,8,8,8,8,8,8,8', { hidden: Array(8).fill(8) });
    assertParsed('hidden=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16', { hidden: [1, 2, 3, 4, 5, 6, 7, 8] });
    assertParsed('hidden=999', { hidden: [64] });
    assertParsed('hidden=65,3', { hidden: [64, 3] });
    assertParsed('hidden=0,3', { hidden: [1, 3] });
    assertParsed('hidden=', { hidden: [] });
    for (const bad of ['-1', '8,-2', '8,,8', '8,', ',8', '8;8', '8.5', 'a', '1e2', '8 8']) assertParsed(`hidden=${encodeURIComponent(bad)}`);
  });

  test('parse never throws and always gives a valid state on random junk', () => {
    const rnd = lcg(12345);
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789=&,.-+%#?<>"\' eE\u00e9\u{1F600}';
    const keys = PROPS.map((p) => p.name);
    for (let i = 0; i < 3000; i++) {
      let text = '';
      const parts = 1 + Math.floor(rnd() * 6);
      for (let j = 0; j < parts; j++) {
        const key = rnd() < 0.8 ? keys[Math.floor(rnd() * keys.length)] : 'x';
        let val = '';
        const len = Math.floor(rnd() * 12);
        for (let k = 0; k < len; k++) val += [...alphabet][Math.floor(rnd() * [...alphabet].length)];
        text += `${j ? '&' : ''}${key}=${val}`;
      }
      const s = parse(text);
      assertValid(s, text);
      const out = serialize(s);
      assert.equal(serialize(parse(out)), out, `serialize is stable for ${text}`);
    }
  });
});

describe('state.js: update()', () => {
  test('returns the change kind of the prop', () => {
    const s = defaults();
    assert.equal(update(s, 'dataset', 'xor'), 'data');
    assert.equal(s.dataset, 'xor');
    assert.equal(update(s, 'noise', '0.2'), 'data');
    assert.equal(update(s, 'points', 300), 'data');
    assert.equal(update(s, 'hidden', [8, 8]), 'net');
    assert.deepEqual(s.hidden, [8, 8]);
    assert.equal(update(s, 'features', ['x1', 'x1sq']), 'net');
    assert.equal(update(s, 'batchNorm', true), 'net');
    assert.equal(s.batchNorm, true);
    assert.equal(update(s, 'activation', 'relu'), 'net');
    assert.equal(update(s, 'lr', 0.1), 'live');
    assert.equal(s.lr, 0.1);
    assert.equal(update(s, 'lr', '0.3'), 'live');
    assert.equal(update(s, 'optimizer', 'adam'), 'live');
    assert.equal(update(s, 'batch', '25'), 'live');
    assert.equal(update(s, 'speed', 'max'), 'view');
    assert.equal(update(s, 'showTest', true), 'view');
    assert.equal(update(s, 'lang', 'fr'), 'page');
    assert.equal(update(s, 'hide', ['chart']), 'page');
    assert.equal(update(s, 'mLr', 0.2), 'live');
    assert.equal(update(s, 'mHidden', [10]), 'net');
    assertValid(s);
    for (const p of PROPS) assert.ok(typeof p.change === 'string' && p.change, `${p.name} has a change kind`);
  });

  test('every prop: change kind for a new value, null for the same value again', () => {
    const target = allNonDefault();
    const s = defaults();
    for (const p of INDEPENDENT) {
      assert.equal(update(s, p.name, target[p.name]), p.change, p.name);
      assert.deepEqual(s[p.name], target[p.name], p.name);
      assert.equal(update(s, p.name, target[p.name]), null, `${p.name} no-op`);
    }
    assert.deepEqual(s, target);
  });

  test('null for unknown props and invalid values; the state is untouched', () => {
    const s = defaults();
    assert.equal(update(s, 'nope', 1), null);
    assert.equal(update(s, '__proto__', 'x'), null);
    assert.equal(update(s, 'dataset', 'moons'), null);
    assert.equal(update(s, 'dataset', '<script>alert(1)</script>'), null);
    assert.equal(update(s, 'lr', 'abc'), null);
    assert.equal(update(s, 'lr', ''), null);
    assert.equal(update(s, 'lr', NaN), null);
    assert.equal(update(s, 'lr', Infinity), null);
    assert.equal(update(s, 'points', '12.5'), null);
    assert.equal(update(s, 'hidden', '8,x'), null);
    assert.equal(update(s, 'features', ['x1', 'x9']), null);
    assert.equal(update(s, 'batchNorm', 'maybe'), null);
    assert.deepEqual(s, defaults());
    // out of range is clamped, as in the URL
    assert.equal(update(s, 'lr', 50), 'live');
    assert.equal(s.lr, 10);
    assert.equal(update(s, 'hidden', [100, 0]), 'net');
    assert.deepEqual(s.hidden, [64, 1]);
  });

  test('unchecking every feature does not leave the net without inputs', () => {
    const s = defaults();
    update(s, 'features', []);
    assert.ok(s.features.length > 0, `features became ${JSON.stringify(s.features)}`);
    assert.deepEqual(parse(serialize(s)).features, s.features, 'the link gives the same features');
  });

  test('junk values of the wrong type (null, undefined, objects, numbers for lists) give null, never throw', () => {
    for (const p of PROPS) {
      for (const junk of [null, undefined, {}, () => 1]) {
        const s = defaults();
        let r;
        assert.doesNotThrow(() => { r = update(s, p.name, junk); }, `${p.name} = ${String(junk)}`);
        assert.equal(r, null, `update(${p.name}, ${String(junk)}) returned ${r}`);
        assert.deepEqual(s, defaults(), `${p.name} = ${String(junk)} changed the state`);
      }
    }
    const s = defaults();
    assert.doesNotThrow(() => update(s, 'hidden', 8));
  });
});

describe('2d/task.js: task(), outputFor() and which controls apply', () => {
  const st = st2d;

  test('task kinds and class counts', () => {
    for (const d of ['circle', 'xor', 'gauss', 'spiral']) assert.deepEqual(task(st({ dataset: d, classes: 5 })), { kind: 'binary', classes: 2 });
    assert.deepEqual(task(st({ dataset: 'plane' })), { kind: 'regression', classes: 0 });
    assert.deepEqual(task(st({ dataset: 'cos' })), { kind: 'regression', classes: 0 });
    assert.deepEqual(task(st({ dataset: 'spirals', classes: 4 })), { kind: 'multiclass', classes: 4 });
    assert.deepEqual(task(st({ dataset: 'spirals', classes: 3 })), { kind: 'multiclass', classes: 3 });
    assert.deepEqual(task(st({ dataset: 'blobs', classes: 5 })), { kind: 'multiclass', classes: 5 });
    assert.deepEqual(task(st({ dataset: 'blobs', classes: 2 })), { kind: 'binary', classes: 2 });
  });

  test('output and loss pairings', () => {
    const pick = (o) => { const r = outputFor(st(o)); return [r.output, r.loss, r.units]; };
    // regression: linear + MSE, whatever the output choice
    for (const output of S.OUTPUTS) {
      assert.deepEqual(pick({ dataset: 'plane', output }), ['linear', 'mse', 1]);
      assert.deepEqual(pick({ dataset: 'cos', output }), ['linear', 'mse', 1]);
      assert.deepEqual(pick({ dataset: 'spirals', classes: 4, output }), ['softmax', 'softmax_ce', 4]);
      assert.deepEqual(pick({ dataset: 'blobs', classes: 3, output }), ['softmax', 'softmax_ce', 3]);
    }
    assert.deepEqual(pick({ dataset: 'circle', output: 'auto' }), ['sigmoid', 'bce', 1]);
    assert.deepEqual(pick({ dataset: 'xor', output: 'sigmoid' }), ['sigmoid', 'bce', 1]);
    assert.deepEqual(pick({ dataset: 'circle', output: 'tanh' }), ['tanh', 'mse', 1]);
    assert.deepEqual(pick({ dataset: 'gauss', output: 'softmax' }), ['softmax', 'softmax_ce', 2]);
    assert.deepEqual(pick({ dataset: 'blobs', classes: 2, output: 'auto' }), ['sigmoid', 'bce', 1]);
    assert.equal(outputFor(st({ dataset: 'plane' })).why, 'whyRegression');
    assert.equal(outputFor(st({ output: 'tanh' })).why, 'whyTanh');
    assert.equal(outputFor(st({})).why, 'whySigmoid');
    assert.equal(outputFor(st({ dataset: 'spirals' })).why, 'whySoftmax');
  });
});

describe('features.js', () => {
  const ALL = S.FEATURES;
  const f32 = Math.fround;

  test('mapFeatures on known points, every feature', () => {
    const pts = new Float32Array([2, -3, 0, 0, -1.5, 0.5, 6, 6]);
    const out = mapFeatures(pts, 2, ALL);
    assert.equal(out.length, 4 * ALL.length);
    const expect = (a, b) => [a, b, a * a, b * b, a * b, Math.sin(a), Math.sin(b)].map(f32);
    for (let i = 0; i < 4; i++) {
      assert.deepEqual(Array.from(out.subarray(i * 7, i * 7 + 7)), expect(pts[2 * i], pts[2 * i + 1]), `point ${i}`);
    }
    assert.deepEqual(Array.from(out.subarray(0, 7)), [2, -3, 4, 9, -6, f32(Math.sin(2)), f32(Math.sin(-3))]);
  });

  test('mapFeatures: feature order follows the list; a given buffer is filled and returned', () => {
    const pts = new Float32Array([2, -3, 1, 4]);
    assert.deepEqual(Array.from(mapFeatures(pts, 2, ['x2', 'x1x2'])), [-3, -6, 4, 4]);
    assert.deepEqual(Array.from(mapFeatures(pts, 2, ['x1sq'])), [4, 1]);
    const buf = new Float32Array(4).fill(99);
    assert.equal(mapFeatures(pts, 2, ['x2sq', 'sinx1'], buf), buf);
    assert.deepEqual(Array.from(buf), [9, f32(Math.sin(2)), 16, f32(Math.sin(1))]);
    assert.equal(mapFeatures(new Float32Array(0), 2, ALL).length, 0);
  });

  test('mapFeatures with 1-D points uses x1 only', () => {
    const out = mapFeatures(new Float32Array([3, -2]), 1, ['x1', 'x1sq', 'sinx1']);
    assert.deepEqual(Array.from(out), [3, 9, f32(Math.sin(3)), -2, 4, f32(Math.sin(-2))]);
  });

  test('usable(): 1-D data drops every x2 feature; 2-D keeps all', () => {
    assert.deepEqual(usable(ALL, 1), ['x1', 'x1sq', 'sinx1']);
    assert.deepEqual(usable(['x2', 'x2sq', 'x1x2', 'sinx2'], 1), ['x1']);
    assert.deepEqual(usable(ALL, 2), ALL);
    assert.deepEqual(usable(['x2'], 2), ['x2']);
    assert.deepEqual(usable([], 2), ['x1']);
    const list = ['x1', 'x2'];
    assert.notEqual(usable(list, 2), list, 'a copy, not the caller’s array');
  });

  test('grid(): corners, orientation (row 0 at x2 = +6), spacing', () => {
    const res = 5, g = grid(res);
    assert.equal(g.length, res * res * 2);
    const at = (r, c) => [g[2 * (r * res + c)], g[2 * (r * res + c) + 1]];
    assert.deepEqual(at(0, 0), [-6, 6], 'top left');
    assert.deepEqual(at(0, res - 1), [6, 6], 'top right');
    assert.deepEqual(at(res - 1, 0), [-6, -6], 'bottom left');
    assert.deepEqual(at(res - 1, res - 1), [6, -6], 'bottom right');
    assert.deepEqual(at(2, 2), [0, 0], 'centre');
    assert.deepEqual(at(1, 3), [3, 3]);
    for (let r = 0; r < res; r++) for (let c = 1; c < res; c++) assert.ok(at(r, c)[0] > at(r, c - 1)[0], 'x1 grows along a row');
    for (let r = 1; r < res; r++) assert.ok(at(r, 0)[1] < at(r - 1, 0)[1], 'x2 falls down the rows');
    const h = grid(3, -1, 1);
    assert.deepEqual(Array.from(h), [-1, 1, 0, 1, 1, 1, -1, 0, 0, 0, 1, 0, -1, -1, 0, -1, 1, -1]);
    const big = grid(100);
    assert.ok(big.every(Number.isFinite));
    assert.equal(big[0], -6);
    assert.equal(big[big.length - 1], -6);
    assert.equal(big[big.length - 2], 6);
  });

  test('line(): n points from lo to hi inclusive', () => {
    assert.deepEqual(Array.from(line(5)), [-6, -3, 0, 3, 6]);
    assert.deepEqual(Array.from(line(3, 0, 1)), [0, 0.5, 1]);
    const l = line(300);
    assert.equal(l.length, 300);
    assert.equal(l[0], -6);
    assert.equal(l[299], 6);
    for (let i = 1; i < l.length; i++) assert.ok(l[i] > l[i - 1]);
  });
});

describe('datasets.js (wasm engine)', () => {
  const st = st2d;
  const same = (a, b) => assert.deepEqual(Array.from(a ?? []), Array.from(b ?? []));

  test('generate() is deterministic for a data seed and changes with it', () => {
    for (const dataset of S.DATASETS) {
      const s = st({ dataset, noise: 0.3, points: 200, dataSeed: 7, classes: 4 });
      const a = generate(nn, s), b = generate(nn, s);
      same(a.train.x, b.train.x);
      same(a.test.x, b.test.x);
      same(a.train.labels, b.train.labels);
      same(a.train.y, b.train.y);
      const c = generate(nn, { ...s, dataSeed: 8 });
      assert.notDeepEqual(Array.from(a.train.x), Array.from(c.train.x), `${dataset}: another seed, other points`);
      assert.ok(a.train.x.every(Number.isFinite) && a.test.x.every(Number.isFinite), dataset);
    }
  });

  test('generate() shape: dims, kind, classes, split sizes follow trainPct', () => {
    for (const [points, trainPct] of [[400, 50], [20, 10], [20, 90], [2000, 90], [333, 70], [101, 50]]) {
      const r = generate(nn, st({ points, trainPct }));
      const nTrain = Math.round((points * trainPct) / 100);
      assert.equal(r.dims, 2);
      assert.equal(r.train.x.length, 2 * nTrain, `${points} @ ${trainPct}%`);
      assert.equal(r.test.x.length, 2 * (points - nTrain));
      assert.equal(r.train.labels.length, nTrain);
      assert.equal(r.test.labels.length, points - nTrain);
    }
    const cos = generate(nn, st({ dataset: 'cos', points: 100, trainPct: 60 }));
    assert.equal(cos.dims, 1);
    assert.equal(cos.kind, 'regression');
    assert.equal(cos.classes, 0);
    assert.equal(cos.train.x.length, 60);
    assert.equal(cos.train.y.length, 60);
    assert.equal(cos.train.labels, null);
    assert.equal(cos.test.y.length, 40);
    const plane = generate(nn, st({ dataset: 'plane', points: 100 }));
    assert.equal(plane.dims, 2);
    assert.equal(plane.kind, 'regression');
    assert.equal(plane.train.y.length, 50);
  });

  test('the split is a shuffle: train and test together hold every generated point once', () => {
    const r = generate(nn, st({ dataset: 'spiral', points: 200, dataSeed: 11 }));
    const all = nn.dataset('spiral', { n: 200, noise: 0, seed: 11 });
    const key = (x, i) => `${x[2 * i]},${x[2 * i + 1]}`;
    const mine = [...Array(100).keys()].flatMap((i) => [key(r.train.x, i), key(r.test.x, i)]).sort();
    const theirs = [...Array(200).keys()].map((i) => key(all.x, i)).sort();
    all.free();
    assert.deepEqual(mine, theirs);
    // shuffled: the training set is not just the first half of the generator's order
    const raw = nn.dataset('spiral', { n: 200, seed: 11 });
    const firstHalf = new Set([...Array(100).keys()].map((i) => key(raw.x, i)));
    raw.free();
    assert.ok([...Array(100).keys()].some((i) => !firstHalf.has(key(r.train.x, i))));
  });

  test('classes are in range and every class appears', () => {
    const cases = [['circle', 2, 2], ['xor', 2, 2], ['gauss', 2, 2], ['spiral', 2, 2], ['spirals', 3, 3],
      ['spirals', 5, 5], ['blobs', 4, 4], ['blobs', 2, 2], ['blobs', 5, 5]];
    for (const [dataset, classes, expected] of cases) {
      const r = generate(nn, st({ dataset, classes, points: 500, noise: 0.2 }));
      assert.equal(r.classes, expected, dataset);
      assert.equal(r.kind, expected > 2 ? 'multiclass' : 'binary');
      for (const set of [r.train, r.test]) {
        assert.ok(set.labels.every((l) => Number.isInteger(l) && l >= 0 && l < expected), `${dataset}/${classes}`);
      }
      assert.equal(new Set(r.train.labels).size, expected, `${dataset}: every class in the training set`);
    }
  });

  test('added points join the training set (not the test set); foreign ones are dropped', () => {
    const s = st({ points: 100 });
    const base = generate(nn, s);
    const added = [{ x1: 1.5, x2: -2.5, label: 1 }, { x1: -4, x2: 3, label: 0 }, { x1: 0, x2: 0, label: 7 }];
    const r = generate(nn, s, added);
    assert.equal(r.train.labels.length, base.train.labels.length + 2);
    assert.equal(r.train.x.length, base.train.x.length + 4);
    same(r.test.x, base.test.x);
    same(r.train.x.subarray(0, base.train.x.length), base.train.x);
    assert.deepEqual(Array.from(r.train.x.subarray(-4)), [1.5, -2.5, -4, 3]);
    assert.deepEqual(Array.from(r.train.labels.subarray(-2)), [1, 0]);
    // regression points carry y; 1-D points carry x1 only
    const cos = st({ dataset: 'cos', points: 50 });
    const rc = generate(nn, cos, [{ x1: 2, y: 0.25 }, { x1: 1, x2: 5, label: 1 }]);
    const bc = generate(nn, cos);
    assert.equal(rc.train.x.length, bc.train.x.length + 1);
    assert.equal(rc.train.x[rc.train.x.length - 1], 2);
    assert.equal(rc.train.y[rc.train.y.length - 1], 0.25);
    const plane = st({ dataset: 'plane', points: 50 });
    const rp = generate(nn, plane, [{ x1: 1, x2: 2, y: -1 }]);
    assert.deepEqual(Array.from(rp.train.x.subarray(-2)), [1, 2]);
    assert.equal(rp.train.y[rp.train.y.length - 1], -1);
  });

  test('targets(): labels for softmax, 0/1 for sigmoid, -1/+1 for tanh, y for regression', () => {
    const bin = generate(nn, st({ points: 60 }));
    const sig = targets(bin.train, outputFor(st({})));
    assert.deepEqual(Object.keys(sig), ['y']);
    assert.ok(sig.y instanceof Float32Array);
    assert.deepEqual(Array.from(sig.y), Array.from(bin.train.labels));
    const th = targets(bin.train, outputFor(st({ output: 'tanh' })));
    assert.deepEqual(Array.from(th.y), Array.from(bin.train.labels, (l) => (l ? 1 : -1)));
    const sm2 = targets(bin.train, outputFor(st({ output: 'softmax' })));
    assert.deepEqual(Object.keys(sm2), ['labels']);
    same(sm2.labels, bin.train.labels);
    const multi = generate(nn, st({ dataset: 'spirals', classes: 4, points: 80 }));
    const sm = targets(multi.train, outputFor(st({ dataset: 'spirals', classes: 4 })));
    same(sm.labels, multi.train.labels);
    assert.ok(sm.labels.some((l) => l === 3));
    const reg = generate(nn, st({ dataset: 'plane', points: 40 }));
    const ry = targets(reg.train, outputFor(st({ dataset: 'plane' })));
    same(ry.y, reg.train.y);
  });

  test('targets() feed the engine: one epoch of training on them runs', () => {
    for (const o of [{}, { output: 'tanh' }, { output: 'softmax' }, { dataset: 'blobs', classes: 3 }, { dataset: 'cos' }]) {
      const s = st({ ...o, points: 60 });
      const out = outputFor(s), r = generate(nn, s);
      const feats = usable(s.features, r.dims);
      const data = nn.data({ x: mapFeatures(r.train.x, r.dims, feats), ...targets(r.train, out), dims: feats.length });
      const net = nn.createNet({ inputs: feats.length, layers: [{ units: 4, activation: 'tanh' }], outputs: out.units,
        output: out.output, loss: out.loss, seed: 1 });
      net.setOptimizer({ name: 'sgd', lr: 0.03 });
      const before = net.evaluate(data).loss;
      net.train(data, { batchSize: 10, steps: 0 });
      assert.ok(Number.isFinite(before) && Number.isFinite(net.evaluate(data).loss), JSON.stringify(o));
      net.free();
      data.free();
    }
  });

  test('nearest(): index and squared distance', () => {
    const pts = new Float32Array([0, 0, 3, 4, -1, -1, 3, 4]);
    const n1 = nearest(pts, 2, 2.9, 4.2);
    assert.equal(n1.index, 1, 'the first of two equal points');
    assert.ok(Math.abs(n1.d2 - 0.05) < 1e-12, n1.d2);
    assert.deepEqual(nearest(pts, 2, 0, 0), { index: 0, d2: 0 });
    assert.deepEqual(nearest(pts, 2, -0.6, -0.6).index, 2);
    assert.deepEqual(nearest(new Float32Array([1, 5, -2]), 1, -1.5, 99), { index: 2, d2: 0.25 });
    assert.deepEqual(nearest(new Float32Array(0), 2, 0, 0), { index: -1, d2: Infinity });
  });
});

describe('state.js: the limits that keep every link interactive', () => {
  test('the hostile MNIST link is clamped: 8 layers of 256, batches of 128', () => {
    const s = S.parse('#view=mnist&mHidden=1024,1024,1024,1024,1024,1024,1024,1024,1024&mBatch=1024&mCompare=sgd,momentum,nesterov,adagrad,rmsprop,adam').mnist;
    assert.deepEqual(s.hidden, Array(S.MAX_LAYERS).fill(S.MNIST_MAX_UNITS));
    assert.equal(S.MNIST_MAX_UNITS, 256);
    assert.equal(s.batch, S.MNIST_MAX_BATCH);
    assert.equal(S.MNIST_MAX_BATCH, 128);
    assert.equal(s.compare.length, 6);
  });

  test('weightCount and the largest MNIST net', () => {
    assert.equal(S.weightCount([2, 4, 2, 1]), 3 * 4 + 5 * 2 + 3 * 1);
    assert.equal(S.MNIST_MAX_WEIGHTS, 785 * 256 + 7 * 257 * 256 + 257 * 10);
  });

  test('gridResolution: the chosen one for small nets, coarser within GRID_BUDGET for big ones', () => {
    assert.equal(gridResolution(S.defaults()['2d']), 100);
    assert.equal(gridResolution(S.parse('resolution=300')['2d']), 300);
    const big = S.parse('hidden=64,64,64,64,64,64,64,64&resolution=300&features=x1,x2,x1sq,x2sq,x1x2,sinx1,sinx2')['2d'];
    const res = gridResolution(big);
    assert.ok(res >= S.prop('2d', 'resolution').min && res < 300, `res ${res}`);
    const weights = S.weightCount([7, ...big.hidden, 1]);
    assert.ok(res * res * weights <= S.GRID_BUDGET, `${res}² x ${weights} weights within the budget`);
    assert.ok((res + 1) ** 2 * weights > S.GRID_BUDGET, 'and as fine as the budget allows');
  });
});

// 2d/model.js and mnist/model.js import the engine from web/lib, which `make
// page` builds (make test always does; make check may not have)
const noLib = existsSync(new URL('../web/lib/nnplay.mjs', import.meta.url)) ? false
  : 'web/lib is missing: run `make page` to test 2d/model.js and mnist/model.js';
const divergedError = (e) => e.code === ERR_DIVERGED;

describe('divergence on the page: the engine\'s ERR_DIVERGED and nothing else', { skip: noLib }, () => {
  test('2d/model.js: a finite loss of millions is not divergence; a loss beyond float range is', async () => {
    const { Trainer } = await import('../web/js/2d/model.js');
    const tr = new Trainer(nn);
    tr.buildData(S.parse('dataset=plane')['2d']);
    assert.equal(tr.diverged, false);
    tr.net.params().fill(1000);
    const big = tr.net.evaluate(tr.sets.train).loss;
    assert.ok(Number.isFinite(big) && big > 1e6, `a finite loss above a million: ${big}`);
    tr.record();
    assert.equal(tr.diverged, false, 'a large finite loss is not divergence');
    tr.net.params().fill(1e20);
    assert.throws(() => tr.net.evaluate(tr.sets.train), divergedError, 'the engine says the loss diverged');
    tr.record();
    assert.equal(tr.diverged, true, 'the engine\'s ERR_DIVERGED is divergence');
    assert.equal(tr.train(5), 0, 'no training after divergence');
    tr.reset();
    assert.equal(tr.diverged, false, 'Reset recovers');
    tr.freeEngine();
  });

  test('2d/model.js: the browser test\'s link (plane, lr 10) diverges by training, when the engine says so', async () => {
    const { Trainer } = await import('../web/js/2d/model.js');
    const tr = new Trainer(nn);
    tr.buildData(S.parse('dataset=plane&lr=10')['2d']);
    let steps = 0;
    for (let i = 0; i < 1000 && !tr.diverged; i++) steps += tr.train(1);
    assert.equal(tr.diverged, true, `diverged within ${steps} steps`);
    const finite = tr.history.map((h) => h.trainLoss).filter(Number.isFinite);
    assert.ok(finite.some((l) => l > 1e6), 'finite losses above a million came first and went on training');
    assert.throws(() => tr.net.evaluate(tr.sets.train), divergedError, 'the engine agrees');
    tr.freeEngine();
  });

  test('mnist/model.js: evaluateChunk says diverged exactly when the engine throws ERR_DIVERGED', async () => {
    const { evaluateChunk } = await import('../web/js/mnist/model.js');
    const net = nn.createNet({ inputs: 2, layers: [], outputs: 1, output: 'linear', loss: 'mse' });
    const d = nn.data({ x: new Float32Array([1, 2, -1, 0.5]), y: new Float32Array([0, 1]) });
    net.params().fill(1e4);
    const big = evaluateChunk(net, d);
    assert.equal(big.diverged, false);
    assert.ok(Number.isFinite(big.loss) && big.loss > 1e6, `a finite loss above a million: ${big.loss}`);
    net.params().fill(1e20);
    const over = evaluateChunk(net, d);
    assert.equal(over.diverged, true);
    assert.ok(Number.isNaN(over.loss) && Number.isNaN(over.accuracy));
    // any other error is not swallowed
    const wide = nn.data({ x: new Float32Array(3), y: new Float32Array(1), dims: 3 });
    assert.throws(() => evaluateChunk(net, wide), (e) => e.code !== undefined && e.code !== ERR_DIVERGED);
    net.free();
    d.free();
    wide.free();
  });
});

describe('state.js: settings grouped per view', () => {
  test('every setting has one group and one URL key; old links keep their keys', () => {
    assert.deepEqual(Object.keys(S.SETTINGS), S.GROUPS);
    const keys = S.ALL.map((p) => p.key);
    assert.equal(new Set(keys).size, keys.length, 'URL keys are unique');
    // the keys links have always had: MNIST's with an m prefix, the others bare
    for (const p of S.SETTINGS.mnist) assert.match(p.key, /^m[A-Z]/, p.key);
    for (const k of ['mHidden', 'mLr', 'mCompare', 'lr', 'hidden', 'dataset', 'lang', 'view', 'embed']) assert.ok(BY_KEY.has(k), k);
    const s = S.parse('#mLr=0.2&lr=0.1&lang=fr&view=mnist');
    assert.equal(s.mnist.lr, 0.2);
    assert.equal(s['2d'].lr, 0.1);
    assert.equal(s.page.lang, 'fr');
    assert.equal(s.page.view, 'mnist');
    assert.equal(S.serialize(s), 'view=mnist&lang=fr&lr=0.1&mLr=0.2');
  });

  test("an old link's data set name reaches the renamed one (multispiral -> spirals)", () => {
    assert.equal(S.parse('dataset=multispiral')['2d'].dataset, 'spirals');
    assert.equal(S.serialize(S.parse('dataset=multispiral&classes=4')), 'dataset=spirals&classes=4');
    const s = S.defaults();
    assert.equal(S.update(s, '2d', 'dataset', 'multispiral'), 'data');
    assert.equal(s['2d'].dataset, 'spirals');
  });

  test('differences() lists the changed settings with their groups', () => {
    const a = S.defaults(), b = S.parse('lr=0.5&mLr=0.1&lang=fr');
    assert.deepEqual(S.differences(a, b), [['page', 'lang', 'fr'], ['2d', 'lr', 0.5], ['mnist', 'lr', 0.1]]);
    assert.deepEqual(S.differences(b, b), []);
  });
});

describe("state.js: the Convolution view's settings (vKernel, vWeights, vPixel, ...)", () => {
  test('a typed kernel and a chosen pixel round trip through a link', () => {
    const s = S.parse('view=convolution&vKernel=custom&vWeights=0.5,-1,0,0,1e-3,0,0,0,2&vPixel=3,4&vPad=2&vPool=avg');
    assert.equal(s.page.view, 'convolution');
    assert.deepEqual(s.convolution.weights, [0.5, -1, 0, 0, 0.001, 0, 0, 0, 2]);
    assert.deepEqual(s.convolution.pixel, [3, 4]);
    assert.equal(s.convolution.pad, 2);
    assert.equal(s.convolution.pool, 'avg');
    assert.equal(S.serialize(s), 'view=convolution&vKernel=custom&vWeights=0.5,-1,0,0,0.001,0,0,0,2&vPad=2&vPixel=3,4&vPool=avg');
    assert.ok(S.VIEWS.includes('convolution'));
  });

  test('malformed weights and pixels fall back to their defaults; values beyond the limits are clamped', () => {
    const def = S.defaults().convolution;
    for (const raw of ['1,2,3,4,5,6,7,8', '1,2,3,4,5,6,7,8,9,10', '1,2,3,4,NaN,6,7,8,9', '1,2,3,4,1e999,6,7,8,9', 'a,b,c,d,e,f,g,h,i',
      '1, 2,3,4,5,6,7,8,9', '1;2;3;4;5;6;7;8;9', '0,5 1 2 3 4 5 6 7 8', '', ',,,,,,,,']) {
      assert.deepEqual(S.parse(`vWeights=${encodeURIComponent(raw)}`).convolution.weights, def.weights, raw);
    }
    assert.deepEqual(S.parse('vWeights=5000,-5000,0,0,0,0,0,0,-0').convolution.weights, [1000, -1000, 0, 0, 0, 0, 0, 0, 0]);
    assert.ok(!Object.is(S.parse('vWeights=-0,0,0,0,0,0,0,0,0').convolution.weights[0], -0), 'no -0 in a kernel');
    for (const raw of ['1.5,2', '1', '1,2,3', 'x,y']) assert.deepEqual(S.parse(`vPixel=${raw}`).convolution.pixel, def.pixel, raw);
    assert.deepEqual(S.parse('vPixel=-5,300').convolution.pixel, [-1, 99]);
    assert.equal(S.parse('vPad=9&vStride=0').convolution.pad, 3);
    assert.equal(S.parse('vKernel=sobel').convolution.kernel, def.kernel);
  });

  test('update() takes a kernel as an array or a string, refuses anything else', () => {
    const s = S.defaults();
    assert.equal(S.update(s, 'convolution', 'weights', [1, 2, 3, 4, 5, 6, 7, 8, 9]), 'view');
    assert.deepEqual(s.convolution.weights, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.equal(S.update(s, 'convolution', 'weights', [1, 2, 3]), null);
    assert.equal(S.update(s, 'convolution', 'weights', 7), null);
    assert.equal(S.update(s, 'convolution', 'weights', [1, 2, 3, 4, 5, 6, 7, 8, NaN]), null);
    assert.equal(S.update(s, 'convolution', 'pixel', '2,3'), 'view');
    assert.deepEqual(s.convolution.pixel, [2, 3]);
    assert.deepEqual(s.convolution.weights, [1, 2, 3, 4, 5, 6, 7, 8, 9], 'a refused value changes nothing');
  });
});

describe('2d/task.js: one rule for the controls a task shows', () => {
  test('classes for the multi-class sets, output for binary tasks, hyper-parameters for their optimiser', () => {
    const on = (o, name) => applies(st2d(o), name);
    for (const d of S.DATASETS) assert.equal(on({ dataset: d }, 'classes'), d === 'spirals' || d === 'blobs', d);
    assert.equal(minClasses(st2d({ dataset: 'spirals' })), 3);
    assert.equal(minClasses(st2d({ dataset: 'blobs' })), 2);
    // the output choice exists exactly when the task is binary
    for (const d of S.DATASETS) {
      for (const classes of [2, 3]) {
        const s = st2d({ dataset: d, classes });
        assert.equal(applies(s, 'output'), task(s).kind === 'binary', `${d} with ${classes} classes`);
      }
    }
    for (const o of S.OPTIMIZERS) {
      assert.equal(on({ optimizer: o }, 'momentum'), ['momentum', 'nesterov', 'rmsprop', 'adam'].includes(o), o);
      assert.equal(on({ optimizer: o }, 'beta2'), o === 'adam', o);
    }
    assert.equal(on({ init: 'constant' }, 'initConst'), true);
    assert.equal(on({}, 'initConst'), false);
    assert.equal(on({ reg: 'l2' }, 'regRate'), true);
    assert.equal(on({}, 'regRate'), false);
    assert.equal(on({}, 'lr'), true);
  });
});

describe('shared/training.js: the one way views apply optimiser settings', { skip: noLib }, () => {
  test('the same optimiser keeps the hyper-parameters not given; another gets its defaults; penalties are set', async () => {
    const { applyTraining } = await import('../web/js/shared/training.js');
    const data = nn.dataset('xor', { n: 40, seed: 2 });
    const net = nn.createNet({ inputs: 2, layers: [4], outputs: 2, output: 'softmax', seed: 3,
      optimizer: { name: 'adam', lr: 0.01, beta2: 0.95 } });
    net.train(data, { batchSize: 8, steps: 5 });
    const before = net.params().slice();
    applyTraining(net, { name: 'adam', lr: 0.02, momentum: undefined }, { l2: 0.001 });
    assert.deepEqual([net.optimizer.lr, net.optimizer.beta2], [Math.fround(0.02), Math.fround(0.95)], 'beta2 kept, lr changed');
    assert.deepEqual(net.params(), before, 'the weights are untouched');
    net.train(data, { batchSize: 8, steps: 1 });
    applyTraining(net, { name: 'momentum', lr: 0.1 }, {});
    assert.equal(net.optimizer.name, 'momentum');
    assert.equal(net.optimizer.momentum, Math.fround(0.9), "momentum's default, not Adam's beta1");
    net.free(); data.free();
  });
});

describe('shared/format.js: numbers as each language writes them', async () => {
  const F = await import('../web/js/shared/format.js');
  const N = F.NNBSP;
  test('English: point, comma groups, % glued', () => {
    assert.equal(F.fixed('en', 12345.678, 2), '12,345.68');
    assert.equal(F.count('en', 60000), '60,000');
    assert.equal(F.percent('en', 0.975), '97.5%');
    assert.equal(F.punctuate('en', 'Loss: 3'), 'Loss: 3');
  });
  test('French: decimal comma, narrow no-break spaces in groups and before % : ; ?', () => {
    assert.equal(F.fixed('fr', 12345.678, 2), `12${N}345,68`);
    assert.equal(F.count('fr', 60000), `60${N}000`);
    assert.equal(F.percent('fr', 0.975), `97,5${N}%`);
    assert.equal(F.punctuate('fr', 'Perte : 3 ; pas ? oui'), `Perte${N}: 3${N}; pas${N}? oui`);
    assert.equal(F.punctuate('fr', 'Perte: 3'), `Perte${N}: 3`);
    assert.equal(F.punctuate('fr', 'http://x'), 'http://x', 'a colon inside a word is left alone');
  });
  test('short(): what float32 carries, read as a person writes it', () => {
    assert.equal(F.short('en', Math.fround(0.15)), '0.15');
    assert.equal(F.short('fr', Math.fround(0.15)), '0,15');
    assert.equal(F.short('en', 0.280471447, 9), '0.280471447');
    assert.equal(F.short('en', 1.234e-6), '1.234e-6');
    assert.equal(F.short('fr', 2.5e9 + 0.5, 3), '2,5e+9');
    assert.equal(F.short('fr', 25000), '25\u202f000');
    for (const f of [F.fixed, F.count, F.percent, F.short]) assert.equal(f('fr', NaN), '—');
  });
});

describe('state.js: data-set presets', () => {
  test("a link's data set brings its preset; what the link says wins", () => {
    const s = S.parse('dataset=spiral')['2d'];
    for (const k of S.PRESET_KEYS) assert.deepEqual(s[k], S.PRESETS.spiral[k] ?? S.prop('2d', k).def, k);
    const over = S.parse('dataset=spiral&hidden=3&lr=0.5')['2d'];
    assert.deepEqual([over.hidden, over.lr, over.optimizer], [[3], 0.5, 'adam']);
    // presets are that data set's defaults: a link leaves them out
    assert.equal(S.serialize(S.parse('dataset=spirals')), 'dataset=spirals');
    assert.equal(S.serialize(S.parse('dataset=spirals&hidden=3')), 'dataset=spirals&hidden=3');
    // a value equal to another set's preset but not this one's is kept
    assert.equal(S.serialize(S.parse('hidden=8,8')), 'hidden=8,8');
  });

  test('choosing a data set applies its preset, and leaving it restores the defaults', () => {
    const s = S.defaults();
    S.update(s, '2d', 'hidden', [5]);
    assert.equal(S.update(s, '2d', 'dataset', 'spirals'), 'data');
    assert.deepEqual([s['2d'].hidden, s['2d'].points, s['2d'].optimizer], [[16, 16], 1000, 'adam']);
    assert.equal(S.update(s, '2d', 'dataset', 'circle'), 'data');
    assert.deepEqual([s['2d'].hidden, s['2d'].points, s['2d'].optimizer, s['2d'].lr], [[4, 2], 400, 'sgd', 0.03]);
    assert.equal(S.serialize(s), '');
  });

  test('every preset value is valid for its setting', () => {
    for (const [d, preset] of Object.entries(S.PRESETS)) {
      assert.ok(S.DATASETS.includes(d), d);
      for (const [k, v] of Object.entries(preset)) {
        assert.ok(S.PRESET_KEYS.includes(k), `${d}.${k}`);
        const p = S.prop('2d', k);
        assert.deepEqual(S.parseValue(p, S.formatValue(p, v)), v, `${d}.${k}`);
      }
    }
  });
});

describe('every data set learns with its own defaults', { skip: noLib }, () => {
  // The page trains one epoch a frame by default: 150 epochs are 3 s at 50
  // frames/s, 7.5 s at 20. Each set with its defaults (presets included)
  // reaches 95 % test accuracy (classification) or a test MSE below 0.01.
  for (const d of S.DATASETS) {
    test(`${d}: a good result within 150 epochs`, async () => {
      const { Trainer } = await import('../web/js/2d/model.js');
      const tr = new Trainer(nn);
      tr.buildData(S.parse(`dataset=${d}`)['2d']);
      for (let e = 0; e < 150; e++) tr.train(0);
      const h = tr.history[tr.history.length - 1];
      if (tr.raw.kind === 'regression') assert.ok(h.testLoss < 0.01, `${d}: test loss ${h.testLoss}`);
      else assert.ok(h.testAcc >= 0.95, `${d}: test accuracy ${h.testAcc}`);
      tr.freeEngine();
    });
  }
});

describe('2d/task.js: warnings() names the traps', () => {
  const hist = (losses) => losses.map((trainLoss, step) => ({ step, trainLoss }));
  const keys = (s, h = [], steps = 0) => warnings(st2d(s), hist(h), steps).map((w) => w.key);
  test('batch norm on batches of 1', () => {
    assert.deepEqual(keys({ batchNorm: true, batch: 1 }), ['warnBnBatch1']);
    assert.deepEqual(keys({ batchNorm: true, batch: 2 }), []);
    assert.deepEqual(keys({ batchNorm: false, batch: 1 }), []);
  });
  test('a loss that climbs or swings, not one that falls or is flat', () => {
    const falling = Array.from({ length: 30 }, (_, i) => 0.7 * 0.9 ** i);
    assert.deepEqual(keys({}, falling), []);
    const climbing = [...falling.slice(0, 10), ...Array.from({ length: 10 }, (_, i) => 0.3 + 0.1 * i)];
    assert.deepEqual(keys({ lr: 3 }, climbing), ['warnLrHigh']);
    const swinging = [...falling.slice(0, 12), ...Array.from({ length: 10 }, (_, i) => (i % 2 ? 0.9 : 0.4))];
    assert.deepEqual(keys({ lr: 3 }, swinging), ['warnLrHigh']);
    // noise far below the best loss's scale is no warning
    const settled = Array.from({ length: 20 }, (_, i) => 0.01 + (i % 2 ? 0.001 : 0));
    assert.deepEqual(keys({}, settled), []);
  });
  test('decay shows its formula and the effective rate; a stall is a warning', () => {
    const [w] = warnings(st2d({ lr: 0.03, decay: 0.01 }), [], 100);
    assert.equal(w.key, 'noteDecay');
    assert.equal(w.values.eff, 0.03 / 2);
    assert.deepEqual(keys({ lr: 0.03, decay: 0.01 }, [], 10000), ['warnDecayStall']);
  });
  test("sigmoid's slow start with plain SGD at a small rate", () => {
    assert.deepEqual(keys({ activation: 'sigmoid' }), ['warnSigmoidSlow']);
    assert.deepEqual(keys({ activation: 'sigmoid', lr: 0.3 }), []);
    assert.deepEqual(keys({ activation: 'sigmoid', optimizer: 'adam' }), []);
    assert.deepEqual(keys({ activation: 'sigmoid', hidden: [] }), []);
  });
});

describe('2d/model.js: the status follows the data at once', { skip: noLib }, () => {
  test('adding and removing points while paused measures the loss again', async () => {
    const { Trainer } = await import('../web/js/2d/model.js');
    const tr = new Trainer(nn);
    tr.buildData(S.parse('points=40')['2d']);
    for (let e = 0; e < 20; e++) tr.train(0);
    const before = tr.history.at(-1);
    // a point of the wrong class in the middle of the other class raises the loss
    tr.addPoint({ x1: 0, x2: 0, label: 1 - tr.raw.train.labels[0] });
    tr.addPoint({ x1: 0.1, x2: 0, label: 1 });
    tr.addPoint({ x1: 0, x2: 0.1, label: 0 });
    const after = tr.history.at(-1);
    assert.equal(after.step, before.step, 'no training happened');
    assert.notEqual(after.trainLoss, before.trainLoss, 'the train loss is of the new set');
    assert.equal(after.trainLoss, tr.net.evaluate(tr.sets.train).loss);
    tr.removePoint(0);
    assert.equal(tr.history.at(-1).trainLoss, tr.net.evaluate(tr.sets.train).loss);
    tr.freeEngine();
  });
});

describe('i18n.js: numbers and punctuation in the reader\'s language', async () => {
  const { t } = await import('../web/js/i18n.js');
  test('number values are localised; French gets narrow no-break spaces', () => {
    assert.equal(t('en', 'stepsPerSecond', { n: 12345 }), '12,345 steps/s');
    assert.match(t('fr', 'stepsPerSecond', { n: 12345 }), /^12\u202f345 /);
    assert.match(t('fr', 'clampedTo', { v: 0.00001, min: 0.00001, max: 10 }), /utilisée\u202f: 1e-5/);
    assert.match(t('fr', 'noteDecay', { lr: 0.03, decay: 0.01, t: 100, eff: 0.015 }), /= 0,03 \/ \(1 \+ 0,01 × 100\) = 0,015\.$/);
  });
});

describe('shared/chart.js: round tick values', async () => {
  const { niceTicks, logTicks } = await import('../web/js/shared/chart.js');
  test('linear ticks are 1, 2 or 5 times a power of ten, inside the range', () => {
    assert.deepEqual(niceTicks(0, 0.69, 4), [0, 0.2, 0.4, 0.6]);
    assert.deepEqual(niceTicks(0, 100, 4), [0, 50, 100]);
    assert.deepEqual(niceTicks(40, 100, 4), [40, 60, 80, 100]);
    assert.deepEqual(niceTicks(3, 17, 3), [5, 10, 15]);
    assert.deepEqual(niceTicks(5, 5), [5]);
  });
  test('log ticks: powers of ten, with 2 and 5 between over less than two decades', () => {
    assert.deepEqual(logTicks(1e-5, 2), [1e-5, 1e-4, 0.001, 0.01, 0.1, 1]);
    assert.deepEqual(logTicks(0.03, 0.7), [0.05, 0.1, 0.2, 0.5]);
  });
});

describe('i18n.js: every control has a tooltip in English and French', async () => {
  const { has, t } = await import('../web/js/i18n.js');
  const { LAYOUT, MNIST_LAYOUT } = await import('../web/js/shared/controls.js');
  test('each setting the panels show, and each 2D button', () => {
    const keys = [...LAYOUT.flatMap(([, fields]) => fields.map(([name, , g = '2d']) => S.prop(g, name).key)),
      ...MNIST_LAYOUT.flatMap(([, fields]) => fields.map(([name]) => S.prop('mnist', name).key)),
      'play', 'step', 'stepEpoch', 'reset', 'newWeights', 'regenerate'];
    for (const k of keys) {
      assert.ok(has('en', `tip_${k}`), `tip_${k} in English`);
      assert.notEqual(t('fr', `tip_${k}`), t('en', `tip_${k}`), `tip_${k} in French`);
      assert.ok(t('en', `tip_${k}`).length < 200, `tip_${k} is short`);
    }
  });
});

describe('i18n.js: every option of every select has a label', async () => {
  const { has } = await import('../web/js/i18n.js');
  const { LAYOUT, MNIST_LAYOUT } = await import('../web/js/shared/controls.js');
  test('in English (French falls back to it only for names that are the same)', () => {
    const selects = [...LAYOUT.flatMap(([, f]) => f.map(([name, w, g = '2d']) => [S.prop(g, name), w])),
      ...MNIST_LAYOUT.flatMap(([, f]) => f.map(([name, w]) => [S.prop('mnist', name), w]))].filter(([, w]) => w === 'select');
    for (const [p] of selects) {
      for (const o of p.options) assert.ok(has('en', `${p.key}_${o}`) || has('en', o), `${p.key}: option ${o}`);
    }
  });
});

describe('i18n.js: the share panel names the groups it hides', async () => {
  const { t } = await import('../web/js/i18n.js');
  test('each group in both languages, never its identifier', () => {
    for (const c of S.CONTROLS) {
      for (const lang of ['en', 'fr']) assert.ok(!t(lang, `hide_${c}`).startsWith('hide_'), `${lang} hide_${c}`);
      assert.notEqual(t('fr', `hide_${c}`), t('en', `hide_${c}`), `hide_${c} in French`);
    }
  });
});
