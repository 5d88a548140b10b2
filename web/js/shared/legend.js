// legend.js: the colour keys of the pictures: what the boundary's colours
// mean (a class probability, a tanh output, the predicted class or a
// regression value) and what the neuron maps' colours mean.
import { CLASS_COLORS, diverging } from './colors.js';
import { el } from './dom.js';
import { short } from './format.js';

// the CSS gradient of the heatmaps' scale (colors.js DIVERGING: diverging(0.75 v))
const GRADIENT = `linear-gradient(to right, ${[-1, -0.5, 0, 0.5, 1]
  .map((v) => `rgb(${diverging(0.75 * v).join(',')})`).join(', ')})`;

/** The key's sentence (hidden in small embedded frames; the scale stays). */
const text = (s) => el('span', { className: 'key-text', textContent: s });

/** A bar with three labels under it: left, middle, right. */
function bar(left, mid, right) {
  return el('div', { className: 'key-scale' },
    el('span', { className: 'key-gradient', style: `background: ${GRADIENT}` }),
    el('span', { className: 'key-ticks' },
      el('span', { textContent: left }), el('span', { textContent: mid }), el('span', { textContent: right })));
}

/**
 * Fills `root` with the boundary's key. opts: {kind ('binary', 'multiclass',
 * 'regression'), classes, signed (tanh output), t, neuron (a hidden neuron's
 * map is shown instead)}. Rebuilt only when what it says changes.
 */
export function boundaryLegend(root, { kind, classes, signed, t, neuron, lang }) {
  const key = `${lang}/${kind}/${classes}/${signed}/${neuron}`;
  if (root.dataset.key === key) return;
  root.dataset.key = key;
  let body;
  if (neuron) body = [bar('−1', '0', '+1'), text(t('legendNeuron'))];
  else if (kind === 'multiclass') {
    body = [el('span', { className: 'key-classes' }, ...Array.from({ length: classes }, (_, k) => el('span', {},
      el('span', { className: 'key-swatch', style: `background: ${CLASS_COLORS[k]}` }), t('classN', { k })))),
    text(t('legendMulti'))];
  } else if (kind === 'regression') body = [bar('−1', '0', '+1'), text(t('legendRegression'))];
  else if (signed) body = [bar(`−1 ${t('classN', { k: 0 })}`, '0', `${t('classN', { k: 1 })} +1`), text(t('legendTanh'))];
  else body = [bar(`${t('classN', { k: 0 })} (p = 0)`, short(lang, 0.5), `(p = 1) ${t('classN', { k: 1 })}`), text(t('legendBinary'))];
  root.replaceChildren(...body);
}
