import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcedureDefinition } from '@motcua/engine';
import { ANPHU_STAFF, createHarness, login, publishFixture, seedPeople, type Harness } from './support/harness';
import { procedures, procedureVersions } from '../src/db/schema';
import type { StatisticsReport } from '../src/stats/report-types';

// Issue 15, item 3: a procedure marked internal (coordination between agencies) is not public
// and is not counted in the report of form II.06a.
const ANPHU = '000.01.31.H99';
const PUBLIC = 'xac-nhan-tinh-trang-hon-nhan';
const INTERNAL = 'xac-minh-noi-bo';
const data = { personName: 'Kiều Thị Mỹ', dateOfBirth: '1996-04-18', maritalStatus: 'never-married', purpose: 'marriage' };

let h: Harness;
let desk = '';

/** The public procedure's definition under another id, marked internal. */
async function publishInternal(base: ProcedureDefinition): Promise<void> {
  const def: ProcedureDefinition = {
    ...structuredClone(base), id: INTERNAL,
    catalog: { ...structuredClone(base.catalog), code: 'NB.000001', publishedCode: 'NB.000001', name: { vi: 'Xác minh tình trạng hôn nhân theo đề nghị của xã khác' }, internal: true },
  };
  await h.deps.db.insert(procedures).values({ id: INTERNAL, code: def.catalog.code, name: def.catalog.name.vi, field: def.catalog.field });
  await h.deps.db.insert(procedureVersions).values({ procedureId: INTERNAL, version: 1, status: 'published', definition: def, effectiveFrom: '2026-01-01T00:00:00.000Z', publishedAt: '2026-01-01T00:00:00.000Z', publishedBy: 'fixture' });
}

async function receive(procedureId: string): Promise<void> {
  const res = await h.http.post('/api/dossiers').set('Authorization', desk).send({
    procedureId, channel: 'direct', receivingUnit: ANPHU, accept: true, applicant: { name: 'Kiều Thị Mỹ' }, data,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

beforeAll(async () => {
  h = await createHarness({ now: '2026-03-02T02:00:00.000Z' });
  await seedPeople(h, [...ANPHU_STAFF, { username: 'chu', grants: [{ role: 'leader', unit: ANPHU }] }]);
  const base = await publishFixture(h, PUBLIC);
  await publishInternal(base);
  desk = await login(h, 'lan');
});
afterAll(async () => h.close());

describe('internal procedures', () => {
  it('should keep an internal procedure out of the public catalog, its fields and its detail page', async () => {
    const search = await h.http.get('/api/public/procedures');
    expect(search.status).toBe(200);
    expect((search.body as { items: { id: string }[] }).items.map((i) => i.id)).toEqual([PUBLIC]);
    const byCode = await h.http.get('/api/public/procedures?q=NB.000001');
    expect((byCode.body as { total: number }).total).toBe(0);
    const fields = await h.http.get('/api/public/fields');
    expect(fields.body).toEqual({ items: [{ field: 'Hộ tịch', count: 1 }] });
    const detail = await h.http.get(`/api/public/procedures/${INTERNAL}`);
    expect(detail.status).toBe(404);
    expect((await h.http.get(`/api/public/procedures/${PUBLIC}`)).status).toBe(200);
  });

  it('should still let a desk receive it, but leave it out of the report of received dossiers', async () => {
    // given one dossier of each procedure received at An Phú
    await receive(PUBLIC);
    await receive(INTERNAL);
    // when the leader reads the report of March
    const res = await h.http.get(`/api/stats/report?unit=${ANPHU}&from=2026-03-01&to=2026-03-31&groupBy=procedure`).set('Authorization', await login(h, 'tuan'));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const report = res.body as StatisticsReport;
    // then only the public procedure's dossier is received and in progress
    expect(report.total.received.total).toBe(1);
    expect(report.total.inProgress.total).toBe(1);
    expect(JSON.stringify(report.rows)).not.toContain('NB.000001');
  });
});
