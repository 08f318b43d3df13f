import Type from 'typebox';
import type { Response } from 'express';
import type { Api } from '../http/api';
import type { Deps } from '../deps';
import { forbidden } from '../http/errors';
import { contentDisposition } from '../http/download';
import { visibleUnits, type AuthUser } from '../auth/service';
import { buildReport } from './report';
import { buildBottlenecks, buildSummary } from './summary';
import { reportToCsv, reportToXlsx } from './export';
import { reportForm } from './form';
import { buildDeskReport } from './desk';
import { buildCatalogueReport } from './catalogue';
import { reportToPdf } from './pdf';
import { quarterStart, unitScope } from './query';
import type { StatisticsReport } from './report-types';
import { deleteImport, FIGURE_KEYS, importById, listImports, storeImport, withImports, type ImportRow } from './imports';
import { notFound } from '../http/errors';
import { catalogueTable, deskTable, tableToPdf, tableToXlsx, type PlainTable } from './tables';
import { isPeoplesCommittee, placeOf } from '../slips/index';
import { buildDigitisation } from './papers';

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
  groupBy: Type.Optional(Type.Union([Type.Literal('field'), Type.Literal('procedure'), Type.Literal('unit')], {
    default: 'field', description: '`unit`: one row per competent unit (each commune of a province, each agency)',
  })),
  procedureId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  field: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv'), Type.Literal('xlsx'), Type.Literal('pdf')], { default: 'json' })),
  receivingUnit: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: '"Đơn vị nhận báo cáo"; default: the unit above' })),
  preparer: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: '"Người lập biểu"' })),
  signing: Type.Optional(Type.Union([Type.Literal('head'), Type.Literal('deputy'), Type.Literal('acting-head')], {
    description: 'Who signs (TM./KT./Q.); default: the requesting leader\'s own position, else the head',
  })),
  signer: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Name under the head\'s signature' })),
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

export const PeriodQuery = Type.Object({
  unit: Unit,
  children: Type.Optional(Children),
  from: Type.Optional(Day('First day; default: the first day of the current quarter')),
  to: Type.Optional(Day('Last day; default: today')),
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('xlsx'), Type.Literal('pdf')], { default: 'json', description: 'JSON, or the table as XLSX or PDF' })),
});

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

const FormResponse = Type.Object({
  reportingUnit: Type.String(), receivingUnit: Type.String(), unitOfMeasure: Type.String(), place: Type.String(), date: Type.String(),
  preparer: Type.Union([Type.String(), Type.Null()]),
  signature: Type.Object({ lines: Type.Array(Type.String()), signer: Type.Union([Type.String(), Type.Null()]) }),
});

const ReportResponse = Type.Object({
  unit: UnitRef,
  period: Period,
  groupBy: Type.Union([Type.Literal('field'), Type.Literal('procedure'), Type.Literal('unit')]),
  rows: Type.Array(Type.Object({ key: Type.String(), label: Type.String(), ...Counts })),
  total: Type.Object(Counts),
  generatedAt: Type.String(),
  form: Type.Optional(FormResponse),
  sources: Type.Optional(Type.Array(Type.Object({ source: Type.String(), name: Type.String(), from: Type.String(), to: Type.String() }), {
    description: 'Figures of other systems counted in the report (one row each, key `import:<source>`)',
  })),
});

