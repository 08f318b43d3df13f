/**
 * Consolidated statistics (issue 13; docs/records.md): a commune's form II.06a combines
 * motcua's own figures with those of the other systems it works in, each source its own row
 * and counted in the total, imported from a file in the II.06a layout (XLSX or CSV, generated
 * here with motcua's own exporters) or posted as JSON; a bad file is refused with its row and
 * column; a second import of the same source, unit and period replaces the first only when asked.
 */
import ExcelJS from 'exceljs';
import { crc32, deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, login, publishFixture, seedPeople, type Harness } from './support/harness';
import { reportToCsv, reportToXlsx } from '../src/stats/export';
import { IMPORT_LIMITS, stopSheetReader } from '../src/stats/imports';
import { toCounts, type ReportFigures } from '../src/stats/report';
import type { StatisticsReport } from '../src/stats/report-types';

const ANPHU = '000.01.31.H99';
const BINHMINH = '000.02.31.H99';
const PERIOD = { from: '2026-01-01', to: '2026-03-31' };
let h: Harness;
const auth: { [name: string]: string } = {};

/** A report of another system with the given figures in its total, one row per field. */
function foreign(rows: { label: string; f: Partial<ReportFigures> }[]): StatisticsReport {
  const zero: ReportFigures = { carriedOver: 0, online: 0, direct: 0, postal: 0, early: 0, onTime: 0, late: 0, inProgress: 0, overdue: 0, refused: 0, withdrawn: 0, apologies: 0, ratingCount: 0, ratingSum: 0 };
  const all = rows.map((r) => ({ ...zero, ...r.f }));
  const total = { ...zero };
  for (const a of all) for (const k of Object.keys(total) as (keyof ReportFigures)[]) total[k] += a[k];
  return {
    unit: { code: ANPHU, name: 'UBND xã An Phú', includesChildren: false }, period: PERIOD, groupBy: 'field',
    rows: rows.map((r, i) => ({ key: r.label, label: r.label, ...toCounts(all[i]!) })), total: toCounts(total), generatedAt: '2026-04-01T01:00:00.000Z',
  };
}

// "Trên Hệ thống tập trung của bộ: 611": received 611 = 11 carried over + 400 online + 200 in person or by post.
const MINISTRY = foreign([
  { label: 'Hộ tịch', f: { carriedOver: 11, online: 300, direct: 150, postal: 10, early: 200, onTime: 250, late: 5, inProgress: 16, overdue: 2, refused: 3 } },
  { label: 'Chứng thực', f: { online: 100, direct: 40, early: 100, onTime: 40 } },
]);
// "Hệ thống của thành phố: 2.919".
const CITY = foreign([{ label: 'Đất đai', f: { carriedOver: 19, online: 1900, direct: 1000, early: 1500, onTime: 1300, late: 100, inProgress: 19, overdue: 4 } }]);

const post = (who: string, body: object) => h.http.post('/api/stats/imports').set('Authorization', auth[who]!).send(body);
const base64 = (b: Buffer | string): string => Buffer.from(b).toString('base64');
const MINISTRY_SOURCE = { code: 'bo-tu-phap', name: 'Trên Hệ thống tập trung của bộ' };
const CITY_SOURCE = { code: 'thanh-pho', name: 'Hệ thống của thành phố' };

beforeAll(async () => {
  h = await createHarness({ now: '2026-04-02T02:00:00.000Z', config: { tokenTtlSeconds: 365 * 86_400 } });
  await seedPeople(h, [
    { username: 'lan', grants: [{ role: 'desk', unit: ANPHU }] },
    { username: 'chi', grants: [{ role: 'leader', unit: ANPHU, position: 'head', title: 'CHỦ TỊCH' }] },
    { username: 'binh', grants: [{ role: 'admin', unit: BINHMINH }] },
  ]);
  await publishFixture(h, 'xac-nhan-tinh-trang-hon-nhan');
  for (const u of ['lan', 'chi', 'binh']) auth[u] = await login(h, u);
});
afterAll(async () => { await stopSheetReader(); await h?.close(); });

