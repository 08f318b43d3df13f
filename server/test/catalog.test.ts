import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcedureDefinition } from '@motcua/engine';
import type { BusMessage } from '../src/bus';
import { cachedVersionInForce, versionInForce } from '../src/catalog/service';
import { importProcedureDirectory } from '../src/catalog/transfer';
import { createHarness, login, seedPeople, type Harness } from './support/harness';

const PROCEDURES_DIR = fileURLToPath(new URL('../../procedures', import.meta.url));
const PROVINCE = '000.00.00.H99';
const COMMUNE = '000.01.31.H99';

const shipped = (slug: string): ProcedureDefinition =>
  JSON.parse(readFileSync(`${PROCEDURES_DIR}/${slug}/procedure.json`, 'utf8')) as ProcedureDefinition;

interface IssueBody { path: string; code?: string; message: { vi: string; en: string } }
const paths = (body: { error: { issues?: IssueBody[] } }): string[] => (body.error.issues ?? []).map((i) => i.path);

async function people(h: Harness): Promise<{ designer: string; admin: string; desk: string }> {
  await seedPeople(h, [
    { username: 'thiet', name: 'Nguyễn Văn Thiết', grants: [{ role: 'designer', unit: PROVINCE }] },
    { username: 'quan', name: 'Trần Thị Quản', grants: [{ role: 'admin', unit: PROVINCE }] },
    { username: 'lan', name: 'Lê Thị Lan', grants: [{ role: 'desk', unit: COMMUNE }] },
  ]);
  return { designer: await login(h, 'thiet'), admin: await login(h, 'quan'), desk: await login(h, 'lan') };
}

