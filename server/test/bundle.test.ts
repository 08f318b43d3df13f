/**
 * The inter-agency newborn bundle end to end over HTTP: birth registered at the commune,
 * then linked dossiers spawned at the police and social insurance, each handled there by
 * its own officers; when both close, the parent resumes by itself and returns the result.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createHarness, login, publishFixture, seedPeople, type Harness } from './support/harness';
import { dossiers, units } from '../src/db/schema';

const ANPHU = '000.01.31.H99';
const POLICE = '000.11.31.H99';
const BHXH = '000.00.07.H99';
let h: Harness;
const auth: { [u: string]: string } = {};

beforeAll(async () => {
  h = await createHarness({ now: '2026-03-02T01:15:00.000Z' });
  await seedPeople(h, []);
  await h.deps.db.insert(units).values([
    { code: POLICE, name: 'Công an xã An Phú', kind: 'police', parent: '000.00.00.H99' },
    { code: BHXH, name: 'Bảo hiểm xã hội tỉnh Demo', kind: 'social-insurance', parent: '000.00.00.H99' },
  ]);
  h.deps.directory.invalidateUnits();
  const people = [];
  for (const [prefix, unit] of [['xa', ANPHU], ['ca', POLICE], ['bh', BHXH]] as const) {
    people.push({ username: `${prefix}-desk`, grants: [{ role: 'desk', unit }] }, { username: `${prefix}-spec`, grants: [{ role: 'specialist', unit }] },
      { username: `${prefix}-lead`, grants: [{ role: 'leader', unit, position: 'head' as const, title: 'THỦ TRƯỞNG' }] });
  }
  await seedPeople(h, people);
  for (const slug of ['dang-ky-thuong-tru', 'cap-the-bhyt-tre-em-duoi-6-tuoi', 'lien-thong-khai-sinh-thuong-tru-bhyt']) await publishFixture(h, slug);
  for (const p of people) auth[p.username] = await login(h, p.username);
});
afterAll(async () => h.close());

const act = async (who: string, id: string, step: string, action: string, inputs: object = {}) => {
  const r = await h.http.post(`/api/dossiers/${encodeURIComponent(id)}/actions`).set('Authorization', auth[who]!).send({ step, action, inputs });
  expect(r.status, `${who} ${step}.${action}: ${JSON.stringify(r.body)}`).toBe(200);
  return r.body as { status: string; outcome: string | null; active: { step: string }[] };
};

describe('newborn bundle (liên thông khai sinh – thường trú – BHYT)', () => {
  it('should spawn linked dossiers at the police and social insurance and resume when both close', async () => {
    // given an online bundle received and registered at the commune
    const created = await h.http.post('/api/dossiers').set('Authorization', auth['xa-desk']!).send({
      procedureId: 'lien-thong-khai-sinh-thuong-tru-bhyt', channel: 'online', receivingUnit: ANPHU, accept: true,
      applicant: { id: '079194009393', name: 'Tạ Thị Minh Thư' },
      data: { childName: 'Lê Tạ Minh Khoa', dateOfBirth: '2026-02-20', sex: 'male', placeOfBirth: 'Trạm Y tế xã An Phú', motherName: 'Tạ Thị Minh Thư',
        motherPersonalId: '079194009393', declarantRelation: 'mother', onTime: true, residenceAddress: 'Số 5, thôn Nam, xã An Phú', residenceWithParent: true, healthFacility: 'Trạm Y tế xã An Phú' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    await act('xa-spec', id, 'register', 'propose', { registrationNo: '131/2026', book: '01/2026', personalId: '079226009595' });
    // when the chair signs, two linked dossiers are created at the other agencies
    const signed = await act('xa-lead', id, 'sign', 'approve');
    expect(signed.active.map((a) => a.step).sort()).toEqual(['insurance', 'linked', 'residence']);
    const children = await h.deps.db.select().from(dossiers).where(eq(dossiers.parentId, id));
    expect(children.map((c) => c.receivingUnit).sort()).toEqual([BHXH, POLICE].sort());
    const police = children.find((c) => c.receivingUnit === POLICE)!;
    const insurance = children.find((c) => c.receivingUnit === BHXH)!;
    expect(police.id).toMatch(/^000\.11\.31\.H99-260302-\d{4}$/);
    expect((police.snapshot as { data: { personName: string } }).data.personName).toBe('Lê Tạ Minh Khoa');
    // and each agency handles its own dossier with its own officers; the commune cannot act on them
    const foreign = await h.http.post(`/api/dossiers/${police.id}/actions`).set('Authorization', auth['xa-spec']!).send({ step: 'intake', action: 'accept' });
    expect(foreign.status).toBe(403);
    await act('ca-desk', police.id, 'intake', 'accept');
    await act('ca-spec', police.id, 'verify', 'propose', { verificationResult: 'Đủ điều kiện đăng ký thường trú' });
    await act('ca-lead', police.id, 'sign', 'approve');
    await act('ca-desk', police.id, 'return', 'returnResult');
    const half = await h.http.get(`/api/dossiers/${id}`).set('Authorization', auth['xa-desk']!);
    expect(half.body.active.map((a: { step: string }) => a.step).sort()).toEqual(['insurance', 'linked']);
    expect(half.body.links.residence.outcome).toBe('approved');
    // and each link names its dossier, so the screen can open it
    expect(half.body.links.residence.dossierId).toBe(police.id);
    expect(half.body.links.insurance.dossierId).toBe(insurance.id);
    await act('bh-desk', insurance.id, 'intake', 'accept');
    await act('bh-spec', insurance.id, 'issue', 'propose', { cardNo: 'TE1998990012345', validFrom: '2026-02-20', validTo: '2032-02-19' });
    await act('bh-lead', insurance.id, 'sign', 'approve');
    await act('bh-desk', insurance.id, 'return', 'returnResult');
    // then the parent has joined and waits at the commune's desk to return the result
    const joined = await h.http.get(`/api/dossiers/${id}`).set('Authorization', auth['xa-desk']!);
    expect(joined.body.active.map((a: { step: string }) => a.step)).toEqual(['return']);
    const done = await act('xa-desk', id, 'return', 'returnResult');
    expect(done).toMatchObject({ status: 'done', outcome: 'approved' });
    const verify = await h.http.get(`/api/dossiers/${id}/verify`).set('Authorization', auth['xa-desk']!);
    expect(verify.body.ok).toBe(true);
  });
});
