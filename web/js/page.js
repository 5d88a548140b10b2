// page.js: the page's entry (index.html loads it): starts the router with
// the page's defaults. The offline build (scripts/dist.mjs) calls start()
// with its own options instead.
import { start } from './main.js';

start();
