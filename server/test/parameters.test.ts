import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { feesDue, type DossierSnapshot } from '@motcua/engine';
import { ANPHU_STAFF, createHarness, login, publishFixture, seedPeople, type Harness } from './support/harness';
import { dossiers, outbox } from '../src/db/schema';
import { publishGate } from '../src/catalog/gate';

// Issue 15, item 5: a province changes a fee without republishing the procedure; a dossier
// records the values in force when received, so the change applies to new dossiers only.
const ANPHU = '000.01.31.H99';
const PROVINCE = '000.00.00.H99';
const KEY = 'fee.khai-sinh-qua-han';
const PROC = 'dang-ky-khai-sinh';

let h: Harness;
const auth: { [name: string]: string } = {};
const local = (t: string): string => new Date(`${t}+07:00`).toISOString();

const lateBirth = {
  childName: 'Phạm Gia Huy', dateOfBirth: '2025-12-01', sex: 'male', placeOfBirth: 'Bệnh viện Đa khoa tỉnh Demo', ethnicity: 'Kinh',
  nationality: 'Việt Nam', motherName: 'Lê Thị Thu', motherPersonalId: '079185002222', fatherName: 'Phạm Văn Khải',
  fatherPersonalId: '079183004444', declarantRelation: 'mother', birthProof: 'birth-certificate', onTime: false,
};

/** Receives and accepts a late birth registration; returns its id and the fees the acceptance asked for. */
async function receive(): Promise<{ id: string; fees: { id: string; amount: number }[] }> {
  const res = await h.http.post('/api/dossiers').set('Authorization', auth['lan']!).send({
    procedureId: PROC, channel: 'direct', receivingUnit: ANPHU, accept: true, applicant: { name: 'Lê Thị Thu' }, data: lateBirth,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const id = (res.body as { id: string }).id;
  const rows = await h.deps.db.select().from(outbox).where(eq(outbox.dossierId, id));
  const payment = rows.find((r) => r.topic === 'dossier.requestPayment');
  return { id, fees: ((payment?.payload ?? {}) as { effect?: { fees?: { id: string; amount: number }[] } }).effect?.fees ?? [] };
}

async function setFee(value: number, effectiveFrom?: string, who = 'admin', scope = '*') {
  return h.http.post('/api/parameters').set('Authorization', auth[who]!).send({
    key: KEY, scope, value, ...(effectiveFrom ? { effectiveFrom } : {}), note: 'Nghị quyết của HĐND tỉnh (ví dụ)',
  });
}

beforeAll(async () => {
  h = await createHarness({ now: local('2026-03-02T08:00:00') });
  await seedPeople(h, [
    ...ANPHU_STAFF,
    { username: 'admin', grants: [{ role: 'admin', unit: PROVINCE }] },
    { username: 'xaadmin', grants: [{ role: 'admin', unit: ANPHU }] },
  ]);
  await publishFixture(h, PROC);
  await signIn();
});

/** Signs everyone in again: tokens expire as the clock moves on. */
async function signIn(): Promise<void> {
  for (const u of ['lan', 'admin', 'xaadmin']) auth[u] = await login(h, u);
}

async function at(t: string): Promise<void> {
  h.clock.set(local(t));
  await signIn();
}
afterAll(async () => h.close());

describe('provincial parameters', () => {
  it('should charge the published default while the province has set nothing, and warn at publishing', async () => {
    const d = await receive();
    expect(d.fees).toEqual([{ id: 'lateRegistration', amount: 8000 }]);
    const def = (await h.deps.directory.procedure(PROC, 1))!.definition;
    const gate = await publishGate(h.deps, def, h.clock.now());
    expect(gate.errors).toEqual([]);
    expect(gate.notes.filter((n) => n.code === 'CATALOG_PARAMETER_UNSET').map((n) => [n.path, n.severity])).toEqual([['/catalog/fees/0/param', 'warning']]);
  });

  it('should apply a changed fee to dossiers received after it, never to those received before', async () => {
    // given the province sets the fee at 10,000 VND from now, and a dossier is received
    expect((await setFee(10_000)).status).toBe(201);
    const before = await receive();
    expect(before.fees).toEqual([{ id: 'lateRegistration', amount: 10_000 }]);
    // when the province raises it to 12,000 VND from 5 March (no new version of the procedure)
    const raised = await setFee(12_000, local('2026-03-05T00:00:00'));
    expect(raised.status, JSON.stringify(raised.body)).toBe(201);
    const def = (await h.deps.directory.procedure(PROC, 1))!.definition;
    expect((await publishGate(h.deps, def, h.clock.now())).notes.filter((n) => n.code === 'CATALOG_PARAMETER_UNSET')).toEqual([]);
    await at('2026-03-04T16:00:00');
    expect((await receive()).fees).toEqual([{ id: 'lateRegistration', amount: 10_000 }]);
    await at('2026-03-05T08:00:00');
    const after = await receive();
    // then the new dossier records and charges 12,000, the earlier one keeps 10,000
    expect(after.fees).toEqual([{ id: 'lateRegistration', amount: 12_000 }]);
    const [row] = await h.deps.db.select().from(dossiers).where(eq(dossiers.id, before.id));
    const snapshot = row!.snapshot as DossierSnapshot;
    expect(snapshot.parameters).toEqual({ [KEY]: 10_000 });
    expect(feesDue((await h.deps.directory.procedure(PROC, 1))!.definition, undefined, { data: snapshot.data, inputs: {}, dossier: {} }, snapshot.parameters))
      .toEqual([{ id: 'lateRegistration', amount: 10_000 }]);
  });

  it('should let a commune set its own value, nearer than the province, and say what is in force', async () => {
    await at('2026-03-06T08:00:00');
    expect((await setFee(5_000, undefined, 'xaadmin', ANPHU)).status).toBe(201);
    const inForce = await h.http.get(`/api/parameters/in-force?unit=${ANPHU}&keys=${KEY}`).set('Authorization', auth['lan']!);
    expect(inForce.body).toEqual({ values: { [KEY]: 5_000 } });
    const atProvince = await h.http.get(`/api/parameters/in-force?unit=${PROVINCE}&keys=${KEY}`).set('Authorization', auth['lan']!);
    expect(atProvince.body).toEqual({ values: { [KEY]: 12_000 } });
    expect((await receive()).fees).toEqual([{ id: 'lateRegistration', amount: 5_000 }]);
    // and the public page shows the province-wide value in force
    const page = await h.http.get(`/api/public/procedures/${PROC}`);
    expect((page.body as { fees: { id: string; amount: number }[] }).fees.map((f) => [f.id, f.amount])).toEqual([['lateRegistration', 12_000]]);
    const all = await h.http.get(`/api/parameters?key=${KEY}`).set('Authorization', auth['admin']!);
    expect((all.body as { items: { scope: string; value: number }[] }).items.map((i) => [i.scope, i.value])).toEqual([['*', 10_000], ['*', 12_000], [ANPHU, 5_000]]);
  });

  it('should refuse a backdated value, a province-wide value from a commune administrator, and desks', async () => {
    const back = await setFee(1, local('2026-03-01T00:00:00'));
    expect(back.status).toBe(422);
    expect(back.body).toMatchObject({ error: { code: 'PARAMETER_BACKDATED' } });
    expect(JSON.stringify(back.body)).toContain('/effectiveFrom');
    expect((await setFee(1, undefined, 'xaadmin')).status).toBe(403);
    expect((await setFee(1, undefined, 'lan', ANPHU)).status).toBe(403);
  });
});
