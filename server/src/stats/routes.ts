import Type from 'typebox';
import type { Response } from 'express';
import type { Api } from '../http/api';
import type { Deps } from '../deps';
import { forbidden } from '../http/errors';
import { visibleUnits, type AuthUser } from '../auth/middleware';
import { buildReport } from './report';
import { buildBottlenecks, buildSummary } from './summary';
import { reportToCsv, reportToXlsx } from './export';
import { quarterStart, unitScope } from './query';
import type { StatisticsReport } from './report-types';

/** Administrators and leaders (their unit and below), desk officers and specialists (their own unit). */
const READERS = ['admin', 'leader', 'desk', 'specialist'];

const Unit = Type.String({ minLength: 1, maxLength: 50, description: 'Unit code' });
const Children = Type.Boolean({ default: false, description: 'Count the units below the unit too' });
const Day = (what: string) => Type.String({ format: 'date', description: `${what}, local date YYYY-MM-DD (inclusive)` });

export const ReportQuery = Type.Object({
  unit: Unit,
  children: Type.Optional(Children),
  from: Type.Optional(Day('First day; default: the first day of the current quarter')),
  to: Type.Optional(Day('Last day; default: today')),
  groupBy: Type.Optional(Type.Union([Type.Literal('field'), Type.Literal('procedure')], { default: 'field' })),
  procedureId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  field: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv'), Type.Literal('xlsx')], { default: 'json' })),
  lang: Type.Optional(Type.Union([Type.Literal('vi'), Type.Literal('en')], { default: 'vi', description: 'Language of the export\'s labels' })),
});

export const BottlenecksQuery = Type.Object({
  unit: Unit,
  children: Type.Optional(Children),
  from: Type.Optional(Day('First day; default: the first day of the current quarter')),
  to: Type.Optional(Day('Last day; default: today')),
  procedureId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
});

export const SummaryQuery = Type.Object({ unit: Unit, children: Type.Optional(Children) });

const Count = Type.Integer({ minimum: 0 });
const Rate = Type.Union([Type.Number(), Type.Null()]);
const Counts = {
  received: Type.Object({ total: Count, carriedOver: Type.Integer(), online: Count, direct: Count, postal: Count }),
  resolved: Type.Object({ total: Count, early: Count, onTime: Count, late: Count }),
  inProgress: Type.Object({ total: Type.Integer(), withinDeadline: Type.Integer(), overdue: Count }),
  refused: Count,
  withdrawn: Count,
  apologies: Count,
  onTimeRate: Rate,
  lateRate: Rate,
  satisfaction: Type.Object({ count: Count, average: Rate }),
};
const UnitRef = Type.Object({ code: Type.String(), name: Type.String(), includesChildren: Type.Boolean() });
const Period = Type.Object({ from: Type.String(), to: Type.String() });

const ReportResponse = Type.Object({
  unit: UnitRef,
  period: Period,
  groupBy: Type.Union([Type.Literal('field'), Type.Literal('procedure')]),
  rows: Type.Array(Type.Object({ key: Type.String(), label: Type.String(), ...Counts })),
  total: Type.Object(Counts),
  generatedAt: Type.String(),
});

const SummaryResponse = Type.Object({
  unit: UnitRef, asOf: Type.String(), today: Type.String(),
  open: Count, dueSoon: Count, overdue: Count, waitingCitizen: Count, awaitingIntake: Count,
  receivedToday: Count, resolvedToday: Count,
  month: Type.Object({ from: Type.String(), to: Type.String(), resolved: Count, onTimeRate: Rate }),
  satisfaction: Type.Object({ count: Count, average: Rate }),
});

const BottlenecksResponse = Type.Object({
  unit: UnitRef,
  period: Period,
  steps: Type.Array(Type.Object({
    procedureId: Type.String(), procedureCode: Type.Union([Type.String(), Type.Null()]), procedureName: Type.Union([Type.String(), Type.Null()]),
    step: Type.String(), stepName: Type.Union([Type.Object({ vi: Type.String(), en: Type.Optional(Type.String()) }), Type.Null()]),
    stepKind: Type.Union([Type.String({ description: 'Step kind; `wait-citizen` is time the citizen takes' }), Type.Null()]),
    count: Count, averageMinutes: Type.Number(), averageWorkingDays: Type.Number(), lateShare: Type.Number(),
  })),
});

