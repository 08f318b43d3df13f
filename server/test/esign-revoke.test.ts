/**
 * Revoking signing certificates is scoped like the rest of administration (docs/esign.md): a
 * province administrator revokes within the province, a commune's administrator only the seal
 * of their unit and the certificates of its officers. An administrator of another commune gets
 * 403 and nothing enters the CRL. Real server, database and PKI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyBySerial, latestKey } from '../src/esign/repo';
import { ensureDemoPki, revokedAtByCrl } from '../src/esign/keys';
import { ANPHU_STAFF, createHarness, login, seedPeople, type Harness } from './support/harness';

const PROVINCE = '000.00.00.H99';
const ANPHU = '000.01.31.H99';
const BINHMINH = '000.02.31.H99';
let h: Harness;
const auth: { [name: string]: string } = {};

beforeAll(async () => {
  h = await createHarness({ now: '2026-03-02T01:15:00.000Z' });
  await seedPeople(h, [
    ...ANPHU_STAFF,
    { username: 'qt-tinh', grants: [{ role: 'admin', unit: PROVINCE }] },
    { username: 'qt-anphu', grants: [{ role: 'admin', unit: ANPHU }] },
    { username: 'qt-binhminh', grants: [{ role: 'admin', unit: BINHMINH }] },
  ]);
  await ensureDemoPki(h.deps);
  for (const u of ['qt-tinh', 'qt-anphu', 'qt-binhminh']) auth[u] = await login(h, u);
});
afterAll(async () => { await h?.close(); });

const revoke = (who: string, serial: string) => h.http.post(`/api/esign/certificates/${serial}/revoke`).set('Authorization', auth[who]!).send({});
const serialOf = async (kind: 'unit' | 'officer', holder: string): Promise<string> => {
  const row = await latestKey(h.deps.db, kind, holder);
  if (!row) throw new Error(`no certificate for ${kind} ${holder}`);
  return row.serial;
};
const crlHas = async (serial: string): Promise<boolean> => (await revokedAtByCrl(h.deps, serial)) !== null;

describe('revoking certificates within the administrator\'s units', () => {
  it('should refuse an administrator of another commune with 403, revoking nothing', async () => {
    const seal = await serialOf('unit', ANPHU);
    const leader = await serialOf('officer', 'u-tuan');
    for (const serial of [seal, leader]) {
      const res = await revoke('qt-binhminh', serial);
      expect(res.status, JSON.stringify(res.body)).toBe(403);
      expect((res.body as { error: { message: { vi: string; en: string } } }).error.message.vi).toContain('ngoài phạm vi bạn quản trị');
      expect((await keyBySerial(h.deps.db, serial))?.revokedAt).toBeNull();
      expect(await crlHas(serial)).toBe(false);
    }
    // nor does the list show them what they do not administer
    const list = await h.http.get('/api/esign/certificates').set('Authorization', auth['qt-binhminh']!);
    expect(list.status).toBe(200);
    const units = (list.body as { unit: string | null; holderKind: string }[]).map((c) => c.unit);
    expect(units.length).toBeGreaterThan(0);
    expect(units.every((u) => u === BINHMINH)).toBe(true);
  });

  it('should refuse a commune administrator the province\'s seal and let them revoke their own officer', async () => {
    const provinceSeal = await serialOf('unit', PROVINCE);
    const refused = await revoke('qt-anphu', provinceSeal);
    expect(refused.status).toBe(403);
    expect(await crlHas(provinceSeal)).toBe(false);

    const leader = await serialOf('officer', 'u-tuan');
    const ok = await revoke('qt-anphu', leader);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(await crlHas(leader)).toBe(true);
  });

  it('should let the province administrator revoke within the province', async () => {
    const seal = await serialOf('unit', BINHMINH);
    const ok = await revoke('qt-tinh', seal);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(await crlHas(seal)).toBe(true);
    // the CA's own certificate is not revoked through this route
    const ca = await latestKey(h.deps.db, 'ca', 'ca');
    expect((await revoke('qt-tinh', ca!.serial)).status).toBe(422);
  });
});
