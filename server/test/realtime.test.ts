/**
 * Live updates over a real HTTP server and socket.io-client: rooms per unit, user and
 * dossier, token auth, the public namespace, and (on PostgreSQL) two server processes
 * sharing rooms through the adapter. No sleeps: every wait is for an event, bounded.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import request from 'supertest';
import { createHarness, login, publishFixture, secondProcess, seedPeople, withConfig, type Harness, ANPHU_STAFF } from './support/harness';
import { attachRealtime, type DossierChanged, type PublicDossier, type Realtime } from '../src/realtime';
import { signToken } from '../src/auth/tokens';
import { Bus, type BusMessage } from '../src/bus';
import type { Deps } from '../src/deps';

const ANPHU = '000.01.31.H99';
const BINHMINH = '000.02.31.H99';
const WAIT_MS = 5_000;

let h: Harness;
const auth: { [name: string]: string } = {};
/** The raw token (what a browser keeps), without the `Bearer ` prefix. */
const token = (who: string) => auth[who]!.replace(/^Bearer /, '');

interface Instance {
  server: http.Server;
  realtime: Realtime;
  url: string;
}
const instances: Instance[] = [];
const sockets: ClientSocket[] = [];

async function serve(deps: Deps, app: http.RequestListener): Promise<Instance> {
  const server = http.createServer(app);
  const realtime = await attachRealtime(server, deps);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const instance = { server, realtime, url: `http://127.0.0.1:${port}` };
  instances.push(instance);
  return instance;
}

async function stop(instance: Instance): Promise<void> {
  await instance.realtime.close();
  await new Promise<void>((resolve) => {
    instance.server.close(() => resolve());
    instance.server.closeAllConnections();
  });
}

/** Rejects after `ms` unless `promise` settles first. */
function bounded<T>(promise: Promise<T>, what: string, ms = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms); }),
  ]);
}

function client(instance: Instance, nsp: '/' | '/public', options: { token?: string; headers?: { [k: string]: string } } = {}): ClientSocket {
  const socket = connect(`${instance.url}${nsp === '/' ? '' : nsp}`, {
    path: '/socket.io', transports: ['websocket'], reconnection: false, forceNew: true,
    ...(options.token !== undefined ? { auth: { token: options.token } } : {}),
    ...(options.headers ? { extraHeaders: options.headers } : {}),
  });
  sockets.push(socket);
  return socket;
}

/** Connects, or rejects with the server's refusal. */
function connected(socket: ClientSocket): Promise<ClientSocket> {
  return bounded(new Promise<ClientSocket>((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => reject(err));
  }), 'connect');
}

async function online(instance: Instance, nsp: '/' | '/public', who?: string): Promise<ClientSocket> {
  return connected(client(instance, nsp, who ? { token: token(who) } : {}));
}

/** The refusal a connection gets (fails the test if it connects). */
async function refused(socket: ClientSocket): Promise<Error & { data?: { code: string; message: { vi: string; en: string } } }> {
  try {
    await connected(socket);
  } catch (e) {
    return e as Error & { data?: { code: string; message: { vi: string; en: string } } };
  }
  throw new Error('the connection was accepted');
}

/** Records every `event` a socket receives; `next` waits (bounded) for one matching, past or future. */
class Inbox<T> {
  readonly seen: T[] = [];
  private waiters: { match: (p: T) => boolean; resolve: (p: T) => void }[] = [];

  constructor(socket: ClientSocket, event: string) {
    socket.on(event, (payload: T) => {
      this.seen.push(payload);
      this.waiters = this.waiters.filter((w) => {
        if (!w.match(payload)) return true;
        w.resolve(payload);
        return false;
      });
    });
  }

  next(match: (p: T) => boolean, what: string): Promise<T> {
    const already = this.seen.find(match);
    if (already) return Promise.resolve(already);
    return bounded(new Promise<T>((resolve) => this.waiters.push({ match, resolve })), what);
  }
}

