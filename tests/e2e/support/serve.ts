/**
 * The server the browser tests drive: the product as `npm start` runs it (built web app,
 * demo province), on a fresh database — a new PostgreSQL database when DATABASE_URL is set
 * (CI), a new PGlite folder otherwise.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, createDatabase, dropDatabase } from '../../faults/support/process';
import { BASE_URL, E2E_PORT, MAILBOX } from './env';

const base = process.env['DATABASE_URL']?.trim() || '';
const dbName = `motcua_e2e_${process.pid}`;
const dataDir = mkdtempSync(join(tmpdir(), 'motcua-e2e-'));
// A fresh mailbox: the tests read only what this run sent.
rmSync(MAILBOX, { recursive: true, force: true });

// E2E_BUILD=0 serves web/dist as it is (when iterating on tests against a known build).
if (process.env['E2E_BUILD'] !== '0') {
  const build = spawnSync(process.execPath, [join(ROOT, 'web/scripts/ensure-build.mjs')], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const databaseUrl = base ? await createDatabase(base, dbName) : '';
const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server/src/main.ts')], {
  cwd: ROOT,
  stdio: 'inherit',
  env: {
    ...process.env,
    PORT: String(E2E_PORT),
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    DEMO: 'true',
    DEMO_DOSSIERS: '60',
    // The address the browser uses: the sign-in's callback (OpenID Connect) and the payment's
    // return come back to the origin that holds the session and flow cookies.
    PUBLIC_URL: BASE_URL,
    // The demo's mailbox as .eml files, in a folder the tests know (support/env.ts).
    MAIL_URL: `file:${MAILBOX}`,
    // With DATABASE_URL the server refuses the public demo secret.
    TOKEN_SECRET: process.env['TOKEN_SECRET'] || randomBytes(32).toString('hex'),
    // The demo's signing keys are encrypted at rest with it: without it a PostgreSQL demo starts
    // without keys, and no result could be signed in the browser tests.
    SECRETS_KEY: process.env['SECRETS_KEY'] || randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
  },
});

let stopping = false;
const stop = (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  child.kill(signal);
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
child.on('exit', (code) => {
  void (async () => {
    if (base) await dropDatabase(base, dbName).catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(MAILBOX, { recursive: true, force: true });
    process.exit(stopping ? 0 : code ?? 1);
  })();
});
