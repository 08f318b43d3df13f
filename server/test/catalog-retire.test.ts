import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, login, publishFixture, seedPeople, type Harness, ANPHU_STAFF } from './support/harness';

const ANPHU = '000.01.31.H99';
const PROVINCE = '000.00.00.H99';
const PROC = 'xac-nhan-tinh-trang-hon-nhan';

describe('catalog: retiring the version in force with no successor', () => {
  let h: Harness;
  const auth: { [name: string]: string } = {};

  beforeAll(async () => {
    h = await createHarness({ now: '2026-03-02T01:15:00.000Z' });
    await seedPeople(h, [...ANPHU_STAFF, { username: 'thiet', name: 'Nguyễn Văn Thiết', grants: [{ role: 'designer', unit: PROVINCE }] }]);
    await publishFixture(h, PROC);
    for (const u of ['lan', 'hung', 'thiet']) auth[u] = await login(h, u);
  });
  afterAll(async () => h.close());

  it('should count the open dossiers of the version, and keep their step names in the inbox after it is retired', async () => {
    // given a dossier received under version 1
    const res = await h.http.post('/api/dossiers').set('Authorization', auth['lan']!).send({
      procedureId: PROC, channel: 'direct', receivingUnit: ANPHU,
      applicant: { id: '079196004040', name: 'Kiều Thị Mỹ', phone: '0912345678' },
      data: { personName: 'Kiều Thị Mỹ', dateOfBirth: '1996-04-18', maritalStatus: 'never-married', purpose: 'marriage' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const id = res.body.id as string;
    const inbox = async () => {
      const list = await h.http.get('/api/dossiers?box=unit').set('Authorization', auth['hung']!);
      expect(list.status).toBe(200);
      return (list.body.items as { id: string; steps: { step: string; name: { vi: string } | null }[] }[]).find((i) => i.id === id);
    };
    const before = await inbox();
    expect(before?.steps[0]?.name?.vi).toEqual(expect.any(String));
    // when the designer reads the procedure: version 1 has one open dossier
    const detail = await h.http.get(`/api/procedures/${PROC}`).set('Authorization', auth['thiet']!);
    expect(detail.body.versions.map((v: { version: number; openDossiers: number }) => [v.version, v.openDossiers])).toEqual([[1, 1]]);
    // and retires it, with nothing after it
    const retired = await h.http.post(`/api/procedures/${PROC}/versions/1/retire`).set('Authorization', auth['thiet']!).send();
    expect(retired.status).toBe(200);
    // then the dossier still shows its step by the name of its own version, in the inbox and on its page
    expect((await inbox())?.steps).toEqual(before?.steps);
    const page = await h.http.get(`/api/dossiers/${encodeURIComponent(id)}`).set('Authorization', auth['hung']!);
    expect(page.body.procedure.name?.vi).toEqual(expect.any(String));
    expect(page.body.active[0].name?.vi).toBe(before?.steps[0]?.name?.vi);
  });
});
