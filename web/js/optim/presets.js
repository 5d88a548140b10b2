// presets.js: the Optimisers view's data: the surfaces as the view draws
// them (box, colour scale, marked points; the functions themselves are the
// engine's, engine/nn.h), the runs (an optimiser with the settings of its
// hyper-parameters and its colour), each surface's defaults and the
// course's presets. state.js takes its defaults from here: a preset's
// values, else its surface's, else the table's. Pure data, no DOM.
import { OKABE_ITO } from '../shared/colors.js';

export const SURFACES = ['quadratic', 'rosenbrock', 'beale', 'saddle', 'camel', 'noisy'];
export const PRESET_NAMES = ['none', 'distill', 'ravine', 'adagrad', 'bias', 'saddle'];
export const MODES = ['race', 'one', 'step'];
// updates per animation frame
export const SPEEDS = { slow: 1, normal: 3, fast: 10 };
export const MAX_ITERS = 5000;
// values below this are drawn at it on the log scales (a float32 minimum reaches 1e-30)
export const FLOOR = 1e-10;

/**
 * Each run: an optimiser of the engine with its hyper-parameters as
 * [setting, option] pairs, its colour (Okabe-Ito, as the whole page) and,
 * for Adam without bias correction, the engine's switch. It shares Adam's
 * settings: the two differ only by the correction.
 */
const ADAM = [['adamLr', 'lr'], ['adamBeta1', 'momentum'], ['adamBeta2', 'beta2']];
export const RUNS = [
  { id: 'sgd', name: 'sgd', color: OKABE_ITO.black, params: [['sgdLr', 'lr']] },
  { id: 'momentum', name: 'momentum', color: OKABE_ITO.orange, params: [['momLr', 'lr'], ['momBeta', 'momentum']] },
  { id: 'nesterov', name: 'nesterov', color: OKABE_ITO.vermillion, params: [['nagLr', 'lr'], ['nagBeta', 'momentum']] },
  { id: 'adagrad', name: 'adagrad', color: OKABE_ITO.green, params: [['adagradLr', 'lr']] },
  { id: 'rmsprop', name: 'rmsprop', color: OKABE_ITO.skyBlue, params: [['rmsLr', 'lr'], ['rmsRho', 'momentum']] },
  { id: 'adam', name: 'adam', color: OKABE_ITO.blue, params: ADAM },
  { id: 'adamnobc', name: 'adam', biasCorrection: false, color: OKABE_ITO.purple, params: ADAM },
];
export const RUN_IDS = RUNS.map((r) => r.id);
export const HYPER = [...new Set(RUNS.flatMap((r) => r.params.map(([name]) => name)))];

/**
 * How each surface is drawn: the box [x0, x1, y0, y1], the colour scale
 * ('log' where values span decades), the minima and saddle points marked.
 * tests/web_units checks every marked point against the engine.
 */
export const VIEWS = {
  quadratic: { box: [-2.5, 2.5, -2, 2], scale: 'log', minima: [[0, 0]] },
  rosenbrock: { box: [-2, 2, -1, 3], scale: 'log', minima: [[1, 1]] },
  beale: { box: [-4.5, 4.5, -4.5, 4.5], scale: 'log', minima: [[3, 0.5]] },
  saddle: { box: [-2, 2, -2, 2], scale: 'log', minima: [[0, -1], [0, 1]], saddles: [[0, 0]] },
  camel: { box: [-2.2, 2.2, -1.2, 1.2], scale: 'log', minima: [[0.0898420131, -0.7126564033], [-0.0898420131, 0.7126564033]] },
  noisy: { box: [-3, 3, -2, 2], scale: 'log', minima: [[0, 0]] },
};

// hyper-parameters that suit a surface: every run moves and none diverges
// within the surface's iterations (a run of the float64 reference each)
const hyper = (sgd, mom, nag, adagrad, rms, adam, alpha = 0.9) => ({
  sgdLr: sgd, momLr: mom, momBeta: alpha, nagLr: nag, nagBeta: alpha, adagradLr: adagrad, rmsLr: rms, rmsRho: 0.9,
  adamLr: adam, adamBeta1: 0.9, adamBeta2: 0.999,
});

