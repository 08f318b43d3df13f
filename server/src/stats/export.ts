// Exports of the statistics report laid out like form II.06a ("Tình hình, kết quả giải
// quyết TTHC"), so a unit can hand the file over as its periodic report unchanged.
import { toLocalIso } from '@motcua/engine';
import ExcelJS from 'exceljs';
import type { ReportCounts, ReportForm, StatisticsReport } from './report-types';

/** Language of the labels in an export. */
export type ExportLang = 'vi' | 'en';

type Text = Record<ExportLang, string>;
type GroupBy = StatisticsReport['groupBy'];

export type Kind = 'index' | 'label' | 'count' | 'rate' | 'score';

export interface Leaf {
  id: string;
  label: Text;
  /** Name that stands on its own, for the CSV whose single name row has no nesting. */
  flat?: Text;
  kind: Kind;
  width: number;
  value?: (c: ReportCounts) => number | null;
  /** Ids of the columns this one adds up, printed in the form's numbering row. */
  sumOf?: string[];
}

export interface Group {
  label: Text;
  children: Node[];
}

export type Node = Leaf | Group;

export const isGroup = (n: Node): n is Group => 'children' in n;

const count = (id: string, label: Text, value: (c: ReportCounts) => number, flat?: Text, sumOf?: string[]): Leaf =>
  ({ id, label, kind: 'count', width: 11, value, ...(flat ? { flat } : {}), ...(sumOf ? { sumOf } : {}) });

/** The columns of the form, then ours; the order is the form's, do not sort. */
const ROW_NAMES: Record<GroupBy, Text> = {
  field: { vi: 'Lĩnh vực', en: 'Field' },
  procedure: { vi: 'Thủ tục', en: 'Procedure' },
  unit: { vi: 'Đơn vị', en: 'Unit' },
};

