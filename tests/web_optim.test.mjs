// web_optim.test.mjs: the Optimisers view's pure modules under Node, on the
// wasm engine (build/wasm): the surfaces' marked points against the engine,
// every surface's defaults run without diverging, each course preset shows
// its point (numbers below), the race's modes and divergence (model.js),
// the contour scales and the map's transform (drawing.js), the view's URL
// settings (state.js: presets, surfaces, hostile values), and its texts in
// English and French.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { load } from '../build/wasm/nnplay.mjs';
import * as S from '../web/js/state.js';
import { VIEWS, SURFACES, SURFACE_DEFAULTS, PRESETS, RUNS, HYPER, clampToBox, optimDefault } from '../web/js/optim/presets.js';
import { Race, runOptions } from '../web/js/optim/model.js';
import { levels, transform, ramp } from '../web/js/optim/drawing.js';
import { OPTIM_LAYOUT } from '../web/js/optim/panel.js';
import { t, has, keys } from '../web/js/i18n.js';

const nn = await load();

/** The view's settings for a link (as the page parses it). */
const settings = (hash) => S.parse(hash).optim;

/** A race run to its end in 'race' mode. */
function run(hash) {
  const race = new Race(nn);
  race.setup(settings(hash));
  while (!race.finished) race.advance(50, 'race');
  return race;
}
const byId = (race, id) => race.runs.find((r) => r.id === id);

describe('presets.js against the engine', () => {
  test('every marked minimum is a zero of the surface and of its gradient; the saddle is flat', () => {
    for (const s of SURFACES) {
      for (const [x, y] of VIEWS[s].minima) {
        const { value, grad } = nn.surface(s, [x, y], { gradient: s !== 'noisy' });
        assert.ok(Math.abs(value[0]) < 1e-6, `${s} at (${x}, ${y}): ${value[0]}`);
        if (grad) assert.ok(Math.hypot(grad[0], grad[1]) < 1e-4, `${s}: gradient ${grad}`);
      }
      for (const [x, y] of VIEWS[s].saddles ?? []) {
        const { grad } = nn.surface(s, [x, y]);
        assert.deepEqual([...grad], [0, 0], `${s}: the saddle point is flat`);
      }
    }
  });

  test('every default and preset is a value the URL accepts, and every start is inside its box', () => {
    for (const [name, values] of [...Object.entries(SURFACE_DEFAULTS), ...Object.entries(PRESETS)]) {
      for (const [key, v] of Object.entries(values)) {
        const p = S.prop('optim', key);
        assert.ok(p, `${name}: ${key} is a setting`);
        assert.deepEqual(S.parseValue(p, S.formatValue(p, v)), v, `${name}: ${key} = ${v} survives a link`);
      }
      const surface = values.surface ?? name;
      const start = { x: values.x ?? SURFACE_DEFAULTS[surface].x, y: values.y ?? SURFACE_DEFAULTS[surface].y };
      assert.equal(clampToBox(surface, 'x', start.x), start.x, `${name}: x inside`);
      assert.equal(clampToBox(surface, 'y', start.y), start.y, `${name}: y inside`);
    }
    assert.deepEqual(HYPER.filter((h) => !SURFACE_DEFAULTS.quadratic[h]), [], 'each surface sets every hyper-parameter');
  });

  test("each surface's defaults: all seven runs finish without diverging and end below their start", () => {
    for (const s of SURFACES) {
      const race = run(`oSurface=${s}&oOptimizers=${RUNS.map((r) => r.id).join(',')}`);
      for (const r of race.runs) {
        assert.equal(r.diverged, false, `${s} ${r.id} diverged`);
        assert.equal(r.count, race.settings.iters);
        assert.ok(r.values[r.count] < r.values[0], `${s} ${r.id}: ${r.values[0]} -> ${r.values[r.count]}`);
      }
    }
  });
});

