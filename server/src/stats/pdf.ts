/**
 * Form II.06a as a PDF laid out like the paper form a unit signs and sends up: the heading in
 * three blocks (form number; title and period; reporting unit, receiving unit, unit of
 * measure), the table with its nested header and numbering row repeated on every page, the
 * total, then "Người lập biểu" and the head's signature block with its formula.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';
import type { ReportCounts, StatisticsReport } from './report-types';
import { depthOf, formTexts, layout, leavesOf, numbering, place, TOTAL, type ExportLang, type Leaf } from './export';
import { pdfBytes } from '../pdfBytes';

type Doc = PDFKit.PDFDocument;

const FONTS = {
  regular: 'DejaVuSerifCondensed.ttf',
  bold: 'DejaVuSerifCondensed-Bold.ttf',
  italic: 'DejaVuSerif-Italic.ttf',
  boldItalic: 'DejaVuSerif-BoldItalic.ttf',
} as const;
type Font = keyof typeof FONTS;

let fonts: Map<Font, Buffer> | undefined;

/** DejaVu, read once: pdfkit's built-in fonts have no Vietnamese letters. */
function reportFonts(): Map<Font, Buffer> {
  if (!fonts) {
    const dir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
    fonts = new Map(Object.entries(FONTS).map(([name, file]) => [name as Font, readFileSync(join(dir, file))]));
  }
  return fonts;
}

// A4 landscape, margins of Decree 30/2020 turned sideways.
const MARGIN = { top: 40, bottom: 40, left: 40, right: 34 };
// Header rows: the last holds the narrowest cells' longest names ("Trực tiếp, dịch vụ bưu chính").
const HEADER_ROW = 21;
const LAST_HEADER_ROW = 40;
const NUMBER_ROW = 17;
const DATA_FONT = 7;
const HEAD_FONT = 6.5;

function cellValue(leaf: Leaf, c: ReportCounts, index: number | null, label: string): string {
  if (leaf.kind === 'index') return index === null ? '' : String(index);
  if (leaf.kind === 'label') return label;
  const v = leaf.value?.(c) ?? null;
  if (v === null) return '';
  if (leaf.kind === 'rate') return `${(v * 100).toFixed(1)}%`;
  if (leaf.kind === 'score') return v.toFixed(2);
  return v.toLocaleString('vi-VN');
}


