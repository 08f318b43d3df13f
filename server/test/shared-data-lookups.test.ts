import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, login, publishFixture, seedPeople, type Harness } from './support/harness';
import { sharedDataLookups } from '../src/db/schema';
import { startPopulationSimulator, type PopulationSimulator } from '../src/simulators/population';
import { HttpCitizenData } from '../src/citizen-data';

const ANPHU = '000.01.31.H99';
const BINHMINH = '000.02.31.H99';
let h: Harness;
let sim: PopulationSimulator;
const auth: { [name: string]: string } = {};

const body = (extra: object = {}) => ({
  source: 'population', personalId: '099196004040', unit: ANPHU, purpose: 'Đăng ký kết hôn', consent: { given: true, method: 'written' }, ...extra,
});
const look = (extra: object = {}, who = 'lan') => h.http.post('/api/shared-data/lookups').set('Authorization', auth[who]!).send(body(extra));
const stored = async () => (await h.deps.db.select().from(sharedDataLookups)).length;

beforeAll(async () => {
  sim = await startPopulationSimulator({ token: 'shared-data-token' });
  h = await createHarness({ now: '2026-03-02T01:15:00.000Z', config: { citizenDataUrl: sim.url, citizenDataToken: sim.token } });
  await seedPeople(h, [
    { username: 'lan', name: 'Nguyễn Thị Lan', grants: [{ role: 'desk', unit: ANPHU }] },
    { username: 'nam', name: 'Đỗ Văn Nam', grants: [{ role: 'desk', unit: BINHMINH }] },
  ]);
  await publishFixture(h, 'dang-ky-ket-hon');
  for (const u of ['lan', 'nam']) auth[u] = await login(h, u);
});
afterAll(async () => {
  await h.close();
  await sim.close();
});

