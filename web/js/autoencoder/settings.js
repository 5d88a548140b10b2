// settings.js: the autoencoder view's settings (state.js group
// 'autoencoder', URL prefix 'a') and the defaults it gives the MNIST
// training settings it shares.
import { canonicalAeArch, AE_DEFAULT_ARCH, AE_PRESETS, AE_ACTIVATIONS, NOISES } from './arch.js';
import { num, int, choice } from '../setting-kinds.js';

// the autoencoder's: Adam at 0.001 on batches of 64 for 5 epochs (the same keys as the CNN's)
export const AE_DEFAULTS = { optimizer: 'adam', lr: 0.001, momentum: 0.9, batch: 64, epochs: 5 };

// The autoencoder view (autoencoder/): its architecture (autoencoder/arch.js,
// checked there), hidden units, loss, the noise on its inputs while it
// trains (denoising), and the two test digits it interpolates between. Its
// training settings are the MNIST view's (AE_DEFAULTS).
export const AE_SETTINGS = [
  { name: 'arch', type: 'text', def: AE_DEFAULT_ARCH, parse: canonicalAeArch, sample: AE_PRESETS.convnetjs, change: 'net' },
  choice('act', 'relu', AE_ACTIVATIONS, 'net'),
  choice('loss', 'bce', ['bce', 'mse'], 'net'),
  choice('noise', 'none', NOISES, 'live'),
  num('noiseAmt', 0.3, 0, 1, 'live', 0.05),
  int('digitA', 0, 0, 9999, 'view'),
  int('digitB', 1, 0, 9999, 'view'),
];
