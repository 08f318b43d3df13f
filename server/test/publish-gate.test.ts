/**
 * One publish gate: what validation calls publishable is what publishing accepts, and a
 * national code belongs to one procedure in force. Over HTTP against the real server.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcedureDefinition } from '@motcua/engine';
import { createHarness, login, publishFixture, seedPeople, type Harness } from './support/harness';

const PROVINCE = '000.00.00.H99';
let h: Harness;
let designer: string;
const fixture = (slug: string): ProcedureDefinition =>
  JSON.parse(readFileSync(new URL(`../../procedures/${slug}/procedure.json`, import.meta.url), 'utf8')) as ProcedureDefinition;

beforeAll(async () => {
  h = await createHarness({ now: '2026-03-02T01:15:00.000Z' });
  await seedPeople(h, [{ username: 'thiet', name: 'Nguyễn Văn Thiết', grants: [{ role: 'designer', unit: PROVINCE }] }]);
  designer = await login(h, 'thiet');
  await publishFixture(h, 'chung-thuc-chu-ky');
});
afterAll(async () => { await h?.close(); });

describe('publish gate', () => {
  it('should refuse a second procedure with a national code already in force, in validation and in publishing alike', async () => {
    // given a new procedure copied from the published signature certification under another id
    const copy = { ...fixture('chung-thuc-chu-ky'), id: 'chung-thuc-chu-ky-ban-sao' };
    // when it is validated
    const validated = await h.http.post('/api/procedures/validate').set('Authorization', designer).send({ definition: copy });
    // then it validates but is not publishable, pointing at its code
    expect(validated.status).toBe(200);
    expect(validated.body).toMatchObject({ ok: true, publishable: false });
    expect(validated.body.issues).toContainEqual(expect.objectContaining({ code: 'CATALOG_DUPLICATE_CODE', path: '/catalog/code' }));
    // and publishing it is refused for the same reason
    expect((await h.http.post('/api/procedures').set('Authorization', designer).send({ definition: copy })).status).toBe(201);
    const published = await h.http.post(`/api/procedures/${copy.id}/versions/1/publish`).set('Authorization', designer).send({});
    expect(published.status).toBe(422);
    expect(published.body.error.issues).toContainEqual(expect.objectContaining({ code: 'CATALOG_DUPLICATE_CODE', path: '/catalog/code' }));
  });

  it('should not call publishable a definition that hands off to a procedure not published', async () => {
    // given the newborn bundle, whose linked procedures are not in this catalog
    const bundle = fixture('lien-thong-khai-sinh-thuong-tru-bhyt');
    // when it is validated
    const validated = await h.http.post('/api/procedures/validate').set('Authorization', designer).send({ definition: bundle });
    // then validation says what publishing would say
    expect(validated.body).toMatchObject({ ok: true, publishable: false });
    expect(validated.body.issues).toContainEqual(expect.objectContaining({ code: 'CATALOG_UNKNOWN_PROCEDURE' }));
  });

  it('should refuse a parent whose linked procedure does not accept a channel the parent accepts (the linked dossier inherits the channel)', async () => {
    // given the newborn bundle's linked procedures published, one of them accepting only online dossiers
    await publishFixture(h, 'dang-ky-thuong-tru');
    const card = fixture('cap-the-bhyt-tre-em-duoi-6-tuoi');
    card.catalog.channels = ['online'];
    await h.http.post('/api/procedures').set('Authorization', designer).send({ definition: card }).expect(201);
    await h.http.post(`/api/procedures/${card.id}/versions/1/publish`).set('Authorization', designer).send({}).expect(200);
    // when the bundle is validated accepting direct dossiers too
    const bundle = fixture('lien-thong-khai-sinh-thuong-tru-bhyt');
    bundle.catalog.channels = ['online', 'direct'];
    const validated = await h.http.post('/api/procedures/validate').set('Authorization', designer).send({ definition: bundle });
    // then it is not publishable, pointing at the hand-off to the card procedure
    expect(validated.body).toMatchObject({ ok: true, publishable: false });
    const issues = (validated.body.issues as { code: string; path: string; message: { en: string } }[]).filter((i) => i.code === 'CATALOG_CHILD_CHANNEL');
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toMatch(/\/handoff\/procedure$/);
    expect(issues[0]!.message.en).toContain('"cap-the-bhyt-tre-em-duoi-6-tuoi"');
    expect(issues[0]!.message.en).toContain('"direct"');
    // and accepting online only, as shipped, it is publishable
    const shipped = await h.http.post('/api/procedures/validate').set('Authorization', designer)
      .send({ definition: fixture('lien-thong-khai-sinh-thuong-tru-bhyt') });
    expect(shipped.body.issues.filter((i: { code: string }) => i.code === 'CATALOG_CHILD_CHANNEL')).toEqual([]);
    expect(shipped.body.publishable).toBe(true);
  });
});
