// browser_views.test.mjs: the Backprop and MNIST views in headless Chromium
// (issue 10, parts 7–10): the worked example's values as float32 carries
// them, every neuron's z and δ, the step as before/after and E after it with
// the biases updated or frozen; the MNIST status's train loss before any
// step, training on after the set epochs, the comparison's table, the
// download's progress, and French numbers in both views. Needs `make page`.
// Every wait has a timeout, but no assertion depends on how fast things run.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { ROOT, session } from './browser_setup.mjs';
import { course, flatParams } from './course-fixture.mjs';

const NNBSP = '\u202f';
const { open } = session();

/** The cells of the row of table `id` whose header is `name`. */
const rowOf = (page, id, name) => page.locator(`#${id} tr`).filter({ has: page.locator('th', { hasText: name }) }).first().locator('td').allInnerTexts();

/** The MNIST view shown and its first evaluation done. */
async function mnistReady(page) {
  await page.locator('#view-mnist[data-ready="1"]').waitFor({ timeout: 20000 });
  await page.waitForFunction(() => /\d\s?%/.test(document.getElementById('m-status').textContent), null, { timeout: 20000 });
}

/** Epoch, epochs, train loss, test loss of the English MNIST status. */
function mnistStatus(text) {
  const m = /^Epoch (\d+)\/(\d+) · Train loss (\d+\.\d{4}) · Test loss (\d+\.\d{4}) · Accuracy test (\d+\.\d\d)%/.exec(text);
  assert.ok(m, `MNIST status: ${text}`);
  return { epoch: +m[1], epochs: +m[2], trainLoss: +m[3], testLoss: +m[4], testAcc: +m[5] };
}

const near = (shown, v, what) => assert.ok(Math.abs(Number(shown) - v) <= course.tolerance, `${what}: ${shown} shown, ${v} expected`);