/** Each surface's start, iterations and hyper-parameters: what choosing it sets. */
export const SURFACE_DEFAULTS = {
  // momentum 0.8 swings across the valley and stays in the box
  quadratic: { x: -2.2, y: 0.5, iters: 300, ...hyper(0.0019, 0.0019, 0.0019, 0.3, 0.02, 0.1, 0.8) },
  rosenbrock: { x: -1.2, y: 1, iters: 1000, ...hyper(0.001, 0.001, 0.001, 0.5, 0.01, 0.05) },
  beale: { x: 1, y: 1.5, iters: 1000, ...hyper(0.01, 0.002, 0.002, 0.5, 0.01, 0.05) },
  saddle: { x: -1.8, y: 0.01, iters: 300, ...hyper(0.03, 0.03, 0.03, 0.1, 0.01, 0.03) },
  camel: { x: 2, y: 0.25, iters: 400, ...hyper(0.02, 0.02, 0.02, 0.3, 0.02, 0.05) },
  noisy: { x: -2.5, y: 1.5, iters: 500, ...hyper(0.05, 0.01, 0.01, 0.5, 0.02, 0.05) },
};

/** The settings the surface sets when it is chosen (the others stay). */
export const SURFACE_KEYS = ['x', 'y', 'iters', ...HYPER];

/**
 * The course's points, each a surface with its start, runs and settings
 * (the rest from the surface's defaults), explained on screen in one line
 * (strings.js, oAbout_<preset>). Tuned with a float64 run of each.
 */
export const PRESETS = {
  // Distill's hero figure: step size 0.0019, momentum 0.78, 150 iterations, from its start
  distill: { surface: 'quadratic', optimizers: ['sgd', 'momentum'], iters: 150, sgdLr: 0.0019, momLr: 0.0019, momBeta: 0.78 },
  // momentum swings across the valley for dozens of steps; Nesterov's look-ahead damps it at once
  ravine: { surface: 'quadratic', optimizers: ['momentum', 'nesterov'], momLr: 0.0019, momBeta: 0.95, nagLr: 0.0019, nagBeta: 0.95 },
  // AdaGrad's steps fall from 0.14 to 1e-4 and it stalls in the valley; RMSProp's stay near 0.01
  adagrad: { surface: 'quadratic', optimizers: ['adagrad', 'rmsprop'], iters: 1000, chart: 'step', adagradLr: 0.1, rmsLr: 0.01 },
  // uncorrected, the first steps reach 2.8 (14 times ε; up to 20 per coordinate for a steady gradient) and leave the basin
  bias: { surface: 'camel', x: 0.5, y: 0.9, optimizers: ['adam', 'adamnobc'], iters: 300, chart: 'step', adamLr: 0.2, adamBeta2: 0.9999 },
  // SGD sits on the plateau f = 1/4 from iteration 50 to 270; momentum and Adam leave it by 100
  saddle: { surface: 'saddle', x: -1.8, y: 0.0001, optimizers: ['sgd', 'momentum', 'adam'], iters: 600, sgdLr: 0.03, momLr: 0.03, adamLr: 0.03 },
};

/** The settings a preset leaves as they are when it is chosen. */
export const PRESET_KEEPS = ['speed'];

/**
 * The default of Optimisers setting `name` given the group's current
 * values: the preset's, else the surface's; undefined for the table's own.
 */
export function optimDefault(optim, name) {
  if (name === 'preset') return undefined;
  const preset = PRESETS[optim.preset];
  if (name === 'surface') return preset?.surface;
  return preset?.[name] ?? SURFACE_DEFAULTS[optim.surface]?.[name];
}

/** v clamped to the box of `surface` along axis 'x' or 'y'. */
export function clampToBox(surface, axis, v) {
  const [x0, x1, y0, y1] = VIEWS[surface].box;
  const [lo, hi] = axis === 'x' ? [x0, x1] : [y0, y1];
  return Math.min(hi, Math.max(lo, v));
}
