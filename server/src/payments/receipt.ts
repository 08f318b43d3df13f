/**
 * The electronic receipt (biên lai điện tử) of one paid payment, as a PDF on A5: the unit
 * that collected, the receipt's number (the payment reference), the payer, the dossier, each
 * fee and the total in figures and the provider's transaction. DejaVu fonts (the slips'):
 * pdfkit's own have no Vietnamese letters. Same data, same bytes.
 */
import PDFDocument from 'pdfkit';
import { pdfBytes } from '../pdfBytes';
import { printableData, registerSlipFonts } from '../slips/index';

export interface ReceiptData {
  number: string;
  unitName: string;
  payer: string;
  dossierId: string;
  fees: { name: string; amount: number }[];
  amount: number;
  paidAt: string;
  provider: string;
  providerRef: string | null;
  /** Paid in cash at the one-stop desk, with the officer who collected it; null when paid online. */
  cash: { collectedBy: string } | null;
  refunded: { at: string; reason: string } | null;
}

export const vnd = (n: number): string => `${n.toLocaleString('vi-VN')} đồng`;

/** dd/MM/yyyy HH:mm in Vietnam's time. */
export function vnDateTime(iso: string): string {
  const t = new Date(new Date(iso).getTime() + 7 * 3600_000).toISOString();
  return `${t.slice(8, 10)}/${t.slice(5, 7)}/${t.slice(0, 4)} ${t.slice(11, 16)}`;
}

export async function renderReceipt(input: ReceiptData): Promise<Buffer> {
  // Names and the refund reason bounded as on a slip: no word long enough to make pdfkit slow.
  const d = printableData(input);
  const doc = new PDFDocument({ size: 'A5', margin: 36, info: { Title: `Biên lai ${d.number}`, CreationDate: new Date(d.paidAt) } });
  registerSlipFonts(doc);
  const done = pdfBytes(doc);
  const width = doc.page.width - 72;
  doc.font('serif-bold').fontSize(11).text(d.unitName.toUpperCase(), { width, align: 'center' });
  doc.moveDown(0.8);
  doc.font('serif-bold').fontSize(14).text('BIÊN LAI THU PHÍ, LỆ PHÍ', { width, align: 'center' });
  doc.font('serif-italic').fontSize(10).text(d.cash ? '(Biên lai điện tử — nộp tiền mặt tại Bộ phận Một cửa)' : '(Biên lai điện tử — thanh toán trực tuyến)', { width, align: 'center' });
  doc.moveDown(0.8);
  doc.font('serif').fontSize(10);
  const line = (label: string, value: string) => {
    doc.font('serif').text(`${label}: `, { continued: true }).font('serif-bold').text(value);
  };
  line('Số biên lai', d.number);
  line('Người nộp', d.payer);
  line('Mã hồ sơ', d.dossierId);
  line('Thời điểm thanh toán', vnDateTime(d.paidAt));
  if (d.cash) {
    line('Hình thức', 'Tiền mặt tại Bộ phận Một cửa');
    line('Người thu', d.cash.collectedBy);
  } else {
    line('Hình thức', `Trực tuyến qua ${d.provider.toUpperCase()}${d.providerRef ? `, mã giao dịch ${d.providerRef}` : ''}`);
  }
  doc.moveDown(0.6);
  doc.font('serif-bold').text('Các khoản thu');
  doc.font('serif');
  for (const f of d.fees) doc.text(`– ${f.name}: ${vnd(f.amount)}`, { width });
  doc.moveDown(0.4);
  line('Tổng cộng', vnd(d.amount));
  if (d.refunded) {
    doc.moveDown(0.6);
    doc.font('serif-bold').fillColor('#a00').text(`ĐÃ HOÀN TRẢ ngày ${vnDateTime(d.refunded.at)}: ${d.refunded.reason}`, { width }).fillColor('black');
  }
  doc.moveDown(1.2);
  doc.font('serif-italic').fontSize(9).text(d.cash
    ? 'Biên lai do hệ thống một cửa điện tử lập khi cán bộ Bộ phận Một cửa ghi nhận số tiền đã thu.'
    : 'Biên lai do hệ thống một cửa điện tử lập khi nhận được xác nhận thanh toán của tổ chức cung ứng dịch vụ thanh toán.', { width });
  doc.end();
  return done;
}
