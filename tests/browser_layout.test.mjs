// browser_layout.test.mjs: the page's layout and its embedding, in headless
// Chromium (tests/browser_setup.mjs): the 2D view on one screen at 1366x768
// and 1280x800 with a boundary that stays put when controls open; picture and
// Play first on a tablet and a phone, nothing wider than the screen (MNIST
// included); the MNIST grid, layer editor and confusion matrix; #embed=1 with
// no scrollbar from 480x360 to 1920x1080; the presenter preset at 1024x768;
// examples/slides.html at 1024x768; and the postMessage API driven by a host
// page served on another port of 127.0.0.1.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { session } from './browser_setup.mjs';

const browserSession = session();
let web, root;   // {url} of the served page and of the repository root, once ready

async function ready() {
  const u = await browserSession.urls();
  web = { url: u.web };
  root = { url: u.root };
}

/** A page of `url` (default: the served page, then `hash`) at `viewport`, with its errors collected. */
async function open(hash, viewport, { url } = {}) {
  await ready();
  return browserSession.open(hash, { viewport, url });
}

/** The page's scroll size and window size. */
const extent = (page) => page.evaluate(() => ({
  sw: document.scrollingElement.scrollWidth, sh: document.scrollingElement.scrollHeight, w: innerWidth, h: innerHeight,
}));

/** Asserts that each selector's box lies inside the window. */
async function inWindow(page, selectors, what) {
  const { w, h } = await extent(page);
  for (const s of selectors) {
    const b = await page.locator(s).first().boundingBox();
    assert.ok(b, `${what}: ${s} is shown`);
    assert.ok(b.width > 0 && b.height > 0, `${what}: ${s} has a size`);
    assert.ok(b.x >= 0 && b.y >= 0 && b.x + b.width <= w + 0.5 && b.y + b.height <= h + 0.5,
      `${what}: ${s} at ${b.x},${b.y} ${b.width}x${b.height} fits ${w}x${h}`);
  }
}

const ONE_SCREEN = ['#boundary', '#diagram', '#chart', '#btn-play', '#stats'];

