// web_flow.test.mjs: the page's side of the gradient-flow panel, in Node:
// its settings in the URL (panel open, deep nets: presets as the data sets'
// are, a link's values win, malformed values fall back), a host page's `set`
// applying a deep net before the settings that override it, the saturation
// thresholds the panel states (from the engine's NN_SATURATION_PERCENT), the
// layers' colours, and every text in English and French.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as S from '../web/js/state.js';
import { Embed } from '../web/js/embed.js';
import { layerColors } from '../web/js/shared/flowchart.js';
import { t, keys } from '../web/js/i18n.js';
import { STRINGS } from '../web/js/shared/gradflow-strings.js';
import { ABI } from '../build/wasm/nnplay-abi.mjs';

const pick = (s, names) => Object.fromEntries(names.map((n) => [n, s[n]]));

describe('state.js: the panel and its deep nets in the URL', () => {
  test('a deep net sets its settings in both views; the link stays short and what it says wins', () => {
    for (const [group, key] of [['2d', 'deep'], ['mnist', 'mDeep']]) {
      for (const deep of S.DEEP.filter((d) => d !== 'none')) {
        const s = S.parse(`${key}=${deep}`);
        assert.deepEqual(pick(s[group], S.DEEP_KEYS), S.DEEP_PRESETS[group][deep], `${key}=${deep}`);
        assert.equal(S.serialize(s), `${key}=${deep}`, 'the preset values are that deep net\'s defaults');
      }
    }
    const s = S.parse('deep=sigmoid&activation=tanh&hidden=3');
    assert.deepEqual([s['2d'].activation, s['2d'].hidden, s['2d'].init, s['2d'].lr], ['tanh', [3], 'xavier_uniform', 0.3]);
    assert.equal(S.serialize(s), 'deep=sigmoid&hidden=3&activation=tanh');
    // the open panel
    assert.equal(S.parse('gradflow=1')['2d'].gradflow, true);
    assert.equal(S.parse('mGradflow=1').mnist.gradflow, true);
    assert.equal(S.serialize(S.parse('gradflow=1&mGradflow=1&mDeep=relu_he')), 'gradflow=1&mDeep=relu_he&mGradflow=1');
  });

  test('a deep net over a data set: the net is the deep one, the points and features the data set\'s', () => {
    const s = S.parse('dataset=spirals&deep=relu_he')['2d'];
    assert.deepEqual([s.hidden, s.activation, s.init, s.optimizer, s.lr], [[8, 8, 8, 8, 8], 'relu', 'he_uniform', 'sgd', 0.03]);
    assert.deepEqual([s.points, s.features], [1000, ['x1', 'x2', 'sinx1', 'sinx2']]);
  });

  test('malformed values fall back to the defaults, silently', () => {
    for (const text of ['deep=bogus', 'deep=', 'deep=SIGMOID', 'gradflow=maybe', 'gradflow=2', 'mDeep=%3Cscript%3E',
      'mGradflow=yes', `deep=${'x'.repeat(300)}`, 'deep=sigmoid,relu_he', 'deep[]=sigmoid']) {
      let s;
      assert.doesNotThrow(() => { s = S.parse(text); }, text);
      assert.deepEqual(s, S.defaults(), text);
    }
  });

  test('choosing a deep net applies it; a data set chosen after keeps it; "none" gives the usual net back', () => {
    const s = S.defaults();
    assert.equal(S.update(s, '2d', 'deep', 'sigmoid_bn'), 'net');
    assert.deepEqual(pick(s['2d'], S.DEEP_KEYS), S.DEEP_PRESETS['2d'].sigmoid_bn);
    S.update(s, '2d', 'dataset', 'spiral');
    assert.deepEqual([s['2d'].hidden, s['2d'].batchNorm, s['2d'].lr], [[8, 8, 8, 8, 8], true, 0.3], 'still the deep net');
    assert.deepEqual(s['2d'].features, S.PRESETS.spiral.features, 'the spiral\'s features');
    S.update(s, '2d', 'deep', 'none');
    assert.deepEqual([s['2d'].hidden, s['2d'].activation, s['2d'].batchNorm, s['2d'].optimizer],
      [[8, 8], 'tanh', false, 'adam'], 'the spiral\'s net again');
    assert.equal(S.serialize(s), 'dataset=spiral');
    assert.equal(S.update(s, 'mnist', 'deep', 'relu_small'), 'net');
    assert.deepEqual(pick(s.mnist, S.DEEP_KEYS), S.DEEP_PRESETS.mnist.relu_small);
    assert.equal(S.update(s, 'mnist', 'gradflow', true), 'view');
    assert.equal(S.update(s, '2d', 'deep', 'deeper'), null, 'an unknown deep net changes nothing');
  });

  test('every deep net: five hidden layers, valid values, the keys it may set only', () => {
    for (const group of ['2d', 'mnist']) {
      assert.deepEqual(Object.keys(S.DEEP_PRESETS[group]).sort(), S.DEEP.filter((d) => d !== 'none').sort());
      for (const [deep, preset] of Object.entries(S.DEEP_PRESETS[group])) {
        assert.deepEqual(Object.keys(preset).sort(), [...S.DEEP_KEYS].sort(), `${group} ${deep}`);
        assert.equal(preset.hidden.length, 5, `${group} ${deep}: five hidden layers, six of weights`);
        for (const [k, v] of Object.entries(preset)) {
          const p = S.prop(group, k);
          assert.deepEqual(S.parseValue(p, S.formatValue(p, v)), v, `${group} ${deep}.${k}`);
        }
      }
    }
  });

  test('a host page\'s set: the deep net first, the message\'s other settings over it', () => {
    const state = S.defaults();
    const embed = new Embed({ win: {}, state, change: (g, n, raw) => S.update(state, g, n, raw), view: () => null });
    const reply = embed.run({ command: 'set', settings: { activation: 'tanh', lr: 0.1, deep: 'sigmoid', dataset: 'xor' } });
    assert.deepEqual(reply.settings, { dataset: 'xor', deep: 'sigmoid', activation: 'tanh', lr: '0.1' });
    assert.deepEqual([state['2d'].activation, state['2d'].lr, state['2d'].hidden], ['tanh', 0.1, [8, 8, 8, 8, 8]]);
    assert.throws(() => embed.run({ command: 'set', settings: { deep: 'nope', activation: 'relu' } }), /invalid value for deep/);
    assert.equal(state['2d'].activation, 'tanh', 'a refused message changes nothing');
  });
});

