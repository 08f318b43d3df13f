// Lint rules that keep the architecture honest: the engine stays pure (no node builtins,
// no clock, no I/O), imports flow one way and never in a cycle, SQL stays behind its walls,
// the web app's models stay free of the view, promises are awaited, type imports are explicit.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';

const nodeBuiltins = [
  'fs', 'path', 'os', 'http', 'https', 'net', 'child_process', 'crypto', 'worker_threads',
  'cluster', 'dgram', 'dns', 'process', 'stream', 'timers', 'url', 'util', 'zlib', 'readline',
];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'bench/results/**', 'coverage/**', 'engine/src/definition/generated/**'] },
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
    // Data access has walls: only repositories (`*/repo.ts`), `db/`, `stats/`, `outbox/` and
    // `directory.ts` speak SQL (Drizzle or the schema); the rest asks them.
    files: ['server/src/**/*.ts'],
    ignores: ['server/src/**/repo.ts', 'server/src/db/**', 'server/src/stats/**', 'server/src/outbox/**', 'server/src/directory.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['drizzle-orm', 'drizzle-orm/*'], message: 'SQL lives in a repository (`<feature>/repo.ts`), `db/`, `stats/`, `outbox/` or `directory.ts`.' },
          { group: ['**/db/schema', '**/db/schema.ts'], message: 'The schema is read by repositories (`<feature>/repo.ts`), `db/`, `stats/`, `outbox/` and `directory.ts` only.' },
        ],
      }],
    },
  },
  {
    // Routes are thin: parameters in, a service call, the answer out. They never reach the
    // database themselves, not even its client or helpers: that is the service's business.
    files: ['server/src/**/routes.ts', 'server/src/**/*Routes.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['drizzle-orm', 'drizzle-orm/*'], message: 'SQL lives in a repository (`<feature>/repo.ts`), `db/`, `stats/`, `outbox/` or `directory.ts`.' },
          { group: ['**/db', '**/db/*', '**/db/*.ts'], message: 'A route never imports `db/`: it calls its feature\'s service.' },
        ],
      }],
    },
  },
  {
    // Feature folders talk to each other through their front door only: `service.ts` (or
    // `index.ts`). The layers below every feature (db/, http/, jobs/, blobs/ and the files at
    // the root of server/src) may be imported from anywhere; types may cross freely (they
    // vanish at build time).
    files: ['server/src/*/**/*.ts'],
    ignores: ['server/src/{db,http,jobs,blobs}/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [{
          group: ['../*/*', '!../db/*', '!../http/*', '!../jobs/*', '!../blobs/*', '!../*/service', '!../*/index',
            // A module nested in a feature (outbox/portal/) reaches the root files and layers two levels up, and its own feature's rooms one level up.
            '!../../*', '!../../{db,http,jobs,blobs}/*', '!../../*/service', '!../../*/index'],
          allowTypeImports: true,
          message: "Another feature is reached through its `service.ts` (or `index.ts`), not its inner files.",
        }],
      }],
    },
  },
  {
    // The web app's models are plain data in, data out: they run and are tested without a
    // DOM. Types of a view library may be named (they vanish at build time), its code not.
    files: ['web/src/**/model/**/*.ts', 'web/src/**/model/**/*.tsx'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          { group: ['react', 'react/*', 'react-dom', 'react-dom/*', 'react-*', '@xyflow/*'], allowTypeImports: true, message: 'A model never imports React or xyflow: keep it pure and let a component adapt it.' },
        ],
      }],
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
