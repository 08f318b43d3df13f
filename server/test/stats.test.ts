import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, login, publishFixture, seedPeople, type Harness } from './support/harness';
import { sql } from 'drizzle-orm';
import { DAILY_COLUMNS, DAILY_COUNTERS } from '../src/stats/index';
import { rows } from '../src/stats/query';
import { buildReport, periodParts } from '../src/stats/report';
import { rebuildStatsDaily } from '../src/stats/rebuild';
import type { ReportCounts, StatisticsReport } from '../src/stats/report-types';

const PROVINCE = '000.00.00.H99';
const ANPHU = '000.01.31.H99';
const BINHMINH = '000.02.31.H99';
const PROC = 'xac-nhan-tinh-trang-hon-nhan';
const FIELD = 'Hộ tịch';
const APPLICANT = '079196004040';

let h: Harness;
const auth: { [name: string]: string } = {};

/** A local (UTC+7) time, e.g. "2026-03-02 09:00". */
const local = (t: string): string => new Date(`${t.replace(' ', 'T')}:00+07:00`).toISOString();
const at = (t: string): void => h.clock.set(local(t));

interface Dossier { id: string; version: number }
const desks: { [unit: string]: string } = { [ANPHU]: 'lan', [BINHMINH]: 'mai' };
const specialists: { [unit: string]: string } = { [ANPHU]: 'hung', [BINHMINH]: 'nam' };
const leaders: { [unit: string]: string } = { [ANPHU]: 'tuan', [BINHMINH]: 'hoa' };