const Figures = Type.Object(Object.fromEntries(FIGURE_KEYS.map((k) => [k, Type.Integer({ minimum: 0, maximum: 10_000_000 })])) as { [k: string]: ReturnType<typeof Type.Integer> }, {
  additionalProperties: false,
  description: 'The columns of form II.06a: carriedOver, online, directPostal (in person and by post, as the form counts them), postal (of which by post), early, onTime, late, withinDeadline, overdue, refused, withdrawn, apologies',
});
const ImportBody = Type.Object({
  unit: Unit,
  from: Day('First day of the figures\' period'),
  to: Day('Last day of the figures\' period'),
  source: Type.Object({
    code: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,49}$', description: 'Short code of the other system, e.g. "bo-tu-phap"' }),
    name: Type.String({ minLength: 2, maxLength: 200, description: 'Name of its row on the report, e.g. "Trên Hệ thống tập trung của bộ"' }),
  }, { additionalProperties: false }),
  file: Type.Optional(Type.Object({
    name: Type.String({ minLength: 1, maxLength: 200, pattern: '\\.(xlsx|csv|XLSX|CSV)$', description: 'File name, .xlsx or .csv' }),
    content: Type.String({ minLength: 1, maxLength: 1_300_000, description: 'The file, base64 (the layout of form II.06a, as motcua exports it)' }),
  }, { additionalProperties: false })),
  figures: Type.Optional(Figures),
  replace: Type.Optional(Type.Boolean({ description: 'Replace the figures already stored for this source, unit and period (else 409 IMPORT_EXISTS)' })),
}, { additionalProperties: false });
const ImportResponse = Type.Object({
  id: Type.Integer(), source: Type.String(), sourceName: Type.String(), unit: Type.String(), from: Type.String(), to: Type.String(),
  figures: Type.Object(Object.fromEntries(FIGURE_KEYS.map((k) => [k, Type.Integer()])) as { [k: string]: ReturnType<typeof Type.Integer> }),
  origin: Type.Object({ kind: Type.String(), name: Type.Optional(Type.String()), sha256: Type.Optional(Type.String()), rows: Type.Optional(Type.Integer()) }),
  importedAt: Type.String(), importedBy: Type.String(), replaced: Type.Optional(Type.Boolean()),
});
const importView = (r: ImportRow, replaced?: boolean) => ({
  id: r.id, source: r.source, sourceName: r.sourceName, unit: r.unit, from: r.periodFrom, to: r.periodTo,
  figures: r.figures as { [k: string]: number }, origin: r.origin as { kind: string }, importedAt: r.importedAt, importedBy: r.importedBy,
  ...(replaced === undefined ? {} : { replaced }),
});
/** Who stores other systems' figures for a unit: its administrators and leaders (and those above). */
const IMPORTERS = ['admin', 'leader'];

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

const DeskResponse = Type.Object({
  unit: UnitRef,
  period: Period,
  rows: Type.Array(Type.Object({
    competentUnit: Type.Object({ code: Type.String(), name: Type.String() }),
    procedure: Type.Object({ id: Type.String(), code: Type.String(), name: Type.String() }),
    received: Type.Object({ total: Count, online: Count, direct: Count, postal: Count }),
    forwarded: Count, closed: Count, open: Count, overdue: Count,
  })),
  total: Type.Object({
    received: Type.Object({ total: Count, online: Count, direct: Count, postal: Count }),
    forwarded: Count, closed: Count, open: Count, overdue: Count,
  }),
  generatedAt: Type.String(),
});

const TextSchema = Type.Object({ vi: Type.String(), en: Type.Optional(Type.String()) });
const CatalogueResponse = Type.Object({
  unit: UnitRef,
  period: Period,
  totals: Type.Object({
    published: Count, online: Count, full: Count, partial: Count, notOnline: Count, nonGeographic: Count, postal: Count,
    withDossiers: Count, received: Count, receivedOnline: Count,
  }),
  rows: Type.Array(Type.Object({
    id: Type.String(), code: Type.String(), name: TextSchema, field: Type.String(),
    onlineLevel: Type.String({ description: 'none | partial | full (Decree 42/2022 Art. 11)' }),
    postal: Type.Boolean(), nonGeographic: Type.Boolean(), received: Count, receivedOnline: Count,
  })),
  generatedAt: Type.String(),
});

const DigitisationFigures = {
  received: Count, dossiersDigitised: Count, papersDigitised: Count, digitisedShare: Rate,
  results: Count, resultsElectronic: Count, electronicResultShare: Rate, dossiersReusing: Count, papersReused: Count, reuseShare: Rate, lookups: Count,
};
const DigitisationResponse = Type.Object({
  unit: UnitRef, period: Period,
  rows: Type.Array(Type.Object({ unit: Type.Object({ code: Type.String(), name: Type.String() }), ...DigitisationFigures })),
  total: Type.Object(DigitisationFigures),
});

