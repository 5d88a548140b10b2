// browser_tfp.test.mjs: the formats others use, in the page: a TensorFlow
// Playground link pasted in the 2D view's panel changes the 2D state (data
// set, features, net, rates) and lists what did not map, in English and
// French; garbage and a link of another site are refused with a message and
// leave the view usable; the export menus of the 2D and CNN views save an
// ONNX file that decodes as a ModelProto with the input the net reads.
// Needs `make page`.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { session } from './browser_setup.mjs';

const { onnx } = createRequire(import.meta.url)('../node_modules/onnxruntime-web/lib/onnxjs/ort-schema/protobuf/onnx.js');
const s = session();
const SPIRAL = 'https://playground.tensorflow.org/#activation=relu&batchSize=10&dataset=spiral&regDataset=reg-plane'
  + '&learningRate=0.01&regularizationRate=0.001&noise=20&networkShape=8,6,3&seed=0.4242&showTestData=false&discretize=false'
  + '&percTrainData=70&x=true&y=true&xTimesY=false&xSquared=true&ySquared=false&cosX=true&sinX=true&cosY=false&sinY=true'
  + '&collectStats=false&problem=classification&initZero=false&hideText=false&regularization=L1';

/** Pastes text into the TFP panel and opens it. */
async function paste(page, text) {
  await page.locator('#tfp > summary').click();
  await page.fill('#tfp-link', text);
  await page.click('#tfp-open');
}

const value = (page, id) => page.locator(`#${id}`).inputValue();

describe('a TensorFlow Playground link in the 2D view', () => {
  test('loads the nearest state and lists what did not map', async () => {
    const p = await s.open();
    const { page } = p;
    await paste(page, SPIRAL);
    await page.waitForFunction(() => location.hash.includes('dataset=spiral'));
    await page.waitForFunction(() => document.getElementById('ctl-dataset').value === 'spiral');
    assert.equal(await value(page, 'ctl-activation'), 'relu');
    assert.equal(await value(page, 'ctl-reg'), 'l1');
    for (const [f, on] of [['x1', true], ['x2', true], ['x1sq', true], ['x2sq', false], ['sinx1', true], ['sinx2', true]]) {
      assert.equal(await page.locator(`#feat-${f}`).isChecked(), on, f);
    }
    assert.match(await page.evaluate(() => location.hash), /hidden=8,6,3/);
    const items = await page.locator('#tfp-unmapped li').allTextContents();
    assert.ok(items.some((i) => /cosX/.test(i) && /cosine/.test(i)), items.join(' | '));
    assert.ok(items.some((i) => /noise 20/.test(i)), items.join(' | '));
    assert.ok(items.some((i) => /seed “0\.4242”/.test(i)), items.join(' | '));
    assert.equal(items.length, 3);
    assert.match(await page.locator('#tfp-status').textContent(), /Loaded the nearest nnplay settings/);
    // the net that was built trains
    await page.click('#btn-epoch');
    await page.waitForFunction(() => /epoch\s*1|1\s*epoch/i.test(document.getElementById('stats').textContent));
    await p.close();
  });

  test('garbage and another site are refused, the view stays usable', async () => {
    const p = await s.open('#dataset=xor');
    const { page } = p;
    const before = await page.evaluate(() => location.hash);
    await paste(page, 'hello, this is not a link');
    assert.match(await page.locator('#tfp-status').textContent(), /No TensorFlow Playground setting/);
    await page.fill('#tfp-link', 'https://example.org/#activation=relu&dataset=spiral');
    await page.click('#tfp-open');
    assert.match(await page.locator('#tfp-status').textContent(), /not a TensorFlow Playground link/);
    assert.equal(await page.locator('#tfp-unmapped li').count(), 0);
    assert.equal(await page.evaluate(() => location.hash), before);
    assert.equal(await value(page, 'ctl-dataset'), 'xor');
    await page.click('#btn-epoch');
    await page.waitForFunction(() => /epoch\s*1|1\s*epoch/i.test(document.getElementById('stats').textContent));
    await p.close();
  });

  test('in French: the panel, the reasons and the errors', async () => {
    const p = await s.open('#lang=fr');
    const { page } = p;
    assert.equal(await page.locator('#tfp > summary').textContent(), 'Ouvrir un lien TensorFlow Playground');
    await paste(page, SPIRAL.replace('cosX=true', 'cosX=false').replace('noise=20', 'noise=0') + '&foo=1');
    await page.waitForFunction(() => location.hash.includes('dataset=spiral'));
    const items = await page.locator('#tfp-unmapped li').allTextContents();
    assert.ok(items.some((i) => /foo.*pas un réglage TensorFlow Playground/.test(i)), items.join(' | '));
    assert.ok(items.some((i) => /graine/.test(i)), items.join(' | '));
    await page.fill('#tfp-link', '');
    await page.click('#tfp-open');
    assert.match(await page.locator('#tfp-status').textContent(), /Collez d’abord/);
    await p.close();
  });
});

describe('ONNX in the export menus', () => {
  test('the 2D net: its features are the input', async () => {
    const p = await s.open('#features=x1,x2,x1sq&hidden=5');
    const { page } = p;
    await page.locator('#view-2d .export-menu > summary').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#onnx-2d')]);
    assert.equal(download.suggestedFilename(), 'nnplay-2d.onnx');
    const m = onnx.ModelProto.decode(readFileSync(await download.path()));
    assert.deepEqual(m.graph.input[0].type.tensorType.shape.dim.map((d) => d.dimParam || Number(d.dimValue)), ['N', 3]);
    assert.match(m.docString, /features x1, x2, x1sq/);
    assert.deepEqual(m.graph.node.filter((n) => n.opType === 'Gemm').length, 2);
    await p.close();
  });

  test('the CNN: an image input, conv and pool nodes', async () => {
    const p = await s.open('#view=cnn');
    const { page } = p;
    await page.locator('#view-cnn[data-ready="1"], #c-play:not([disabled])').first().waitFor({ timeout: 30000 });
    await page.locator('#view-cnn .export-menu > summary').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#onnx-cnn')]);
    const m = onnx.ModelProto.decode(readFileSync(await download.path()));
    assert.deepEqual(m.graph.input[0].type.tensorType.shape.dim.map((d) => d.dimParam || Number(d.dimValue)), ['N', 1, 28, 28]);
    const ops = m.graph.node.map((n) => n.opType);
    assert.ok(ops.includes('Conv') && ops.includes('MaxPool') && ops.includes('Softmax'), ops.join(','));
    await p.close();
  });
});