describe('the course presets show their points', () => {
  test("Distill: alpha 0.0019 and beta 0.78; momentum ends 10 times lower than gradient descent", () => {
    const s = settings('oPreset=distill');
    assert.equal(s.momLr, 0.0019);
    assert.equal(s.momBeta, 0.78);
    assert.equal(s.sgdLr, 0.0019);
    const race = run('oPreset=distill');
    const sgd = byId(race, 'sgd'), mom = byId(race, 'momentum');
    assert.ok(mom.values[150] * 10 < sgd.values[150], `momentum ${mom.values[150]}, SGD ${sgd.values[150]}`);
    assert.ok(Math.max(...mom.values.slice(1, 20)) > mom.values[1] * 10, 'momentum makes its own oscillations');
  });

  test('ravine: momentum swings across the valley for dozens of steps, Nesterov damps it at once', () => {
    // across the valley: the eigenvector of the largest curvature (520.6) of the quadratic
    const e = [1, (162 - 520.62) / 240], n = Math.hypot(...e);
    const across = (r, k) => (r.path[2 * k] * e[0] + r.path[2 * k + 1] * e[1]) / n;
    const race = run('oPreset=ravine');
    const mom = byId(race, 'momentum'), nag = byId(race, 'nesterov');
    const swings = (r) => Array.from({ length: 40 }, (_, k) => across(r, k + 1)).filter((v, k, a) => k && Math.sign(v) !== Math.sign(a[k - 1])).length;
    assert.ok(swings(mom) >= 8, `momentum crosses the valley floor ${swings(mom)} times`);
    assert.ok(Math.abs(across(mom, 30)) > 0.3, `momentum still swings at 30: ${across(mom, 30)}`);
    for (let k = 3; k <= 40; k++) assert.ok(Math.abs(across(nag, k)) < 0.05, `Nesterov at ${k}: ${across(nag, k)}`);
  });

  test("AdaGrad's steps shrink for ever, RMSProp's do not", () => {
    const race = run('oPreset=adagrad');
    assert.equal(race.settings.chart, 'step');
    const ada = byId(race, 'adagrad'), rms = byId(race, 'rmsprop');
    const mean = (r, a, b) => r.steps.slice(a, b).reduce((x, y) => x + y) / (b - a);
    assert.ok(mean(ada, 900, 1000) < mean(ada, 1, 10) / 100, 'AdaGrad: steps 100 times shorter');
    assert.ok(mean(ada, 900, 1000) < mean(ada, 400, 500), 'AdaGrad: still shrinking');
    assert.ok(mean(rms, 900, 1000) > 0.3 * race.settings.rmsLr, `RMSProp: steps near eps (${mean(rms, 900, 1000)})`);
    assert.ok(rms.values[1000] < ada.values[1000] / 10, 'RMSProp ends far lower');
  });

  test('bias correction: uncorrected, the first steps are many times eps and Adam lands in a worse minimum', () => {
    const race = run('oPreset=bias');
    const on = byId(race, 'adam'), off = byId(race, 'adamnobc');
    assert.equal(runOptions(off.spec, race.settings).biasCorrection, false);
    const lr = race.settings.adamLr;
    assert.ok(Math.abs(on.steps[1] - lr * Math.SQRT2) < 1e-5, `corrected: the first step is eps per coordinate (${on.steps[1]})`);
    assert.ok(Math.max(...off.steps.slice(1, 30)) > 10 * lr, 'uncorrected: a step over 10 eps');
    assert.ok(on.values[300] < 1e-6 && off.values[300] > 0.5, `ends: ${on.values[300]} and ${off.values[300]}`);
  });

  test('saddle: SGD sits on the plateau f = 1/4 for 150 iterations; momentum and Adam leave it by 120', () => {
    const race = run('oPreset=saddle');
    const on = (r) => Array.from(r.values.slice(0, r.count + 1)).filter((v) => Math.abs(v - 0.25) < 0.01).length;
    assert.ok(on(byId(race, 'sgd')) >= 150, `SGD: ${on(byId(race, 'sgd'))} iterations at the saddle`);
    for (const id of ['momentum', 'adam']) assert.ok(byId(race, id).values[120] < 0.2, `${id} at 120: ${byId(race, id).values[120]}`);
    assert.ok(byId(race, 'sgd').values[600] < 1e-3, 'SGD leaves it in the end');
  });
});

