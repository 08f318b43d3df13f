/**
 * Online dossiers from the national portal: pushed to POST /api/portal/inbound or pulled from
 * the simulator's queue; received once by the portal's dossier id, waiting for acceptance at
 * the desk, their status going back to the portal through the sync.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createHarness, login, publishFixture, seedPeople, type Harness, ANPHU_STAFF } from './support/harness';
import { dossiers, onlineSubmissions, portalInbound, portalInboundRefusals, units } from '../src/db/schema';
import { DELIVERY_POLICY, deliverDue, fanOut } from '../src/outbox/dispatcher';
import { PortalSimulator } from '../src/outbox/portal/simulator';

const PROVINCE = '000.00.00.H99';
const ANPHU = '000.01.31.H99';

let h: Harness;
let sim: PortalSimulator;
let connection: string;
let token: string;
const auth: { [name: string]: string } = {};

beforeAll(async () => {
  h = await createHarness({ now: '2026-03-02T02:00:00.000Z', config: { webhookAllowHosts: ['127.0.0.1'] } });
  await seedPeople(h, [...ANPHU_STAFF, { username: 'root', name: 'Quản trị tỉnh', grants: [{ role: 'admin', unit: PROVINCE }] }]);
  await publishFixture(h, 'xac-nhan-tinh-trang-hon-nhan');
  for (const u of ['lan', 'root']) auth[u] = await login(h, u);
  sim = new PortalSimulator();
  await sim.start();
  const res = await h.http.post('/api/portal/connections').set('Authorization', auth['root']!).send({
    province: PROVINCE, username: sim.username, password: sim.password, agencyCode: '000.00.00.H99', ...sim.endpoints(),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  connection = (res.body as { id: string }).id;
  token = (res.body as { inboundToken: string }).inboundToken;
});

afterAll(async () => {
  await sim.stop();
  await h.close();
});

const online = (portalId: string, over: object = {}) => ({
  MaHoSoQG: portalId, MaTTHC: '1.004873.000.00.00.H99', MaDonVi: ANPHU, ChuHoSo: 'Trần Văn Bình', MaDoiTuong: '001090001234',
  SoDienThoai: '0987654321', Email: 'binh@example.vn', DiaChi: 'Thôn 1, xã An Phú', TrichYeuHoSo: 'Xin xác nhận tình trạng hôn nhân để kết hôn',
  NgayNopHoSo: '20260302085500', ThanhPhanHoSo: ['declaration', 'identity'],
  DuLieu: { personName: 'Trần Văn Bình', dateOfBirth: '1990-01-01', maritalStatus: 'never-married', purpose: 'marriage' },
  ...over,
});

const push = (body: unknown, t: string | null = token) => {
  const r = h.http.post('/api/portal/inbound').send(body as object);
  return t ? r.set('X-Portal-Token', t) : r;
};

async function round(): Promise<void> {
  while ((await fanOut(h.deps)).events > 0) { /* all of it */ }
  for (;;) if ((await deliverDue(h.deps)).claimed < DELIVERY_POLICY.deliverBatch) break;
}

type Problem = { error: { code: string; message: { vi: string; en: string }; issues?: { path: string }[] } };
const paths = (b: unknown) => ((b as Problem).error.issues ?? []).map((i) => i.path);

