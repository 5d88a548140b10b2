// browser_convolution.test.mjs: issue 11's modules in headless Chromium: the
// convolution explainer (the slide's 42, and 56 with the kernel flipped; the
// sum shown for a clicked output pixel against the engine's own output for
// the same digit, computed here apart from the explainer; a typed kernel with
// a bad value refused with a message; pooling and the input that won), the
// race of an MLP against a CNN (both nets train, the charts draw), the
// shift control (the digit moves, the prediction is read again), and the
// French texts. Needs `make page`. Every wait has a timeout; no assertion
// depends on how fast things run.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { session } from './browser_setup.mjs';

const { open } = session();

const cv = (page, role) => page.locator(`#view-convolution [data-cv="${role}"]`);
/** A number as the English page writes it (1,016 or -0.5). */
const num = (text) => Number(String(text).replace(/,/g, '').replace('−', '-'));

/** Clicks cell (r, c) of a canvas drawing `side` x `side` cells. */
async function clickCell(locator, side, r, c) {
  const b = await locator.boundingBox();
  await locator.page().mouse.click(b.x + ((c + 0.5) * b.width) / side, b.y + ((r + 0.5) * b.height) / side);
}

/** The hash's value of `key`, or null. */
const hashValue = (page, key) => page.evaluate((k) => new URLSearchParams(location.hash.slice(1)).get(k), key);

