// settings.js: the Convolution view's settings (state.js group
// 'convolution', URL prefix 'v').
import { int, choice, flag, numbers } from '../setting-kinds.js';

/** The convolution explainer's 3 x 3 kernels (convolution/model.js gives their weights); 'custom' is typed. */
export const KERNELS = ['identity', 'hedges', 'vedges', 'laplacian', 'sharpen', 'box', 'gauss', 'emboss', 'slide', 'custom'];

// the convolution explainer (convolution/explainer.js): what it convolves
// (a test digit, the pad's drawing, the course slide's 5 x 5 patch), with
// which kernel (the weights of 'custom' are typed), padding and stride, the
// output pixel whose arithmetic is shown ([-1, -1]: the centre), the pooling
export const CONVOLUTION_SETTINGS = [
  choice('input', 'digit', ['digit', 'pad', 'slide'], 'view'),
  int('digit', 0, 0, 9999, 'view'),
  choice('kernel', 'hedges', KERNELS, 'view'),
  numbers('weights', [0, 0, 0, 0, 1, 0, 0, 0, 0], -1000, 1000, 'view'),
  int('pad', 1, 0, 3, 'view'),
  int('stride', 1, 1, 3, 'view'),
  flag('flip', false, 'view'),
  numbers('pixel', [-1, -1], -1, 99, 'view', true),
  choice('pool', 'max', ['max', 'avg'], 'view'),
  int('poolSize', 2, 2, 4, 'view'),
  int('poolStride', 2, 1, 4, 'view'),
];
