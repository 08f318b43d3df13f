/**
 * Fault-test support: the real server as a child process (`node --import tsx
 * server/src/main.ts`, one process, so SIGKILL hits the server itself), a fresh
 * PostgreSQL database, and a webhook receiver that checks signatures and counts event ids.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The key webhook secrets are encrypted with (one per test run, the same across restarts). */
const SECRETS_KEY = randomBytes(32).toString('hex');

const sleep = (ms: number) => new Promise<void>((ok) => setTimeout(ok, ms));

// ---- database ----------------------------------------------------------------------------

export async function createDatabase(baseUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const u = new URL(baseUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function dropDatabase(baseUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists "${name}" with (force)`);
  } finally {
    await admin.end();
  }
}

// ---- server process ----------------------------------------------------------------------

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  url: string;
  /** Resolves with the exit code or signal once the process has ended. */
  exited: Promise<string>;
  /** Whether the process has ended. */
  done(): boolean;
  /** The last lines the process wrote (stdout and stderr), for failure messages. */
  log(): string;
  /** Everything the process wrote (up to 20 MB), for tests that count log lines. */
  fullLog(): string;
  /** Milliseconds from spawn to the first 200 from /readyz. */
  readyMs: number;
}

/** A port nobody listens on now (bound and released at once). */
export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createNetServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => ok(port));
    });
  });
}

export interface StartOptions {
  databaseUrl: string;
  dataDir: string;
  tokenSecret: string;
  readyTimeoutMs: number;
  /** More environment for this process (test hooks, timings). */
  env?: { [name: string]: string };
}

async function spawnOnce(o: StartOptions, port: number): Promise<ServerProcess | { portTaken: true }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['PUBLIC_URL', 'DEMO_DOSSIERS']) delete env[k];
  Object.assign(env, {
    PORT: String(port), DATABASE_URL: o.databaseUrl, DATA_DIR: o.dataDir, DEMO: 'false', LOG_LEVEL: 'warn', TOKEN_SECRET: o.tokenSecret,
    // The test's webhook receivers listen on 127.0.0.1: allowed as an internal portal would be.
    WEBHOOK_ALLOW_HOSTS: '127.0.0.1', SECRETS_KEY: SECRETS_KEY,
  }, o.env ?? {});
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  let all = '';
  const keep = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    tail = (tail + text).slice(-20_000);
    if (all.length < 20_000_000) all += text;
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let ended = false;
  const exited = new Promise<string>((ok) => {
    child.once('exit', (code, signal) => {
      ended = true;
      ok(signal ?? String(code));
    });
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = performance.now() + o.readyTimeoutMs;
  while (performance.now() < deadline) {
    if (ended) {
      if (/already in use/i.test(tail)) return { portTaken: true };
      throw new Error(`the server exited before it was ready (${await exited}):\n${tail}`);
    }
    try {
      const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1000) });
      if (res.status === 200) {
        await res.arrayBuffer();
        return { child, port, url, exited, done: () => ended, log: () => tail, fullLog: () => all, readyMs: Math.round(performance.now() - t0) };
      }
      await res.arrayBuffer();
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  child.kill('SIGKILL');
  await exited;
  throw new Error(`the server was not ready within ${o.readyTimeoutMs} ms:\n${tail}`);
}

/** Starts the server and waits for /readyz (bounded); a port taken in between is tried again. */
export async function startServer(o: StartOptions): Promise<ServerProcess> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const r = await spawnOnce(o, await freePort());
    if (!('portTaken' in r)) return r;
  }
  throw new Error('no free port after 3 attempts');
}

/** SIGKILL, then waits (bounded) for the process to be gone. */
export async function killHard(p: ServerProcess): Promise<string> {
  if (!p.done()) p.child.kill('SIGKILL');
  return Promise.race([p.exited, sleep(10_000).then(() => 'still running after SIGKILL')]);
}

/** SIGTERM (clean shutdown), SIGKILL if it takes longer than `ms`. */
export async function stopServer(p: ServerProcess, ms = 12_000): Promise<void> {
  if (p.done()) return;
  p.child.kill('SIGTERM');
  const how = await Promise.race([p.exited, sleep(ms).then(() => null)]);
  if (how === null) await killHard(p);
}

// ---- webhook receiver --------------------------------------------------------------------

export interface Receiver {
  url: string;
  /** Times each event id was received with a valid signature. */
  seen: Map<string, number>;
  /** Requests whose signature, timestamp or event id did not check out. */
  rejected: string[];
  close(): Promise<void>;
}

/** A webhook receiver on 127.0.0.1 that verifies `X-Motcua-Signature` and answers 204. */
export async function startReceiver(secret: string): Promise<Receiver> {
  const seen = new Map<string, number>();
  const rejected: string[] = [];
  const server: Server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', () => {});
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const ts = String(req.headers['x-motcua-timestamp'] ?? '');
      const expected = `sha256=${createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex')}`;
      let eventId: string;
      try {
        eventId = String((JSON.parse(body) as { eventId?: unknown }).eventId ?? '');
      } catch {
        eventId = '';
      }
      if (req.headers['x-motcua-signature'] !== expected || !eventId || req.headers['x-motcua-event-id'] !== eventId) {
        rejected.push(`${eventId || '?'}: bad signature or event id`);
        res.statusCode = 401;
        res.end();
        return;
      }
      seen.set(eventId, (seen.get(eventId) ?? 0) + 1);
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const a = server.address();
  const port = typeof a === 'object' && a ? a.port : 0;
  return {
    url: `http://127.0.0.1:${port}/hook`, seen, rejected,
    close: () => new Promise<void>((ok) => {
      server.closeAllConnections();
      server.close(() => ok());
    }),
  };
}
