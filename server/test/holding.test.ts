/**
 * A person, not a role, holds a dossier: claim and assign (who may, to whom), the holder in
 * the officer's view and the inbox, "held by me", the engine's `assign` effect persisted;
 * and the bulk route honouring Idempotency-Key.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { ProcedureDefinition } from '@motcua/engine';
import { createHarness, login, publishFixture, seedPeople, type Harness, ANPHU_STAFF } from './support/harness';
import { dossierEvents, dossiers, procedures, procedureVersions } from '../src/db/schema';

const ANPHU = '000.01.31.H99';
const BINHMINH = '000.02.31.H99';
const PROVINCE = '000.00.00.H99';
let h: Harness;
const auth: { [name: string]: string } = {};

const intakeBody = (procedureId = 'xac-nhan-tinh-trang-hon-nhan') => ({
  procedureId, channel: 'direct', receivingUnit: ANPHU, accept: true,
  applicant: { id: '079196004040', name: 'Kiều Thị Mỹ', phone: '0912345678' },
  data: { personName: 'Kiều Thị Mỹ', dateOfBirth: '1996-04-18', maritalStatus: 'never-married', purpose: 'marriage' },
});

/** The same procedure whose verification step the engine assigns to the competent unit's specialists (`assign` effect). */
async function publishAssigning(): Promise<string> {
  const def = JSON.parse(readFileSync(new URL('../../procedures/xac-nhan-tinh-trang-hon-nhan/procedure.json', import.meta.url), 'utf8')) as ProcedureDefinition;
  const id = 'xac-nhan-giao-xu-ly';
  const copy = {
    ...def, id, catalog: { ...def.catalog, code: `${def.catalog.code}-A` },
    steps: def.steps.map((s) => (s.id === 'verify' ? { ...s, onEnter: [{ type: 'assign', role: 'specialist', unit: 'competent' }] } : s)),
  } as ProcedureDefinition;
  await h.deps.db.insert(procedures).values({ id, code: copy.catalog.code, name: copy.catalog.name.vi, field: copy.catalog.field });
  await h.deps.db.insert(procedureVersions).values({ procedureId: id, version: copy.version, status: 'published', definition: copy, effectiveFrom: '2026-01-01T00:00:00.000Z', publishedAt: '2026-01-01T00:00:00.000Z', publishedBy: 'fixture' });
  return id;
}

beforeAll(async () => {
  // given An Phú's desk officer, two specialists and deputy chair, and Bình Minh's specialist and leader
  h = await createHarness({ now: '2026-03-02T01:15:00.000Z' });
  await seedPeople(h, [
    ...ANPHU_STAFF,
    { username: 'mai', name: 'Trần Thị Mai', grants: [{ role: 'specialist', unit: ANPHU }] },
    { username: 'nam', name: 'Đỗ Văn Nam', grants: [{ role: 'specialist', unit: BINHMINH }] },
    { username: 'binh', name: 'Võ Văn Bình', grants: [{ role: 'leader', unit: BINHMINH }] },
    { username: 'tinh', name: 'Hoàng Văn Tỉnh', grants: [{ role: 'leader', unit: PROVINCE }] },
  ]);
  await publishFixture(h, 'xac-nhan-tinh-trang-hon-nhan');
  for (const u of ['lan', 'hung', 'tuan', 'mai', 'nam', 'binh', 'tinh']) auth[u] = await login(h, u);
});
afterAll(async () => h.close());

async function receive(procedureId?: string): Promise<{ id: string; version: number }> {
  const res = await h.http.post('/api/dossiers').set('Authorization', auth['lan']!).send(intakeBody(procedureId));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; version: number };
}

const post = (who: string, path: string, body: object) => h.http.post(path).set('Authorization', auth[who]!).send(body);
const holderAt = (view: { active: { step: string; holder: { name: string } | null }[] }, step: string) => view.active.find((a) => a.step === step)?.holder ?? null;

