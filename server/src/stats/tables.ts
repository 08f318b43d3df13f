/**
 * The reports beside form II.06a printed as plain tables, PDF and XLSX: "received at this desk"
 * (desk.ts) and the catalogue report (catalogue.ts). Same heading and fonts as the slips
 * (Decree 30/2020/NĐ-CP layout), one row per line of the report, a total row; byte-stable for
 * the same report (dates come from `generatedAt`).
 */
import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';
import { drawHeading, drawTable, formatDateLine, numberPages, para, registerSlipFonts, type Column } from '../slips/index';
import { pdfBytes } from '../pdfBytes';
import type { CatalogueReport } from './catalogue';
import type { DeskReport } from './desk';

export interface PlainTable {
  /** The issuing unit as the heading prints it, and the locality of the date line. */
  unit: { name: string; parentName?: string };
  place: string;
  title: string;
  /** Lines under the title: the period, summaries. */
  lines: string[];
  columns: (Column & { xlsxWidth: number })[];
  rows: (string | number)[][];
  total: (string | number)[] | null;
  generatedAt: string;
}

const fmt = (v: string | number): string => (typeof v === 'number' ? v.toLocaleString('vi-VN') : v);
const localDate = (d: string): string => d.split('-').reverse().join('/');
export const periodLine = (p: { from: string; to: string }): string => `Kỳ báo cáo: từ ngày ${localDate(p.from)} đến ngày ${localDate(p.to)}`;

/** A plain table as a landscape A4 PDF in DejaVu, the header repeated on each page. */
export async function tableToPdf(t: PlainTable): Promise<Buffer> {
  const at = new Date(t.generatedAt);
  const doc = new PDFDocument({
    size: 'A4', layout: 'landscape', margins: { top: 40, bottom: 45, left: 40, right: 40 }, autoFirstPage: false, bufferPages: true,
    lang: 'vi-VN', displayTitle: true,
    info: { Title: `${t.title} – ${t.unit.name}`, Author: t.unit.name, Creator: 'motcua', Producer: 'motcua (PDFKit)', CreationDate: at, ModDate: at },
  });
  const done = pdfBytes(doc);
  registerSlipFonts(doc);
  doc.addPage();
  drawHeading(doc, t.unit, formatDateLine(t.generatedAt, t.place));
  doc.font('serif-bold').fontSize(13).text(t.title, { align: 'center' });
  for (const l of t.lines) para(doc, l, { font: 'serif-italic', align: 'center' });
  const rows = [...t.rows, ...(t.total ? [t.total] : [])].map((r) => r.map(fmt));
  drawTable(doc, t.columns, rows, '(Không có số liệu trong kỳ)');
  numberPages(doc, 0, doc.bufferedPageRange().count - 1, `${t.title} – ${t.unit.name}`);
  doc.end();
  return done;
}

