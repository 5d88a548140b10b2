// model.js: the Backprop view's data: the course's hand-sized examples
// (COURSE.md sections 2 and 4) as presets, the names of their parameters as
// the course writes them, and how many digits a float32 value carries.

export const PRESETS = {
  // COURSE.md section 4: every number of it must show here
  course: {
    inputs: 2, hidden: [2], outputs: 2, act: 'sigmoid', output: 'sigmoid', loss: 'se_half', lr: 0.5,
    params: [0.15, 0.20, 0.25, 0.30, 0.35, 0.35, 0.40, 0.45, 0.50, 0.55, 0.60, 0.60],
    x: [[0.05, 0.10]], y: [[0.01, 0.99]], editable: true,
  },
  // the 2-2-1 exercise: weights as given (rows = neurons), biases zero
  net221: {
    inputs: 2, hidden: [2], outputs: 1, act: 'sigmoid', output: 'sigmoid', loss: 'se_half', lr: 0.5,
    params: [0.5, -0.3, 0.7, -0.1, 0, 0, 0.2, -0.1, 0],
    x: [[-1, -1], [-1, 1], [1, 1], [1, -1]], y: [[0], [1], [0], [1]],
  },
  // the 1-D tanh neuron, from w = 0.1, b = 0
  neuron: {
    inputs: 1, hidden: [], outputs: 1, act: null, output: 'tanh', loss: 'se_half', lr: 0.1, params: [0.1, 0],
    x: [[-1.2], [0.3], [-0.1], [0.0], [-0.4], [0.7]], y: [[0], [1], [0], [1], [0], [1]],
  },
  // 2 x 2 images: solid, vertical, diagonal, horizontal (softmax, Xavier seed 1)
  pixels: {
    inputs: 4, hidden: [], outputs: 4, act: null, output: 'softmax', loss: 'softmax_ce', lr: 0.5, params: null,
    x: [[1, 1, 1, 1], [1, 0, 1, 0], [0, 1, 0, 1], [1, 0, 0, 1], [0, 1, 1, 0], [1, 1, 0, 0], [0, 0, 1, 1]],
    labels: [0, 1, 1, 2, 2, 3, 3],
  },
};

/**
 * The significant digits a float32 carries for v: the fewest (at most 9, which
 * always suffice) whose decimal reads back as the same float32. 0.15 stored in
 * float32 is 0.150000006, and reads back from "0.15": 2 digits.
 */
export function f32Digits(v) {
  const f = Math.fround(v);
  if (!Number.isFinite(f) || f === 0) return 1;
  let d = 1;
  while (d < 9 && Math.fround(Number(f.toPrecision(d))) !== f) d += 1;
  return d;
}

/**
 * The name of every parameter, in the order of params(): W_hid[j,i] (neuron j,
 * input i, rows = neurons as the course writes W), then b_hid[j], per dense
 * layer; the last dense layer is "out".
 */
export function paramNames(layers) {
  const dense = layers.filter((l) => l.type === 'dense');
  const names = [];
  dense.forEach((l, k) => {
    const layer = k === dense.length - 1 ? 'out' : `hid${dense.length > 2 ? k + 1 : ''}`;
    const at = (o, s) => { names[o] = s; };
    for (let j = 0; j < l.outputs; j++) {
      for (let i = 0; i < l.inputs; i++) at(l.wOffset + j * l.inputs + i, `W_${layer}[${j + 1},${i + 1}]`);
      at(l.bOffset + j, `b_${layer}[${j + 1}]`);
    }
  });
  return names;
}