describe('claim and assign', () => {
  it('should let a specialist of the unit claim the step, show them in the view and the inbox, and refuse a second claimer', async () => {
    const d = await receive();
    const claimed = await post('hung', `/api/dossiers/${d.id}/claim`, { step: 'verify' });
    expect(claimed.status, JSON.stringify(claimed.body)).toBe(200);
    expect(holderAt(claimed.body, 'verify')).toMatchObject({ id: 'u-hung', name: 'Lê Văn Hùng', by: null });
    // claiming again is harmless; a colleague's claim is refused with the holder's name
    expect((await post('hung', `/api/dossiers/${d.id}/claim`, { step: 'verify' })).status).toBe(200);
    const other = await post('mai', `/api/dossiers/${d.id}/claim`, { step: 'verify' });
    expect(other.status).toBe(409);
    expect(other.body.error).toMatchObject({ code: 'STEP_HELD', holder: { id: 'u-hung' } });
    expect(other.body.error.message.vi).toContain('Lê Văn Hùng');
    // "held by me" lists it for the holder only, with the holder's name on the step
    const mine = await h.http.get('/api/dossiers?box=held').set('Authorization', auth['hung']!);
    const item = (mine.body.items as { id: string; steps: { step: string; holder: { name: string } | null }[] }[]).find((i) => i.id === d.id);
    expect(item?.steps.find((s) => s.step === 'verify')?.holder?.name).toBe('Lê Văn Hùng');
    const hers = await h.http.get('/api/dossiers?box=held').set('Authorization', auth['mai']!);
    expect((hers.body.items as { id: string }[]).map((i) => i.id)).not.toContain(d.id);
    // the version and the history are untouched: holding is not an engine transition
    const view = await h.http.get(`/api/dossiers/${d.id}`).set('Authorization', auth['lan']!);
    expect(view.body.version).toBe(d.version);
    // the step's holder lapses once the dossier leaves it
    const proposed = await post('hung', `/api/dossiers/${d.id}/actions`, { step: 'verify', action: 'propose', inputs: { certificateNo: 'C1' } });
    expect(proposed.status).toBe(200);
    expect(holderAt(proposed.body, 'sign')).toBeNull();
    const [row] = await h.deps.db.select({ holders: dossiers.holders }).from(dossiers).where(eq(dossiers.id, d.id));
    expect(row?.holders).toEqual({});
  });

  it('should refuse a claim by an officer without the step\'s role at its unit', async () => {
    const d = await receive();
    expect((await post('lan', `/api/dossiers/${d.id}/claim`, { step: 'verify' })).status).toBe(403);
    expect((await post('hung', `/api/dossiers/${d.id}/claim`, { step: 'sign' })).status).toBe(409);
  });

  it('should let the unit\'s leader assign to a specialist of the unit, and nobody of another unit', async () => {
    const d = await receive();
    const assigned = await post('tuan', `/api/dossiers/${d.id}/assign`, { step: 'verify', officerId: 'u-mai' });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
    expect(holderAt(assigned.body, 'verify')).toMatchObject({ id: 'u-mai', name: 'Trần Thị Mai', by: { id: 'u-tuan', name: 'Phạm Minh Tuấn' } });
    // a leader and a specialist of another ward cannot assign (they do not even see it)
    expect((await post('binh', `/api/dossiers/${d.id}/assign`, { step: 'verify', officerId: 'u-nam' })).status).toBe(403);
    expect((await post('nam', `/api/dossiers/${d.id}/assign`, { step: 'verify', officerId: 'u-nam' })).status).toBe(403);
    // the desk officer sees the dossier but neither leads the unit nor holds the specialist role
    expect((await post('lan', `/api/dossiers/${d.id}/assign`, { step: 'verify', officerId: 'u-hung' })).status).toBe(403);
    // a specialist may hand it to a colleague of the same role and unit
    const handed = await post('mai', `/api/dossiers/${d.id}/assign`, { step: 'verify', officerId: 'u-hung' });
    expect(handed.status).toBe(200);
    expect(holderAt(handed.body, 'verify')).toMatchObject({ id: 'u-hung', by: { id: 'u-mai' } });
  });

  it('should refuse to assign to someone without the step\'s role at its unit, with a {vi, en} reason and a pointer', async () => {
    const d = await receive();
    for (const officerId of ['u-lan', 'u-nam', 'u-nobody']) {
      const r = await post('tuan', `/api/dossiers/${d.id}/assign`, { step: 'verify', officerId });
      expect(r.status, officerId).toBe(422);
      expect(r.body.error.code).toBe('ASSIGNEE_LACKS_ROLE');
      expect(r.body.error.message).toEqual({ vi: expect.stringContaining('specialist'), en: expect.stringContaining('specialist') });
      expect(r.body.error.issues[0].path).toBe('/officerId');
    }
    const view = await h.http.get(`/api/dossiers/${d.id}`).set('Authorization', auth['tuan']!);
    expect(holderAt(view.body, 'verify')).toBeNull();
  });

  it('should let only an officer who may act on a step hold it: a leader above the unit oversees and assigns, but neither claims nor is given it', async () => {
    const d = await receive();
    expect((await post('hung', `/api/dossiers/${d.id}/actions`, { step: 'verify', action: 'propose', inputs: { certificateNo: 'P' } })).status).toBe(200);
    // the province's leader sees An Phú's dossier, yet signs nothing for the commune: he may not take its signing step
    const claimed = await post('tinh', `/api/dossiers/${d.id}/claim`, { step: 'sign' });
    expect(claimed.status, JSON.stringify(claimed.body)).toBe(403);
    expect(claimed.body.error.message).toEqual({ vi: expect.stringContaining(ANPHU), en: expect.stringContaining(ANPHU) });
    // nor may the commune's leader hand it to him, with the reason at /officerId
    const given = await post('tuan', `/api/dossiers/${d.id}/assign`, { step: 'sign', officerId: 'u-tinh' });
    expect(given.status, JSON.stringify(given.body)).toBe(422);
    expect(given.body.error).toMatchObject({ code: 'ASSIGNEE_LACKS_ROLE', issues: [{ path: '/officerId' }] });
    // the step stays free for the commune's own leader, whom the province's leader may still assign it to
    const assigned = await post('tinh', `/api/dossiers/${d.id}/assign`, { step: 'sign', officerId: 'u-tuan' });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
    expect(holderAt(assigned.body, 'sign')).toMatchObject({ id: 'u-tuan', by: { id: 'u-tinh' } });
  });

  it('should persist the engine\'s assign effect as the step\'s pool, which a specialist of that unit may claim', async () => {
    const id = await publishAssigning();
    const d = await receive(id);
    const [row] = await h.deps.db.select({ holders: dossiers.holders }).from(dossiers).where(eq(dossiers.id, d.id));
    expect(row?.holders).toEqual({ verify: { role: 'specialist', unit: ANPHU, id: null, name: null, at: null, by: null } });
    const claimed = await post('mai', `/api/dossiers/${d.id}/claim`, { step: 'verify' });
    expect(claimed.status).toBe(200);
    expect(holderAt(claimed.body, 'verify')).toMatchObject({ id: 'u-mai' });
  });
});

