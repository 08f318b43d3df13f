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
  'admin/calendars.ts', 'admin/delegations.ts', 'admin/users.ts',
  'app.ts',
  'catalog/designer.ts', 'catalog/lifecycle.ts', 'catalog/public.ts', 'catalog/service.ts', 'catalog/transfer.ts',
  'demo/drive.ts', 'demo/people.ts', 'demo/seed.ts',
  'dossiers/code.ts', 'dossiers/files.ts', 'dossiers/idempotency.ts', 'dossiers/routes.ts', 'dossiers/slipData.ts',
  'dossiers/store.ts', 'dossiers/views.ts',
  'sweeper/sweeper.ts',
  // Written by the security work (issue 8) while the wall went up in parallel.
  'dossiers/lookup.ts', 'dossiers/publicRoutes.ts', 'dossiers/visibility.ts', 'realtime/announcements.ts',
  // Written by the records work (issue 9) in parallel.
  'dossiers/slipRecords.ts',
].map((f) => `server/src/${f}`);

// Server files that import another feature's inner files (not its `service.ts` or
// `index.ts`) today; a new file never joins this list, and it only shrinks.
const FEATURE_DOORS_TODAY = [
  'admin/delegations.ts', 'admin/schemas.ts', 'admin/users.ts',
  'audit/checkpoints.ts', 'audit/routes.ts', 'audit/verify.ts',
  'auth/routes.ts',
  'catalog/owner.ts', 'catalog/publicRoutes.ts', 'catalog/routes.ts',
  'demo/drive.ts', 'demo/people.ts', 'demo/seed.ts',
  'dossiers/delegations.ts', 'dossiers/publicRoutes.ts', 'dossiers/routes.ts', 'dossiers/slipData.ts', 'dossiers/store.ts', 'dossiers/views.ts',
  'outbox/jobs.ts', 'outbox/subscriptions.ts',
  'realtime/citizens.ts', 'realtime/officers.ts',
  'stats/routes.ts',
].map((f) => `server/src/${f}`);

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
          group: ['../*/*', '!../db/*', '!../http/*', '!../jobs/*', '!../blobs/*', '!../*/service', '!../*/index'],
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
