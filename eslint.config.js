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

// Server files that speak SQL outside a repository today (issue 11 moves them into
// `<feature>/repo.ts`); a new file never joins this list.
const DATA_ACCESS_TODAY = [
  'dossiers/files.ts',
  // Written by the records work (issue 9) in parallel.
  'catalog/gate.ts',
  // The province's non-geographic list, a catalog setting beside catalog/owner.ts (issue 9 part 4).
  'catalog/nonGeographic.ts',
].map((f) => `server/src/${f}`);

// Server files that import another feature's inner files (not its `service.ts` or
// `index.ts`) today; a new file never joins this list, and it only shrinks.
const FEATURE_DOORS_TODAY = [
  // The portal payload moves with the portal work (issue 13).
  'dossiers/repo.ts',
].map((f) => `server/src/${f}`);

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
    // `directory.ts` speak SQL (Drizzle or the schema); the rest asks them. The files listed
    // in DATA_ACCESS_TODAY predate the wall and move into repositories in issue 11's
    // restructuring step; the list only shrinks.
    files: ['server/src/**/*.ts'],
    ignores: ['server/src/**/repo.ts', 'server/src/db/**', 'server/src/stats/**', 'server/src/outbox/**', 'server/src/directory.ts', ...DATA_ACCESS_TODAY],
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
    ignores: DATA_ACCESS_TODAY,
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
    // vanish at build time). The files in FEATURE_DOORS_TODAY reach into another feature's
    // rooms today; the list only shrinks.
    files: ['server/src/*/**/*.ts'],
    ignores: ['server/src/{db,http,jobs,blobs}/**', ...FEATURE_DOORS_TODAY],
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