describe('bulk actions', () => {
  it('should apply a bulk request once per Idempotency-Key and give the same answer again', async () => {
    const a = await receive();
    const b = await receive();
    for (const d of [a, b]) expect((await post('hung', `/api/dossiers/${d.id}/actions`, { step: 'verify', action: 'propose', inputs: { certificateNo: 'B' } })).status).toBe(200);
    const items = [{ id: a.id, step: 'sign', action: 'approve' }, { id: b.id, step: 'sign', action: 'approve' }, { id: 'NO-SUCH', step: 'sign', action: 'approve' }];
    const send = () => h.http.post('/api/dossiers/bulk-actions').set('Authorization', auth['tuan']!).set('Idempotency-Key', 'bulk-1').send({ items });
    const first = await send();
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ succeeded: 2, failed: 1 });
    const again = await send();
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    // one effect: each dossier has one approval in its history
    for (const d of [a, b]) {
      const history = await h.deps.db.select().from(dossierEvents).where(eq(dossierEvents.dossierId, d.id));
      expect(history.filter((e) => (e.payload as { action?: string }).action === 'approve')).toHaveLength(1);
    }
    // the same key for other items is refused
    const other = await h.http.post('/api/dossiers/bulk-actions').set('Authorization', auth['tuan']!).set('Idempotency-Key', 'bulk-1').send({ items: items.slice(0, 1) });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });
});
