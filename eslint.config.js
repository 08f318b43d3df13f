// Lint rules that keep the architecture honest: the engine stays pure (no node builtins,
// no clock, no I/O), imports flow one way, promises are awaited, type imports are explicit.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';

const nodeBuiltins = [
  'fs', 'path', 'os', 'http', 'https', 'net', 'child_process', 'crypto', 'worker_threads',
  'cluster', 'dgram', 'dns', 'process', 'stream', 'timers', 'url', 'util', 'zlib', 'readline',
];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'bench/results/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    settings: { 'import-x/ignore': ['node_modules'] },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    // The engine is pure: time, ids and randomness come in as arguments.
    files: ['engine/src/**/*.ts'],
    ignores: ['engine/src/cli/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: nodeBuiltins.flatMap((m) => [m, `node:${m}`]).map((name) => ({ name, message: 'The engine has no I/O: pass data in as arguments.' })),
        patterns: [
          { group: ['**/server/**', '**/web/**', '@motcua/server', '@motcua/web'], message: 'The engine imports neither server nor the web app.' },
          { group: ['node:*'], message: 'The engine has no I/O.' },
        ],
      }],
      'no-restricted-globals': ['error',
        { name: 'process', message: 'The engine reads no environment.' },
        { name: 'setTimeout', message: 'Timers are data, raised by the server.' },
        { name: 'setInterval', message: 'Timers are data, raised by the server.' },
        { name: 'fetch', message: 'The engine has no I/O.' },
      ],
      'no-restricted-syntax': ['error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'No clock in the engine: take `now` as an argument.' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'No clock in the engine: take `now` as an argument.' },
        { selector: "CallExpression[callee.name='Date']", message: 'No clock in the engine: take `now` as an argument.' },
      ],
      'no-restricted-properties': ['error',
        { object: 'Math', property: 'random', message: 'No randomness in the engine.' },
      ],
    },
  },
  {
    // The web app: hooks called by the rules React relies on.
    files: ['web/src/**/*.tsx', 'web/src/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