function emitWithAck<T>(socket: ClientSocket, event: string, ...args: unknown[]): Promise<T> {
  return bounded(socket.timeout(WAIT_MS).emitWithAck(event, ...args) as Promise<T>, `ack of ${event}`);
}

const intakeBody = (receivingUnit: string) => ({
  procedureId: 'xac-nhan-tinh-trang-hon-nhan', channel: 'direct', receivingUnit, accept: true,
  applicant: { id: '079196004040', name: 'Kiều Thị Mỹ', phone: '0912345678', email: 'my.kieu@example.vn', address: '12 Lý Thường Kiệt' },
  data: { personName: 'Kiều Thị Mỹ', dateOfBirth: '1996-04-18', maritalStatus: 'never-married', purpose: 'marriage' },
});

async function receive(who: string, unit: string, via = h.http): Promise<{ id: string; version: number }> {
  const res = await via.post('/api/dossiers').set('Authorization', auth[who]!).send(intakeBody(unit));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; version: number };
}

async function propose(id: string, certificateNo = '41/2026/XNTTHN'): Promise<{ version: number; status: string }> {
  const res = await h.http.post(`/api/dossiers/${encodeURIComponent(id)}/actions`).set('Authorization', auth['hung']!)
    .send({ step: 'verify', action: 'propose', inputs: { certificateNo } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { version: number; status: string };
}

let A: Instance;

beforeAll(async () => {
  // given a commune (desk officer, specialist, leader), a ward (desk officer, specialist) and a process designer
  h = await createHarness({ now: '2026-03-02T01:15:00.000Z' });
  await seedPeople(h, [
    ...ANPHU_STAFF,
    { username: 'mai', name: 'Trần Thị Mai', grants: [{ role: 'desk', unit: BINHMINH }] },
    { username: 'nam', name: 'Đỗ Văn Nam', grants: [{ role: 'specialist', unit: BINHMINH }] },
    { username: 'thu', name: 'Vũ Thị Thu', grants: [{ role: 'designer', unit: '000.00.00.H99' }] },
    { username: 'admin', name: 'Quản trị tỉnh', grants: [{ role: 'admin', unit: '000.00.00.H99' }] },
  ]);
  await publishFixture(h, 'xac-nhan-tinh-trang-hon-nhan');
  await publishFixture(h, 'chung-thuc-chu-ky');
  for (const u of ['lan', 'hung', 'tuan', 'mai', 'nam', 'thu', 'admin']) auth[u] = await login(h, u);
  A = await serve(h.deps, h.app.app);
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  for (const i of instances) await stop(i);
  await h?.close();
});

describe('realtime', () => {
  it('should tell a desk officer when a specialist acts on a dossier of their unit, after commit', async () => {
    // given the desk officer of An Phú online
    const lan = await online(A, '/', 'lan');
    const changes = new Inbox<DossierChanged>(lan, 'dossier:changed');
    const stats = new Inbox<{ units: string[] }>(lan, 'stats:changed');
    // when she receives a dossier, a stale action is refused and the specialist proposes
    const d = await receive('lan', ANPHU);
    const stale = await h.http.post(`/api/dossiers/${encodeURIComponent(d.id)}/actions`).set('Authorization', auth['hung']!)
      .send({ step: 'verify', action: 'propose', inputs: { certificateNo: 'X' }, expectedVersion: d.version - 1 });
    expect(stale.status).toBe(409);
    const proposed = await propose(d.id);
    // then she is told, with the committed version and what was done
    const got = await changes.next((e) => e.dossierId === d.id && e.action === 'propose', 'dossier:changed (propose)');
    expect(got).toEqual({
      dossierId: d.id, version: proposed.version, status: 'active', units: expect.arrayContaining([ANPHU]),
      assignees: expect.any(Array), step: 'verify', action: 'propose',
    });
    // and only committed states were announced (the refused action sent nothing)
    expect(changes.seen.filter((e) => e.dossierId === d.id).map((e) => e.version)).toEqual([1, 2, proposed.version]);
    // and the reports of her unit were told to refresh when the dossier was accepted
    expect(await stats.next((e) => e.units.includes(ANPHU), 'stats:changed')).toEqual({ units: [ANPHU] });
  });

  it('should not tell an officer of another unit (the next event of their own unit arrives, the earlier one never did)', async () => {
    // given officers of An Phú and of Bình Minh online
    const lan = new Inbox<DossierChanged>(await online(A, '/', 'lan'), 'dossier:changed');
    const nam = new Inbox<DossierChanged>(await online(A, '/', 'nam'), 'dossier:changed');
    // when An Phú's specialist acts on An Phú's dossier, then Bình Minh receives a dossier of its own
    const anphu = await receive('lan', ANPHU);
    await propose(anphu.id);
    await lan.next((e) => e.dossierId === anphu.id && e.action === 'propose', 'An Phú event at An Phú');
    const binhminh = await receive('mai', BINHMINH);
    // then Bình Minh's officer gets his own unit's event (positive control, emitted later) ...
    await nam.next((e) => e.dossierId === binhminh.id, 'Bình Minh event at Bình Minh');
    // ... and never saw An Phú's, which was emitted before it on the same ordered connection
    expect(nam.seen.map((e) => e.dossierId)).not.toContain(anphu.id);
    expect(nam.seen.every((e) => e.units.includes(BINHMINH))).toBe(true);
  });

  it('should refuse a missing, malformed, forged or expired token on the default namespace', async () => {
    const now = h.deps.clock.now();
    const forged = await signToken('u-lan', 'another-secret-another-secret-another-secret', 3600, now);
    const expired = await signToken('u-lan', h.deps.config.tokenSecret, 60, new Date(now.getTime() - 3600_000));
    const unknownUser = await signToken('u-nobody', h.deps.config.tokenSecret, 3600, now);
    for (const options of [{}, { token: '' }, { token: 'not-a-jwt' }, { token: forged }, { token: expired }, { token: unknownUser }]) {
      const err = await refused(client(A, '/', options));
      expect(err.message, JSON.stringify(options)).toBe('UNAUTHENTICATED');
      expect(err.data).toMatchObject({ code: 'UNAUTHENTICATED', message: { vi: expect.any(String), en: expect.any(String) } });
    }
    // the header form of the token is accepted too
    await connected(client(A, '/', { token: auth['lan']! }));
    // while the public namespace needs no token
    await online(A, '/public');
  });

  it('should refuse a cross-origin page and accept the same origin', async () => {
    await refused(client(A, '/public', { headers: { origin: 'https://evil.example' } }));
    await connected(client(A, '/public', { headers: { origin: A.url } }));
  });

  it('should tell the client and disconnect it when its token expires', async () => {
    const short = await signToken('u-lan', h.deps.config.tokenSecret, 1, h.deps.clock.now());
    const socket = await connected(client(A, '/', { token: short }));
    const expired = new Promise<void>((resolve) => socket.once('session:expired', () => resolve()));
    const gone = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
    await bounded(expired, 'session:expired');
    expect(await bounded(gone, 'disconnect')).toBe('io server disconnect');
  });

  it('should let an officer watch a dossier they may see and refuse one of another unit', async () => {
    const d = await receive('lan', ANPHU);
    const nam = await online(A, '/', 'nam');
    const refusedWatch = await emitWithAck<{ ok: boolean; error?: { code: string; message: { vi: string; en: string } } }>(nam, 'dossier:watch', d.id);
    expect(refusedWatch).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: { vi: expect.any(String), en: expect.any(String) } } });
    expect(await emitWithAck(nam, 'dossier:watch', '000.01.31.H99-260302-9999')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await emitWithAck(nam, 'dossier:watch', { id: d.id })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await emitWithAck(nam, 'dossier:watch', 'x'.repeat(500))).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const inRoom = async () => (await A.realtime.io.in(`dossier:${d.id}`).fetchSockets()).map((s) => s.id);
    expect(await inRoom()).not.toContain(nam.id);

    const tuan = await online(A, '/', 'tuan');
    expect(await emitWithAck(tuan, 'dossier:watch', d.id)).toEqual({ ok: true, dossierId: d.id, version: d.version, status: 'active' });
    expect(await inRoom()).toContain(tuan.id);
    expect(await emitWithAck(tuan, 'dossier:unwatch', d.id)).toEqual({ ok: true, dossierId: d.id });
    expect(await inRoom()).not.toContain(tuan.id);
    // a watch without an acknowledgement callback, or with junk instead of one, crashes nothing
    nam.emit('dossier:watch', d.id, 'not-a-callback');
    expect(await emitWithAck(nam, 'dossier:watch', d.id)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('should send the public tracker the public fields only', async () => {
    // given a citizen tracking her dossier by code and the last 4 digits of her phone, anonymously
    const d = await receive('lan', ANPHU);
    const citizen = await online(A, '/public');
    const updates = new Inbox<PublicDossier>(citizen, 'dossier:changed');
    const sub = await emitWithAck<{ ok: true; dossier: PublicDossier; verified: boolean }>(citizen, 'subscribe', { code: d.id, last4: '5678' });
    expect(sub.ok).toBe(true);
    expect(sub.verified).toBe(true);
    expect(Object.keys(sub.dossier).sort()).toEqual(['closedAt', 'current', 'dossierId', 'dueAt', 'outcome', 'status', 'version']);
    expect(sub.dossier).toMatchObject({ dossierId: d.id, version: d.version, status: 'active', dueAt: '2026-03-05T10:00:00.000Z', closedAt: null });
    expect(await emitWithAck(citizen, 'subscribe', 'NO-SUCH-CODE')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    // when the specialist acts
    const proposed = await propose(d.id, 'SECRET-CERT-77');
    // then she sees the new state: status, current step by name, deadline — and nothing of the applicant or the officers
    const got = await updates.next((e) => e.dossierId === d.id && e.version === proposed.version, 'public dossier:changed');
    expect(Object.keys(got).sort()).toEqual(['closedAt', 'current', 'dossierId', 'dueAt', 'outcome', 'status', 'version']);
    expect(got.current).toEqual([{ name: { vi: expect.any(String), en: expect.any(String) }, since: expect.any(String) }]);
    expect(got.dueAt).toBe('2026-03-05T10:00:00.000Z');
    const text = JSON.stringify([sub, updates.seen]);
    for (const secret of ['5678', 'Kiều', '079196004040', '0912345678', 'my.kieu', 'Lý Thường Kiệt', 'SECRET-CERT-77', 'u-hung', 'Hùng', 'marriage', 'units', 'assignees']) {
      expect(text).not.toContain(secret);
    }
  });

  it('should broadcast a catalog change to officers and the public', async () => {
    const lan = new Inbox<{ procedureId: string }>(await online(A, '/', 'lan'), 'catalog:changed');
    const citizen = new Inbox<{ procedureId: string }>(await online(A, '/public'), 'catalog:changed');
    const res = await h.http.post('/api/procedures/chung-thuc-chu-ky/versions/1/retire').set('Authorization', auth['thu']!).send({});
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(await lan.next((e) => e.procedureId === 'chung-thuc-chu-ky', 'catalog:changed (officer)')).toEqual({ procedureId: 'chung-thuc-chu-ky' });
    expect(await citizen.next((e) => e.procedureId === 'chung-thuc-chu-ky', 'catalog:changed (public)')).toEqual({ procedureId: 'chung-thuc-chu-ky' });
  });

  it('should survive bad input on the public namespace', async () => {
    const citizen = await online(A, '/public');
    expect(await emitWithAck(citizen, 'subscribe', 42)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await emitWithAck(citizen, 'subscribe', null)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    citizen.emit('subscribe', 'x', 'not-a-callback');
    citizen.emit('no-such-event', { a: 1 });
    expect(await emitWithAck(citizen, 'unsubscribe', 'NO-SUCH-CODE')).toEqual({ ok: true, dossierId: 'NO-SUCH-CODE' });
  });

  it('should hold the limit of watched dossiers against watches sent all at once', async () => {
    await withConfig(h, { officerWatchLimit: 3 }, async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await receive('lan', ANPHU)).id);
    const tuan = await online(A, '/', 'tuan');
    type Answer = { ok: boolean; error?: { code: string; message: { vi: string; en: string } } };
    // a burst: five dossiers, the first one asked for twice, before any check has answered
    const answers = await Promise.all([...ids, ids[0]!].map((id) => emitWithAck<Answer>(tuan, 'dossier:watch', id)));
    expect(answers.filter((a) => a.ok)).toHaveLength(4);
    const refusedWatches = answers.filter((a) => !a.ok);
    expect(refusedWatches).toHaveLength(2);
    for (const a of refusedWatches) expect(a.error).toEqual({ code: 'TOO_MANY', message: { vi: expect.stringContaining('tối đa 3'), en: expect.stringContaining('At most 3') } });
    const watched = async () => (await A.realtime.io.in(tuan.id!).fetchSockets())[0]!.rooms;
    expect([...(await watched())].filter((r) => r.startsWith('dossier:'))).toHaveLength(3);
    // watching one again takes no more room; unwatching one makes room for another
    const first = [...(await watched())].find((r) => r.startsWith('dossier:'))!.slice('dossier:'.length);
    expect(await emitWithAck(tuan, 'dossier:watch', first)).toMatchObject({ ok: true });
    const joined = [...(await watched())];
    const outside = ids.find((id) => !joined.includes(`dossier:${id}`))!;
    expect(await emitWithAck(tuan, 'dossier:watch', outside)).toMatchObject({ ok: false, error: { code: 'TOO_MANY' } });
    expect(await emitWithAck(tuan, 'dossier:unwatch', first)).toEqual({ ok: true, dossierId: first });
    expect(await emitWithAck(tuan, 'dossier:watch', outside)).toMatchObject({ ok: true, dossierId: outside });
    });
  });

  it('should hold the limit of tracked dossiers against public subscriptions sent all at once', async () => {
    await withConfig(h, { publicTrackLimit: 3 }, async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await receive('lan', ANPHU)).id);
    // an address of its own, so the lookup's per-address allowance is this test's alone
    const citizen = await connected(client(A, '/public', { headers: { 'x-forwarded-for': '203.0.113.40' } }));
    type Answer = { ok: boolean; verified?: boolean; error?: { code: string; message: { vi: string; en: string } } };
    // a burst: five dossiers, the first one asked for twice (once with its factor), before any lookup has answered
    const answers = await Promise.all([
      ...ids.map((id) => emitWithAck<Answer>(citizen, 'subscribe', id)),
      emitWithAck<Answer>(citizen, 'subscribe', { code: ids[0], last4: '5678' }),
    ]);
    expect(answers.filter((a) => a.ok)).toHaveLength(4);
    const refusedSubscriptions = answers.filter((a) => !a.ok);
    expect(refusedSubscriptions).toHaveLength(2);
    for (const a of refusedSubscriptions) {
      expect(a.error).toEqual({ code: 'TOO_MANY', message: { vi: expect.stringContaining('tối đa 3'), en: expect.stringContaining('At most 3') } });
    }
    expect(answers[0]).toMatchObject({ ok: true, verified: false });
    expect(answers[5]).toMatchObject({ ok: true, verified: true });
    const tracked = async () => [...(await A.realtime.io.of('/public').in(citizen.id!).fetchSockets())[0]!.rooms]
      .filter((r) => r.startsWith('status:') || r.startsWith('full:'));
    const rooms = await tracked();
    expect(rooms).toHaveLength(3);
    // the code asked for with its factor gets the public fields, whichever answer came first
    expect(rooms).toContain(`full:${ids[0]}`);
    // tracking one again takes no more room; unsubscribing one makes room for another
    expect(await emitWithAck(citizen, 'subscribe', ids[0])).toMatchObject({ ok: true });
    const outside = ids.find((id) => !rooms.some((r) => r.endsWith(`:${id}`)))!;
    expect(await emitWithAck(citizen, 'subscribe', outside)).toMatchObject({ ok: false, error: { code: 'TOO_MANY' } });
    expect(await emitWithAck(citizen, 'unsubscribe', ids[0])).toEqual({ ok: true, dossierId: ids[0] });
    expect(await emitWithAck(citizen, 'subscribe', outside)).toMatchObject({ ok: true });
    expect(await tracked()).toHaveLength(3);
    });
  });

  it('should cap the public sockets of one address, counting connections made all at once', async () => {
    await withConfig(h, { publicSocketsPerAddress: 2 }, async () => {
    const from = (address: string) => ({ headers: { 'x-forwarded-for': address } });
    const tries = await Promise.allSettled([1, 2, 3].map(() => connected(client(A, '/public', from('203.0.113.7')))));
    const opened = tries.filter((t): t is PromiseFulfilledResult<ClientSocket> => t.status === 'fulfilled').map((t) => t.value);
    const failed = tries.filter((t): t is PromiseRejectedResult => t.status === 'rejected').map((t) => t.reason as Error & { data?: unknown });
    expect(opened).toHaveLength(2);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.message).toBe('TOO_MANY');
    expect(failed[0]!.data).toEqual({
      code: 'TOO_MANY', message: { vi: expect.stringMatching(/Quá nhiều kết nối.*tối đa 2/), en: expect.stringMatching(/Too many .*at most 2/) },
    });
    // another address is not held back by this one
    await connected(client(A, '/public', from('203.0.113.8')));
    // a socket closed gives its place back
    const server = A.realtime.io.of('/public').sockets.get(opened[0]!.id!)!;
    const gone = new Promise<void>((resolve) => server.once('disconnect', () => resolve()));
    opened[0]!.disconnect();
    await bounded(gone, 'the server to see the public socket close');
    await connected(client(A, '/public', from('203.0.113.7')));
    expect((await refused(client(A, '/public', from('203.0.113.7')))).message).toBe('TOO_MANY');
    });
  });

  it('should stop telling a watcher of a dossier once they may no longer see it, and take them out of its room', async () => {
    // given Bình Minh's specialist watching an An Phú dossier through a delegation of An Phú's leader, in force until this evening
    const delegation = await h.http.post('/api/delegations').set('Authorization', auth['admin']!).send({
      kind: 'authorisation', from: 'u-tuan', to: 'u-nam', scope: { roles: ['leader'], units: [ANPHU] },
      validFrom: '2026-03-01T00:00:00+07:00', validTo: '2026-03-03T00:00:00+07:00', decision: '21/QĐ-UBND',
    });
    expect(delegation.status, JSON.stringify(delegation.body)).toBe(201);
    const d = await receive('lan', ANPHU);
    const socket = await online(A, '/', 'nam');
    const nam = new Inbox<DossierChanged>(socket, 'dossier:changed');
    const lost = new Inbox<{ dossierId: string }>(socket, 'dossier:unwatched');
    expect(await emitWithAck(socket, 'dossier:watch', d.id)).toMatchObject({ ok: true, dossierId: d.id });
    // while it is in force he is told of the dossier's changes (through its room only: his own rooms are Bình Minh's)
    const proposed = await propose(d.id);
    await nam.next((e) => e.dossierId === d.id && e.version === proposed.version, 'the delegate told of the proposal');
    // when the delegation's period ends (nothing is announced) and the leader sends the dossier back
    h.clock.advance(24 * 3600_000);
    for (const u of ['lan', 'hung', 'tuan', 'mai', 'nam', 'thu', 'admin']) auth[u] = await login(h, u);
    const sent = await h.http.post(`/api/dossiers/${encodeURIComponent(d.id)}/actions`).set('Authorization', auth['tuan']!)
      .send({ step: 'sign', action: 'sendBack', inputs: { reason: 'Bổ sung số giấy xác nhận' } });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    // then he is told only that he no longer watches it (its id, nothing of the change)
    expect(await lost.next((e) => e.dossierId === d.id, 'dossier:unwatched to the former delegate')).toEqual({ dossierId: d.id });
    // and not of the change (his own unit's later change reaches him, the dossier's never did), and has left its room
    const own = await receive('mai', BINHMINH);
    await nam.next((e) => e.dossierId === own.id, 'Bình Minh event for the former delegate');
    expect(nam.seen.filter((e) => e.dossierId === d.id).map((e) => e.version)).toEqual([proposed.version]);
    expect((await A.realtime.io.in(`dossier:${d.id}`).fetchSockets()).map((s) => s.id)).not.toContain(socket.id);
    expect(lost.seen).toHaveLength(1);
    // and An Phú's own officers, in the dossier's unit room, still are
    const lan = new Inbox<DossierChanged>(await online(A, '/', 'lan'), 'dossier:changed');
    const again = await propose(d.id);
    await lan.next((e) => e.dossierId === d.id && e.version === again.version, 'An Phú told of the new proposal');
  });

  it.skipIf(!process.env['DATABASE_URL'])('should reach a client of another server process through the PostgreSQL adapter', async () => {
    // given a second server process on the same database (own pool, own bus, own app)
    const busB = new Bus();
    const second = await secondProcess(h, busB);
    let B: Instance | undefined;
    try {
      const localB: BusMessage[] = [];
      busB.subscribe((m) => localB.push(m));
      const depsB = second.deps;
      const appB = second.app;
      B = await serve(depsB, appB.app);
      // and the desk officer and a citizen connected to process B, an officer of another unit too
      const lan = new Inbox<DossierChanged>(await online(B, '/', 'lan'), 'dossier:changed');
      const nam = new Inbox<DossierChanged>(await online(B, '/', 'nam'), 'dossier:changed');
      const d = await receive('lan', ANPHU);
      const citizen = await online(B, '/public');
      const tracked = new Inbox<PublicDossier>(citizen, 'dossier:changed');
      expect(await emitWithAck(citizen, 'subscribe', { code: d.id, last4: '4040' })).toMatchObject({ ok: true, verified: true });
      // when the specialist acts through process A
      const proposed = await propose(d.id);
      // then the clients of process B are told, though B's own bus never saw the change
      await lan.next((e) => e.dossierId === d.id && e.version === proposed.version, 'dossier:changed relayed to B');
      const pub = await tracked.next((e) => e.dossierId === d.id && e.version === proposed.version, 'public dossier:changed relayed to B');
      expect(JSON.stringify(pub)).not.toContain('Kiều');
      expect(localB).toEqual([]);
      // and rooms stay rooms across processes: Bình Minh's officer on B gets his unit's event, never An Phú's
      const other = await receive('mai', BINHMINH);
      await nam.next((e) => e.dossierId === other.id, 'Bình Minh event at B');
      expect(nam.seen.map((e) => e.dossierId)).not.toContain(d.id);
      // and a dossier received through B reaches a client of A
      const lanA = new Inbox<DossierChanged>(await online(A, '/', 'lan'), 'dossier:changed');
      const viaB = await receive('lan', ANPHU, request(appB.app));
      await lanA.next((e) => e.dossierId === viaB.id, 'dossier:changed relayed to A');
      expect(localB.map((m) => m.type)).toContain('dossier.changed');
    } finally {
      // B's adapter holds a pooled connection for LISTEN: stop it before closing its pool
      if (B) {
        await stop(B);
        instances.splice(instances.indexOf(B), 1);
      }
      await second.close();
    }
  });
});
