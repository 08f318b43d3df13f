import { drawSlipTop, matter } from './common';
import { BLANK, formatInstant, handoffResultLabel } from './format';
import { drawSignatures, drawTable, field, para } from './layout';
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
 * electronic trail, which stands in for the per-row signatures of the paper form; draws.
 */
export function drawControl(doc: Doc, data: SlipData): void {
  drawSlipTop(doc, 'control', data);
  field(doc, 'Kèm theo hồ sơ của', data.applicant.name);
  field(doc, 'Nội dung yêu cầu giải quyết', matter(data));
  field(doc, 'Thời gian nhận hồ sơ', formatInstant(data.receivedAt, 'receivedAt'));
  field(doc, 'Thời gian hẹn trả kết quả', formatInstant(data.dueAt, 'dueAt'));
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
  para(doc, `Phiếu được lập tự động từ nhật ký xử lý hồ sơ điện tử lúc ${formatInstant(data.issuedAt, 'issuedAt')}.`, { font: 'serif-italic' });
  if (data.signing) drawSignatures(doc, [{ lines: data.signing.lines, hint: '(Ký, ghi rõ họ tên và đóng dấu)', name: data.signing.signer }]);
}
