// png.js: a panel's canvas, or canvases stacked, as a PNG at 2x device
// pixels, for slides. The canvas is drawn again by its view at that
// resolution (the views size their canvases by window.devicePixelRatio),
// not scaled up: for the moment of one redraw the ratio reads `scale`; the
// picture is copied at once, the ratio restored and the panel drawn again as
// it was. Elements drawn over canvases (a diagram's neuron boxes and column
// titles) can be painted onto the copy by overlayOf.

/**
 * A PNG Blob of `canvas` redrawn by `redraw()` at `scale` device pixels per
 * CSS pixel; redraw() is called again afterwards at the page's own ratio.
 */
export async function canvasPng(canvas, redraw, scale = 2) {
  return stackPng([canvas], redraw, { scale, background: null });
}

/**
 * A PNG Blob of canvases of one size stacked (the first at the bottom), as
 * redraw() draws them at `scale` device pixels per CSS pixel, on
 * `background` (null: transparent), with decorate(ctx, scale) drawn over
 * them (e.g. what the page draws as elements over the canvases).
 */
export async function stackPng(canvases, redraw, { scale = 2, background = '#fff', decorate = null } = {}) {
  const own = Object.getOwnPropertyDescriptor(window, 'devicePixelRatio');
  const copy = document.createElement('canvas');
  Object.defineProperty(window, 'devicePixelRatio', { configurable: true, get: () => scale });
  try {
    redraw();
    copy.width = canvases[0].width;
    copy.height = canvases[0].height;
    const ctx = copy.getContext('2d');
    if (background) { ctx.fillStyle = background; ctx.fillRect(0, 0, copy.width, copy.height); }
    for (const c of canvases) ctx.drawImage(c, 0, 0);
    decorate?.(ctx, scale);
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

/**
 * decorate() for stackPng: paints the boxes (`boxSel`: their border) and the
 * texts (`textSel`) that `root` shows over `canvas`, at their places.
 */
export function overlayOf(root, canvas, { boxSel, textSel }) {
  return (ctx, scale) => {
    const at = canvas.getBoundingClientRect();
    ctx.save();
    ctx.scale(scale, scale);
    for (const e of root.querySelectorAll(boxSel)) {
      const r = e.getBoundingClientRect(), css = getComputedStyle(e);
      const w = parseFloat(css.borderTopWidth) || 0;
      if (!w) continue;
      ctx.strokeStyle = css.borderTopColor;
      ctx.lineWidth = w;
      ctx.strokeRect(r.left - at.left + w / 2, r.top - at.top + w / 2, r.width - w, r.height - w);
    }
    for (const e of root.querySelectorAll(textSel)) {
      const r = e.getBoundingClientRect(), css = getComputedStyle(e);
      ctx.font = `${css.fontWeight} ${css.fontSize} ${css.fontFamily}`;
      ctx.fillStyle = css.color;
      ctx.textBaseline = 'top';
      ctx.fillText(e.textContent, r.left - at.left, r.top - at.top);
    }
    ctx.restore();
  };
}
