import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, DEMO_UNITS, login, publishFixture, seedPeople, type Harness } from './support/harness';
import { statsDaily, statsMonthly, units } from '../src/db/schema';
import { buildReport } from '../src/stats/report';

const PROVINCE = '000.00.00.H99';
const ANPHU = '000.01.31.H99';
const BINHMINH = '000.02.31.H99';
const POLICE = '000.00.10.H99';
const POLICE_ANPHU = '000.11.31.H99';
const INSURANCE = '000.00.07.H99';
const PROC = 'xac-nhan-tinh-trang-hon-nhan';

let h: Harness;
const auth: { [name: string]: string } = {};
const local = (t: string): string => new Date(`${t.replace(' ', 'T')}:00+07:00`).toISOString();
const get = (who: string, path: string) => h.http.get(path).set('Authorization', auth[who]!);

async function receive(unit: string, competentUnit?: string): Promise<string> {
  const res = await h.http.post('/api/dossiers').set('Authorization', auth['lan']!).send({
    procedureId: PROC, channel: 'direct', receivingUnit: unit, accept: true, ...(competentUnit ? { competentUnit } : {}),
    applicant: { id: '079196004040', name: 'Kiều Thị Mỹ' },
    data: { personName: 'Kiều Thị Mỹ', dateOfBirth: '1996-04-18', maritalStatus: 'never-married', purpose: 'marriage' },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return (res.body as { id: string }).id;
}

beforeAll(async () => {
  h = await createHarness({ now: local('2026-03-02 08:00'), config: { tokenTtlSeconds: 365 * 86_400 } });
  // The vertical agencies the province holds: not below its People's Committee, yet in its totals.
  await h.deps.db.insert(units).values(DEMO_UNITS);
  await h.deps.db.insert(units).values([
    { code: POLICE, name: 'Công an tỉnh Demo', kind: 'police', province: PROVINCE, headTitle: 'GIÁM ĐỐC' },
    { code: POLICE_ANPHU, name: 'Công an xã An Phú', kind: 'police', parent: POLICE, headTitle: 'TRƯỞNG CÔNG AN XÃ' },
    { code: INSURANCE, name: 'Bảo hiểm xã hội tỉnh Demo', kind: 'social-insurance', province: PROVINCE, headTitle: 'GIÁM ĐỐC' },
  ]);
  h.deps.directory.invalidateUnits();
  await seedPeople(h, [
    { username: 'lan', grants: [{ role: 'desk', unit: ANPHU }] },
    { username: 'mai', grants: [{ role: 'desk', unit: BINHMINH }] },
    { username: 'chi', grants: [{ role: 'leader', unit: PROVINCE, position: 'head', title: 'CHỦ TỊCH' }] },
    { username: 'vy', grants: [{ role: 'designer', unit: PROVINCE }] },
    { username: 'root', grants: [{ role: 'admin', unit: PROVINCE }, { role: 'admin', unit: INSURANCE }] },
  ]);
  await publishFixture(h, PROC);
  await publishFixture(h, 'chung-thuc-ban-sao-tu-ban-chinh');
  for (const u of ['lan', 'mai', 'chi', 'vy', 'root']) auth[u] = await login(h, u);
  // Closed figures of the police and social insurance in February (received = resolved, nothing open).
  const row = (unit: string, procedureId: string, field: string, n: number) => ({
    unit, day: '2026-02-10', procedureId, field, receivedOnline: n, resolvedEarly: n,
  });
  const rows = [
    row(POLICE_ANPHU, 'dang-ky-thuong-tru', 'Đăng ký, quản lý cư trú', 7),
    row(INSURANCE, 'cap-the-bhyt-tre-em-duoi-6-tuoi', 'Thu - Sổ, thẻ', 4),
    row(ANPHU, PROC, 'Hộ tịch', 2),
  ];
  await h.deps.db.insert(statsDaily).values(rows);
  // A whole month is read from the monthly rollups, kept in step with the daily ones.
  await h.deps.db.insert(statsMonthly).values(rows.map(({ day: _day, ...r }) => ({ ...r, month: '2026-02-01' })));
  h.clock.set(local('2026-03-02 09:00'));
  await receive(ANPHU);
  await receive(ANPHU, BINHMINH); // non-geographic: An Phú's desk receives for Bình Minh
  await receive(ANPHU, BINHMINH);
  h.clock.set(local('2026-03-05 10:00'));
});
afterAll(async () => h?.close());

describe('province total with the units it holds', () => {
  it('should include the police and social insurance a province holds in its total, one row per unit (form II.06a by unit)', async () => {
    const report = await buildReport(h.deps, { unit: PROVINCE, includeChildren: true, from: '2026-02-01', to: '2026-02-28', groupBy: 'unit' });
    expect(report.rows.map((r) => [r.key, r.label, r.received.total])).toEqual([
      [INSURANCE, 'Bảo hiểm xã hội tỉnh Demo', 4],
      [ANPHU, 'UBND xã An Phú', 2],
      [POLICE_ANPHU, 'Công an xã An Phú', 7],
    ]);
    expect(report.total.received.total).toBe(13);
    expect(report.total.resolved.early).toBe(13);
    // a commune's own report does not
    const commune = await buildReport(h.deps, { unit: ANPHU, includeChildren: true, from: '2026-02-01', to: '2026-02-28', groupBy: 'field' });
    expect(commune.total.received.total).toBe(2);
  });

  it('should let the province\'s chair read that total over HTTP, with the province\'s form heading', async () => {
    const res = await get('chi', `/api/stats/report?unit=${PROVINCE}&children=true&from=2026-02-01&to=2026-02-28&groupBy=field`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.total.received.total).toBe(13);
    expect(res.body.rows.map((r: { key: string }) => r.key)).toEqual(expect.arrayContaining(['Đăng ký, quản lý cư trú', 'Thu - Sổ, thẻ', 'Hộ tịch']));
    // a province reports to the Government Office; its chair signs for the People's Committee
    expect(res.body.form).toMatchObject({
      receivingUnit: 'Văn phòng Chính phủ', place: 'Demo', signature: { lines: ['TM. ỦY BAN NHÂN DÂN', 'CHỦ TỊCH'], signer: 'chi' },
    });
  });
});

describe('units a province holds, set by an administrator', () => {
  it('should let an administrator say which province holds a vertical agency, and refuse a unit that is not a province', async () => {
    const february = () => buildReport(h.deps, { unit: PROVINCE, includeChildren: true, from: '2026-02-01', to: '2026-02-28', groupBy: 'unit' });
    // given the social insurance unit no longer held by the province
    const off = await h.http.patch(`/api/units/${INSURANCE}`).set('Authorization', auth['root']!).send({ province: null });
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    expect(off.body.province).toBeNull();
    try {
      // then the province's total leaves it out
      expect((await february()).total.received.total).toBe(9);
      // and a commune cannot hold it
      const bad = await h.http.patch(`/api/units/${INSURANCE}`).set('Authorization', auth['root']!).send({ province: ANPHU });
      expect(bad.status).toBe(422);
      expect(bad.body.error.issues[0].path).toBe('/province');
    } finally {
      const on = await h.http.patch(`/api/units/${INSURANCE}`).set('Authorization', auth['root']!).send({ province: PROVINCE });
      expect(on.body.province).toBe(PROVINCE);
    }
    expect((await february()).total.received.total).toBe(13);
  });
});

describe('received at this desk', () => {
  it('should show what a one-stop desk received for another unit (non-geographic) beside the competent unit\'s report', async () => {
    const res = await get('lan', `/api/stats/desk?unit=${ANPHU}&from=2026-03-01&to=2026-03-31`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const rows = res.body.rows as { competentUnit: { code: string }; procedure: { code: string }; received: { total: number }; forwarded: number; open: number }[];
    expect(rows.map((r) => [r.competentUnit.code, r.procedure.code, r.received.total, r.forwarded, r.open])).toEqual([
      [ANPHU, '1.004873', 1, 0, 1],
      [BINHMINH, '1.004873', 2, 2, 2],
    ]);
    expect(res.body.total).toMatchObject({ received: { total: 3, direct: 3 }, forwarded: 2, closed: 0, open: 3, overdue: 0 });
    // the competent unit's form II.06a counts the two it decides; the receiving desk's counts only its own
    const competent = await buildReport(h.deps, { unit: BINHMINH, includeChildren: false, from: '2026-03-01', to: '2026-03-31', groupBy: 'field' });
    expect(competent.total.received.total).toBe(2);
    const desk = await buildReport(h.deps, { unit: ANPHU, includeChildren: false, from: '2026-03-01', to: '2026-03-31', groupBy: 'field' });
    expect(desk.total.received.total).toBe(1);
    // Bình Minh's desk received nothing itself
    expect((await get('mai', `/api/stats/desk?unit=${BINHMINH}&from=2026-03-01&to=2026-03-31`)).body.rows).toEqual([]);
    expect((await get('mai', `/api/stats/desk?unit=${ANPHU}&from=2026-03-01&to=2026-03-31`)).status).toBe(403);
  });
});

describe('catalogue report (section 4.1 of a commune\'s report)', () => {
  it('should count the procedures in force by online level, non-geographic and postal, with dossiers received, from the catalog', async () => {
    const res = await get('lan', `/api/stats/catalogue?unit=${ANPHU}&from=2026-03-01&to=2026-03-31`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    // 1.004873: full, postal, non-geographic; 2.000815: partial, not postal, non-geographic
    expect(res.body.totals).toEqual({
      published: 2, online: 2, full: 1, partial: 1, notOnline: 0, nonGeographic: 2, postal: 1,
      withDossiers: 1, received: 1, receivedOnline: 0,
    });
    expect(res.body.rows.map((r: { code: string; onlineLevel: string; received: number }) => [r.code, r.onlineLevel, r.received]))
      .toEqual([['2.000815', 'partial', 0], ['1.004873', 'full', 1]]);
  });

  it('should take non-geographic flags from the province\'s list once it is set (a catalog setting)', async () => {
    const put = await h.http.put('/api/settings/non-geographic').set('Authorization', auth['vy']!)
      .send({ codes: ['2.000815'], decision: 'Quyết định 1234/QĐ-UBND ngày 01/07/2025' });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    try {
      const res = await get('lan', `/api/stats/catalogue?unit=${ANPHU}&from=2026-03-01&to=2026-03-31`);
      expect(res.body.totals.nonGeographic).toBe(1);
      expect(res.body.rows.find((r: { code: string }) => r.code === '1.004873').nonGeographic).toBe(false);
      const pub = await h.http.get(`/api/public/procedures/${PROC}`);
      expect(pub.body.nonGeographic).toBe(false);
      // a desk officer may not change the list
      expect((await h.http.put('/api/settings/non-geographic').set('Authorization', auth['lan']!).send({ codes: [] })).status).toBe(403);
    } finally {
      await h.http.put('/api/settings/non-geographic').set('Authorization', auth['vy']!).send({ codes: null });
    }
    const back = await get('lan', `/api/stats/catalogue?unit=${ANPHU}&from=2026-03-01&to=2026-03-31`);
    expect(back.body.totals.nonGeographic).toBe(2);
  });
});

describe('the desk and catalogue reports as files a unit hands in (XLSX and PDF, laid out like form II.06a\'s heading)', () => {
  const file = (who: string, path: string) => get(who, path).buffer(true)
    .parse((res, cb) => { const c: Buffer[] = []; res.on('data', (d: Buffer) => c.push(d)); res.on('end', () => cb(null, Buffer.concat(c))); });
  const sheetText = async (body: Buffer): Promise<string[]> => {
    const { default: ExcelJS } = await import('exceljs');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(body as unknown as ArrayBuffer);
    const lines: string[] = [];
    book.worksheets[0]!.eachRow((r) => { lines.push((r.values as unknown[]).slice(1).map((v) => String(v ?? '')).join('|')); });
    return lines;
  };
  const pdfText = async (body: Buffer): Promise<string> => {
    const { execFileSync } = await import('node:child_process');
    return execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: body }).toString('utf8').replace(/\s+/g, ' ');
  };

  it('should export "received at this desk" as XLSX and PDF with the same rows and total as the JSON, headed by the committee with no superior body (Decree 30/2020)', async () => {
    const json = (await get('lan', `/api/stats/desk?unit=${ANPHU}&from=2026-03-01&to=2026-03-31`)).body as { total: { received: { total: number } } };
    const xlsx = await file('lan', `/api/stats/desk?unit=${ANPHU}&from=2026-03-01&to=2026-03-31&format=xlsx`);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const lines = await sheetText(xlsx.body as Buffer);
    // (merged cells read back once per column)
    expect(lines[0]!.split('|')[0]).toBe('UBND XÃ AN PHÚ');
    expect(lines.some((l) => l.startsWith('An Phú, ngày 05 tháng 3 năm 2026|'))).toBe(true);
    expect(lines.some((l) => l.startsWith('2|UBND phường Bình Minh|Cấp Giấy xác nhận tình trạng hôn nhân (1.004873)|2|')), lines.join('\n')).toBe(true);
    expect(lines.some((l) => l.startsWith(`|Tổng cộng||${json.total.received.total}|`))).toBe(true);
    const pdf = await file('lan', `/api/stats/desk?unit=${ANPHU}&from=2026-03-01&to=2026-03-31&format=pdf`);
    expect(pdf.headers['content-type']).toContain('application/pdf');
    const text = await pdfText(pdf.body as Buffer);
    expect(text).toContain('TÌNH HÌNH TIẾP NHẬN HỒ SƠ TẠI BỘ PHẬN MỘT CỬA');
    expect(text).toContain('Kỳ báo cáo: từ ngày 01/03/2026 đến ngày 31/03/2026');
    expect(text).toContain('UBND phường Bình Minh');
  });

  it('should export the catalogue report as XLSX and PDF with one row per procedure in force and the totals line from the catalog', async () => {
    const json = (await get('lan', `/api/stats/catalogue?unit=${ANPHU}&from=2026-03-01&to=2026-03-31`)).body as { totals: { published: number }; rows: { code: string }[] };
    const lines = await sheetText((await file('lan', `/api/stats/catalogue?unit=${ANPHU}&from=2026-03-01&to=2026-03-31&format=xlsx`)).body as Buffer);
    for (const r of json.rows) expect(lines.some((l) => l.includes(`|${r.code}|`))).toBe(true);
    expect(lines.some((l) => l.startsWith(`|Tổng cộng|${json.totals.published} thủ tục|`))).toBe(true);
    const text = await pdfText((await file('lan', `/api/stats/catalogue?unit=${ANPHU}&from=2026-03-01&to=2026-03-31&format=pdf`)).body as Buffer);
    expect(text).toContain('TÌNH HÌNH CÔNG BỐ, CUNG CẤP THỦ TỤC HÀNH CHÍNH');
    expect(text).toContain(`Tổng số thủ tục: ${json.totals.published}`);
  });
});
