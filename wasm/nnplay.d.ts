// nnplay.d.ts: types of the JS API in wasm/nnplay.mjs, for editors and for
// `make lint` (tsc checks the examples against it; tests/types.test.mjs checks
// that every name the API accepts is here).

export type Activation = 'linear' | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'prelu' | 'elu' | 'gelu'
  | 'swish' | 'selu';
export type Output = 'linear' | 'sigmoid' | 'tanh' | 'softmax';
export type Loss = 'se_half' | 'mse' | 'bce' | 'softmax_ce' | 'ce' | 'cross_entropy' | 'half_se';
export type OptimizerName = 'sgd' | 'momentum' | 'nesterov' | 'adagrad' | 'rmsprop' | 'adam';
export type InitName = 'constant' | 'uniform' | 'xavier_uniform' | 'xavier_normal' | 'he_uniform' | 'he_normal'
  | 'xavier' | 'glorot' | 'he';
export type DatasetName = 'circle' | 'xor' | 'gauss' | 'spiral' | 'spirals' | 'blobs' | 'plane' | 'cos';
export type Stream = 'init' | 'shuffle' | 'dropout';
export type LayerKind = 'dense' | 'activation' | 'dropout' | 'batchnorm' | 'conv' | 'maxpool' | 'avgpool' | 'upsample'
  | 'reshape';
/** The loss surfaces of two parameters (engine/nn.h, nn_surface). */
export type SurfaceName = 'quadratic' | 'rosenbrock' | 'beale' | 'saddle' | 'camel' | 'noisy';
/** Input noise of a denoising autoencoder: mask sets each input to 0 with probability amount (in [0, 1]), gaussian adds N(0, amount²). */
export type NoiseKind = 'none' | 'mask' | 'gaussian';

/** Status code of a diverged loss (NaN or beyond float range): err.code === ERR_DIVERGED. */
export const ERR_DIVERGED: -8;

export class NNPlayError extends Error {
  /** The C status (negative), or 0 for a check made in JavaScript. */
  code: number;
}

export interface OptimizerOptions {
  name: OptimizerName;
  /** Learning rate eps (> 0). */
  lr?: number;
  /** Momentum alpha, RMSProp rho or Adam rho1. */
  momentum?: number;
  /** Adam rho2. */
  beta2?: number;
  /** Stabiliser delta (AdaGrad outside the root, RMSProp inside, Adam outside). */
  delta?: number;
  /** eps_t = eps / (1 + decay t). */
  decay?: number;
}

export interface InitOptions {
  name: InitName;
  /** Weight value for 'constant'. */
  constant?: number;
  /** Every bias. */
  bias?: number;
}

/** A hidden layer: dense, then optional batch norm, the activation, optional dropout. */
export interface HiddenLayer {
  units: number;
  activation?: Activation;
  /** LeakyReLU slope, ELU alpha or initial PReLU slope. */
  param?: number;
  perNeuron?: boolean;
  dropout?: number;
  batchNorm?: boolean;
}

/** A raw layer, for full control of the order. */
export type RawLayer =
  | { type: 'dense'; units: number }
  | { type: 'activation'; activation: Activation; param?: number; perNeuron?: boolean }
  | { type: 'dropout'; p: number }
  | { type: 'batchnorm'; momentum?: number; eps?: number }
  | { type: 'conv'; channels: number; kernel: number; stride?: number; pad?: number }
  | { type: 'maxpool' | 'avgpool'; kernel: number; stride?: number }
  | { type: 'upsample'; factor: number }
  | { type: 'reshape'; shape: [number, number, number] };

/**
 * A spatial layer (the input must have a `shape`): a convolution to `conv`
 * channels (kernel k, stride 1 and no padding by default), optionally
 * followed by batch norm over channels and an activation; or a pool over
 * windows of `maxpool` / `avgpool` (stride: the window). A dense layer after
 * a spatial one sees it flattened. For a conv decoder (an autoencoder's):
 * `upsample` by an integer factor (nearest neighbour: each value fills a
 * factor x factor block, any channels), and `reshape` to [channels, height,
 * width], whose product must be the previous layer's width (a dense layer's
 * units), so that a convolution can follow, e.g.
 * `[..., 32, 'relu', { reshape: [8, 2, 2] }, { upsample: 7 }, { conv: 1, kernel: 3, pad: 1 }]`
 * with `outputs: 0`. No transposed convolution: upsample + conv learns the
 * same maps without its checkerboard artifacts (engine/nn.h).
 */
