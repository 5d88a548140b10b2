// eslint.config.mjs: make lint's rules for every JavaScript file of the
// project: ESLint's recommended set (no-dupe-keys, no-undef, no-unreachable,
// ...) plus a few that catch the slips we have made (unused variables,
// shadowing, == instead of ===). Browser globals for web/, Node's elsewhere.
import js from '@eslint/js';
import globals from 'globals';

export default [
  { ignores: ['build/**', 'dist/**', 'node_modules/**', 'web/lib/**', 'web/data/**'] },
  js.configs.recommended,
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      'no-unused-vars': ['error', { args: 'none', caughtErrors: 'none' }],
      'no-shadow': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-var': 'error',
      'prefer-const': ['error', { destructuring: 'all' }],
      'no-implicit-globals': 'error',
      'no-eval': 'error',
      'no-new-func': 'error',
    },
  },
  // web/ runs in the browser; the browser tests hand functions to the page
  { files: ['web/**/*.js', 'tests/browser*.test.mjs'], languageOptions: { globals: { ...globals.browser } } },
];
