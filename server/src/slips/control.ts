import { drawSlipTop, matter } from './common';
import { BLANK, formatInstant, handoffResultLabel } from './format';
import { drawTable, field, para } from './layout';
import type { Column } from './layout';
import type { SlipData } from './types';

type Doc = PDFKit.PDFDocument;

const COLUMNS: Column[] = [
  { header: 'STT', weight: 0.55, align: 'center' },
  { header: 'Bên giao', weight: 2 },
  { header: 'Bên nhận', weight: 2 },
  { header: 'Thời gian giao, nhận hồ sơ', weight: 1.55, align: 'center' },
  { header: 'Kết quả giải quyết', weight: 1.15, align: 'center' },
  { header: 'Ghi chú', weight: 1.75 },
];

/**
 * Form 05 (Phiếu kiểm soát quá trình giải quyết hồ sơ): one row per hand-off, taken from the
 * electronic trail, which stands in for the per-row signatures of the paper form; shows the
 * appointment of slip 01 and, when moved, the later one; draws.
 */
export function drawControl(doc: Doc, data: SlipData): void {
  drawSlipTop(doc, 'control', data);
  field(doc, 'Kèm theo hồ sơ của', data.applicant.name);
  field(doc, 'Nội dung yêu cầu giải quyết', matter(data));
  field(doc, 'Thời gian nhận hồ sơ', formatInstant(data.receivedAt, 'receivedAt'));
  // The appointment on slip 01 stays on record beside any later one (extra time, apology).
  const original = data.originalDueAt ?? data.dueAt;
  field(doc, 'Thời gian hẹn trả kết quả', formatInstant(original, 'originalDueAt'));
  if (data.dueAt && original && data.dueAt !== original) field(doc, 'Thời gian hẹn trả kết quả sau khi kéo dài, hẹn lại', formatInstant(data.dueAt, 'dueAt'));
  field(doc, 'Cơ quan (bộ phận) giải quyết hồ sơ', data.unit.name);
  field(doc, 'Cơ quan phối hợp giải quyết hồ sơ', data.coordinatingUnits?.join('; ') || BLANK);

  const rows = (data.handoffs ?? []).map((h, i) => [
    String(i + 1),
    h.from,
    h.to,
    // Time on one line, date on the next: the column is narrow and a split date reads badly.
    formatInstant(h.at, `handoffs[${i}].at`).replace(', ', ',\n'),
    handoffResultLabel(h.result),
    h.note ?? '',
  ]);
  drawTable(doc, COLUMNS, rows);
  // Form 05 is signed row by row by those who hand over and receive (here: the electronic
  // trail); the form has no signature block of the agency below the table.
  para(doc, `Phiếu được lập tự động từ nhật ký xử lý hồ sơ điện tử lúc ${formatInstant(data.issuedAt, 'issuedAt')}.`, { font: 'serif-italic' });
}