export type SpatialLayer =
  | { conv: number; kernel: number; stride?: number; pad?: number; batchNorm?: boolean; activation?: Activation }
  | { maxpool: number; stride?: number }
  | { avgpool: number; stride?: number }
  | { upsample: number }
  | { reshape: [number, number, number] };

export interface NetOptions {
  inputs?: number;
  /** The input as an image [channels, height, width]; inputs defaults to their product. */
  shape?: [number, number, number];
  /** Hidden layers in order; a string is an activation (or 'batchnorm') on its own. */
  layers?: Array<number | HiddenLayer | RawLayer | SpatialLayer | Activation | 'batchnorm'>;
  /** Default hidden activation ('tanh'). */
  activation?: Activation;
  activationParam?: number;
  preluPerNeuron?: boolean;
  /** Units of the dense output layer added after `layers` (default 1); 0 adds none: the last of `layers`, a
   * convolution (a conv decoder's, one logit per pixel), gives the outputs. */
  outputs?: number;
  output?: Output;
  /** Default: bce for sigmoid, softmax_ce for softmax, mse otherwise. */
  loss?: Loss;
  optimizer?: OptimizerName | OptimizerOptions;
  lr?: number;
  init?: InitName | InitOptions;
  l1?: number;
  l2?: number;
  /** Dropout after every hidden activation. */
  dropout?: number;
  /** Batch norm before every hidden activation. */
  batchNorm?: boolean;
  /** Accuracy threshold for one squared-error output. */
  threshold?: number;
  seed?: number;
  maxBatch?: number;
}

/** Any array of numbers the API copies: a typed array or a plain array (checked: finite values). */
/** How values become palette entries (engine/nn.h, nn_color_mode). */
export type ColorMode = 'signed' | 'probability' | 'scaled' | 'class';
/** RGBA entries, 4 bytes each. */
export type Palette = Uint8Array | Uint8ClampedArray;

export type Numbers = Float32Array | Float64Array | Int32Array | Uint8Array | number[];

export interface Arrays {
  x?: Numbers | null;
  y?: Numbers | null;
  /** 'inputs': the targets are the inputs (an autoencoder's), instead of y. */
  targets?: 'inputs';
  /** Class indices: integers >= 0 (below the net's outputs). */
  labels?: Int32Array | Uint8Array | number[] | null;
}

export interface TrainOptions {
  /** Examples per step, 1..maxBatch (default 10). */
  batchSize?: number;
  /** Steps to run; 0 runs to the end of the current epoch. */
  steps?: number;
  /** Each new epoch in a shuffled order (default) or in the data's order (online SGD in order). */
  shuffle?: boolean;
}

export interface TrainReport { loss: number; steps: number; epochs: number }

export class Data {
  readonly n: number;
  readonly dims: number;
  readonly targetDims: number;
  /** Made with targets: 'inputs' (then y is null and targetDims = dims). */
  readonly targetsAreInputs: boolean;
  classes?: number;
  readonly x: Float32Array | Uint8Array;
  readonly y: Float32Array | null;
  readonly labels: Int32Array | null;
  shuffle(seed: number): this;
  slice(start: number, end?: number): Data;
  free(): void;
}

export interface LayerView {
  type: LayerKind;
  /** The output's shape [channels, height, width] ([outputs, 1, 1] for plain features). */
  shape: [number, number, number];
  /** Trainable parameters of the layer. */
  params: number;
  activation: Activation | null;
  inputs: number;
  outputs: number;
  /** Dense W (outputs x inputs, row-major), PReLU slopes or BN gamma. */
  W: Float32Array | null;
  /** Dense b or BN beta. */
  b: Float32Array | null;
  wOffset: number;
  bOffset: number;
  /** Conv and pools: the window's side, its stride and (conv) the zero padding on each side; upsample: stride is
   * the factor; 0 for other kinds. */
  kernel: number;
  stride: number;
  pad: number;
}

/** What the last step taken while tracking (Net.trackUpdates) did, per layer as Net.layers(). */
export interface UpdateNorms {
  /** ||θ|| of the layer's parameters (W and b, PReLU slopes, BN γ and β) before the step. */
  paramNorms: Float32Array;
  /** ||θ after − θ before||. */
  updateNorms: Float32Array;
  /** updateNorms / paramNorms (0 when both are 0, Infinity when only the parameters are). */
  ratios: Float32Array;
}

