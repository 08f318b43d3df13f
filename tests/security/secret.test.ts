/**
 * Hole 1: forgeable tokens in production. The real server process refuses to start with
 * the public demo secret (or none, or a short one) in production mode or on a real
 * database; with a real secret, a token forged with the demo secret signs in as nobody.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer as createNetServer } from 'node:net';
import { ROOT } from '../faults/support/process';
import { DEMO_TOKEN_SECRET } from '../../server/src/auth/secret';
import { signToken } from '../../server/src/auth/tokens';
import { createHarness, login, seedPeople, type Harness } from '../../server/test/support/harness';

const ADMIN = [{ username: 'admin', grants: [{ role: 'admin', unit: '000.00.00.H99' }] }];
const dataDirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'motcua-secret-'));
  dataDirs.push(d);
  return d;
};
afterAll(() => { for (const d of dataDirs) rmSync(d, { recursive: true, force: true }); });

/** Runs the server with `env` over a clean environment until it exits (bounded); its code and output. */
let killer: (() => void) | null = null;

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createNetServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => (typeof a === 'object' && a ? ok(a.port) : fail(new Error('no port'))));
    });
  });
}

function runUntilExit(env: { [k: string]: string }): Promise<{ code: number | null; output: string }> {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['DATABASE_URL', 'TOKEN_SECRET', 'TOKEN_SECRET_PREVIOUS', 'NODE_ENV', 'METRICS_TOKEN', 'METRICS_PORT']) delete base[k];
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...base, PORT: '0', DATA_DIR: tempDir(), DEMO: 'false', LOG_LEVEL: 'warn', ...env },
  });
  let output = '';
  killer = () => child.kill('SIGTERM');
  child.stdout.on('data', (b: Buffer) => { output += b.toString(); });
  child.stderr.on('data', (b: Buffer) => { output += b.toString(); });
  return new Promise((ok) => {
    // A server that starts instead of refusing would never exit: stop it and report.
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      ok({ code, output });
    });
  });
}

describe('the token secret', () => {
  it('should refuse to start in production with no TOKEN_SECRET, saying why in both languages', async () => {
    const { code, output } = await runUntilExit({ NODE_ENV: 'production' });
    expect(code, output).toBe(2);
    expect(output).toContain('Chưa đặt TOKEN_SECRET');
    expect(output).toContain('TOKEN_SECRET is not set');
    expect(output).not.toContain('motcua is ready');
  }, 40_000);

  it('should refuse to start on a real database with the public demo secret given explicitly', async () => {
    // The check comes before any connection: this address need not exist.
    const { code, output } = await runUntilExit({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', TOKEN_SECRET: DEMO_TOKEN_SECRET });
    expect(code, output).toBe(2);
    expect(output).toContain('public demo secret');
    expect(output).toContain('khóa demo công khai');
  }, 40_000);

  it('should refuse a secret shorter than 32 bytes, and a short previous secret', async () => {
    const short = await runUntilExit({ NODE_ENV: 'production', TOKEN_SECRET: 'x'.repeat(31) });
    expect(short.code, short.output).toBe(2);
    expect(short.output).toContain('TOKEN_SECRET is too short (31 bytes)');
    const previous = await runUntilExit({ NODE_ENV: 'production', TOKEN_SECRET: randomBytes(32).toString('hex'), TOKEN_SECRET_PREVIOUS: 'short' });
    expect(previous.code, previous.output).toBe(2);
    expect(previous.output).toContain('TOKEN_SECRET_PREVIOUS is too short');
  }, 60_000);

  it('should start in production with a real secret, and refuse a token forged with the demo secret', async () => {
    const secret = randomBytes(32).toString('hex');
    const port = await freePort();
    // The demo people on PGlite (no dossiers), so u-admin exists and a forged token has someone to impersonate.
    const run = runUntilExit({ NODE_ENV: 'production', TOKEN_SECRET: secret, PORT: String(port), DEMO: 'true', DEMO_DOSSIERS: '0' });
    const url = `http://127.0.0.1:${port}`;
    let ready = false;
    for (let i = 0; i < 600 && !ready; i++) {
      ready = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
      if (!ready) await new Promise((ok) => setTimeout(ok, 100));
    }
    try {
      expect(ready).toBe(true);
      const forged = await signToken('u-admin', DEMO_TOKEN_SECRET, 3600, new Date());
      expect((await fetch(`${url}/api/auth/me`, { headers: { authorization: `Bearer ${forged}` } })).status).toBe(401);
      const real = await signToken('u-admin', secret, 3600, new Date());
      const me = await fetch(`${url}/api/auth/me`, { headers: { authorization: `Bearer ${real}` } });
      expect(me.status).toBe(200);
      expect(await me.json()).toMatchObject({ id: 'u-admin' });
    } finally {
      killer?.();
    }
    await run;
  }, 120_000);
});

describe('rotating the token secret', () => {
  let h: Harness;
  const oldSecret = randomBytes(32).toString('hex');
  const newSecret = randomBytes(32).toString('hex');
  beforeAll(async () => {
    h = await createHarness({ config: { tokenSecret: newSecret, previousTokenSecret: oldSecret } });
    await seedPeople(h, ADMIN);
  });
  afterAll(async () => h?.close());

  it('should refuse a token forged with the demo secret when a real secret is set', async () => {
    const forged = await signToken('u-admin', DEMO_TOKEN_SECRET, 3600, h.clock.now());
    const res = await h.http.get('/api/auth/me').set('Authorization', `Bearer ${forged}`);
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: 'UNAUTHENTICATED', message: { vi: expect.any(String), en: expect.any(String) } });
  });

  it('should accept tokens of the previous secret during a rotation, and sign new ones with the new secret', async () => {
    const old = await signToken('u-admin', oldSecret, 3600, h.clock.now());
    expect((await h.http.get('/api/auth/me').set('Authorization', `Bearer ${old}`)).status).toBe(200);
    const fresh = (await login(h, 'admin')).slice('Bearer '.length);
    const payload = fresh.split('.')[1]!;
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toMatchObject({ sub: 'u-admin', typ: 'access' });
    // signed with the new secret: a server that knows only the new one accepts it
    const only = await createHarness({ config: { tokenSecret: newSecret } });
    try {
      await seedPeople(only, ADMIN);
      expect((await only.http.get('/api/auth/me').set('Authorization', `Bearer ${fresh}`)).status).toBe(200);
      expect((await only.http.get('/api/auth/me').set('Authorization', `Bearer ${old}`)).status).toBe(401);
    } finally {
      await only.close();
    }
  });
});
