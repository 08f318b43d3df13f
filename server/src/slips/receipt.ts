import QRCode from 'qrcode';
import { applicantFields, drawSlipTop, matter, signatureOf } from './common';
import { BLANK, formatInstant, twoDigits } from './format';
import { contentWidth, drawSignatures, drawTable, field, para } from './layout';
import type { Column } from './layout';
import type { SlipData } from './types';

type Doc = PDFKit.PDFDocument;

// Form 01 is made out in two copies: one kept at the desk, one handed to the applicant.
const COPIES = ['Liên 1: Lưu tại Bộ phận tiếp nhận và trả kết quả', 'Liên 2: Giao người nộp hồ sơ'];
const ELECTRONIC = 'Giấy tiếp nhận điện tử, gửi vào tài khoản của người nộp hồ sơ trên Cổng Dịch vụ công';

/** Columns of the documents table on forms 01 and 02. */
export const DOCUMENT_COLUMNS = (nameHeader: string): Column[] => [
  { header: 'STT', weight: 0.55, align: 'center' },
  { header: nameHeader, weight: 4 },
  { header: 'Hình thức (bản chính, bản sao có chứng thực, bản sao)', weight: 2.1, align: 'center' },
  { header: 'Số lượng', weight: 0.9, align: 'center' },
];

/** Table rows of `data.documents`, numbered from 1. */
export const documentRows = (data: SlipData): string[][] =>
  (data.documents ?? []).map((d, i) => [String(i + 1), d.name, d.form, twoDigits(d.count)]);

const QR_SIZE = 74;

type QrMatrix = { size: number; dark: (row: number, col: number) => boolean };

/**
 * The QR code drawn as vector squares: crisp at any zoom, and no embedded PNG (pdfkit
 * decodes PNGs asynchronously, which made the object numbering of a slip vary between runs).
 */
function drawQr(doc: Doc, qr: QrMatrix, x: number, y: number, side: number): void {
  const cell = side / (qr.size + 2);
  for (let r = 0; r < qr.size; r++) {
    for (let c = 0; c < qr.size; c++) if (qr.dark(r, c)) doc.rect(x + (c + 1) * cell, y + (r + 1) * cell, cell, cell);
  }
  doc.fillColor('black').fill();
}

function drawReceipt(doc: Doc, data: SlipData, copy: string, qr: QrMatrix): void {
  drawSlipTop(doc, 'receipt', data, [copy]);

  // The QR sits in the right margin of the first fields; those lines are narrowed until below it.
  const qrX = doc.page.margins.left + contentWidth(doc) - QR_SIZE;
  const qrY = doc.y;
  drawQr(doc, qr, qrX, qrY, QR_SIZE);
  doc.font('sans').fontSize(7).text('Quét để tra cứu hồ sơ', qrX - 10, qrY + QR_SIZE + 1, { width: QR_SIZE + 20, align: 'center' });
  doc.x = doc.page.margins.left;
  doc.y = qrY;
  const qrBottom = qrY + QR_SIZE + 12;
  const beside = (): number | undefined => (doc.y < qrBottom ? contentWidth(doc) - QR_SIZE - 12 : undefined);

  const w = beside();
  field(doc, 'Cơ quan tiếp nhận', data.unit.name, w === undefined ? {} : { width: w });
  applicantFields(doc, 'Tiếp nhận hồ sơ của', data, beside);
  doc.y = Math.max(doc.y, qrBottom);
  field(doc, 'Nội dung yêu cầu giải quyết', matter(data));

  para(doc, '1. Thành phần hồ sơ nộp gồm:');
  drawTable(doc, DOCUMENT_COLUMNS('Tên giấy tờ'), documentRows(data));
  field(doc, '2. Số lượng hồ sơ', `${twoDigits(data.sets ?? 1)} bộ`);
  field(doc, '3. Thời gian giải quyết hồ sơ theo quy định', data.procedure.legalDeadline);
  field(doc, '4. Thời gian nhận hồ sơ', formatInstant(data.receivedAt, 'receivedAt'));
  field(doc, '5. Thời gian trả kết quả giải quyết hồ sơ', formatInstant(data.dueAt, 'dueAt'));
  field(doc, '6. Đăng ký nhận kết quả tại', data.returnAt ?? BLANK);
  const book = data.trackingBook;
  para(doc, `Vào Sổ theo dõi hồ sơ, Quyển số: ${book?.volume ?? BLANK}, Số thứ tự: ${book?.entry ?? BLANK}`);
  if (data.trackingUrl) para(doc, `Tra cứu tình trạng hồ sơ tại: ${data.trackingUrl}`, { font: 'serif-italic', align: 'left' });

  // An electronic receipt (online submission) has no applicant to sign it.
  drawSignatures(doc, data.electronic ? [signatureOf(data, 'NGƯỜI TIẾP NHẬN HỒ SƠ')] : [
    { lines: ['NGƯỜI NỘP HỒ SƠ'], hint: '(Ký và ghi rõ họ tên)', name: data.applicant.name },
    signatureOf(data, 'NGƯỜI TIẾP NHẬN HỒ SƠ'),
  ]);
}

/**
 * Form 01 (Giấy tiếp nhận hồ sơ và hẹn trả kết quả) as one drawing per copy (one electronic
 * copy for an online dossier), each with a QR code
 * of the tracking address (or the dossier code; `qrText` when given) beside the applicant; encodes the QR code.
 */
export async function receiptCopies(data: SlipData, qrText = data.trackingUrl ?? data.dossierCode): Promise<((doc: Doc) => void)[]> {
  const code = QRCode.create(qrText, { errorCorrectionLevel: 'M' });
  const qr: QrMatrix = { size: code.modules.size, dark: (r, c) => code.modules.get(r, c) === 1 };
  // Online, one electronic copy goes to the applicant's account: there is no desk copy to keep.
  const copies = data.electronic ? [ELECTRONIC] : COPIES;
  return copies.map((copy) => (doc: Doc) => drawReceipt(doc, data, `(${copy})`, qr));
}
