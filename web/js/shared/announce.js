// announce.js: what a screen reader hears of a status line that changes
// every frame: a hidden live region repeating it at most every few seconds,
// and at once when asked (training stopped, a run ended). The visible line
// itself is not a live region.
import { el } from './dom.js';

export const ANNOUNCE_MS = 5000;

export class Announcer {
  /** Takes `line` (the visible status) out of the live regions and puts a hidden one after it. */
  constructor(line, every = ANNOUNCE_MS) {
    this.line = line;
    this.every = every;
    this.last = -Infinity;
    line.removeAttribute('role');
    line.setAttribute('aria-live', 'off');
    this.region = el('p', { className: 'visually-hidden', role: 'status' });
    line.after(this.region);
  }

  /** Repeats the line: when forced, or when the last time was long enough ago. */
  say(force = false) {
    const now = performance.now();
    if (!force && now - this.last < this.every) return;
    this.last = now;
    this.region.textContent = this.line.textContent;
  }
}
