/**
 * Smoke test of `npm start` as a new user runs it: a child process on a free port with a
 * fresh data folder (or a fresh PostgreSQL database when DATABASE_URL is set), waited for
 * on /readyz, signed in to as a demo user, then stopped with SIGTERM.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const canRun = spawnSync('npm', ['--version'], { stdio: 'ignore' }).status === 0;
const baseUrl = process.env['DATABASE_URL'];

let child: ChildProcess | null = null;
let exited: Promise<number | null> = Promise.resolve(null);
let output = '';
let dataDir = '';
let dbName: string | null = null;
let url = '';

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? ok(a.port) : fail(new Error('no port'))));
    });
  });
}

async function admin(query: string): Promise<void> {
  const c = new pg.Client({ connectionString: baseUrl });
  await c.connect();
  try {
    await c.query(query);
  } finally {
    await c.end();
  }
}

/** Polls until the server answers /readyz (bounded), or the process ends. */
async function waitReady(deadlineMs: number): Promise<void> {
  const until = performance.now() + deadlineMs;
  let ended = false;
  void exited.then(() => { ended = true; });
  while (performance.now() < until && !ended) {
    try {
      const r = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) });
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((ok) => setTimeout(ok, 250));
  }
  throw new Error(`the server did not become ready${ended ? ' (it exited)' : ''}; its output:\n${output.slice(-4000)}`);
}

beforeAll(async () => {
  if (!canRun) return;
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  dataDir = mkdtempSync(join(tmpdir(), 'motcua-start-'));
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: dataDir, DEMO: 'true', DEMO_DOSSIERS: '20', LOG_LEVEL: 'info' };
  delete env['DATABASE_URL'];
  if (baseUrl) {
    dbName = `motcua_start_${process.pid}_${Date.now()}`;
    await admin(`create database "${dbName}"`);
    const u = new URL(baseUrl);
    u.pathname = `/${dbName}`;
    env['DATABASE_URL'] = u.toString();
    // A real database needs a real token secret: the server refuses the public demo one.
    env['TOKEN_SECRET'] = randomBytes(32).toString('hex');
  }
  // Its own process group, so the whole tree (npm → tsx → node) can be signalled.
  child = spawn('npm', ['start'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (b: Buffer) => { output += b.toString(); });
  child.stderr?.on('data', (b: Buffer) => { output += b.toString(); });
  const c = child;
  // 'close': every process holding its output (npm, tsx, node) has ended.
  exited = new Promise((ok) => c.once('close', (code) => ok(code)));
  await waitReady(90_000);
}, 120_000);

afterAll(async () => {
  if (child && child.exitCode === null && child.pid) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  if (dbName) await admin(`drop database if exists "${dbName}" with (force)`);
}, 30_000);

describe.skipIf(!canRun)('npm start', () => {
  it('should serve the API with demo data: a demo user signs in and sees dossiers', async () => {
    const ready = await (await fetch(`${url}/readyz`)).json() as { status: string; database: string };
    expect(ready).toEqual({ status: 'ready', database: baseUrl ? 'postgres' : 'pglite' });
    const catalog = await fetch(`${url}/api/public/procedures`);
    expect(catalog.status).toBe(200);
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'chuyenvien.anphu', password: 'chuyenvien.anphu@123' }),
    });
    expect(login.status).toBe(200);
    const { token } = await login.json() as { token: string };
    const inbox = await fetch(`${url}/api/dossiers?box=all`, { headers: { authorization: `Bearer ${token}` } });
    expect(inbox.status).toBe(200);
    expect(((await inbox.json()) as { total: number }).total).toBeGreaterThan(0);
    // The log tells a new user where the product is and how to sign in.
    expect(output).toContain(url.replace('127.0.0.1', 'localhost'));
    expect(output).toContain('motcua.anphu@123');
  }, 30_000);

  it('should shut down cleanly on SIGTERM', async () => {
    process.kill(-child!.pid!, 'SIGTERM');
    const bounded = new Promise<'timeout'>((ok) => setTimeout(() => ok('timeout'), 20_000).unref());
    expect(await Promise.race([exited.then(() => 'exited' as const), bounded])).toBe('exited');
    const tail = output.slice(-3000);
    expect(output, tail).toContain('"msg":"stopped"');
    expect(output, tail).not.toContain('shutdown took longer');
  }, 30_000);
});
