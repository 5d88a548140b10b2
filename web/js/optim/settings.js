// settings.js: the Optimisers view's settings (state.js group 'optim', URL
// prefix 'o'), their defaults following its preset and surface (presets.js).
import { SURFACES, PRESET_NAMES, MODES, SPEEDS, MAX_ITERS, RUN_IDS } from './presets.js';
import { num, int, choice, list } from '../setting-kinds.js';

// The Optimisers view: a preset (the course's points) sets the surface, the
// start, the runs and their hyper-parameters; a surface sets its own start,
// iterations and hyper-parameters (optim/presets.js). preset, then surface,
// come first: the others' defaults depend on them. The view keeps the start
// inside the surface's box (the limits here hold every box).
const lr = (name) => num(name, 0.01, 1e-5, 10, 'live');
const beta = (name, def = 0.9, max = 0.999) => num(name, def, 0, max, 'live', 0.01);
export const OPTIM_SETTINGS = [
  choice('preset', 'none', PRESET_NAMES, 'data'),
  choice('surface', 'quadratic', SURFACES, 'data'),
  num('x', 0, -5, 5, 'data', 0.1),
  num('y', 0, -5, 5, 'data', 0.1),
  { ...list('optimizers', RUN_IDS.slice(0, 6), RUN_IDS, 'data'), nonEmpty: true },
  choice('mode', 'race', MODES, 'view'),
  choice('speed', 'normal', Object.keys(SPEEDS), 'view'),
  int('iters', 300, 10, MAX_ITERS, 'data'),
  choice('chart', 'loss', ['loss', 'step'], 'view'),
  int('seed', 1, 0, 2 ** 32 - 1, 'data'),
  lr('sgdLr'), lr('momLr'), beta('momBeta'), lr('nagLr'), beta('nagBeta'), lr('adagradLr'), lr('rmsLr'), beta('rmsRho'),
  lr('adamLr'), beta('adamBeta1'), beta('adamBeta2', 0.999, 0.9999),
];
