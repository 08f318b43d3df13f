/**
 * Form 06 of Circular 01/2018/TT-VPCP, the tracking book (Sổ theo dõi hồ sơ) a one-stop desk
 * keeps per period: over HTTP against the real server, database and engine; the PDF decoded
 * with pdftotext, the XLSX read cell by cell.
 */
import { execFileSync } from 'node:child_process';
import type { Stream } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, login, publishFixture, seedPeople, type Harness } from './support/harness';
import { eq } from 'drizzle-orm';
import { BOOK_HEADERS } from '../src/slips/bookRender';
import { BOOK_MAX_ENTRIES } from '../src/slips/book';
import { dossiers } from '../src/db/schema';

const ANPHU = '000.01.31.H99';
const BINHMINH = '000.02.31.H99';
const HOUR = 3600_000;
let h: Harness;
const auth: { [name: string]: string } = {};
const ids: string[] = [];

const binary = (res: Stream, cb: (err: Error | null, body: Buffer) => void): void => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};
const signIn = async () => { for (const u of ['lan', 'hung', 'tuan', 'nam']) auth[u] = await login(h, u); };

async function receive(name: string, accept: boolean): Promise<string> {
  const res = await h.http.post('/api/dossiers').set('Authorization', auth['lan']!).send({
    procedureId: 'xac-nhan-tinh-trang-hon-nhan', channel: 'direct', receivingUnit: ANPHU,
    applicant: { id: '079196004040', name, phone: '0912345678', address: 'Ấp 3, xã An Phú' },
    data: { personName: name, dateOfBirth: '1996-04-18', maritalStatus: 'never-married', purpose: 'marriage' },
    accept,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return (res.body as { id: string }).id;
}
async function act(who: string, id: string, body: object): Promise<void> {
  const res = await h.http.post(`/api/dossiers/${encodeURIComponent(id)}/actions`).set('Authorization', auth[who]!).send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}
const book = (who: string, query: string) => h.http.get(`/api/slips/tracking-book?${query}`).set('Authorization', auth[who]!).buffer(true).parse(binary);

beforeAll(async () => {
  h = await createHarness({ now: '2026-03-02T01:15:00.000Z' }); // Monday 08:15 in Hà Nội
  await seedPeople(h, [
    { username: 'lan', name: 'Nguyễn Thị Lan', grants: [{ role: 'desk', unit: ANPHU }] },
    { username: 'hung', name: 'Lê Văn Hùng', grants: [{ role: 'specialist', unit: ANPHU }] },
    { username: 'tuan', name: 'Phạm Minh Tuấn', grants: [{ role: 'leader', unit: ANPHU, position: 'deputy', title: 'PHÓ CHỦ TỊCH' }] },
    { username: 'nam', name: 'Đỗ Văn Nam', grants: [{ role: 'desk', unit: BINHMINH }] },
  ]);
  await publishFixture(h, 'xac-nhan-tinh-trang-hon-nhan');
  await signIn();
  // 2 March: one accepted and carried to the end, one refused at the desk
  ids.push(await receive('Kiều Thị Mỹ', true));
  ids.push(await receive('Trần Văn Bảy', false));
  await act('lan', ids[1]!, { step: 'intake', action: 'refuse', inputs: { reason: 'Không cư trú tại xã An Phú' } });
  h.clock.advance(HOUR);
  await signIn();
  await act('hung', ids[0]!, { step: 'verify', action: 'propose', inputs: { certificateNo: '41/2026/XNTTHN' } });
  await act('tuan', ids[0]!, { step: 'sign', action: 'approve' });
  await act('lan', ids[0]!, { step: 'return', action: 'returnResult' });
  // 4 March: outside the period asked for below
  h.clock.advance(48 * HOUR);
  await signIn();
  ids.push(await receive('Lê Thị Ba', true));
});
afterAll(async () => { await h?.close(); });

describe('tracking book, form 06 (Circular 01/2018/TT-VPCP: a one-stop desk records every dossier it receives)', () => {
  it('should list each dossier the desk received in the period as a PDF row, from receipt to return', async () => {
    // when the desk prints its book for 2–3 March
    const res = await book('lan', `unit=${ANPHU}&from=2026-03-02&to=2026-03-03`);
    // then it is a PDF headed by the unit, titled as the form, with the two dossiers of the period and not the later one
    expect(res.status, (res.body as Buffer).toString('utf8').slice(0, 300)).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/pdf/);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: res.body as Buffer }).toString('utf8').replace(/\s+/g, ' ');
    expect(text).toContain('SỔ THEO DÕI HỒ SƠ');
    expect(text).toContain('ỦY BAN NHÂN DÂN');
    expect(text).toContain('Từ ngày 02/03/2026 đến ngày 03/03/2026');
    expect(text).toContain('Kiều Thị Mỹ');
    expect(text).toContain('Trần Văn Bảy');
    expect(text).toContain('Từ chối tiếp nhận');
    expect(text).not.toContain('Lê Thị Ba');
    expect(text).toContain('Tổng số: 2 hồ sơ');
    for (const header of ['Mã hồ sơ', 'Cơ quan chủ trì giải quyết', 'Ký nhận', 'Ghi chú']) expect(text).toContain(header);
  });

  it('should give the same book as XLSX, with the form\'s columns and one row per dossier', async () => {
    // when the book is asked for as XLSX
    const res = await book('lan', `unit=${ANPHU}&from=2026-03-02&to=2026-03-03&format=xlsx`);
    expect(res.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.body as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    const cell = (row: number, col: number): unknown => sheet.getRow(row).getCell(col).value;
    // then the title, the 14 headers in the form's order and the numbering row come first
    expect(cell(2, 1)).toBe('SỔ THEO DÕI HỒ SƠ');
    expect(cell(3, 1)).toBe('Từ ngày 02/03/2026 đến ngày 03/03/2026');
    expect(Array.from({ length: 14 }, (_, i) => cell(5, i + 1))).toEqual([...BOOK_HEADERS]);
    expect(cell(6, 14)).toBe('(14)');
    // and a row per dossier: the returned one with every date filled, the refused one noted
    expect([cell(7, 1), cell(7, 2), cell(7, 4), cell(7, 5), cell(7, 6), cell(7, 7)])
      .toEqual([1, ids[0], 1, 'Kiều Thị Mỹ', 'Ấp 3, xã An Phú; 0912345678', 'UBND xã An Phú']);
    expect(cell(7, 3)).toBe('Cấp Giấy xác nhận tình trạng hôn nhân');
    expect(cell(7, 8)).toBe('08g15, 02/03/2026');
    expect(cell(7, 9)).toBe('17g00, 05/03/2026');
    expect(cell(7, 10)).toBe('08g15, 02/03/2026');
    expect(cell(7, 11)).toBe('09g15, 02/03/2026');
    expect(cell(7, 12)).toBe('09g15, 02/03/2026');
    expect([cell(8, 1), cell(8, 2), cell(8, 5), cell(8, 10), cell(8, 12), cell(8, 14)]).toEqual([2, ids[1], 'Trần Văn Bảy', '', '', 'Từ chối tiếp nhận']);
    expect(cell(9, 2)).toBeNull();
  });

  it('should keep another unit\'s desk out (403) and refuse a period that ends before it starts (400)', async () => {
    expect((await book('nam', `unit=${ANPHU}&from=2026-03-02&to=2026-03-03`)).status).toBe(403);
    expect((await book('hung', `unit=${ANPHU}&from=2026-03-02&to=2026-03-03`)).status).toBe(403);
    expect((await book('lan', `unit=${ANPHU}&from=2026-03-03&to=2026-03-02`)).status).toBe(400);
    // year 0 passes the date format but PostgreSQL has no such day: a 400 at /from, not a 500
    const yearZero = await h.http.get(`/api/slips/tracking-book?unit=${ANPHU}&from=0000-01-01&to=2026-03-02`).set('Authorization', auth['lan']!);
    expect(yearZero.status, JSON.stringify(yearZero.body)).toBe(400);
    expect(yearZero.body.error).toMatchObject({ code: 'BAD_DATE', message: { vi: expect.stringContaining('1970'), en: expect.stringContaining('1970') } });
    expect(yearZero.body.error.issues[0].path).toBe('/from');
  });

  it('should refuse a book of more rows than it prints at once, before loading their histories, and name the period', { timeout: 120_000 }, async () => {
    // A desk officer asks for every dossier since 1970: each row costs about a millisecond of
    // the event loop to lay out (its history loaded first), so a busy desk's whole record
    // held every other request of the server for minutes. Given the desk's busy years…
    const [model] = await h.deps.db.select().from(dossiers).where(eq(dossiers.id, ids[2]!));
    const copies = Array.from({ length: BOOK_MAX_ENTRIES }, (_, i) => ({
      ...model!, id: `${model!.id}-${i}`, lookupToken: `k${i}`.padEnd(32, '0'), submittedAt: new Date(Date.parse('2025-01-01T02:00:00Z') + i * 3_600_000).toISOString(),
    }));
    for (let i = 0; i < copies.length; i += 500) await h.deps.db.insert(dossiers).values(copies.slice(i, i + 500));
    // …the whole of it is refused with a pointer to the period, in both formats
    for (const format of ['pdf', 'xlsx']) {
      const res = await h.http.get(`/api/slips/tracking-book?unit=${ANPHU}&from=1970-01-01&to=9999-12-31&format=${format}`).set('Authorization', auth['lan']!);
      expect(res.status, format).toBe(422);
      expect(res.body.error.code).toBe('BOOK_TOO_LARGE');
      expect(res.body.error.issues[0].path).toBe('/to');
      expect(res.body.error.message.vi).toMatch(/2000/);
    }
    // and a period within the limit still prints
    expect((await book('lan', `unit=${ANPHU}&from=2026-03-02&to=2026-03-03`)).status).toBe(200);
  });
});