async function receive(unit: string, channel: 'direct' | 'online' | 'postal', accept = true): Promise<Dossier> {
  const res = await h.http.post('/api/dossiers').set('Authorization', auth[desks[unit]!]!).send({
    procedureId: PROC, channel, receivingUnit: unit, accept,
    applicant: { id: APPLICANT, name: 'Kiều Thị Mỹ' },
    data: { personName: 'Kiều Thị Mỹ', dateOfBirth: '1996-04-18', maritalStatus: 'never-married', purpose: 'marriage' },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as Dossier;
}

async function act(who: string, d: Dossier, step: string, action: string, inputs: object = {}): Promise<void> {
  const res = await h.http.post(`/api/dossiers/${encodeURIComponent(d.id)}/actions`).set('Authorization', auth[who]!).send({ step, action, inputs });
  expect(res.status, `${who} ${step}.${action}: ${JSON.stringify(res.body)}`).toBe(200);
}

const unitOf = (d: Dossier): string => d.id.split('-')[0]!;
const propose = (d: Dossier) => act(specialists[unitOf(d)]!, d, 'verify', 'propose', { certificateNo: `${d.id}/XNTTHN` });
const approve = (d: Dossier) => act(leaders[unitOf(d)]!, d, 'sign', 'approve');
const giveBack = (d: Dossier) => act(desks[unitOf(d)]!, d, 'return', 'returnResult');

async function rate(d: Dossier, score: number): Promise<void> {
  const res = await h.http.post(`/api/public/dossiers/${encodeURIComponent(d.id)}/rating`).send({ score, applicantId: APPLICANT });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

const get = (who: string, path: string) => h.http.get(path).set('Authorization', auth[who]!);

async function report(who: string, query: string): Promise<StatisticsReport> {
  const res = await get(who, `/api/stats/report?${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as StatisticsReport;
}

/** The figures the scenario below must produce, with totals and rates derived as the form does. */
function expected(f: {
  carriedOver: number; online: number; direct: number; postal: number; early: number; onTime: number; late: number;
  within: number; overdue: number; refused: number; withdrawn: number; ratings: number; ratingSum: number; apologies?: number;
}): ReportCounts {
  const receivedTotal = f.carriedOver + f.online + f.direct + f.postal;
  const resolvedTotal = f.early + f.onTime + f.late;
  return {
    received: { total: receivedTotal, carriedOver: f.carriedOver, online: f.online, direct: f.direct, postal: f.postal },
    resolved: { total: resolvedTotal, early: f.early, onTime: f.onTime, late: f.late },
    inProgress: { total: f.within + f.overdue, withinDeadline: f.within, overdue: f.overdue },
    refused: f.refused,
    withdrawn: f.withdrawn,
    apologies: f.apologies ?? 0,
    onTimeRate: resolvedTotal ? (f.early + f.onTime) / resolvedTotal : null,
    lateRate: receivedTotal ? (f.overdue + f.late) / receivedTotal : null,
    satisfaction: { count: f.ratings, average: f.ratings ? f.ratingSum / f.ratings : null },
  };
}

const none = { carriedOver: 0, online: 0, direct: 0, postal: 0, early: 0, onTime: 0, late: 0, within: 0, overdue: 0, refused: 0, withdrawn: 0, ratings: 0, ratingSum: 0 };

// An Phú, March 2026: six received (D1, D2 online, D4 postal, D5, D6, D7), one refused at
// intake (D3, never received), D1 early and rated 5, D2 late, D4 withdrawn after
// acceptance (before its appointment: on time, as form II.06a counts every withdrawal),
// D7 on the appointment day (on time) and rated 4; D5 left open past its appointment, D6
// received on the last Monday and carried over.
const ANPHU_MARCH = expected({ ...none, online: 1, direct: 4, postal: 1, early: 1, onTime: 2, late: 1, within: 1, overdue: 1, refused: 1, withdrawn: 1, ratings: 2, ratingSum: 9 });
// An Phú, April 1–10 (today: Friday 10 April 10:00): D5 and D6 carried over; D8 (online)
// returned early, D6 on its appointment day; D9 waiting for a supplement (clock paused),
// D13 due this afternoon, D12 received this morning; D5 still overdue.
const ANPHU_APRIL = expected({ ...none, carriedOver: 2, online: 1, direct: 3, early: 1, onTime: 1, within: 3, overdue: 1 });
// Bình Minh: D10 received and returned early in March; D14 received on 2 March, due
// Thursday 5 March, withdrawn on 9 March — after its appointment, yet on time: the form
// counts a withdrawal as resolved on time; D11 received on 1 April, due Monday 6 April,
// still open: overdue.
const BINHMINH_MARCH = expected({ ...none, direct: 2, early: 1, onTime: 1, withdrawn: 1 });
const BINHMINH_APRIL = expected({ ...none, direct: 1, overdue: 1 });

beforeAll(async () => {
  h = await createHarness({ now: local('2026-03-02 08:00'), config: { tokenTtlSeconds: 365 * 86_400 } });
  await seedPeople(h, [
    { username: 'lan', grants: [{ role: 'desk', unit: ANPHU }] },
    { username: 'hung', grants: [{ role: 'specialist', unit: ANPHU }] },
    { username: 'tuan', name: 'Trần Văn Tuấn', grants: [{ role: 'leader', unit: ANPHU, position: 'deputy', title: 'PHÓ CHỦ TỊCH' }] },
    { username: 'mai', grants: [{ role: 'desk', unit: BINHMINH }] },
    { username: 'nam', grants: [{ role: 'specialist', unit: BINHMINH }] },
    { username: 'hoa', grants: [{ role: 'leader', unit: BINHMINH, position: 'head', title: 'CHỦ TỊCH' }] },
    { username: 'chi', grants: [{ role: 'leader', unit: PROVINCE, position: 'head', title: 'CHỦ TỊCH' }] },
    { username: 'root', grants: [{ role: 'admin', unit: PROVINCE }] },
    { username: 'dung', grants: [{ role: 'desk', unit: PROVINCE }] },
    { username: 'vy', grants: [{ role: 'designer', unit: PROVINCE }] },
  ]);
  await publishFixture(h, PROC);
  for (const u of ['lan', 'hung', 'tuan', 'mai', 'nam', 'hoa', 'chi', 'root', 'dung', 'vy']) auth[u] = await login(h, u);

  // March
  at('2026-03-02 09:00');
  const d1 = await receive(ANPHU, 'direct');
  const d2 = await receive(ANPHU, 'online');
  const d14 = await receive(BINHMINH, 'direct');
  at('2026-03-03 09:00');
  await propose(d1); // verify took a working day
  const d4 = await receive(ANPHU, 'postal');
  const d10 = await receive(BINHMINH, 'direct');
  at('2026-03-03 09:30');
  await approve(d1);
  at('2026-03-03 10:00');
  await giveBack(d1); // due Thu 5 March: early
  await rate(d1, 5);
  at('2026-03-04 09:00');
  const d3 = await receive(ANPHU, 'direct', false);
  await act('lan', d3, 'intake', 'refuse', { reason: 'Không thuộc thẩm quyền' });
  await act('lan', d4, '*', 'withdraw', { reason: 'Người nộp xin rút' });
  await propose(d10);
  at('2026-03-04 09:30');
  await approve(d10);
  at('2026-03-04 10:00');
  await giveBack(d10);
  at('2026-03-09 08:00');
  await propose(d2); // verify took four working days
  at('2026-03-09 08:30');
  await approve(d2);
  at('2026-03-09 09:00');
  await giveBack(d2); // due Thu 5 March: late
  await act('mai', d14, '*', 'withdraw', { reason: 'Người nộp xin rút' }); // due Thu 5 March: withdrawn late, counted on time
  const d7 = await receive(ANPHU, 'direct');
  at('2026-03-12 08:00');
  await propose(d7);
  at('2026-03-12 08:30');
  await approve(d7);
  at('2026-03-12 09:00');
  await giveBack(d7); // due Thu 12 March 17:00: on time
  await rate(d7, 4);
  at('2026-03-16 09:00');
  await receive(ANPHU, 'direct'); // D5: due Thu 19 March, never handled
  at('2026-03-30 09:00');
  const d6 = await receive(ANPHU, 'direct'); // due Thu 2 April

  // April
  at('2026-04-01 09:00');
  const d8 = await receive(ANPHU, 'online'); // due Mon 6 April
  await propose(d6);
  await receive(BINHMINH, 'direct'); // D11
  at('2026-04-02 09:00');
  await approve(d6);
  await propose(d8);
  at('2026-04-02 10:00');
  await giveBack(d6); // on its appointment day: on time
  at('2026-04-02 10:30');
  await approve(d8);
  at('2026-04-02 11:00');
  await giveBack(d8); // early
  at('2026-04-06 09:00');
  const d9 = await receive(ANPHU, 'direct');
  at('2026-04-07 09:00');
  await act('hung', d9, 'verify', 'requestSupplement', { reason: 'Thiếu bản sao trích lục', documents: ['Bản sao trích lục khai sinh'] });
  at('2026-04-07 10:00');
  await receive(ANPHU, 'direct'); // D13: due Fri 10 April 17:00
  at('2026-04-10 08:00');
  await receive(ANPHU, 'direct'); // D12
  at('2026-04-10 10:00');
});
afterAll(async () => h?.close());

const MARCH = 'from=2026-03-01&to=2026-03-31';

const hasPdftotext = (): boolean => {
  try { execFileSync('pdftotext', ['-v'], { stdio: 'ignore' }); return true; } catch { return false; }
};

// superagent's parser signature; the response is a Node stream.
function binary(res: NodeJS.ReadableStream, cb: (err: Error | null, body: unknown) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

async function xlsxSheet(who: string, query: string): Promise<ExcelJS.Worksheet> {
  const res = await get(who, `/api/stats/report?${query}`).buffer(true).parse(binary as unknown as Parameters<ReturnType<typeof get>['parse']>[0]);
  expect(res.status).toBe(200);
  const body = res.body as Buffer;
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer);
  const sheet = book.getWorksheet('II.06a');
  if (!sheet) throw new Error('sheet II.06a missing');
  return sheet;
}

/** Every cell that holds a value (merged cells by their master only), and the merged ranges. */
function sheetCells(sheet: ExcelJS.Worksheet): { cells: { [address: string]: unknown }; merges: string[] } {
  const cells: { [address: string]: unknown } = {};
  sheet.eachRow({ includeEmpty: false }, (row) => row.eachCell({ includeEmpty: false }, (cell) => {
    if (cell.isMerged && cell.master.address !== cell.address) return;
    // A rate is a fraction; 12 digits say the same as Excel shows without float noise.
    cells[cell.address] = typeof cell.value === 'number' ? Number(cell.value.toPrecision(12)) : cell.value;
  }));
  // exceljs keeps the merges on the model; the type does not say so.
  const model = sheet.model as unknown as { merges?: string[] };
  return { cells, merges: [...(model.merges ?? [])].sort() };
}
const APRIL = 'from=2026-04-01&to=2026-04-30';

describe('statistics report', () => {
  it('should count a past month exactly: received by channel, resolved by timeliness, refused at intake, withdrawn, the split at the end', async () => {
    const r = await report('lan', `unit=${ANPHU}&${MARCH}`);
    expect(r.unit).toEqual({ code: ANPHU, name: 'UBND xã An Phú', includesChildren: false });
    expect(r.period).toEqual({ from: '2026-03-01', to: '2026-03-31' });
    expect(r.rows).toEqual([{ key: FIELD, label: FIELD, ...ANPHU_MARCH }]);
    expect(r.total).toEqual(ANPHU_MARCH);
    expect(r.total.received.total).toBe(6);
    expect(r.total.inProgress).toEqual({ total: 2, withinDeadline: 1, overdue: 1 });
    expect(r.total.lateRate).toBeCloseTo(2 / 6);
  });

  it('should carry the open dossiers over into the next period and split the current one by now', async () => {
    const r = await report('lan', `unit=${ANPHU}&${APRIL}`);
    expect(r.total).toEqual(ANPHU_APRIL);
    expect(r.total.received.carriedOver).toBe(2);
    for (const c of [r.total, ...r.rows]) {
      expect(c.received.total).toBe(c.received.carriedOver + c.received.online + c.received.direct + c.received.postal);
      expect(c.inProgress.total).toBe(c.received.total - c.resolved.total);
    }
    // the whole quarter to date starts with nothing carried over and ends where April does
    const q = await report('lan', `unit=${ANPHU}&from=2026-01-01&to=2026-04-10`);
    expect(q.total.received).toEqual({ total: 10, carriedOver: 0, online: 2, direct: 7, postal: 1 });
    expect(q.total.inProgress).toEqual(ANPHU_APRIL.inProgress);
  });

  it('should give the same figures whether carried over comes from the dossiers in progress at the end or from the rollups before the period', async () => {
    for (const [from, to] of [['2026-03-01', '2026-03-31'], ['2026-04-01', '2026-04-30'], ['2026-03-10', '2026-04-03'], ['2026-04-11', '2026-05-31']]) {
      for (const includeChildren of [false, true]) {
        const options = { unit: includeChildren ? PROVINCE : ANPHU, includeChildren, from: from!, to: to!, groupBy: 'procedure' as const };
        const forward = await buildReport(h.deps, options);
        const backward = await buildReport(h.deps, { ...options, strategy: 'backward' });
        expect(forward.rows.length).toBeGreaterThan(0);
        expect(backward.rows, `${from}..${to}`).toEqual(forward.rows);
        expect(backward.total).toEqual(forward.total);
      }
    }
  });

  it('should sum the communes at the province with children, and group by procedure with code and name', async () => {
    const march = await report('chi', `unit=${PROVINCE}&children=true&${MARCH}`);
    expect(march.unit.includesChildren).toBe(true);
    const ward = await report('hoa', `unit=${BINHMINH}&${MARCH}`);
    expect(ward.total).toEqual(BINHMINH_MARCH);
    const sum = (a: ReportCounts, b: ReportCounts) => expected({
      carriedOver: a.received.carriedOver + b.received.carriedOver, online: a.received.online + b.received.online,
      direct: a.received.direct + b.received.direct, postal: a.received.postal + b.received.postal,
      early: a.resolved.early + b.resolved.early, onTime: a.resolved.onTime + b.resolved.onTime, late: a.resolved.late + b.resolved.late,
      within: a.inProgress.withinDeadline + b.inProgress.withinDeadline, overdue: a.inProgress.overdue + b.inProgress.overdue,
      refused: a.refused + b.refused, withdrawn: a.withdrawn + b.withdrawn,
      ratings: a.satisfaction.count + b.satisfaction.count, ratingSum: 9,
    });
    expect(march.total).toEqual(sum(ANPHU_MARCH, BINHMINH_MARCH));
    const april = await report('root', `unit=${PROVINCE}&children=true&${APRIL}&groupBy=procedure`);
    expect(april.groupBy).toBe('procedure');
    expect(april.rows).toHaveLength(1);
    expect(april.rows[0]).toMatchObject({ key: '1.004873', label: '1.004873 – Cấp Giấy xác nhận tình trạng hôn nhân' });
    expect(april.total).toEqual(sum(ANPHU_APRIL, BINHMINH_APRIL));
    // the province alone receives nothing itself
    expect((await report('chi', `unit=${PROVINCE}&${APRIL}`)).rows).toEqual([]);
    // filters
    expect((await report('lan', `unit=${ANPHU}&${MARCH}&field=${encodeURIComponent('Đất đai')}`)).total.received.total).toBe(0);
    expect((await report('lan', `unit=${ANPHU}&${MARCH}&procedureId=${PROC}`)).total).toEqual(ANPHU_MARCH);
  });

  it('should agree with rollups rebuilt from the dossier rows, daily and monthly', async () => {
    // What a report reads: each key's counters summed over its shards.
    const summed = (table: 'stats_daily' | 'stats_monthly', period: 'day' | 'month') => rows<Record<string, unknown>>(h.deps.db, sql.raw(`
      select unit, ${period}::text as period, procedure_id, min(field) as field,
        ${DAILY_COUNTERS.map((c) => `sum(${DAILY_COLUMNS[c]})::int as ${DAILY_COLUMNS[c]}`).join(', ')}
      from ${table} group by 1, 2, 3 order by 1, 2, 3`));
    const kept = await summed('stats_daily', 'day');
    const keptMonthly = await summed('stats_monthly', 'month');
    expect(keptMonthly.map((m) => m['period']).sort()).toEqual(['2026-03-01', '2026-03-01', '2026-04-01', '2026-04-01']);
    await rebuildStatsDaily(h.deps.db);
    expect(await summed('stats_daily', 'day')).toEqual(kept);
    expect(await summed('stats_monthly', 'month')).toEqual(keptMonthly);
    // a rebuild writes one row per key
    const [counted] = await rows<{ n: number; keys: number }>(h.deps.db, sql`select count(*)::int as n, count(distinct (unit, day, procedure_id))::int as keys from stats_daily`);
    expect(counted?.n).toBe(counted?.keys);
  });

  it('should read whole months from the monthly rollups and the days around them from the daily ones', () => {
    expect(periodParts('2026-01-01', '2026-03-31')).toEqual({ months: ['2026-01-01', '2026-03-01'], days: [] });
    expect(periodParts('2026-04-01', '2026-06-30')).toEqual({ months: ['2026-04-01', '2026-06-01'], days: [] });
    expect(periodParts('2026-01-01', '2026-04-10')).toEqual({ months: ['2026-01-01', '2026-03-01'], days: [['2026-04-01', '2026-04-10']] });
    expect(periodParts('2025-12-15', '2026-02-28')).toEqual({ months: ['2026-01-01', '2026-02-01'], days: [['2025-12-15', '2025-12-31']] });
    expect(periodParts('2024-02-10', '2024-04-29')).toEqual({ months: ['2024-03-01', '2024-03-01'], days: [['2024-02-10', '2024-02-29'], ['2024-04-01', '2024-04-29']] });
    expect(periodParts('2026-03-10', '2026-04-03')).toEqual({ months: null, days: [['2026-03-10', '2026-04-03']] });
    expect(periodParts('2026-03-01', '2026-03-30')).toEqual({ months: null, days: [['2026-03-01', '2026-03-30']] });
    expect(periodParts('2026-02-01', '2026-02-28')).toEqual({ months: ['2026-02-01', '2026-02-01'], days: [] });
    expect(periodParts('2026-05-15', '2026-05-15')).toEqual({ months: null, days: [['2026-05-15', '2026-05-15']] });
  });

  it('should keep a commune officer to their own commune and check the query', async () => {
    expect((await get('nam', `/api/stats/report?unit=${ANPHU}&${MARCH}`)).status).toBe(403);
    expect((await get('hoa', `/api/stats/report?unit=${ANPHU}&${MARCH}`)).status).toBe(403);
    expect((await get('lan', `/api/stats/report?unit=${PROVINCE}&children=true&${MARCH}`)).status).toBe(403);
    // a desk officer at the province sees the province's own figures, not the communes'
    expect((await get('dung', `/api/stats/report?unit=${PROVINCE}&${MARCH}`)).status).toBe(200);
    expect((await get('dung', `/api/stats/report?unit=${PROVINCE}&children=true&${MARCH}`)).status).toBe(403);
    expect((await get('vy', `/api/stats/report?unit=${PROVINCE}&${MARCH}`)).status).toBe(403);
    expect((await h.http.get(`/api/stats/report?unit=${ANPHU}&${MARCH}`)).status).toBe(401);
    expect((await get('nam', `/api/stats/summary?unit=${ANPHU}`)).status).toBe(403);
    expect((await get('nam', `/api/stats/bottlenecks?unit=${ANPHU}`)).status).toBe(403);

    const backwards = await get('lan', `/api/stats/report?unit=${ANPHU}&from=2026-04-01&to=2026-03-01`);
    expect(backwards.status).toBe(400);
    expect(backwards.body.error).toMatchObject({ code: 'BAD_PERIOD', message: { vi: expect.any(String), en: expect.stringContaining('after') } });
    const badDay = await get('lan', `/api/stats/report?unit=${ANPHU}&from=2026-02-30&to=2026-03-31`);
    expect(badDay.status).toBe(400);
    expect(badDay.body.error.issues[0].path).toBe('/from');
    expect((await get('lan', `/api/stats/report?unit=${ANPHU}&from=yesterday`)).status).toBe(400);
    // days the date format admits but no report can cover (year 0, which PostgreSQL refuses; the last day of 9999,
    // whose next month is no date): a 400 at the field in both languages on every period report, never a 500
    for (const route of ['report', 'desk', 'catalogue', 'bottlenecks', 'digitisation']) {
      for (const [query, field] of [['from=0000-01-01&to=2026-03-31', '/from'], ['from=2026-03-01&to=9999-12-31', '/to']] as const) {
        const odd = await get('lan', `/api/stats/${route}?unit=${ANPHU}&${query}`);
        expect(odd.status, `${route} ${query}: ${JSON.stringify(odd.body)}`).toBe(400);
        expect(odd.body.error).toMatchObject({ code: 'BAD_DATE', message: { vi: expect.stringContaining('1970'), en: expect.stringContaining('1970') } });
        expect(odd.body.error.issues[0].path).toBe(field);
      }
    }
    expect((await get('lan', `/api/stats/digitisation?unit=${ANPHU}&from=2026-04-01&to=2026-03-01`)).body.error?.code).toBe('BAD_PERIOD');
    expect((await get('lan', `/api/stats/report?unit=${ANPHU}&groupBy=commune`)).status).toBe(400);
    expect((await get('lan', `/api/stats/report?unit=${ANPHU}&format=docx`)).status).toBe(400);
    expect((await get('lan', `/api/stats/report?unit=${ANPHU}&signing=member`)).status).toBe(400);
    expect((await get('lan', '/api/stats/report')).status).toBe(400);
    expect((await get('root', '/api/stats/report?unit=NO.SUCH')).status).toBe(404);
    expect((await get('lan', `/api/stats/bottlenecks?unit=${ANPHU}&from=2026-05-01&to=2026-04-01`)).status).toBe(400);
    // documented from the same schemas
    const doc = (await h.http.get('/api/openapi.json')).body as { paths: { [p: string]: { get: { parameters: { name: string }[] } } } };
    expect(doc.paths['/api/stats/report']?.get.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(['unit', 'children', 'from', 'to', 'groupBy', 'format']));
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/stats/bottlenecks', '/api/stats/summary']));
  });

  it('should default to the current quarter to date', async () => {
    const r = await report('lan', `unit=${ANPHU}`);
    expect(r.period).toEqual({ from: '2026-04-01', to: '2026-04-10' });
    expect(r.total).toEqual(ANPHU_APRIL);
  });

  it('should download CSV and XLSX laid out like the form, with a Vietnamese file name', async () => {
    const csv = await get('lan', `/api/stats/report?unit=${ANPHU}&${MARCH}&format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const disposition = csv.headers['content-disposition'] as string;
    expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]+\.csv"; filename\*=UTF-8''/);
    const encoded = /filename\*=UTF-8''(.+)$/.exec(disposition)?.[1] ?? '';
    expect(decodeURIComponent(encoded)).toBe('Báo cáo kết quả giải quyết TTHC - UBND xã An Phú - 2026-03-01 đến 2026-03-31.csv');
    const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toBe(`1,${FIELD},6,0,1,5,4,1,2,1,2,1,1,1,1,75.0,2,4.50,1,0`);

    const xlsx = await get('lan', `/api/stats/report?unit=${ANPHU}&${MARCH}&format=xlsx&lang=en`)
      .buffer(true).parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(xlsx.headers['content-disposition']).toContain(".xlsx");
    const book = new ExcelJS.Workbook();
    const body = xlsx.body as Buffer;
    await book.xlsx.load(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer);
    expect(book.getWorksheet('II.06a')?.getCell('O1').value).toBe('Reporting unit: UBND xã An Phú');
  });

  it('should give the XLSX of form II.06a as submitted, cell by cell as the expected sheet (Circular 01/2018 form II.06a; Decree 30/2020 KT. signing)', async () => {
    // given An Phú's March, prepared by the desk officer and signed by the deputy chair for the People's Committee
    const query = `unit=${ANPHU}&${MARCH}&format=xlsx&preparer=${encodeURIComponent('Lê Thị Lan')}`;
    // when the deputy downloads it
    const sheet = await xlsxSheet('tuan', query);
    // then every cell holds what the expected sheet says, and no other cell holds anything
    const actual = sheetCells(sheet);
    const file = new URL('./fixtures/ii06a-an-phu-2026-03.expected.json', import.meta.url);
    // Regenerate on purpose only (UPDATE_EXPECTED=1), then read the diff like any other change.
    if (process.env['UPDATE_EXPECTED'] === '1') writeFileSync(file, JSON.stringify(actual, null, 1) + '\n');
    const expectedSheet = JSON.parse(readFileSync(file, 'utf8')) as typeof actual;
    expect(actual.merges).toEqual(expectedSheet.merges);
    for (const [address, value] of Object.entries(expectedSheet.cells)) expect(actual.cells[address], address).toEqual(value);
    expect(Object.keys(actual.cells).sort()).toEqual(Object.keys(expectedSheet.cells).sort());
    // the figures of the row and the signature block, spelled out so the expected sheet cannot drift unnoticed
    expect(['C10', 'E10', 'F10', 'G10', 'H10', 'I10', 'J10', 'K10', 'L10', 'M10'].map((a) => actual.cells[a]))
      .toEqual([6, 1, 5, 4, 1, 2, 1, 2, 1, 1]);
    expect(actual.cells['O2']).toBe('Đơn vị nhận báo cáo: UBND tỉnh Demo');
    expect(actual.cells['L13']).toBe('An Phú, ngày 10 tháng 4 năm 2026');
    expect(['L14', 'L15', 'L16'].map((a) => actual.cells[a])).toEqual(['TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH']);
    expect(actual.cells['L22']).toBe('Trần Văn Tuấn');
    expect(actual.cells['A22']).toBe('Lê Thị Lan');
  });

  it('should sign as the head for the People\'s Committee when the chair downloads, and print the PDF as the form', async () => {
    // given Bình Minh's March downloaded by its chair
    const json = await report('hoa', `unit=${BINHMINH}&${MARCH}`);
    // then the signature block is "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH" (Decree 30/2020), the report goes to the province
    expect(json.form).toMatchObject({
      reportingUnit: 'UBND phường Bình Minh', receivingUnit: 'UBND tỉnh Demo', place: 'Bình Minh', date: '2026-04-10',
      signature: { lines: ['TM. ỦY BAN NHÂN DÂN', 'CHỦ TỊCH'], signer: 'hoa' },
    });
    // and a deputy's block when asked for a deputy (KT.)
    const deputy = await report('hoa', `unit=${BINHMINH}&${MARCH}&signing=deputy&signer=${encodeURIComponent('Phạm Thu')}`);
    expect(deputy.form?.signature).toEqual({ lines: ['TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH'], signer: 'Phạm Thu' });
    const pdf = await get('hoa', `/api/stats/report?unit=${BINHMINH}&${MARCH}&format=pdf`).buffer(true).parse(binary as unknown as Parameters<ReturnType<typeof get>['parse']>[0]);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    if (!hasPdftotext()) return;
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf.body as Buffer }).toString('utf8').replace(/\s+/g, ' ');
    for (const part of ['TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH', 'Đơn vị báo cáo: UBND phường Bình Minh',
      'Đơn vị nhận báo cáo: UBND tỉnh Demo', 'Kỳ báo cáo: từ ngày 01/03/2026 đến ngày 31/03/2026', 'NGƯỜI LẬP BIỂU',
      'Bình Minh, ngày 10 tháng 4 năm 2026', 'TM. ỦY BAN NHÂN DÂN CHỦ TỊCH', 'hoa']) expect(text).toContain(part);
  });

  it('should give one row per commune at the province (groupBy=unit)', async () => {
    const march = await report('chi', `unit=${PROVINCE}&children=true&${MARCH}&groupBy=unit`);
    expect(march.rows.map((r) => [r.key, r.label])).toEqual([[ANPHU, 'UBND xã An Phú'], [BINHMINH, 'UBND phường Bình Minh']]);
    const { key: _a, label: _b, ...anphu } = march.rows[0]!;
    const { key: _c, label: _d, ...binhminh } = march.rows[1]!;
    expect(anphu).toEqual(ANPHU_MARCH);
    expect(binhminh).toEqual(BINHMINH_MARCH);
    expect(march.total.received.total).toBe(ANPHU_MARCH.received.total + BINHMINH_MARCH.received.total);
    // April: the open dossiers fall in their commune's row too
    const april = await report('chi', `unit=${PROVINCE}&children=true&${APRIL}&groupBy=unit`);
    expect(april.rows.find((r) => r.key === ANPHU)?.inProgress).toEqual(ANPHU_APRIL.inProgress);
  });

  it('should list the slow step first', async () => {
    const res = await get('tuan', `/api/stats/bottlenecks?unit=${ANPHU}&${MARCH}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const steps = res.body.steps as { step: string; stepName: { vi: string }; count: number; averageMinutes: number; lateShare: number; procedureCode: string }[];
    // verify has a budget of two working days: D2 and D7 overran it
    expect(steps[0]).toMatchObject({ step: 'verify', stepName: { vi: expect.any(String) }, procedureCode: '1.004873', lateShare: 0.5 });
    expect(steps.map((s) => s.step)).toEqual(expect.arrayContaining(['verify', 'sign', 'return']));
    for (let i = 1; i < steps.length; i++) expect(steps[i - 1]!.averageMinutes).toBeGreaterThanOrEqual(steps[i]!.averageMinutes);
    // working minutes in verify (7:30–11:30, 13:30–17:00): D1 and D4 (withdrawn) 450 each,
    // D2 360 + 4 × 450 + 30 = 2190, D7 360 + 2 × 450 + 30 = 1290
    expect(steps[0]).toMatchObject({ count: 4, averageMinutes: 1095, averageWorkingDays: 2.43 });
    expect(steps.find((s) => s.step === 'sign')).toMatchObject({ count: 3, averageMinutes: 30, lateShare: 0, stepKind: 'approval' });
    expect(steps[0]).toMatchObject({ stepKind: 'task' });
    // a procedure filter that matches nothing
    expect((await get('tuan', `/api/stats/bottlenecks?unit=${ANPHU}&${MARCH}&procedureId=khac`)).body.steps).toEqual([]);
  });

  it('should give today\'s figures for a dashboard', async () => {
    const res = await get('lan', `/api/stats/summary?unit=${ANPHU}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      today: '2026-04-10', open: 4, dueSoon: 1, overdue: 1, waitingCitizen: 1, awaitingIntake: 0,
      receivedToday: 1, resolvedToday: 0,
      month: { from: '2026-04-01', to: '2026-04-10', resolved: 2, onTimeRate: 1 },
      satisfaction: { count: 0, average: null },
    });
    const province = await get('chi', `/api/stats/summary?unit=${PROVINCE}&children=true`);
    expect(province.body).toMatchObject({ open: 5, overdue: 2, receivedToday: 1 });
    // back on 12 March, after D7 was returned and rated
    h.clock.set(local('2026-03-12 15:00'));
    try {
      const march = await get('lan', `/api/stats/summary?unit=${ANPHU}`);
      expect(march.body).toMatchObject({ today: '2026-03-12', resolvedToday: 1, month: { resolved: 4, onTimeRate: 0.75 }, satisfaction: { count: 2, average: 4.5 } });
    } finally {
      at('2026-04-10 10:00');
    }
  });
});