describe('the Backprop and MNIST views in Chromium', { timeout: 240000 }, () => {
  test('Backprop: values as float32 carries them, z and δ of every neuron, biases drawn', async () => {
    const p = await open('#view=backprop');
    const { page } = p;
    await page.locator('#view-backprop[data-ready="1"]').waitFor();
    const shown = (await Promise.all(['#ex-table', '#ex-neurons', '#ex-forward', '#ex-after'].map((s) => page.locator(s).innerText()))).join('\n')
      + await page.locator('#ex-diagram').textContent();
    assert.doesNotMatch(shown, /0\.150000006|0\.349999994|0\.600000024/, 'no float32 noise');
    // before | gradient | after of every parameter
    const w11 = await rowOf(page, 'ex-table', 'W_hid[1,1]');
    assert.equal(w11[0], '0.15', 'W_hid[1,1] reads 0.15');
    near(w11[1], course.grad.W_hid[0][0], 'its gradient');
    near(w11[2], course.after.W_hid[0][0], 'its value after the step');
    assert.deepEqual((await rowOf(page, 'ex-table', 'b_out[2]'))[0], '0.6');
    // every neuron: net input z, output, δ = ∂E/∂z (= ∂E/∂b for one example)
    for (const [name, k, layer, h] of [['h₁', 0, 'b_hid', course.hidden], ['h₂', 1, 'b_hid', course.hidden],
      ['o₁', 0, 'b_out', course.outputs], ['o₂', 1, 'b_out', course.outputs]]) {
      const [z, out, delta] = await rowOf(page, 'ex-neurons', name);
      assert.ok(Number.isFinite(Number(z)), `${name}: z shown (${z})`);
      near(out, h[k], `${name}: output`);
      near(delta, course.grad[layer][k], `${name}: δ`);
    }
    assert.equal((await rowOf(page, 'ex-neurons', 'h₁'))[0], '0.3775', 'z of h₁ = 0.05 · 0.15 + 0.1 · 0.2 + 0.35');
    // the diagram: z and δ under every neuron, one dashed bias link per neuron
    const svgText = await page.locator('#ex-diagram').textContent();
    assert.match(svgText, /z 0\.3775/);
    assert.match(svgText, /δ 0\.13849856/);
    assert.equal(await page.locator('#ex-diagram line[stroke-dasharray]').count(), 4, 'four biases drawn');
    assert.equal(await page.locator('#ex-diagram line[stroke-dasharray] title', { hasText: 'b h₁ = 0.35' }).count(), 1);
    await p.close();
  });

  test('Backprop: E after the step, with biases updated (0.280471447) and frozen (0.291027774)', async () => {
    const p = await open('#view=backprop');
    const { page } = p;
    await page.locator('#view-backprop[data-ready="1"]').waitFor();
    const figures = async () => (await page.locator('#ex-after li strong').allInnerTexts());
    let [updated, frozen] = await figures();
    near(updated, course.E_after, 'E after, biases updated');
    near(frozen, course.E_after_frozen_biases, 'E after, biases frozen');
    assert.ok(Math.abs(Number(frozen) - Number(updated)) > 0.01, 'the two figures differ');
    // the course's own figures, quoted as it prints them, and how freezing is done
    const quote = await page.locator('#ex-course-e').innerText();
    assert.ok(quote.includes(course.E_after.toFixed(9)) && quote.includes(course.E_after_frozen_biases.toFixed(9)), quote);
    assert.match(await page.locator('#ex-after').innerText(), /writes the biases back from a copy/);

    // freeze, step: the biases stay, the weights move as the course's, E is the frozen figure
    await page.locator('#ex-freeze').check();
    assert.match((await rowOf(page, 'ex-table', 'b_hid[1]'))[2], /^0\.35 \(frozen\)$/);
    await page.locator('#ex-step').click();
    assert.match(await page.locator('#ex-status').innerText(), /Steps: 1/);
    near((await page.locator('#ex-status').innerText()).match(/E = ([\d.]+)/)[1], course.E_after_frozen_biases, 'E after a frozen step');
    for (const [name, v] of [['b_hid[1]', '0.35'], ['b_hid[2]', '0.35'], ['b_out[1]', '0.6'], ['b_out[2]', '0.6']]) {
      assert.equal((await rowOf(page, 'ex-table', name))[0], v, `${name} frozen`);
    }
    near((await rowOf(page, 'ex-table', 'W_out[1,1]'))[0], course.after.W_out[0][0], 'W_out[1,1] after a frozen step');
    // unfreeze, start again, step: every parameter as the course's
    await page.locator('#ex-freeze').uncheck();
    await page.locator('#ex-reset').click();
    [updated] = await figures();
    near(updated, course.E_after, 'E after, biases updated, again');
    await page.locator('#ex-step').click();
    near((await page.locator('#ex-status').innerText()).match(/E = ([\d.]+)/)[1], course.E_after, 'E after the step');
    const before = await page.locator('#ex-table tbody tr td:first-of-type').allInnerTexts();
    flatParams(course.after).forEach((v, i) => near(before[i], v, `parameter ${i} after the step`));
    await p.close();
  });

  test('Backprop in French: decimal commas, narrow spaces, semicolons between values', async () => {
    const p = await open('#lang=fr&view=backprop');
    const { page } = p;
    await page.locator('#view-backprop[data-ready="1"]').waitFor();
    assert.equal((await rowOf(page, 'ex-table', 'W_hid[1,1]'))[0], '0,15');
    assert.match(await page.locator('#ex-status').innerText(), new RegExp(`^Itérations${NNBSP}: 0 · E = 0,2983711$`));
    assert.match(await page.locator('#ex-forward tbody td').first().innerText(), new RegExp(`^\\(0,05${NNBSP}; 0,1\\)$`));
    assert.match(await page.locator('#ex-course-e').innerText(), /0,280471447.*0,291027774/s);
    assert.equal(await page.locator('#ex-step').innerText(), 'Une itération de SGD');
    assert.match(await page.locator('#ex-diagram').getAttribute('aria-label'), /^Le réseau/);
    await p.close();
  });

  test('MNIST: "Train loss" before any step is the training digits\' loss, not the test loss', async () => {
    const p = await open('#view=mnist');
    const { page } = p;
    await mnistReady(page);
    const s = mnistStatus(await page.locator('#m-status').innerText());
    assert.notEqual(s.trainLoss, s.testLoss, 'train and test loss differ before any step');
    // the same net in Node, on the first 1,000 training and test digits
    const { load } = await import('../build/wasm/nnplay.mjs');
    const { loadMnist, nodeReader, PIXELS, SCALE } = await import('../web/js/mnist.js');
    const { netOptions } = await import('../web/js/mnist/model.js');
    const { defaults } = await import('../web/js/state.js');
    const nn = await load();
    const mnist = await loadMnist(await nodeReader(new URL('../web/data/mnist/', import.meta.url)));
    const net = nn.createNet(netOptions(defaults().mnist));
    const first = (set) => nn.data({ x8: set.images.subarray(0, 1000 * PIXELS), scale: SCALE, labels: Int32Array.from(set.labels.subarray(0, 1000)), dims: PIXELS });
    const train = net.evaluate(first(mnist.train)).loss, testLoss = net.evaluate(first(mnist.test)).loss;
    assert.ok(Math.abs(s.trainLoss - train) < 1e-4, `train loss ${s.trainLoss} shown, ${train} on 1,000 training digits`);
    assert.ok(Math.abs(s.testLoss - testLoss) < 1e-4, `test loss ${s.testLoss} shown, ${testLoss} on 1,000 test digits`);
    await p.close();
  });

  test('MNIST: Train after the set epochs trains on, and says so', async () => {
    const p = await open('#view=mnist&mHidden=16&mEpochs=1&mBatch=128');
    const { page } = p;
    await mnistReady(page);
    const play = page.locator('#m-play');
    assert.equal(await play.innerText(), '▶ Train');
    await play.click();
    await page.waitForFunction(() => /Train on/.test(document.getElementById('m-play').textContent), null, { timeout: 60000 });
    assert.equal(await play.innerText(), '▶ Train on (+1 epoch)');
    assert.equal(await play.getAttribute('aria-pressed'), 'false');
    assert.match(await page.locator('#m-done').innerText(), /^Trained for 1 epochs\. Train on goes on .* for 1 more/);
    const done = mnistStatus(await page.locator('#m-status').innerText());
    assert.deepEqual([done.epoch, done.epochs], [1, 1], 'one epoch');
    await play.click();
    assert.equal(await play.getAttribute('aria-pressed'), 'true', 'training again');
    assert.equal(await page.locator('#m-done').innerText(), '', 'the note goes while training');
    await page.waitForFunction(() => /Train on/.test(document.getElementById('m-play').textContent), null, { timeout: 60000 });
    const again = mnistStatus(await page.locator('#m-status').innerText());
    assert.deepEqual([again.epoch, again.epochs], [2, 2], `a second epoch: ${JSON.stringify(again)}`);
    assert.match(await page.locator('#m-done').innerText(), /^Trained for 2 epochs/);
    await p.close();
  });

  test('MNIST: the comparison tables every run: status, losses, accuracies, samples/s', async () => {
    const p = await open('#view=mnist&mHidden=16&mCompare=sgd,adam');
    const { page } = p;
    await mnistReady(page);
    assert.ok(await page.locator('#m-runs').isHidden(), 'no table for one net');
    await page.locator('#m-compare').click();
    const table = page.locator('#m-runs');
    await table.waitFor({ state: 'visible' });
    assert.deepEqual(await table.locator('thead th').allInnerTexts(), ['SGD', 'Adam']);
    assert.deepEqual(await table.locator('tbody th').allInnerTexts(),
      ['status', 'Epoch', 'Train loss', 'Test loss', 'Train accuracy', 'Test accuracy', 'samples/s']);
    // training: each run's samples/s becomes a number
    await page.waitForFunction(() => [...document.querySelectorAll('#m-runs tbody tr:last-child td')]
      .every((td) => /^\d[\d,]*$/.test(td.textContent) && td.textContent !== '0'), null, { timeout: 20000 });
    assert.deepEqual(await rowOf(page, 'm-runs', 'status'), ['training', 'training']);
    for (const name of ['Train loss', 'Test loss']) {
      for (const v of await rowOf(page, 'm-runs', name)) assert.match(v, /^\d+\.\d{4}$/, name);
    }
    for (const v of await rowOf(page, 'm-runs', 'Test accuracy')) assert.match(v, /^\d+\.\d\d%$/);
    await page.locator('#m-play').click();
    await page.waitForFunction(() => [...document.querySelectorAll('#m-runs tbody tr:first-child td')].every((td) => /paused|evaluating/.test(td.textContent)),
      null, { timeout: 20000 });
    assert.deepEqual(await rowOf(page, 'm-runs', 'samples/s'), ['—', '—'], 'no speed while paused');
    await p.close();
  });

  test('MNIST: the download shows bytes read of the total', async () => {
    const texts = [];
    const p = await open('#view=mnist', {
      before: async (context, page) => {
        // a slow link (4 MiB/s), so that the download takes a few seconds
        const cdp = await context.newCDPSession(page);
        await cdp.send('Network.enable');
        await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 5, downloadThroughput: 4 * 2 ** 20, uploadThroughput: -1 });
        await page.exposeFunction('statusSeen', (s) => texts.push(s));
        await page.addInitScript(() => {
          let last = '';
          new MutationObserver(() => {
            const s = document.getElementById('m-status')?.textContent ?? '';
            if (s !== last) { last = s; window.statusSeen(s); }
          }).observe(document, { subtree: true, childList: true, characterData: true });
        });
      },
    });
    const { page } = p;
    await mnistReady(page);
    const files = ['train-images.gz', 'train-labels.gz', 'test-images.gz', 'test-labels.gz'];
    const total = files.reduce((a, f) => a + statSync(`${ROOT}web/data/mnist/${f}`).size, 0);
    const progress = texts.map((s) => /^Downloading the MNIST digits: ([\d.]+) of ([\d.]+) MB \((\d+)%\)…$/.exec(s)).filter(Boolean);
    assert.ok(progress.length >= 3, `progress shown while loading: ${texts.slice(0, 6).join(' | ')}`);
    for (const m of progress) assert.equal(m[2], (total / 1e6).toFixed(1), 'the total is the four files\' size');
    const loaded = progress.map((m) => Number(m[1]));
    assert.deepEqual(loaded, loaded.slice().sort((a, b) => a - b), 'bytes read only grow');
    assert.ok(loaded[0] < loaded[loaded.length - 1], `the count moves: ${loaded.join(', ')}`);
    assert.ok(loaded.some((v) => v < total / 1e6 / 2), 'seen before half of it');
    await p.close();
  });

  test('MNIST in French: status, samples/s, option names and labels', async () => {
    const p = await open('#lang=fr&view=mnist&mHidden=16');
    const { page } = p;
    await mnistReady(page);
    const sp = NNBSP;
    assert.match(await page.locator('#m-status').innerText(), new RegExp(`^Époque 1/2 · Perte \\(apprentissage\\) \\d,\\d{4} · Perte \\(test\\) \\d,\\d{4} · `
      + `Exactitude test \\d+,\\d\\d${sp}% \\(sur 1${sp}000 chiffres de test${sp}; les 10${sp}000 à chaque fin d’époque\\)$`));
    assert.equal(await page.locator('#ctl-mActivation option:checked').innerText(), 'sigmoïde');
    assert.equal(await page.locator('#ctl-mInit option:checked').innerText(), 'Xavier uniforme');
    assert.equal(await page.locator('#m-weights').getAttribute('aria-label'), 'Poids de la première couche');
    assert.equal(await page.locator('#m-progress').getAttribute('aria-label'), 'Progression dans l’époque');
    await page.locator('#m-play').click();
    await page.waitForFunction(() => /^\d{1,3}(\u202f\d{3})+ exemples\/s$/.test(document.querySelector('#view-mnist .speed').textContent), null, { timeout: 20000 });
    await page.locator('#m-play').click();
    assert.match(await page.locator('#view-mnist .legend-text').innerText(), /^−0,\d{3} … 0 … \+0,\d{3}$/);
    await p.close();
  });
});
