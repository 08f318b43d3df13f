/**
 * The unit settings records rely on (docs/records.md): the one-stop body that issues slips 01–03
 * (Decree 118/2025: a commune's Public Administration Service Centre) and the province whose
 * report totals take in a provincial agency outside its tree (police, social insurance).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, DEMO_UNITS, login, seedPeople, type Harness } from './support/harness';
import { units } from '../src/db/schema';

const PROVINCE = '000.00.00.H99';
const ANPHU = '000.01.31.H99';
const POLICE = '000.00.10.H99';
let h: Harness;
const auth: { [who: string]: string } = {};
const patch = (who: string, code: string, body: object) => h.http.patch(`/api/units/${code}`).set('Authorization', auth[who]!).send(body);

beforeAll(async () => {
  h = await createHarness();
  await h.deps.db.insert(units).values(DEMO_UNITS);
  await h.deps.db.insert(units).values({ code: POLICE, name: 'Công an tỉnh Demo', kind: 'police', headTitle: 'GIÁM ĐỐC' });
  await seedPeople(h, [
    { username: 'tinh', grants: [{ role: 'admin', unit: PROVINCE }, { role: 'admin', unit: POLICE }] },
    { username: 'qtA', grants: [{ role: 'admin', unit: ANPHU }] },
    { username: 'lan', grants: [{ role: 'desk', unit: ANPHU }] },
  ]);
  for (const u of ['tinh', 'qtA', 'lan']) auth[u] = await login(h, u);
});
afterAll(async () => h?.close());

describe('unit settings for records: the one-stop body issuing slips 01–03 (Decree 118/2025) and the province a provincial agency counts in', () => {
  it('should let the commune\'s administrator name its Public Administration Service Centre, trimmed, and clear it with null; a blank name is 422 at /oneStopName', async () => {
    const set = await patch('qtA', ANPHU, { oneStopName: '  Trung tâm Phục vụ hành chính công xã An Phú ' });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.oneStopName).toBe('Trung tâm Phục vụ hành chính công xã An Phú');
    const blank = await patch('qtA', ANPHU, { oneStopName: '   ' });
    expect(blank.status).toBe(422);
    expect(blank.body.error.issues[0].path).toBe('/oneStopName');
    expect(blank.body.error.message).toMatchObject({ vi: expect.stringContaining('Bộ phận Một cửa'), en: expect.stringContaining('one-stop') });
    const cleared = await patch('qtA', ANPHU, { oneStopName: null });
    expect(cleared.body.oneStopName).toBeNull();
    expect((await patch('lan', ANPHU, { oneStopName: 'X' })).status).toBe(403);
  });

  it('should refuse a commune administrator counting its unit in a province it does not administer (403, nothing changed)', async () => {
    const before = await h.http.get(`/api/units/${ANPHU}`).set('Authorization', auth['qtA']!);
    const res = await patch('qtA', ANPHU, { province: PROVINCE });
    expect(res.status, JSON.stringify(res.body)).toBe(403);
    const after = await h.http.get(`/api/units/${ANPHU}`).set('Authorization', auth['qtA']!);
    expect(after.body.province).toBe(before.body.province ?? null);
  });

  it('should count the provincial police in the province\'s total only when pointed at a unit of kind province; a commune or a province itself is 422 at /province', async () => {
    const ok = await patch('tinh', POLICE, { province: PROVINCE });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.province).toBe(PROVINCE);
    const commune = await patch('tinh', POLICE, { province: ANPHU });
    expect(commune.status).toBe(422);
    expect(commune.body.error.issues[0].path).toBe('/province');
    const itself = await patch('tinh', PROVINCE, { province: PROVINCE });
    expect(itself.status).toBe(422);
    expect(itself.body.error.issues[0].path).toBe('/province');
    expect((await patch('tinh', POLICE, { province: null })).body.province).toBeNull();
  });
});
