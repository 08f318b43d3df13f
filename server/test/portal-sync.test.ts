/**
 * The national portal sync against the portal simulator over real HTTP (127.0.0.1, allowed
 * by the operator's setting): records and progress entries, the status table, records the
 * portal refuses or that are not valid, a portal answering garbage, lost acknowledgements, an
 * outage driven by the manual clock, reconciliation, and the sync figures per unit.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { asc, eq, like, sql } from 'drizzle-orm';
import { createHarness, login, publishFixture, seedPeople, type Harness, ANPHU_STAFF } from './support/harness';
import { documents, outbox, payments, portalStatusTables, sharedDataLookups, webhookDeliveries } from '../src/db/schema';
import { DELIVERY_POLICY, deliverDue, fanOut } from '../src/outbox/dispatcher';
import { forgetSessions } from '../src/outbox/portal/adapter';
import { FIELD_NAMES, INBOUND_NAMES, inboundFromPortal, portalNames } from '../src/outbox/portal/names';
import { asPortalDate, reconcile } from '../src/outbox/portal/reconcile';
import { connectionsOf } from '../src/outbox/portal/repo';
import { INBOUND_SCHEMA, SYNC_RECORD_SCHEMA, PROGRESS_SCHEMA } from '../src/outbox/portal/schema';
import { PortalSimulator } from '../src/outbox/portal/simulator';

const PROVINCE = '000.00.00.H99';
const ANPHU = '000.01.31.H99';
const SECOND = 1000;
const MINUTE = 60 * SECOND;

let h: Harness;
let sim: PortalSimulator;
let connection: string;
const auth: { [name: string]: string } = {};

beforeAll(async () => {
  h = await createHarness({ now: '2026-03-02T01:15:00.000Z', config: { webhookAllowHosts: ['127.0.0.1'] } });
  await seedPeople(h, [...ANPHU_STAFF, { username: 'root', name: 'Quản trị tỉnh', grants: [{ role: 'admin', unit: PROVINCE }] }]);
  await publishFixture(h, 'xac-nhan-tinh-trang-hon-nhan');
  for (const u of ['lan', 'hung', 'tuan', 'root']) auth[u] = await login(h, u);
  sim = new PortalSimulator();
  await sim.start();
  const res = await h.http.post('/api/portal/connections').set('Authorization', auth['root']!).send({
    province: PROVINCE, username: sim.username, password: sim.password, agencyCode: '000.00.00.H99', ...sim.endpoints(), batchSize: 20,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  connection = (res.body as { id: string }).id;
  expect((res.body as { inboundToken: string }).inboundToken).toMatch(/^pit_/);
});

beforeEach(() => {
  Object.assign(sim.faults, { delayMs: 0, mode: 'ok', loseAcks: 0, queryFormat: 'exact', accepts: 'typed' });
  sim.faults.refuseDossiers.clear();
});

afterAll(async () => {
  await sim.stop();
  await h.close();
});

type Reconciled = { differences: { dossierId: string; path: string; portal: unknown; motcua: unknown }[]; resent: number; error: string | null };

let n = 0;
async function receive(applicant: object = {}): Promise<string> {
  const res = await h.http.post('/api/dossiers').set('Authorization', auth['lan']!).send({
    procedureId: 'xac-nhan-tinh-trang-hon-nhan', channel: 'direct', receivingUnit: ANPHU, accept: true, papers: ['declaration', 'identity'],
    applicant: { id: '079196004040', name: `Kiều Thị Mỹ ${++n}`, phone: '0912345678', address: 'Thôn 3, xã An Phú', email: 'my@example.vn', ...applicant },
    data: { personName: 'Kiều Thị Mỹ', dateOfBirth: '1996-04-18', maritalStatus: 'never-married', purpose: 'marriage' },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return (res.body as { id: string }).id;
}

async function act(who: string, id: string, step: string, action: string, inputs: object = {}): Promise<void> {
  const res = await h.http.post(`/api/dossiers/${encodeURIComponent(id)}/actions`).set('Authorization', auth[who]!).send({ step, action, inputs });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

/** One round of the background loop, as the jobs run it. */
async function round(): Promise<void> {
  while ((await fanOut(h.deps)).events > 0) { /* all of it */ }
  for (;;) if ((await deliverDue(h.deps)).claimed < DELIVERY_POLICY.deliverBatch) break;
}

