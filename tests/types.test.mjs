// types.test.mjs: wasm/nnplay.d.ts against the names the JS API accepts:
// the enum names of the generated build/wasm/nnplay-abi.mjs (from engine/nn.h
// through wasm/abi.c) and the aliases of wasm/nnplay-names.mjs. Every
// activation, loss, optimiser, init scheme, data set and stream, with every
// alias, is in the typings' unions, and the unions hold nothing the API would
// refuse. (The typings once lacked the loss aliases cross_entropy and
// half_se.) tsc checks the examples against the same typings in `make lint`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ABI } from '../build/wasm/nnplay-abi.mjs';
import { LOSS_ALIASES, INIT_ALIASES } from '../build/wasm/nnplay-names.mjs';

const {
  nn_act: ACTIVATIONS, nn_loss: LOSSES, nn_optimizer: OPTIMIZERS, nn_init_scheme: INITS, nn_dataset: DATASETS,
  nn_stream: STREAMS, nn_layer_kind: LAYER_KINDS, nn_surface: SURFACES, nn_noise: NOISES,
} = ABI.enums;
const dts = readFileSync(new URL('../wasm/nnplay.d.ts', import.meta.url), 'utf8');

/** The string literals of `export type NAME = 'a' | 'b' ...;`. */
function union(name) {
  const m = new RegExp(`export type ${name} =([^;]*);`).exec(dts);
  assert.ok(m, `${name} is declared in nnplay.d.ts`);
  return [...m[1].matchAll(/'([^']*)'/g)].map((x) => x[1]).sort();
}

const sorted = (a) => [...a].sort();

test('every name and alias the API accepts is in the typings, and no other', () => {
  assert.deepEqual(union('Activation'), sorted(ACTIVATIONS.filter((a) => a !== 'softmax')), 'hidden activations');
  assert.deepEqual(union('Output'), sorted(['linear', 'sigmoid', 'tanh', 'softmax']), 'outputs');
  assert.deepEqual(union('Loss'), sorted([...LOSSES, ...Object.keys(LOSS_ALIASES)]), 'losses with aliases');
  assert.deepEqual(union('OptimizerName'), sorted(OPTIMIZERS), 'optimisers');
  assert.deepEqual(union('InitName'), sorted([...INITS, ...Object.keys(INIT_ALIASES)]), 'init schemes with aliases');
  assert.deepEqual(union('DatasetName'), sorted(DATASETS), 'data sets');
  assert.deepEqual(union('Stream'), sorted(STREAMS), 'streams');
  assert.deepEqual(union('LayerKind'), sorted(LAYER_KINDS), 'layer kinds');
  assert.deepEqual(union('SurfaceName'), sorted(SURFACES), 'loss surfaces');
  assert.deepEqual(union('NoiseKind'), sorted(NOISES), 'input noise kinds');
});

test('the typings name every option the API reads', () => {
  for (const option of ['batchSize', 'steps', 'shuffle']) assert.match(dts, new RegExp(`\\b${option}\\?:`), `train option ${option}`);
  for (const option of ['x8', 'scale', 'dims', 'targetDims']) assert.match(dts, new RegExp(`\\b${option}\\?:`), `data option ${option}`);
  for (const option of ['biasCorrection', 'seed', 'draw', 'gradient']) assert.match(dts, new RegExp(`\\b${option}\\?:`), `stepper option ${option}`);
});