/** The report as an A4 landscape PDF laid out as form II.06a; identical bytes for an identical report. */
export async function reportToPdf(report: StatisticsReport, lang: ExportLang = 'vi'): Promise<Buffer> {
  const texts = formTexts(report, lang);
  const nodes = layout(report.groupBy);
  const leaves = leavesOf(nodes);
  const depth = depthOf(nodes);
  const at = new Date(report.generatedAt);
  const doc = new PDFDocument({
    size: 'A4', layout: 'landscape', margins: MARGIN, autoFirstPage: false, bufferPages: true, lang: 'vi-VN', displayTitle: true,
    info: {
      Title: `${texts.formNumber} – ${texts.title}`,
      Subject: `${texts.units[0] ?? ''} – ${texts.period}`,
      Author: report.form?.reportingUnit ?? report.unit.name,
      Creator: 'motcua', Producer: 'motcua (PDFKit)',
      // pdfkit derives the file ID from these, so fixing them makes the output reproducible.
      CreationDate: at, ModDate: at,
    },
  });
  const done = pdfBytes(doc);
  for (const [name, buf] of reportFonts()) doc.registerFont(name, buf);
  doc.addPage();

  const x0 = MARGIN.left;
  const full = doc.page.width - MARGIN.left - MARGIN.right;
  const bottom = doc.page.height - MARGIN.bottom;
  const unitsWidth = leaves.reduce((s, l) => s + l.width, 0);
  const widths = leaves.map((l) => (l.width / unitsWidth) * full);
  const xs = widths.reduce<number[]>((acc, w, i) => [...acc, (acc[i] ?? x0) + w], [x0]);
  const font = (f: Font, size: number): Doc => doc.font(f).fontSize(size);

  // Heading: three blocks as on the form.
  const side = full * 0.27;
  const centreW = full - 2 * side;
  const top = MARGIN.top;
  font('boldItalic', 9).text(texts.formNumber, x0, top, { width: side });
  font('bold', 12).text(texts.title, x0 + side, top, { width: centreW, align: 'center' });
  font('italic', 9).text(texts.period, x0 + side, doc.y + 4, { width: centreW, align: 'center' });
  const centreBottom = doc.y;
  let ry = top;
  texts.units.forEach((line, i) => {
    font(i === 0 ? 'bold' : 'regular', 8.5).text(line, x0 + full - side, ry, { width: side });
    ry = doc.y + 2;
  });
  let y = Math.max(centreBottom, ry) + 12;

  const placed = place(nodes, depth);
  const levelTop = (level: number): number => Math.min(level, depth - 1) * HEADER_ROW + (level >= depth ? LAST_HEADER_ROW : 0);
  const numbers = numbering(leaves);
  const drawHeader = (): void => {
    for (const p of placed) {
      const cx = xs[p.left] ?? x0;
      const cw = (xs[p.right + 1] ?? x0 + full) - cx;
      const cy = y + levelTop(p.top);
      const ch = levelTop(p.bottom + 1) - levelTop(p.top);
      doc.rect(cx, cy, cw, ch).lineWidth(0.5).fillAndStroke('#f2f2f2', '#000');
      doc.fillColor('#000');
      const label = p.node.label[lang];
      font('bold', HEAD_FONT);
      const h = doc.heightOfString(label, { width: cw - 4, align: 'center' });
      doc.text(label, cx + 2, cy + Math.max(1, (ch - h) / 2), { width: cw - 4, align: 'center', lineGap: -0.5 });
    }
    const ny = y + levelTop(depth);
    leaves.forEach((_, i) => {
      const cx = xs[i] ?? x0;
      doc.rect(cx, ny, widths[i] ?? 0, NUMBER_ROW).lineWidth(0.5).stroke();
      font('italic', 5.5).text(numbers[i] ?? '', cx + 1, ny + 2, { width: (widths[i] ?? 0) - 2, align: 'center', lineGap: -1 });
    });
    y = ny + NUMBER_ROW;
  };
  drawHeader();

  const drawRow = (c: ReportCounts, index: number | null, label: string, bold: boolean): void => {
    const labelIdx = leaves.findIndex((l) => l.kind === 'label');
    font(bold ? 'bold' : 'regular', DATA_FONT);
    const labelH = doc.heightOfString(label, { width: (widths[labelIdx] ?? 0) - 4 });
    const h = Math.max(14, labelH + 6);
    if (y + h > bottom) {
      doc.addPage();
      y = MARGIN.top;
      drawHeader();
    }
    leaves.forEach((leaf, i) => {
      const cx = xs[i] ?? x0;
      const cw = widths[i] ?? 0;
      doc.rect(cx, y, cw, h).lineWidth(0.5).stroke();
      const value = cellValue(leaf, c, index, label);
      const align = leaf.kind === 'label' ? 'left' : leaf.kind === 'index' ? 'center' : 'right';
      font(bold ? 'bold' : 'regular', DATA_FONT).text(value, cx + 2, y + 3, { width: cw - 4, align });
    });
    y += h;
  };
  report.rows.forEach((r, i) => drawRow(r, i + 1, r.label, false));
  drawRow(report.total, null, TOTAL[lang], true);

  // Signature blocks: need about 130 pt; a block is never split from its table by a page end alone.
  const blockHeight = 60 + texts.head.lines.length * 11 + 60;
  if (y + 16 + blockHeight > bottom) {
    doc.addPage();
    y = MARGIN.top;
  }
  y += 14;
  const signW = full * 0.38;
  const rightX = x0 + full - signW;
  font('italic', 9).text(texts.head.placeLine, rightX, y, { width: signW, align: 'center' });
  let hy = doc.y + 2;
  for (const line of texts.head.lines) {
    font('bold', 9.5).text(line, rightX, hy, { width: signW, align: 'center' });
    hy = doc.y;
  }
  font('italic', 8).text(texts.head.hint, rightX, hy, { width: signW, align: 'center' });
  const leftY = y + 13;
  font('bold', 9.5).text(texts.preparer.caption, x0, leftY, { width: signW, align: 'center' });
  font('italic', 8).text(texts.preparer.hint, x0, doc.y, { width: signW, align: 'center' });
  const namesY = doc.y > hy ? doc.y + 50 : hy + 50;
  if (texts.preparer.name) font('bold', 9.5).text(texts.preparer.name, x0, namesY, { width: signW, align: 'center' });
  if (texts.head.name) font('bold', 9.5).text(texts.head.name, rightX, namesY, { width: signW, align: 'center' });
  font('italic', 7).text(texts.generated, x0, namesY + 24, { width: full });

  // Page numbers, once the count is known.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const label = lang === 'vi' ? `Trang ${i + 1}/${range.count}` : `Page ${i + 1} of ${range.count}`;
    // Inside the bottom margin: pdfkit would otherwise open a new page for text below it.
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    font('regular', 7).text(label, x0, doc.page.height - 24, { width: full, align: 'center', lineBreak: false });
    doc.page.margins.bottom = margin;
  }
  doc.end();
  return done;
}

