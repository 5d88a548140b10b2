// race-view.js: the race of an MLP against a CNN (race.js) drawn: start,
// pause and restart, one row per net (parameters, samples seen, its own
// training time, samples/s, test accuracy), test accuracy against samples
// seen and against training time (two charts of shared/chart.js), and the
// course's point in two lines: weight sharing, translation invariance. It
// trains in its own animation frames (about 10 ms each) while it is shown,
// and pauses when it is hidden. The MNIST view mounts it now, the CNN view later.
//
// Mount API:
//   const race = mountRace(container, {nn, t, lang, data, onStart});
//     nn        the engine (load() of nnplay.mjs)
//     t         t(key, values): the page's texts (keys race* of shared/cnn-strings.js)
//     lang      () => 'en' or 'fr': the language of numbers
//     data      () => {train (an engine Data of labelled digits), test ({images, labels, n})}, or null while loading
//     onStart   called when the race starts or resumes (the host pauses its own training)
//     onError   optional: onError(error) shows what went wrong in the host's own message
//               (one message per view); without it the race shows it in its own
//   race.mount(container)   draws into `container` (the host rebuilt its page, another language)
//   race.start(), race.pause(), race.restart(), race.running
//   race.describe(x)        both nets' predictions of a digit (784 values in [0, 1]) as a line, '' before the race
//   race.destroy()          frees both nets and their test chunks
import { el } from './dom.js';
import { LossChart } from './chart.js';
import { count, fixed, percent, punctuate } from './format.js';
import { Race, CONTENDERS, accuracyAt } from './race.js';

const FRAME_MS = 10, DRAW_MS = 250;

/** Mounts the race in `container` (see the top of this file). */
export function mountRace(container, options) {
  return new RaceView(container, options);
}

class RaceView {
  constructor(container, { nn, t, lang, data, onStart, onError }) {
    this.nn = nn;
    this.t = (key, values) => punctuate(lang(), t(key, values));
    this.lang = lang;
    this.data = data;
    this.onStart = onStart;
    this.onError = onError;
    this.race = null;
    this.running = false;
    // the parameters of each contender, from a net built once (the race builds its own)
    this.params = Object.fromEntries(CONTENDERS.map(({ name, options }) => {
      const net = nn.createNet({ ...options, maxBatch: 1 });
      const n = net.params().length;
      net.free();
      return [name, n];
    }));
    this.mount(container);
  }

  mount(container) {
    const t = this.t;
    this.root = container;
    this.toggleBtn = el('button', { type: 'button', className: 'primary', dataset: { race: 'toggle' } });
    this.toggleBtn.addEventListener('click', () => (this.running ? this.pause() : this.start()));
    const restart = el('button', { type: 'button', textContent: t('raceRestart'), dataset: { race: 'restart' } });
    restart.addEventListener('click', () => this.restart());
    // classes of their own: the host view's selectors (.speed, .why) stay its own
    this.status = el('span', { className: 'race-status', dataset: { race: 'status' } });
    this.message = el('p', { className: 'message', ...(this.onError ? {} : { role: 'alert' }) });
    this.table = el('table', { className: 'runs race-table', dataset: { race: 'table' } });
    this.bySamples = el('canvas', { className: 'chart', role: 'img', ariaLabel: t('raceBySamples'), dataset: { race: 'by-samples' } });
    this.byTime = el('canvas', { className: 'chart', role: 'img', ariaLabel: t('raceByTime'), dataset: { race: 'by-time' } });
    this.charts = [new LossChart(this.bySamples), new LossChart(this.byTime)];
    this.point = el('p', { className: 'race-point', dataset: { race: 'point' } });
    container.replaceChildren(el('p', { className: 'help', textContent: t('raceHelp') }), this.point,
      el('div', { className: 'toolbar' }, this.toggleBtn, restart, this.status), this.message,
      el('div', { className: 'runs-box' }, this.table), this.bySamples, this.byTime);
    this.draw();
  }

