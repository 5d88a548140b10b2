// wasm_course.test.mjs: through the JS API, the worked example of COURSE.md
// section 4 to 1e-6, and central finite-difference gradient checks for every
// activation, loss, dropout, batch norm and the penalties, on both builds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builds, lcg } from './helpers.mjs';
import { course, flatParams } from './course-fixture.mjs';

const near = (got, want, tol, what) =>
  assert.ok(Math.abs(got - want) <= tol, `${what}: got ${got}, want ${want} (tol ${tol})`);

for (const [name, nn] of builds) {
  test(`${name}: COURSE.md worked example, every value to 1e-6`, () => {
    const tol = course.tolerance;
    const make = () => {
      const net = nn.createNet({ inputs: 2, layers: [{ units: 2, activation: 'sigmoid' }], outputs: 2,
        output: 'sigmoid', loss: 'se_half', optimizer: { name: 'sgd', lr: course.lr } });
      net.params().set(flatParams(course.start));
      return net;
    };
    const net = make();
    const x = new Float32Array(course.x), y = new Float32Array(course.t);
    const acts = net.activations(x);
    near(acts[1][0], course.hidden[0], tol, 'h1');
    near(acts[1][1], course.hidden[1], tol, 'h2');
    const o = net.predict(x);
    near(o[0], course.outputs[0], tol, 'o1');
    near(o[1], course.outputs[1], tol, 'o2');
    near(net.lossGrad({ x, y }), course.E, tol, 'E');
    const g = net.grads();
    flatParams(course.grad).forEach((w, i) => near(g[i], w, tol, `grad ${i}`));
    near(net.trainBatch(x, y), course.E, tol, 'loss of the step');
    const p = net.params();
    flatParams(course.after).forEach((w, i) => near(p[i], w, tol, `param ${i} after the step`));
    near(net.loss({ x, y }), course.E_after, tol, 'E after the step');
    const layers = net.layers();
    assert.equal(layers.length, 3);
    assert.equal(layers[2].type, 'dense');
    near(layers[2].b[0], course.after.b_out[0], tol, 'b_out[0] through layers()');
    near(layers[2].W[3], course.after.W_out[1][1], tol, 'W_out[1][1] through layers()');
    net.free();
  });

  // Central differences in double on loss + penalty, against lossGrad.
  const gradCheck = (what, options, batch, tune) => {
    test(`${name}: gradient check, ${what}`, () => {
      const net = nn.createNet({ maxBatch: 16, seed: 3, ...options });
      tune?.(net);
      const dropoutSeed = () => net.setSeed('dropout', 5);
      dropoutSeed();
      net.lossGrad(batch);
      const analytic = Float64Array.from(net.grads());
      const params = net.params();
      const h = 1e-3;
      let diff = 0, sum = 0, norm = 0;
      for (let i = 0; i < params.length; i++) {
        const keep = params[i];
        params[i] = keep + h;
        dropoutSeed();
        const up = net.loss(batch, { train: true }) + net.penalty();
        net.params()[i] = keep - h;
        dropoutSeed();
        const down = net.loss(batch, { train: true }) + net.penalty();
        net.params()[i] = keep;
        const numeric = (up - down) / (2 * h);
        diff += (analytic[i] - numeric) ** 2;
        sum += (analytic[i] + numeric) ** 2;
        norm += analytic[i] ** 2;
      }
      assert.ok(Math.sqrt(norm) > 1e-6, 'the gradient is not all zero');
      // float32 losses differenced at h = 1e-3: relative error below 2e-3 overall
      const rel = Math.sqrt(diff) / Math.sqrt(sum);
      assert.ok(rel < 2e-3, `relative error ${rel}`);
      net.free();
    });
  };
  const rnd = lcg(7);
  const x = Float32Array.from({ length: 8 * 3 }, () => rnd(-1, 1));
  const labels = Int32Array.from({ length: 8 }, (_, i) => i % 4);
  const y01 = Float32Array.from({ length: 8 * 2 }, (_, i) => (i % 3 ? 1 : 0));
  const ysoft = Float32Array.from({ length: 8 * 2 }, () => rnd(0, 1));
  // smooth activations everywhere; piecewise ones with inputs that avoid the kink
  for (const act of ['linear', 'sigmoid', 'tanh', 'elu', 'gelu', 'swish', 'selu', 'relu', 'leaky_relu', 'prelu']) {
    gradCheck(`hidden ${act}`, { inputs: 3, layers: [{ units: 5, activation: act }], outputs: 2, output: 'linear', loss: 'mse',
      activationParam: act === 'leaky_relu' ? 0.1 : undefined }, { x, y: ysoft });
  }
  gradCheck('PReLU slope per neuron', { inputs: 3, layers: [{ units: 5, activation: 'prelu', perNeuron: true }], outputs: 2,
    output: 'linear', loss: 'mse' }, { x, y: ysoft });
  for (const out of ['linear', 'sigmoid', 'tanh']) {
    gradCheck(`squared error (half) with ${out} output`, { inputs: 3, layers: [4], outputs: 2, output: out, loss: 'se_half' }, { x, y: ysoft });
  }
  gradCheck('BCE, hard targets', { inputs: 3, layers: [4], outputs: 2, output: 'sigmoid', loss: 'bce' }, { x, y: y01 });
  gradCheck('BCE, soft targets', { inputs: 3, layers: [4], outputs: 2, output: 'sigmoid', loss: 'bce' }, { x, y: ysoft });
  gradCheck('softmax cross-entropy', { inputs: 3, layers: [6], outputs: 4, output: 'softmax' }, { x, labels });
  gradCheck('dropout', { inputs: 3, layers: [{ units: 6, dropout: 0.3 }], outputs: 4, output: 'softmax' }, { x, labels });
  gradCheck('batch norm', { inputs: 3, layers: [{ units: 6, batchNorm: true }], outputs: 4, output: 'softmax' }, { x, labels },
    (net) => { const l = net.layers()[1]; l.W.set([1.5, 0.5, 2, 0.8, 1.2, 0.7]); l.b.set([0.1, -0.2, 0.3, 0, 0.2, -0.1]); });
  gradCheck('L1 and L2 penalties', { inputs: 3, layers: [5], outputs: 2, output: 'linear', loss: 'mse', l1: 0.01, l2: 0.05 }, { x, y: ysoft });
}
