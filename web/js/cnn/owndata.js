// owndata.js: one's own images in the CNN view, as in the MNIST view
// (mnist/owndata.js: loading, status, export menu); here only how the CNN
// view takes them: new engine sets (model.js makeSets), the digit picker
// on the new test images, and a new run.
import { OwnImages, freeSets } from '../mnist/owndata.js';
import { makeSets } from './model.js';

/** Mounts the own-images controls and the export menu in the CNN view (call after each build). */
export function mountOwnImages(view, toolbar, after) {
  view.own ??= new OwnImages(view, {
    prefix: 'c', run: () => view.run, redraw: () => view.drawAll(),
    adopt: (mnist) => {
      view.setPlaying(false);
      freeSets(view.sets);
      view.mnist = mnist;
      view.sets = makeSets(view.nn, mnist);
      view.digits.ready(mnist, Math.min(view.state.digit, mnist.test.n - 1));
      view.rebuild();
    },
  });
  view.own.mount(toolbar, after);
}