describe('shared data: the population and civil-status databases', () => {
  it('should refuse a lookup without the citizen\'s consent and never ask the database', async () => {
    const sent = sim.requests.length;
    const missing = await look({ consent: undefined });
    expect(missing.status).toBe(422);
    expect(missing.body.error).toMatchObject({ code: 'CONSENT_REQUIRED', issues: [{ path: '/consent' }] });
    expect(missing.body.error.message.vi).toContain('đồng ý');
    expect(missing.body.error.message.en).toContain('consent');
    const refused = await look({ consent: { given: false, method: 'at-desk' } });
    expect(refused.status).toBe(422);
    expect(refused.body.error.issues[0].path).toBe('/consent/given');
    expect(sim.requests.length).toBe(sent);
    expect(await stored()).toBe(0);
  });

  it('should find a person in the population database over HTTP, with consent and purpose sent, and record the lookup', async () => {
    const res = await look({ procedureId: 'dang-ky-ket-hon' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      source: 'population', personalId: '099196004040', by: { id: 'u-lan', name: 'Nguyễn Thị Lan' }, consent: { method: 'written', at: '2026-03-02T01:15:00.000Z' },
      record: { fullName: 'Kiều Thị Mỹ', dateOfBirth: '1996-04-18', sex: 'female', permanentAddress: 'Ấp 3, xã An Phú, tỉnh Demo' },
      papersNotRequired: ['identity'], validUntil: '2026-03-03T01:15:00.000Z',
    });
    const last = sim.requests.at(-1)!;
    expect(last).toMatchObject({ path: '/dan-cu/v1/cong-dan/tra-cuu', status: 200 });
    expect(last.body).toMatchObject({ soDinhDanh: '099196004040', lyDo: 'Đăng ký kết hôn', maDonVi: ANPHU, canBo: { ma: 'u-lan' }, dongY: { hinhThuc: 'van-ban' } });
    expect(await stored()).toBe(1);
  });

  it('should read the civil-status database: marital status pre-filled, the marital-status certificate not required', async () => {
    const res = await look({ source: 'civil-status', procedureId: 'dang-ky-ket-hon' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.record).toMatchObject({ maritalStatus: 'divorced', birth: { number: '112/1996' }, marriages: [{ spouseName: 'Trần Văn Bảo', ended: '2023-03-15' }] });
    expect(res.body.prefill.data).toEqual({ maritalStatus: 'divorced' });
    expect(res.body.papersNotRequired).toEqual(['maritalStatus']);
    expect(sim.requests.at(-1)!.path).toBe('/ho-tich/v1/tra-cuu');
  });

  it('should answer 404 for an unknown person, in either database, and store nothing', async () => {
    const before = await stored();
    const unknown = await look({ personalId: '099000000001' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: 'PERSON_NOT_FOUND', issues: [{ path: '/personalId' }] });
    const noCivil = await look({ source: 'civil-status', personalId: '099198005678' });
    expect(noCivil.status).toBe(404);
    expect(await stored()).toBe(before);
  });

  it('should refuse bad input: a malformed personal ID, another unit, an unknown procedure', async () => {
    const malformed = await look({ personalId: '09919600404A' });
    expect(malformed.status).toBe(422);
    expect(malformed.body.error.issues[0].path).toBe('/personalId');
    const otherUnit = await look({}, 'nam');
    expect(otherUnit.status).toBe(403);
    const proc = await look({ procedureId: 'khong-co' });
    expect(proc.status).toBe(404);
    expect(proc.body.error.issues[0].path).toBe('/procedureId');
  });

  it('should turn a database answering garbage, failing or refusing our token into 502/503 with nothing stored', async () => {
    const before = await stored();
    try {
      sim.mode = 'garbage';
      const garbage = await look();
      expect(garbage.status).toBe(502);
      expect(garbage.body.error.code).toBe('CITIZEN_DATA_BAD_ANSWER');
      const html = await look({ source: 'civil-status' });
      expect(html.status).toBe(502);
      sim.mode = 'wrong-person';
      expect((await look()).status).toBe(502);
      sim.mode = 'fail';
      const down = await look();
      expect(down.status).toBe(503);
      expect(down.body.error.code).toBe('CITIZEN_DATA_UNAVAILABLE');
    } finally {
      sim.mode = 'normal';
    }
    const wrongToken = new HttpCitizenData(sim.url, 'not-the-token');
    await expect(wrongToken.person({
      personalId: '099196004040', purpose: 'x', unit: ANPHU, officer: { id: 'u', name: 'u' }, consent: { method: 'written', at: '2026-03-02T01:15:00.000Z' },
    })).rejects.toMatchObject({ failure: 'unavailable' });
    expect(await stored()).toBe(before);
  });

  it('should have the simulator itself check what it receives: token, personal ID, consent', async () => {
    const post = (payload: unknown, token = sim.token) => fetch(`${sim.url}/dan-cu/v1/cong-dan/tra-cuu`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(payload),
    });
    const valid = { soDinhDanh: '099196004040', lyDo: 'x', maDonVi: ANPHU, canBo: { ma: 'u', hoTen: 'U' }, dongY: { hinhThuc: 'tai-quay', thoiDiem: '2026-03-02T01:15:00Z' } };
    expect((await post(valid)).status).toBe(200);
    expect((await post(valid, 'wrong')).status).toBe(401);
    const noConsent = await post({ ...valid, dongY: undefined });
    expect(noConsent.status).toBe(403);
    expect(await noConsent.json()).toEqual({ maLoi: 'CHUA_CO_SU_DONG_Y', truong: 'dongY' });
    expect((await post({ ...valid, soDinhDanh: '123' })).status).toBe(400);
  });

  it('should answer 503 when no database is configured', async () => {
    const bare = await createHarness({ now: '2026-03-02T01:15:00.000Z' });
    try {
      await seedPeople(bare, [{ username: 'lan', grants: [{ role: 'desk', unit: ANPHU }] }]);
      const res = await bare.http.post('/api/shared-data/lookups').set('Authorization', await login(bare, 'lan')).send(body());
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('CITIZEN_DATA_NOT_CONFIGURED');
    } finally {
      await bare.close();
    }
  });
});
