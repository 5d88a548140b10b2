// browser_cnn.test.mjs: the CNN view (issue 11) in headless Chromium. The
// ConvNetJS demo trains one epoch and its test accuracy rises (samples/s,
// frames/s and the accuracy are RECORDED in build/cnn-numbers.json for
// README and BENCHMARKS.md, never asserted as timings); the feature maps
// change with the digit; the arithmetic shown for a cell equals the engine's
// own output (the net saved from the page, loaded in Node) to 1e-5, with the
// patch and kernel shown being the engine's numbers; presets and impossible
// layers; the URL round trip and a malformed link; the MLP | CNN switch with
// its shared settings; a CNN saved by nnplay-train loads, a bad file is
// refused; divergence; the confusion matrix's cells; French. The offline
// page, the heaviest net, and the screenshots: browser_cnn_layout.test.mjs.
// Needs `make page`.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, session } from './browser_setup.mjs';

const { open } = session();
const NUMBERS = `${ROOT}build/cnn-numbers.json`;

/** Epoch, epochs, losses and test accuracy (%) of the English status, and whether it is over the whole test set. */
function status(text) {
  const m = /^Epoch (\d+)\/(\d+) · Train loss (\d+\.\d{4}) · Test loss (\d+\.\d{4}) · Accuracy test (\d+\.\d\d)%/.exec(text);
  assert.ok(m, `CNN status: ${text}`);
  return { epoch: +m[1], epochs: +m[2], trainLoss: +m[3], testLoss: +m[4], testAcc: +m[5], full: !/on 1,000 test digits/.test(text) };
}

/** The CNN view of `hash`, ready, its first evaluation done. */
async function cnn(hash = '#view=cnn', options = {}) {
  const p = await open(hash, options);
  await p.page.locator('#view-cnn[data-ready="1"]').waitFor({ timeout: 30000 });
  await p.page.waitForFunction(() => /\d\s?%/.test(document.getElementById('c-status').textContent), null, { timeout: 30000 });
  return p;
}

const text = (page, sel) => page.locator(sel).textContent();
const arith = (page) => page.evaluate(() => ({ ...document.getElementById('c-arith').dataset }));

/** Trains for `ms`, then pauses (and lets a pending evaluation end). */
async function trainFor(page, ms) {
  await page.click('#c-play');
  await page.waitForTimeout(ms);
  await page.click('#c-play');
  await page.waitForTimeout(300);
}

/** Node's engine and digits, and the net saved from the page ('Save the net'). */
async function savedNet(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#c-save')]);
  const bytes = readFileSync(await download.path());
  const { load } = await import('../build/wasm/nnplay.mjs');
  const { loadMnist, nodeReader } = await import('../web/js/mnist.js');
  const { describeNet, digitOf } = await import('../web/js/cnn/model.js');
  const nn = await load();
  const mnist = await loadMnist(await nodeReader(`${ROOT}web/data/mnist`));
  const net = nn.loadNet(new Uint8Array(bytes));
  return { net, layers: describeNet(net), digit: (i) => digitOf(mnist.test, i) };
}

