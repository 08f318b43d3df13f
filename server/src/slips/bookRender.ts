/**
 * Form 06 (Sổ theo dõi hồ sơ) as a landscape A4 PDF in DejaVu and as an XLSX sheet with the
 * same columns; both byte-stable for the same book (dates come from `generatedAt`).
 */
import { localInstant } from '@motcua/engine';
import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';
import { registerSlipFonts } from './fonts';
import { formatDate, formatDateLine, formatInstant } from './format';
import { drawHeading, drawTable, numberPages, para, type Column } from './layout';
import type { BookEntry, TrackingBook } from './book';
import { printable } from './printable';

export const BOOK_TITLE = 'SỔ THEO DÕI HỒ SƠ';

/** The columns of form 06, in its order. */
const COLUMNS: (Column & { key: string; xlsxWidth: number })[] = [
  { key: 'no', header: 'STT', weight: 0.6, align: 'center', xlsxWidth: 6 },
  { key: 'code', header: 'Mã hồ sơ', weight: 1.5, xlsxWidth: 28 },
  { key: 'procedure', header: 'Tên thủ tục hành chính', weight: 1.35, xlsxWidth: 36 },
  { key: 'sets', header: 'Số lượng hồ sơ (bộ)', weight: 0.75, align: 'center', xlsxWidth: 9 },
  { key: 'applicant', header: 'Tên cá nhân, tổ chức', weight: 1.0, xlsxWidth: 24 },
  { key: 'contact', header: 'Địa chỉ, số điện thoại', weight: 1.1, xlsxWidth: 30 },
  { key: 'handlingUnit', header: 'Cơ quan chủ trì giải quyết', weight: 1.0, xlsxWidth: 24 },
  { key: 'receivedAt', header: 'Nhận hồ sơ', weight: 1.12, align: 'center', xlsxWidth: 18 },
  { key: 'dueAt', header: 'Hẹn trả kết quả', weight: 1.12, align: 'center', xlsxWidth: 18 },
  { key: 'sentAt', header: 'Chuyển hồ sơ đến cơ quan giải quyết', weight: 1.12, align: 'center', xlsxWidth: 18 },
  { key: 'resultBackAt', header: 'Nhận kết quả từ cơ quan giải quyết', weight: 1.12, align: 'center', xlsxWidth: 18 },
  { key: 'returnedAt', header: 'Trả kết quả cho cá nhân, tổ chức', weight: 1.12, align: 'center', xlsxWidth: 18 },
  { key: 'signature', header: 'Ký nhận', weight: 0.7, xlsxWidth: 12 },
  { key: 'note', header: 'Ghi chú', weight: 0.8, xlsxWidth: 24 },
];

/** Header texts of the columns, in order (for tests and readers of the XLSX). */
export const BOOK_HEADERS: readonly string[] = COLUMNS.map((c) => c.header);

const when = (iso: string | null): string => (iso ? formatInstant(iso).replace(/ giờ /, 'g').replace(/ phút, ngày /, ', ') : '');

/** The printed cells of one entry, in column order; pure. */
export function bookCells(e: BookEntry, i: number): string[] {
  return [
    String(i + 1), e.code, e.procedure, String(e.sets), e.applicant, e.contact, e.handlingUnit,
    when(e.receivedAt), when(e.dueAt), when(e.sentAt), when(e.resultBackAt), when(e.returnedAt), '', e.note,
  ];
}

const periodLine = (b: TrackingBook): string =>
  `Từ ngày ${formatDate(localInstant(b.from))} đến ngày ${formatDate(localInstant(b.to))}`;

/** The book as a landscape A4 PDF, one row per dossier, the header repeated on each page. */
export async function trackingBookPdf(book: TrackingBook): Promise<Buffer> {
  const issued = new Date(book.generatedAt);
  const doc = new PDFDocument({
    size: 'A4', layout: 'landscape', margins: { top: 40, bottom: 45, left: 40, right: 40 }, autoFirstPage: false, bufferPages: true,
    lang: 'vi-VN', displayTitle: true,
    info: {
      Title: `${BOOK_TITLE} – ${book.unit.name}`, Subject: 'Mẫu 06 – Thông tư 01/2018/TT-VPCP', Author: book.unit.name,
      Creator: 'motcua', Producer: 'motcua (PDFKit)', CreationDate: issued, ModDate: issued,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  registerSlipFonts(doc);
  doc.addPage();
  drawHeading(doc, book.unit, formatDateLine(book.generatedAt, book.place));
  doc.font('serif-bold').fontSize(14).text(BOOK_TITLE, { align: 'center' });
  para(doc, periodLine(book), { font: 'serif-italic', align: 'center' });
  // Time over date in the narrow date columns, as on form 05.
  // Each cell bounded like a slip's field (./printable.ts).
  const rows = book.entries.map((e, i) => bookCells(e, i).map((c, j) => printable(j >= 7 && j <= 11 ? c.replace(', ', '\n') : c)));
  drawTable(doc, COLUMNS, rows, '(Không có hồ sơ nào trong kỳ)');
  para(doc, `Tổng số: ${book.entries.length} hồ sơ. Lập lúc ${formatInstant(book.generatedAt)}.`, { font: 'serif-italic' });
  numberPages(doc, 0, doc.bufferedPageRange().count - 1, `${BOOK_TITLE} – ${book.unit.name}`);
  doc.end();
  return done;
}

/** The book as an XLSX sheet: title rows, then the form's header row, then one row per dossier. */
export async function trackingBookXlsx(book: TrackingBook): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'motcua';
  workbook.created = new Date(book.generatedAt);
  workbook.modified = workbook.created;
  const sheet = workbook.addWorksheet('Mẫu 06', { pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  sheet.columns = COLUMNS.map((c) => ({ key: c.key, width: c.xlsxWidth }));
  const last = COLUMNS.length;
  const line = (row: number, text: string, opts: { bold?: boolean; italic?: boolean; size?: number } = {}): void => {
    sheet.mergeCells(row, 1, row, last);
    const cell = sheet.getCell(row, 1);
    cell.value = text;
    cell.font = { name: 'Times New Roman', size: opts.size ?? 12, bold: opts.bold ?? false, italic: opts.italic ?? false };
    cell.alignment = { horizontal: 'center' };
  };
  line(1, [book.unit.parentName, book.unit.name].filter(Boolean).join(' – ').toLocaleUpperCase('vi'), { bold: true });
  line(2, BOOK_TITLE, { bold: true, size: 14 });
  line(3, periodLine(book), { italic: true });
  const header = sheet.getRow(5);
  COLUMNS.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = c.header;
    cell.font = { name: 'Times New Roman', size: 11, bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.border = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } };
  });
  // The form's column numbering row, (1) … (14).
  const numbers = sheet.getRow(6);
  COLUMNS.forEach((_, i) => { numbers.getCell(i + 1).value = `(${i + 1})`; numbers.getCell(i + 1).alignment = { horizontal: 'center' }; });
  book.entries.forEach((e, i) => {
    const row = sheet.getRow(7 + i);
    bookCells(e, i).forEach((v, j) => {
      const cell = row.getCell(j + 1);
      cell.value = j === 0 || j === 3 ? Number(v) : v;
      cell.alignment = { vertical: 'top', wrapText: true };
      cell.border = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } };
    });
  });
  sheet.views = [{ state: 'frozen', ySplit: 6 }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
