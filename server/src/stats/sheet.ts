/**
 * The first sheet of an XLSX figures file (./imports.ts) as rows of cell texts, read within
 * bounds a crafted file cannot stretch. It runs on a worker thread (./sheetWorker.ts), with a
 * time and a heap of its own, because ExcelJS reads a whole workbook into objects and some of
 * its parts cost far more than their bytes: a row whose one cell is in column XFD used to be
 * walked as 16,384 cells (200 such rows, a 6.8 KB file: 6.3 s and 900 MB on the thread that
 * answers requests), a zip entry of a few kilobytes can inflate to hundreds of megabytes, and a
 * merge or a defined name over the whole sheet makes one object per cell it spans.
 *
 * Before ExcelJS sees the file: the zip's entries are inflated here, each with the output cap
 * zlib enforces as it goes (a central directory can lie about sizes, and JSZip only compares
 * them once an entry is fully inflated), and the sheets' cell references are scanned: a cell
 * past `widest` is refused by its place, as ExcelJS would hold its row as an array reaching it
 * (a 40 KB file of 5,000 such rows: 82 million slots). Then ExcelJS skips the sheet parts the form does not
 * need (column widths, validations, conditional formats: some expand every range they name)
 * and stops at `maxRows` rows or `maxCellsPerRow` cells in a row. Only the form's columns are
 * read; a value beyond them is reported by its place, never by walking the empty cells before it.
 */
import ExcelJS from 'exceljs';
import { inflateRawSync } from 'node:zlib';

export interface SheetLimits {
  /** The form's last column (1-based): a value beyond it is refused. */
  columns: number;
  /** Rows a sheet may have (by row number, empty ones included). */
  rows: number;
  /** `<c>` elements one row may hold, values or only formats (Excel writes styled empty cells). */
  cellsPerRow: number;
  /** Bytes all zip entries may inflate to, together. */
  inflated: number;
  /** Entries the zip may hold (an XLSX has a dozen or two). */
  entries: number;
  /** The widest column any sheet may use, value or format: past it ExcelJS would hold a row as an array that long. */
  widest: number;
}

/** What reading the sheet gave: its rows (form's columns only) and the values beyond the form, or why it was refused. */
export type SheetRead =
  | { kind: 'grid'; grid: { row: number; cells: string[] }[]; beyond: Places }
  | { kind: 'refused'; why: 'damaged' | 'inflated' | 'entries' | 'rows' | 'cellsPerRow'; row?: number }
  | { kind: 'refused'; why: 'widest'; places: Places };

/** Cells refused by their place: the first 50 and how many in all (an answer the size of the faults shown, not of the file). */
export interface Places { first: { row: number; col: number }[]; count: number }
const SHOWN = 50;
const place = (p: Places, row: number, col: number): void => { if (p.count++ < SHOWN) p.first.push({ row, col }); };

/**
 * The total size the zip's entries inflate to, each one actually inflated (so a lying size
 * does not help), stopping as soon as `limits.inflated` is passed; null when that happens or
 * the entries are more than `limits.entries`; throws on a file that is not a readable zip.
 */
export function inflatedSize(zip: Buffer, limits: Pick<SheetLimits, 'inflated' | 'entries'>, onEntry?: (name: string, data: Buffer) => void): { size: number } | { over: 'inflated' | 'entries' } {
  // The end of central directory record: 22 bytes and a comment of at most 65,535, at the end.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error('no end of central directory');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  // ZIP64 (more than 65,535 entries or 4 GB) is never a figures file.
  if (count === 0xffff || at === 0xffffffff) return { over: 'entries' };
  if (count > limits.entries) return { over: 'entries' };
  let total = 0;
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('bad central directory entry');
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + zip.readUInt16LE(at + 28));
    at += 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    if (zip.readUInt32LE(local) !== 0x04034b50) throw new Error('bad local header');
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + compressed);
    const left = limits.inflated - total;
    if (method === 0) {
      // Stored: its size is its bytes here, whatever the directory declares.
      total += data.length;
      onEntry?.(name, data);
    } else if (method === 8) {
      try {
        // zlib stops with a RangeError once the output would pass the cap: nothing beyond it is made.
        const out = inflateRawSync(data, { maxOutputLength: Math.max(1, left) });
        total += out.length;
        onEntry?.(name, out);
      } catch (e) {
        if (e instanceof RangeError) return { over: 'inflated' };
        throw e;
      }
    } else throw new Error(`compression method ${method}`);
    if (total > limits.inflated) return { over: 'inflated' };
  }
  return { size: total };
}

