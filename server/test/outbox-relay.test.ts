/**
 * Live updates from the committed outbox: a change committed by a process that died before
 * announcing it (here: an app whose bus reaches no socket), or answered by an idempotent
 * replay, still reaches a real socket.io client — once the relay replays what was never
 * marked announced. What was announced live is not announced again.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import request from 'supertest';
import { and, eq, isNull } from 'drizzle-orm';
import { createHarness, login, publishFixture, seedPeople, type Harness, ANPHU_STAFF } from './support/harness';
import { attachRealtime, type DossierChanged, type Realtime } from '../src/realtime';
import { startAnnouncements, type Announcements } from '../src/realtime/announcements';
import { createApp } from '../src/app';
import { Bus } from '../src/bus';
import { outbox } from '../src/db/schema';

const ANPHU = '000.01.31.H99';
const WAIT_MS = 5000;

let h: Harness;
let server: http.Server;
let realtime: Realtime;
let socket: ClientSocket;
let announcements: Announcements | null = null;
let desk = '';
const received: DossierChanged[] = [];
let waiters: { test: (p: DossierChanged) => boolean; resolve: (p: DossierChanged) => void }[] = [];

/** Resolves with the first change (already received or to come) that passes `test`; bounded. */
function change(test: (p: DossierChanged) => boolean, what: string): Promise<DossierChanged> {
  const hit = received.find(test);
  if (hit) return Promise.resolve(hit);
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    new Promise<DossierChanged>((resolve) => waiters.push({ test, resolve })).finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), WAIT_MS); }),
  ]);
}

beforeAll(async () => {
  // given a server with live updates, and the desk officer of An Phú connected with a real socket.io client
  h = await createHarness({ now: '2026-03-02T01:15:00.000Z' });
  await seedPeople(h, ANPHU_STAFF);
  await publishFixture(h, 'xac-nhan-tinh-trang-hon-nhan');
  desk = await login(h, 'lan');
  server = http.createServer(h.app.app);
  realtime = await attachRealtime(server, h.deps);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  socket = connect(`http://127.0.0.1:${port}`, {
    path: '/socket.io', transports: ['websocket'], reconnection: false, forceNew: true, auth: { token: desk.replace(/^Bearer /, '') },
  });
  socket.on('dossier:changed', (p: DossierChanged) => {
    received.push(p);
    waiters = waiters.filter((w) => (w.test(p) ? (w.resolve(p), false) : true));
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
});

afterAll(async () => {
  await announcements?.stop();
  socket?.close();
  await realtime?.close();
  await new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); });
  await h.close();
});

const intake = (n: number) => ({
  procedureId: 'xac-nhan-tinh-trang-hon-nhan', channel: 'direct', receivingUnit: ANPHU, accept: true,
  applicant: { id: `07919600${String(n).padStart(4, '0')}`, name: `Người nộp ${n}`, phone: '0912345678' },
  data: { personName: `Người nộp ${n}`, dateOfBirth: '1996-04-18', maritalStatus: 'never-married', purpose: 'marriage' },
});

/** The HTTP API of a process whose announcements reach no socket: it commits, then "dies" before announcing. */
const dying = () => request(createApp({ ...h.deps, bus: new Bus() }).app);

const unannounced = (dossierId: string) => h.deps.db.select({ id: outbox.id }).from(outbox)
  .where(and(eq(outbox.dossierId, dossierId), eq(outbox.topic, 'dossier.progress'), isNull(outbox.announcedAt)));

describe('live updates from the committed outbox', () => {
  it('should announce at start what a dead process committed but never announced, and an idempotent replay of it', async () => {
    // given a dossier received by a process that died before announcing it
    const lost = await dying().post('/api/dossiers').set('Authorization', desk).send(intake(1));
    expect(lost.status, JSON.stringify(lost.body)).toBe(201);
    // and another whose first answer was lost: the retry with the same key is replayed, announcing nothing
    const first = await dying().post('/api/dossiers').set('Authorization', desk).set('Idempotency-Key', 'relay-k1').send(intake(2));
    const retry = await h.http.post('/api/dossiers').set('Authorization', desk).set('Idempotency-Key', 'relay-k1').send(intake(2));
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(first.body.id);
    expect(received.some((p) => p.dossierId === lost.body.id || p.dossierId === first.body.id)).toBe(false);
    expect(await unannounced(lost.body.id)).not.toHaveLength(0);
    // when the relay starts (this process alone: no grace)
    announcements = startAnnouncements(h.deps, { startGraceMs: 0, replayEveryMs: 3_600_000 });
    // then the connected officer hears of both, at their committed versions
    const a = await change((p) => p.dossierId === lost.body.id, 'the lost intake');
    const b = await change((p) => p.dossierId === first.body.id, 'the replayed intake');
    expect(a).toMatchObject({ version: lost.body.version, status: lost.body.status, units: expect.arrayContaining([ANPHU]) });
    expect(b).toMatchObject({ version: first.body.version });
    // and the outbox marks them announced, so the next replay announces nothing
    await announcements.flush();
    expect(await unannounced(lost.body.id)).toHaveLength(0);
    expect(await unannounced(first.body.id)).toHaveLength(0);
    expect(await announcements.replay(0)).toBe(0);
  });

  it('should mark what was announced live, and not announce it again', async () => {
    // when a dossier is received by this (live) process
    announcements ??= startAnnouncements(h.deps, { startGraceMs: 0, replayEveryMs: 3_600_000 });
    const live = await h.http.post('/api/dossiers').set('Authorization', desk).send(intake(3));
    expect(live.status).toBe(201);
    // then the officer hears of it at once
    await change((p) => p.dossierId === live.body.id, 'the live intake');
    // and once marked, a replay finds nothing to announce
    await announcements.flush();
    expect(await unannounced(live.body.id)).toHaveLength(0);
    expect(await announcements.replay(0)).toBe(0);
  });
});