describe('issue 11 in Chromium: the convolution explainer, the race, the shift', { timeout: 240000 }, () => {
  test("the slide's example: 42 by cross-correlation, 56 with the kernel flipped, the filled cells said", async () => {
    const p = await open('#view=convolution');
    const { page } = p;
    await page.locator('#view-convolution[data-ready="1"]').waitFor();
    await cv(page, 'slide').click();
    await page.waitForFunction(() => /vKernel=slide/.test(location.hash));
    assert.equal(await cv(page, 'sum').textContent(), '42');
    assert.match(await cv(page, 'correlation').textContent(), /: 42\. .*deep-learning libraries/);
    assert.match(await cv(page, 'convolution').textContent(), /: 56\.$/);
    assert.match(await cv(page, 'engine').textContent(), /: 42$/);
    assert.deepEqual(await cv(page, 'patch').locator('td').allTextContents(), ['40', '42', '46', '46', '50', '55', '52', '56', '58']);
    assert.deepEqual(await cv(page, 'products').locator('td').allTextContents(), ['0', '42', '0', '0', '0', '0', '0', '0', '0']);
    const note = await cv(page, 'slide-note');
    assert.ok(await note.isVisible(), 'the slide note shows');
    assert.match(await note.textContent(), /unreadable on the slide: 38 and 39/);
    assert.match(await cv(page, 'formula').textContent(), /⌊\(5 \+ 2·0 − 3\) \/ 1⌋ \+ 1 = 3$/);
    // the true convolution: the kernel flipped, 56 at the centre
    await page.locator('#view-convolution input[type=checkbox]').check();
    await page.waitForFunction(() => /vFlip=1/.test(location.hash));
    assert.equal(await cv(page, 'sum').textContent(), '56');
    assert.deepEqual(await cv(page, 'kernel-used').locator('td').allTextContents(), ['0', '0', '0', '0', '0', '0', '0', '1', '0']);
    // a link reproduces it
    const again = await open(`#${await page.evaluate(() => location.hash.slice(1))}`);
    await again.page.locator('#view-convolution[data-ready="1"]').waitFor();
    assert.equal(await cv(again.page, 'sum').textContent(), '56');
    await again.close();
    await p.close();
  });

  test("a clicked output pixel: the sum shown equals the engine's output for that digit (to 1e-5)", async () => {
    const p = await open('#view=convolution&vDigit=3&vKernel=gauss&vPad=1&vStride=2');
    const { page } = p;
    await page.locator('#view-convolution[data-digits="1"]').waitFor({ timeout: 20000 });
    const output = cv(page, 'output');
    assert.match(await cv(page, 'formula').textContent(), /⌊\(28 \+ 2·1 − 3\) \/ 2⌋ \+ 1 = 14$/);
    for (const [r, c] of [[6, 5], [3, 8], [0, 0]]) {
      await clickCell(output, 14, r, c);
      await page.waitForFunction((at) => new URLSearchParams(location.hash.slice(1)).get('vPixel') === at, `${r},${c}`);
      const shown = num(await cv(page, 'sum').textContent());
      // the engine's output for the same test digit, pixel and kernel, computed here apart from the explainer
      const engine = await page.evaluate(async ([row, col]) => {
        const { load } = await import('/lib/nnplay.mjs');
        const { loadMnist } = await import('/js/mnist.js');
        const { fetchReader } = await import('/js/mnist/reader.js');
        const nn = await load({ baseUrl: new URL('/lib/', location.href) });
        const { test: d } = await loadMnist(fetchReader(new URL('/data/mnist/', location.href)), { sets: ['test'] });
        const net = nn.createNet({ shape: [1, 28, 28], layers: [{ conv: 1, kernel: 3, pad: 1, stride: 2 }], outputs: 1, output: 'linear', maxBatch: 1 });
        const conv = net.layers()[0];
        conv.W.set([1, 2, 1, 2, 4, 2, 1, 2, 1].map((v) => v / 16));
        conv.b.fill(0);
        const map = net.activations(Float32Array.from(d.images.subarray(3 * 784, 4 * 784)))[0];
        const v = map[row * 14 + col];
        net.free();
        return v;
      }, [r, c]);
      assert.ok(Math.abs(shown - engine) <= 1e-5, `pixel (${r}, ${c}): shown ${shown}, engine ${engine}`);
      if (r === 6) assert.ok(engine > 0 && !Number.isInteger(engine), `a pixel on the stroke with a fractional sum: ${engine}`);
      assert.equal(num((await cv(page, 'engine').textContent()).split(': ').pop()), shown, 'the explainer says the engine agrees');
    }
    // the corner's patch lies in the padding: its zeros are marked
    assert.equal(await cv(page, 'patch').locator('td.pad').count(), 5);
    // the keyboard moves the pixel too
    await output.focus();
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction(() => new URLSearchParams(location.hash.slice(1)).get('vPixel') === '1,0');
    await p.close();
  });

  test('a typed kernel: a bad value is refused with a message, a good one is used', async () => {
    const p = await open('#view=convolution&vInput=slide&vKernel=identity&vPad=0');
    const { page } = p;
    await page.locator('#view-convolution[data-ready="1"]').waitFor();
    assert.equal(await cv(page, 'sum').textContent(), '50');
    const typed = cv(page, 'typed');
    await typed.fill('1 2 3 4 x 6 7 8 9');
    await cv(page, 'use').click();
    assert.match(await cv(page, 'kernel-message').textContent(), /“x” \(number 5\) is not a finite number\. The kernel in use is unchanged\./);
    await typed.fill('1 2 3 4 5 6 7 8');
    await typed.press('Enter');
    assert.match(await cv(page, 'kernel-message').textContent(), /A kernel is 9 numbers, 3 rows of 3: 8 given/);
    assert.equal(await hashValue(page, 'vKernel'), 'identity', 'nothing changed');
    assert.equal(await cv(page, 'sum').textContent(), '50');
    await typed.fill('0 0 0 0 0 0 0 1/2 1/2');
    await cv(page, 'use').click();
    await page.waitForFunction(() => /vKernel=custom/.test(location.hash));
    assert.equal(await hashValue(page, 'vWeights'), '0,0,0,0,0,0,0,0.5,0.5');
    assert.equal(await cv(page, 'kernel-message').textContent(), '');
    assert.equal(await cv(page, 'sum').textContent(), '57', '(56 + 58) / 2 under the centre');
    await p.close();
  });

  test('pooling: the window of a pooled cell and the input that won, or the mean', async () => {
    const p = await open('#view=convolution&vInput=slide&vKernel=slide&vPad=0&vPoolStride=1');
    const { page } = p;
    await page.locator('#view-convolution[data-ready="1"]').waitFor();
    assert.match(await cv(page, 'pool-formula').textContent(), /⌊\(3 − 2\) \/ 1⌋ \+ 1 = 2$/);
    const pooled = cv(page, 'pooled');
    await clickCell(pooled, 2, 1, 1);
    await page.waitForFunction(() => /55/.test(document.querySelector('#view-convolution [data-cv="winner"]').textContent));
    assert.match(await cv(page, 'pool-info').textContent(), /values 42, 46, 50, 55\. Maximum 55: the input that won is output pixel row 3, column 3\./);
    await clickCell(pooled, 2, 0, 0);
    await page.waitForFunction(() => /Maximum 42: .* row 2, column 2/.test(document.querySelector('#view-convolution [data-cv="winner"]').textContent));
    await page.locator('#view-convolution select').filter({ has: page.locator('option[value=avg]') }).selectOption('avg');
    await page.waitForFunction(() => /vPool=avg/.test(location.hash));
    assert.match(await cv(page, 'winner').textContent(), /^Average 40\.75: every input of the window counts/);
    // a window larger than the map: said, nothing pooled
    await page.locator('#view-convolution select').filter({ has: page.locator('option[value="4"]') }).first().selectOption('4');
    await page.waitForFunction(() => /larger than the 3 × 3 map/.test(document.querySelector('#view-convolution [data-cv="pool-formula"]').textContent));
    assert.equal(await pooled.isVisible(), false);
    await p.close();
  });

  test('the race trains both nets and draws; the shift moves the digit and the MLP reads it again', async () => {
    const p = await open('#view=mnist');
    const { page } = p;
    await page.locator('#view-mnist[data-ready="1"]').waitFor({ timeout: 30000 });
    const cell = (measure, net) => page.locator(`#m-race tr[data-measure="${measure}"] td[data-net="${net}"]`).textContent();
    assert.equal(await cell('raceParams', 'mlp'), '104,690');
    assert.equal(await cell('raceParams', 'cnn'), '5,994');
    await page.locator('[data-race="toggle"]').click();
    await page.waitForFunction(() => Number(document.querySelector('#m-race [data-race="by-samples"]').dataset.points) >= 3, null, { timeout: 90000 });
    await page.locator('[data-race="toggle"]').click();
    const seen = { mlp: num(await cell('raceSamples', 'mlp')), cnn: num(await cell('raceSamples', 'cnn')) };
    assert.ok(seen.mlp >= 2000 && seen.cnn >= 2000, `both trained: ${JSON.stringify(seen)}`);
    assert.ok(Math.abs(seen.mlp - seen.cnn) <= 1000, `in lockstep: ${JSON.stringify(seen)}`);
    for (const net of ['mlp', 'cnn']) assert.match(await cell('raceAccuracy', net), /^\d+\.\d%$/);
    assert.ok(num(await cell('raceSpeed', 'mlp')) > num(await cell('raceSpeed', 'cnn')), 'the MLP is faster per sample');
    // both charts drew: many colours, and the curves' dark and orange
    for (const which of ['by-samples', 'by-time']) {
      const inked = await page.evaluate((w) => {
        const c = document.querySelector(`#m-race [data-race="${w}"]`);
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let dark = 0, orange = 0;
        for (let i = 0; i < d.length; i += 4) {
          if (d[i + 3] > 200 && d[i] < 80 && d[i + 1] < 80 && d[i + 2] < 80) dark++;
          if (d[i + 3] > 200 && d[i] > 190 && d[i + 1] > 60 && d[i + 1] < 120 && d[i + 2] < 40) orange++;
        }
        return { dark, orange };
      }, which);
      assert.ok(inked.dark > 50 && inked.orange > 20, `${which} drew both curves: ${JSON.stringify(inked)}`);
    }
    // train the MLP a little, so that its prediction means something
    await page.locator('#m-play').click();
    await page.waitForFunction(() => /Epoch 1\/2 .*Accuracy test (?:[3-9]\d|100)\./.test(document.getElementById('m-status').textContent), null, { timeout: 60000 });
    await page.locator('#m-play').click();
    // draw a 1: a vertical stroke
    const pad = page.locator('#view-mnist canvas.drawpad');
    await pad.scrollIntoViewIfNeeded();
    const b = await pad.boundingBox();
    await page.mouse.move(b.x + b.width * 0.5, b.y + b.height * 0.2);
    await page.mouse.down();
    await page.mouse.move(b.x + b.width * 0.52, b.y + b.height * 0.5, { steps: 5 });
    await page.mouse.move(b.x + b.width * 0.54, b.y + b.height * 0.8, { steps: 5 });
    await page.mouse.up();
    const thumb = () => page.evaluate(() => {
      const c = document.querySelector('#view-mnist .shift-preview');
      return Array.from(c.getContext('2d').getImageData(0, 0, 28, 28).data.filter((_, i) => i % 4 === 0));
    });
    const probs = () => page.locator('#view-mnist .probs').innerText();
    const before = await thumb(), probsBefore = await probs();
    assert.ok(before.some((v) => v < 128), 'the thumbnail shows the digit');
    assert.match(await page.locator('#m-race-line').textContent(), /^The race’s nets on this digit: MLP \d \(\d+%\) · CNN \d \(\d+%\)$/);
    for (let k = 0; k < 4; k++) await page.locator('[data-shift="shiftRight"]').click();
    await page.locator('[data-shift="shiftUp"]').click();
    assert.equal(await page.locator('#view-mnist .shift').getAttribute('data-dx'), '4');
    assert.equal(await page.locator('#view-mnist .shift').getAttribute('data-dy'), '-1');
    assert.match(await page.locator('#view-mnist .shift-readout').textContent(), /x \+4 px, y −1 px/);
    const moved = await thumb();
    for (let r = 0; r < 27; r++) {
      for (let c = 4; c < 28; c++) assert.equal(moved[r * 28 + c], before[(r + 1) * 28 + c - 4], `the digit moved 4 right and 1 up at (${r}, ${c})`);
    }
    assert.notEqual(await probs(), probsBefore, 'the prediction is read again');
    await page.locator('[data-shift="reset"]').click();
    assert.deepEqual(await thumb(), before, 'back at 0: the same digit');
    assert.equal(await probs(), probsBefore, 'and the same prediction');
    await p.close();
  });

  test('French: the explainer, the race and the shift in French', async () => {
    const p = await open('#view=convolution&lang=fr&vInput=slide&vKernel=gauss&vPad=0');
    const { page } = p;
    await page.locator('#view-convolution[data-ready="1"]').waitFor();
    assert.equal(await page.locator('#tab-convolution').textContent(), 'Convolution');
    const options = await page.locator('#view-convolution select option').allTextContents();
    for (const o of ['Repoussage', 'Flou gaussien', 'Bords horizontaux (Sobel)', 'Le morceau 5 × 5 de la diapositive du cours']) assert.ok(options.includes(o), o);
    assert.match(await cv(page, 'formula').textContent(), /^Côté de la sortie\u202f: /);
    assert.match(await cv(page, 'slide-note').textContent(), /illisibles sur la diapositive/);
    assert.ok((await cv(page, 'kernel').locator('td').allTextContents()).includes('0,0625'), 'a decimal comma in the kernel');
    assert.match(await cv(page, 'correlation').textContent(), /^Corrélation croisée/);
    await cv(page, 'typed').fill('1 2');
    await cv(page, 'use').click();
    assert.match(await cv(page, 'kernel-message').textContent(), /^Un noyau compte 9 nombres/);
    await page.locator('#tab-mnist').click();
    await page.locator('#view-mnist[data-ready="1"]').waitFor({ timeout: 30000 });
    assert.equal(await page.locator('.m-race h2').textContent(), 'MLP contre CNN');
    assert.match(await page.locator('[data-race="toggle"]').textContent(), /Lancer la course/);
    assert.equal(await page.locator('#m-race tr[data-measure="raceParams"] td[data-net="mlp"]').textContent(), '104\u202f690');
    assert.equal(await page.locator('.shift-title').textContent(), 'Décaler le chiffre');
    assert.match(await page.locator('.shift-readout').textContent(), /^Décalage\u202f: x 0 px, y 0 px$/);
    await p.close();
  });
});
