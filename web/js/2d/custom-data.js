// custom-data.js: the 2D view's loaded data set ("Custom (CSV)"), parsed by
// csv-points.js. A link cannot carry a file, so the set lives here, for the
// page's one 2D view, and not in the URL state: dataset=custom in a link
// only says that one was used (the view asks for the file again, and shows
// the circle until then). Its task (binary, multi-class, regression) comes
// from the file; Regenerate draws a new data seed, which reshuffles the
// points into other train/dev/test splits (the points stay the file's).

/** The loaded set: {kind, classes, names, x, labels, y, n, scale, counts, file}, or null. */
export const CUSTOM = { data: null };

/** Sets (or clears, with null) the loaded set. */
export function setCustom(data) {
  CUSTOM.data = data;
}

/** Whether state s shows the loaded set (dataset custom, and one is loaded). */
export const usesCustom = (s) => s.dataset === 'custom' && CUSTOM.data !== null;

/** The task of the loaded set: {kind, classes} as task.js gives it; a circle's before any file. */
export function customTask() {
  const d = CUSTOM.data;
  if (!d) return { kind: 'binary', classes: 2 };
  if (d.kind === 'regression') return { kind: 'regression', classes: 0 };
  return d.classes > 2 ? { kind: 'multiclass', classes: d.classes } : { kind: 'binary', classes: 2 };
}