describe('catalog: designing and publishing versions', () => {
  let h: Harness;
  let auth: { designer: string; admin: string; desk: string };
  const messages: BusMessage[] = [];
  const birth = shipped('dang-ky-khai-sinh');

  beforeAll(async () => {
    h = await createHarness({ now: '2026-03-02T01:00:00.000Z' });
    auth = await people(h);
    h.deps.bus.subscribe((m) => messages.push(m));
  });
  afterAll(async () => h.close());

  it('should create a procedure as version 1 draft and say that the version number was set', async () => {
    // given a definition that claims to be version 7
    const definition = { ...birth, version: 7 };
    // when a designer creates the procedure from it
    const res = await h.http.post('/api/procedures').set('Authorization', auth.designer).send({ definition });
    // then it is version 1, a draft, and the answer says the version was overwritten
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ procedureId: 'dang-ky-khai-sinh', version: 1, status: 'draft', effectiveFrom: null });
    expect(res.body.definition.version).toBe(1);
    expect(res.body.notices).toEqual([expect.objectContaining({ code: 'VERSION_SET', path: '/definition/version' })]);
    // and creating it again is a conflict
    const again = await h.http.post('/api/procedures').set('Authorization', auth.designer).send({ definition: birth });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'PROCEDURE_EXISTS', message: { vi: expect.any(String), en: expect.any(String) } });
  });

  it('should save a draft, and refuse an invalid one with 422 and JSON pointers into the body', async () => {
    // given the draft, renamed
    const renamed = { ...birth, catalog: { ...birth.catalog, name: { vi: 'Đăng ký khai sinh (thử nghiệm)', en: 'Birth registration (trial)' } } };
    // when the designer saves it
    const ok = await h.http.put('/api/procedures/dang-ky-khai-sinh/versions/1').set('Authorization', auth.designer).send({ definition: renamed });
    // then it is stored, and the procedure row shows the new name while nothing is published
    expect(ok.status).toBe(200);
    expect(ok.body.definition.catalog.name.vi).toBe('Đăng ký khai sinh (thử nghiệm)');
    const list = await h.http.get('/api/procedures').set('Authorization', auth.designer);
    expect(list.body.items).toEqual([expect.objectContaining({
      id: 'dang-ky-khai-sinh', name: 'Đăng ký khai sinh (thử nghiệm)', latest: expect.objectContaining({ version: 1, status: 'draft' }), inForce: null, draftVersion: 1,
    })]);
    // when a draft with an unknown initial step is saved
    const bad = await h.http.put('/api/procedures/dang-ky-khai-sinh/versions/1').set('Authorization', auth.designer)
      .send({ definition: { ...birth, initial: 'nowhere' } });
    // then 422 with the engine's issue, pointing into the request body
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('DEFINITION_INVALID');
    expect(bad.body.error.issues).toEqual([expect.objectContaining({ code: 'DEF_UNKNOWN_INITIAL', path: '/definition/initial' })]);
    // and a definition whose id is another procedure's is refused too
    const other = await h.http.put('/api/procedures/dang-ky-khai-sinh/versions/1').set('Authorization', auth.designer)
      .send({ definition: { ...birth, id: 'dang-ky-khai-tu' } });
    expect(other.status).toBe(422);
    expect(paths(other.body)).toContain('/definition/id');
  });

  it('should compile a draft again only when its definition changed, also saved twice in one instant', async () => {
    const first = await h.deps.directory.procedure('dang-ky-khai-sinh', 1);
    expect(await h.deps.directory.procedure('dang-ky-khai-sinh', 1)).toBe(first);
    // the clock does not move: the save keeps the same updated_at
    const changed = { ...first!.definition, catalog: { ...first!.definition.catalog, name: { vi: 'Đăng ký khai sinh (lần 2)', en: 'Birth registration (2)' } } };
    await h.http.put('/api/procedures/dang-ky-khai-sinh/versions/1').set('Authorization', auth.designer).send({ definition: changed }).expect(200);
    const second = await h.deps.directory.procedure('dang-ky-khai-sinh', 1);
    expect(second).not.toBe(first);
    expect(second!.definition.catalog.name.vi).toBe('Đăng ký khai sinh (lần 2)');
    await h.http.put('/api/procedures/dang-ky-khai-sinh/versions/1').set('Authorization', auth.designer).send({ definition: first!.definition }).expect(200);
    expect((await h.deps.directory.procedure('dang-ky-khai-sinh', 1))!.definition.catalog.name).toEqual(first!.definition.catalog.name);
  });

  it('should validate without saving: issues with pointers into the definition, and the analysis', async () => {
    // given an invalid definition and one that validates but has a dead end
    const invalid = { ...birth, steps: birth.steps.map((s, i) => (i === 2 ? { ...s, kind: 'bogus' } : s)) };
    const deadEnd = structuredClone(birth);
    for (const a of deadEnd.steps.find((s) => s.id === 'sign')!.actions ?? []) if (typeof a.target === 'string') a.target = 'sign';
    // when the designer validates them
    const r1 = await h.http.post('/api/procedures/validate').set('Authorization', auth.designer).send({ definition: invalid });
    const r2 = await h.http.post('/api/procedures/validate').set('Authorization', auth.designer).send({ definition: deadEnd });
    // then the first is not ok (pointer into the definition), the second validates but cannot be published
    expect(r1.status).toBe(200);
    expect(r1.body).toMatchObject({ ok: false, publishable: false, analysis: null });
    expect(r1.body.issues.map((i: IssueBody) => i.path)).toContain('/steps/2/kind');
    expect(r2.body).toMatchObject({ ok: true, publishable: false });
    expect(r2.body.analysis.findings).toContainEqual(expect.objectContaining({ code: 'AN_DEAD_END', severity: 'error' }));
    // and nothing was saved
    const v1 = await h.http.get('/api/procedures/dang-ky-khai-sinh/versions/1').set('Authorization', auth.designer);
    expect(v1.body.definition.initial).toBe('intake');
  });

  it('should refuse to publish a draft whose analysis has errors', async () => {
    // given a saved draft with a dead end
    const deadEnd = structuredClone(birth);
    for (const a of deadEnd.steps.find((s) => s.id === 'sign')!.actions ?? []) if (typeof a.target === 'string') a.target = 'sign';
    await h.http.put('/api/procedures/dang-ky-khai-sinh/versions/1').set('Authorization', auth.designer).send({ definition: deadEnd }).expect(200);
    // when the designer publishes it
    const res = await h.http.post('/api/procedures/dang-ky-khai-sinh/versions/1/publish').set('Authorization', auth.designer).send({});
    // then 422 with the error findings, and it is still a draft
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('PUBLISH_BLOCKED');
    expect(res.body.error.issues).toContainEqual(expect.objectContaining({ code: 'AN_DEAD_END', path: '/steps/4' }));
    const v1 = await h.http.get('/api/procedures/dang-ky-khai-sinh/versions/1').set('Authorization', auth.designer);
    expect(v1.body.status).toBe('draft');
    await h.http.put('/api/procedures/dang-ky-khai-sinh/versions/1').set('Authorization', auth.designer).send({ definition: birth }).expect(200);
  });

  it('should not let a desk officer publish (403) nor an anonymous caller use designer routes (401)', async () => {
    // given a desk officer and nobody
    // when they try designer routes
    const desk = await h.http.post('/api/procedures/dang-ky-khai-sinh/versions/1/publish').set('Authorization', auth.desk).send({});
    const anonymous = [
      await h.http.get('/api/procedures'),
      await h.http.post('/api/procedures').send({ definition: birth }),
      await h.http.post('/api/procedures/dang-ky-khai-sinh/versions/1/publish').send({}),
      await h.http.get('/api/catalog/export'),
    ];
    const deskExport = await h.http.get('/api/catalog/export').set('Authorization', auth.desk);
    const designerImport = await h.http.post('/api/catalog/import').set('Authorization', auth.designer).send({ procedures: [] });
    // then 403 for the officer (and for a designer on the admin-only import), 401 for the anonymous
    expect(desk.status).toBe(403);
    expect(desk.body.error.code).toBe('FORBIDDEN');
    expect(deskExport.status).toBe(403);
    expect(designerImport.status).toBe(403);
    for (const r of anonymous) expect(r.status).toBe(401);
  });

  it('should publish with an effective date, then end the previous version where the next begins', async () => {
    // given version 1 published from now (the clock's) by the designer
    const p1 = await h.http.post('/api/procedures/dang-ky-khai-sinh/versions/1/publish').set('Authorization', auth.designer).send({});
    expect(p1.status).toBe(200);
    expect(p1.body).toMatchObject({ version: 1, status: 'published', effectiveFrom: '2026-03-02T01:00:00.000Z', effectiveTo: null, publishedBy: 'u-thiet', previous: null });
    expect(messages).toContainEqual({ type: 'catalog.changed', procedureId: 'dang-ky-khai-sinh' });
    // (the short-lived version list the online pages read is filled now, with version 1 alone)
    expect((await cachedVersionInForce(h.deps, 'dang-ky-khai-sinh', h.clock.now()))?.version).toBe(1);
    // when a new draft is made from it, shortened, and published from 1 April (Vietnam time)
    const draft = await h.http.post('/api/procedures/dang-ky-khai-sinh/drafts').set('Authorization', auth.designer).send({});
    expect(draft.status).toBe(201);
    expect(draft.body).toMatchObject({ version: 2, status: 'draft' });
    expect(draft.body.definition.version).toBe(2);
    const second = await h.http.post('/api/procedures/dang-ky-khai-sinh/drafts').set('Authorization', auth.designer).send({});
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ code: 'DRAFT_EXISTS', draftVersion: 2 });
    const v2 = { ...draft.body.definition, catalog: { ...draft.body.definition.catalog, deadlineNote: { vi: 'Trong ngày', en: 'Same day' } } };
    await h.http.put('/api/procedures/dang-ky-khai-sinh/versions/2').set('Authorization', auth.designer).send({ definition: v2 }).expect(200);
    const p2 = await h.http.post('/api/procedures/dang-ky-khai-sinh/versions/2/publish').set('Authorization', auth.admin).send({ effectiveFrom: '2026-04-01' });
    // then version 2 starts at midnight 1 April in Vietnam and version 1 ends there
    expect(p2.status).toBe(200);
    expect(p2.body).toMatchObject({ version: 2, effectiveFrom: '2026-03-31T17:00:00.000Z', previous: { version: 1, effectiveTo: '2026-03-31T17:00:00.000Z' } });
    const detail = await h.http.get('/api/procedures/dang-ky-khai-sinh').set('Authorization', auth.designer);
    expect(detail.body.versions.map((v: { version: number; status: string; effectiveTo: string | null }) => [v.version, v.status, v.effectiveTo]))
      .toEqual([[1, 'published', '2026-03-31T17:00:00.000Z'], [2, 'published', null]]);
    expect(detail.body.inForce).toMatchObject({ version: 1 });
    // and the version in force depends on the time asked about
    expect(await versionInForce(h.deps, 'dang-ky-khai-sinh', new Date('2026-03-01T00:00:00Z'))).toBeNull();
    expect((await versionInForce(h.deps, 'dang-ky-khai-sinh', new Date('2026-03-31T16:59:59Z')))?.version).toBe(1);
    expect((await versionInForce(h.deps, 'dang-ky-khai-sinh', new Date('2026-03-31T17:00:00Z')))?.version).toBe(2);
    expect(await versionInForce(h.deps, 'nope', new Date('2026-03-31T17:00:00Z'))).toBeNull();
    // and so does the kept list: forgotten when version 2 was published, compared with the time asked about
    for (const at of ['2026-03-01T00:00:00Z', '2026-03-31T16:59:59Z', '2026-03-31T17:00:00Z']) {
      expect((await cachedVersionInForce(h.deps, 'dang-ky-khai-sinh', new Date(at)))?.version ?? null)
        .toBe((await versionInForce(h.deps, 'dang-ky-khai-sinh', new Date(at)))?.version ?? null);
    }
    expect(await cachedVersionInForce(h.deps, 'nope', new Date('2026-03-31T17:00:00Z'))).toBeNull();
    // and a later version may not start before the one it follows
    await h.http.post('/api/procedures/dang-ky-khai-sinh/drafts').set('Authorization', auth.designer).send({}).expect(201);
    const early = await h.http.post('/api/procedures/dang-ky-khai-sinh/versions/3/publish').set('Authorization', auth.designer).send({ effectiveFrom: '2026-03-15T08:00:00+07:00' });
    expect(early.status).toBe(422);
    expect(early.body.error.code).toBe('EFFECTIVE_FROM_TOO_EARLY');
  });

  it('should never edit a published version (409), nor publish it twice', async () => {
    // given published version 1
    // when the designer tries to save over it, or to publish it again
    const edit = await h.http.put('/api/procedures/dang-ky-khai-sinh/versions/1').set('Authorization', auth.designer).send({ definition: birth });
    const again = await h.http.post('/api/procedures/dang-ky-khai-sinh/versions/1/publish').set('Authorization', auth.designer).send({});
    // then both are conflicts and nothing changed
    expect(edit.status).toBe(409);
    expect(edit.body.error).toMatchObject({ code: 'VERSION_IMMUTABLE', status: 'published' });
    expect(edit.body.error.message.vi).toContain('không sửa được');
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('VERSION_NOT_DRAFT');
  });

  it('should give metrics of a version and the diff between two versions', async () => {
    // when the designer asks for the metrics of version 1 and the diff 1 → 2
    const m = await h.http.get('/api/procedures/dang-ky-khai-sinh/versions/1/metrics').set('Authorization', auth.designer);
    const d = await h.http.get('/api/procedures/dang-ky-khai-sinh/diff?from=1&to=2').set('Authorization', auth.designer);
    // then the engine's analysis and diff come back
    expect(m.status).toBe(200);
    expect(m.body).toMatchObject({ procedureId: 'dang-ky-khai-sinh', version: 1, status: 'published', ok: true });
    expect(m.body.metrics.steps).toBeGreaterThan(3);
    expect(d.status).toBe(200);
    expect(d.body).toMatchObject({ from: { version: 1 }, to: { version: 2 }, unchanged: false });
    expect(d.body.catalog.map((c: { field: string }) => c.field)).toContain('deadlineNote');
  });

  it('should retire a version: its end becomes now and it is no longer in force', async () => {
    // given the clock in April, version 2 in force
    h.clock.set('2026-04-10T03:00:00.000Z');
    auth = { designer: await login(h, 'thiet'), admin: await login(h, 'quan'), desk: await login(h, 'lan') };
    expect((await h.http.get('/api/public/procedures/dang-ky-khai-sinh')).body.version).toBe(2);
    // when an administrator retires it
    const res = await h.http.post('/api/procedures/dang-ky-khai-sinh/versions/2/retire').set('Authorization', auth.admin);
    // then it is retired from now, nothing is in force, and retiring again or retiring a draft is a conflict
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: 2, status: 'retired', effectiveTo: '2026-04-10T03:00:00.000Z' });
    expect((await h.http.get('/api/public/procedures/dang-ky-khai-sinh')).status).toBe(404);
    expect((await versionInForce(h.deps, 'dang-ky-khai-sinh', new Date('2026-04-05T00:00:00Z')))?.version).toBe(2);
    expect((await h.http.post('/api/procedures/dang-ky-khai-sinh/versions/2/retire').set('Authorization', auth.admin)).status).toBe(409);
    expect((await h.http.post('/api/procedures/dang-ky-khai-sinh/versions/3/retire').set('Authorization', auth.admin)).body.error.code).toBe('VERSION_NOT_PUBLISHED');
    expect(messages.filter((m) => m.type === 'catalog.changed').length).toBeGreaterThanOrEqual(3);
  });

  it('should answer bad input with a 4xx and a message in both languages, never a 500', async () => {
    // given a designer sending wrong types, unknown ids and malformed bodies
    const d = auth.designer;
    const cases: [Promise<{ status: number; body: { error?: { code: string; message: { vi: string; en: string } } } }>, number][] = [
      [h.http.post('/api/procedures').set('Authorization', d).send({ definition: 5 }), 422],
      [h.http.post('/api/procedures').set('Authorization', d).send({ definition: { id: 'x' } }), 422],
      [h.http.post('/api/procedures').set('Authorization', d).send({}), 422],
      [h.http.post('/api/procedures').set('Authorization', d).send([1, 2]), 422],
      [h.http.post('/api/procedures').set('Authorization', d).set('Content-Type', 'application/json').send('{"definition":'), 400],
      [h.http.post('/api/procedures/validate').set('Authorization', d).send({ definition: 'not a definition' }), 200],
      [h.http.get('/api/procedures/khong-co').set('Authorization', d), 404],
      [h.http.get('/api/procedures/Bad..Id').set('Authorization', d), 400],
      [h.http.get('/api/procedures/dang-ky-khai-sinh/versions/abc').set('Authorization', d), 400],
      [h.http.get('/api/procedures/dang-ky-khai-sinh/versions/99999999999').set('Authorization', d), 400],
      [h.http.get('/api/procedures/dang-ky-khai-sinh/versions/42').set('Authorization', d), 404],
      [h.http.put('/api/procedures/khong-co/versions/1').set('Authorization', d).send({ definition: birth }), 404],
      [h.http.post('/api/procedures/khong-co/drafts').set('Authorization', d).send({}), 404],
      [h.http.post('/api/procedures/dang-ky-khai-sinh/drafts').set('Authorization', d).send({ from: 'one' }), 422],
      [h.http.post('/api/procedures/dang-ky-khai-sinh/versions/3/publish').set('Authorization', d).send({ effectiveFrom: 5 }), 422],
      [h.http.post('/api/procedures/dang-ky-khai-sinh/versions/3/publish').set('Authorization', d).send({ effectiveFrom: 'tomorrow' }), 422],
      [h.http.post('/api/procedures/dang-ky-khai-sinh/versions/3/publish').set('Authorization', d).send({ effectiveFrom: '2026-02-30' }), 422],
      [h.http.post('/api/procedures/dang-ky-khai-sinh/versions/3/publish').set('Authorization', d).send({ when: 'now' }), 422],
      [h.http.post('/api/procedures/khong-co/versions/1/retire').set('Authorization', d), 404],
      [h.http.get('/api/procedures/dang-ky-khai-sinh/diff?from=1').set('Authorization', d), 400],
      [h.http.get('/api/procedures/dang-ky-khai-sinh/diff?from=1&to=9').set('Authorization', d), 404],
      [h.http.get('/api/procedures/dang-ky-khai-sinh/versions/9/metrics').set('Authorization', d), 404],
      [h.http.get('/api/public/procedures?page=0'), 400],
      [h.http.get('/api/public/procedures?pageSize=1000'), 400],
      [h.http.get('/api/public/procedures?level=planet'), 400],
      [h.http.get('/api/public/procedures?nonGeographic=maybe'), 400],
      [h.http.get('/api/public/procedures?unit=999.99.99.X'), 404],
      [h.http.get('/api/public/procedures?q=a&q=b'), 400],
      [h.http.get('/api/public/procedures/khong-co'), 404],
      [h.http.post('/api/catalog/import').set('Authorization', auth.admin).send({ procedures: 'all' }), 422],
      [h.http.post('/api/catalog/import').set('Authorization', auth.admin).send({ procedures: [{ id: 'a', versions: [{ version: 1, status: 'live', definition: {} }] }] }), 422],
    ];
    for (const [pending, status] of cases) {
      const res = await pending;
      // then each answer has the expected status, a code, and a message in both languages
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      if (status >= 400) expect(res.body.error).toMatchObject({ code: expect.any(String), message: { vi: expect.any(String), en: expect.any(String) } });
    }
    const invalid = await h.http.post('/api/procedures/dang-ky-khai-sinh/versions/3/publish').set('Authorization', d).send({ effectiveFrom: 'tomorrow' });
    expect(paths(invalid.body)).toEqual(['/effectiveFrom']);
  });

  it('should refuse text the database cannot store with 400, not a 500', async () => {
    // given a definition whose name holds a NUL character, and one with a lone surrogate
    const nul = { ...birth, id: 'thu-nul', catalog: { ...birth.catalog, name: { vi: 'Khai\u0000sinh' } } };
    const surrogate = { ...birth, id: 'thu-surrogate', catalog: { ...birth.catalog, result: { vi: 'Giấy \ud800' } } };
    // when a designer creates procedures from them
    const r1 = await h.http.post('/api/procedures').set('Authorization', auth.designer).send({ definition: nul });
    const r2 = await h.http.post('/api/procedures').set('Authorization', auth.designer).send({ definition: surrogate });
    // then both are refused with a pointer to the text
    expect(r1.status).toBe(400);
    expect(paths(r1.body)).toContain('/definition/catalog/name/vi');
    expect(r2.status).toBe(400);
    expect(paths(r2.body)).toContain('/definition/catalog/result/vi');
  });

  it('should let exactly one of several simultaneous "new draft" requests win', async () => {
    // given a published procedure without a draft
    const death = shipped('dang-ky-khai-tu');
    await h.http.post('/api/procedures').set('Authorization', auth.designer).send({ definition: death }).expect(201);
    await h.http.post('/api/procedures/dang-ky-khai-tu/versions/1/publish').set('Authorization', auth.designer).send({}).expect(200);
    // when five designers ask for a new draft at once
    const answers = await Promise.all(Array.from({ length: 5 }, () =>
      h.http.post('/api/procedures/dang-ky-khai-tu/drafts').set('Authorization', auth.designer).send({})));
    // then one gets version 2 and the others are told a draft exists
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409]);
    expect(answers.find((a) => a.status === 201)!.body.version).toBe(2);
    expect(answers.filter((a) => a.status === 409).every((a) => a.body.error.code === 'DRAFT_EXISTS')).toBe(true);
  });

  it('should give the previous version its end back when a scheduled version is retired before it starts', async () => {
    // given version 1 in force and version 2 scheduled for June
    await h.http.post('/api/procedures/dang-ky-khai-tu/versions/2/publish').set('Authorization', auth.designer).send({ effectiveFrom: '2026-06-01' }).expect(200);
    expect((await versionInForce(h.deps, 'dang-ky-khai-tu', new Date('2026-06-02T00:00:00Z')))?.version).toBe(2);
    // when version 2 is retired before June
    const res = await h.http.post('/api/procedures/dang-ky-khai-tu/versions/2/retire').set('Authorization', auth.admin);
    // then version 1 stays in force after June, and version 2 never is
    expect(res.status).toBe(200);
    expect((await versionInForce(h.deps, 'dang-ky-khai-tu', new Date('2026-06-02T00:00:00Z')))?.version).toBe(1);
    const detail = await h.http.get('/api/procedures/dang-ky-khai-tu').set('Authorization', auth.designer);
    expect(detail.body.versions[0]).toMatchObject({ version: 1, status: 'published', effectiveTo: null });
  });

  it('should refuse to publish a hand-off to a procedure that is not published', async () => {
    // given the inter-agency procedure, whose steps hand off to residence registration (not in this catalog)
    const linked = shipped('lien-thong-khai-sinh-thuong-tru-bhyt');
    await h.http.post('/api/procedures').set('Authorization', auth.designer).send({ definition: linked }).expect(201);
    // when it is published
    const res = await h.http.post(`/api/procedures/${linked.id}/versions/1/publish`).set('Authorization', auth.designer).send({});
    // then publishing is blocked with a pointer to the hand-off
    expect(res.status).toBe(422);
    expect(res.body.error.issues).toContainEqual(expect.objectContaining({ code: 'CATALOG_UNKNOWN_PROCEDURE', path: expect.stringMatching(/\/handoff\/procedure$/) }));
  });
});