  start() {
    if (!this.race) {
      const d = this.data();
      if (!d?.train || !d?.test) { this.report(new Error(this.t('raceNoData'))); return; }
      // the host's training set as it is at each step (the MNIST view rebuilds it when its dev split changes)
      this.race = new Race(this.nn, { train: () => this.data().train, test: d.test });
    }
    if (this.race.done) return;
    this.running = true;
    this.onStart?.();
    this.draw();
    // one loop at a time: a pause and a start within one frame must not leave two
    const loop = (this.loop ?? 0) + 1;
    this.loop = loop;
    const tick = () => {
      if (!this.running || this.loop !== loop) return;
      // hidden (another tab, a closed card): pause, as the views do
      if (!this.root.isConnected || this.root.offsetParent === null) { this.pause(); return; }
      try {
        this.race.work(FRAME_MS);
      } catch (e) {
        this.pause();
        console.error(e);
        this.report(e);
        return;
      }
      if (this.race.done) { this.running = false; this.draw(); return; }
      if (performance.now() - (this.drawn ?? 0) > DRAW_MS) this.draw();
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }

  /** An error in the host's message, or the race's own. */
  report(e) {
    if (this.onError) this.onError(e);
    else this.message.textContent = e.message;
  }

  pause() {
    this.running = false;
    this.draw();
  }

  restart() {
    this.running = false;
    this.race?.free();
    this.race = null;
    this.start();
  }

  destroy() {
    this.running = false;
    this.race?.free();
    this.race = null;
  }

  /** A net's name in the page's words. */
  label(name) { return this.t(`race_${name}`); }

  describe(x) {
    if (!x || !this.race || !this.race.runners.some((r) => r.samples > 0)) return '';
    const parts = this.race.predict(x).map(({ name, probs }) => {
      let best = 0;
      for (let k = 1; k < probs.length; k++) if (probs[k] > probs[best]) best = k;
      return this.t('racePredicts', { net: this.label(name), k: String(best), p: percent(this.lang(), probs[best], 0) });
    });
    return this.t('raceOnDigit', { list: parts.join(' · ') });
  }

  draw() {
    this.drawn = performance.now();
    const t = this.t, lang = this.lang(), race = this.race;
    this.toggleBtn.textContent = this.running ? `❚❚ ${t('pause')}` : race?.done ? `✓ ${t('raceDone')}`
      : `▶ ${t(race ? 'raceResume' : 'raceStart')}`;
    this.toggleBtn.disabled = !!race?.done;
    this.toggleBtn.setAttribute('aria-pressed', String(this.running));
    const runners = race?.runners ?? [];
    const [mlp, cnn] = runners;
    this.point.textContent = t('racePoint', { mlp: count(lang, this.params.mlp), cnn: count(lang, this.params.cnn),
      ratio: String(Math.round(this.params.mlp / this.params.cnn)) });
    this.status.textContent = race ? t('raceStatus', { n: count(lang, Math.min(...runners.map((r) => r.samples))), total: count(lang, race.total) }) : '';
    // one column per net (a narrow card holds it), one row per measure
    const last = (r) => r.history[r.history.length - 1];
    const rows = [
      ['raceParams', (r) => count(lang, r.params)],
      ['raceSamples', (r) => count(lang, r.samples)],
      ['raceTime', (r) => `${fixed(lang, r.seconds, 1)} s`],
      ['raceSpeed', (r) => (r.seconds > 0 ? count(lang, race.rate(r)) : '—')],
      ['raceAccuracy', (r) => (r.diverged ? t('raceDiverged') : last(r) ? percent(lang, last(r).acc, 1) : '—')],
    ];
    const nets = runners.length ? runners : Object.keys(this.params).map((name) => ({ name, params: this.params[name], samples: 0, seconds: 0, history: [] }));
    this.table.replaceChildren(el('caption', { textContent: t('raceTable') }),
      el('thead', {}, el('tr', {}, el('td'), ...nets.map((r) => el('th', { scope: 'col', textContent: this.label(r.name), dataset: { net: r.name } })))),
      el('tbody', {}, ...rows.map(([k, f]) => el('tr', { dataset: { measure: k } }, el('th', { scope: 'row', textContent: t(k) }),
        ...nets.map((r) => el('td', { textContent: f(r), dataset: { net: r.name } }))))));
    if (!race || !mlp.history.length || !cnn.history.length) {
      for (const c of [this.bySamples, this.byTime]) c.getContext('2d').clearRect(0, 0, c.width, c.height);
      return;
    }
    // the CNN is the chart's first series (solid; the one that trains longer), the MLP its second (dashed)
    // against samples: both are measured at the same sample counts
    const n = Math.min(mlp.history.length, cnn.history.length);
    const bySamples = Array.from({ length: n }, (_, i) => ({ step: cnn.history[i].samples, trainAcc: cnn.history[i].acc, testAcc: mlp.history[i].acc }));
    // against time: each net's accuracy after that much of its own training (none beyond its last point)
    const times = [...new Set([...mlp.history, ...cnn.history].map((h) => h.seconds))].sort((a, b) => a - b);
    // (NaN, not null, where a net has no value: the chart skips it, it would draw null as 0)
    const at = (r, s) => accuracyAt(r, s) ?? NaN;
    const byTime = times.map((s) => ({ step: Number(s.toFixed(3)), trainAcc: at(cnn, s), testAcc: at(mlp, s) }));
    const labels = { train: this.label('cnn'), test: this.label('mlp'), y: t('raceAccAxis') };
    this.charts[0].draw(bySamples, { metric: 'accuracy', labels: { ...labels, x: t('raceSamplesAxis') }, lang });
    this.charts[1].draw(byTime, { metric: 'accuracy', labels: { ...labels, x: t('raceTimeAxis') }, lang });
    this.bySamples.dataset.points = String(bySamples.length);
    this.byTime.dataset.points = String(byTime.length);
  }
}
