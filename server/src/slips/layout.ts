import type { SlipFont } from './fonts';
import { printable } from './printable';

type Doc = PDFKit.PDFDocument;
type Align = 'left' | 'center' | 'right' | 'justify';

/** A4 with the margins of Decree 30/2020 (top and bottom 20 mm, left 25 mm, right 18 mm). */
export const PAGE = { size: 'A4', margins: { top: 57, bottom: 57, left: 71, right: 51 } } as const;

// Font sizes in points; DejaVu runs wide, so 11 pt reads like the 13 pt Times of paper forms.
const SIZE = { body: 11, small: 9.5, heading: 11, title: 13.5 } as const;

const LINE_GAP = 2;
const CELL_PAD = 4;
const CELL_FONT: SlipFont = 'serif-condensed';
const HEAD_FONT: SlipFont = 'serif-condensed-bold';

const left = (doc: Doc): number => doc.page.margins.left;
/** Width between the margins. */
export const contentWidth = (doc: Doc): number => doc.page.width - doc.page.margins.left - doc.page.margins.right;
const bottom = (doc: Doc): number => doc.page.height - doc.page.margins.bottom;

// Starts a new page when fewer than `height` points remain.
function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > bottom(doc)) doc.addPage();
}

function use(doc: Doc, font: SlipFont, size: number): Doc {
  return doc.font(font).fontSize(size);
}

/** The largest size up to `max` at which `text` fits on one line of `width`; measures only. */
function fitSize(doc: Doc, font: SlipFont, text: string, max: number, width: number): number {
  use(doc, font, max);
  const w = doc.widthOfString(text);
  return w <= width ? max : Math.floor((max * width) / w * 10) / 10;
}

function rule(doc: Doc, cx: number, y: number, width: number): void {
  doc.moveTo(cx - width / 2, y).lineTo(cx + width / 2, y).lineWidth(0.6).stroke();
}

