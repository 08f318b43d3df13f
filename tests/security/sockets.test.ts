/**
 * Hole 10: open sockets of a revoked user (logout, password change, deactivation) are cut
 * within a second, and a delegate's sockets leave the rooms a revoked delegation let them
 * into — on the process that revoked and, on PostgreSQL, on every other server process.
 * Every wait is for an event, bounded by the promised second.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { createHarness, login, publishFixture, secondProcess, seedPeople, type Harness } from '../../server/test/support/harness';
import { attachRealtime, type Realtime } from '../../server/src/realtime';
import type { Deps } from '../../server/src/deps';

const PROVINCE = '000.00.00.H99';
const UNIT = '000.01.31.H99';
/** The promise of the issue: a revoked session's sockets are gone within a second. */
const CUT_MS = 1_000;

interface Instance { server: http.Server; realtime: Realtime; url: string }
const instances: Instance[] = [];
const sockets: ClientSocket[] = [];
let h: Harness;
let A: Instance;

async function serve(deps: Deps, app: http.RequestListener): Promise<Instance> {
  const server = http.createServer(app);
  const realtime = await attachRealtime(server, deps);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const instance = { server, realtime, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  instances.push(instance);
  return instance;
}

async function stop(i: Instance): Promise<void> {
  await i.realtime.close();
  await new Promise<void>((ok) => { i.server.close(() => ok()); i.server.closeAllConnections(); });
}

function bounded<T>(promise: Promise<T>, what: string, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, fail) => { timer = setTimeout(() => fail(new Error(`no ${what} within ${ms} ms`)), ms); }),
  ]);
}

/** A connected officer socket, and a promise of the event that ends it followed by its disconnection. */
async function online(at: Instance, bearer: string): Promise<{ socket: ClientSocket; ended: Promise<string> }> {
  const socket = connect(at.url, { path: '/socket.io', transports: ['websocket'], reconnection: false, forceNew: true, auth: { token: bearer.replace(/^Bearer /, '') } });
  sockets.push(socket);
  let said = '';
  for (const event of ['session:revoked', 'session:changed', 'session:expired']) socket.on(event, () => { said = event; });
  const ended = new Promise<string>((ok) => socket.on('disconnect', (reason) => ok(`${said} / ${reason}`)));
  await bounded(new Promise<void>((ok, fail) => { socket.once('connect', () => ok()); socket.once('connect_error', fail); }), 'connection', 5_000);
  return { socket, ended };
}

/** Whether a new connection with this token is accepted. */
async function accepted(at: Instance, bearer: string): Promise<boolean> {
  const socket = connect(at.url, { path: '/socket.io', transports: ['websocket'], reconnection: false, forceNew: true, auth: { token: bearer.replace(/^Bearer /, '') } });
  sockets.push(socket);
  return bounded(new Promise<boolean>((ok) => { socket.once('connect', () => ok(true)); socket.once('connect_error', () => ok(false)); }), 'connection answer', 5_000);
}

beforeAll(async () => {
  h = await createHarness();
  await seedPeople(h, [
    { username: 'admin', grants: [{ role: 'admin', unit: PROVINCE }] },
    { username: 'lan', grants: [{ role: 'desk', unit: UNIT }] },
    { username: 'hung', grants: [{ role: 'specialist', unit: UNIT }] },
    { username: 'khoa', grants: [{ role: 'specialist', unit: UNIT }] },
    { username: 'tuan', grants: [{ role: 'leader', unit: UNIT, position: 'head', title: 'CHỦ TỊCH' }] },
    { username: 'mai', grants: [{ role: 'specialist', unit: UNIT }] },
    { username: 'son', grants: [{ role: 'specialist', unit: UNIT }] },
  ]);
  await publishFixture(h, 'xac-nhan-tinh-trang-hon-nhan');
  A = await serve(h.deps, h.app.app);
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  for (const i of instances) await stop(i);
  await h?.close();
});

