// owndata-strings.js: the texts of the export menu (shared/exports.js) and
// of loading one's own data (2D CSV, MNIST images) in English and French;
// i18n.js merges them into its table.

export const STRINGS = {
  en: {
    exportMenu: 'Export ▾',
    tip_exportMenu: 'Save a picture, the curves, the history, the weights or the net as a file (nothing leaves this computer).',
  },
  fr: {
    exportMenu: 'Exporter ▾',
    tip_exportMenu: 'Enregistre une image, les courbes, l’historique, les poids ou le réseau dans un fichier (rien ne quitte cet ordinateur).',
  },
};
