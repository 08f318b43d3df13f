/**
 * Moving open dossiers to a new version of their procedure (docs/migration.md): 1,000 open
 * dossiers of version 1, a plan to version 2 (one step renamed, one waiting step losing its
 * timer), the dry run, the move in batches; every history still verifies, replays to its
 * stored snapshot, and the dossiers that cannot move are listed and untouched.
 */
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq, inArray } from 'drizzle-orm';
import {
  apply, compileProcedure, replay, start, type Actor, type DossierEvent, type DossierSnapshot, type ProcedureDefinition, type Transition,
} from '@motcua/engine';
import { createHarness, login, publishFixture, seedPeople, type Harness, ANPHU_STAFF } from './support/harness';
import { dossierEvents, dossiers } from '../src/db/schema';
import { GENESIS_HASH, hashEvent, CHAIN_VERSION, verifyChain } from '../src/dossiers/chain';
import { verifyUnitHistory } from '../src/audit/verify';

const ANPHU = '000.01.31.H99';
const PROVINCE = '000.00.00.H99';
const PROC = 'xac-nhan-tinh-trang-hon-nhan';
const COUNT = 1000;

const officer = (id: string, role: string): Actor => ({ id, name: id, kind: 'officer', grants: [{ role, unit: ANPHU }] });
const desk = officer('lan', 'desk');
const specialist = officer('hung', 'specialist');

/** Where each generated dossier is: a quarter of the paths end at each. */
type Place = 'intake' | 'verify' | 'sign' | 'supplementWait' | 'refused';
const placeOf = (i: number): Place => (['verify', 'verify', 'sign', 'supplementWait', 'intake', 'verify', 'sign', 'verify', 'refused', 'verify'] as const)[i % 10]!;