describe('the panel\'s texts and colours', () => {
  test('the saturation it states is the engine\'s (NN_SATURATION_PERCENT) and its bounds are right', () => {
    assert.equal(ABI.limits.NN_SATURATION_PERCENT, 10);
    const s = ABI.limits.NN_SATURATION_PERCENT / 100, r = Math.sqrt(1 - s);
    // a sigmoid at y = (1 - r) / 2 has slope y (1 - y) = s / 4 (a tenth of 0.25); a tanh at r, 1 - r^2 = s
    assert.ok(Math.abs(((1 - r) / 2) * ((1 + r) / 2) - s / 4) < 1e-12);
    assert.ok(Math.abs(1 - r * r - s) < 1e-12);
    const en = t('en', 'gfDefinition', { pct: '10%', lo: '0.026', hi: '0.974', th: '0.949', probe: 'the 200 training points' });
    assert.match(en, /below 10% of its largest \(a sigmoid output outside \[0\.026, 0\.974\], a tanh output beyond ±0\.949\)/);
    assert.match(en, /for each of the 200 training points/);
  });

  test('every text in English and French, French in French', () => {
    const gf = Object.keys(STRINGS.en);
    assert.deepEqual(Object.keys(STRINGS.fr).sort(), [...gf].sort(), 'the same keys');
    for (const k of gf) {
      assert.ok(keys('en').includes(k) && keys('fr').includes(k), `${k} merged into i18n.js`);
      const symbols = /^gf(Col(Grad|Ratio)|GradAxis|RatioAxis)$/.test(k);
      if (!symbols) assert.notEqual(t('fr', k), t('en', k), `${k} in French`);
    }
    for (const d of S.DEEP) assert.ok(STRINGS.en[`gfDeep_${d}`] && STRINGS.en[`gfWhy_${d}`], `${d}: a name and a line`);
    assert.doesNotMatch(Object.values(STRINGS.fr).join(' '), /\bpas\b/, 'French says itération, never pas');
    // French typography: a narrow no-break space before the colon
    assert.match(t('fr', 'gfDeepLabel'), /couches cachées\u202f:$/);
  });

  test('one colour per layer, first to last, the output apart', () => {
    for (const hidden of [0, 1, 2, 5, 8]) {
      const c = layerColors(hidden);
      assert.equal(c.length, hidden + 1);
      assert.equal(new Set(c).size, hidden + 1, `${hidden} hidden layers: distinct colours`);
      assert.equal(c.at(-1), '#222', 'the output in dark grey');
    }
  });
});
