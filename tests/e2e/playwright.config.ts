/**
 * Browser tests: Playwright driving Debian's Chromium (`.ci/run` installs it) against the
 * product started as `npm start` would, on a fresh database with the demo province.
 * One worker: the tests tell one story in order, and the machine has two cores.
 */
import { defineConfig } from '@playwright/test';
import { BASE_URL, CHROMIUM, E2E_PORT } from './support/env';

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  fullyParallel: false,
  workers: 1,
  // One retry in CI, reported as "flaky" with the page printed by .ci/run: a 2-core machine
  // shared with the server and Chromium sometimes misses a 15 s window. Locally, none.
  retries: process.env['CI'] ? 1 : 0,
  timeout: 180_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  outputDir: '../../test-results/e2e',
  use: {
    baseURL: BASE_URL,
    viewport: { width: 1366, height: 768 },
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: CHROMIUM,
      // Without the background-networking flags Chromium keeps calling out of this closed network.
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  webServer: {
    command: 'npx tsx tests/e2e/support/serve.ts',
    cwd: '../..',
    url: `${BASE_URL}/readyz`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    env: { E2E_PORT: String(E2E_PORT) },
  },
});
