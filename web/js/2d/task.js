// task.js: the one rule for what a 2D data set asks of the net: its task
// (binary, multi-class or regression, and the class count), the output and
// loss that fit it, the heatmap resolution a net of its size gets, and which
// controls apply. Everything that shows, hides or picks by task asks here.
import { prop, weightCount, GRID_BUDGET } from '../state.js';
import { customTask } from './custom-data.js';

/** The data sets and what they are: kind, and the class counts they take. */
export const DATA = {
  circle: { kind: 'binary' },
  xor: { kind: 'binary' },
  gauss: { kind: 'binary' },
  spiral: { kind: 'binary' },
  spirals: { kind: 'multiclass', minClasses: 3 },
  blobs: { kind: 'multiclass', minClasses: 2 },
  plane: { kind: 'regression' },
  cos: { kind: 'regression' },
  // a loaded CSV (custom-data.js): its task comes from the file
  custom: { kind: 'custom' },
};

/** What the task is: 'binary', 'multiclass' or 'regression', and the class count. */
export function task(s) {
  const d = DATA[s.dataset];
  if (d.kind === 'custom') return customTask();
  if (d.kind === 'regression') return { kind: 'regression', classes: 0 };
  if (d.kind === 'multiclass') {
    const classes = Math.max(d.minClasses, s.classes);
    return classes > 2 ? { kind: 'multiclass', classes } : { kind: 'binary', classes: 2 };
  }
  return { kind: 'binary', classes: 2 };
}

/** The output function and loss for a 2D state, with the reason in a key of the strings table. */
export function outputFor(s) {
  const t = task(s);
  if (t.kind === 'regression') return { output: 'linear', loss: 'mse', units: 1, why: 'whyRegression' };
  if (t.kind === 'multiclass') return { output: 'softmax', loss: 'softmax_ce', units: t.classes, why: 'whySoftmax' };
  if (s.output === 'tanh') return { output: 'tanh', loss: 'mse', units: 1, why: 'whyTanh' };
  if (s.output === 'softmax') return { output: 'softmax', loss: 'softmax_ce', units: 2, why: 'whySoftmax' };
  return { output: 'sigmoid', loss: 'bce', units: 1, why: 'whySigmoid' };
}

/** The heatmap resolution actually drawn: the chosen one, or less for a big net (GRID_BUDGET). */
export function gridResolution(s) {
  const p = prop('2d', 'resolution');
  const weights = weightCount([s.features.length, ...s.hidden, outputFor(s).units]);
  return Math.min(s.resolution, Math.max(p.min, Math.floor(Math.sqrt(GRID_BUDGET / weights))));
}

/** Optimisers with a momentum-like coefficient (momentum, ρ or ρ1). */
export const usesMomentum = (o) => ['momentum', 'nesterov', 'rmsprop', 'adam'].includes(o);

/** Whether control `name` applies to the 2D state s (the others are hidden). */
export function applies(s, name) {
  switch (name) {
    case 'classes': return DATA[s.dataset].kind === 'multiclass';
    // a loaded set has its own points
    case 'points': case 'noise': return s.dataset !== 'custom';
    case 'output': return task(s).kind === 'binary';
    case 'initConst': return s.init === 'constant';
    case 'momentum': return usesMomentum(s.optimizer);
    case 'beta2': return s.optimizer === 'adam';
    case 'regRate': return s.reg !== 'none';
    // a stop to restore at needs a patience
    case 'autoRestore': return s.patience > 0;
    default: return true;
  }
}

/** The smallest class count the data set takes (the classes control's minimum). */
export const minClasses = (s) => DATA[s.dataset].minClasses ?? 2;

/**
 * The traps the 2D settings and the run so far fall into, as strings-table
 * keys with their values, most important first: settings that cannot work
 * (batch norm on batches of 1), a learning rate that makes the loss climb or
 * swing, a decay that has shrunk the rate, sigmoid's slow start at a small
 * rate. `history` is the model's [{step, trainLoss}], `steps` its step count.
 */
export function warnings(s, history, steps) {
  const out = [];
  if (s.batchNorm && s.batch === 1) out.push({ key: 'warnBnBatch1' });
  const losses = history.map((h) => h.trainLoss).filter(Number.isFinite);
  if (losses.length >= 10) {
    // the recent losses against the best so far: well above it, and moving both ways or up
    const best = Math.min(...losses), recent = losses.slice(-8);
    const last = recent[recent.length - 1], start = losses[0];
    let swings = 0;
    for (let i = 2; i < recent.length; i++) if ((recent[i] - recent[i - 1]) * (recent[i - 1] - recent[i - 2]) < 0) swings++;
    if (last > 1.5 * best && last > 0.05 && (last >= start || swings >= 3)) out.push({ key: 'warnLrHigh', values: { lr: s.lr } });
  }
  if (s.decay > 0) {
    const eff = s.lr / (1 + s.decay * steps);
    out.push({ key: eff < 0.1 * s.lr ? 'warnDecayStall' : 'noteDecay', values: { lr: s.lr, decay: s.decay, t: steps, eff } });
  }
  if (s.hidden.length && s.activation === 'sigmoid' && s.optimizer === 'sgd' && s.lr < 0.1) {
    out.push({ key: 'warnSigmoidSlow', values: { lr: s.lr } });
  }
  return out;
}