/** 403 unless the user may read every unit of the requested scope (404 for an unknown unit). */
async function checkScope(deps: Deps, user: AuthUser, unit: string, includeChildren: boolean): Promise<void> {
  await unitScope(deps, unit, false);
  // The unit's own tree: the police and social insurance a province holds are part of its
  // total (a province's report), yet its leaders do not handle their dossiers.
  const units = includeChildren ? await deps.directory.subtree(unit) : [unit];
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

function reportFilename(report: StatisticsReport, ext: string): string {
  const name = report.unit.name.replace(/[\\/:*?"<>|]/g, '-');
  return `Báo cáo kết quả giải quyết TTHC - ${name} - ${report.period.from} đến ${report.period.to}.${ext}`;
}

async function sendReport(res: Response, report: StatisticsReport, format: 'csv' | 'xlsx' | 'pdf', lang: 'vi' | 'en'): Promise<void> {
  res.setHeader('Content-Disposition', contentDisposition('attachment', reportFilename(report, format)));
  res.setHeader('Cache-Control', 'no-store');
  if (format === 'csv') {
    res.type('text/csv; charset=utf-8').send(reportToCsv(report, lang));
  } else if (format === 'pdf') {
    res.type('application/pdf').send(await reportToPdf(report, lang));
  } else {
    res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await reportToXlsx(report, lang));
  }
}

async function sendTable(res: Response, table: PlainTable, format: 'xlsx' | 'pdf', name: string): Promise<void> {
  res.setHeader('Content-Disposition', contentDisposition('attachment', `${name.replace(/[\\/:*?"<>|]/g, '-')}.${format}`));
  res.setHeader('Cache-Control', 'no-store');
  if (format === 'pdf') res.type('application/pdf').send(await tableToPdf(table));
  else res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await tableToXlsx(table, 'Báo cáo'));
}

/** Routes of the stats module: the periodic report (JSON, CSV, XLSX), step bottlenecks, today's dashboard. */
export function statsRoutes(api: Api, deps: Deps): void {
  api.add({
    method: 'get', path: '/api/stats/report', tags: ['stats'], access: READERS, query: ReportQuery, response: ReportResponse,
    summary: 'Report "results of handling procedures" (form II.06a) of a unit (and its children) over a period, by field, procedure or unit; JSON, CSV, XLSX or PDF as submitted (heading, "Người lập biểu", signature block)',
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
    const today = (await deps.directory.calendar(query.unit)).localDate(deps.clock.now().getTime());
    report.form = await reportForm(deps, {
      unit: query.unit, date: today, user: user!,
      ...(query.receivingUnit ? { receivingUnit: query.receivingUnit } : {}),
      ...(query.preparer ? { preparer: query.preparer } : {}),
      ...(query.signing ? { signing: query.signing } : {}),
      ...(query.signer ? { signer: query.signer } : {}),
    });
    // Other systems' figures for the unit and period (consolidated statistics): a row each, in the total.
    const combined = await withImports(deps, report, query.procedureId !== undefined || query.field !== undefined);
    const format = query.format ?? 'json';
    if (format === 'json') return combined;
    await sendReport(res, combined, format, query.lang ?? 'vi');
    return undefined;
  });

  /** The heading of a plain table: the unit under its superior body (none above a People's Committee), the locality of the date line. */
  const heading = async (code: string): Promise<{ unit: PlainTable['unit']; place: string }> => {
    const u = await deps.directory.unit(code);
    const parent = u?.parent && !isPeoplesCommittee(u.name) ? await deps.directory.unit(u.parent) : undefined;
    return { unit: { name: u?.name ?? code, ...(parent ? { parentName: parent.name } : {}) }, place: placeOf(u?.name ?? code) };
  };

  const checkImporter = async (user: AuthUser, unit: string): Promise<void> => {
    await unitScope(deps, unit, false);
    const visible = await visibleUnits(deps, { ...user, grants: user.grants.filter((g) => IMPORTERS.includes(g.role)) });
    if (!visible.has(unit)) {
      throw forbidden({ vi: `Bạn không được nhập số liệu thống kê cho đơn vị ${unit}`, en: `You may not import statistics for unit ${unit}` });
    }
  };

  api.add({
    method: 'post', path: '/api/stats/imports', tags: ['stats'], access: IMPORTERS, body: ImportBody, response: ImportResponse, status: 201,
    summary: 'Import the figures of another system (a ministry\'s central system, a city\'s system) for a unit and period: a file in the layout of form II.06a (XLSX or CSV, as motcua exports it) or the figures as JSON. One import per source, unit and period; replacing it needs `replace: true`',
    errors: { 400: 'Bad period', 403: 'Not an administrator or leader of the unit', 404: 'Unknown unit', 409: 'Already imported (IMPORT_EXISTS)', 422: 'The file does not follow form II.06a (IMPORT_INVALID, a pointer to the row and column)' },
  }, async ({ body, user }) => {
    await checkImporter(user!, body.unit);
    const { row, replaced } = await storeImport(deps, user!.id, body as Parameters<typeof storeImport>[2]);
    return importView(row, replaced);
  });

  api.add({
    method: 'get', path: '/api/stats/imports', tags: ['stats'], access: IMPORTERS, query: Type.Object({ unit: Unit }), response: Type.Array(ImportResponse),
    summary: 'Figures of other systems stored for a unit, by period and source', errors: { 403: 'Not an administrator or leader of the unit', 404: 'Unknown unit' },
  }, async ({ query, user }) => {
    await checkImporter(user!, query.unit);
    return (await listImports(deps, query.unit)).map((r) => importView(r));
  });

  api.add({
    method: 'delete', path: '/api/stats/imports/:id', tags: ['stats'], access: IMPORTERS, params: Type.Object({ id: Type.Integer({ minimum: 1 }) }), status: 204,
    summary: 'Remove an import of another system\'s figures', errors: { 403: 'Not an administrator or leader of the unit', 404: 'No such import' },
  }, async ({ params, user }) => {
    const row = await importById(deps, params.id);
    if (!row) throw notFound({ vi: 'số liệu nhập', en: 'import' }, String(params.id));
    await checkImporter(user!, row.unit);
    await deleteImport(deps, params.id);
    return undefined;
  });

  api.add({
    method: 'get', path: '/api/stats/desk', tags: ['stats'], access: READERS, query: PeriodQuery, response: DeskResponse,
    summary: 'Received at this desk: what a one-stop desk received over a period for every competent unit (non-geographic intake), beside the competent unit\'s form II.06a',
    errors: { 400: 'Bad dates or period', 403: 'Outside your units', 404: 'Unknown unit' },
  }, async ({ query, user, res }) => {
    const includeChildren = query.children ?? false;
    await checkScope(deps, user!, query.unit, includeChildren);
    const { from, to } = await period(deps, query.unit, query.from, query.to);
    const report = await buildDeskReport(deps, { unit: query.unit, includeChildren, from, to });
    if ((query.format ?? 'json') === 'json') return report;
    await sendTable(res, deskTable(report, await heading(query.unit)), query.format as 'xlsx' | 'pdf', `Tiếp nhận tại Bộ phận Một cửa - ${report.unit.name} - ${from} đến ${to}`);
    return undefined;
  });

  api.add({
    method: 'get', path: '/api/stats/catalogue', tags: ['stats'], access: READERS, query: PeriodQuery, response: CatalogueResponse,
    summary: 'Catalogue report: procedures in force the unit applies, by online level (full / partial), non-geographic, postal, with dossiers received in the period',
    errors: { 400: 'Bad dates or period', 403: 'Outside your units', 404: 'Unknown unit' },
  }, async ({ query, user, res }) => {
    const includeChildren = query.children ?? false;
    await checkScope(deps, user!, query.unit, includeChildren);
    const { from, to } = await period(deps, query.unit, query.from, query.to);
    const report = await buildCatalogueReport(deps, { unit: query.unit, includeChildren, from, to });
    if ((query.format ?? 'json') === 'json') return report;
    await sendTable(res, catalogueTable(report, await heading(query.unit)), query.format as 'xlsx' | 'pdf', `Công bố thủ tục hành chính - ${report.unit.name} - ${from} đến ${to}`);
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

  api.add({
    method: 'get', path: '/api/stats/digitisation', tags: ['stats'], access: READERS, query: PeriodQuery, response: DigitisationResponse,
    summary: 'Digitisation indicators (Decision 766/QĐ-TTg) per unit over a period: share of dossiers with digitised papers, share of results issued electronically, reuse of stored papers and shared data',
    errors: { 400: 'Bad dates or period', 403: 'Outside your units', 404: 'Unknown unit' },
  }, async ({ query, user }) => {
    const includeChildren = query.children ?? false;
    await checkScope(deps, user!, query.unit, includeChildren);
    const { from, to } = await period(deps, query.unit, query.from, query.to);
    return buildDigitisation(deps, { unit: query.unit, includeChildren, from, to });
  });
}
