/**
 * Consolidated statistics (docs/records.md, "Consolidated statistics"): figures of other
 * systems a unit works in (a ministry's central system, a city's system) for a period, read
 * from a file in the layout of form II.06a (the XLSX or CSV motcua itself exports: the same
 * column map, `export.ts`) or posted as JSON, stored per source, unit and period, and shown on
 * the unit's report as one row per source, counted in the total.
 *
 * A file is read by its columns, found either by the form's numbering row ("(1)", "(2)",
 * "(3)=(4)+(5)+(6)", …) or by a row of column names (the names of our CSV, Vietnamese or
 * English). Its "Tổng cộng" / "Total" row gives the figures (else the sum of its rows); every
 * number must be a whole number ≥ 0 and the form's sums must hold. Each fault names the row
 * and the column (a JSON pointer `/file/rows/<row>/<column letter>`), in Vietnamese and English.
 * Only the form's columns and at most `IMPORT_LIMITS.rows` rows are read; an XLSX is read off
 * the request thread, within a time and a heap (./sheet.ts says why).
 */
import { and, asc, eq, gte, lte } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import { statsImports } from '../db/schema';
import { HttpError, type Issue } from '../http/errors';
import type { Deps } from '../deps';
import { TOTAL, layout, leavesOf, type Leaf } from './export';
import { toCounts, type ReportFigures } from './report';
import { WORKER_START_MS, WorkerCalls, WorkerGone, WorkerTimeout, inShared, typeScriptWorker } from '../offload';
import type { Places, SheetLimits, SheetRead } from './sheet';
import type { ReportRow, StatisticsReport } from './report-types';

/** The figures of one source for one unit and period: the form's columns. */
export interface ImportedFigures {
  carriedOver: number;
  online: number;
  /** In person and by post, as the form counts them (column 5). */
  directPostal: number;
  /** Of which by post (our last columns); 0 when the file does not say. */
  postal: number;
  early: number;
  onTime: number;
  late: number;
  withinDeadline: number;
  overdue: number;
  refused: number;
  withdrawn: number;
  apologies: number;
}

export const FIGURE_KEYS: (keyof ImportedFigures)[] = [
  'carriedOver', 'online', 'directPostal', 'postal', 'early', 'onTime', 'late', 'withinDeadline', 'overdue', 'refused', 'withdrawn', 'apologies',
];
/** Columns a file must have: the ones the form adds up. */
const REQUIRED: (keyof ImportedFigures)[] = ['carriedOver', 'online', 'directPostal', 'early', 'onTime', 'late', 'withinDeadline', 'overdue'];
/** The form's totals, checked against their parts. */
const SUMS: { total: string; parts: (keyof ImportedFigures)[] }[] = [
  { total: 'received', parts: ['carriedOver', 'online', 'directPostal'] },
  { total: 'resolved', parts: ['early', 'onTime', 'late'] },
  { total: 'inProgress', parts: ['withinDeadline', 'overdue'] },
];

type Text = { vi: string; en: string };
const text = (vi: string, en: string): Text => ({ vi, en });

/** Column letter of a 1-based column (A, B, …, Z, AA, …). */
export function columnLetter(n: number): string {
  let s = '';
  for (let c = n; c > 0; c = Math.floor((c - 1) / 26)) s = String.fromCharCode(65 + ((c - 1) % 26)) + s;
  return s;
}

class FileFaults {
  readonly issues: Issue[] = [];
  /** Faults found, the ones past the 50 shown included (counted, not written out: a crafted file may have a hundred thousand). */
  private count = 0;
  add(row: number | null, col: number | null, message: Text): void {
    if (this.count++ >= 50) return;
    const where = row === null ? '' : col === null ? `/rows/${row}` : `/rows/${row}/${columnLetter(col)}`;
    const at = row === null ? text('', '') : col === null ? text(`Dòng ${row}: `, `Row ${row}: `) : text(`Dòng ${row}, cột ${columnLetter(col)}: `, `Row ${row}, column ${columnLetter(col)}: `);
    this.issues.push({ path: `/file${where}`, message: { vi: at.vi + message.vi, en: at.en + message.en } });
  }
  /** Faults past the ones shown (a reader that named only the first 50). */
  more(n: number): void {
    this.count += n;
  }
  throwIfAny(): void {
    if (this.count === 0) return;
    const first = this.issues[0]!.message;
    throw new HttpError(422, 'IMPORT_INVALID', {
      vi: `Tệp số liệu không đúng mẫu II.06a (${this.count} lỗi). ${first.vi}`,
      en: `The figures file does not follow form II.06a (${this.count} fault(s)). ${first.en}`,
    }, this.issues);
  }
}