describe('inbound online dossiers', () => {
  it('should refuse a push without the portal token, and a dossier that is not valid, with pointers, storing nothing', async () => {
    expect((await push(online('QG-0001'), null)).status).toBe(401);
    expect((await push(online('QG-0001'), 'pit_wrong-token-0123456789abcdef')).status).toBe(401);
    const bad = await push({ ...online('QG-0001'), NgayNopHoSo: '2026-03-02', MaDoiTuong: 'abc', extra: 1 });
    expect(bad.status).toBe(422);
    expect(paths(bad.body)).toEqual(expect.arrayContaining(['/NgayNopHoSo', '/MaDoiTuong', '']));
    expect((bad.body as Problem).error.message.vi).toContain('Cổng DVCQG');
    const unknown = await push(online('QG-0001', { MaTTHC: '9.999999.000.00.00.H99', MaDonVi: '999.99.99.H99' }));
    expect(unknown.status).toBe(422);
    expect(paths(unknown.body)).toEqual(['/MaTTHC', '/MaDonVi']);
    // the online service's own checks, pointed into the portal's fields
    const { MaDoiTuong: _id, ...anonymous } = online('QG-0001');
    expect(paths((await push(anonymous)).body)).toEqual(['/MaDoiTuong']);
    const noPapers = await push(online('QG-0001', { ThanhPhanHoSo: ['identity', 'passport'] }));
    expect(noPapers.status).toBe(422);
    expect(paths(noPapers.body)).toEqual(expect.arrayContaining(['/ThanhPhanHoSo/1', '/ThanhPhanHoSo/declaration']));
    const badData = await push(online('QG-0001', { DuLieu: { personName: 'Trần Văn Bình', dateOfBirth: 'hôm qua', maritalStatus: 'never-married', purpose: 'marriage' } }));
    expect(badData.status).toBe(422);
    expect(paths(badData.body).every((p) => p.startsWith('/DuLieu/'))).toBe(true);
    expect(paths(badData.body).length).toBeGreaterThan(0);
    expect(await h.deps.db.select().from(portalInbound)).toHaveLength(0);
  });

  it('should receive an online dossier once, waiting for acceptance at the desk, and send its status back', async () => {
    // when the portal pushes a dossier, then pushes it again (its acknowledgement was lost)
    const first = await push(online('QG-0002'));
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const id = (first.body as { dossierId: string }).dossierId;
    const again = await push(online('QG-0002'));
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ portalId: 'QG-0002', dossierId: id, duplicate: true });
    expect(await h.deps.db.select().from(portalInbound).where(eq(portalInbound.portalId, 'QG-0002'))).toHaveLength(1);
    expect(await h.deps.db.select().from(dossiers).where(eq(dossiers.applicantName, 'Trần Văn Bình'))).toHaveLength(1);
    // landed by the online service, as a submission of source "portal" under the portal's id
    expect(await h.deps.db.select().from(onlineSubmissions).where(eq(onlineSubmissions.externalId, 'QG-0002'))).toEqual([
      expect.objectContaining({ source: 'portal', dossierId: id, personalId: '001090001234' }),
    ]);
    // then the desk sees it in its inbox as an online dossier at the intake step
    const view = await h.http.get(`/api/dossiers/${encodeURIComponent(id)}`).set('Authorization', auth['lan']!);
    expect(view.status, JSON.stringify(view.body)).toBe(200);
    const body = view.body as { channel: string; actions: { step: string; action: string }[] };
    expect(body.channel).toBe('online');
    expect(body.actions.map((a) => a.action)).toContain('accept');
    // and the portal hears it as newly registered (1), linked to its own id, then accepted (2)
    await round();
    expect(sim.dossiers.get(id)!.record).toMatchObject({ MaHoSoQG: 'QG-0002', TrangThaiHoSo: 1, KenhThucHien: 2, TrichYeuHoSo: 'Xin xác nhận tình trạng hôn nhân để kết hôn' });
    const accepted = await h.http.post(`/api/dossiers/${encodeURIComponent(id)}/actions`).set('Authorization', auth['lan']!).send({ step: 'intake', action: 'accept', inputs: {} });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    await round();
    expect(sim.dossiers.get(id)!.record.TrangThaiHoSo).toBe(2);
  });

  it('should pull the dossiers waiting on the portal, receiving each once and naming the ones it refuses', async () => {
    sim.online.push(online('QG-0003'), online('QG-0002'), online('QG-0004', { MaTTHC: '9.999999' }));
    const res = await h.http.post(`/api/portal/connections/${connection}/pull`).set('Authorization', auth['root']!);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ received: 1, duplicates: 1, refused: [expect.objectContaining({ portalId: 'QG-0004', status: 422 })], error: null });
    const list = await h.http.get('/api/portal/inbound').set('Authorization', auth['root']!);
    const listed = list.body as { items: { portalId: string }[]; refused: { portalId: string; status: number; error: { code: string; issues: { path: string }[] } }[] };
    expect(listed.items.map((i) => i.portalId).sort()).toEqual(['QG-0002', 'QG-0003']);
    // the refused one is a visible entry of the inbound log, with its error and pointer
    expect(listed.refused).toEqual([expect.objectContaining({ portalId: 'QG-0004', status: 422, error: expect.objectContaining({ code: 'PORTAL_DOSSIER_INVALID' }) })]);
    expect(listed.refused[0]!.error.issues.map((i) => i.path)).toContain('/MaTTHC');
  });

  it('should take a portal answering garbage to a pull as an error, and an item that is not a dossier as a refusal, losing and doubling nothing', async () => {
    const before = (await h.deps.db.select().from(portalInbound)).length;
    sim.online.push(online('QG-0005'));
    sim.faults.mode = 'garbage';
    const down = await h.http.post(`/api/portal/connections/${connection}/pull`).set('Authorization', auth['root']!);
    expect(down.status, JSON.stringify(down.body)).toBe(200);
    expect(down.body).toMatchObject({ received: 0, duplicates: 0, refused: [], error: expect.stringContaining('không đúng định dạng') });
    expect(await h.deps.db.select().from(portalInbound)).toHaveLength(before);
    // the dossier stayed on the portal: the next pull receives it; an item that is not a dossier is refused, visibly
    sim.faults.mode = 'ok';
    sim.online.push('<html>rác</html>' as unknown as ReturnType<typeof online>);
    const res = await h.http.post(`/api/portal/connections/${connection}/pull`).set('Authorization', auth['root']!);
    expect(res.body).toMatchObject({ received: 1, duplicates: 0, error: null, refused: [expect.objectContaining({ status: 422 })] });
    expect(await h.deps.db.select().from(portalInbound)).toHaveLength(before + 1);
  });
});

