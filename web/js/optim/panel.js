// panel.js: the Optimisers view's controls. The settings (course example,
// surface, start, iterations, noise seed; mode, speed, curves) through the
// page's shared Controls over state.optim, and the optimisers: one line per
// optimiser with a box to show it, its colour and its hyper-parameters,
// each edited live. Adam without bias correction shares
// Adam's settings. Every change goes to the view's onChange(name, value).
import { Controls } from '../shared/controls.js';
import { el } from '../shared/dom.js';
import { RUNS, VIEWS } from './presets.js';

export const OPTIM_LAYOUT = [
  ['oSettings', [['preset', 'select'], ['surface', 'select'], ['x', 'number'], ['y', 'number'], ['iters', 'number'],
    ['seed', 'number']]],
  ['oRunGroup', [['mode', 'select'], ['speed', 'select'], ['chart', 'select']]],
];

// the label key of each hyper-parameter column, per optimiser's option
const PARAM_LABEL = { lr: 'oParam_lr', momentum: 'oParam_momentum', beta2: 'oParam_rho2' };
const SYMBOL = { lr: 'ε', momentum: 'α', beta2: 'ρ₂' };
// RMSProp's and Adam's beta1 are decays ρ and ρ₁, not a momentum
const OWN_SYMBOL = { rmsRho: ['ρ', 'oParam_rho'], adamBeta1: ['ρ₁', 'oParam_rho1'] };

export class OptimPanel {
  /** root: the controls' column; t: the view's texts; onChange(name, value). */
  constructor(root, { t, onChange }) {
    this.root = root;
    this.t = t;
    this.onChange = onChange;
  }

  build(settings) {
    const t = this.t;
    const box = el('div');
    this.controls = new Controls(box, {
      t, group: 'optim', layout: OPTIM_LAYOUT, onChange: (name, v) => this.onChange(name, v),
      applies: (s, name) => name !== 'seed' || s.surface === 'noisy',
    });
    this.controls.build(settings);
    this.inputs = new Map();
    this.checks = new Map();
    const runs = el('fieldset', { className: 'group group-oOptimizers', dataset: { control: 'oOptimizers' }, id: 'o-params' },
      el('legend', { textContent: t('oOptimizers') }), ...RUNS.map((run) => this.row(run)));
    // the example first, then the optimisers, then the rest
    const [settingsBox, runBox] = box.children;
    this.root.replaceChildren(settingsBox, runs, runBox);
    this.refresh(settings);
  }

  /** One optimiser: a box to show it, its colour and name, its hyper-parameters (they wrap under it). */
  row(run) {
    const t = this.t, name = t(`oRun_${run.id}`);
    const check = el('input', { type: 'checkbox', id: `o-show-${run.id}`, ariaLabel: t('oShow', { name }) });
    check.addEventListener('change', () => this.toggle(run.id, check.checked));
    this.checks.set(run.id, check);
    const head = el('label', { htmlFor: check.id, className: 'o-run-name' }, check,
      el('span', { className: 'o-swatch', style: `background: ${run.color}` }), name);
    const row = el('div', { className: `o-run o-run-${run.id}` }, head);
    // Adam without correction has Adam's own ε, ρ₁ and ρ₂: the two runs differ by the correction only
    if (run.biasCorrection === false) return row;
    for (const [setting, option] of run.params) {
      const [symbol, label] = OWN_SYMBOL[setting] ?? [SYMBOL[option], PARAM_LABEL[option]];
      const input = el('input', { type: 'number', step: 'any', inputMode: 'decimal', id: `o-${setting}`,
        ariaLabel: `${name}: ${t(label)}` });
      input.addEventListener('change', () => { input.dataset.sent = '1'; this.onChange(setting, input.value.trim()); });
      this.inputs.set(setting, input);
      row.append(el('span', { className: 'o-param', title: `${symbol}: ${t(label)}` },
        el('span', { textContent: symbol, ariaHidden: 'true' }), input));
    }
    return row;
  }

  // shows or hides one optimiser; the last one shown stays
  toggle(id, on) {
    const shown = RUNS.map((r) => r.id).filter((r) => (r === id ? on : this.checks.get(r).checked));
    if (shown.length) this.onChange('optimizers', shown);
    else this.checks.get(id).checked = true;
  }

  /** Shows the values of `settings` (state.optim). */
  refresh(settings) {
    this.controls.refresh(settings);
    // a typed start outside the surface's box is put on its edge (view.js): the note gives the box's limits
    const [x0, x1, y0, y1] = VIEWS[settings.surface].box;
    for (const [key, v, min, max] of [['oX', settings.x, x0, x1], ['oY', settings.y, y0, y1]]) {
      const note = this.root.querySelector(`.field-${key} .clamped`);
      if (note?.textContent) note.textContent = this.t('clampedTo', { v, min, max });
    }
    for (const [id, c] of this.checks) c.checked = settings.optimizers.includes(id);
    // a typed value shows as it is used (clamped), focused or not; others wait for the focus to leave
    for (const [setting, input] of this.inputs) {
      if (document.activeElement === input && !input.dataset.sent) continue;
      input.value = String(settings[setting]);
      delete input.dataset.sent;
    }
  }
}