/** A sheet as rows of trimmed cell texts, 1-based row numbers kept. */
type Grid = { row: number; cells: string[] }[];

/** RFC 4180 CSV (quotes, doubled quotes, CRLF or LF), BOM stripped; pure. */
export function parseCsv(source: string): string[][] {
  const s = source.replace(/^\uFEFF/, '');
  const out: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') quoted = false; else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',' || ch === ';') { row.push(field); field = ''; } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++;
      row.push(field); out.push(row); row = []; field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) { row.push(field); out.push(row); }
  return out;
}

/**
 * Bounds of a figures file. The form has 20 columns (A to T, ./export.ts `layout`); a value
 * beyond them is refused, so no reading ever walks further. 5,000 rows hold a report by
 * procedure of every procedure a unit handles, with its header and signatures, many times
 * over. 20 MB inflated is some ten times a 5,000-row sheet; 256 cells in a row, and cells up to
 * column IV (256), leave room for the formatted empty cells spreadsheet programs write, not for
 * a sheet of them.
 */
const FORM_COLUMNS = leavesOf(layout('field')).length;
export const IMPORT_LIMITS: SheetLimits = { columns: FORM_COLUMNS, rows: 5_000, cellsPerRow: 256, widest: 256, inflated: 20 * 1024 * 1024, entries: 500 };
/** The reader's time: a 5,000-row file is read in about a second. */
const READ_MS = 10_000;

const sheetReader = new WorkerCalls<{ bytes: Uint8Array; limits: SheetLimits }, SheetRead>(
  () => typeScriptWorker(new URL('./sheetWorker.ts', import.meta.url), { maxOldGenerationSizeMb: 256 }),
  { startMs: WORKER_START_MS },
);

/** Stops the sheet reader's worker (tests). */
export const stopSheetReader = (): Promise<void> => sheetReader.stop();

const MB = (n: number): string => `${Math.round(n / 1024 / 1024)} MB`;

/** The rows of a file whose size is bounded already (the request's); a CSV is read here, an XLSX by the worker. */
async function gridOf(name: string, content: Buffer): Promise<Grid> {
  const faults = new FileFaults();
  const L = IMPORT_LIMITS;
  let grid: Grid;
  if (/\.csv$/i.test(name)) {
    const rows = parseCsv(content.toString('utf8'));
    if (rows.length > L.rows) {
      faults.add(null, null, text(`tệp có ${rows.length} dòng, quá ${L.rows} dòng cho phép`, `the file has ${rows.length} rows, over the ${L.rows} allowed`));
      faults.throwIfAny();
    }
    grid = [];
    rows.forEach((cells, i) => {
      cells.forEach((c, col) => { if (col >= L.columns && c.trim() !== '') faults.add(i + 1, col + 1, beyondForm()); });
      grid.push({ row: i + 1, cells: cells.slice(0, L.columns).map((c) => c.trim()) });
    });
    faults.throwIfAny();
    return grid;
  }
  if (!/\.xlsx$/i.test(name) || content.subarray(0, 2).toString('latin1') !== 'PK') {
    faults.add(null, null, text('chỉ nhận tệp .xlsx hoặc .csv theo mẫu II.06a', 'only .xlsx or .csv files in the layout of form II.06a are accepted'));
    faults.throwIfAny();
  }
  let read: SheetRead;
  try {
    read = await sheetReader.call({ bytes: inShared(content), limits: L }, READ_MS);
  } catch (e) {
    // Out of time, or the worker's heap: the file costs more than any figures file does.
    // (WorkerGone may also be another file's time running out on the same worker; sending again then succeeds.)
    if (!(e instanceof WorkerTimeout) && !(e instanceof WorkerGone)) throw e;
    faults.add(null, null, text(
      `không đọc xong tệp trong ${READ_MS / 1000} giây và bộ nhớ cho phép (tệp quá phức tạp); hãy lưu lại tệp từ Excel, hoặc gửi tệp .csv, rồi gửi lại`,
      `the file could not be read within ${READ_MS / 1000} s and the memory allowed (too complex); save it again from Excel, or send a .csv, and send it again`));
    faults.throwIfAny();
    throw e;
  }
  if (read.kind === 'refused') {
    const row = 'row' in read ? read.row : undefined;
    const why = {
      damaged: text('tệp .xlsx bị hỏng hoặc không đọc được', 'the .xlsx file is damaged or unreadable'),
      inflated: text(`tệp .xlsx khi giải nén lớn hơn ${MB(L.inflated)} cho phép`, `the .xlsx file inflates to more than the ${MB(L.inflated)} allowed`),
      entries: text(`tệp .xlsx có quá ${L.entries} thành phần`, `the .xlsx file has more than ${L.entries} parts`),
      rows: text(`trang tính có quá ${L.rows} dòng cho phép${row ? ` (dòng ${row})` : ''}`, `the sheet has more than the ${L.rows} rows allowed${row ? ` (row ${row})` : ''}`),
      cellsPerRow: text(`một dòng của trang tính có quá ${L.cellsPerRow} ô`, `a row of the sheet has more than ${L.cellsPerRow} cells`),
    };
    if (read.why === 'widest') {
      placed(faults, read.places, text(
        `ô nằm ngoài cột ${columnLetter(L.widest)}, cột xa nhất mà tệp số liệu được dùng (mẫu II.06a có ${FORM_COLUMNS} cột, A đến ${columnLetter(FORM_COLUMNS)})`,
        `a cell past column ${columnLetter(L.widest)}, the furthest a figures file may use (form II.06a has ${FORM_COLUMNS} columns, A to ${columnLetter(FORM_COLUMNS)})`));
    } else faults.add(null, null, why[read.why]);
    faults.throwIfAny();
  }
  const ok = read as Extract<SheetRead, { kind: 'grid' }>;
  placed(faults, ok.beyond, beyondForm());
  faults.throwIfAny();
  return ok.grid;
}

