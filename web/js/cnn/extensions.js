// extensions.js: the CNN view's mount point for modules written apart from
// it (the convolution explainer, the MLP-vs-CNN race, "shift the digit").
// Each entry of CNN_EXTENSIONS is an object
//   {id, mount(box, host) -> {update(what), free()}}
// The view gives every entry a box of its own, <div data-extension="id">,
// inside its section #cnn-explainer (hidden while the list is empty), calls
// mount once when it is built, and update(what) when something changes:
//   'net'     a new net (built, rebuilt from the settings, or loaded)
//   'weights' training moved the weights (a few times a second while it trains)
//   'input'   another digit is shown (a test digit, the drawing pad, setInput)
//   'select'  another feature-map cell is chosen
//   'lang'    the page's language changed (the box is kept; redo its texts)
// free() is called when the page lets the view go (never, today).
//
// host (hostOf(view), the view's side; read values afresh, never keep them
// across updates):
//   nn                      the engine (NNPlay)
//   t(key, values), fmt, lang   the page's strings (i18n.js), number formats and language
//   net()                   the Net training now (a JS API Net)
//   layers()                its layers as cnn/model.js describeNet gives them
//                           (type, inShape, shape, kernel, stride, pad, W, b, token)
//   input()                 {x (784 floats in [0, 1]), label, index, source}
//   setInput(x, label)      shows another input (784 floats): maps, arithmetic, probabilities
//   activations()           the engine's outputs of every layer for input() (net.activations)
//   selected(), select(layer, cell)   the chosen cell {layer, cell: {c, y, x}}
//   explain(layer, cell)    cnn/receptive.js explain() of a cell on the current input
//   mnist(), sets()         the digits (bytes) and their engine-side sets (cnn/model.js makeSets)
//   settings()              {cnn, mnist}: the view's settings and the MNIST ones it shares
//   change(group, name, value)   changes a setting (as a control would)
//   playing(), pause()
import { describeNet } from './model.js';
import { explain } from './receptive.js';

export const CNN_EXTENSIONS = [];

/** The host an extension is given: what it may read and do of `view` (cnn/view.js). */
export function hostOf(view) {
  const net = () => view.run?.net ?? null;
  return {
    nn: view.nn,
    t: (key, values) => view.t(key, values),
    get fmt() { return view.fmt; },
    get lang() { return view.lang; },
    net,
    layers: () => (net() ? describeNet(net()) : []),
    input: () => view.digits.input(),
    setInput: (x, label = null) => { view.digits.setHostInput(Float32Array.from(x), label); view.showInput(); },
    activations: () => view.acts,
    selected: () => view.selected,
    select: (layer, cell) => view.select(layer, cell),
    explain: (layer, cell) => explain(describeNet(net()), view.acts, view.digits.input().x, layer, cell),
    mnist: () => view.mnist,
    sets: () => view.sets,
    settings: () => ({ cnn: { ...view.state }, mnist: { ...view.shared } }),
    change: (group, name, value) => view.ctx.onChange(group, name, value),
    playing: () => view.playing,
    pause: () => view.setPlaying(false),
  };
}
