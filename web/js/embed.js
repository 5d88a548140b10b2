// embed.js: the postMessage API of a framed playground, for a slide deck or
// any page that embeds it in an <iframe>. The host sends commands (play,
// pause, step, epoch, reset, set settings by their URL keys, get); the page
// answers every message tagged {nnplay: 1} with a reply, and tells the host
// of training progress (epoch, step, losses, accuracies) as it changes. README
// ("Embedding") documents the messages.
//
// Origin policy: commands are taken from the parent window only (not from
// another frame, a popup or the page itself), whatever its origin: a command
// can do nothing the host cannot already do through the iframe's URL, where
// every setting lives. The page sends only settings and training numbers, so
// it posts to any origin ('*'; a file:// host's origin is 'null').
import { ALL, settingByKey, parseValue, formatValue, PRESET_SETTINGS } from './state.js';

export const COMMANDS = ['play', 'pause', 'step', 'epoch', 'reset', 'set', 'get'];
// progress is posted at most this often while training (and once when it stops)
const PROGRESS_MS = 250;
const MAX_ID = 100;

/** A message's value as the URL writes it (a string), or undefined when it has no such form. */
function rawValue(value) {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (Array.isArray(value) && value.length <= 64 && value.every((v) => typeof v === 'string' || Number.isInteger(v))) {
    return value.join(',');
  }
  return undefined;
}

// a short, printable account of a bad value for an error message
const shown = (v) => {
  let s;
  try { s = JSON.stringify(v); } catch { s = String(v); }
  return String(s).slice(0, 40);
};

export class Embed {
  /**
   * win: the page's window; state: the page's state; change(group, name, raw):
   * the router's; view(): the view shown, with command(name) and progress()
   * when it takes commands (main.js lists the interface).
   */
  constructor({ win, state, change, view }) {
    this.win = win;
    this.state = state;
    this.change = change;
    this.view = view;
    this.framed = win.parent && win.parent !== win;
    this.last = { text: '', at: 0 };
  }

  /** Listens to the host and says the page is ready; nothing when the page is not framed. */
  start() {
    if (!this.framed) return;
    this.win.addEventListener('message', (e) => this.receive(e));
    this.post({ type: 'ready', commands: COMMANDS, progress: this.progress() });
  }

  post(message) {
    this.win.parent.postMessage({ nnplay: 1, ...message }, '*');
  }

  receive(e) {
    if (e.source !== this.win.parent) return;
    const m = e.data;
    // the host's other messages (a deck's own) are not ours: no reply
    if (!m || typeof m !== 'object' || m.nnplay !== 1) return;
    const id = (typeof m.id === 'string' && m.id.length <= MAX_ID) || Number.isFinite(m.id) ? { id: m.id } : {};
    let reply;
    try {
      reply = { ok: true, ...this.run(m) };
    } catch (err) {
      reply = { ok: false, error: String(err?.message ?? err) };
    }
    this.post({ type: 'reply', ...id, command: typeof m.command === 'string' ? m.command.slice(0, 20) : null, ...reply });
  }

  /** Runs one command; returns what the reply adds, or throws with the reason it was refused. */
  run(m) {
    const name = m.command;
    if (typeof name !== 'string' || !COMMANDS.includes(name)) {
      throw new Error(`unknown command ${shown(name)}: one of ${COMMANDS.join(', ')}`);
    }
    if (name === 'get') return { settings: this.settings(), progress: this.progress() };
    if (name === 'set') return { settings: this.set(m) };
    const v = this.view();
    if (typeof v?.command !== 'function') throw new Error(`the ${this.state.page.view} view takes no commands`);
    if (!v.command(name)) throw new Error(`the ${this.state.page.view} view cannot ${name}`);
    return { progress: this.progress() };
  }

  /**
   * {key, value} or {settings: {key: value, ...}}: every pair is checked
   * before any is applied, so a bad one changes nothing. Numbers beyond their
   * limits are clamped, as in a link; the reply gives the values in use.
   */
  set(m) {
    let pairs;
    if (m.settings !== undefined) {
      if (!m.settings || typeof m.settings !== 'object' || Array.isArray(m.settings)) throw new Error('settings must be an object {key: value}');
      pairs = Object.entries(m.settings);
    } else {
      pairs = [[m.key, m.value]];
    }
    if (pairs.length === 0 || pairs.length > ALL.length) throw new Error(`set takes 1 to ${ALL.length} settings`);
    const checked = pairs.map(([key, value]) => {
      const p = typeof key === 'string' ? settingByKey(key) : undefined;
      if (!p) throw new Error(`unknown setting ${shown(key)}`);
      const raw = rawValue(value);
      if (raw === undefined || parseValue(p, raw) === undefined) throw new Error(`invalid value for ${key}: ${shown(value)}`);
      return [p, raw];
    });
    // a scenario, a data set, then a deep net first: each applies its preset,
    // which the other settings of the message then override
    const rank = (p) => { const i = PRESET_SETTINGS.indexOf(`${p.group}/${p.name}`); return i < 0 ? PRESET_SETTINGS.length : i; };
    checked.sort(([a], [b]) => rank(a) - rank(b));
    for (const [p, raw] of checked) this.change(p.group, p.name, raw);
    return Object.fromEntries(checked.map(([p]) => [p.key, formatValue(p, this.state[p.group][p.name])]));
  }

  /** Every setting by its URL key, as the URL writes it. */
  settings() {
    return Object.fromEntries(ALL.map((p) => [p.key, formatValue(p, this.state[p.group][p.name])]));
  }

  /** The shown view's progress ({view, epoch, step, loss, ...}; non-finite numbers as null), or null. */
  progress() {
    const p = this.view()?.progress?.();
    if (!p) return null;
    const clean = Object.fromEntries(Object.entries(p).map(([k, v]) => [k, typeof v === 'number' && !Number.isFinite(v) ? null : v]));
    return { view: this.state.page.view, ...clean };
  }

  /** Once per animation frame: posts the progress when it changed, at most every PROGRESS_MS. */
  frame(now) {
    if (!this.framed) return;
    const p = this.progress();
    if (!p) return;
    const text = JSON.stringify(p);
    if (text === this.last.text || now - this.last.at < PROGRESS_MS) return;
    this.last = { text, at: now };
    this.post({ type: 'progress', ...p });
  }
}
