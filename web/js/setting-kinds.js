// setting-kinds.js: the kinds of setting the views' tables are written with
// (state.js reads and writes them): a number or an integer between limits, a
// choice among names, a flag, a set of names, a fixed count of numbers. Each
// says what a change does (state.js: 'data', 'net', 'live', 'view', 'page').
export const num = (name, def, min, max, change, step) => ({ name, type: 'number', def, min, max, step, change });
export const int = (name, def, min, max, change) => ({ name, type: 'int', def, min, max, change });
export const choice = (name, def, options, change) => ({ name, type: 'enum', def, options, change });
export const flag = (name, def, change) => ({ name, type: 'bool', def, change });
export const list = (name, def, options, change) => ({ name, type: 'set', def, options, change });
// a fixed number of numbers, comma-separated in the URL (a kernel's weights, a pixel's row and column)
export const numbers = (name, def, min, max, change, integer = false) => ({ name, type: 'numbers', def, count: def.length, min, max, integer, change });
