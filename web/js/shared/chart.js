// chart.js: the loss curves. Train and test loss against steps on a canvas,
// with axes, tick labels, an optional log scale and a legend.

export class LossChart {
  constructor(canvas) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
  }

  /** history: [{step, trainLoss, testLoss}], labels: {train, test}. */
  draw(history, { log = false, labels }) {
    const c = this.canvas, dpr = window.devicePixelRatio || 1;
    const W = Math.round((c.clientWidth || 300) * dpr), H = Math.round((c.clientHeight || 120) * dpr);
    if (c.width !== W || c.height !== H) { c.width = W; c.height = H; }
    const ctx = this.ctx;
    ctx.clearRect(0, 0, W, H);
    // type and lines follow the page's (style.css: --type, --stroke; embed mode and the presenter preset)
    if (`${W}x${H}` !== this.sizedFor) {
      const css = getComputedStyle(c);
      this.em = Math.max(10, 0.75 * parseFloat(css.fontSize)) * dpr;
      this.stroke = (parseFloat(css.getPropertyValue('--stroke')) || 1) * dpr;
      this.sizedFor = `${W}x${H}`;
    }
    const em = this.em, stroke = this.stroke, px = em / 10;
    const L = 42 * px, R = 8 * px, T = 8 * px, B = 18 * px;
    const pts = history.filter((h) => Number.isFinite(h.trainLoss));
    if (pts.length === 0) return;
    const vals = pts.flatMap((h) => [h.trainLoss, h.testLoss]).filter((v) => Number.isFinite(v) && (!log || v > 0));
    let lo = Math.min(...vals);
    const hi = Math.max(...vals);
    if (!log) lo = Math.min(0, lo);
    const f = log ? (v) => Math.log10(Math.max(v, 1e-12)) : (v) => v;
    let flo = f(lo), fhi = f(hi);
    if (fhi - flo < 1e-9) { fhi += 0.5; flo -= log ? 0.5 : 0; }
    const s0 = pts[0].step, s1 = Math.max(pts[pts.length - 1].step, s0 + 1);
    const X = (s) => L + ((s - s0) / (s1 - s0)) * (W - L - R);
    const Y = (v) => T + (1 - (f(v) - flo) / (fhi - flo)) * (H - T - B);
    ctx.font = `${em}px system-ui, sans-serif`;
    ctx.fillStyle = '#555';
    ctx.strokeStyle = '#ddd';
    ctx.lineWidth = stroke;
    ctx.textAlign = 'right';
    for (let i = 0; i <= 3; i++) {
      const fv = flo + ((fhi - flo) * i) / 3, v = log ? 10 ** fv : fv;
      const y = T + (1 - i / 3) * (H - T - B);
      ctx.beginPath(); ctx.moveTo(L, y); ctx.lineTo(W - R, y); ctx.stroke();
      const text = (v < 0.01 && v > 0) || Math.abs(v) >= 1e4 ? v.toExponential(0) : v.toFixed(v < 1 ? 3 : 1);
      ctx.fillText(text, L - 4 * px, y + 3 * px);
    }
    ctx.textAlign = 'left';
    ctx.fillText(String(s0), L, H - 4 * px);
    ctx.textAlign = 'right';
    ctx.fillText(String(s1), W - R, H - 4 * px);
    const line = (key, color, dash) => {
      ctx.strokeStyle = color;
      ctx.lineWidth = 1.6 * stroke;
      ctx.setLineDash(dash.map((d) => d * stroke));
      ctx.beginPath();
      let started = false;
      for (const h of pts) {
        if (!Number.isFinite(h[key])) continue;
        const x = X(h.step), y = Y(h[key]);
        if (started) ctx.lineTo(x, y); else { ctx.moveTo(x, y); started = true; }
      }
      ctx.stroke();
      ctx.setLineDash([]);
    };
    line('testLoss', '#D55E00', [4, 3]);
    line('trainLoss', '#333', []);
    ctx.textAlign = 'right';
    ctx.fillStyle = '#333';
    ctx.fillText(`— ${labels.train}`, W - R, T + 10 * px);
    ctx.fillStyle = '#D55E00';
    ctx.fillText(`- - ${labels.test}`, W - R, T + 22 * px);
  }
}
