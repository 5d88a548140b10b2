// wasm_flow.test.mjs: the gradient-flow calls of the JS API (trackUpdates,
// updateNorms, unitStats; engine/flow.c) in both builds, against values
// computed here in float64: the norms of the change a step makes, from
// copies of the parameters; the shares of saturated and dead units, from a
// float64 forward pass. Tracking only observes (the same bits either way);
// bad arguments throw. Then the course's claim with the page's deep nets
// (state.js DEEP_PRESETS, trained as the 2D and MNIST views train them):
// with sigmoid units the first layer's gradient is 100 to 1,000 times
// smaller than the last's, with ReLU and He init of the same size, and each
// variant does what its line on screen says. Needs `make page` (web/lib, MNIST).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { builds, lcg } from './helpers.mjs';
import { NNPlayError } from '../build/wasm/nnplay.mjs';
import { ABI } from '../build/wasm/nnplay-abi.mjs';
import * as S from '../web/js/state.js';

const { NN_ERR_CONFIG, NN_ERR_VALUE } = ABI.status;
const EDGE = 1e-6;
const act64 = { sigmoid: (z) => 1 / (1 + Math.exp(-z)), tanh: Math.tanh, relu: (z) => Math.max(0, z) };

/**
 * Per layer, from the net's parameters in float64: the saturated share as
 * [sure, with values within EDGE of the threshold] and the dead share.
 */
function reference(net, x, slope) {
  const n = x.length / net.inputs;
  let cur = Float64Array.from(x);
  return net.layers().map((l) => {
    const out = new Float64Array(n * l.outputs);
    const r = { lo: null, hi: null, dead: null };
    if (l.type === 'dense') {
      for (let e = 0; e < n; e++) {
        for (let j = 0; j < l.outputs; j++) {
          let z = l.b[j];
          for (let i = 0; i < l.inputs; i++) z += l.W[j * l.inputs + i] * cur[e * l.inputs + i];
          out[e * l.outputs + j] = z;
        }
      }
    } else {
      const f = act64[l.activation], max = l.activation === 'sigmoid' ? 0.25 : 1;
      let lo = 0, hi = 0, zero = 0;
      for (let j = 0; j < l.outputs; j++) {
        let alive = false;
        for (let e = 0; e < n; e++) {
          const y = f(cur[e * l.outputs + j]);
          out[e * l.outputs + j] = y;
          const s = l.activation === 'sigmoid' ? y * (1 - y) : 1 - y * y;
          lo += s < slope * max - EDGE;
          hi += s < slope * max + EDGE;
          alive ||= y > 0;
        }
        zero += !alive;
      }
      if (l.activation === 'relu') r.dead = zero / l.outputs;
      else [r.lo, r.hi] = [lo / (n * l.outputs), hi / (n * l.outputs)];
    }
    cur = out;
    return r;
  });
}

function assertUnits(stats, ref, what) {
  ref.forEach((r, k) => {
    if (r.lo === null) assert.equal(stats.saturated[k], null, `${what}: layer ${k} has no saturated share`);
    else assert.ok(stats.saturated[k] >= r.lo - 1e-7 && stats.saturated[k] <= r.hi + 1e-7, `${what}: layer ${k} saturated ${stats.saturated[k]}, float64 [${r.lo}, ${r.hi}]`);
    if (r.dead === null) assert.equal(stats.dead[k], null, `${what}: layer ${k} has no dead share`);
    else assert.ok(Math.abs(stats.dead[k] - r.dead) < 1e-7, `${what}: layer ${k} dead ${stats.dead[k]}, float64 ${r.dead}`);
  });
}