describe('the CNN view in Chromium', { timeout: 900000 }, () => {
  test('the ConvNetJS demo trains one epoch: the test accuracy rises (samples/s, frames/s and accuracy recorded)', async (t) => {
    const p = await cnn();
    const { page } = p;
    const before = status(await text(page, '#c-status'));
    assert.equal(await page.inputValue('#cnn-arch'), 'c8k5p2-relu-mp2-c16k5p2-relu-mp3', 'the ConvNetJS demo by default');
    assert.equal(await page.inputValue('#c-ctl-mOptimizer'), 'adam', 'the CNN\'s training defaults');
    assert.equal(await page.inputValue('#c-ctl-mBatch'), '20');
    // the mount point of the explainer, race and shift modules (cnn/extensions.js): there, hidden while none is listed
    assert.equal(await page.locator('#view-cnn section#cnn-explainer').count(), 1);
    assert.equal(await page.locator('#cnn-explainer').isHidden(), true);
    // frames and the samples/s the view shows, every second while it trains
    await page.evaluate(() => {
      window.cnnProbe = { frames: 0, rates: [] };
      const f = () => { window.cnnProbe.frames++; requestAnimationFrame(f); };
      requestAnimationFrame(f);
      window.cnnProbe.timer = setInterval(() => {
        const m = /([\d,]+) samples\/s/.exec(document.getElementById('c-speed').textContent);
        if (m && document.getElementById('c-play').getAttribute('aria-pressed') === 'true') window.cnnProbe.rates.push(+m[1].replace(/,/g, ''));
      }, 1000);
    });
    const t0 = Date.now();
    await page.click('#c-play');
    await page.waitForFunction(() => document.getElementById('c-play').getAttribute('aria-pressed') === 'false'
      && /Train on/.test(document.getElementById('c-play').textContent), null, { timeout: 600000, polling: 1000 });
    const seconds = (Date.now() - t0) / 1000;
    const probe = await page.evaluate(() => { clearInterval(window.cnnProbe.timer); return window.cnnProbe; });
    const after = status(await text(page, '#c-status'));
    assert.equal(after.epoch, 1);
    assert.ok(after.full, 'the last point is over the whole test set');
    assert.ok(after.testAcc > before.testAcc + 50, `test accuracy ${before.testAcc}% → ${after.testAcc}%`);
    assert.ok(after.testAcc >= 95, `after one epoch: ${after.testAcc}%`);
    assert.ok(probe.frames > 0 && probe.rates.length > 0, 'frames drawn and samples/s shown while training');
    // the view's samples/s, each over one second of training (the first, over less, left out)
    const rates = probe.rates.filter((r) => r > 0).sort((a, b) => a - b);
    const numbers = { arch: 'c8k5p2-relu-mp2-c16k5p2-relu-mp3', optimizer: 'adam', lr: 0.002, batch: 20, trainDigits: 60000,
      testAccuracy: after.testAcc, testLoss: after.testLoss, seconds: Math.round(seconds),
      framesPerSecond: +(probe.frames / seconds).toFixed(1), samplesPerSecondMedian: rates[rates.length >> 1],
      samplesPerSecondRange: [rates[0], rates[rates.length - 1]], digitsPerSecondOverall: Math.round(60000 / seconds),
      loadAverage: loadavg().map((v) => +v.toFixed(2)), date: new Date().toISOString() };
    mkdirSync(`${ROOT}build`, { recursive: true });
    writeFileSync(NUMBERS, `${JSON.stringify(numbers, null, 2)}\n`);
    t.diagnostic(JSON.stringify(numbers));
    await p.close();
  });

  test('the feature maps change with the digit; the keyboard chooses a cell', async () => {
    const p = await cnn();
    const { page } = p;
    await trainFor(page, 1500);
    const pixels = () => page.evaluate(() => document.getElementById('cnn-map-0').toDataURL());
    const a = await pixels(), digitA = await text(page, '#c-digit');
    await page.click('#c-next');
    await page.waitForFunction((d) => document.getElementById('c-digit').textContent !== d, digitA);
    assert.notEqual(await pixels(), a, 'the first layer\'s maps change with the digit');
    assert.match(await text(page, '#c-digit'), /^Test digit 2 of 10,000 \(a 2\)/);
    assert.match(page.url(), /cDigit=1(&|$)/, 'the digit is in the link');
    // a gallery digit
    await page.locator('#c-gallery figure').nth(3).click();
    await page.waitForFunction(() => /cDigit=111/.test(location.hash));
    assert.notEqual(await pixels(), a);
    // the keyboard: focus a layer, arrows move the cell, Page Down the map
    await page.focus('#cnn-map-3');
    await page.keyboard.press('ArrowRight');
    assert.equal((await arith(page)).cell, '0,0,0', 'the first key chooses the first cell');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('PageDown');
    const e = await arith(page);
    assert.deepEqual([e.layer, e.cell], ['3', '1,1,1']);
    assert.match(await text(page, '#c-arith'), /^Layer 4 · c16k5p2 · map 2, row 2, column 2/);
    await p.close();
  });

  test('the arithmetic shown for a cell equals the engine\'s own output to 1e-5, from the engine\'s own numbers', async (t) => {
    const p = await cnn('#view=cnn&cDigit=7');
    const { page } = p;
    await trainFor(page, 2500);
    const picks = [['#cnn-map-3', { x: 90, y: 30 }], ['#cnn-map-2', { x: 100, y: 40 }], ['#cnn-map-1', { x: 20, y: 26 }],
      ['#cnn-map-5', { x: 75, y: 20 }], ['#cnn-map-6', { x: 50, y: 5 }], ['#cnn-map-0', { x: 1, y: 1 }]];
    const shown = [];
    for (const [sel, position] of picks) {
      await page.locator(sel).click({ position });
      const e = await arith(page);
      assert.ok(e.z !== undefined, `${sel}: a cell chosen`);
      shown.push({ sel, ...e, text: await text(page, '#c-arith'),
        patch: await page.locator('#c-arith table.mac-grid').first().locator('td').evaluateAll((tds) => tds.map((d) => d.dataset.v ?? null)),
        kernel: await page.locator('#c-arith table.mac-grid').nth(1).locator('td').evaluateAll((tds) => tds.map((d) => d.dataset.v ?? null)) });
    }
    const { net, layers, digit } = await savedNet(page);
    const x = digit(7), acts = net.activations(x);
    for (const s of shown) {
      const base = +s.layer, [c, y, xx] = s.cell.split(',').map(Number), d = layers[base];
      const engine = acts[base][(c * d.shape[1] + y) * d.shape[2] + xx];
      assert.ok(Math.abs(+s.z - engine) <= 1e-5, `${s.sel}: the sum shown ${s.z}, the engine ${engine}`);
      assert.ok(Math.abs(+s.engine - engine) <= 1e-6, `${s.sel}: the engine's value shown ${s.engine}, in Node ${engine}`);
      if (d.type === 'conv') {
        // channel 1's patch and the kernel, as the engine holds them
        const input = base === 0 ? x : acts[base - 1], [, H, W] = d.inShape, k = d.kernel;
        const y0 = y * d.stride - d.pad, x0 = xx * d.stride - d.pad;
        s.patch.forEach((v, i) => {
          const iy = y0 + Math.floor(i / k), ix = x0 + (i % k);
          const want = iy < 0 || iy >= H || ix < 0 || ix >= W ? null : input[iy * W + ix];
          assert.equal(v === null ? null : +v, want, `${s.sel}: patch value ${i}`);
        });
        s.kernel.forEach((v, i) => assert.equal(+v, d.W[(c * d.inShape[0]) * k * k + i], `${s.sel}: kernel value ${i}`));
        assert.match(s.text, /Σ over \d+ channel\(s\) = .*; \+ bias .* = /);
        assert.match(s.text, /The engine's output for this cell/);
      }
      if (d.type === 'maxpool') assert.match(s.text, /max = .* it wins/);
      t.diagnostic(`${s.sel}: layer ${base + 1} (${d.type}) cell ${s.cell}: shown ${s.z}, engine ${engine}`);
    }
    assert.deepEqual(shown.map((s) => layers[+s.layer].type), ['conv', 'maxpool', 'conv', 'maxpool', 'dense', 'conv'],
      'a ReLU cell is explained by its convolution');
    assert.match(shown[2].text, /Layer 2, ReLU: max\(0, /);
    net.free();
    await p.close();
  });

  test('a preset builds its net; an impossible layer is explained, named, and the running net kept', async () => {
    const p = await cnn();
    const { page } = p;
    await page.selectOption('#cnn-preset', 'lenet');
    await page.waitForFunction(() => /cArch=c6k5p2-tanh-ap2-c16k5-tanh-ap2-d120-tanh-d84-tanh/.test(location.hash));
    await page.waitForFunction(() => /\d%/.test(document.getElementById('c-status').textContent));
    assert.match(await text(page, '#cnn-totals'), /^61,706 parameters/);
    assert.equal(await page.locator('#c-maps figure').count(), 11, 'one figure per layer, the output included');
    const rows = await page.locator('#cnn-layers tbody tr').allInnerTexts();
    assert.match(rows[7], /120\s+48,120/, 'layer 7: dense 120 from 16 × 5 × 5');
    // training goes on while an impossible draft is shown
    await page.click('#c-play');
    const hash = await page.evaluate(() => location.hash);
    await page.fill('#cnn-arch', 'c6k5p2-tanh-ap2-c16k5-tanh-ap2-c8k7');
    await page.press('#cnn-arch', 'Enter');
    const err = await text(page, '#cnn-arch-error');
    assert.match(err, /^Layer 7 \(c8k7\): its 7 × 7 kernel is larger than its padded input \(5 \+ 2 × 0 = 5 pixels a side\)/);
    assert.equal(await page.locator('#cnn-layers tr.bad').count(), 1, 'its row is marked');
    assert.equal(await page.evaluate(() => location.hash), hash, 'nothing built: the link is unchanged');
    const p1 = await page.evaluate(() => document.getElementById('c-progress').value);
    await page.waitForFunction((v) => document.getElementById('c-progress').value > v, p1, { timeout: 10000 });
    for (const [arch, pattern] of [['c8k5p2-d1024-d512', /^Too many parameters: 6,953,690 \(layer 2, d1024, alone has 6,423,552\)/],
      ['d64-relu-c8k3', /^Layer 3 \(c8k3\) slides over an image, but layer 1 \(dense\) has flattened it/],
      ['mp2-mp2-mp2-mp4', /^Layer 4 \(mp4\): its 4 × 4 window is larger than its 3 × 3 input/],
      ['c8k5-relu-foo', /^Layer 3 \("foo"\) is not a layer/]]) {
      await page.fill('#cnn-arch', arch);
      await page.press('#cnn-arch', 'Enter');
      assert.match(await text(page, '#cnn-arch-error'), pattern, arch);
    }
    // a number typed out of range, in the table
    await page.selectOption('#cnn-preset', 'convnetjs');
    await page.waitForFunction(() => /^#view=cnn$/.test(location.hash));
    await page.fill('#cnn-l0-filters', '100');
    await page.press('#cnn-l0-filters', 'Enter');
    assert.match(await text(page, '#cnn-arch-error'), /^Layer 1 \(c100k5p2\): the filters must be between 1 and 64, not 100\./);
    assert.equal(await page.evaluate(() => location.hash), '#view=cnn');
    await page.click('#c-play');
    await p.close();
  });

  test('the URL round trips; a malformed link falls back and says why', async () => {
    const hash = '#view=cnn&mLr=0.001&mBatch=32&cArch=c4k3p1-relu-mp2-d32-relu&cDigit=5';
    const p = await cnn(hash);
    const { page } = p;
    assert.equal(await page.inputValue('#cnn-arch'), 'c4k3p1-relu-mp2-d32-relu');
    assert.equal(await page.inputValue('#c-ctl-mLr'), '0.001');
    assert.equal(await page.inputValue('#c-ctl-mBatch'), '32');
    assert.match(await text(page, '#c-digit'), /^Test digit 6 of 10,000/);
    assert.equal(await page.evaluate(() => location.hash), hash, 'written back as read');
    // an edit goes to the link, and the link gives it back in a new page
    await page.selectOption('#cnn-layers tbody tr:nth-child(4) select', 'act');
    await page.waitForFunction(() => /cArch=c4k3p1-relu-relu-d32-relu/.test(location.hash));
    const edited = await page.evaluate(() => location.hash);
    await p.close();
    const again = await cnn(edited);
    assert.equal(await again.page.inputValue('#cnn-arch'), 'c4k3p1-relu-relu-d32-relu');
    assert.equal(await again.page.inputValue('#c-ctl-mLr'), '0.001');
    assert.equal(await again.page.evaluate(() => location.hash), edited);
    await again.close();
    for (const [bad, why] of [['c8k40-relu', /kernel must be between 1 and 28, not 40/], ['relu-<script>', /is not a layer/],
      ['c64k9p4-relu-c64k9p4', /Too slow to train live/]]) {
      const q = await cnn(`#view=cnn&cArch=${encodeURIComponent(bad)}`);
      const msg = await text(q.page, '#c-message');
      assert.match(msg, /^The link's architecture ".*" cannot be used: /, bad);
      assert.match(msg, why, bad);
      assert.match(msg, /The ConvNetJS demo is shown instead\.$/, bad);
      assert.equal(await q.page.inputValue('#cnn-arch'), 'c8k5p2-relu-mp2-c16k5p2-relu-mp3', `${bad}: the default runs`);
      await q.close();
    }
  });

  test('MLP | CNN: the MNIST tab stays selected, and the training settings carry across', async () => {
    const p = await open('#view=mnist');
    const { page } = p;
    await page.locator('#view-mnist[data-ready="1"]').waitFor({ timeout: 30000 });
    await page.fill('#ctl-mBatch', '32');
    await page.press('#ctl-mBatch', 'Enter');
    await page.click('#model-cnn');
    await page.locator('#view-cnn[data-ready="1"]').waitFor({ timeout: 30000 });
    assert.equal(await page.getAttribute('#tab-mnist', 'aria-selected'), 'true', 'the MNIST tab stays the selected tab');
    assert.equal(await page.getAttribute('#model-cnn', 'aria-selected'), 'true');
    assert.equal(await page.inputValue('#c-ctl-mBatch'), '32', 'a batch size set carries across');
    assert.equal(await page.inputValue('#c-ctl-mOptimizer'), 'adam', 'an optimiser left alone takes the CNN\'s default');
    assert.match(page.url(), /#view=cnn&mBatch=32$/);
    await page.fill('#c-ctl-mLr', '0.003');
    await page.press('#c-ctl-mLr', 'Enter');
    await page.click('#model-mnist');
    assert.equal(await page.inputValue('#ctl-mLr'), '0.003', 'a rate set in the CNN view carries back');
    assert.equal(await page.inputValue('#ctl-mOptimizer'), 'adam');
    // the tab returns to the model shown last; the arrow keys move between the models
    await page.click('#tab-2d');
    await page.click('#tab-mnist');
    assert.match(page.url(), /view=mnist/);
    await page.focus('#model-mnist');
    await page.keyboard.press('ArrowRight');
    assert.match(page.url(), /view=cnn/);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'model-cnn');
    await page.click('#tab-2d');
    await page.click('#tab-mnist');
    assert.match(page.url(), /view=cnn/, 'the MNIST tab opens the CNN, shown last under it');
    await p.close();
  });

  test('a CNN saved by nnplay-train loads; a bad file is refused and the net kept', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnplay-cnn-'));
    try {
      const file = join(dir, 'cli-cnn.bin');
      execFileSync(process.execPath, ['examples/mnist.mjs', '--arch', 'cnn', '--train-limit', '600', '--epochs', '1', '--save', file],
        { cwd: ROOT, stdio: 'ignore' });
      writeFileSync(join(dir, 'garbage.bin'), Buffer.from('not a net at all'));
      execFileSync(process.execPath, ['examples/mnist.mjs', '--layers', '20', '--activation', 'relu', '--train-limit', '200',
        '--epochs', '1', '--save', join(dir, 'mlp.bin')], { cwd: ROOT, stdio: 'ignore' });
      const p = await cnn();
      const { page } = p;
      const message = () => text(page, '#c-message');
      await page.locator('#c-load').setInputFiles(join(dir, 'garbage.bin'));
      await page.waitForFunction(() => document.getElementById('c-message').textContent !== '');
      assert.match(await message(), /^This file is not a saved net \(.*loadNet/);
      assert.equal(await page.inputValue('#cnn-arch'), 'c8k5p2-relu-mp2-c16k5p2-relu-mp3', 'the current net is kept');
      await page.locator('#c-load').setInputFiles([]);
      await page.locator('#c-load').setInputFiles(file);
      await page.waitForFunction(() => /cli-cnn\.bin/.test(document.getElementById('c-message').textContent));
      assert.equal(await message(), 'Loaded cli-cnn.bin.');
      assert.match(await text(page, '.c-arch'), /The layers of the loaded net cli-cnn\.bin/);
      const rows = await page.locator('#cnn-layers tbody tr').allInnerTexts();
      assert.match(rows.join('\n'), /c8k5p2[\s\S]*relu[\s\S]*mp2[\s\S]*c16k5p2[\s\S]*mp3/, 'its layers, from the engine');
      await page.waitForFunction(() => /\d%/.test(document.getElementById('c-status').textContent));
      assert.ok(status(await text(page, '#c-status')).testAcc > 50, 'the trained CNN classifies');
      await page.locator('#cnn-map-3').click({ position: { x: 90, y: 30 } });
      const e = await arith(page);
      assert.ok(Math.abs(+e.z - +e.engine) <= 1e-5, 'its arithmetic too');
      await trainFor(page, 1000);
      await page.locator('#c-load').setInputFiles(join(dir, 'mlp.bin'));
      await page.waitForFunction(() => /mlp\.bin/.test(document.getElementById('c-message').textContent));
      assert.equal(await message(), 'Loaded mlp.bin.', 'a dense net loads too: its maps are strips');
      await p.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('divergence is reported and never drawn as garbage', async () => {
    const p = await cnn('#view=cnn&cArch=c8k5p2-mp2-c16k5p2-mp3&mOptimizer=sgd&mLr=10');
    const { page } = p;
    await page.click('#c-play');
    await page.waitForFunction(() => /diverged/.test(document.getElementById('c-message').textContent), null, { timeout: 30000 });
    await page.waitForFunction(() => document.getElementById('c-play').getAttribute('aria-pressed') === 'false');
    const captions = await page.locator('#c-maps figcaption').allInnerTexts();
    assert.ok(captions.every((c) => !/NaN|Infinity/.test(c)), captions.join(' | '));
    assert.doesNotMatch(await text(page, '#c-status'), /NaN/);
    await p.close();
  });

  test('the confusion matrix\'s cells open their digits', async () => {
    const p = await cnn();
    const { page } = p;
    await trainFor(page, 3000);
    await page.click('#c-confusion-button');
    await page.locator('#c-confusion table.confusion').waitFor({ timeout: 60000 });
    const cell = page.locator('#c-confusion tbody tr').nth(7).locator('td').nth(7);
    const n = +(await cell.textContent()).replace(/,/g, '');
    await cell.click();
    assert.match(await text(page, '#c-cell-digits'), new RegExp(`^Digits 7 predicted as 7 \\(${n.toLocaleString('en-US')}\\):`));
    assert.equal(await page.locator('#c-cell-digits figure').count(), Math.min(40, n));
    await page.locator('#c-cell-digits figure').first().click();
    await page.waitForFunction(() => /\(a 7\)/.test(document.getElementById('c-digit').textContent));
    await p.close();
  });

  test('French: the view\'s strings and numbers', async () => {
    const p = await cnn('#view=cnn&lang=fr&cArch=c8k5-relu-mp2-c4k3-relu');
    const { page } = p;
    assert.match(await text(page, '#c-status'), /^Époque 1\/1 · Perte \(apprentissage\) \d+,\d{4}/);
    assert.match(await text(page, '.c-maps h2'), /^Cartes de caractéristiques d’un chiffre$/);
    assert.match(await text(page, '#cnn-totals'), /^\d[\d\u202f]* paramètres · [\d\u202f]+ multiplications-additions par chiffre/);
    await page.fill('#cnn-arch', 'c8k5-relu-mp2-c4k13');
    await page.press('#cnn-arch', 'Enter');
    assert.match(await text(page, '#cnn-arch-error'), /^Couche 4 \(c4k13\)\u202f: son noyau 13 × 13 est plus grand que son entrée avec marge/);
    await page.locator('#cnn-map-0').click({ position: { x: 30, y: 30 } });
    assert.match(await text(page, '#c-arith'), /La sortie du moteur pour cette case \(couche 1\)\u202f: -?\d+,\d+/);
    await p.close();
  });
});
