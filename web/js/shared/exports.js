// exports.js: one "Export" menu per view, in the view's toolbar: a
// <details> disclosure (keyboard and screen-reader friendly without script)
// whose items each save one file (PNG, SVG, CSV, JSON, ONNX...). A feature
// adds its item with addExport(viewRoot, {id, key, run}, t); the menu is
// created on first use, after the toolbar's buttons. An item's run() may be
// async; an error it throws shows in the menu, the page goes on.
import { el } from './dom.js';

const MENUS = new WeakMap();

export class ExportMenu {
  /** toolbar: the element the menu goes into (at its end); t(key): the page's strings. */
  constructor(toolbar, t) {
    this.t = t;
    this.items = [];
    this.summary = el('summary', {});
    this.list = el('div', { className: 'export-items', role: 'group' });
    this.error = el('p', { className: 'export-error message', ariaLive: 'assertive' });
    this.root = el('details', { className: 'export-menu' }, this.summary, this.list, this.error);
    // a click elsewhere closes it, as a menu would
    document.addEventListener('click', (e) => { if (this.root.open && !this.root.contains(e.target)) this.root.open = false; });
    this.root.addEventListener('keydown', (e) => { if (e.key === 'Escape' && this.root.open) { this.root.open = false; this.summary.focus(); } });
    // the items open towards the middle of the window, so they stay on screen
    this.root.addEventListener('toggle', () => {
      const r = this.summary.getBoundingClientRect();
      this.root.classList.toggle('open-right', r.left + r.width / 2 < window.innerWidth / 2);
    });
    toolbar.append(this.root);
    this.relabel(t);
  }

  /**
   * Adds (or replaces, by id) an item: id (the button's id), key (its label
   * in the strings table), run() (saves the file; may be async).
   */
  add({ id, key, run }) {
    const old = this.items.findIndex((i) => i.id === id);
    const button = el('button', { type: 'button', id });
    button.addEventListener('click', async () => {
      this.error.textContent = '';
      try {
        await run();
        this.root.open = false;
      } catch (e) {
        console.error(e);
        this.error.textContent = e.message;
      }
    });
    const item = { id, key, run, button };
    if (old >= 0) { this.items[old].button.replaceWith(button); this.items[old] = item; } else { this.items.push(item); this.list.append(button); }
    button.textContent = this.t(key);
    return button;
  }

  /** The texts in the page's language. */
  relabel(t = this.t) {
    this.t = t;
    this.summary.textContent = t('exportMenu');
    this.summary.title = t('tip_exportMenu');
    for (const i of this.items) i.button.textContent = t(i.key);
  }
}

/**
 * The export menu of a view (its root element), created in its first
 * .toolbar on first use. A view that builds its DOM again (a new language)
 * gets a new menu with the same items at the next call.
 */
export function exportMenu(root, t) {
  let menu = MENUS.get(root);
  if (!menu || !root.contains(menu.root)) {
    const bar = root.querySelector('.toolbar') ?? root;
    const items = menu?.items ?? [];
    menu = new ExportMenu(bar, t);
    for (const i of items) menu.add(i);
    MENUS.set(root, menu);
  }
  return menu;
}

/** Adds an item {id, key, run} to the export menu of the view at `root` (see ExportMenu.add). */
export function addExport(root, item, t) {
  return exportMenu(root, t).add(item);
}