/** 403 unless the user may read every unit of the requested scope (404 for an unknown unit). */
async function checkScope(deps: Deps, user: AuthUser, unit: string, includeChildren: boolean): Promise<void> {
  const { units } = await unitScope(deps, unit, includeChildren);
  const visible = await visibleUnits(deps, user);
  const outside = units.filter((u) => !visible.has(u));
  if (outside.length > 0) {
    throw forbidden({
      vi: `Bạn không được xem thống kê của đơn vị ${outside.slice(0, 3).join(', ')}${outside.length > 3 ? '…' : ''}`,
      en: `You may not read the statistics of unit ${outside.slice(0, 3).join(', ')}${outside.length > 3 ? '…' : ''}`,
    });
  }
}

/** The default period: the current quarter to date, in the unit's calendar. */
async function period(deps: Deps, unit: string, from?: string, to?: string): Promise<{ from: string; to: string }> {
  const today = (await deps.directory.calendar(unit)).localDate(deps.clock.now().getTime());
  return { from: from ?? quarterStart(to ?? today), to: to ?? today };
}

/** RFC 5987 `filename*` (UTF-8, percent-encoded) with a plain ASCII `filename` for old clients. */
export function contentDisposition(filename: string): string {
  const ascii = filename.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D')
    .replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

function reportFilename(report: StatisticsReport, ext: string): string {
  const name = report.unit.name.replace(/[\\/:*?"<>|]/g, '-');
  return `Báo cáo kết quả giải quyết TTHC - ${name} - ${report.period.from} đến ${report.period.to}.${ext}`;
}

async function sendReport(res: Response, report: StatisticsReport, format: 'csv' | 'xlsx', lang: 'vi' | 'en'): Promise<void> {
  res.setHeader('Content-Disposition', contentDisposition(reportFilename(report, format)));
  res.setHeader('Cache-Control', 'no-store');
  if (format === 'csv') {
    res.type('text/csv; charset=utf-8').send(reportToCsv(report, lang));
  } else {
    res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await reportToXlsx(report, lang));
  }
}

/** Routes of the stats module: the periodic report (JSON, CSV, XLSX), step bottlenecks, today's dashboard. */
export function statsRoutes(api: Api, deps: Deps): void {
  api.add({
    method: 'get', path: '/api/stats/report', tags: ['stats'], access: READERS, query: ReportQuery, response: ReportResponse,
    summary: 'Report "results of handling procedures" (form II.06a) of a unit (and its children) over a period, by field or procedure; JSON, CSV or XLSX',
    errors: { 400: 'Bad dates or period', 403: 'Outside your units', 404: 'Unknown unit' },
  }, async ({ query, user, res }) => {
    const includeChildren = query.children ?? false;
    await checkScope(deps, user!, query.unit, includeChildren);
    const { from, to } = await period(deps, query.unit, query.from, query.to);
    const report = await buildReport(deps, {
      unit: query.unit, includeChildren, from, to, groupBy: query.groupBy ?? 'field',
      ...(query.procedureId ? { procedureId: query.procedureId } : {}),
      ...(query.field ? { field: query.field } : {}),
    });
    const format = query.format ?? 'json';
    if (format === 'json') return report;
    await sendReport(res, report, format, query.lang ?? 'vi');
    return undefined;
  });

  api.add({
    method: 'get', path: '/api/stats/bottlenecks', tags: ['stats'], access: READERS, query: BottlenecksQuery, response: BottlenecksResponse,
    summary: 'Working time per procedure step over a period, worst first (to find bottlenecks)',
    errors: { 400: 'Bad dates or period', 403: 'Outside your units', 404: 'Unknown unit' },
  }, async ({ query, user }) => {
    const includeChildren = query.children ?? false;
    await checkScope(deps, user!, query.unit, includeChildren);
    const { from, to } = await period(deps, query.unit, query.from, query.to);
    return buildBottlenecks(deps, { unit: query.unit, includeChildren, from, to, ...(query.procedureId ? { procedureId: query.procedureId } : {}) });
  });

  api.add({
    method: 'get', path: '/api/stats/summary', tags: ['stats'], access: READERS, query: SummaryQuery, response: SummaryResponse,
    summary: 'Today\'s figures for a dashboard: open, due soon, overdue, received and resolved today, on-time rate this month, satisfaction',
    errors: { 403: 'Outside your units', 404: 'Unknown unit' },
  }, async ({ query, user }) => {
    const includeChildren = query.children ?? false;
    await checkScope(deps, user!, query.unit, includeChildren);
    return buildSummary(deps, { unit: query.unit, includeChildren });
  });
}
