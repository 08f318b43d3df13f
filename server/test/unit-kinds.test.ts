import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcedureDefinition } from '@motcua/engine';
import { createHarness, login, publishFixture, seedPeople, type Harness } from './support/harness';
import { publishGate } from '../src/catalog/gate';
import { checkHandoffUnit } from '../src/catalog/unitKinds';
import { HttpError } from '../src/http/errors';

// Issue 15, item 6: units have kinds and a procedure names the kinds competent to decide it.
// Intake already refused other kinds (dossiers/routing.ts); hand-offs and delegations now do too.
const ANPHU = '000.01.31.H99';
const POLICE_ANPHU = '000.11.31.H99';

let h: Harness;
const auth: { [name: string]: string } = {};
const defs: { [slug: string]: ProcedureDefinition } = {};

beforeAll(async () => {
  h = await createHarness({ now: '2026-03-02T02:00:00.000Z' });
  await seedPeople(h, [
    { username: 'chutich', name: 'Lê Văn Chủ', grants: [{ role: 'leader', unit: ANPHU, position: 'head', title: 'CHỦ TỊCH' }] },
    { username: 'vanphong', name: 'Phạm Thị Văn', grants: [{ role: 'specialist', unit: ANPHU, position: 'internal-head', title: 'CHÁNH VĂN PHÒNG' }] },
  ]);
  for (const slug of ['dang-ky-khai-sinh', 'dang-ky-thuong-tru', 'cap-the-bhyt-tre-em-duoi-6-tuoi', 'lien-thong-khai-sinh-thuong-tru-bhyt']) defs[slug] = await publishFixture(h, slug);
  auth['chutich'] = await login(h, 'chutich');
});
afterAll(async () => h.close());

describe('unit kinds', () => {
  it('should refuse to publish a hand-off to a named unit whose kind may not decide the linked procedure', async () => {
    // given the newborn bundle, its residence hand-off pointed at the commune People's Committee instead of the commune police
    const bundle = structuredClone(defs['lien-thong-khai-sinh-thuong-tru-bhyt']!);
    const shipped = await publishGate(h.deps, bundle, h.clock.now());
    expect(shipped.errors.filter((e) => e.code === 'CATALOG_HANDOFF_UNIT_KIND')).toEqual([]);
    const json = JSON.stringify(bundle).replace(`"unit":{"unit":"${POLICE_ANPHU}"}`, `"unit":{"unit":"${ANPHU}"}`);
    expect(json).not.toBe(JSON.stringify(bundle));
    // when checked for publishing
    const gate = await publishGate(h.deps, JSON.parse(json) as ProcedureDefinition, h.clock.now());
    // then the hand-off's unit is pointed at, naming the kinds allowed
    const found = gate.errors.filter((e) => e.code === 'CATALOG_HANDOFF_UNIT_KIND');
    expect(found).toHaveLength(1);
    expect(found[0]!.path).toMatch(/^\/steps\/\d+(\/branches\/\d+\/steps\/\d+)?\/handoff\/unit$/);
    expect(found[0]!.message.en).toContain('(only: police)');
  });

  it('should refuse to open a linked dossier at a unit of another kind (scopes resolved per dossier)', async () => {
    const commune = (await h.deps.directory.unit(ANPHU))!;
    const police = { code: POLICE_ANPHU, name: 'Công an xã An Phú', kind: 'police' };
    expect(() => checkHandoffUnit(defs['dang-ky-thuong-tru']!, police, 'residence')).not.toThrow();
    let thrown: unknown;
    try {
      checkHandoffUnit(defs['dang-ky-thuong-tru']!, commune, 'residence');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(HttpError);
    expect(thrown).toMatchObject({ status: 422, code: 'HANDOFF_UNIT_KIND' });
  });

  it('should refuse a delegation limited to a procedure its units may not decide, and accept one they may', async () => {
    const body = (procedures: string[]) => ({
      kind: 'authorisation', from: 'u-chutich', to: 'u-vanphong', scope: { roles: ['leader'], units: [ANPHU], procedures },
      validFrom: '2026-03-02T09:00:00+07:00', validTo: '2026-06-30T17:00:00+07:00', decision: '15/QĐ-UBND',
    });
    const wrong = await h.http.post('/api/delegations').set('Authorization', auth['chutich']!).send(body(['dang-ky-khai-sinh', 'dang-ky-thuong-tru']));
    expect(wrong.status, JSON.stringify(wrong.body)).toBe(422);
    expect(JSON.stringify(wrong.body)).toContain('DELEGATION_UNIT_KIND');
    expect(JSON.stringify(wrong.body)).toContain('/scope/procedures/1');
    const right = await h.http.post('/api/delegations').set('Authorization', auth['chutich']!).send(body(['dang-ky-khai-sinh']));
    expect(right.status, JSON.stringify(right.body)).toBe(201);
  });
});
