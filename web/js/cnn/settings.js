// settings.js: the CNN view's settings (state.js group 'cnn', URL prefix
// 'c') and the defaults it gives the MNIST training settings it shares.
import { canonicalArch, DEFAULT_ARCH, PRESETS as CNN_PRESETS } from './arch.js';
import { int } from '../setting-kinds.js';

// The CNN view: its architecture (cnn/arch.js; a link's is parsed and checked
// there, and falls back to the default when it cannot work) and the test
// digit whose feature maps it shows. Its training settings are the MNIST
// view's (VIEW_MNIST).
export const CNN_SETTINGS = [
  { name: 'arch', type: 'text', def: DEFAULT_ARCH, parse: canonicalArch, sample: CNN_PRESETS.lenet, change: 'net' },
  int('digit', 0, 0, 9999, 'view'),
];

/**
 * The MNIST training settings the MLP and the CNN share take each model's
 * defaults: SGD at 0.5 on batches of 64 for 2 epochs is the lab's MLP, and
 * kills the ReLUs of a CNN (9.6 % after 500 steps); the CNN's are ConvNetJS's
 * demo's (batch 20) with Adam. A value the user set carries across when the
 * model changes; one still at the old model's default takes the new one's
 * (the optimiser, its rate and momentum as one: all three, or none).
 */
export const CNN_DEFAULTS = { optimizer: 'adam', lr: 0.002, momentum: 0.9, batch: 20, epochs: 1 };