/** A zip of the given entries, each deflated, as an XLSX is. */
function zip(entries: { name: string; data: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const packed = deflateRawSync(e.data, { level: 9 });
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(8, 8); local.writeUInt32LE(crc32(e.data), 14);
    local.writeUInt32LE(packed.length, 18); local.writeUInt32LE(e.data.length, 22); local.writeUInt16LE(name.length, 26);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0); entry.writeUInt16LE(20, 4); entry.writeUInt16LE(20, 6); entry.writeUInt16LE(8, 10); entry.writeUInt32LE(crc32(e.data), 16);
    entry.writeUInt32LE(packed.length, 20); entry.writeUInt32LE(e.data.length, 24); entry.writeUInt16LE(name.length, 28); entry.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    central.push(entry, name);
    offset += 30 + name.length + packed.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

describe('consolidated statistics: a commune\'s form II.06a counts the other systems\' figures, each its own row and in the total', () => {
  it('should import a ministry system\'s II.06a XLSX and a city system\'s II.06a CSV and show each as its own row, counted in the total (seed: 611 and 2.919)', async () => {
    const xlsx = await post('chi', { unit: ANPHU, ...PERIOD, source: MINISTRY_SOURCE, file: { name: 'bo.xlsx', content: base64(await reportToXlsx(MINISTRY)) } });
    expect(xlsx.status, JSON.stringify(xlsx.body)).toBe(201);
    expect(xlsx.body.figures).toMatchObject({ carriedOver: 11, online: 400, directPostal: 200, postal: 10, early: 300, onTime: 290, late: 5, withinDeadline: 14, overdue: 2, refused: 3 });
    expect(xlsx.body.origin).toMatchObject({ kind: 'file', name: 'bo.xlsx', rows: 2 });
    const csv = await post('chi', { unit: ANPHU, ...PERIOD, source: CITY_SOURCE, file: { name: 'tp.csv', content: base64(reportToCsv(CITY, 'en')) } });
    expect(csv.status, JSON.stringify(csv.body)).toBe(201);

    const report = await h.http.get(`/api/stats/report?unit=${ANPHU}&from=${PERIOD.from}&to=${PERIOD.to}`).set('Authorization', auth['chi']!);
    expect(report.status).toBe(200);
    const rows = report.body.rows as { key: string; label: string; received: { total: number } }[];
    expect(rows.filter((r) => r.key.startsWith('import:')).map((r) => [r.label, r.received.total])).toEqual([
      ['Trên Hệ thống tập trung của bộ', 611],
      ['Hệ thống của thành phố', 2919],
    ]);
    const own = rows.filter((r) => !r.key.startsWith('import:')).reduce((s, r) => s + r.received.total, 0);
    expect(report.body.total.received.total).toBe(own + 611 + 2919);
    expect(report.body.sources).toHaveLength(2);

    // and the submitted XLSX prints them as rows of the table, in the total
    const file = await h.http.get(`/api/stats/report?unit=${ANPHU}&from=${PERIOD.from}&to=${PERIOD.to}&format=xlsx`).set('Authorization', auth['chi']!)
      .buffer(true).parse((res, cb) => { const c: Buffer[] = []; res.on('data', (d: Buffer) => c.push(d)); res.on('end', () => cb(null, Buffer.concat(c))); });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.body as ArrayBuffer);
    const cells: string[] = [];
    book.worksheets[0]!.eachRow((r) => { cells.push(r.values && Array.isArray(r.values) ? r.values.map((v) => String(v ?? '')).join('|') : ''); });
    expect(cells.some((l) => l.includes('Trên Hệ thống tập trung của bộ|611'))).toBe(true);
    expect(cells.some((l) => l.includes(`Tổng cộng|${own + 611 + 2919}`))).toBe(true);
  });

  it('should never double an import: the same source, unit and period again is 409 IMPORT_EXISTS unless replace is true, which replaces it', async () => {
    const again = await post('chi', { unit: ANPHU, ...PERIOD, source: CITY_SOURCE, figures: { carriedOver: 0, online: 10, directPostal: 5, postal: 0, early: 15, onTime: 0, late: 0, withinDeadline: 0, overdue: 0, refused: 0, withdrawn: 0, apologies: 0 } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('IMPORT_EXISTS');
    expect(again.body.error.issues[0].path).toBe('/replace');
    const replaced = await post('chi', { unit: ANPHU, ...PERIOD, source: CITY_SOURCE, replace: true, figures: { carriedOver: 0, online: 10, directPostal: 5, postal: 0, early: 15, onTime: 0, late: 0, withinDeadline: 0, overdue: 0, refused: 0, withdrawn: 0, apologies: 0 } });
    expect(replaced.status, JSON.stringify(replaced.body)).toBe(201);
    expect(replaced.body).toMatchObject({ replaced: true, origin: { kind: 'api' } });
    const list = await h.http.get(`/api/stats/imports?unit=${ANPHU}`).set('Authorization', auth['chi']!);
    expect((list.body as { source: string }[]).filter((r) => r.source === 'thanh-pho')).toHaveLength(1);
    const report = await h.http.get(`/api/stats/report?unit=${ANPHU}&from=${PERIOD.from}&to=${PERIOD.to}`).set('Authorization', auth['chi']!);
    const city = (report.body.rows as { key: string; received: { total: number } }[]).filter((r) => r.key === 'import:thanh-pho');
    expect(city.map((r) => r.received.total)).toEqual([15]);
  });

  it('should refuse a bad file with the row and column of each fault, in Vietnamese and English, storing nothing', async () => {
    const lines = reportToCsv(CITY, 'vi').split('\r\n');
    // row 3 (the field's row), column D (carried over): not a number
    const cells = lines[2]!.split(',');
    cells[3] = 'mười chín';
    const bad = [lines[0], lines[1], cells.join(','), ...lines.slice(3)].join('\r\n');
    const res = await post('chi', { unit: ANPHU, from: '2026-04-01', to: '2026-04-30', source: CITY_SOURCE, file: { name: 'tp.csv', content: base64(bad) } });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('IMPORT_INVALID');
    expect(res.body.error.issues[0]).toMatchObject({ path: '/file/rows/3/D' });
    expect(res.body.error.issues[0].message.vi).toContain('Dòng 3, cột D');
    expect(res.body.error.issues[0].message.en).toContain('Row 3, column D');

    // a total that is not the sum of its parts: the total's cell is named
    const sums = reportToCsv(CITY, 'vi').split('\r\n');
    const total = sums[3]!.split(',');
    total[2] = '3000';
    const wrong = [...sums.slice(0, 3), total.join(','), ...sums.slice(4)].join('\r\n');
    const res2 = await post('chi', { unit: ANPHU, from: '2026-04-01', to: '2026-04-30', source: CITY_SOURCE, file: { name: 'tp.csv', content: base64(wrong) } });
    expect(res2.status).toBe(422);
    expect(res2.body.error.issues[0]).toMatchObject({ path: '/file/rows/4/C' });
    expect(res2.body.error.issues[0].message.en).toContain('3000 but its parts add up to 2919');

    // not the form at all
    const res3 = await post('chi', { unit: ANPHU, from: '2026-04-01', to: '2026-04-30', source: CITY_SOURCE, file: { name: 'tp.csv', content: base64('a,b,c\r\n1,2,3\r\n') } });
    expect(res3.status).toBe(422);
    expect(res3.body.error.issues[0].path).toBe('/file');
    const list = await h.http.get(`/api/stats/imports?unit=${ANPHU}`).set('Authorization', auth['chi']!);
    expect((list.body as { from: string }[]).filter((r) => r.from === '2026-04-01')).toHaveLength(0);
  });

  it('should refuse a file past the reader\'s limits, saying which, before reading it: rows, cells past the form\'s columns, its inflated size', async () => {
    const at = { unit: ANPHU, from: '2026-06-01', to: '2026-06-30', source: CITY_SOURCE };
    const xlsx = async (fill: (s: ExcelJS.Worksheet) => void): Promise<Buffer> => {
      const book = new ExcelJS.Workbook();
      fill(book.addWorksheet('II.06a'));
      return Buffer.from(await book.xlsx.writeBuffer());
    };
    // more rows than the cap: counted while parsing, nothing past it read
    const rows = await post('chi', { ...at, file: { name: 'so-lieu.xlsx', content: base64(await xlsx((s) => { for (let r = 1; r <= IMPORT_LIMITS.rows + 1; r++) s.getCell(r, 1).value = r; })) } });
    expect(rows.status, JSON.stringify(rows.body)).toBe(422);
    expect(rows.body.error.code).toBe('IMPORT_INVALID');
    expect(rows.body.error.issues[0].path).toBe('/file');
    expect(rows.body.error.issues[0].message.vi).toContain(`quá ${IMPORT_LIMITS.rows} dòng`);
    expect(rows.body.error.issues[0].message.en).toContain(`more than the ${IMPORT_LIMITS.rows} rows`);
    // one row far below the others
    const far = await post('chi', { ...at, file: { name: 'so-lieu.xlsx', content: base64(await xlsx((s) => { s.getCell(1_000_000, 1).value = 1; })) } });
    expect(far.status).toBe(422);
    expect(far.body.error.issues[0].message.en).toContain('(row 1000000)');
    // values just past the form's last column (T) and far past it: each named by its cell
    const past = await post('chi', { ...at, file: { name: 'so-lieu.xlsx', content: base64(await xlsx((s) => { s.getCell('U2').value = 'ghi chú'; s.getCell('U3').value = 1; })) } });
    expect(past.status).toBe(422);
    expect(past.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['/file/rows/2/U', '/file/rows/3/U']);
    expect(past.body.error.issues[0].message.en).toContain('A to T');
    // a thousand cells at XFD: 50 named, all counted
    const many = await post('chi', { ...at, file: { name: 'so-lieu.xlsx', content: base64(await xlsx((s) => { for (let r = 1; r <= 1000; r++) s.getCell(`XFD${r}`).value = 1; })) } });
    expect(many.status).toBe(422);
    expect(many.body.error.issues).toHaveLength(50);
    expect(many.body.error.message.en).toContain('(1000 fault(s))');
    // a sheet inflating past the cap (21 MB from a ~21 KB file)
    const sheet = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${' '.repeat(IMPORT_LIMITS.inflated + 1024)}</sheetData></worksheet>`);
    const bomb = zip([{ name: '[Content_Types].xml', data: Buffer.from('<Types/>') }, { name: 'xl/worksheets/sheet1.xml', data: sheet }]);
    expect(bomb.length).toBeLessThan(100_000);
    const big = await post('chi', { ...at, file: { name: 'so-lieu.xlsx', content: base64(bomb) } });
    expect(big.status).toBe(422);
    expect(big.body.error.issues[0].path).toBe('/file');
    expect(big.body.error.issues[0].message.vi).toContain('khi giải nén lớn hơn 20 MB');
    expect(big.body.error.issues[0].message.en).toContain('inflates to more than the 20 MB allowed');
    // a CSV with a value past the form's columns
    const csv = reportToCsv(CITY, 'vi').split('\r\n');
    csv[2] += ',thừa';
    const wide = await post('chi', { ...at, file: { name: 'tp.csv', content: base64(csv.join('\r\n')) } });
    expect(wide.status).toBe(422);
    expect(wide.body.error.issues[0].path).toBe('/file/rows/3/U');
    const list = await h.http.get(`/api/stats/imports?unit=${ANPHU}`).set('Authorization', auth['chi']!);
    expect((list.body as { from: string }[]).filter((r) => r.from === '2026-06-01')).toHaveLength(0);
  });

  it('should let only the unit\'s administrators and leaders import its figures', async () => {
    const body = { unit: ANPHU, from: '2026-05-01', to: '2026-05-31', source: CITY_SOURCE, figures: { carriedOver: 0, online: 1, directPostal: 0, postal: 0, early: 1, onTime: 0, late: 0, withinDeadline: 0, overdue: 0, refused: 0, withdrawn: 0, apologies: 0 } };
    expect((await post('lan', body)).status).toBe(403);
    expect((await post('binh', body)).status).toBe(403);
  });
});