/** How the units of the activation layers behave over a set, per layer as Net.layers(). */
export interface UnitStats {
  /** Sigmoid and tanh layers: the share of (example, unit) outputs whose slope is below `slope` times its largest; null elsewhere. */
  saturated: (number | null)[];
  /** ReLU layers: the share of units that output 0 for every example; null elsewhere. */
  dead: (number | null)[];
  /** The threshold used, a share of the largest slope (default NN_SATURATION_PERCENT / 100 = 0.1). */
  slope: number;
}

export class Net {
  readonly inputs: number;
  readonly outputs: number;
  readonly maxBatch: number;
  readonly lossName: 'se_half' | 'mse' | 'bce' | 'softmax_ce';
  readonly steps: number;
  /** The optimiser settings, read back from the engine (a loaded net carries its own). */
  readonly optimizer: Required<OptimizerOptions>;
  trainBatch(x: Numbers, yOrLabels: Numbers): number;
  trainBatch(batch: Arrays | Data): number;
  train(data: Data | Arrays, options?: TrainOptions): TrainReport;
  trainEpoch(data: Data | Arrays, options?: Omit<TrainOptions, 'steps'>): TrainReport;
  /** Mean loss and accuracy; with targets 'inputs' the loss is the reconstruction loss and accuracy is NaN. */
  evaluate(data: Data | Arrays): { loss: number; accuracy: number };
  lossGrad(batch: Data | Arrays): number;
  loss(batch: Data | Arrays, options?: { train?: boolean }): number;
  predict(x: Numbers, out?: Float32Array): Float32Array;
  activations(x: Numbers): Float32Array[];
  /** RGBA maps of every unit of the layers with a mode (null: not drawn), one engine call; a view valid until the next pixels call. */
  activationPixels(x: Numbers, options: { modes: (ColorMode | null)[]; discrete?: boolean; palette: Palette }): Uint8ClampedArray;
  params(): Float32Array;
  grads(): Float32Array;
  /** Values in a snapshot: the parameters, then each batch-norm layer's running mean and variance. */
  readonly snapshotSize: number;
  /** A copy of what predictions depend on (parameters and BN running statistics), into `into` when given. */
  snapshot(into?: Float32Array): Float32Array;
  /** Writes back a snapshot (checked first); optimiser state and step count are kept. */
  restore(snapshot: Float32Array): this;
  /** Examples of the current epoch already trained on (0 at an epoch's start). */
  readonly epochPosition: number;
  layers(): LayerView[];
  gradNorms(): Float32Array;
  /** Whether each training step records its update norms (updateNorms); off by default, which costs nothing. Not saved. */
  trackUpdates(on?: boolean): this;
  readonly tracking: boolean;
  /** The norms of the last tracked step (zeros before one); throws while tracking is off. */
  updateNorms(): UpdateNorms;
  /** Saturated and dead units over a Data or inputs x (n * inputs numbers), evaluation mode; slope in (0, 1). */
  unitStats(data: Data | Numbers, options?: { slope?: number }): UnitStats;
  /** The outputs of layer k (0-based as layers(); the last layer's are the logits) for each row: n * layers()[k].outputs values. */
  encode(input: Data | Numbers, k: number): Float32Array;
  /** Layers k+1.. and the output function on codes of layer k's width: n * outputs values; decode(encode(x, k), k) equals predict(x) bit for bit. */
  decode(codes: Numbers, k: number): Float32Array;
  /** Corrupts the inputs while training (trainBatch, train, lossGrad), from the dropout stream; targets stay clean. Not saved. */
  setInputNoise(noise: { kind?: NoiseKind; amount?: number }): this;
  readonly inputNoise: { kind: NoiseKind; amount: number };
  setOptimizer(opt: OptimizerName | OptimizerOptions): this;
  setLearningRate(lr: number): this;
  setRegularization(r: { l1?: number; l2?: number }): this;
  setInit(init: InitName | InitOptions): this;
  setSeed(stream: Stream, seed: number): this;
  setThreshold(t: number): this;
  reset(): this;
  penalty(): number;
  save(): Uint8Array;
  free(): void;
}

/** A stepper's optimiser: a net's, plus Adam's bias correction (default true; nets always have it). */
export interface StepperOptions extends OptimizerOptions {
  biasCorrection?: boolean;
}