for (const [name, nn] of builds) {
  describe(`${name}: gradient-flow calls`, () => {
    test('unitStats against a float64 forward pass, in chunks, from arrays, floats and bytes', () => {
      const rand = lcg(41);
      for (let c = 0; c < 6; c++) {
        const acts = ['sigmoid', 'tanh', 'relu'];
        const net = nn.createNet({ inputs: 3, outputs: 1, seed: c + 1, maxBatch: 1 + 7 * c,
          layers: [0, 1, 2, 3].map((h) => ({ units: 4 + c, activation: acts[(c + h) % 3] })) });
        // larger weights now and then: saturated and dead units
        const p = net.params();
        for (let i = 0; i < p.length; i++) p[i] = p[i] * (1 + (c % 3) * 2) + rand(-0.5, 0.5);
        const n = 20 + 13 * c, x = Float32Array.from({ length: 3 * n }, () => rand(-4, 4));
        const ref = reference(net, x, 0.1);
        const fromArray = net.unitStats(Array.from(x));
        assertUnits(fromArray, ref, `net ${c}, plain array`);
        assert.equal(fromArray.slope, 0.1, 'the default slope is NN_SATURATION_PERCENT / 100');
        const data = nn.data({ x, y: new Float32Array(n), dims: 3 });
        assert.deepEqual(net.unitStats(data), fromArray, `net ${c}: a Data gives the same`);
        assertUnits(net.unitStats(x, { slope: 0.4 }), reference(net, x, 0.4), `net ${c}, slope 0.4`);
        data.free();
        net.free();
      }
      // bytes are read as bytes times the scale
      const net = nn.createNet({ inputs: 4, outputs: 2, output: 'softmax', layers: [{ units: 6, activation: 'sigmoid' }], seed: 3 });
      net.params().forEach((v, i, a) => { a[i] = v * 6; });
      const x8 = Uint8Array.from({ length: 40 }, (_, i) => (i * 97) % 256);
      const bytes = nn.data({ x8, labels: new Int32Array(10), dims: 4 });
      const stats = net.unitStats(bytes);
      assertUnits(stats, reference(net, Float32Array.from(x8, (v) => v * Math.fround(1 / 255)), 0.1), 'bytes');
      assert.ok(stats.saturated[1] > 0, 'large weights saturate some units');
      bytes.free();
      net.free();
    });

    test('unitStats: a dead ReLU is one that outputs 0 for every example, the last one included', () => {
      const net = nn.createNet({ inputs: 1, outputs: 1, layers: [{ units: 3, activation: 'relu' }], seed: 1, maxBatch: 4 });
      const [dense] = net.layers();
      // unit 0 fires for x > 0, unit 1 for x > 9, unit 2 never
      dense.W.set([1, 1, 0]);
      dense.b.set([0, -9, -1]);
      const x = [-1, -2, -3, -4, -5, 10];
      assert.deepEqual(net.unitStats(x).dead, [null, Math.fround(1 / 3), null]);
      assert.deepEqual(net.unitStats(x.slice(0, 5)).dead, [null, 1, null], 'without the 10, all three are dead');
      net.free();
    });

    test('updateNorms: the norms of the change each optimiser makes, zeros before a step; SGD moves lr ||g||', () => {
      const rand = lcg(7);
      const x = Float32Array.from({ length: 80 }, () => rand(-3, 3));
      const y = Float32Array.from({ length: 40 }, (_, i) => (x[2 * i] * x[2 * i + 1] > 0 ? 1 : 0));
      for (const opt of ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam']) {
        const net = nn.createNet({ inputs: 2, outputs: 1, seed: 2, maxBatch: 8, l2: 1e-3,
          layers: [{ units: 5, activation: 'tanh', batchNorm: true }, { units: 4, activation: 'prelu' }], optimizer: opt });
        assert.equal(net.tracking, false);
        assert.throws(() => net.updateNorms(), (e) => e instanceof NNPlayError && e.code === NN_ERR_CONFIG, `${opt}: off`);
        net.trackUpdates();
        assert.equal(net.tracking, true);
        assert.ok(net.updateNorms().ratios.every((v) => v === 0), 'before a step: zeros');
        const layers = net.layers();
        for (let s = 0; s < 5; s++) {
          const before = net.params().slice();
          net.trainBatch({ x: x.subarray(16 * s, 16 * s + 16), y: y.subarray(8 * s, 8 * s + 8) });
          const after = net.params(), g = net.gradNorms(), u = net.updateNorms();
          layers.forEach((l, k) => {
            let w2 = 0, d2 = 0;
            for (let i = l.wOffset; i < l.wOffset + l.params; i++) {
              w2 += before[i] ** 2;
              d2 += (after[i] - before[i]) ** 2;
            }
            const near = (a, b, what) => assert.ok(Math.abs(a - b) <= 1e-6 * b, `${opt} step ${s} layer ${k} ${what}: ${a} vs ${b}`);
            near(u.paramNorms[k], Math.sqrt(w2), '||theta||');
            near(u.updateNorms[k], Math.sqrt(d2), '||dtheta||');
            near(u.ratios[k], d2 ? Math.sqrt(d2 / w2) : 0, 'ratio');
            assert.equal(u.updateNorms[k] > 0, l.params > 0, `${opt} layer ${k}: moved if it has parameters`);
            // to float rounding: theta - lr g is rounded to a float, an error of at most ulp(theta) / 2 per value
            if (opt === 'sgd') {
              const tol = 1e-6 * u.updateNorms[k] + 2 ** -24 * u.paramNorms[k];
              assert.ok(Math.abs(u.updateNorms[k] - net.optimizer.lr * g[k]) <= tol, `layer ${k}: ${u.updateNorms[k]} = lr ||g||`);
            }
          });
        }
        net.reset();
        assert.ok(net.updateNorms().updateNorms.every((v) => v === 0), `${opt}: after reset, zeros`);
        const copy = nn.loadNet(net.save());
        assert.equal(copy.tracking, false, 'a loaded net does not track');
        copy.free();
        net.trackUpdates(false);
        assert.throws(() => net.updateNorms(), /tracking|option|config/i);
        net.free();
      }
    });

    test('tracking only observes: a tracked and an untracked net train to the same bits', () => {
      const data = nn.dataset('spiral', { n: 200, noise: 0.2, seed: 4 });
      const make = () => nn.createNet({ inputs: 2, outputs: 2, output: 'softmax', seed: 9, maxBatch: 16,
        layers: [{ units: 8, activation: 'relu', dropout: 0.1, batchNorm: true }, { units: 8, activation: 'sigmoid' }],
        optimizer: { name: 'adam', lr: 0.01 } });
      const a = make().trackUpdates(true), b = make();
      const la = [], lb = [];
      for (let i = 0; i < 40; i++) {
        la.push(a.train(data, { batchSize: 16, steps: 3 }).loss);
        lb.push(b.train(data, { batchSize: 16, steps: 3 }).loss);
        a.updateNorms();
        a.unitStats(data);
      }
      assert.deepEqual(la, lb, 'the same losses');
      assert.deepEqual(a.params(), b.params(), 'the same parameters');
      [a, b, data].forEach((o) => o.free());
    });

    test('bad arguments throw and change nothing', () => {
      const net = nn.createNet({ inputs: 2, outputs: 1, layers: [{ units: 3, activation: 'sigmoid' }], seed: 1 });
      assert.throws(() => net.trackUpdates('yes'), /on must be true or false/);
      for (const slope of [0, 1, -0.5, NaN, Infinity, '0.1']) {
        assert.throws(() => net.unitStats([1, 2], { slope }), (e) => e instanceof NNPlayError && /slope/.test(e.message), `slope ${slope}`);
      }
      assert.throws(() => net.unitStats([]), /empty/);
      assert.throws(() => net.unitStats([1, 2, 3]), /not a multiple of 2 inputs/);
      assert.throws(() => net.unitStats([1, NaN]), /finite/);
      assert.throws(() => net.unitStats({ x: [1, 2] }), /typed array or an array/);
      const three = nn.data({ x: [1, 2, 3], y: [0], dims: 3 });
      assert.throws(() => net.unitStats(three), /3 inputs, the net 2/);
      assert.throws(() => net.unitStats([1, 2], 'slow'), /options object/);
      three.free();
      // the engine's own check, past the JS one: a slope that rounds to 1 as a float
      assert.throws(() => net.unitStats([1, 2], { slope: 1 - 1e-9 }), (e) => e.code === NN_ERR_VALUE);
      const before = net.params().slice();
      assert.deepEqual(net.params(), before);
      net.free();
      assert.throws(() => net.unitStats([1, 2]), /after free/);
      assert.throws(() => net.trackUpdates(true), /after free/);
    });
  });
}

