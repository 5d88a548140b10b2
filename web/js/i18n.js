// i18n.js: every text of the page in English and French, in one table.
// t(lang, key, values) fills {name} placeholders; a key missing in French
// falls back to English, a missing key shows itself (never undefined).

const STRINGS = {
  en: {
    title: 'nnplay: a neural network playground',
    play: 'Play', pause: 'Pause', step: 'Step', stepEpoch: 'Step epoch', reset: 'Reset', newWeights: 'New weights',
    regenerate: 'Regenerate', share: 'Share / embed', copy: 'Copy',
    data: 'Data', dataset: 'Data set', classes: 'Classes', noise: 'Noise', points: 'Points', trainPct: 'Training share (%)',
    dataSeed: 'Data seed',
    features: 'Features', network: 'Network', hiddenLayers: 'Hidden layers', neurons: 'neurons', addLayer: 'Add a layer',
    removeLayer: 'Remove a layer', moreUnits: 'More neurons in layer {k}', fewerUnits: 'Fewer neurons in layer {k}',
    activation: 'Activation', output: 'Output', init: 'Initialisation', initConst: 'Constant weight', seed: 'Weight seed',
    batchNorm: 'Batch normalisation', dropout: 'Dropout rate',
    training: 'Training', optimizer: 'Optimiser', lr: 'Learning rate', momentum: 'Momentum / ρ / ρ1', beta2: 'ρ2 (Adam)',
    decay: 'Learning-rate decay', batch: 'Batch size', reg: 'Regularisation', regRate: 'Regularisation rate',
    speed: 'Speed', step: 'Step', epoch: 'Epoch', max: 'As fast as possible',
    showTest: 'Show test data', discretize: 'Discretize output', logScale: 'Log scale', resolution: 'Heatmap resolution',
    language: 'Language',
    epoch: 'Epoch', stepCount: 'Step', trainLoss: 'Train loss', testLoss: 'Test loss', accuracy: 'Accuracy',
    trainAcc: 'train', testAcc: 'test', stepsPerSecond: '{n} steps/s',
    diverged: 'The loss diverged: lower the learning rate, then press Reset.',
    whySigmoid: 'Two classes: a sigmoid output with binary cross-entropy gives the probability of the blue class.',
    whyTanh: 'Two classes: a tanh output in [-1, 1] with squared error, as in TensorFlow Playground.',
    whySoftmax: 'One label among K classes: a softmax output with categorical cross-entropy.',
    whyRegression: 'Regression: a linear output with mean squared error.',
    clickHelp: 'Click: add a point of the selected class. Shift-click: the next class. Ctrl/⌘-click: remove the nearest point.',
    addClass: 'Class added by a click',
    boundary: 'Decision boundary: the colour shows the predicted class, its strength the confidence.',
    regressionView: 'Prediction over the plane',
    neuronView: 'Output of neuron {k} of layer {l} (click again to go back)',
    diagram: 'Network: each neuron shows its own output over the plane; links are coloured by sign and sized by |w|.',
    weight: 'weight {from} → {to}: {w}',
    lossChart: 'Loss over time',
    embedLink: 'Link to this playground', embedCode: 'Code to embed it in slides', hideControls: 'Hide in embed',
    autoplay: 'Start playing', lang: 'Language',
    circle: 'Circle', xor: 'XOR', gauss: 'Gaussian', spiral: 'Spiral', multispiral: 'K spirals', blobs: 'K blobs',
    plane: 'Plane (regression)', cos: 'cos(x) (regression)',
    x1: 'x₁', x2: 'x₂', x1sq: 'x₁²', x2sq: 'x₂²', x1x2: 'x₁·x₂', sinx1: 'sin x₁', sinx2: 'sin x₂',
    tanh: 'tanh', sigmoid: 'sigmoid', relu: 'ReLU', leaky_relu: 'Leaky ReLU', prelu: 'PReLU', elu: 'ELU', gelu: 'GELU',
    swish: 'Swish', selu: 'SELU', linear: 'linear', auto: 'auto', softmax: 'softmax',
    sgd: 'SGD', nesterov: 'Nesterov', adagrad: 'AdaGrad', rmsprop: 'RMSProp', adam: 'Adam',
    xavier_uniform: 'Xavier uniform', xavier_normal: 'Xavier normal', he_uniform: 'He uniform', he_normal: 'He normal',
    uniform: 'Uniform ±1/√n', constant: 'Constant (symmetry)',
    none: 'none', l1: 'L1', l2: 'L2',
    classN: 'class {k}',
    loading: 'Loading…', loadError: 'The engine could not load: {msg}',
  },
  fr: {
    title: 'nnplay : un bac à sable de réseaux de neurones',
    play: 'Lecture', pause: 'Pause', step: 'Pas', stepEpoch: 'Une époque', reset: 'Réinitialiser',
    newWeights: 'Nouveaux poids', regenerate: 'Régénérer', share: 'Partager / intégrer', copy: 'Copier',
    data: 'Données', dataset: 'Jeu de données', classes: 'Classes', noise: 'Bruit', points: 'Points',
    trainPct: 'Part d’apprentissage (%)', dataSeed: 'Graine des données',
    features: 'Entrées', network: 'Réseau', hiddenLayers: 'Couches cachées', neurons: 'neurones',
    addLayer: 'Ajouter une couche', removeLayer: 'Retirer une couche', moreUnits: 'Plus de neurones dans la couche {k}',
    fewerUnits: 'Moins de neurones dans la couche {k}',
    activation: 'Activation', output: 'Sortie', init: 'Initialisation', initConst: 'Poids constant', seed: 'Graine des poids',
    batchNorm: 'Normalisation par lot', dropout: 'Taux de dropout',
    training: 'Apprentissage', optimizer: 'Optimiseur', lr: 'Pas d’apprentissage', momentum: 'Moment / ρ / ρ1',
    beta2: 'ρ2 (Adam)', decay: 'Décroissance du pas', batch: 'Taille du lot', reg: 'Régularisation',
    regRate: 'Taux de régularisation',
    speed: 'Vitesse', max: 'Aussi vite que possible',
    showTest: 'Afficher le test', discretize: 'Sortie discrétisée', logScale: 'Échelle log', resolution: 'Résolution',
    language: 'Langue',
    epoch: 'Époque', stepCount: 'Pas', trainLoss: 'Perte (apprentissage)', testLoss: 'Perte (test)', accuracy: 'Exactitude',
    trainAcc: 'apprentissage', testAcc: 'test', stepsPerSecond: '{n} pas/s',
    diverged: 'La perte a divergé : baissez le pas d’apprentissage, puis réinitialisez.',
    whySigmoid: 'Deux classes : une sortie sigmoïde avec l’entropie croisée binaire donne la probabilité de la classe bleue.',
    whyTanh: 'Deux classes : une sortie tanh dans [-1, 1] avec l’erreur quadratique, comme TensorFlow Playground.',
    whySoftmax: 'Une étiquette parmi K classes : une sortie softmax avec l’entropie croisée.',
    whyRegression: 'Régression : une sortie linéaire avec l’erreur quadratique moyenne.',
    clickHelp: 'Clic : ajouter un point de la classe choisie. Maj-clic : la classe suivante. Ctrl/⌘-clic : retirer le point le plus proche.',
    addClass: 'Classe ajoutée par un clic',
    boundary: 'Frontière de décision : la couleur donne la classe prédite, son intensité la confiance.',
    regressionView: 'Prédiction sur le plan',
    neuronView: 'Sortie du neurone {k} de la couche {l} (cliquer à nouveau pour revenir)',
    diagram: 'Réseau : chaque neurone montre sa sortie sur le plan ; les liens sont colorés selon le signe et épaissis selon |w|.',
    weight: 'poids {from} → {to} : {w}',
    lossChart: 'Perte au cours du temps',
    embedLink: 'Lien vers ce bac à sable', embedCode: 'Code pour l’intégrer dans des diapositives',
    hideControls: 'Masquer dans l’intégration', autoplay: 'Démarrer automatiquement', lang: 'Langue',
    circle: 'Cercle', xor: 'XOR', gauss: 'Gaussiennes', spiral: 'Spirale', multispiral: 'K spirales', blobs: 'K nuages',
    plane: 'Plan (régression)', cos: 'cos(x) (régression)',
    linear: 'linéaire', constant: 'Constante (symétrie)', uniform: 'Uniforme ±1/√n', none: 'aucune',
    classN: 'classe {k}',
    loading: 'Chargement…', loadError: 'Le moteur n’a pas pu se charger : {msg}',
  },
};

export const LANGS = Object.keys(STRINGS);

/** The text of `key` in `lang` with {placeholders} filled. */
export function t(lang, key, values = {}) {
  const s = STRINGS[lang]?.[key] ?? STRINGS.en[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m));
}

/** Every key of a language (for tests: French must cover English). */
export function keys(lang) {
  return Object.keys(STRINGS[lang] ?? {});
}