describe('layout and embedding', { concurrency: 1 }, () => {
  for (const [width, height] of [[1366, 768], [1280, 800]]) {
    test(`2D at ${width}x${height}: one screen, and the boundary stays put when controls open`, async () => {
      const p = await open('', { width, height });
      const { page } = p;
      const e = await extent(page);
      assert.ok(e.sw <= e.w && e.sh <= e.h, `no scrolling: ${JSON.stringify(e)}`);
      await inWindow(page, ONE_SCREEN, `${width}x${height}`);
      const before = await page.locator('#boundary').boundingBox();
      assert.ok(before.width >= 400 && Math.abs(before.width - before.height) < 1, `boundary ${before.width}x${before.height}`);
      // controls that open more controls: Adam's settings, a layer, the share panel
      await page.selectOption('#ctl-optimizer', 'adam');
      await page.getByRole('button', { name: /add a layer/i }).click();
      await page.locator('.share summary').click();
      await page.selectOption('#ctl-reg', 'l2');
      assert.equal(await page.locator('#ctl-beta2').isVisible(), true, 'Adam shows ρ2');
      assert.deepEqual(await page.locator('#boundary').boundingBox(), before, 'the boundary did not move');
      const after2 = await extent(page);
      assert.ok(after2.sw <= after2.w && after2.sh <= after2.h, `still no scrolling: ${JSON.stringify(after2)}`);
      await inWindow(page, ['#btn-play', '#boundary'], 'controls opened');
      await p.close();
    });
  }

  for (const [width, height] of [[768, 1024], [390, 844]]) {
    test(`${width}x${height}: Play and the picture first, controls after, nothing wider than the screen`, async () => {
      for (const lang of ['en', 'fr']) {
        const p = await open(`#lang=${lang}`, { width, height });
        const { page } = p;
        await inWindow(page, ['#btn-play', '#boundary', '#stats'], `${width}x${height} ${lang}`);
        const boundary = await page.locator('#boundary').boundingBox();
        const controls = await page.locator('#controls').boundingBox();
        assert.ok(controls.y >= boundary.y + boundary.height, `controls (y=${controls.y}) after the boundary (bottom ${boundary.y + boundary.height})`);
        const e = await extent(page);
        assert.ok(e.sw <= e.w, `2D ${lang}: page ${e.sw} px wide in ${e.w}`);
        await p.close();
      }
      const p = await open('#view=mnist', { width, height });
      const { page } = p;
      await page.locator('#view-mnist[data-ready="1"]').waitFor({ timeout: 20000 });
      await page.getByRole('button', { name: /confusion/i }).click();
      await page.locator('table.confusion').waitFor({ timeout: 20000 });
      const e = await extent(page);
      assert.ok(e.sw <= e.w, `MNIST: page ${e.sw} px wide in ${e.w}`);
      await p.close();
    });
  }

  test('MNIST at 1400x900: no gaps between cards, the layer editor in one column, the confusion matrix inside its card', async () => {
    const p = await open('#view=mnist', { width: 1400, height: 900 });
    const { page } = p;
    await page.locator('#view-mnist[data-ready="1"]').waitFor({ timeout: 20000 });
    await page.getByRole('button', { name: /confusion/i }).click();
    await page.locator('table.confusion').waitFor({ timeout: 20000 });
    const cards = await page.locator('.mnist-main > .card').evaluateAll((els) => els.map((c) => {
      const r = c.getBoundingClientRect();
      return { x: Math.round(r.x), top: r.top, bottom: r.bottom, width: r.width };
    }));
    const columns = new Map();
    for (const c of cards) columns.set(c.x, [...(columns.get(c.x) ?? []), c]);
    assert.ok(columns.size >= 2, `cards in ${columns.size} columns`);
    const gap = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
    for (const [x, col] of columns) {
      col.sort((a, b) => a.top - b.top);
      for (let i = 1; i < col.length; i++) {
        assert.ok(col[i].top - col[i - 1].bottom <= 1.5 * gap, `column at x=${x}: ${col[i].top - col[i - 1].bottom} px between cards`);
      }
    }
    const table = await page.locator('table.confusion').boundingBox();
    const card = await page.locator('.card:has(table.confusion)').boundingBox();
    assert.ok(table.x >= card.x && table.x + table.width <= card.x + card.width, `matrix ${table.x}+${table.width} in card ${card.x}+${card.width}`);
    // the editor: the count, then one row per layer under it, each row as wide as the group
    const head = await page.locator('#view-mnist .layers-head').boundingBox();
    const rows = await page.locator('#view-mnist .layer-row').evaluateAll((els) => els.map((r) => r.getBoundingClientRect().toJSON()));
    assert.equal(rows.length, 2);
    for (const r of rows) assert.ok(r.top >= head.y + head.height - 0.5 && Math.abs(r.left - head.x) < 1, `row ${JSON.stringify(r)} under the count`);
    await p.close();
  });

  for (const [width, height] of [[480, 360], [1920, 1080]]) {
    test(`#embed=1 at ${width}x${height}: no scrollbar, type scaled with the frame`, async () => {
      for (const hash of ['#embed=1&hide=dataset,data,features,training,share', '#embed=1']) {
        const p = await open(hash, { width, height });
        const { page } = p;
        const e = await extent(page);
        assert.ok(e.sw <= e.w && e.sh <= e.h, `${hash}: no scrollbar: ${JSON.stringify(e)}`);
        await inWindow(page, ONE_SCREEN, `${hash} at ${width}x${height}`);
        const size = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
        if (width === 480) assert.ok(size >= 9 && size <= 11, `type ${size} px`);
        else assert.ok(size >= 20, `type ${size} px`);
        await p.close();
      }
    });
  }

  test('presenter preset at 1024x768: large type, thick lines, in the URL, on one screen', async () => {
    const p = await open('', { width: 1024, height: 768 });
    const { page } = p;
    const type = () => page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
    assert.equal(await type(), 14);
    await page.locator('#ctl-presenter').check();
    assert.ok(await type() >= 18, `presenter type ${await type()} px`);
    assert.match(page.url(), /presenter=1/);
    const border = await page.locator('#chart').evaluate((c) => parseFloat(getComputedStyle(c).borderTopWidth));
    assert.ok(border >= 2, `chart border ${border} px`);
    await inWindow(page, ONE_SCREEN, 'presenter');
    await p.close();
  });

  test('examples/slides.html at 1024x768: each playground fills its box, type at least 12 px, no scrollbar', async () => {
    const p = await open('', { width: 1024, height: 768 }, { url: `${root.url}examples/slides.html#2` });
    const { page } = p;
    const frames = page.locator('.slide.current iframe');
    assert.equal(await frames.count(), 2);
    for (const f of await frames.all()) {
      const frame = await (await f.elementHandle()).contentFrame();
      await frame.locator('body[data-ready="1"]').waitFor({ timeout: 10000 });
      const m = await frame.evaluate(() => ({
        type: parseFloat(getComputedStyle(document.documentElement).fontSize),
        sw: document.scrollingElement.scrollWidth, sh: document.scrollingElement.scrollHeight, w: innerWidth, h: innerHeight,
      }));
      assert.ok(m.type >= 12, `type ${m.type} px`);
      assert.ok(m.sw <= m.w && m.sh <= m.h, `no scrollbar in the frame: ${JSON.stringify(m)}`);
      const b = await frame.locator('#boundary').boundingBox();
      assert.ok(b.width >= 200, `boundary ${b.width} px`);
    }
    await p.close();
  });

  test('postMessage: a host page plays, pauses, steps, resets and sets settings, and is told of progress', async () => {
    await ready();
    // the host: another origin (its own port), the playground in an iframe, a sibling frame that must not be obeyed
    const html = `<!doctype html><meta charset="utf-8"><title>host</title>
<iframe id="play" src="${web.url}#embed=1" width="800" height="500"></iframe>
<iframe id="other" srcdoc="<script>window.poke = () => parent.frames[0].postMessage({nnplay: 1, id: 'sibling', command: 'play'}, '*');</script>"></iframe>
<script>
  window.messages = [];
  const frame = document.getElementById('play');
  addEventListener('message', (e) => { if (e.source === frame.contentWindow) messages.push(e.data); });
  window.send = (m) => frame.contentWindow.postMessage(m, '*');
</script>`;
    const server = createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end(html); });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    const p = await open('', { width: 1000, height: 700 }, { url: `http://127.0.0.1:${server.address().port}/` });
    const { page } = p;
    const waitFor = (pred, what) => page.waitForFunction(`(${pred})(window.messages)`, null, { timeout: 10000 })
      .catch(async () => assert.fail(`${what}; messages: ${JSON.stringify(await page.evaluate(() => window.messages)).slice(-600)}`));
    let n = 0;
    /** Sends a message and resolves with its reply. */
    const ask = async (m) => {
      const id = `q${++n}`;
      await page.evaluate((msg) => window.send(msg), { nnplay: 1, id, ...m });
      await waitFor(`(ms) => ms.some((x) => x.type === 'reply' && x.id === '${id}')`, `reply to ${JSON.stringify(m)}`);
      return page.evaluate((i) => window.messages.find((x) => x.type === 'reply' && x.id === i), id);
    };
    await waitFor("(ms) => ms.some((x) => x.type === 'ready')", 'ready');
    const playground = page.frames().find((f) => f.url().startsWith(web.url));

    let r = await ask({ command: 'play' });
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.equal(r.progress.playing, true);
    await waitFor("(ms) => ms.some((x) => x.type === 'progress' && x.step > 0 && x.epoch >= 1 && x.loss > 0 && x.accuracy >= 0)", 'progress while playing');
    r = await ask({ command: 'pause' });
    assert.equal(r.progress.playing, false);
    const at = r.progress.step;
    r = await ask({ command: 'step' });
    assert.equal(r.progress.step, at + 1, 'one step');
    r = await ask({ command: 'reset' });
    assert.equal(r.progress.step, 0, 'reset');
    assert.equal(r.progress.epoch, 0);

    r = await ask({ command: 'set', key: 'lr', value: 0.1 });
    assert.deepEqual([r.ok, r.settings], [true, { lr: '0.1' }]);
    r = await ask({ command: 'set', settings: { dataset: 'xor', hidden: [3], batchNorm: true } });
    assert.deepEqual(r.settings, { dataset: 'xor', hidden: '3', batchNorm: '1' });
    assert.match(playground.url(), /dataset=xor/);
    assert.match(playground.url(), /hidden=3/);
    assert.equal(await playground.locator('#ctl-dataset').inputValue(), 'xor');
    r = await ask({ command: 'get' });
    // the data set's preset came first (XOR: the default rate), the message's own settings after
    assert.equal(r.settings.lr, '0.03');
    r = await ask({ command: 'set', settings: { lr: 0.2, dataset: 'spiral' } });
    assert.deepEqual([r.settings.lr, r.settings.dataset], ['0.2', 'spiral'], 'the rate of the same message wins over the preset');
    r = await ask({ command: 'get' });
    assert.equal(r.settings.optimizer, 'adam', 'the rest of the spiral preset applies');
    assert.equal(r.settings.embed, '1');
    assert.equal(r.progress.view, '2d');

    // refused: each says why, and changes nothing
    for (const [m, error] of [
      [{ command: 'fly' }, /unknown command "fly"/],
      [{}, /unknown command/],
      [{ command: 'set', key: 'nope', value: 1 }, /unknown setting "nope"/],
      [{ command: 'set', key: 'lr', value: 'fast' }, /invalid value for lr/],
      [{ command: 'set', key: 'lr', value: { a: 1 } }, /invalid value for lr/],
      [{ command: 'set', key: 'lr', value: Number.NaN }, /invalid value for lr/],
      [{ command: 'set', key: 'dataset', value: 'moons' }, /invalid value for dataset/],
      [{ command: 'set', settings: { lr: 0.5, activation: 'magic' } }, /invalid value for activation/],
      [{ command: 'set', settings: [1, 2] }, /settings must be an object/],
      [{ command: 'set', settings: {} }, /set takes/],
    ]) {
      r = await ask(m);
      assert.equal(r.ok, false, JSON.stringify(m));
      assert.match(r.error, error);
    }
    r = await ask({ command: 'get' });
    assert.equal(r.settings.lr, '0.2', 'a refused set changed nothing');
    assert.equal(r.settings.activation, 'tanh');
    // not ours (no tag, not an object) and a sibling frame's: no reply, the page goes on
    await page.evaluate(() => {
      window.send('play');
      window.send({ command: 'play', id: 'untagged' });
      window.send(null);
      document.getElementById('other').contentWindow.poke();
    });
    r = await ask({ command: 'get' });
    assert.equal(r.progress.playing, false, 'nobody else could play');
    const stray = await page.evaluate(() => window.messages.filter((x) => x.id === 'untagged' || x.id === 'sibling'));
    assert.deepEqual(stray, []);
    r = await ask({ command: 'play' });
    assert.equal(r.ok, true);
    await page.evaluate(() => { window.messages.length = 0; });
    await waitFor("(ms) => ms.some((x) => x.type === 'progress' && x.step > 0)", 'progress after the refused messages');
    await p.close();
    server.close();
  });
});
