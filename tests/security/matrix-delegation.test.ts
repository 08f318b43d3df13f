/**
 * Recording delegations, tried by every officer: who may hand a role to whom (same unit,
 * another unit, by the delegator, the unit's head, a commune or province administrator),
 * what a TUQ./TL. needs (end date, decision), re-delegation and duplicates; the delegator is
 * told live and the audit log keeps it, append-only.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import { sql } from 'drizzle-orm';
import { ANPHU, PEOPLE, TANLAP, Tally, XNHN, createWorld, type World } from './support/world';
import { attachRealtime, type DelegationChanged, type Realtime } from '../../server/src/realtime';

let w: World;
const tally = new Tally('delegation recording (officer × delegation)');
const DAY = 86_400_000;
let iso: (offsetDays: number) => string;

beforeAll(async () => {
  w = await createWorld();
  const now = w.h.clock.now().getTime();
  iso = (d) => new Date(now + d * DAY).toISOString();
});
afterAll(async () => {
  tally.assert();
  await w.h.close();
});

const post = (who: string, body: object) => w.h.http.post('/api/delegations').set('Authorization', w.auth[who]!).send(body);
const revoke = (who: string, id: string) => w.h.http.post(`/api/delegations/${id}/revoke`).set('Authorization', w.auth[who]!);

/** A TUQ. of An Phú's deputy chair's leader role for one procedure, for a month. */
const tuq = (to: string, extra: object = {}) => ({
  kind: 'authorisation', from: 'u-tuan', to: `u-${to}`, decision: '15/QĐ-UBND',
  scope: { roles: ['leader'], units: [ANPHU], procedures: [XNHN] }, validFrom: iso(0), validTo: iso(30), ...extra,
});

describe('who may record a delegation', () => {
  it('should let only the delegator, the head or an administrator of the unit hand a role inside the unit', async () => {
    // inside An Phú (the chair's deputy to the specialist): the delegator, the head, An Phú's and the province's administrators
    const may = new Set(['tuan', 'chu', 'anAdmin', 'pAdmin']);
    for (const p of PEOPLE) {
      const res = await post(p.username, tuq('hung', { decision: `in-${p.username}` }));
      expect(res.status, `${p.username}: ${JSON.stringify(res.body)}`).not.toBe(500);
      tally.record(`${p.username} records tuan→hung (same unit)`, may.has(p.username), res.status === 201);
      if (res.status === 201) expect((await revoke('pAdmin', res.body.id)).status).toBe(200);
    }
  });

  it('should let only the head or an administrator above both units hand a role to another unit\'s officer', async () => {
    // to a Tân Lập specialist: An Phú's head, or the province administrator (above An Phú and Tân Lập); not the delegator, not An Phú's administrator
    const may = new Set(['chu', 'pAdmin']);
    for (const p of PEOPLE) {
      const res = await post(p.username, tuq('tlSpec', { decision: `out-${p.username}` }));
      expect(res.status, `${p.username}: ${JSON.stringify(res.body)}`).not.toBe(500);
      tally.record(`${p.username} records tuan→tlSpec (other unit)`, may.has(p.username), res.status === 201);
      if (res.status === 201) expect((await revoke('pAdmin', res.body.id)).status).toBe(200);
    }
    // nor may a specialist hand their own role to another unit by themselves
    const self = await post('hung', { ...tuq('tlSpec'), from: 'u-hung', scope: { roles: ['specialist'], units: [ANPHU] } });
    tally.record('hung records hung→tlSpec (self-service, other unit)', false, self.status === 201);
  });

  it('should hold a delegate passing on a delegated role to the same rule, the units being those of the role handed on', async () => {
    // An Phú's head makes its specialist his deputy (KT.) in the leader role at An Phú
    const kt = { kind: 'deputy', from: 'u-chu', to: 'u-hung', scope: { roles: ['leader'], units: [ANPHU] }, validFrom: iso(0), validTo: iso(30) };
    const first = await post('chu', kt);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    // the specialist hands that leader role on to a Tân Lập officer, naming no unit (with and without its parent): An Phú is
    // still the unit it covers, so he may not do it alone — and the answer says why, in both languages
    const onward = { kind: 'deputy', from: 'u-hung', to: 'u-tlSpec', scope: { roles: ['leader'] }, validFrom: iso(0), validTo: iso(30) };
    for (const body of [onward, { ...onward, derivedFrom: first.body.id }]) {
      const res = await post('hung', body);
      tally.record(`hung passes chu→hung on to tlSpec${'derivedFrom' in body ? ' (derivedFrom)' : ''}, no unit named`, false, res.status === 201);
      expect(res.status, JSON.stringify(res.body)).toBe(403);
      expect(res.body.error.message.vi).toContain(ANPHU);
      expect(res.body.error.message.en).toContain(ANPHU);
    }
    // within An Phú (to its desk officer) the delegator may still record it himself, and An Phú's head may hand it to Tân Lập
    const inside = await post('hung', { ...onward, to: 'u-lan' });
    tally.record('hung passes chu→hung on to lan (same unit), no unit named', true, inside.status === 201);
    const byHead = await post('chu', onward);
    tally.record('chu records hung→tlSpec, no unit named', true, byHead.status === 201);
    for (const id of [inside.body.id, byHead.body.id, first.body.id]) expect((await revoke('pAdmin', id as string)).status).toBe(200);
  });
});