/** 1-based column of a column letter (A = 1, XFD = 16,384). */
const columnNumber = (letters: string): number => [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);

export function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return String(v).trim();
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object' && 'result' in v) return cellText((v as { result?: ExcelJS.CellValue }).result ?? null);
  if (typeof v === 'object' && 'richText' in v) return (v as { richText: { text: string }[] }).richText.map((t) => t.text).join('').trim();
  if (typeof v === 'object' && 'text' in v) return String((v as { text: unknown }).text).trim();
  return '';
}

/** Worksheet parts ExcelJS may skip: the figures are in sheetData; merges still give a merged cell its master's text. */
const IGNORED = [
  'sheetPr', 'dimension', 'sheetViews', 'sheetFormatPr', 'cols', 'autoFilter', 'rowBreaks', 'hyperlinks', 'pageMargins',
  'dataValidations', 'pageSetup', 'headerFooter', 'printOptions', 'picture', 'drawing', 'sheetProtection', 'tableParts',
  'conditionalFormatting', 'extLst',
];

/** The first sheet of an XLSX within `limits` (see the module's comment). */
export async function readSheet(content: Buffer, limits: SheetLimits): Promise<SheetRead> {
  const wide: Places = { first: [], count: 0 };
  try {
    const over = inflatedSize(content, limits, (name, data) => {
      // Every sheet, as ExcelJS reads every sheet: a cell's place is in its r attribute ("XFD1").
      if (!/^xl\/worksheets\/[^/]+\.xml$/.test(name)) return;
      for (const m of data.toString('utf8').matchAll(/<c\s[^>]*?\br="([A-Z]{1,3})(\d+)"/g)) {
        const col = columnNumber(m[1]!);
        if (col > limits.widest) place(wide, Number(m[2]), col);
      }
    });
    if ('over' in over) return { kind: 'refused', why: over.over };
  } catch {
    return { kind: 'refused', why: 'damaged' };
  }
  // Refused before ExcelJS makes anything of them.
  if (wide.count > 0) return { kind: 'refused', why: 'widest', places: wide };
  const book = new ExcelJS.Workbook();
  try {
    // `maxRows` and `maxCols` are ExcelJS's own counts while parsing: rows of the sheet, `<c>` elements of one row.
    await book.xlsx.load(content as unknown as ArrayBuffer, { ignoreNodes: IGNORED, maxRows: limits.rows, maxCols: limits.cellsPerRow } as object);
  } catch (e) {
    const message = e instanceof Error ? e.message : '';
    if (/^Max row count/.test(message)) return { kind: 'refused', why: 'rows' };
    if (/^Max column count/.test(message)) return { kind: 'refused', why: 'cellsPerRow' };
    return { kind: 'refused', why: 'damaged' };
  }
  const sheet = book.worksheets[0];
  const grid: { row: number; cells: string[] }[] = [];
  const beyond: Places = { first: [], count: 0 };
  let tooFar: number | undefined;
  sheet?.eachRow({ includeEmpty: false }, (r, n) => {
    // The row count above is of <row> elements; one element may still say r="1048576".
    if (n > limits.rows) { tooFar ??= n; return; }
    const cells: string[] = [];
    // eachCell visits the cells the file has (a sparse array), not the empty ones before them.
    r.eachCell({ includeEmpty: false }, (cell, c) => {
      const t = cellText(cell.value);
      if (t === '') return;
      if (c > limits.columns) place(beyond, n, c);
      else cells[c - 1] = t;
    });
    grid.push({ row: n, cells: Array.from(cells, (t) => t ?? '') });
  });
  if (tooFar !== undefined) return { kind: 'refused', why: 'rows', row: tooFar };
  return { kind: 'grid', grid, beyond };
}