/** Unit name on the left, national heading and date line on the right, as Decree 30 lays them out; draws. */
export function drawHeading(doc: Doc, unit: { name: string; parentName?: string }, dateLine: string, numberLine?: string): void {
  const x = left(doc);
  const y0 = doc.page.margins.top;
  const leftW = contentWidth(doc) * 0.42;
  const rightW = contentWidth(doc) - leftW;

  let y = y0;
  if (unit.parentName) {
    use(doc, 'serif', SIZE.heading).text(spelledOut(unit.parentName).toLocaleUpperCase('vi'), x, y, { width: leftW, align: 'center' });
    y = doc.y;
  }
  // A People's Committee is written in full over two lines, "ỦY BAN NHÂN DÂN / XÃ AN PHÚ" (Decree 30/2020, Annex I).
  const committee = /^(UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+(.+)$/iu.exec(unit.name);
  const name = committee ? `ỦY BAN NHÂN DÂN\n${committee[2] ?? ''}` : unit.name;
  use(doc, 'serif-bold', SIZE.heading).text(name.toLocaleUpperCase('vi'), x, y, { width: leftW, align: 'center' });
  rule(doc, x + leftW / 2, doc.y + 3, leftW / 3);
  // "Số: …/TB-UBND" under the body's name, level with the date line (Decree 30/2020, Annex I).
  if (numberLine) use(doc, 'serif', SIZE.heading).text(numberLine, x, doc.y + 12, { width: leftW, align: 'center' });
  const leftBottom = doc.y + 3;

  const nation = 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM';
  const motto = 'Độc lập - Tự do - Hạnh phúc';
  const rx = x + leftW;
  const size = fitSize(doc, 'serif-bold', nation, SIZE.heading, rightW);
  use(doc, 'serif-bold', size).text(nation, rx, y0, { width: rightW, align: 'center' });
  use(doc, 'serif-bold', size + 0.5).text(motto, rx, doc.y, { width: rightW, align: 'center' });
  rule(doc, rx + rightW / 2, doc.y + 3, doc.widthOfString(motto));
  use(doc, 'serif-italic', SIZE.heading).text(dateLine, rx, doc.y + 12, { width: rightW, align: 'center' });

  doc.x = x;
  doc.y = Math.max(leftBottom, doc.y) + 20;
}

/** "UBND xã An Phú" written in full, "Ủy ban nhân dân xã An Phú", as a heading requires; pure. */
export function spelledOut(name: string): string {
  return name.replace(/^UBND\s+/u, 'Ủy ban nhân dân ');
}

/** The title of the form, centred in bold, with lines under it (code, copy); draws. */
export function drawTitle(doc: Doc, title: string, lines: { text: string; font?: SlipFont }[] = []): void {
  use(doc, 'serif-bold', SIZE.title).text(title, left(doc), doc.y, { width: contentWidth(doc), align: 'center' });
  doc.moveDown(0.2);
  for (const line of lines) {
    use(doc, line.font ?? 'serif', SIZE.body).text(line.text, left(doc), doc.y, { width: contentWidth(doc), align: 'center' });
  }
  doc.moveDown(0.8);
}

/**
 * Text as pdfkit may be given it: no word longer than pdfkit breaks in linear time
 * (./printable.ts); not cut, the fields it is made of are (renderSlip).
 */
const wrappable = (text: string): string => printable(text, Infinity);

/** A paragraph at the left margin, wrapped and paginated by pdfkit; draws. */
export function para(doc: Doc, text: string, opts: { font?: SlipFont; indent?: number; width?: number; align?: Align } = {}): void {
  const indent = opts.indent ?? 0;
  use(doc, opts.font ?? 'serif', SIZE.body).text(wrappable(text), left(doc) + indent, doc.y, {
    width: (opts.width ?? contentWidth(doc)) - indent,
    align: opts.align ?? 'justify',
    lineGap: LINE_GAP,
  });
  doc.moveDown(0.25);
}

/** "Label: value" with the value in bold so the filled-in part stands out as on a hand-filled form; draws. */
export function field(doc: Doc, label: string, value: string, opts: { width?: number; indent?: number } = {}): void {
  const indent = opts.indent ?? 0;
  const width = (opts.width ?? contentWidth(doc)) - indent;
  use(doc, 'serif', SIZE.body).text(`${wrappable(label)}: `, left(doc) + indent, doc.y, { width, continued: true, lineGap: LINE_GAP });
  use(doc, 'serif-bold', SIZE.body).text(wrappable(value), { width, lineGap: LINE_GAP });
  doc.moveDown(0.25);
}

/** A table column: header text, relative width, alignment of its cells. */
export interface Column {
  header: string;
  weight: number;
  align?: 'left' | 'center' | 'right';
}

function rowHeight(doc: Doc, cells: string[], widths: number[], font: SlipFont): number {
  use(doc, font, SIZE.small);
  const heights = cells.map((c, i) => doc.heightOfString(c || ' ', { width: (widths[i] ?? 0) - 2 * CELL_PAD, lineGap: 1 }));
  return Math.max(...heights) + 2 * CELL_PAD;
}

function drawRow(doc: Doc, cells: string[], widths: number[], columns: Column[], font: SlipFont, height: number, shade: boolean): void {
  const y = doc.y;
  let x = left(doc);
  if (shade) doc.rect(x, y, contentWidth(doc), height).fill('#ececec').fillColor('black');
  use(doc, font, SIZE.small);
  cells.forEach((cell, i) => {
    const w = widths[i] ?? 0;
    doc.rect(x, y, w, height).lineWidth(0.5).stroke();
    doc.text(cell, x + CELL_PAD, y + CELL_PAD, {
      width: w - 2 * CELL_PAD,
      height: height - 2 * CELL_PAD,
      align: shade ? 'center' : (columns[i]?.align ?? 'left'),
      lineGap: 1,
      ellipsis: true,
    });
    x += w;
  });
  doc.x = left(doc);
  doc.y = y + height;
}

/**
 * A ruled table that breaks between rows and repeats its header on each new page, so a long
 * hand-off trail stays readable on paper; a row taller than a page is cut with an ellipsis. Draws.
 */
export function drawTable(doc: Doc, columns: Column[], rows: string[][], empty = '(không có)'): void {
  const total = columns.reduce((s, c) => s + c.weight, 0);
  const widths = columns.map((c) => (c.weight / total) * contentWidth(doc));
  const headers = columns.map((c) => c.header);
  const headerHeight = rowHeight(doc, headers, widths, HEAD_FONT);
  // The note goes in the widest column: the first is usually a narrow "STT".
  const wide = widths.indexOf(Math.max(...widths));
  const body = rows.length > 0 ? rows.map((r) => r.map(wrappable)) : [columns.map((_, i) => (i === wide ? empty : ''))];
  const page = bottom(doc) - doc.page.margins.top - headerHeight;

  ensureSpace(doc, headerHeight + Math.min(rowHeight(doc, body[0] ?? [], widths, CELL_FONT), page));
  drawRow(doc, headers, widths, columns, HEAD_FONT, headerHeight, true);
  for (const row of body) {
    const height = Math.min(rowHeight(doc, row, widths, CELL_FONT), page);
    if (doc.y + height > bottom(doc)) {
      doc.addPage();
      drawRow(doc, headers, widths, columns, HEAD_FONT, headerHeight, true);
    }
    drawRow(doc, row, widths, columns, CELL_FONT, height, false);
  }
  doc.moveDown(0.6);
}

/** Who signs: the formula lines (TM., KT., chức vụ), a hint in italics, the printed name. */
export interface SignatureBlock {
  lines: string[];
  hint?: string;
  name?: string;
}

const SIGN_SPACE = 62;

function blockHeight(doc: Doc, b: SignatureBlock, width: number): number {
  let h = 0;
  use(doc, 'serif-bold', SIZE.body);
  for (const l of b.lines) h += doc.heightOfString(l, { width });
  if (b.hint) h += use(doc, 'serif-italic', SIZE.small).heightOfString(b.hint, { width });
  return h + SIGN_SPACE + (b.name ? use(doc, 'serif-bold', SIZE.body).heightOfString(b.name, { width }) : 0);
}

/**
 * One block on the right half, or two side by side (applicant left, officer right), kept
 * together on one page because a signature split from its formula is worthless. Draws.
 */
export function drawSignatures(doc: Doc, blocks: SignatureBlock[]): void {
  const colW = contentWidth(doc) / 2;
  const height = Math.max(...blocks.map((b) => blockHeight(doc, b, colW)));
  doc.moveDown(0.6);
  ensureSpace(doc, height);
  const y = doc.y;
  blocks.forEach((b, i) => drawBlock(doc, b, left(doc) + (blocks.length === 1 ? colW : i * colW), y, colW));
  doc.x = left(doc);
  doc.y = y + height;
}

function drawBlock(doc: Doc, b: SignatureBlock, x: number, y: number, colW: number): void {
  doc.y = y;
  for (const l of b.lines) use(doc, 'serif-bold', SIZE.body).text(l, x, doc.y, { width: colW, align: 'center' });
  if (b.hint) use(doc, 'serif-italic', SIZE.small).text(b.hint, x, doc.y, { width: colW, align: 'center' });
  if (b.name) use(doc, 'serif-bold', SIZE.body).text(b.name, x, doc.y + SIGN_SPACE, { width: colW, align: 'center' });
}

/** "Nơi nhận:" and its list at the left, the signature at the right, kept together on one page (Decree 30/2020, Annex I); draws. */
export function drawRecipientsAndSignature(doc: Doc, recipients: string[], block: SignatureBlock): void {
  const colW = contentWidth(doc) / 2;
  const list = recipients.map((r, i) => `- ${r}${i === recipients.length - 1 ? '.' : ';'}`);
  use(doc, 'serif', SIZE.small);
  const listH = list.reduce((h, l) => h + doc.heightOfString(l, { width: colW - 8 }), 0) + 16;
  const height = Math.max(blockHeight(doc, block, colW), listH);
  doc.moveDown(0.6);
  ensureSpace(doc, height);
  const y = doc.y;
  use(doc, 'serif-bold-italic', SIZE.body).text('Nơi nhận:', left(doc), y, { width: colW });
  for (const l of list) use(doc, 'serif', SIZE.small).text(l, left(doc), doc.y, { width: colW - 8 });
  drawBlock(doc, block, left(doc) + colW, y, colW);
  doc.x = left(doc);
  doc.y = y + height;
}

/** Writes "label · Trang i/n" in the bottom margin of pages `from`..`to` when there is more than one; draws. */
export function numberPages(doc: Doc, from: number, to: number, label: string): void {
  const count = to - from + 1;
  if (count < 2) return;
  for (let i = from; i <= to; i++) {
    doc.switchToPage(i);
    const marginBottom = doc.page.margins.bottom;
    // pdfkit adds a page for text below the bottom margin; lift the margin while writing the footer.
    doc.page.margins.bottom = 0;
    use(doc, 'sans', 8).fillColor('#555555')
      .text(`${label} · Trang ${i - from + 1}/${count}`, left(doc), doc.page.height - marginBottom + 16, { width: contentWidth(doc), align: 'right' })
      .fillColor('black');
    doc.page.margins.bottom = marginBottom;
  }
}