describe('what a delegation needs', () => {
  it('should refuse a TUQ. or TL. without an end date or a decision number, and a second identical one', async () => {
    for (const kind of ['authorisation', 'order']) {
      const open = await post('chu', tuq('lan', { kind, validTo: null, decision: `open-${kind}` }));
      tally.record(`open-ended ${kind}`, false, open.status === 201);
      expect(open.status).toBe(422);
      const { decision: _d, ...body } = tuq('lan', { kind });
      const undecided = await post('chu', body);
      tally.record(`${kind} without a decision`, false, undecided.status === 201);
      expect(undecided.status).toBe(422);
    }
    const first = await post('chu', tuq('lan', { decision: 'dup/QĐ' }));
    expect(first.status).toBe(201);
    const again = await post('chu', { ...tuq('lan', { decision: 'dup/QĐ' }), scope: { procedures: [XNHN], units: [ANPHU], roles: ['leader'] } });
    tally.record('second identical delegation', false, again.status === 201);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('DELEGATION_DUPLICATE');
    expect((await revoke('chu', first.body.id)).status).toBe(200);
  });

  it('should refuse passing an authorisation on again', async () => {
    const first = await post('pAdmin', tuq('tlSpec', { decision: 'pass/QĐ' }));
    expect(first.status).toBe(201);
    // the delegate hands it on to an officer of An Phú, and to another of Tân Lập; the province administrator tries too
    const onward = [
      ['tlSpec', { ...tuq('lan'), from: 'u-tlSpec', decision: 'again-1' }],
      ['tlSpec', { ...tuq('tlSpec2'), from: 'u-tlSpec', decision: 'again-2' }],
      ['pAdmin', { ...tuq('tlSpec2'), from: 'u-tlSpec', decision: 'again-3' }],
      ['pAdmin', { ...tuq('tlSpec2'), kind: 'deputy', from: 'u-tlSpec', derivedFrom: first.body.id, decision: 'again-4' }],
    ] as const;
    for (const [who, body] of onward) {
      const res = await post(who, body);
      expect(res.status, JSON.stringify(res.body)).not.toBe(500);
      tally.record(`${who} passes tuan→tlSpec on (${body.to})`, false, res.status === 201);
    }
    expect((await revoke('pAdmin', first.body.id)).status).toBe(200);
  });
});

describe('the delegator is told and the audit log keeps it', () => {
  let server: http.Server;
  let realtime: Realtime;
  let socket: Socket;

  afterAll(async () => {
    socket?.disconnect();
    await realtime?.close();
    await new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); });
  });

  it('should tell the delegator live and write created and revoked to the append-only audit log', async () => {
    server = http.createServer(w.h.app.app);
    realtime = await attachRealtime(server, w.h.deps);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    socket = connect(`http://127.0.0.1:${port}`, {
      path: '/socket.io', transports: ['websocket'], reconnection: false, forceNew: true, auth: { token: w.auth['tuan']!.replace(/^Bearer /, '') },
    });
    await new Promise<void>((resolve, reject) => { socket.once('connect', () => resolve()); socket.once('connect_error', reject); });
    const told = new Promise<DelegationChanged>((resolve) => socket.once('delegation:changed', resolve));
    // when the province administrator hands the deputy chair's role to a Tân Lập specialist
    const res = await post('pAdmin', tuq('tlSpec', { decision: 'told/QĐ' }));
    expect(res.status).toBe(201);
    // then the deputy chair's screen hears of it
    expect(await told).toMatchObject({ delegationId: res.body.id, change: 'created', from: 'u-tuan', to: 'u-tlSpec', by: { id: 'u-pAdmin' } });
    expect((await revoke('chu', res.body.id)).status).toBe(200);
    // and the audit log has both, for the administrators of An Phú and Tân Lập, not for social insurance
    const log = await w.h.http.get(`/api/audit?subject=${res.body.id}`).set('Authorization', w.auth['anAdmin']!);
    expect(log.status).toBe(200);
    expect(log.body.items.map((e: { action: string; actor: { id: string } }) => [e.action, e.actor.id]))
      .toEqual([['delegation.revoked', 'u-chu'], ['delegation.created', 'u-pAdmin']]);
    const other = await w.h.http.get(`/api/audit?subject=${res.body.id}`).set('Authorization', w.auth['bhxhAdmin']!);
    tally.record('social insurance admin reads An Phú audit', false, other.body.items?.length > 0);
    // and nobody rewrites it, not even with the database's own hands
    await expect(w.h.deps.db.execute(sql`update audit_log set actor_id = 'u-nobody'`)).rejects.toThrow();
    await expect(w.h.deps.db.execute(sql`delete from audit_log`)).rejects.toThrow();
  });
});

void TANLAP;