describe('the connection\'s province', () => {
  const OTHER = '000.00.00.H98';
  const OTHER_COMMUNE = '000.01.31.H98';
  let other: string;
  let otherToken: string;

  beforeAll(async () => {
    // A second province with a commune of its own, connected to the portal by its own connection.
    await h.deps.db.insert(units).values([
      { code: OTHER, name: 'UBND tỉnh Khác', kind: 'province', oneStop: true },
      { code: OTHER_COMMUNE, name: 'UBND xã Khác', kind: 'commune', parent: OTHER, oneStop: true },
    ]);
    h.deps.directory.invalidateUnits();
    const res = await h.http.post('/api/portal/connections').set('Authorization', auth['root']!).send({
      province: OTHER, username: sim.username, password: sim.password, agencyCode: OTHER, ...sim.endpoints(),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    other = (res.body as { id: string }).id;
    otherToken = (res.body as { inboundToken: string }).inboundToken;
  });

  it('should refuse a push for a unit outside the connection\'s province, with a pointer in vi and en, storing nothing', async () => {
    const before = (await h.deps.db.select().from(dossiers)).length;
    const res = await push(online('QG-0101'), otherToken);
    expect(res.status).toBe(422);
    const err = (res.body as Problem).error;
    expect(err.code).toBe('PORTAL_UNIT_OUTSIDE_PROVINCE');
    expect(paths(res.body)).toEqual(['/MaDonVi']);
    const issue = (err.issues as { path: string; message: { vi: string; en: string } }[])[0]!;
    expect(issue.message.vi).toContain('không thuộc UBND tỉnh Khác');
    expect(issue.message.en).toContain('not within UBND tỉnh Khác');
    // nor does it learn of a dossier another province received: no duplicate answer
    const known = await push(online('QG-0002'), otherToken);
    expect(known.status).toBe(422);
    expect(JSON.stringify(known.body)).not.toContain('dossierId');
    expect(await h.deps.db.select().from(portalInbound).where(eq(portalInbound.portalId, 'QG-0101'))).toHaveLength(0);
    expect(await h.deps.db.select().from(dossiers)).toHaveLength(before);
  });

  it('should refuse a pulled dossier for a unit outside the province, as a visible entry of the inbound log, counted again when pulled again', async () => {
    const before = (await h.deps.db.select().from(dossiers)).length;
    for (let i = 0; i < 2; i++) {
      sim.online.push(online('QG-0102'));
      const res = await h.http.post(`/api/portal/connections/${other}/pull`).set('Authorization', auth['root']!);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ received: 0, duplicates: 0, refused: [expect.objectContaining({ portalId: 'QG-0102', status: 422 })] });
    }
    const list = await h.http.get('/api/portal/inbound').set('Authorization', auth['root']!);
    const entry = (list.body as { refused: { connection: string; portalId: string; unit: string; attempts: number; error: { code: string; message: { vi: string }; issues: { path: string }[] } }[] })
      .refused.find((r) => r.portalId === 'QG-0102');
    expect(entry).toMatchObject({ connection: other, unit: ANPHU, attempts: 2, error: { code: 'PORTAL_UNIT_OUTSIDE_PROVINCE', issues: [expect.objectContaining({ path: '/MaDonVi' })] } });
    expect(await h.deps.db.select().from(portalInboundRefusals).where(eq(portalInboundRefusals.portalId, 'QG-0102'))).toHaveLength(1);
    expect(await h.deps.db.select().from(portalInbound).where(eq(portalInbound.portalId, 'QG-0102'))).toHaveLength(0);
    expect(await h.deps.db.select().from(dossiers)).toHaveLength(before);
    // while its own province's connection receives the same dossier
    sim.online.push(online('QG-0102'));
    const own = await h.http.post(`/api/portal/connections/${connection}/pull`).set('Authorization', auth['root']!);
    expect(own.body).toMatchObject({ received: 1, refused: [] });
  });

  it('should not answer another province\'s dossier to a push naming a unit of its own province', async () => {
    // given QG-0002, received by the first province for An Phú
    const [known] = await h.deps.db.select().from(portalInbound).where(eq(portalInbound.portalId, 'QG-0002'));
    expect(known?.unit).toBe(ANPHU);
    // when the other province's connection pushes the same portal id for a commune of its own
    const res = await push(online('QG-0002', { MaDonVi: OTHER_COMMUNE }), otherToken);
    // then it is refused with a pointer, and learns nothing of the first province's dossier
    expect(res.status, JSON.stringify(res.body)).toBe(409);
    expect((res.body as Problem).error.code).toBe('PORTAL_ID_TAKEN');
    expect(paths(res.body)).toEqual(['/MaHoSoQG']);
    expect((res.body as Problem).error.message.vi).toBeTruthy();
    expect(JSON.stringify(res.body)).not.toContain(known!.dossierId);
    expect(JSON.stringify(res.body)).not.toContain('dossierId');
    // nor through a pull
    sim.online.push(online('QG-0002', { MaDonVi: OTHER_COMMUNE }));
    const pulled = await h.http.post(`/api/portal/connections/${other}/pull`).set('Authorization', auth['root']!);
    expect(pulled.body).toMatchObject({ received: 0, duplicates: 0, refused: [expect.objectContaining({ portalId: 'QG-0002', status: 409 })] });
    expect(JSON.stringify(pulled.body)).not.toContain(known!.dossierId);
  });

  it('should accept a dossier for a unit of its own province', async () => {
    const res = await push(online('QG-0103', { MaDonVi: OTHER_COMMUNE }), otherToken);
    // past the province check: refused only by what the other commune lacks (the procedure is published for H99 units)
    expect([201, 422]).toContain(res.status);
    expect((res.body as Partial<Problem>).error?.code).not.toBe('PORTAL_UNIT_OUTSIDE_PROVINCE');
  });

  it('should change a connection: a paused one refuses pushes, a rotated token replaces the old one, the password is never listed', async () => {
    const paused = await h.http.patch(`/api/portal/connections/${other}`).set('Authorization', auth['root']!).send({ active: false, batchSize: 20, password: 'another-password-1' });
    expect(paused.status, JSON.stringify(paused.body)).toBe(200);
    expect(paused.body).toMatchObject({ id: other, active: false, batchSize: 20 });
    expect(JSON.stringify(paused.body)).not.toContain('another-password-1');
    expect((await push(online('QG-0104', { MaDonVi: OTHER_COMMUNE }), otherToken)).status).toBe(403);
    const rotated = await h.http.patch(`/api/portal/connections/${other}`).set('Authorization', auth['root']!).send({ active: true, rotateInboundToken: true });
    expect(rotated.status).toBe(200);
    const fresh = (rotated.body as { inboundToken: string }).inboundToken;
    expect(fresh).toMatch(/^pit_/);
    expect((await push(online('QG-0104', { MaDonVi: OTHER_COMMUNE }), otherToken)).status).toBe(401);
    expect((await push(online('QG-0104', { MaDonVi: OTHER_COMMUNE }), fresh)).status).not.toBe(401);
    const bad = await h.http.patch(`/api/portal/connections/${other}`).set('Authorization', auth['root']!).send({ province: 'nowhere', tokenUrl: 'ftp://x' });
    expect(bad.status).toBe(422);
    const listed = await h.http.get('/api/portal/connections').set('Authorization', auth['root']!);
    expect(JSON.stringify(listed.body)).not.toContain('another-password-1');
    expect((await h.http.patch('/api/portal/connections/whk-none').set('Authorization', auth['root']!).send({ active: false })).status).toBe(404);
  });
});
