// wasm_optim.test.mjs: optimisers on a plain vector (nn.stepper) and the
// loss surfaces (nn.surface) through the JS API, both wasm builds. 50-step
// trajectories against an independent float64 reference written here
// (Rosenbrock with Adam, the quadratic with momentum and Nesterov at
// Distill's alpha and beta, and more); Adam without bias correction; the
// same bits as a net trained with the same optimiser; SIMD and scalar
// agree bit for bit; divergence; every bad argument throws and changes
// nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builds } from './helpers.mjs';
import { ERR_DIVERGED } from '../build/wasm/nnplay.mjs';

/* ---- the float64 reference ---------------------------------------------- */

const SURF = {
  quadratic: (x, y) => [81 * x * x - 240 * x * y + 180 * y * y, 162 * x - 240 * y, 360 * y - 240 * x],
  rosenbrock: (x, y) => [(1 - x) ** 2 + 100 * (y - x * x) ** 2, -2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)],
  beale: (x, y) => {
    const c = [1.5, 2.25, 2.625];
    let f = 0, gx = 0, gy = 0;
    for (let i = 1; i <= 3; i++) {
      const e = c[i - 1] - x + x * y ** i;
      f += e * e; gx += 2 * e * (y ** i - 1); gy += 2 * e * x * i * y ** (i - 1);
    }
    return [f, gx, gy];
  },
  saddle: (x, y) => [x * x + (y * y - 1) ** 2 / 4, 2 * x, (y * y - 1) * y],
  camel: (x, y) => [4 * x * x - 2.1 * x ** 4 + x ** 6 / 3 + x * y - 4 * y * y + 4 * y ** 4 + 1.0316284534898774,
    8 * x - 8.4 * x ** 3 + 2 * x ** 5 + y, x - 8 * y + 16 * y ** 3],
};

/** n updates of optimiser o ({name, lr, momentum, beta2, delta, biasCorrection}, the engine's float values) from p. */
function reference(surface, o, p0, n) {
  const p = [...p0], s = [0, 0], r = [0, 0], path = [];
  for (let t = 1; t <= n; t++) {
    const at = o.name === 'nesterov' ? [p[0] + o.momentum * s[0], p[1] + o.momentum * s[1]] : p;
    const [, ...g] = SURF[surface](...at);
    for (let i = 0; i < 2; i++) {
      if (o.name === 'sgd') p[i] -= o.lr * g[i];
      else if (o.name === 'momentum' || o.name === 'nesterov') { s[i] = o.momentum * s[i] - o.lr * g[i]; p[i] += s[i]; }
      else if (o.name === 'adagrad') { r[i] += g[i] ** 2; p[i] -= o.lr / (o.delta + Math.sqrt(r[i])) * g[i]; }
      else if (o.name === 'rmsprop') { r[i] = o.momentum * r[i] + (1 - o.momentum) * g[i] ** 2; p[i] -= o.lr / Math.sqrt(o.delta + r[i]) * g[i]; }
      else {
        s[i] = o.momentum * s[i] + (1 - o.momentum) * g[i];
        r[i] = o.beta2 * r[i] + (1 - o.beta2) * g[i] ** 2;
        const c1 = o.biasCorrection ? 1 - o.momentum ** t : 1, c2 = o.biasCorrection ? 1 - o.beta2 ** t : 1;
        p[i] -= o.lr * (s[i] / c1) / (Math.sqrt(r[i] / c2) + o.delta);
      }
    }
    path.push([...p, SURF[surface](...p)[0]]);
  }
  return path;
}

// The engine's 50 points (float32) may stray from the float64 reference by at
// most TOL times the distance the reference travels from its start
// (measured: below 1e-6 on every case).
const TOL = 1e-4;

const CASES = [
  ['rosenbrock', { name: 'adam', lr: 0.05 }, [-1.2, 1]],
  ['quadratic', { name: 'momentum', lr: 0.0019, momentum: 0.78 }, [-2.2, 0.5]],
  ['quadratic', { name: 'nesterov', lr: 0.0019, momentum: 0.78 }, [-2.2, 0.5]],
  ['quadratic', { name: 'nesterov', lr: 0.0019, momentum: 0.95 }, [-2.2, 0.5]],
  ['beale', { name: 'rmsprop', lr: 0.01, momentum: 0.9 }, [1, 1.5]],
  ['saddle', { name: 'sgd', lr: 0.03 }, [-1.8, 0.01]],
  ['camel', { name: 'adagrad', lr: 0.3 }, [2, 0.25]],
  ['camel', { name: 'adam', lr: 0.2, beta2: 0.9999, biasCorrection: false }, [0.5, 0.9]],
];