describe('model.js: modes and divergence', () => {
  test('race moves every run, one at a time only the current one, and step by step one iteration', () => {
    const race = new Race(nn);
    race.setup(settings('oSurface=rosenbrock&oIters=20'));
    race.advance(5, 'race');
    assert.deepEqual(race.runs.map((r) => r.count), [5, 5, 5, 5, 5, 5]);
    race.restart();
    // a slice never spills into the next run
    for (const k of [15, 15, 10]) race.advance(k, 'one');
    assert.deepEqual(race.runs.map((r) => r.count), [20, 10, 0, 0, 0, 0]);
    assert.equal(race.current.id, 'momentum');
    assert.equal(race.lossRows.length, 21);
    assert.ok(Number.isFinite(race.lossRows[20].sgd) && !('nesterov' in race.lossRows[20]));
    race.moveStart(0.5, 0.5);
    assert.deepEqual([race.iteration, race.runs[0].path[0], race.runs[0].path[1]], [0, 0.5, 0.5], 'a new start restarts all');
    race.free();
  });

  test('a diverging run stops at its last finite point; the others go on', () => {
    const race = new Race(nn);
    race.setup(settings('oSurface=beale&oSgdLr=10&oIters=200'));
    race.advance(200, 'race');
    const sgd = byId(race, 'sgd');
    assert.ok(sgd.diverged && sgd.count < 200, `SGD diverged after ${sgd.count}`);
    assert.ok(Array.from(sgd.path.slice(0, 2 * sgd.count + 2)).every(Number.isFinite), 'every point drawn is finite');
    assert.ok(race.runs.filter((r) => r !== sgd).every((r) => !r.diverged && r.count === 200), 'the others finished');
    assert.ok(race.finished);
    race.free();
  });
});

describe('drawing.js: scales and transform', () => {
  test('a log scale: two bands a decade, at most eight decades, values below in the first band', () => {
    const L = levels(2e-7, 5000, 'log');
    assert.equal(L.edges[0], 1e-4);
    assert.equal(L.edges.at(-1), 1e4);
    assert.equal(L.edges.length, 17);
    assert.equal(L.band(1e-9), 0);
    assert.equal(L.band(0), 0);
    assert.equal(L.band(1), 8);
    assert.equal(L.band(5), 9);
    assert.equal(L.band(1e9), 15);
    assert.ok(L.ticks.every((v) => Number.isInteger(Math.log10(v))), 'labels at powers of ten');
  });

  test('a linear scale: bands at round values covering the range', () => {
    const L = levels(0.1, 6.3, 'linear');
    assert.ok(L.edges[0] <= 0.1 && L.edges.at(-1) >= 6.3);
    assert.equal(L.band(0.1), 0);
    assert.equal(L.band(6.3), L.edges.length - 2);
    const d = L.edges[1] - L.edges[0];
    assert.ok([0.5, 1].includes(d), `a round step: ${d}`);
  });

  test('the map transform puts y upwards and inverts exactly; the ramp goes light to dark', () => {
    const tf = transform([-2, 2, -1, 3], 400, 400);
    assert.deepEqual([tf.X(-2), tf.Y(3), tf.X(2), tf.Y(-1)], [0, 0, 400, 400]);
    assert.deepEqual(tf.toWorld(tf.X(0.5), tf.Y(1.25)), [0.5, 1.25]);
    const sum = (c) => c[0] + c[1] + c[2];
    assert.ok(sum(ramp(0)) > sum(ramp(0.5)) && sum(ramp(0.5)) > sum(ramp(1)));
  });
});