/** What descend() made: a row of 5 floats per update (x, y after it, the value there, the gradient gx, gy used). */
export interface DescentSlice {
  trace: Float32Array;
  /** Updates made. */
  steps: number;
  /** An update would have left the gradient, the point or its value not finite: it was not made. */
  diverged: boolean;
}

/** An optimiser on a plain parameter vector (nn_stepper): the nets' own update code. */
export class Stepper {
  /** The number of parameters. */
  readonly n: number;
  /** Updates since creation or reset. */
  readonly steps: number;
  /** The settings, read back from the engine. */
  readonly optimizer: Required<StepperOptions>;
  /** The parameters: a view of wasm memory made afresh on each call. */
  params(): Float32Array;
  setParams(values: Numbers): this;
  /** The same name keeps the state (velocity, moments, Adam's t); another clears it. */
  setOptimizer(opt: OptimizerName | StepperOptions): this;
  /** Zero state and step count; the parameters stay. */
  reset(): this;
  /** Where the next gradient is to be taken: the parameters, or Nesterov's look-ahead. */
  lookahead(): Float32Array;
  /** One update with a gradient taken at lookahead(); one that is not finite throws ERR_DIVERGED and changes nothing. */
  step(grad: Numbers): this;
  /** Up to `steps` (at most 65,536) updates on a surface, for a stepper of 2 parameters; stops before a diverging one. */
  descend(surface: SurfaceName, steps: number, options?: { seed?: number }): DescentSlice;
  free(): void;
}

export class NNPlay {
  readonly simd: boolean;
  /** Names accepted by createNet, dataset, stepper and surface. */
  static readonly names: {
    activations: string[]; losses: string[]; optimizers: string[]; inits: string[]; datasets: string[]; streams: string[];
    surfaces: string[];
  };
  createNet(options?: NetOptions): Net;
  /** The bytes createNet(options) would allocate in the engine, computed without building; throws as createNet would. */
  netBytes(options?: NetOptions): number;
  loadNet(bytes: Uint8Array): Net;
  /** x as floats, or x8 as bytes read as x8 * scale (default 1/255; MNIST stays 1 byte a pixel). */
  data(arrays: Arrays & { x8?: Uint8Array; scale?: number; dims?: number; targetDims?: number }): Data;
  /** A corrupted copy of x (rows of dims) as setInputNoise corrupts training inputs, seeded (default seed 1). */
  corrupt(x: Numbers, options: { dims: number; kind?: NoiseKind; amount?: number; seed?: number }): Float32Array;
  /** The top principal components (1..3) of x (n rows of dims), computed in float64: unit rows by decreasing variance, each with its largest entry positive. */
  pca(x: Numbers, options: { n?: number; dims: number; components?: number }): {
    mean: Float32Array; components: Float32Array; projected: Float32Array; explained: Float32Array;
  };
  /** The share of query rows whose k nearest ref rows (Euclidean) vote for their label; a tie in votes goes to the nearest. k in [1, min(refs, 256)]. */
  knnAccuracy(options: { ref: Numbers; refLabels: Numbers; query: Numbers; queryLabels: Numbers; dims: number; k?: number }): number;
  dataset(name: DatasetName, options?: { n?: number; noise?: number; seed?: number; classes?: number }): Data;
  /** RGBA pixels of values (rows of `columns`) through a palette; a view of wasm memory valid until the next pixels call. */
  colorize(values: Numbers, options: { columns?: number; mode?: ColorMode; discrete?: boolean; palette: Palette }): Uint8ClampedArray;
  /** An optimiser for the parameters `params` (their count is its size), stepped by the caller or on a surface. */
  stepper(optimizer: OptimizerName | StepperOptions, params: Numbers): Stepper;
  /** Values and gradients (x0, y0, x1, y1, ... pairs) of a surface at the points xy = [x0, y0, x1, y1, ...]; copies. */
  surface(name: SurfaceName, xy: Numbers, options?: { gradient?: boolean; seed?: number; draw?: number }): {
    value: Float32Array; grad: Float32Array | null;
  };
}

export function simdSupported(): boolean;
export function load(options?: {
  simd?: boolean;
  single?: boolean;
  wasmBinary?: ArrayBuffer | Uint8Array;
  baseUrl?: string | URL;
}): Promise<NNPlay>;