/** A plain table as an XLSX sheet: heading and title rows, the header row, one row per line, the total in bold. */
export async function tableToXlsx(t: PlainTable, sheetName: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'motcua';
  workbook.created = new Date(t.generatedAt);
  workbook.modified = workbook.created;
  const sheet = workbook.addWorksheet(sheetName, { pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  sheet.columns = t.columns.map((c) => ({ width: c.xlsxWidth }));
  const last = t.columns.length;
  const box: Partial<ExcelJS.Borders> = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } };
  let row = 1;
  const line = (text: string, font: Partial<ExcelJS.Font>): void => {
    sheet.mergeCells(row, 1, row, last);
    const cell = sheet.getCell(row, 1);
    cell.value = text;
    cell.font = font;
    cell.alignment = { horizontal: 'center', wrapText: true };
    row++;
  };
  line([t.unit.parentName, t.unit.name].filter(Boolean).join(' – ').toLocaleUpperCase('vi'), { bold: true });
  line(formatDateLine(t.generatedAt, t.place), { italic: true });
  line(t.title, { bold: true, size: 13 });
  for (const l of t.lines) line(l, { italic: true });
  row++;
  const header = sheet.getRow(row);
  t.columns.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = c.header;
    cell.font = { bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.border = box;
  });
  const headerRow = row;
  const put = (values: (string | number)[], bold: boolean): void => {
    row++;
    const r = sheet.getRow(row);
    values.forEach((v, i) => {
      const cell = r.getCell(i + 1);
      cell.value = v;
      if (typeof v === 'number') cell.numFmt = '#,##0';
      cell.font = { bold };
      cell.alignment = { vertical: 'top', wrapText: true, horizontal: typeof v === 'number' ? 'right' : 'left' };
      cell.border = box;
    });
  };
  for (const r of t.rows) put(r, false);
  if (t.total) put(t.total, true);
  sheet.views = [{ state: 'frozen', ySplit: headerRow }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const num = (header: string, weight = 0.8): Column & { xlsxWidth: number } => ({ header, weight, align: 'center', xlsxWidth: 12 });

/** "Received at this desk" as a plain table. */
export function deskTable(r: DeskReport, heading: { unit: PlainTable['unit']; place: string }): PlainTable {
  return {
    ...heading,
    title: 'TÌNH HÌNH TIẾP NHẬN HỒ SƠ TẠI BỘ PHẬN MỘT CỬA',
    lines: [periodLine(r.period), `Đơn vị tiếp nhận: ${r.unit.name}${r.unit.includesChildren ? ' (bao gồm các đơn vị trực thuộc)' : ''}`],
    columns: [
      { header: 'STT', weight: 0.5, align: 'center', xlsxWidth: 6 },
      { header: 'Cơ quan có thẩm quyền giải quyết', weight: 2, xlsxWidth: 30 },
      { header: 'Thủ tục hành chính', weight: 3, xlsxWidth: 48 },
      num('Tổng số tiếp nhận'), num('Trực tuyến'), num('Trực tiếp'), num('Bưu chính'),
      num('Chuyển cơ quan khác giải quyết'), num('Đã kết thúc'), num('Đang giải quyết'), num('Trong đó quá hạn'),
    ],
    rows: r.rows.map((x, i) => [
      i + 1, x.competentUnit.name, `${x.procedure.name} (${x.procedure.code})`,
      x.received.total, x.received.online, x.received.direct, x.received.postal, x.forwarded, x.closed, x.open, x.overdue,
    ]),
    total: ['', 'Tổng cộng', '', r.total.received.total, r.total.received.online, r.total.received.direct, r.total.received.postal,
      r.total.forwarded, r.total.closed, r.total.open, r.total.overdue],
    generatedAt: r.generatedAt,
  };
}

const LEVEL: Record<string, string> = { full: 'Toàn trình', partial: 'Một phần', none: '' };

/** The catalogue report (procedures published, online level, non-geographic, postal, dossiers) as a plain table. */
export function catalogueTable(r: CatalogueReport, heading: { unit: PlainTable['unit']; place: string }): PlainTable {
  const t = r.totals;
  return {
    ...heading,
    title: 'TÌNH HÌNH CÔNG BỐ, CUNG CẤP THỦ TỤC HÀNH CHÍNH',
    lines: [
      periodLine(r.period),
      `Tổng số thủ tục: ${t.published}; dịch vụ công trực tuyến: ${t.online} (toàn trình ${t.full}, một phần ${t.partial}); phi địa giới: ${t.nonGeographic}; bưu chính công ích: ${t.postal}`,
      `Thủ tục có phát sinh hồ sơ: ${t.withDossiers}; hồ sơ tiếp nhận: ${t.received} (trực tuyến ${t.receivedOnline})`,
    ],
    columns: [
      { header: 'STT', weight: 0.5, align: 'center', xlsxWidth: 6 },
      { header: 'Mã thủ tục', weight: 1.1, xlsxWidth: 14 },
      { header: 'Tên thủ tục hành chính', weight: 3.4, xlsxWidth: 52 },
      { header: 'Lĩnh vực', weight: 1.2, xlsxWidth: 20 },
      { header: 'Dịch vụ công trực tuyến', weight: 0.9, align: 'center', xlsxWidth: 14 },
      { header: 'Phi địa giới', weight: 0.7, align: 'center', xlsxWidth: 10 },
      { header: 'Bưu chính công ích', weight: 0.7, align: 'center', xlsxWidth: 10 },
      num('Hồ sơ tiếp nhận'), num('Trong đó trực tuyến'),
    ],
    rows: r.rows.map((x, i) => [
      i + 1, x.code, x.name.vi, x.field, LEVEL[x.onlineLevel] ?? x.onlineLevel, x.nonGeographic ? 'x' : '', x.postal ? 'x' : '', x.received, x.receivedOnline,
    ]),
    total: ['', 'Tổng cộng', `${t.published} thủ tục`, '', String(t.online), String(t.nonGeographic), String(t.postal), t.received, t.receivedOnline],
    generatedAt: r.generatedAt,
  };
}
