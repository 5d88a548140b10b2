// png.js: a panel's canvas as a PNG at 2x device pixels, for slides. The
// canvas is drawn again by its view at that resolution (the views size their
// canvases by window.devicePixelRatio), not scaled up: for the moment of one
// redraw the ratio reads `scale`; the picture is copied at once, the ratio
// restored and the panel drawn again as it was.

/**
 * A PNG Blob of `canvas` redrawn by `redraw()` at `scale` device pixels per
 * CSS pixel; redraw() is called again afterwards at the page's own ratio.
 */
export async function canvasPng(canvas, redraw, scale = 2) {
  const own = Object.getOwnPropertyDescriptor(window, 'devicePixelRatio');
  const copy = document.createElement('canvas');
  Object.defineProperty(window, 'devicePixelRatio', { configurable: true, get: () => scale });
  try {
    redraw();
    copy.width = canvas.width;
    copy.height = canvas.height;
    copy.getContext('2d').drawImage(canvas, 0, 0);
  } finally {
    if (own) Object.defineProperty(window, 'devicePixelRatio', own);
    else delete window.devicePixelRatio;
    redraw();
  }
  return new Promise((resolve, reject) => copy.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG: the canvas is empty'))), 'image/png'));
}


/** A PNG Blob of an RGBA image ({width, height, rgba}), e.g. weight tiles already upscaled. */
export function rgbaPng({ width, height, rgba }) {
  const c = document.createElement('canvas');
  c.width = width;
  c.height = height;
  c.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(rgba), width, height), 0, 0);
  return new Promise((resolve, reject) => c.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG: the canvas is empty'))), 'image/png'));
}