describe('state.js: the Optimisers settings in the URL', () => {
  test('a preset alone gives its values; a value the link gives wins; the round trip is exact', () => {
    const s = S.parse('view=optim&oPreset=ravine&oNagBeta=0.5');
    assert.equal(s.page.view, 'optim');
    assert.deepEqual(s.optim.optimizers, ['momentum', 'nesterov']);
    assert.equal(s.optim.momBeta, 0.95);
    assert.equal(s.optim.nagBeta, 0.5);
    assert.equal(S.serialize(s), 'view=optim&oPreset=ravine&oNagBeta=0.5');
    assert.deepEqual(S.parse(S.serialize(s)), s);
  });

  test('choosing a preset sets all but the speed; a surface its start, iterations and rates', () => {
    const s = S.parse('oSpeed=fast&oMode=one&oAdamLr=0.3');
    S.update(s, 'optim', 'preset', 'bias');
    assert.deepEqual([s.optim.surface, s.optim.x, s.optim.y, s.optim.adamLr, s.optim.speed, s.optim.mode], ['camel', 0.5, 0.9, 0.2, 'fast', 'race']);
    S.update(s, 'optim', 'surface', 'beale');
    assert.deepEqual([s.optim.x, s.optim.y, s.optim.iters, s.optim.adamLr], [0.5, 0.9, 300, 0.2], 'the preset still speaks');
    // the view leaves the preset first (view.js, change): then the surface's own values
    S.update(s, 'optim', 'preset', 'none');
    S.update(s, 'optim', 'surface', 'camel');
    S.update(s, 'optim', 'surface', 'beale');
    assert.deepEqual([s.optim.x, s.optim.y, s.optim.iters, s.optim.adamLr], [1, 1.5, 1000, 0.05]);
    assert.deepEqual(s.optim.optimizers, RUNS.slice(0, 6).map((r) => r.id), 'no preset: the six optimisers');
    assert.equal(optimDefault({ preset: 'none', surface: 'saddle' }, 'sgdLr'), 0.03);
  });

  test('malformed values fall back to their defaults without throwing', () => {
    const bad = 'view=optim&oSurface=himmelblau&oPreset=%3Cscript%3E&oX=abc&oY=1e999&oOptimizers=sgd,lbfgs&oMode=fly'
      + '&oAdamLr=NaN&oIters=-5&oSeed=1.5&oMomBeta=2&oOptimizers=';
    const s = S.parse(bad);
    const d = S.defaults().optim;
    assert.deepEqual({ ...s.optim, y: d.y, momBeta: d.momBeta }, d);
    assert.equal(s.optim.y, 5, 'a huge number is clamped');
    assert.equal(s.optim.momBeta, 0.999);
    assert.equal(S.update(s, 'optim', 'optimizers', []), null, 'at least one optimiser stays');
    assert.equal(S.update(s, 'optim', 'sgdLr', -1), 'live');
    assert.equal(s.optim.sgdLr, 1e-5);
  });
});

describe('i18n: the view in English and French', () => {
  test('every text of the view exists in both languages, tooltips included', () => {
    const own = keys('en').filter((k) => /^(o[A-Z]|tip_o)/.test(k));
    assert.ok(own.length > 60);
    for (const k of own) assert.ok(keys('fr').includes(k), `${k} in French`);
    for (const [group, fields] of OPTIM_LAYOUT) {
      assert.ok(has('fr', group), group);
      for (const [name] of fields) {
        const key = S.prop('optim', name).key;
        assert.ok(has('en', `tip_${key}`) && has('fr', `tip_${key}`), `tip_${key}`);
        for (const o of S.prop('optim', name).options ?? []) assert.ok(has('fr', `${key}_${o}`), `${key}_${o}`);
      }
    }
    for (const p of Object.keys(PRESETS)) assert.notEqual(t('fr', `oAbout_${p}`), t('en', `oAbout_${p}`));
    assert.match(t('fr', 'oAbout_distill'), /0,0019/);
    assert.match(t('fr', 'oStatusOne', { name: 'Adam', k: 1200, n: 5000 }), /^Adam\u202f: itération 1\u202f200 sur 5\u202f000$/);
  });
});