export function layout(groupBy: GroupBy): Node[] {
  const total: Text = { vi: 'Tổng số', en: 'Total' };
  return [
    { id: 'index', label: { vi: 'STT', en: 'No.' }, kind: 'index', width: 6 },
    {
      id: 'label',
      label: ROW_NAMES[groupBy],
      kind: 'label',
      width: groupBy === 'procedure' ? 48 : 34,
    },
    {
      label: { vi: 'Số hồ sơ nhận giải quyết', en: 'Dossiers to handle' },
      children: [
        count('received', total, (c) => c.received.total, { vi: 'Tổng số nhận giải quyết', en: 'Total to handle' },
          ['carriedOver', 'online', 'directPostal']),
        {
          label: { vi: 'Trong đó', en: 'Of which' },
          children: [
            count('carriedOver', { vi: 'Số kỳ trước chuyển qua', en: 'Carried over from previous period' },
              (c) => c.received.carriedOver),
            {
              label: { vi: 'Số mới tiếp nhận', en: 'Newly received' },
              children: [
                count('online', { vi: 'Trực tuyến', en: 'Online' }, (c) => c.received.online,
                  { vi: 'Mới tiếp nhận trực tuyến', en: 'Newly received online' }),
                // The form counts desk and post together; postal alone comes last, outside the form.
                count('directPostal', { vi: 'Trực tiếp, dịch vụ bưu chính', en: 'In person, by post' },
                  (c) => c.received.direct + c.received.postal,
                  { vi: 'Mới tiếp nhận trực tiếp, dịch vụ bưu chính', en: 'Newly received in person, by post' }),
              ],
            },
          ],
        },
      ],
    },
    {
      label: { vi: 'Kết quả giải quyết', en: 'Results' },
      children: [
        {
          label: { vi: 'Số hồ sơ đã giải quyết', en: 'Resolved' },
          children: [
            count('resolved', total, (c) => c.resolved.total, { vi: 'Đã giải quyết: Tổng số', en: 'Resolved: total' },
              ['early', 'onTime', 'late']),
            count('early', { vi: 'Trả trước hạn', en: 'Early' }, (c) => c.resolved.early,
              { vi: 'Đã giải quyết: Trả trước hạn', en: 'Resolved: early' }),
            count('onTime', { vi: 'Trả đúng thời hạn', en: 'On time' }, (c) => c.resolved.onTime,
              { vi: 'Đã giải quyết: Trả đúng thời hạn', en: 'Resolved: on time' }),
            count('late', { vi: 'Trả quá hạn', en: 'Late' }, (c) => c.resolved.late,
              { vi: 'Đã giải quyết: Trả quá hạn', en: 'Resolved: late' }),
          ],
        },
        {
          label: { vi: 'Số hồ sơ đang giải quyết', en: 'In progress' },
          children: [
            count('inProgress', total, (c) => c.inProgress.total,
              { vi: 'Đang giải quyết: Tổng số', en: 'In progress: total' }, ['withinDeadline', 'overdue']),
            count('withinDeadline', { vi: 'Trong hạn', en: 'Within deadline' }, (c) => c.inProgress.withinDeadline,
              { vi: 'Đang giải quyết: Trong hạn', en: 'In progress: within deadline' }),
            count('overdue', { vi: 'Quá hạn', en: 'Overdue' }, (c) => c.inProgress.overdue,
              { vi: 'Đang giải quyết: Quá hạn', en: 'In progress: overdue' }),
          ],
        },
      ],
    },
    count('refused', { vi: 'Từ chối', en: 'Refused' }, (c) => c.refused),
    count('withdrawn', { vi: 'Rút hồ sơ', en: 'Withdrawn' }, (c) => c.withdrawn),
    { id: 'onTimeRate', label: { vi: 'Tỷ lệ đúng hạn (%)', en: 'On-time rate (%)' }, kind: 'rate', width: 11,
      value: (c) => c.onTimeRate },
    {
      label: { vi: 'Hài lòng', en: 'Satisfaction' },
      children: [
        count('ratings', { vi: 'Số lượt đánh giá', en: 'Ratings' }, (c) => c.satisfaction.count,
          { vi: 'Hài lòng: Số lượt đánh giá', en: 'Satisfaction: ratings' }),
        { id: 'score', label: { vi: 'Điểm trung bình', en: 'Average score' }, kind: 'score', width: 11,
          value: (c) => c.satisfaction.average, flat: { vi: 'Hài lòng: Điểm trung bình', en: 'Satisfaction: average score' } },
      ],
    },
    count('postal', { vi: 'Trong đó tiếp nhận qua dịch vụ bưu chính', en: 'Of which received by post' },
      (c) => c.received.postal),
    // Real lateness acknowledged to the citizen; lawful extra time is not an apology (docs/records.md).
    count('apologies', { vi: 'Số phiếu xin lỗi và hẹn lại (mẫu 04)', en: 'Apologies issued (form 04)' }, (c) => c.apologies),
  ];
}

export function leavesOf(nodes: Node[]): Leaf[] {
  return nodes.flatMap((n) => (isGroup(n) ? leavesOf(n.children) : [n]));
}

export function depthOf(nodes: Node[]): number {
  return Math.max(...nodes.map((n) => (isGroup(n) ? 1 + depthOf(n.children) : 1)));
}