/** Faults at the cells the reader named, and the number of the ones it only counted. */
function placed(faults: FileFaults, places: Places, message: Text): void {
  for (const { row, col } of places.first) faults.add(row, col, message);
  faults.more(places.count - places.first.length);
}

/** A value in a column the form does not have. */
const beyondForm = (): Text => text(
  `có dữ liệu ngoài các cột của mẫu II.06a (mẫu có ${FORM_COLUMNS} cột, A đến ${columnLetter(FORM_COLUMNS)})`,
  `a value outside the columns of form II.06a (the form has ${FORM_COLUMNS} columns, A to ${columnLetter(FORM_COLUMNS)})`);

const norm = (s: string): string => s.normalize('NFC').toLocaleLowerCase('vi').replace(/\s+/g, ' ').trim();

/** Leaf ids by column (0-based), from the numbering row (first choice) or a row of names; null when neither is found. */
function columnsOf(grid: Grid, leaves: Leaf[]): { header: number; columns: Map<number, string> } | null {
  for (const [i, { cells }] of grid.entries()) {
    const numbered = cells.map((c) => /^\((\d+)\)/.exec(c)?.[1]);
    if (numbered.filter(Boolean).length < 5) continue;
    const columns = new Map<number, string>();
    numbered.forEach((n, c) => { const leaf = n ? leaves[Number(n) - 1] : undefined; if (leaf) columns.set(c, leaf.id); });
    return { header: i, columns };
  }
  // The names of our CSV (each column's own name, Vietnamese or English).
  const names = new Map<string, string>();
  for (const l of leaves) { const t = l.flat ?? l.label; names.set(norm(t.vi), l.id); names.set(norm(t.en), l.id); }
  for (const [i, { cells }] of grid.entries()) {
    const named = new Map<number, string>();
    cells.forEach((c, col) => { const id = names.get(norm(c)); if (id && !['index', 'label'].includes(id)) named.set(col, id); });
    if (named.size >= 5) return { header: i, columns: named };
  }
  return null;
}

/** A count as a file may write it: "2919", "2.919", "2,919"; null when blank; NaN when not a whole number ≥ 0. */
function countOf(raw: string): number | null {
  const s = raw.replace(/\s/g, '');
  if (s === '') return null;
  if (/^\d+$/.test(s)) return Number(s);
  if (/^\d{1,3}([.,]\d{3})+$/.test(s)) return Number(s.replace(/[.,]/g, ''));
  if (/^\d+\.0+$/.test(s)) return Number(s);
  return Number.NaN;
}

