/**
 * Lost live updates (issue 8, point 18): a server process killed after an action commits and
 * before it is announced must not lose the announcement. Two real server processes share a
 * PostgreSQL database; an officer's screen (a socket) is connected to process B; process A
 * takes the action and dies with SIGKILL between the commit and the announcement. After A is
 * restarted, the change reaches the screen on B, from the committed outbox.
 *
 * The kill point is the test-only MOTCUA_FAULT_KILL_BEFORE_ANNOUNCE hook (server/src/main.ts):
 * the window between commit and announcement lasts microseconds, so a SIGKILL sent from
 * outside cannot hit it deterministically. B's own periodic replay is pushed out of the way
 * (LIVE_REPLAY_EVERY_SECONDS=3600): what announces the change is the restarted A's start.
 *
 * PostgreSQL only: two processes and a crash need a real server (PGlite is one process).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intakeBody, login, post, seed, type DossierAnswer } from './support/fixture';
import { createDatabase, dropDatabase, killHard, startServer, stopServer, type ServerProcess } from './support/process';

const BASE = process.env['DATABASE_URL']?.trim() || '';
const SKIP_REASON = 'skipped: needs DATABASE_URL (PostgreSQL): two server processes and a crash';
if (!BASE) process.stderr.write(`tests/faults/announce.test.ts ${SKIP_REASON}\n`);

const WAIT_MS = 30_000;

describe.skipIf(!BASE)(`announce: kill between commit and announcement${BASE ? '' : ` (${SKIP_REASON})`}`, () => {
  const dbName = `motcua_announce_${process.pid}_${Date.now()}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'motcua-announce-'));
  const tokenSecret = randomBytes(32).toString('hex');
  let databaseUrl = '';
  let sql: pg.Pool | null = null;
  const servers: ServerProcess[] = [];
  let socket: Socket | null = null;
  const killOnExit = () => { for (const s of servers) s.child.kill('SIGKILL'); };
  const start = async (env: { [name: string]: string }) => {
    const s = await startServer({ databaseUrl, dataDir, tokenSecret, readyTimeoutMs: 60_000, env });
    servers.push(s);
    return s;
  };

  beforeAll(async () => {
    process.once('exit', killOnExit);
    databaseUrl = await createDatabase(BASE, dbName);
    await seed(databaseUrl);
    sql = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  }, 120_000);

  afterAll(async () => {
    socket?.disconnect();
    for (const s of servers) await stopServer(s);
    await sql?.end();
    if (databaseUrl) await dropDatabase(BASE, dbName);
    rmSync(dataDir, { recursive: true, force: true });
    process.off('exit', killOnExit);
  }, 60_000);

  it('should announce, after a restart, an action whose process died between commit and announcement', async () => {
    // given process B (no periodic replay of its own) and process A armed to die after the `note` action commits
    const b = await start({ LIVE_REPLAY_EVERY_SECONDS: '3600' });
    const a = await start({ LIVE_REPLAY_EVERY_SECONDS: '3600', MOTCUA_FAULT_KILL_BEFORE_ANNOUNCE: 'note' });
    const desk = await login(b.url, 'desk');
    const spec = await login(b.url, 'spec1');
    const intake = await post(`${b.url}/api/dossiers`, desk, intakeBody('Trần Thị Báo'));
    expect(intake.status, JSON.stringify(intake.body)).toBe(201);
    const dossier = intake.body as DossierAnswer;

    // and the specialist's screen connected to B, watching the dossier
    const heard: number[] = [];
    let onHeard: (() => void) | null = null;
    socket = connect(b.url, { auth: { token: spec }, transports: ['websocket'], reconnection: false });
    socket.on('dossier:changed', (e: { dossierId: string; version: number }) => {
      if (e.dossierId !== dossier.id) return;
      heard.push(e.version);
      onHeard?.();
    });
    const watched = await new Promise<{ ok: boolean; version?: number }>((ok) => socket!.emit('dossier:watch', dossier.id, ok));
    expect(watched).toMatchObject({ ok: true, version: dossier.version });

    // (the intake's own changes announced first: marks are flushed every second)
    const unannounced = async () => (await sql!.query<{ n: number }>(
      `select count(*)::int as n from outbox where dossier_id = $1 and topic = 'dossier.progress' and announced_at is null`, [dossier.id])).rows[0]!.n;
    for (let i = 0; i < 100 && (await unannounced()) > 0; i++) await sql!.query('select pg_sleep(0.1)');
    expect(await unannounced()).toBe(0);

    // when the specialist's action goes to A, which dies right after committing it
    const sent = await post(`${a.url}/api/dossiers/${encodeURIComponent(dossier.id)}/actions`, spec, { step: 'work', action: 'note', inputs: { text: 'ghi chú' } })
      .then((r) => `answered ${r.status}`, (e: unknown) => `no answer (${(e as Error).message})`);
    expect(await a.exited, a.log()).toBe('SIGKILL');
    expect(sent).toMatch(/^no answer/);

    // then the change is committed, and its outbox row was never announced
    const committed = (await sql!.query<{ version: number }>('select version from dossiers where id = $1', [dossier.id])).rows[0]!.version;
    expect(committed).toBe(dossier.version + 1);
    expect(await unannounced()).toBe(1);
    expect(heard).not.toContain(committed);

    // when A is restarted (its start replays committed changes older than the grace: 1 s here)
    await sql!.query(`select pg_sleep(greatest(0, 1.1 - extract(epoch from now() - max(created_at)))) from outbox where dossier_id = $1`, [dossier.id]);
    const arrived = new Promise<void>((ok) => { onHeard = () => { if (heard.includes(committed)) ok(); }; });
    const restarted = await start({ LIVE_REPLAY_EVERY_SECONDS: '3600', LIVE_REPLAY_GRACE_SECONDS: '1' });
    // then the screen on B hears of the committed version
    await Promise.race([arrived, new Promise((_, fail) => setTimeout(() => fail(new Error(`not announced within ${WAIT_MS} ms; heard ${JSON.stringify(heard)}\n${restarted.log()}`)), WAIT_MS))]);
    expect(heard).toContain(committed);
    // and the outbox row is marked announced (marks are flushed every second)
    for (let i = 0; i < 100 && (await unannounced()) > 0; i++) await sql!.query('select pg_sleep(0.1)');
    expect(await unannounced()).toBe(0);
    await killHard(restarted);
  }, 240_000);
});