export interface Placed {
  node: Node;
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** Cells of the header, 0-based: groups span their leaves, leaves reach the last header row. */
export function place(nodes: Node[], depth: number, level = 0, left = 0): Placed[] {
  const out: Placed[] = [];
  let col = left;
  for (const node of nodes) {
    if (isGroup(node)) {
      const width = leavesOf(node.children).length;
      out.push({ node, top: level, left: col, bottom: level, right: col + width - 1 });
      out.push(...place(node.children, depth, level + 1, col));
      col += width;
    } else {
      out.push({ node, top: level, left: col, bottom: depth - 1, right: col });
      col += 1;
    }
  }
  return out;
}

/** The form's numbering row: "(1)", "(2)", "(3)=(4)+(5)+(6)", … */
export function numbering(leaves: Leaf[]): string[] {
  const pos = new Map(leaves.map((l, i) => [l.id, i + 1]));
  return leaves.map((l, i) =>
    `(${i + 1})` + (l.sumOf ? '=' + l.sumOf.map((id) => `(${pos.get(id) ?? '?'})`).join('+') : ''));
}

export const TOTAL: Text = { vi: 'Tổng cộng', en: 'Total' };

// ---------------------------------------------------------------------------------------
// CSV

/** RFC 4180 field. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Names come from the catalogue; one starting like a formula would run when Excel opens the file. */
const csvText = (value: string): string => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

function csvNumber(leaf: Leaf, value: number | null): string {
  if (value === null) return '';
  if (leaf.kind === 'rate') return (value * 100).toFixed(1);
  if (leaf.kind === 'score') return value.toFixed(2);
  return String(value);
}

/** The report as CSV laid out like form II.06a: UTF-8 with BOM, CRLF, two header rows. */
export function reportToCsv(report: StatisticsReport, lang: ExportLang = 'vi'): string {
  const nodes = layout(report.groupBy);
  const leaves = leavesOf(nodes);
  // First row: each top-level group at the first column it spans, as a merged cell would show.
  const groups = nodes.flatMap((n) =>
    (isGroup(n) ? [n.label[lang], ...Array<string>(leavesOf(n.children).length - 1).fill('')] : ['']));
  const names = leaves.map((l) => (l.flat ?? l.label)[lang]);
  const line = (c: ReportCounts, index: string, label: string): string[] =>
    leaves.map((l) =>
      (l.kind === 'index' ? index : l.kind === 'label' ? csvText(label) : csvNumber(l, l.value?.(c) ?? null)));
  const lines = [
    groups,
    names,
    ...report.rows.map((r, i) => line(r, String(i + 1), r.label)),
    line(report.total, '', TOTAL[lang]),
  ];
  // The BOM is what makes Excel read the file as UTF-8 rather than the ANSI code page.
  return '\uFEFF' + lines.map((cells) => cells.map(csvField).join(',')).join('\r\n') + '\r\n';
}

// ---------------------------------------------------------------------------------------
// XLSX

// The form's own title (Circular 01/2018/TT-VPCP, form II.06a), as the seeds' reports print it.
const TITLE: Text = {
  vi: 'TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH',
  en: 'HANDLING OF ADMINISTRATIVE PROCEDURES: SITUATION AND RESULTS',
};
const FORM: Text = { vi: 'Biểu số II.06a', en: 'Form II.06a' };
const FORMATS: Record<Kind, string | undefined> = {
  index: undefined, label: undefined, count: '#,##0', rate: '0.0%', score: '0.00',
};

const thin: Partial<ExcelJS.Border> = { style: 'thin' };
const box: Partial<ExcelJS.Borders> = { top: thin, left: thin, bottom: thin, right: thin };

/** "2026-07-01" → "01/07/2026"; the period is already local, so no time zone is involved. */
const localDate = (iso: string): string => iso.split('-').reverse().join('/');

/** dd/MM/yyyy HH:mm in Vietnam's time. */
function vietnamTime(iso: string): string {
  const t = toLocalIso(iso);
  return `${localDate(t.slice(0, 10))} ${t.slice(11, 16)}`;
}

/**
 * The place line of an administrative document (Decree 30/2020/NĐ-CP, Annex I): the locality,
 * then "ngày 07 tháng 9 năm 2026" — a leading zero for days under 10 and for months 1 and 2 only.
 */
export function placeLine(place: string, date: string, lang: ExportLang): string {
  const [y, m, d] = date.split('-');
  const month = Number(m);
  if (lang === 'en') return `${place ? `${place}, ` : ''}${d}/${m}/${y}`;
  const mm = month <= 2 ? String(month).padStart(2, '0') : String(month);
  return `${place ? `${place}, ` : ''}ngày ${d} tháng ${mm} năm ${y}`;
}

/** The texts around the table, shared by the XLSX and the PDF so both print the same form. */
export interface FormTexts {
  formNumber: string;
  title: string;
  /** Right-hand block: reporting unit, receiving unit, unit of measure. */
  units: string[];
  period: string;
  preparer: { caption: string; hint: string; name: string | null };
  head: { placeLine: string; lines: string[]; hint: string; name: string | null };
  generated: string;
}

/** The form's surroundings of a report in one language; a report without `form` gets a blank signature block. */
export function formTexts(report: StatisticsReport, lang: ExportLang): FormTexts {
  const form: ReportForm = report.form ?? {
    reportingUnit: report.unit.name, receivingUnit: '', unitOfMeasure: 'Số hồ sơ thủ tục hành chính', place: '',
    date: report.period.to, preparer: null, signature: { lines: ['THỦ TRƯỞNG ĐƠN VỊ'], signer: null },
  };
  const children = report.unit.includesChildren
    ? { vi: ' (bao gồm các đơn vị trực thuộc)', en: ' (including subordinate units)' }[lang]
    : '';
  const from = localDate(report.period.from);
  const to = localDate(report.period.to);
  const vi = lang === 'vi';
  const units = [
    `${vi ? 'Đơn vị báo cáo' : 'Reporting unit'}: ${form.reportingUnit}${children}`,
    ...(form.receivingUnit ? [`${vi ? 'Đơn vị nhận báo cáo' : 'Report sent to'}: ${form.receivingUnit}`] : []),
    `${vi ? 'Đơn vị tính' : 'Unit of measure'}: ${vi ? form.unitOfMeasure : 'administrative procedure dossiers'}`,
  ];
  return {
    formNumber: FORM[lang],
    title: TITLE[lang],
    units,
    period: vi ? `Kỳ báo cáo: từ ngày ${from} đến ngày ${to}` : `Reporting period: from ${from} to ${to}`,
    preparer: {
      caption: vi ? 'NGƯỜI LẬP BIỂU' : 'PREPARED BY',
      hint: vi ? '(Ký, ghi rõ họ tên)' : '(Signature, full name)',
      name: form.preparer,
    },
    head: {
      placeLine: placeLine(form.place, form.date, lang),
      // The formula stays in Vietnamese: it is the legal form of the signature (Decree 30/2020).
      lines: form.signature.lines,
      hint: vi ? '(Ký, ghi rõ họ tên, đóng dấu)' : '(Signature, full name, seal)',
      name: form.signature.signer,
    },
    generated: `${vi ? 'Số liệu tính lúc' : 'Figures computed at'}: ${vietnamTime(report.generatedAt)}`,
  };
}

/** Columns of the three blocks above and below the table: left, centre, right (1-based, inclusive). */
export function blocks(width: number): { left: [number, number]; centre: [number, number]; right: [number, number] } {
  const side = Math.max(2, Math.floor(width * 0.3));
  return { left: [1, side], centre: [side + 1, width - side], right: [width - side + 1, width] };
}

/** The report as an XLSX workbook laid out like form II.06a, ready to print on A4 landscape. */
export async function reportToXlsx(report: StatisticsReport, lang: ExportLang = 'vi'): Promise<Buffer> {
  const nodes = layout(report.groupBy);
  const leaves = leavesOf(nodes);
  const depth = depthOf(nodes);
  const width = leaves.length;
  const texts = formTexts(report, lang);
  const { left, centre, right } = blocks(width);

  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'motcua';
  // The report's time, not now: the file's properties say when the figures were computed.
  workbook.created = new Date(report.generatedAt);
  workbook.modified = workbook.created;
  const sheet = workbook.addWorksheet('II.06a');

  const put = (row: number, [a, b]: [number, number], text: string, font: Partial<ExcelJS.Font>,
    horizontal: 'left' | 'center' | 'right' = 'center', rows = 1): void => {
    if (b > a || rows > 1) sheet.mergeCells(row, a, row + rows - 1, b);
    const cell = sheet.getCell(row, a);
    cell.value = text;
    cell.font = font;
    cell.alignment = { horizontal, vertical: 'middle', wrapText: true };
  };
  // The heading in three blocks, as on the form: number on the left, title and period in the centre, units on the right.
  put(1, left, texts.formNumber, { bold: true, italic: true }, 'left');
  put(1, centre, texts.title, { bold: true, size: 13 }, 'center', 2);
  texts.units.forEach((line, i) => put(1 + i, right, line, { bold: i === 0 }, 'left'));
  put(3, centre, texts.period, { italic: true });
  for (let r = 1; r <= 3; r++) sheet.getRow(r).height = 30;

  const headerTop = 5;
  const numberRow = headerTop + depth;
  for (const p of place(nodes, depth)) {
    const top = headerTop + p.top;
    const bottom = headerTop + p.bottom;
    if (bottom > top || p.right > p.left) sheet.mergeCells(top, p.left + 1, bottom, p.right + 1);
    sheet.getCell(top, p.left + 1).value = p.node.label[lang];
  }
  const numbers = numbering(leaves);
  for (let c = 1; c <= width; c++) {
    for (let r = headerTop; r < numberRow; r++) {
      // Every cell of a merge gets the border, or Excel draws only the master's edges.
      const cell = sheet.getCell(r, c);
      cell.font = { bold: true };
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      cell.border = box;
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
    }
    const n = sheet.getCell(numberRow, c);
    n.value = numbers[c - 1] ?? '';
    n.font = { italic: true, size: 9 };
    n.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    n.border = box;
  }
  for (let r = headerTop; r < numberRow; r++) sheet.getRow(r).height = r === numberRow - 1 ? 48 : 30;

  const writeRow = (rowNumber: number, c: ReportCounts, index: number | null, label: string, bold: boolean): void => {
    leaves.forEach((leaf, i) => {
      const cell = sheet.getCell(rowNumber, i + 1);
      cell.value = leaf.kind === 'index' ? index : leaf.kind === 'label' ? label : (leaf.value?.(c) ?? null);
      const numFmt = FORMATS[leaf.kind];
      if (numFmt) cell.numFmt = numFmt;
      cell.border = box;
      cell.font = { bold };
      cell.alignment = leaf.kind === 'label'
        ? { horizontal: 'left', vertical: 'middle', wrapText: true }
        : { horizontal: leaf.kind === 'index' ? 'center' : 'right', vertical: 'middle' };
    });
  };
  const firstData = numberRow + 1;
  report.rows.forEach((r, i) => writeRow(firstData + i, r, i + 1, r.label, false));
  const totalRow = firstData + report.rows.length;
  writeRow(totalRow, report.total, null, TOTAL[lang], true);
  sheet.mergeCells(totalRow, 1, totalRow, 2);
  sheet.getCell(totalRow, 1).value = TOTAL[lang];
  sheet.getCell(totalRow, 1).alignment = { horizontal: 'center', vertical: 'middle' };

  // Below the table: "Người lập biểu" on the left, the place line and the head's block on the right.
  const signTop = totalRow + 2;
  const signLeft: [number, number] = [left[0], Math.min(left[1] + 2, centre[1])];
  const signRight: [number, number] = [Math.max(right[0] - 3, centre[0]), right[1]];
  put(signTop, signRight, texts.head.placeLine, { italic: true });
  put(signTop + 1, signLeft, texts.preparer.caption, { bold: true });
  put(signTop + 2, signLeft, texts.preparer.hint, { italic: true, size: 9 });
  texts.head.lines.forEach((line, i) => put(signTop + 1 + i, signRight, line, { bold: true }));
  const hintRow = signTop + 1 + texts.head.lines.length;
  put(hintRow, signRight, texts.head.hint, { italic: true, size: 9 });
  // Four empty rows to sign in, then the names.
  const namesRow = hintRow + 5;
  if (texts.preparer.name) put(namesRow, signLeft, texts.preparer.name, { bold: true });
  if (texts.head.name) put(namesRow, signRight, texts.head.name, { bold: true });

  const stamp = sheet.getCell(namesRow + 2, 1);
  stamp.value = texts.generated;
  stamp.font = { italic: true, size: 9 };

  leaves.forEach((leaf, i) => { sheet.getColumn(i + 1).width = leaf.width; });
  sheet.views = [{ state: 'frozen', xSplit: 2, ySplit: numberRow, topLeftCell: `C${firstData}`, activeCell: `C${firstData}` }];
  sheet.pageSetup = {
    paperSize: 9, // A4
    orientation: 'landscape',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0, // as many pages tall as the rows need
    horizontalCentered: true,
    margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    printTitlesRow: `${headerTop}:${numberRow}`,
  };
  sheet.headerFooter.oddFooter = lang === 'vi' ? '&CTrang &P/&N' : '&CPage &P of &N';

  return Buffer.from(await workbook.xlsx.writeBuffer());
}
