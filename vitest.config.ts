import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['engine/test/**/*.test.ts', 'server/test/**/*.test.ts', 'web/src/**/*.test.ts', 'tests/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'tests/e2e/**'],
    pool: 'threads',
    // Server tests start a real database per file; on a loaded 2-core machine that takes seconds.
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