/** What a leaf id adds to the figures. */
const INTO: { [id: string]: keyof ImportedFigures | 'received' | 'resolved' | 'inProgress' } = {
  received: 'received', carriedOver: 'carriedOver', online: 'online', directPostal: 'directPostal', postal: 'postal',
  resolved: 'resolved', early: 'early', onTime: 'onTime', late: 'late',
  inProgress: 'inProgress', withinDeadline: 'withinDeadline', overdue: 'overdue',
  refused: 'refused', withdrawn: 'withdrawn', apologies: 'apologies',
};

/**
 * The figures of a file in the layout of form II.06a: its total row, else the sum of its rows.
 * Throws 422 `IMPORT_INVALID` with a row/column pointer for every fault found.
 */
export async function readFigures(name: string, content: Buffer): Promise<{ figures: ImportedFigures; rows: number }> {
  const grid = await gridOf(name, content);
  const faults = new FileFaults();
  const leaves = leavesOf(layout('field'));
  const found = columnsOf(grid, leaves);
  if (!found) {
    faults.add(null, null, text(
      'không tìm thấy dòng đánh số cột "(1)", "(2)"… hoặc dòng tên cột của mẫu II.06a',
      'found neither the column numbering row "(1)", "(2)"… nor a row of column names of form II.06a'));
    faults.throwIfAny();
  }
  const { header, columns } = found!;
  const ids = new Set(columns.values());
  for (const k of REQUIRED) {
    if (!ids.has(k)) {
      const leaf = leaves.find((l) => l.id === k)!;
      faults.add(grid[header]!.row, null, text(`thiếu cột "${(leaf.flat ?? leaf.label).vi}"`, `the column "${(leaf.flat ?? leaf.label).en}" is missing`));
    }
  }
  faults.throwIfAny();
  const labelCol = Math.max(0, Math.min(...columns.keys()) - 1);
  const totals = new Set([norm(TOTAL.vi), norm(TOTAL.en)]);
  type Read = { row: number; values: Map<string, { value: number; col: number }> };
  const body: Read[] = [];
  let total: Read | null = null;
  for (const { row, cells } of grid.slice(header + 1)) {
    const figures = [...columns.keys()].map((c) => cells[c] ?? '');
    // No number in any figure column: a header row, a note, a merged line of text.
    if (!figures.some((c) => { const n = countOf(c); return n !== null && !Number.isNaN(n); })) continue;
    const values = new Map<string, { value: number; col: number }>();
    for (const [c, id] of columns) {
      const leaf = leaves.find((l) => l.id === id)!;
      if (leaf.kind !== 'count' || !(id in INTO)) continue;
      const raw = cells[c] ?? '';
      const n = countOf(raw);
      if (n === null) continue;
      if (Number.isNaN(n)) {
        faults.add(row, c + 1, text(`"${raw}" không phải số nguyên không âm (${(leaf.flat ?? leaf.label).vi})`, `"${raw}" is not a whole number ≥ 0 (${(leaf.flat ?? leaf.label).en})`));
        continue;
      }
      values.set(id, { value: n, col: c + 1 });
    }
    const label = cells[labelCol] ?? '';
    const read = { row, values };
    // The total ends the table: below it are the signatures.
    if (totals.has(norm(label)) || cells.slice(0, labelCol + 1).some((c) => totals.has(norm(c)))) { total = read; break; }
    body.push(read);
  }
  faults.throwIfAny();
  const checkSums = (r: Read) => {
    for (const { total: t, parts } of SUMS) {
      const whole = r.values.get(t);
      if (!whole) continue;
      const sum = parts.reduce((s, p) => s + (r.values.get(p)?.value ?? 0), 0);
      if (whole.value !== sum) {
        const leaf = leaves.find((l) => l.id === t)!;
        faults.add(r.row, whole.col, text(
          `${(leaf.flat ?? leaf.label).vi} là ${whole.value} nhưng tổng các cột thành phần là ${sum}`,
          `${(leaf.flat ?? leaf.label).en} is ${whole.value} but its parts add up to ${sum}`));
      }
    }
  };
  for (const r of [...body, ...(total ? [total] : [])]) checkSums(r);
  if (!total && body.length === 0) faults.add(grid[header]!.row, null, text('không có dòng số liệu nào dưới tiêu đề', 'no row of figures below the header'));
  faults.throwIfAny();
  const sumOf = (k: keyof ImportedFigures): number => (total ? total.values.get(k)?.value ?? 0 : body.reduce((s, r) => s + (r.values.get(k)?.value ?? 0), 0));
  const figures = Object.fromEntries(FIGURE_KEYS.map((k) => [k, sumOf(k)])) as unknown as ImportedFigures;
  if (figures.postal > figures.directPostal) {
    const at = total ?? body.at(-1)!;
    faults.add(at.row, at.values.get('postal')?.col ?? null, text(
      `số tiếp nhận qua bưu chính (${figures.postal}) lớn hơn số trực tiếp, bưu chính (${figures.directPostal})`,
      `received by post (${figures.postal}) exceeds in person and by post (${figures.directPostal})`));
  }
  faults.throwIfAny();
  return { figures, rows: body.length };
}

