/**
 * Consolidated statistics (issue 13; docs/records.md): a commune's form II.06a combines
 * motcua's own figures with those of the other systems it works in, each source its own row
 * and counted in the total, imported from a file in the II.06a layout (XLSX or CSV, generated
 * here with motcua's own exporters) or posted as JSON; a bad file is refused with its row and
 * column; a second import of the same source, unit and period replaces the first only when asked.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, login, publishFixture, seedPeople, type Harness } from './support/harness';
import { reportToCsv, reportToXlsx } from '../src/stats/export';
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
afterAll(async () => h?.close());

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

  it('should let only the unit\'s administrators and leaders import its figures', async () => {
    const body = { unit: ANPHU, from: '2026-05-01', to: '2026-05-31', source: CITY_SOURCE, figures: { carriedOver: 0, online: 1, directPostal: 0, postal: 0, early: 1, onTime: 0, late: 0, withinDeadline: 0, overdue: 0, refused: 0, withdrawn: 0, apologies: 0 } };
    expect((await post('lan', body)).status).toBe(403);
    expect((await post('binh', body)).status).toBe(403);
  });
});