async function progressEvents(id: string): Promise<string[]> {
  return (await h.deps.db.select({ eventId: outbox.eventId }).from(outbox)
    .where(like(outbox.eventId, `${id}#%`)).orderBy(asc(outbox.id))).map((r) => r.eventId).filter((e) => /#\d+$/.test(e));
}

const deliveriesOf = (id: string) => h.deps.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.dossierId, id)).orderBy(asc(webhookDeliveries.outboxId));

describe('portal sync', () => {
  it('should send each event as a sync record and a progress entry, statuses 1, 2, 4, 9, 10 in order, dates in Viet Nam time', async () => {
    // given a dossier received and accepted at the desk at 08:15 Viet Nam time
    const id = await receive();
    // when it is handled to the end and the outbox runs
    await act('hung', id, 'verify', 'propose', { certificateNo: '41/2026/XNTTHN' });
    await act('tuan', id, 'sign', 'approve');
    await act('lan', id, 'return', 'returnResult');
    await round();
    // then the portal holds the dossier with every event counted once, in order
    const d = sim.dossiers.get(id)!;
    expect(d.events).toEqual(await progressEvents(id));
    expect(sim.outOfOrder).toEqual([]);
    expect(d.progress.map((p) => p.TrangThai)).toEqual([1, 2, 4, 9, 10]);
    const r = d.record;
    expect(r).toMatchObject({
      MaHoSo: id, MaTTHC: '1.004873.000.00.00.H99', KenhThucHien: 1, LoaiDoiTuong: 1, MaDoiTuong: '079196004040', SoDienThoai: '0912345678',
      Email: 'my@example.vn', DiaChi: 'Thôn 3, xã An Phú', TrangThaiHoSo: 10, NgayTiepNhan: '20260302081500', MaDonViXuLy: ANPHU, DonViXuLy: 'UBND xã An Phú',
    });
    // a definition without its field code (the shipped ones) sends the field's name as the code, as before
    expect(r).toMatchObject({ MaLinhVuc: 'Hộ tịch', TenLinhVuc: 'Hộ tịch' });
    expect(r.NgayHenTra).toMatch(/^\d{14}$/);
    expect(r.NgayTra).toBe('20260302081500');
    expect(r.TaiLieuNop.map((p) => p.TepDinhKemId)).toEqual(['declaration', 'identity']);
    expect(r.DanhSachGiayToKetQua).toHaveLength(1);
    expect(d.progress[1]).toMatchObject({ ThaoTac: expect.any(String), NguoiXuLy: 'Nguyễn Thị Lan', PhongBanXuLy: 'UBND xã An Phú' });
    // and the delivery log shows every event delivered
    expect((await deliveriesOf(id)).every((x) => x.status === 'delivered')).toBe(true);
  });

  it('should send the newer record\'s fields: a digitised paper, a reused paper, an online payment, a shared-data lookup, the submission date', async () => {
    // given a dossier with a paper digitised at intake, a paper reused from the citizen's store, a fee paid online and a population lookup
    // (written as the papers, payments and shared-data services record them: rows of their tables)
    const id = await receive();
    const doc = { dossierId: id, mime: 'application/pdf', size: 10, sha256: 'a'.repeat(64), storageKey: 'k', uploadedBy: 'lan', holderId: '079196004040' };
    await h.deps.db.insert(documents).values([
      { ...doc, id: `${id}-so-hoa`, name: 'Giấy khai sinh (bản số hoá)', kind: 'digitised', paperId: 'identity' },
      { ...doc, id: `${id}-tai-su-dung`, name: 'CCCD (tái sử dụng)', kind: 'digitised', paperId: 'identity', reusedFrom: 'doc-earlier' },
    ]);
    const at = '2026-03-02T01:20:00.000Z';
    await h.deps.db.insert(payments).values({
      id: `PAY-${id}`, dossierId: id, unit: ANPHU, provider: 'vnpay', amount: 0, currency: 'VND', fees: [], status: 'paid',
      returnUrl: 'http://127.0.0.1/', createdAt: at, expiresAt: at, settledAt: at,
    });
    await h.deps.db.insert(sharedDataLookups).values({
      id: `L-${id}`, source: 'population', personalId: '079196004040', unit: ANPHU, actorId: 'lan', actorName: 'Nguyễn Thị Lan', at,
      consent: { method: 'verbal' }, purpose: 'intake', record: {}, dossierId: id,
    });
    // when its next event goes to the portal
    await act('hung', id, 'verify', 'propose', { certificateNo: '42/2026/XNTTHN' });
    await round();
    // then the record carries them (the schema, which the simulator validates with, accepts them)
    const r = sim.dossiers.get(id)!.record;
    expect(r).toMatchObject({
      NgayNopHoSo: '20260302081500', HoSoCoThanhPhanSoHoa: 1, TaiKhoanDuocXacThucVoiVNeID: 0, DuocThanhToanTrucTuyen: 1, DSKetNoiCSDL: [{ MaCSDL: 'population' }],
    });
    const papers = Object.fromEntries(r.TaiLieuNop.map((p) => [p.TepDinhKemId, [p.DuocSoHoa, p.DuocTaiSuDung]]));
    expect(papers).toEqual({ declaration: [0, 0], identity: [0, 0], [`${id}-so-hoa`]: [1, 0], [`${id}-tai-su-dung`]: [1, 1] });
    expect((await deliveriesOf(id)).every((x) => x.status === 'delivered')).toBe(true);
  });

  it('should send every value as a string to a portal that takes only strings once the connection says so, and reconcile it', async () => {
    // given a portal that takes only strings, as the public clients send them
    sim.faults.accepts = 'strings';
    const patch = (body: object) => h.http.patch(`/api/portal/connections/${connection}`).set('Authorization', auth['root']!).send(body);
    try {
      // when motcua sends typed values (the default)
      const id = await receive();
      await round();
      // then the portal refuses the records, the reason in the delivery log, nothing lost
      expect((await deliveriesOf(id))[0]).toMatchObject({ status: 'pending', lastStatus: 422 });
      expect((await deliveriesOf(id))[0]!.lastError).toContain('/KenhThucHien must be string');
      expect(sim.dossiers.has(id)).toBe(false);
      // and a format the adapter does not know is refused when saved
      expect((await patch({ valueFormat: 'text' })).status).toBe(422);
      // when the connection is set to strings
      const saved = await patch({ valueFormat: 'strings' });
      expect(saved.status, JSON.stringify(saved.body)).toBe(200);
      expect(saved.body).toMatchObject({ valueFormat: 'strings' });
      const invalid = sim.invalid.length;
      for (let t = 0; t < 10 && (await deliveriesOf(id)).some((x) => x.status !== 'delivered'); t++) {
        h.clock.advance(2 * MINUTE);
        await round();
      }
      // then the portal takes them, and holds what motcua sent
      expect(sim.invalid.length).toBe(invalid);
      expect(sim.dossiers.get(id)!.events).toEqual(await progressEvents(id));
      expect(sim.dossiers.get(id)!.record).toMatchObject({ KenhThucHien: 1, TrangThaiHoSo: 2, DanhSachLePhi: [{ Gia: 3000, DaThanhToan: false }] });
      // and reconciliation, reading the portal's all-string answer, finds no difference
      sim.faults.queryFormat = 'loose';
      const same = await h.http.post(`/api/portal/connections/${connection}/reconcile`).set('Authorization', auth['root']!);
      expect(same.body).toMatchObject({ error: null, differences: [], resent: 0 });
    } finally {
      expect((await patch({ valueFormat: 'typed' })).status).toBe(200);
    }
  });

  it('should carry a supplement round with the old and new appointment, and an apology with its new appointment', async () => {
    const id = await receive();
    await act('hung', id, 'verify', 'requestSupplement', { reason: 'Thiếu giấy tờ', documents: ['Bản sao trích lục ly hôn'] });
    h.clock.advance(2 * 60 * MINUTE);
    await act('lan', id, 'supplementWait', 'submitSupplement');
    await act('hung', id, 'verify', 'extend', { days: 2, reason: 'Chờ xác minh' });
    await round();
    const r = sim.dossiers.get(id)!.record;
    expect(sim.dossiers.get(id)!.progress.map((p) => p.TrangThai)).toEqual([1, 2, 5, 4, 4]);
    expect(r.DanhSachHoSoBoSung).toHaveLength(1);
    expect(r.DanhSachHoSoBoSung[0]).toMatchObject({ NoiDungBoSung: 'Thiếu giấy tờ', TrangThaiBoSung: 1, NgayHenTraTruoc: expect.stringMatching(/^\d{14}$/), NgayHenTraMoi: expect.stringMatching(/^\d{14}$/) });
    expect(r.DanhSachGiaHan).toEqual([expect.objectContaining({ Loai: 2, LyDo: 'Chờ xác minh' })]);
    expect(r.DanhSachGiaHan[0]!.NgayHenTraMoi > r.DanhSachGiaHan[0]!.NgayHenTraTruoc).toBe(true);
  });

  it('should refuse a status table with a state missing or a code outside 1–10 with pointers, and send the codes of a saved one', async () => {
    const bad = await h.http.put(`/api/portal/status-table/${PROVINCE}`).set('Authorization', auth['root']!)
      .send({ codes: { registered: 1, accepted: 11, nonsense: 3 } });
    expect(bad.status).toBe(422);
    const paths = (bad.body as { error: { issues: { path: string }[] } }).error.issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['/codes/accepted', '/codes/nonsense', '/codes/refused']));
    expect((await h.http.get(`/api/portal/status-table/${PROVINCE}`).set('Authorization', auth['root']!)).body).toMatchObject({ isDefault: true, codes: { accepted: 2 } });
    // a province that sends "handled" as 10 and "rejected" as 9
    const table = { registered: 1, accepted: 2, refused: 3, 'in-progress': 4, supplement: 5, payment: 6, withdrawn: 7, stopped: 8, handled: 10, returned: 10, rejected: 9 };
    const ok = await h.http.put(`/api/portal/status-table/${PROVINCE}`).set('Authorization', auth['root']!).send({ codes: table });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const id = await receive();
    await act('hung', id, 'verify', 'propose', { certificateNo: '42/2026/XNTTHN' });
    await act('tuan', id, 'sign', 'approve');
    await round();
    expect(sim.dossiers.get(id)!.record.TrangThaiHoSo).toBe(10);
    await h.deps.db.delete(portalStatusTables);
  });

  it('should keep a record that is not valid out of the portal, with the reason in the delivery log, and its later events behind it', async () => {
    // given a dossier whose applicant's phone is not a phone number: intake checks phones now,
    // so one recorded before it did
    const id = await receive();
    // is made so where the portal's record is read from: the dossier and the events it has queued
    const phone = sql`'0912345678', 'gọi giờ hành chính'`;
    await h.deps.db.execute(sql`update dossiers set snapshot = replace(snapshot::text, ${phone})::jsonb where id = ${id}`);
    await h.deps.db.execute(sql`update outbox set payload = replace(payload::text, ${phone})::jsonb where dossier_id = ${id}`);
    await act('hung', id, 'verify', 'propose', { certificateNo: '43/2026/XNTTHN' });
    await round();
    expect(sim.dossiers.has(id)).toBe(false);
    const log = await h.http.get(`/api/webhooks/${connection}/deliveries?status=pending`).set('Authorization', auth['root']!);
    const mine = (log.body as { items: { dossierId: string; lastError: string | null; lastStatus: number | null }[] }).items.filter((x) => x.dossierId === id);
    expect(mine.length).toBe(3);
    const head = mine.at(-1)!;
    expect(head.lastStatus).toBe(422);
    expect(head.lastError).toContain('/SoDienThoai');
    expect(mine.slice(0, -1).every((x) => x.lastError === null)).toBe(true);
  });

  it('should hold a refused record and what follows it, then deliver them in order once the portal takes it', async () => {
    const id = await receive();
    sim.faults.refuseDossiers.add(id);
    await round();
    await act('hung', id, 'verify', 'propose', { certificateNo: '44/2026/XNTTHN' });
    await round();
    const log = await deliveriesOf(id);
    expect(log[0]).toMatchObject({ status: 'pending', lastStatus: 422 });
    expect(log[0]!.lastError).toContain('từ chối');
    expect(sim.dossiers.has(id)).toBe(false);
    sim.faults.refuseDossiers.delete(id);
    for (let t = 0; t < 10 && (await deliveriesOf(id)).some((x) => x.status !== 'delivered'); t++) {
      h.clock.advance(2 * MINUTE);
      await round();
    }
    expect(sim.dossiers.get(id)!.events).toEqual(await progressEvents(id));
    expect(sim.outOfOrder).toEqual([]);
  });

  it('should treat a portal answering garbage as down: nothing lost, delivered when it answers again', async () => {
    await receive();
    await round(); // (one dossier the portal holds, for the reconciliation below to ask about)
    const id = await receive();
    sim.faults.mode = 'garbage';
    await round();
    const [first] = await deliveriesOf(id);
    expect(first).toMatchObject({ status: 'pending' });
    expect(first!.lastError).toContain('không đúng định dạng');
    // a reconciliation against the garbage answer: the error, nothing compared, nothing sent again
    const pending = (await h.deps.db.select({ id: webhookDeliveries.id }).from(webhookDeliveries).where(eq(webhookDeliveries.status, 'pending'))).length;
    const rec = await h.http.post(`/api/portal/connections/${connection}/reconcile`).set('Authorization', auth['root']!);
    expect(rec.status, JSON.stringify(rec.body)).toBe(200);
    expect(rec.body).toMatchObject({ checked: 0, differences: [], resent: 0, error: expect.stringContaining('không đúng định dạng') });
    expect((await h.deps.db.select({ id: webhookDeliveries.id }).from(webhookDeliveries).where(eq(webhookDeliveries.status, 'pending'))).length).toBe(pending);
    sim.faults.mode = 'ok';
    h.clock.advance(DELIVERY_POLICY.probeMs);
    await round();
    expect(sim.dossiers.get(id)!.events).toEqual(await progressEvents(id));
  });

  it('should deliver everything in order after a 10-minute outage with lost acknowledgements, each event counted once, caught up within a probe interval', async () => {
    // given the portal down for 10 minutes while the desk keeps working (the dispatcher runs every 30 s):
    // a dossier received every 30 s, and from minute 5 on an earlier one proposed at each tick
    forgetSessions();
    await sim.stop();
    const ids: string[] = [];
    let proposed = 0;
    for (let t = 0; t < 10 * MINUTE; t += 30 * SECOND) {
      ids.push(await receive());
      if (t >= 5 * MINUTE) await act('hung', ids[proposed]!, 'verify', 'propose', { certificateNo: `${60 + proposed++}/2026` });
      h.clock.advance(30 * SECOND);
      await round();
    }
    const all = (await Promise.all(ids.map(progressEvents))).flat();
    expect(all).toHaveLength(20 * 2 + 10);
    const down = (await deliveriesOf(ids[0]!))[0]!;
    expect(down.status).toBe('pending');
    expect(down.lastError).toMatch(/ECONNREFUSED|connect/);
    expect(sim.dossiers.has(ids[0]!)).toBe(false);
    // when it comes back and loses the first two acknowledgements
    await sim.start();
    const back = h.clock.now().getTime();
    const countedBefore = sim.counted.size;
    sim.faults.loseAcks = 2;
    let caughtUp: number | null = null;
    for (let t = 0; t < 60 && caughtUp === null; t++) {
      h.clock.advance(30 * SECOND);
      await round();
      if ((await Promise.all(ids.map(deliveriesOf))).flat().every((x) => x.status === 'delivered')) caughtUp = h.clock.now().getTime() - back;
    }
    // then everything is delivered within a probe interval of the portal's return
    expect(caughtUp).not.toBeNull();
    expect(caughtUp!).toBeLessThanOrEqual(DELIVERY_POLICY.probeMs + MINUTE);
    // and every event of every dossier is held once, in order
    for (const id of ids) expect(sim.dossiers.get(id)!.events).toEqual(await progressEvents(id));
    expect(sim.counted.size - countedBefore).toBe(all.length);
    expect(sim.duplicates).toBeGreaterThan(0);
    expect(sim.outOfOrder).toEqual([]);
  });

  it('should find what the portal holds differently, comparing the whole record, and send it again', async () => {
    const id = await receive();
    await round();
    const other = await receive();
    await round();
    sim.tamper(id, { TrangThaiHoSo: 3 });
    // a field outside the status and dates: the whole record is compared
    sim.tamper(other, { SoDienThoai: '0900000000' });
    const res = await h.http.post(`/api/portal/connections/${connection}/reconcile`).set('Authorization', auth['root']!);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const body = res.body as Reconciled;
    expect(body.error).toBeNull();
    // (the dossier sent under the other province table differs too: motcua's table changed since)
    expect(body.differences).toContainEqual({ dossierId: id, path: '/TrangThaiHoSo', portal: 3, motcua: 2 });
    expect(body.differences).toContainEqual({ dossierId: other, path: '/SoDienThoai', portal: '0900000000', motcua: '0912345678' });
    expect(body.differences.filter((d) => d.dossierId === other)).toHaveLength(1);
    // each sent again from its latest event only (the portal's progress entries are the same)
    for (const x of [id, other]) expect((await deliveriesOf(x)).map((d) => d.status)).toEqual(['delivered', 'pending']);
    await round();
    expect(sim.dossiers.get(id)!.record.TrangThaiHoSo).toBe(2);
    expect(sim.dossiers.get(other)!.record.SoDienThoai).toBe('0912345678');
    const again = await h.http.post(`/api/portal/connections/${connection}/reconcile`).set('Authorization', auth['root']!);
    expect((again.body as { differences: unknown[] }).differences).toEqual([]);
  });

  it('should find a difference anywhere in the record — a paper\'s hash, a fee paid, an extension\'s new appointment, a lost progress entry — by JSON pointer, and send it again', async () => {
    // given a dossier, and another with an apology (extension) — both held by the portal as sent
    const a = await receive();
    const b = await receive();
    await act('hung', b, 'verify', 'extend', { days: 2, reason: 'Chờ xác minh' });
    await round();
    const before = { counted: sim.counted.size, sync: sim.calls.get('DongBoHoSoMC') ?? 0 };
    const lost = sim.dossiers.get(b)!.progress[1]!;
    // when the portal's copy changes outside the status and dates
    sim.tamper(a, (d) => {
      d.record.TaiLieuNop[0]!.MaBam = 'ab'.repeat(32);
      d.record.DanhSachLePhi[0]!.DaThanhToan = true;
    });
    const appointed = sim.dossiers.get(b)!.record.DanhSachGiaHan[0]!.NgayHenTraMoi;
    sim.tamper(b, (d) => {
      d.record.DanhSachGiaHan[0]!.NgayHenTraMoi = '20991231170000';
      d.progress.splice(1, 1);
    });
    const res = await h.http.post(`/api/portal/connections/${connection}/reconcile`).set('Authorization', auth['root']!);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const body = res.body as Reconciled;
    // then each difference is named by its pointer, nothing else of these dossiers differs
    expect(body.differences.filter((d) => d.dossierId === a)).toEqual([
      { dossierId: a, path: '/TaiLieuNop/0/MaBam', portal: 'ab'.repeat(32), motcua: '' },
      { dossierId: a, path: '/DanhSachLePhi/0/DaThanhToan', portal: true, motcua: false },
    ]);
    expect(body.differences.filter((d) => d.dossierId === b)).toEqual([
      { dossierId: b, path: '/DanhSachGiaHan/0/NgayHenTraMoi', portal: '20991231170000', motcua: appointed },
      { dossierId: b, path: '/QuaTrinhXuLy/1', portal: null, motcua: lost },
    ]);
    // and a's latest event, b's lost event and b's latest event are sent again, in order
    expect((await deliveriesOf(a)).map((d) => d.status)).toEqual(['delivered', 'pending']);
    expect((await deliveriesOf(b)).map((d) => d.status)).toEqual(['delivered', 'pending', 'pending']);
    await round();
    expect(sim.dossiers.get(a)!.record.TaiLieuNop[0]!.MaBam).toBe('');
    expect(sim.dossiers.get(a)!.record.DanhSachLePhi[0]!.DaThanhToan).toBe(false);
    expect(sim.dossiers.get(b)!.record.DanhSachGiaHan[0]!.NgayHenTraMoi).toBe(appointed);
    expect(sim.dossiers.get(b)!.progress.map((p) => p.MaSuKien).sort()).toEqual((await progressEvents(b)).sort());
    // counted once: the events sent again are duplicates to the portal
    expect(sim.counted.size).toBe(before.counted);
    expect(sim.outOfOrder).toEqual([]);
    expect((sim.calls.get('DongBoHoSoMC') ?? 0) - before.sync).toBeGreaterThan(0);
    const again = await h.http.post(`/api/portal/connections/${connection}/reconcile`).set('Authorization', auth['root']!);
    expect((again.body as Reconciled).differences).toEqual([]);
    expect((again.body as Reconciled).resent).toBe(0);
  });

  it('should read the portal\'s answer canonically — numbers as strings, dd/MM/yyyy dates, keys reordered, empties left out — and send nothing again when equal', async () => {
    expect(asPortalDate('02/03/2026 08:15:00')).toBe('20260302081500');
    expect(asPortalDate('2026-03-02T01:15:00.000Z')).toBe('20260302081500');
    expect(asPortalDate('2026-03-02T08:15:00+07:00')).toBe('20260302081500');
    expect(asPortalDate('mai')).toBeNull();
    const id = await receive();
    await round();
    sim.faults.queryFormat = 'loose';
    const sync = sim.calls.get('DongBoHoSoMC') ?? 0;
    const same = await h.http.post(`/api/portal/connections/${connection}/reconcile`).set('Authorization', auth['root']!);
    expect(same.status, JSON.stringify(same.body)).toBe(200);
    expect(same.body).toMatchObject({ error: null, differences: [], resent: 0 });
    expect((same.body as Reconciled & { checked: number }).checked).toBeGreaterThan(5);
    await round();
    expect(sim.calls.get('DongBoHoSoMC') ?? 0).toBe(sync);
    // while a real difference, written the portal's way, is still one (the fee as the string "5000")
    sim.tamper(id, (d) => { d.record.DanhSachLePhi[0]!.Gia = 5000; });
    const differs = await h.http.post(`/api/portal/connections/${connection}/reconcile`).set('Authorization', auth['root']!);
    expect((differs.body as Reconciled).differences).toEqual([{ dossierId: id, path: '/DanhSachLePhi/0/Gia', portal: 5000, motcua: 3000 }]);
    expect((differs.body as Reconciled).resent).toBe(1);
    await round();
  });

  it('should check every dossier over the rounds, slice after slice, when there are more than a round takes', async () => {
    const conn = (await connectionsOf(h.deps.db, [connection])).get(connection)!;
    const ids = [...new Set((await h.deps.db.select({ d: webhookDeliveries.dossierId }).from(webhookDeliveries)
      .where(eq(webhookDeliveries.subscriptionId, connection))).map((r) => r.d!))].sort();
    expect(ids.length).toBeGreaterThan(20);
    // the portal's copy of the last dossier (by id) changed: only a slice beyond the first holds it
    const last = ids.at(-1)!;
    sim.tamper(last, { TrichYeuHoSo: 'Sửa trên Cổng' });
    let seen = 0;
    const found: string[] = [];
    for (let round = 0; round <= Math.ceil(ids.length / 3); round++) {
      const r = await reconcile(h.deps, conn, { limit: 3 });
      expect(r.error).toBeNull();
      seen += r.checked + r.inFlight;
      found.push(...r.differences.map((d) => `${d.dossierId}${d.path}`));
      if (r.checked + r.inFlight < 3) break;
    }
    expect(seen).toBe(ids.length);
    expect(found).toEqual([`${last}/TrichYeuHoSo`]);
    await round();
    expect(sim.dossiers.get(last)!.record.TrichYeuHoSo).not.toBe('Sửa trên Cổng');
  });

  it('should keep every portal field name in one table: each key the mapper and the schemas use is there, and a name changed there is the one on the wire', async () => {
    const keys = new Set<string>();
    const collect = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(collect);
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) { keys.add(k); collect(x); }
    };
    for (const d of sim.dossiers.values()) collect([d.record, d.progress]);
    const schemaKeys = (schema: unknown): string[] => {
      const s = schema as { properties?: Record<string, unknown>; items?: unknown };
      return [...Object.keys(s.properties ?? {}), ...Object.values(s.properties ?? {}).flatMap(schemaKeys), ...(s.items ? schemaKeys(s.items) : [])];
    };
    for (const k of schemaKeys(SYNC_RECORD_SCHEMA)) keys.add(k);
    for (const k of schemaKeys(PROGRESS_SCHEMA)) keys.add(k);
    // the inbound dossier's top-level fields have their own table (its DuLieu is the dossier's data, not renamed)
    expect(Object.keys(INBOUND_SCHEMA.properties).filter((k) => !(k in INBOUND_NAMES))).toEqual([]);
    expect(inboundFromPortal({ MaHoSoQG: 'G1', DuLieu: { MaHoSoQG: 'x' } })).toEqual({ MaHoSoQG: 'G1', DuLieu: { MaHoSoQG: 'x' } });
    // (a dossier with papers, fees, a supplement round, an apology and a result was sent above)
    expect([...keys]).toEqual(expect.arrayContaining(['MaBam', 'DaThanhToan', 'HoSoBoSungId', 'NgayGiaHan', 'GiayToId', 'ThaoTac']));
    expect([...keys].filter((k) => !(k in FIELD_NAMES))).toEqual([]);
    // a province's integration test finds the hash is "MaHash" and the status "TrangThaiHS": one edit of the table
    const corrected = portalNames({ ...FIELD_NAMES, MaBam: 'MaHash', TrangThaiHoSo: 'TrangThaiHS' });
    const record = [...sim.dossiers.values()].find((d) => d.record.TaiLieuNop.length > 0)!.record;
    const wire = corrected.toPortal(record) as unknown as Record<string, unknown> & { TaiLieuNop: Record<string, unknown>[] };
    expect(wire['TrangThaiHS']).toBe(record.TrangThaiHoSo);
    expect(wire).not.toHaveProperty('TrangThaiHoSo');
    expect(wire.TaiLieuNop[0]).toHaveProperty('MaHash', record.TaiLieuNop[0]!.MaBam);
    expect(corrected.fromPortal(wire)).toEqual(record);
  });

  it('should show the share of dossiers synced and the sync lag per unit', async () => {
    const res = await h.http.get('/api/portal/sync?since=2026-01-01T00:00:00.000Z').set('Authorization', auth['tuan']!);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const body = res.body as { connected: boolean; units: { unit: string; dossiers: number; synced: number; share: number; lagAvgS: number | null }[] };
    expect(body.connected).toBe(true);
    const anphu = body.units.find((u) => u.unit === ANPHU)!;
    expect(anphu.dossiers).toBeGreaterThan(5);
    expect(anphu.synced).toBeLessThan(anphu.dossiers); // the dossier with the invalid record
    expect(anphu.share).toBeCloseTo(anphu.synced / anphu.dossiers, 2);
    expect(anphu.lagAvgS).not.toBeNull();
  });

  // Last: it publishes a new version of the procedure the other tests use.
  it('should send the field code of the definition as MaLinhVuc, and warn where a definition has none', async () => {
    const admin = await login(h, 'root');
    const path = '/api/procedures/xac-nhan-tinh-trang-hon-nhan';
    // given the version in force, which has no field code: the analysis warns at /catalog/fieldCode, and publishing is not refused
    const draft = await h.http.post(`${path}/drafts`).set('Authorization', admin).send({});
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    const version = (draft.body as { version: number }).version;
    const def = (await h.http.get(`${path}/versions/${version}`).set('Authorization', admin)).body.definition as { catalog: { fieldCode?: string } };
    const checked = await h.http.post('/api/procedures/validate').set('Authorization', admin).send({ definition: def });
    expect(checked.body).toMatchObject({ ok: true, publishable: true });
    expect((checked.body as { analysis: { findings: { code: string; path: string; severity: string }[] } }).analysis.findings
      .filter((f) => f.code === 'AN_FIELD_WITHOUT_CODE')).toEqual([expect.objectContaining({ path: '/catalog/fieldCode', severity: 'info' })]);
    // when the province fills in the field code from the national catalog (a test value here) and publishes
    def.catalog.fieldCode = 'TEST-HT';
    expect((await h.http.put(`${path}/versions/${version}`).set('Authorization', admin).send({ definition: def })).status).toBe(200);
    const published = await h.http.post(`${path}/versions/${version}/publish`).set('Authorization', admin).send({});
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    expect((published.body as { findings: { code: string }[] }).findings.map((f) => f.code)).not.toContain('AN_FIELD_WITHOUT_CODE');
    // and a dossier of the new version is received and the outbox runs
    const id = await receive();
    await round();
    // then the portal gets the code as MaLinhVuc and the name as TenLinhVuc
    expect(sim.dossiers.get(id)!.record).toMatchObject({ MaLinhVuc: 'TEST-HT', TenLinhVuc: 'Hộ tịch' });
  });
});