export type ImportRow = typeof statsImports.$inferSelect;

export interface ImportRequest {
  unit: string;
  from: string;
  to: string;
  source: { code: string; name: string };
  /** A file in the layout of form II.06a (base64). */
  file?: { name: string; content: string };
  /** Or the figures themselves (an API call from the other system). */
  figures?: ImportedFigures;
  /** Replace the import already stored for this source, unit and period (else 409). */
  replace?: boolean;
}

/** The stored imports of a unit, newest period first. */
export async function listImports(deps: Deps, unit: string): Promise<ImportRow[]> {
  return deps.db.select().from(statsImports).where(eq(statsImports.unit, unit)).orderBy(asc(statsImports.periodFrom), asc(statsImports.source));
}

export async function importById(deps: Deps, id: number): Promise<ImportRow | undefined> {
  const [row] = await deps.db.select().from(statsImports).where(eq(statsImports.id, id));
  return row;
}

export async function deleteImport(deps: Deps, id: number): Promise<void> {
  await deps.db.delete(statsImports).where(eq(statsImports.id, id));
}

/**
 * Stores the figures of one source for a unit and period. A second import for the same source,
 * unit and period is refused (409 `IMPORT_EXISTS`) unless `replace` says so; then it replaces
 * the first in one statement, never beside it (a unique index holds the rule).
 */
export async function storeImport(deps: Deps, userId: string, req: ImportRequest): Promise<{ row: ImportRow; replaced: boolean }> {
  if (req.from > req.to) {
    throw new HttpError(400, 'BAD_PERIOD', text('Ngày bắt đầu sau ngày kết thúc', 'The first day is after the last day'), [{ path: '/from', message: text('Sau ngày kết thúc', 'After the last day') }]);
  }
  if (!req.file === !req.figures) {
    throw new HttpError(422, 'IMPORT_INVALID', text('Gửi một tệp (file) hoặc số liệu (figures), không cả hai', 'Send a file or the figures, not both nor neither'),
      [{ path: req.file ? '/figures' : '/file', message: text('Chỉ một trong file, figures', 'Exactly one of file, figures') }]);
  }
  let figures: ImportedFigures;
  let origin: object;
  if (req.file) {
    const content = Buffer.from(req.file.content, 'base64');
    const read = await readFigures(req.file.name, content);
    figures = read.figures;
    origin = { kind: 'file', name: req.file.name, sha256: createHash('sha256').update(content).digest('hex'), rows: read.rows };
  } else {
    figures = req.figures!;
    if (figures.postal > figures.directPostal) {
      throw new HttpError(422, 'IMPORT_INVALID', text('Số tiếp nhận qua bưu chính lớn hơn số trực tiếp, bưu chính', 'Received by post exceeds in person and by post'),
        [{ path: '/figures/postal', message: text('Lớn hơn directPostal', 'Exceeds directPostal') }]);
    }
    origin = { kind: 'api' };
  }
  const values = {
    source: req.source.code, sourceName: req.source.name, unit: req.unit, periodFrom: req.from, periodTo: req.to,
    figures, origin, importedAt: deps.clock.now().toISOString(), importedBy: userId,
  };
  const key = and(eq(statsImports.source, req.source.code), eq(statsImports.unit, req.unit), eq(statsImports.periodFrom, req.from), eq(statsImports.periodTo, req.to));
  return deps.db.transaction(async (tx) => {
    const [existing] = await tx.select().from(statsImports).where(key).for('update');
    if (existing && !req.replace) {
      throw new HttpError(409, 'IMPORT_EXISTS', {
        vi: `Đã có số liệu của "${existing.sourceName}" cho đơn vị ${req.unit} từ ${req.from} đến ${req.to} (nhập lúc ${existing.importedAt}); gửi lại với replace: true để thay thế`,
        en: `Figures of "${existing.sourceName}" for unit ${req.unit} from ${req.from} to ${req.to} are already stored (imported ${existing.importedAt}); send again with replace: true to replace them`,
      }, [{ path: '/replace', message: text('Phải là true để thay thế', 'Must be true to replace') }]);
    }
    if (existing) {
      const [row] = await tx.update(statsImports).set(values).where(eq(statsImports.id, existing.id)).returning();
      return { row: row!, replaced: true };
    }
    const [row] = await tx.insert(statsImports).values(values).returning();
    return { row: row!, replaced: false };
  });
}