function ok(r: { ok: true; value: Transition } | { ok: false; error: { code: string; message: { en: string } } }): Transition {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message.en}`);
  return r.value;
}

describe('migration of open dossiers to a new version', () => {
  let h: Harness;
  const auth: { [name: string]: string } = {};
  let v1: ProcedureDefinition;
  let v2: ProcedureDefinition;
  const placed = new Map<string, Place>();
  let stored: Map<string, { version: number; snapshot: DossierSnapshot; lastHash: string }>;

  beforeAll(async () => {
    h = await createHarness({ now: '2026-03-02T01:15:00.000Z' });
    await seedPeople(h, [
      ...ANPHU_STAFF,
      { username: 'thiet', name: 'Nguyễn Văn Thiết', grants: [{ role: 'designer', unit: PROVINCE }] },
      { username: 'xa', name: 'Thiết kế xã', grants: [{ role: 'designer', unit: ANPHU }] },
    ]);
    v1 = await publishFixture(h, PROC);
    for (const u of ['thiet', 'xa']) auth[u] = await login(h, u);

    const setup = Date.now();
    // 1,000 dossiers played by the engine and written in batches, as the server writes them.
    const proc = compileProcedure(v1);
    const calendar = await h.deps.directory.calendar(ANPHU);
    const data = { personName: 'Kiều Thị Mỹ', dateOfBirth: '1996-04-18', maritalStatus: 'never-married', purpose: 'marriage' };
    const rows: (typeof dossiers.$inferInsert)[] = [];
    const events: (typeof dossierEvents.$inferInsert)[] = [];
    for (let i = 0; i < COUNT; i++) {
      const id = `${ANPHU}-260301-${String(i).padStart(4, '0')}`;
      const place = placeOf(i);
      const t0 = Date.parse('2026-02-02T01:00:00.000Z') + i * 60_000;
      const at = (k: number) => new Date(t0 + k * 3_600_000).toISOString();
      const s0 = ok(start(proc, { dossierId: id, channel: 'direct', receivingUnit: ANPHU, applicant: { name: `Công dân ${i}` }, data }, { now: at(0), actor: desk, calendar }));
      let snap = s0.snapshot;
      const log: DossierEvent[] = [...s0.events];
      const act = (actor: Actor, step: string, action: string, inputs: { [k: string]: unknown }, k: number) => {
        const t = ok(apply(proc, snap, { step, action, inputs }, { now: at(k), actor, calendar }));
        snap = t.snapshot;
        log.push(...t.events);
      };
      if (place === 'refused') act(desk, 'intake', 'refuse', { reason: 'Không thuộc thẩm quyền' }, 1);
      if (place !== 'intake' && place !== 'refused') act(desk, 'intake', 'accept', {}, 1);
      if (place === 'sign') act(specialist, 'verify', 'propose', { certificateNo: `${i}/2026` }, 2);
      if (place === 'supplementWait') act(specialist, 'verify', 'requestSupplement', { reason: 'Thiếu bản sao', documents: ['x'] }, 2);
      placed.set(id, place);
      let prev = GENESIS_HASH;
      for (const e of log) {
        const hash = hashEvent(prev, { dossierId: id, seq: e.seq, type: e.type, at: e.at, actorId: e.actor.id, actorName: e.actor.name, payload: e });
        events.push({ dossierId: id, seq: e.seq, type: e.type, at: e.at, actorId: e.actor.id, actorName: e.actor.name, payload: e, prevHash: prev, hash, chain: CHAIN_VERSION });
        prev = hash;
      }
      rows.push({
        id, procedureId: PROC, procedureVersion: 1, procedureCode: v1.catalog.code, field: v1.catalog.field, receivingUnit: ANPHU, competentUnit: ANPHU, returnUnit: ANPHU,
        channel: 'direct', status: snap.status, outcome: snap.outcome, applicantName: snap.applicant.name, version: snap.version, snapshot: snap,
        stepUnits: [...new Set(snap.active.map((a) => a.unit))], stepRoles: [...new Set(snap.active.map((a) => a.role).filter((r): r is string => r !== null))],
        submittedAt: snap.clock.submittedAt, receivedAt: snap.clock.receivedAt, dueAt: snap.clock.dueAt, closedAt: snap.closedAt,
        nextTimeoutAt: snap.active.map((a) => a.timeoutAt).filter((x): x is string => x !== null).sort()[0] ?? null, lastHash: prev,
      });
    }
    const played = Date.now();
    console.info(`setup: ${COUNT} dossiers played in ${played - setup} ms`);
    for (let i = 0; i < rows.length; i += 250) await h.deps.db.insert(dossiers).values(rows.slice(i, i + 250));
    for (let i = 0; i < events.length; i += 500) await h.deps.db.insert(dossierEvents).values(events.slice(i, i + 500));
    console.info(`setup: ${COUNT} dossiers written in ${Date.now() - played} ms`);

    // Version 2: "verify" becomes "appraise"; the supplement wait loses its automatic stop.
    v2 = structuredClone(v1);
    v2.version = 2;
    const rename = (x: unknown, named = false): unknown => (typeof x === 'string' ? (named && x === 'verify' ? 'appraise' : x)
      : Array.isArray(x) ? x.map((v) => rename(v, named))
        : x !== null && typeof x === 'object' ? Object.fromEntries(Object.entries(x).map(([k, v]) => [k, rename(v, ['target', 'id', 'next', 'initial'].includes(k))])) : x);
    v2.steps = rename(v2.steps) as ProcedureDefinition['steps'];
    const wait = v2.steps.find((s) => s.id === 'supplementWait')!;
    delete wait.timeout;
    wait.actions = wait.actions!.filter((a) => a.id !== 'expire');
    if (v2.layout) v2.layout = Object.fromEntries(Object.entries(v2.layout).map(([k, v]) => [k === 'verify' ? 'appraise' : k, v]));
    const draft = await h.http.post(`/api/procedures/${PROC}/drafts`).set('Authorization', auth['thiet']!).send({});
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    const saved = await h.http.put(`/api/procedures/${PROC}/versions/2`).set('Authorization', auth['thiet']!).send({ definition: v2 });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);

    const all = await h.deps.db.select({ id: dossiers.id, version: dossiers.version, snapshot: dossiers.snapshot, lastHash: dossiers.lastHash }).from(dossiers);
    stored = new Map(all.map((r) => [r.id, { version: r.version, snapshot: r.snapshot as DossierSnapshot, lastHash: r.lastHash }]));
  }, 240_000);
  afterAll(async () => h.close());

  const plan = { from: 1, to: 2, steps: { verify: 'appraise' } };
  const open = () => [...placed].filter(([, p]) => p !== 'refused');

  it('should refuse a plan with errors, pointing into it in Vietnamese and English, and a commune designer', async () => {
    const bad = await h.http.post(`/api/procedures/${PROC}/migrations/dry-run`).set('Authorization', auth['thiet']!)
      .send({ from: 1, to: 2, steps: { verify: 'nowhere', intake: 'sign' } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['/steps/intake', '/steps/verify']);
    expect(bad.body.error.issues[0].message).toEqual({ vi: expect.any(String), en: expect.any(String) });
    const junk = await h.http.post(`/api/procedures/${PROC}/migrations/dry-run`).set('Authorization', auth['thiet']!).send({ from: 1, to: 2, steps: { verify: 3 } });
    expect([400, 422]).toContain(junk.status);
    expect(junk.body.error.issues[0].path).toBe("/steps/verify");
    const commune = await h.http.post(`/api/procedures/${PROC}/migrations/dry-run`).set('Authorization', auth['xa']!).send(plan);
    expect(commune.status).toBe(403);
    const unknown = await h.http.post(`/api/procedures/${PROC}/migrations/dry-run`).set('Authorization', auth['thiet']!).send({ ...plan, to: 9 });
    expect(unknown.status).toBe(404);
  });

  it('should list every open dossier with its fate in a dry run against the draft, and refuse to apply to a draft', async () => {
    const dry = await h.http.post(`/api/procedures/${PROC}/migrations/dry-run`).set('Authorization', auth['thiet']!).send(plan);
    expect(dry.status, JSON.stringify(dry.body).slice(0, 500)).toBe(200);
    const body = dry.body as { counts: { open: number; moves: number; stays: number; cannot: number }; dossiers: { id: string; fate: string; reasons?: { code: string }[] }[] };
    const expected = open();
    expect(body.counts).toEqual({ open: expected.length, moves: expected.filter(([, p]) => p !== 'supplementWait').length, stays: 0, cannot: expected.filter(([, p]) => p === 'supplementWait').length });
    expect(body.dossiers.map((d) => d.id).sort()).toEqual(expected.map(([id]) => id).sort());
    for (const d of body.dossiers) {
      if (placed.get(d.id) === 'supplementWait') expect(d).toMatchObject({ fate: 'cannot', reasons: [{ code: 'TIMER_NO_PLACE' }] });
      else expect(d.fate).toBe('moves');
    }
    const refused = await h.http.post(`/api/procedures/${PROC}/migrations`).set('Authorization', auth['thiet']!).send(plan);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('MIGRATION_UNSAFE');
    // and nothing was written
    expect((await h.deps.db.select({ id: dossierEvents.dossierId }).from(dossierEvents).where(eq(dossierEvents.type, 'dossier.migrated'))).length).toBe(0);
  });

  it('should move every dossier that can, in batches, keeping every history verifiable and replayable, and leave the others untouched', async () => {
    const published = await h.http.post(`/api/procedures/${PROC}/versions/2/publish`).set('Authorization', auth['thiet']!).send({});
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    const expected = open();
    const moves = expected.filter(([, p]) => p !== 'supplementWait').length;
    const changed = await h.http.post(`/api/procedures/${PROC}/migrations`).set('Authorization', auth['thiet']!).send({ ...plan, expect: { moves: moves + 1 } });
    expect(changed.status).toBe(409);
    expect(changed.body.error.code).toBe('MIGRATION_CHANGED');

    const started = Date.now();
    const res = await h.http.post(`/api/procedures/${PROC}/migrations`).set('Authorization', auth['thiet']!).send({ ...plan, expect: { moves } });
    const took = Date.now() - started;
    expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(200);
    expect(res.body.moved).toBe(moves);
    expect(res.body.batches).toBe(Math.ceil(moves / 200));
    console.info(`migration: ${moves} dossiers moved in ${took} ms (${res.body.batches} batches)`);

    const rows = await h.deps.db.select().from(dossiers).orderBy(asc(dossiers.id));
    const events = await h.deps.db.select().from(dossierEvents).orderBy(asc(dossierEvents.dossierId), asc(dossierEvents.seq));
    const byId = new Map<string, typeof events>();
    for (const e of events) byId.set(e.dossierId, [...(byId.get(e.dossierId) ?? []), e]);
    const calendar = await h.deps.directory.calendar(ANPHU);
    const p1 = (await h.deps.directory.procedure(PROC, 1))!;
    const p2 = (await h.deps.directory.procedure(PROC, 2))!;
    const versions = (v: number) => (v === 1 ? p1 : v === 2 ? p2 : null);
    const problems: string[] = [];
    for (const row of rows) {
      const list = byId.get(row.id) ?? [];
      const chain = verifyChain(list);
      if (!chain.ok || chain.head !== row.lastHash) problems.push(`${row.id}: chain ${JSON.stringify(chain)}`);
      const current = row.procedureVersion === 2 ? p2 : p1;
      const replayed = replay(current, list.map((e) => e.payload as DossierEvent), { calendar, versions });
      if (!replayed.ok) problems.push(`${row.id}: replay ${replayed.error.message.en}`);
      else if (!isDeepStrictEqual(JSON.parse(JSON.stringify(replayed.value)), row.snapshot)) problems.push(`${row.id}: replay differs from the stored snapshot`);
      const before = stored.get(row.id)!;
      const place = placed.get(row.id)!;
      const s = row.snapshot as DossierSnapshot;
      if (place === 'supplementWait' || place === 'refused') {
        // untouched: same version, snapshot and head
        if (row.procedureVersion !== 1 || row.version !== before.version || row.lastHash !== before.lastHash || JSON.stringify(s) !== JSON.stringify(before.snapshot)) problems.push(`${row.id}: touched`);
      } else {
        if (row.procedureVersion !== 2 || s.procedure.version !== 2 || row.version !== before.version + 1) problems.push(`${row.id}: not moved`);
        if (JSON.stringify(s.clock) !== JSON.stringify(before.snapshot.clock)) problems.push(`${row.id}: legal clock changed`);
        if (list.at(-1)?.type !== 'dossier.migrated') problems.push(`${row.id}: no migration event`);
        const expectedSteps = before.snapshot.active.map((a) => (a.step === 'verify' ? 'appraise' : a.step));
        if (JSON.stringify(s.active.map((a) => a.step)) !== JSON.stringify(expectedSteps)) problems.push(`${row.id}: steps ${s.active.map((a) => a.step).join()}`);
      }
    }
    expect(problems.slice(0, 10)).toEqual([]);
    // and the unit's verification (every chain, every head) still holds
    const report = await verifyUnitHistory(h.deps, ANPHU);
    expect(report.tampered).toEqual([]);
    expect(report.headMismatches).toEqual([]);
    expect(report.ok).toBe(true);
    // and a moved dossier goes on under the new version through the API
    const hung = await login(h, 'hung');
    const moved = rows.find((r) => placed.get(r.id) === 'verify')!;
    const acted = await h.http.post(`/api/dossiers/${encodeURIComponent(moved.id)}/actions`).set('Authorization', hung)
      .send({ step: 'appraise', action: 'propose', inputs: { certificateNo: '1/2026' }, expectedVersion: moved.version });
    expect(acted.status, JSON.stringify(acted.body).slice(0, 400)).toBe(200);
    const history = await h.http.get(`/api/dossiers/${encodeURIComponent(moved.id)}/verify`).set('Authorization', hung);
    expect(history.body).toMatchObject({ ok: true, matchesHead: true });
  }, 240_000);

  it('should move nothing more when applied again, and still list the dossiers that cannot move', async () => {
    const again = await h.http.post(`/api/procedures/${PROC}/migrations`).set('Authorization', auth['thiet']!).send(plan);
    expect(again.status).toBe(200);
    expect(again.body.moved).toBe(0);
    const waiting = open().filter(([, p]) => p === 'supplementWait').map(([id]) => id);
    expect(again.body.counts).toEqual({ open: waiting.length, moves: 0, stays: 0, cannot: waiting.length });
    const untouched = await h.deps.db.select({ id: dossiers.id, v: dossiers.procedureVersion }).from(dossiers).where(inArray(dossiers.id, waiting));
    expect(untouched.every((r) => r.v === 1)).toBe(true);
    // and the catalog's audit log names the move
    const log = await h.http.get('/api/admin/audit?action=catalog.migrated').set('Authorization', auth['thiet']!);
    if (log.status === 200) expect(JSON.stringify(log.body)).toContain('catalog.migrated');
  });
});