for (const [build, nn] of builds) {
  test(`${build}: 50-step trajectories match the float64 reference`, () => {
    for (const [surface, opt, start] of CASES) {
      const st = nn.stepper(opt, start);
      const o = st.optimizer;
      const want = reference(surface, o, [...st.params()], 50);
      const { trace, steps, diverged } = st.descend(surface, 50);
      assert.equal(steps, 50);
      assert.equal(diverged, false);
      let worst = 0, moved = 0;
      want.forEach(([x, y, f], k) => {
        worst = Math.max(worst, Math.hypot(trace[5 * k] - x, trace[5 * k + 1] - y));
        moved = Math.max(moved, Math.hypot(x - start[0], y - start[1]));
        assert.ok(Math.abs(trace[5 * k + 2] - f) <= 1e-4 * Math.max(1, f), `${surface} ${o.name}: value ${trace[5 * k + 2]} vs ${f}`);
      });
      assert.ok(moved > 0.1, `${surface} ${o.name}: the reference moves`);
      assert.ok(worst <= TOL * moved, `${surface} ${o.name}: ${worst} from the reference (moved ${moved})`);
      assert.deepEqual([...st.params()], [trace[5 * 49], trace[5 * 49 + 1]], 'the stepper holds the last point');
      st.free();
    }
  });

  test(`${build}: bias correction changes Adam's first steps only as the rule says`, () => {
    const on = nn.stepper({ name: 'adam', lr: 0.1 }, [2, 0.25]), off = nn.stepper({ name: 'adam', lr: 0.1, biasCorrection: false }, [2, 0.25]);
    assert.equal(on.optimizer.biasCorrection, true);
    assert.equal(off.optimizer.biasCorrection, false);
    const a = on.descend('camel', 1).trace, b = off.descend('camel', 1).trace;
    // first step: corrected moves lr per coordinate; uncorrected lr * 0.1 / sqrt(0.001) = 3.16 lr
    assert.ok(Math.abs(Math.abs(a[0] - 2) - 0.1) < 1e-6, `corrected step ${a[0] - 2}`);
    assert.ok(Math.abs(Math.abs(b[0] - 2) - 0.1 * 0.1 / Math.sqrt(0.001)) < 1e-5, `uncorrected step ${b[0] - 2}`);
    off.setOptimizer({ name: 'adam', lr: 0.1, biasCorrection: true });
    assert.equal(off.optimizer.biasCorrection, true, 'the same name keeps the state, the option follows');
    on.free(); off.free();
  });

  test(`${build}: caller-driven steps equal descend, and a net's own training`, () => {
    for (const name of ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam']) {
      const a = nn.stepper({ name, lr: 0.001 }, [1, 1.5]), b = nn.stepper({ name, lr: 0.001 }, [1, 1.5]);
      const { trace } = a.descend('beale', 20);
      for (let k = 0; k < 20; k++) b.step(nn.surface('beale', b.lookahead()).grad);
      assert.deepEqual([...b.params()], [trace[95], trace[96]], `${name}: step() and descend() agree`);
      a.free(); b.free();
      // a stepper fed a net's gradients moves the net's parameters to the same bits
      const opts = { inputs: 2, layers: [3], outputs: 1, output: 'sigmoid', optimizer: { name, decay: 0.1 }, seed: 4, maxBatch: 4 };
      const net = nn.createNet(opts), probe = nn.createNet(opts);
      const batch = { x: [1, -0.5, 0.2, 0.8, -0.6, 0.4, 0.5, 0.1], y: [1, 0, 0, 1] };
      const st = nn.stepper({ name, decay: 0.1 }, net.params());
      for (let k = 0; k < 5; k++) {
        net.trainBatch(batch);
        probe.params().set(st.lookahead());
        probe.lossGrad(batch);
        st.step(probe.grads());
      }
      assert.deepEqual([...st.params()], [...net.params()], `${name}: the net's bits`);
      [net, probe, st].forEach((o) => o.free());
    }
  });

  test(`${build}: divergence stops at the last finite point; the noisy surface replays`, () => {
    const st = nn.stepper({ name: 'sgd', lr: 10 }, [1, 1.5]);
    const r = st.descend('beale', 100);
    assert.equal(r.diverged, true);
    assert.ok(r.steps < 100);
    const last = [...st.params()];
    assert.ok(last.every(Number.isFinite));
    if (r.steps) assert.deepEqual(last, [r.trace[5 * r.steps - 5], r.trace[5 * r.steps - 4]]);
    assert.deepEqual(st.descend('beale', 5), { trace: new Float32Array(0), steps: 0, diverged: true }, 'it stays diverged');
    assert.throws(() => st.step([NaN, 0]), (e) => e.code === ERR_DIVERGED);
    assert.throws(() => st.step(new Float32Array([1e38, 0])), (e) => e.code === ERR_DIVERGED && /diverged/.test(e.message));
    assert.deepEqual([...st.params()], last, 'a refused step changes nothing');
    st.free();
    const n1 = nn.stepper('adam', [-2.5, 1.5]), n2 = nn.stepper('adam', [-2.5, 1.5]);
    const t1 = n1.descend('noisy', 30, { seed: 9 }).trace, t2 = n2.descend('noisy', 30, { seed: 9 }).trace;
    assert.deepEqual(t1, t2, 'a seed replays');
    n2.reset().setParams([-2.5, 1.5]);
    assert.notDeepEqual(n2.descend('noisy', 30, { seed: 10 }).trace, t1, 'another seed, another run');
    const g = nn.surface('noisy', [0, 0, 1, 1], { seed: 9, draw: 4 }).grad;
    assert.ok(Math.abs(g[2] - 1 - g[0]) < 1e-6 && Math.abs(g[3] - 10 - g[1]) < 1e-5, 'one noise per call');
    n1.free(); n2.free();
  });

  test(`${build}: bad arguments throw and change nothing`, () => {
    const st = nn.stepper({ name: 'momentum', lr: 0.01 }, [1, 2]);
    const bad = [
      [() => nn.stepper({ name: 'adam', lr: NaN }, [0, 0]), /lr must be a finite number > 0, got NaN/],
      [() => nn.stepper({ name: 'adam', lr: -1 }, [0, 0]), /lr must be/],
      [() => nn.stepper({ name: 'lbfgs' }, [0, 0]), /unknown optimizer "lbfgs"/],
      [() => nn.stepper('adam', []), /number of params must be/],
      [() => nn.stepper('adam', [0, NaN]), /params\[1\] must be a finite number/],
      [() => nn.stepper({ name: 'adam', biasCorrection: 1 }, [0, 0]), /biasCorrection must be true or false/],
      [() => st.setOptimizer({ name: 'momentum', momentum: 1 }), /momentum must be/],
      [() => st.setParams([1]), /setParams has 1 values, 2 expected/],
      [() => st.step([1]), /grad has 1 values, 2 expected/],
      [() => st.step([1, 'a']), /grad\[1\] must be a number/],
      [() => st.descend('himmelblau', 1), /unknown surface "himmelblau"/],
      [() => st.descend('beale', 65537), /steps must be an integer in \[0, 65536\]/],
      [() => st.descend('beale', 1, { seed: -1 }), /seed must be/],
      [() => nn.stepper('sgd', [1, 2, 3]).descend('beale', 1), /a surface has 2 parameters, this stepper 3/],
      [() => nn.surface('beale', [1, 2, 3]), /not pairs/],
      [() => nn.surface('beale', [1, 2], { draw: 2 ** 32 }), /draw must be/],
    ];
    for (const [fn, re] of bad) assert.throws(fn, re);
    assert.equal(st.optimizer.momentum, Math.fround(0.9), 'a refused optimiser changed nothing');
    assert.deepEqual([...st.params()], [1, 2]);
    assert.equal(st.steps, 0);
    st.free();
    assert.throws(() => st.descend('beale', 1), /stepper used after free/);
    assert.deepEqual(nn.surface('beale', []), { value: new Float32Array(0), grad: new Float32Array(0) });
  });

  test(`${build}: a thousand slices and steppers leave wasm memory as it was`, () => {
    const warm = nn.stepper('adam', [0, 0]);
    warm.descend('rosenbrock', 500);
    nn.surface('camel', new Float32Array(2 * 90000));
    const before = nn.m.HEAPU8.length;
    for (let i = 0; i < 1000; i++) {
      warm.descend('rosenbrock', 100);
      const s = nn.stepper('nesterov', [i / 1000, 1]);
      s.descend('quadratic', 10);
      s.free();
    }
    warm.free();
    assert.equal(nn.m.HEAPU8.length, before);
  });
}

test('SIMD and scalar builds take the same bits on every surface and optimiser', () => {
  const [[, simd], [, scalar]] = builds;
  for (const surface of ['quadratic', 'rosenbrock', 'beale', 'saddle', 'camel', 'noisy']) {
    for (const name of ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam']) {
      const opt = { name, lr: name === 'adagrad' ? 0.1 : 0.001 };
      const a = simd.stepper(opt, [0.5, -0.5]), b = scalar.stepper(opt, [0.5, -0.5]);
      const ra = a.descend(surface, 100, { seed: 3 }), rb = b.descend(surface, 100, { seed: 3 });
      assert.deepEqual(ra, rb, `${surface} ${name}`);
      a.free(); b.free();
    }
  }
});