describe('sockets after revocation', () => {
  it('should cut the sockets of a user who logs out, and refuse the old token afterwards', async () => {
    const lan = await login(h, 'lan');
    const [one, two] = [await online(A, lan), await online(A, lan)];
    expect((await h.http.post('/api/auth/logout').set('Authorization', lan)).status).toBe(204);
    expect(await bounded(one.ended, 'disconnection', CUT_MS)).toBe('session:revoked / io server disconnect');
    expect(await bounded(two.ended, 'disconnection', CUT_MS)).toBe('session:revoked / io server disconnect');
    expect(await accepted(A, lan)).toBe(false);
    expect(await accepted(A, await login(h, 'lan'))).toBe(true);
  });

  it('should cut the sockets of a user whose password is reset or who is deactivated', async () => {
    const admin = await login(h, 'admin');
    const hung = await online(A, await login(h, 'hung'));
    expect((await h.http.post('/api/users/u-hung/password').set('Authorization', admin).send({ password: 'Mật-khẩu-mới-của-Hùng-2026' })).status).toBe(204);
    expect(await bounded(hung.ended, 'disconnection', CUT_MS)).toBe('session:revoked / io server disconnect');
    const khoa = await online(A, await login(h, 'khoa'));
    expect((await h.http.patch('/api/users/u-khoa').set('Authorization', admin).send({ active: false })).status).toBe(200);
    expect(await bounded(khoa.ended, 'disconnection', CUT_MS)).toBe('session:revoked / io server disconnect');
  });

  it('should move a delegate out of the rooms of a revoked delegation', async () => {
    const tuan = await login(h, 'tuan');
    const mai = await login(h, 'mai');
    const created = await h.http.post('/api/delegations').set('Authorization', await login(h, 'admin')).send({
      kind: 'authorisation', from: 'u-tuan', to: 'u-mai', scope: { roles: ['leader'], units: [UNIT] },
      validFrom: '2026-03-01T00:00:00+07:00', validTo: '2026-03-31T00:00:00+07:00', decision: '12/QĐ-UBND',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const delegate = await online(A, mai);
    expect((await h.http.post(`/api/delegations/${created.body.id as string}/revoke`).set('Authorization', tuan)).status).toBe(200);
    expect(await bounded(delegate.ended, 'disconnection', CUT_MS)).toBe('session:changed / io server disconnect');
    // the delegate's token itself stays valid: they reconnect with what they may see now
    expect(await accepted(A, mai)).toBe(true);
  });

  it.skipIf(!process.env['DATABASE_URL'])('should cut a revoked user\'s socket on another server process', async () => {
    const second = await secondProcess(h);
    let B: Instance | undefined;
    try {
      const appB = second.app;
      B = await serve(second.deps, appB.app);
      // given an officer connected to process B, with B's user cache warm
      const lan = await login(h, 'lan');
      const onB = await online(B, lan);
      const { default: request } = await import('supertest');
      expect((await request(appB.app).get('/api/auth/me').set('Authorization', lan)).status).toBe(200);
      // when they sign out through process A
      expect((await h.http.post('/api/auth/logout').set('Authorization', lan)).status).toBe(204);
      // then B cuts the socket within a second, and B's HTTP answers refuse the token at once
      expect(await bounded(onB.ended, 'disconnection on B', CUT_MS)).toBe('session:revoked / io server disconnect');
      expect((await request(appB.app).get('/api/auth/me').set('Authorization', lan)).status).toBe(401);
    } finally {
      if (B) {
        await stop(B);
        instances.splice(instances.indexOf(B), 1);
      }
      await second.close();
    }
  });

  it.skipIf(!process.env['DATABASE_URL'])('should stop honouring a revoked delegation on another server process at once', async () => {
    const second = await secondProcess(h);
    let B: Instance | undefined;
    try {
      const appB = second.app;
      B = await serve(second.deps, appB.app);
      const { default: request } = await import('supertest');
      // given a dossier waiting for the chair's signature, and the chair's role delegated to a specialist
      const received = await h.http.post('/api/dossiers').set('Authorization', await login(h, 'lan')).send({
        procedureId: 'xac-nhan-tinh-trang-hon-nhan', channel: 'direct', receivingUnit: UNIT, accept: true,
        applicant: { id: '079196004040', name: 'Kiều Thị Mỹ', phone: '0912345678' },
        data: { personName: 'Kiều Thị Mỹ', dateOfBirth: '1996-04-18', maritalStatus: 'never-married', purpose: 'marriage' },
      });
      expect(received.status, JSON.stringify(received.body)).toBe(201);
      const id = encodeURIComponent(received.body.id as string);
      const proposed = await h.http.post(`/api/dossiers/${id}/actions`).set('Authorization', await login(h, 'son'))
        .send({ step: 'verify', action: 'propose', inputs: { certificateNo: '41/2026/XNTTHN' } });
      expect(proposed.status, JSON.stringify(proposed.body)).toBe(200);
      const tuan = await login(h, 'tuan');
      const mai = await login(h, 'mai');
      const created = await h.http.post('/api/delegations').set('Authorization', tuan).send({
        kind: 'authorisation', from: 'u-tuan', to: 'u-mai', scope: { roles: ['leader'], units: [UNIT] },
        validFrom: '2026-03-01T00:00:00+07:00', validTo: '2026-03-31T00:00:00+07:00', decision: '13/QĐ-UBND',
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      // and the delegate working through process B, which has her delegations in its cache
      const signs = async () => ((await request(appB.app).get(`/api/dossiers/${id}`).set('Authorization', mai)).body as { actions: { action: string }[] })
        .actions.some((a) => a.action === 'approve');
      expect(await signs()).toBe(true);
      const onB = await online(B, mai);
      // when the chair revokes it through process A
      expect((await h.http.post(`/api/delegations/${created.body.id as string}/revoke`).set('Authorization', tuan)).status).toBe(200);
      // then B moves her socket out (the relay has arrived), and from then on refuses her the chair's actions
      expect(await bounded(onB.ended, 'disconnection on B', CUT_MS)).toBe('session:changed / io server disconnect');
      expect(await signs()).toBe(false);
      const approve = await request(appB.app).post(`/api/dossiers/${id}/actions`).set('Authorization', mai).send({ step: 'sign', action: 'approve' });
      expect(approve.status, JSON.stringify(approve.body)).toBe(403);
    } finally {
      if (B) {
        await stop(B);
        instances.splice(instances.indexOf(B), 1);
      }
      await second.close();
    }
  });
});
