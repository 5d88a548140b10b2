// engines/tfjs-hook.mjs: a Node module resolve hook, registered by
// engines/tfjs.mjs, that lets Node load tfjs-core's ES-module build (dist/*.js,
// written for bundlers: extensionless relative imports, no "type": "module").
// Only that build's files are affected; it is how the gradients get loaded.

const DIST = '/@tensorflow/tfjs-core/dist/';
const NODE_BUNDLE = 'tf-core.node.js';

const inDist = (url) => typeof url === 'string' && url.includes(DIST) && !url.endsWith(NODE_BUNDLE);

export async function resolve(specifier, context, next) {
  if (inDist(context.parentURL) && specifier.startsWith('.') && !specifier.endsWith('.js')) {
    return { ...(await next(`${specifier}.js`, context)), format: 'module' };
  }
  const r = await next(specifier, context);
  return inDist(r.url) ? { ...r, format: 'module' } : r;
}