describe('catalog: the shipped procedures, the public catalog, import and export', () => {
  let h: Harness;
  let auth: { designer: string; admin: string; desk: string };
  const slugs = ['cap-ban-sao-trich-luc-ho-tich', 'cap-the-bhyt-tre-em-duoi-6-tuoi', 'chung-thuc-ban-sao-tu-ban-chinh', 'chung-thuc-chu-ky',
    'dang-ky-giam-ho', 'dang-ky-ket-hon', 'dang-ky-khai-sinh', 'dang-ky-khai-tu', 'dang-ky-lai-ket-hon', 'dang-ky-lai-khai-sinh', 'dang-ky-nhan-cha-me-con',
    'dang-ky-tam-tru', 'dang-ky-thuong-tru', 'lien-thong-khai-sinh-thuong-tru-bhyt', 'thay-doi-cai-chinh-bo-sung-ho-tich', 'xac-minh-tinh-trang-hon-nhan',
    'xac-nhan-tinh-trang-hon-nhan', 'xac-nhan-tinh-trang-hon-nhan-xac-minh'];
  // The internal verification procedure is coordination between communes: never in the public catalog.
  const publicSlugs = slugs.filter((s) => s !== 'xac-minh-tinh-trang-hon-nhan');

  beforeAll(async () => {
    h = await createHarness({ now: '2026-03-02T01:00:00.000Z' });
    auth = await people(h);
  });
  afterAll(async () => h.close());

  it('should import and publish the shipped procedures directory, and skip them the second time', async () => {
    // given the shipped procedures/ directory
    // when it is imported from 1 January
    const first = await importProcedureDirectory(h.deps, PROCEDURES_DIR, 'u-quan', new Date('2026-01-01T00:00:00+07:00'));
    // then every procedure is published as its version 1
    expect(first.imported.map((r) => r.id).sort()).toEqual(slugs);
    expect(first.imported.every((r) => r.status === 'published' && r.version === 1)).toBe(true);
    expect(first.skipped).toEqual([]);
    // and importing again changes nothing: published versions are never overwritten
    const second = await importProcedureDirectory(h.deps, PROCEDURES_DIR, 'u-quan', new Date('2026-02-01T00:00:00+07:00'));
    expect(second.imported).toEqual([]);
    expect(second.skipped).toHaveLength(slugs.length);
    const v = await versionInForce(h.deps, 'dang-ky-khai-sinh', h.clock.now());
    expect(v).toMatchObject({ version: 1, status: 'published', publishedBy: 'u-quan' });
    expect(new Date(v!.effectiveFrom!).toISOString()).toBe('2025-12-31T17:00:00.000Z');
  });

  it('should search the public catalog without accents and without a login', async () => {
    // given the published catalog
    const search = async (qs: string) => (await h.http.get(`/api/public/procedures?${qs}`)).body as { items: { id: string }[]; total: number };
    // when a citizen searches with or without accents, in any case, or by code
    const withAccents = await search(`q=${encodeURIComponent('khai sinh')}`);
    const noAccents = await search('q=dang%20ky');
    const upper = await search(`q=${encodeURIComponent('ĐĂNG KÝ KHAI SINH')}`);
    const byCode = await search('q=1.001193');
    // then "khai sinh" finds "Đăng ký khai sinh", "dang ky" finds every "Đăng ký …"
    expect(withAccents.items.map((i) => i.id)).toEqual(expect.arrayContaining(['dang-ky-khai-sinh', 'dang-ky-lai-khai-sinh']));
    expect(noAccents.items.map((i) => i.id)).toEqual(expect.arrayContaining(['dang-ky-khai-sinh', 'dang-ky-ket-hon', 'dang-ky-thuong-tru']));
    expect(noAccents.items.map((i) => i.id)).not.toContain('chung-thuc-chu-ky');
    expect(upper.items[0]?.id).toBe('dang-ky-khai-sinh');
    expect(byCode.items.map((i) => i.id)).toEqual(['dang-ky-khai-sinh']);
    expect((await search('q=khong%20ton%20tai%20gi')).total).toBe(0);
  });

  it('should filter the public catalog by field, levels, non-geographic intake and unit, with pages', async () => {
    // given the published catalog
    const search = async (qs: string) => (await h.http.get(`/api/public/procedures?${qs}`)).body as {
      items: { id: string; field: string; onlineLevel: string; nonGeographic: boolean }[]; total: number; page: number; pageSize: number;
    };
    // when filtering
    const field = await search('field=ho%20tich&pageSize=100');
    const full = await search('onlineLevel=full&nonGeographic=true&pageSize=100');
    const commune = await search(`unit=${COMMUNE}&pageSize=100`);
    const province = await search(`unit=${PROVINCE}`);
    const page1 = await search('pageSize=4&page=1');
    const page4 = await search('pageSize=4&page=4');
    // then each filter holds, and pages carry the total
    expect(field.total).toBe(12);
    expect(field.items.every((i) => i.field === 'Hộ tịch')).toBe(true);
    expect(full.items.map((i) => i.id).sort()).toEqual(['cap-ban-sao-trich-luc-ho-tich', 'dang-ky-khai-sinh', 'dang-ky-khai-tu', 'xac-nhan-tinh-trang-hon-nhan', 'xac-nhan-tinh-trang-hon-nhan-xac-minh']);
    expect(commune.total).toBe(publicSlugs.length);
    expect(province.total).toBe(0);
    expect((await search('level=commune')).total).toBe(publicSlugs.length);
    expect(page1).toMatchObject({ total: publicSlugs.length, page: 1, pageSize: 4 });
    expect(page1.items).toHaveLength(4);
    expect(page4.items).toHaveLength(4);
    expect(new Set([...page1.items, ...page4.items].map((i) => i.id)).size).toBe(8);
    // and the fields come with their counts
    const fields = await h.http.get('/api/public/fields');
    expect(fields.body.items).toEqual(expect.arrayContaining([{ field: 'Hộ tịch', count: 12 }, { field: 'Chứng thực', count: 2 }]));
  });

  it('should list the agencies to the public, parents before children, names only', async () => {
    const res = await h.http.get('/api/public/units');
    expect(res.status).toBe(200);
    const list = res.body as { code: string; name: string; parent: string | null; depth: number }[];
    expect(list[0]).toMatchObject({ code: PROVINCE, parent: null, depth: 0 });
    const at = new Map(list.map((u, i) => [u.code, i]));
    for (const u of list) if (u.parent) expect(at.get(u.parent)!, u.code).toBeLessThan(at.get(u.code)!);
    expect(list.every((u) => u.depth === (u.parent ? list[at.get(u.parent)!]!.depth + 1 : 0))).toBe(true);
    expect(Object.keys(list[0]!).sort()).toEqual(['code', 'depth', 'kind', 'name', 'parent']);
  });

  it('should show a procedure in force to the public: documents, fees, deadline, steps, but no internals', async () => {
    // when a citizen opens "Đăng ký khai sinh"
    const res = await h.http.get('/api/public/procedures/dang-ky-khai-sinh');
    // then the catalog facts and a summary of the steps are there
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: 'dang-ky-khai-sinh', version: 1, code: '1.001193', name: { vi: 'Đăng ký khai sinh' }, field: 'Hộ tịch',
      legalDeadline: { days: 0 }, onlineLevel: 'full', nonGeographic: true, settings: { cutoffTime: '15:00' },
    });
    expect(res.body.documents).toContainEqual(expect.objectContaining({ id: 'declaration', form: 'original', count: 1, conditional: false }));
    expect(res.body.fees).toContainEqual(expect.objectContaining({ id: 'lateRegistration', amount: 8000, conditional: true }));
    expect(res.body.legalBasis.length).toBeGreaterThan(0);
    expect(res.body.steps.map((s: { id: string }) => s.id)).toEqual(expect.arrayContaining(['intake', 'register', 'sign']));
    expect(res.body.steps.find((s: { id: string }) => s.id === 'intake')).toMatchObject({ kind: 'intake', handledBy: { vi: expect.any(String) } });
    // and the application form (tờ khai) is there for desks and online applicants
    expect(res.body.data).toMatchObject({ type: 'object', properties: expect.any(Object) });
    // and no guards, actions, step forms or JSON Logic rules leak out
    const text = JSON.stringify(res.body);
    for (const internal of ['"guard"', '"actions"', '"form":{', '"when"', '"var"', '"effects"', '"roles"', '"role"']) expect(text).not.toContain(internal);
  });

  it('should export the catalog and import it into a fresh database, round trip', async () => {
    // given a second version as a draft in the first catalog
    await h.http.post('/api/procedures/chung-thuc-chu-ky/drafts').set('Authorization', auth.designer).send({}).expect(201);
    const exported = await h.http.get('/api/catalog/export').set('Authorization', auth.admin);
    expect(exported.status).toBe(200);
    expect(exported.body.procedures).toHaveLength(slugs.length);
    // when it is imported into a fresh database by its administrator
    const fresh = await createHarness({ now: '2026-03-05T01:00:00.000Z' });
    try {
      const freshAuth = await people(fresh);
      const imported = await fresh.http.post('/api/catalog/import').set('Authorization', freshAuth.admin).send(exported.body);
      // then every version arrives, and the export of the fresh catalog says the same
      expect(imported.status, JSON.stringify(imported.body).slice(0, 500)).toBe(200);
      expect(imported.body.imported).toHaveLength(slugs.length + 1);
      expect(imported.body.skipped).toEqual([]);
      const again = await fresh.http.get('/api/catalog/export').set('Authorization', freshAuth.admin);
      expect(again.body.procedures).toEqual(exported.body.procedures);
      expect((await fresh.http.get('/api/public/procedures?q=khai%20sinh')).body.total).toBe(3);
      // and importing it once more skips the published versions and replaces the draft
      const twice = await fresh.http.post('/api/catalog/import').set('Authorization', freshAuth.admin).send(exported.body);
      expect(twice.status).toBe(200);
      expect(twice.body.imported).toEqual([{ id: 'chung-thuc-chu-ky', version: 2, status: 'draft' }]);
      expect(twice.body.skipped).toHaveLength(slugs.length);
      expect(twice.body.skipped[0].reason.en).toContain('never overwritten');
    } finally {
      await fresh.close();
    }
  });

  it('should import nothing when one definition is invalid, pointing at it in the body', async () => {
    // given an export where procedure 3's version 0 has a bad step kind
    const exported = (await h.http.get('/api/catalog/export').set('Authorization', auth.admin)).body;
    exported.procedures[3].versions[0].definition.steps[2].kind = 'bogus';
    const fresh = await createHarness();
    try {
      const freshAuth = await people(fresh);
      // when it is imported
      const res = await fresh.http.post('/api/catalog/import').set('Authorization', freshAuth.admin).send(exported);
      // then 422 pointing into the body, and the fresh catalog stays empty
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('CATALOG_INVALID');
      expect(paths(res.body)).toEqual(['/procedures/3/versions/0/definition/steps/2/kind']);
      // and the issue says which procedure it is (its name from the catalog facts, its id, the version), Vietnamese and English
      const bad = exported.procedures[3];
      const name = bad.versions[0].definition.catalog.name;
      const [only] = res.body.error.issues;
      const vi = `Thủ tục "${name.vi}" (${bad.id}), phiên bản ${bad.versions[0].version}: `;
      const en = `Procedure "${name.en}" (${bad.id}), version ${bad.versions[0].version}: `;
      expect(only.message.vi.slice(0, vi.length)).toBe(vi);
      expect(only.message.en.slice(0, en.length)).toBe(en);
      // and a procedure sent twice is named too, at its id's pointer
      const twice = await fresh.http.post('/api/catalog/import').set('Authorization', freshAuth.admin)
        .send({ procedures: [exported.procedures[0], exported.procedures[0]] });
      expect(twice.status).toBe(422);
      const dup = (twice.body.error.issues as IssueBody[]).find((i) => i.path === '/procedures/1/id');
      expect(dup?.message.vi).toBe(`Thủ tục "${exported.procedures[0].versions[0].definition.catalog.name.vi}" (${exported.procedures[0].id}): Mã thủ tục xuất hiện hai lần trong tệp`);
      const after = await fresh.http.get('/api/catalog/export').set('Authorization', freshAuth.admin);
      expect(after.body.procedures).toEqual([]);
      expect((await fresh.http.get('/api/procedures').set('Authorization', freshAuth.designer)).body.total).toBe(0);
    } finally {
      await fresh.close();
    }
  });
});