// ---- the course's claim, with the page's deep nets --------------------------

const nn = builds[0][1];
const median = (a) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)];

/** Trains `net` `steps` steps (`train(k)` runs k) and samples, every `every`, the last/first gradient ratio and all norms. */
function sample(net, train, steps, every) {
  const ratios = [], norms = [];
  const dense = net.layers().map((l, i) => (l.type === 'dense' ? i : -1)).filter((i) => i >= 0);
  for (let s = 0; s < steps; s += every) {
    train(every);
    const g = net.gradNorms();
    ratios.push(g[dense.at(-1)] / g[dense[0]]);
    norms.push(...dense.map((i) => g[i]));
  }
  return { ratio: median(ratios), norm: median(norms) };
}

describe('the deep nets of the gradient-flow panel (state.js) do what their lines say', () => {
  test('2D (circle, as the view trains): sigmoid 100-1,000x, He narrows it, batch norm and ReLU+He close it', async () => {
    const { Trainer } = await import('../web/js/2d/model.js');
    const run = (deep, steps = 2000) => {
      const tr = new Trainer(nn);
      const state = S.parse(`deep=${deep}`)['2d'];
      assert.deepEqual(state.hidden, [8, 8, 8, 8, 8], 'five hidden layers');
      tr.buildData(state);
      const r = sample(tr.net, (k) => tr.runSlice(k), steps, 10);
      tr.record();
      const units = tr.net.unitStats(tr.sets.train);
      const h = tr.history.at(-1);
      tr.freeEngine();
      return { ...r, acc: h.testAcc, units };
    };
    const nets = Object.fromEntries(S.DEEP.filter((d) => d !== 'none').map((d) => [d, run(d)]));
    const { sigmoid, sigmoid_he: he, sigmoid_bn: bn, relu_he: relu, relu_small: small } = nets;
    assert.ok(sigmoid.ratio >= 100 && sigmoid.ratio <= 1000, `deep sigmoid: first layer ${sigmoid.ratio}x smaller`);
    assert.ok(sigmoid.acc < 0.6, `deep sigmoid hardly learns: ${sigmoid.acc}`);
    assert.ok(he.ratio < sigmoid.ratio / 2, `He narrows the gap: ${he.ratio} vs ${sigmoid.ratio}`);
    const sat = (u) => u.saturated.filter((v) => v !== null).reduce((a, b) => a + b, 0);
    assert.ok(sat(he.units) > sat(sigmoid.units), `He saturates more: ${sat(he.units)} vs ${sat(sigmoid.units)}`);
    assert.ok(bn.ratio < 10 && bn.acc > 0.9, `batch norm: ${bn.ratio}x, accuracy ${bn.acc}`);
    assert.ok(relu.ratio < 10 && relu.ratio > 0.1 && relu.acc > 0.9, `ReLU + He: ${relu.ratio}x, accuracy ${relu.acc}`);
    assert.ok(relu.ratio * 10 < sigmoid.ratio, 'much less so than sigmoid');
    assert.ok(relu.units.dead.some((v) => v > 0), `dead units to watch: ${relu.units.dead}`);
    // too small weights: the first 200 steps' gradients are smaller, and the net learns later
    const early = run('relu_he', 200), late = run('relu_small', 200);
    assert.ok(late.norm * 3 < early.norm, `small init: smaller gradients (${late.norm} vs ${early.norm})`);
    assert.ok(late.acc < early.acc - 0.1, `small init: learning starts late (${late.acc} vs ${early.acc})`);
    assert.ok(small.acc > 0.9, `but it does start: ${small.acc}`);
  });

  test('MNIST (as the view trains, batch 64): sigmoid 100-1,000x, ReLU+He and batch norm about 1x', async () => {
    const { loadMnist, nodeReader } = await import('../web/js/mnist.js');
    const { makeSets, netOptions } = await import('../web/js/mnist/model.js');
    const mnist = await loadMnist(await nodeReader(new URL('../web/data/mnist/', import.meta.url)));
    const sets = makeSets(nn, mnist);
    const run = (deep) => {
      const s = S.parse(`mDeep=${deep}`).mnist;
      assert.deepEqual(s.hidden, [64, 64, 64, 64, 64]);
      const net = nn.createNet(netOptions(s));
      const r = sample(net, (k) => net.train(sets.train, { batchSize: s.batch, steps: k }), 600, 10);
      const acc = sets.quick.reduce((a, d) => a + net.evaluate(d).accuracy * d.n, 0) / 1000;
      net.free();
      return { ...r, acc };
    };
    const sigmoid = run('sigmoid'), relu = run('relu_he'), bn = run('sigmoid_bn'), small = run('relu_small');
    assert.ok(sigmoid.ratio >= 100 && sigmoid.ratio <= 1000, `deep sigmoid: first layer ${sigmoid.ratio}x smaller`);
    assert.ok(sigmoid.acc < 0.3, `and hardly learns: ${sigmoid.acc}`);
    assert.ok(relu.ratio < 3 && relu.acc > 0.85, `ReLU + He: ${relu.ratio}x, accuracy ${relu.acc}`);
    assert.ok(bn.ratio < 3 && bn.acc > 0.85, `batch norm: ${bn.ratio}x, accuracy ${bn.acc}`);
    assert.ok(small.acc < relu.acc - 0.1, `small init starts late: ${small.acc} vs ${relu.acc}`);
  });
});