/** Report figures of an import (no ratings: other systems' scores are not comparable). */
export function figuresOf(f: ImportedFigures): ReportFigures {
  return {
    carriedOver: f.carriedOver, online: f.online, direct: f.directPostal - f.postal, postal: f.postal,
    early: f.early, onTime: f.onTime, late: f.late, inProgress: f.withinDeadline + f.overdue, overdue: f.overdue,
    refused: f.refused, withdrawn: f.withdrawn, apologies: f.apologies, ratingCount: 0, ratingSum: 0,
  };
}

/**
 * The report with the figures of other systems (imports of its unit whose period lies within
 * the report's) added: one row per source, counted in the total; motcua's own rows unchanged.
 * A report filtered to one procedure or field takes none (imports are whole-unit figures).
 */
export async function withImports(deps: Deps, report: StatisticsReport, filtered: boolean): Promise<StatisticsReport & { sources: { source: string; name: string; from: string; to: string }[] }> {
  if (filtered) return { ...report, sources: [] };
  const found = await deps.db.select().from(statsImports).where(and(
    eq(statsImports.unit, report.unit.code), gte(statsImports.periodFrom, report.period.from), lte(statsImports.periodTo, report.period.to),
  )).orderBy(asc(statsImports.source), asc(statsImports.periodFrom));
  if (found.length === 0) return { ...report, sources: [] };
  const bySource = new Map<string, { name: string; figures: ReportFigures }>();
  for (const r of found) {
    const f = figuresOf(r.figures as ImportedFigures);
    const acc = bySource.get(r.source);
    if (!acc) { bySource.set(r.source, { name: r.sourceName, figures: f }); continue; }
    for (const k of Object.keys(f) as (keyof ReportFigures)[]) acc.figures[k] += f[k];
  }
  const rows: ReportRow[] = [...bySource.entries()].map(([source, { name, figures }]) => ({ key: `import:${source}`, label: name, ...toCounts(figures) }));
  const total = addCounts(report.total, rows);
  return {
    ...report,
    rows: [...report.rows, ...rows],
    total,
    sources: found.map((r) => ({ source: r.source, name: r.sourceName, from: r.periodFrom, to: r.periodTo })),
  };
}

/** The total of motcua's own figures plus the rows of other systems, rates derived again. */
function addCounts(own: StatisticsReport['total'], rows: ReportRow[]): StatisticsReport['total'] {
  const f: ReportFigures = {
    carriedOver: own.received.carriedOver, online: own.received.online, direct: own.received.direct, postal: own.received.postal,
    early: own.resolved.early, onTime: own.resolved.onTime, late: own.resolved.late, inProgress: own.inProgress.total, overdue: own.inProgress.overdue,
    refused: own.refused, withdrawn: own.withdrawn, apologies: own.apologies,
    ratingCount: own.satisfaction.count, ratingSum: (own.satisfaction.average ?? 0) * own.satisfaction.count,
  };
  for (const r of rows) {
    f.carriedOver += r.received.carriedOver; f.online += r.received.online; f.direct += r.received.direct; f.postal += r.received.postal;
    f.early += r.resolved.early; f.onTime += r.resolved.onTime; f.late += r.resolved.late;
    f.inProgress += r.inProgress.total; f.overdue += r.inProgress.overdue;
    f.refused += r.refused; f.withdrawn += r.withdrawn; f.apologies += r.apologies;
  }
  return toCounts(f);
}
