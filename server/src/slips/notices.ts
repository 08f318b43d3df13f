import { applicantFields, contactOf, drawSlipTop, matter, signatureOf } from './common';
import { BLANK, formatDate, formatInstant } from './format';
import { drawRecipientsAndSignature, drawSignatures, drawTable, field, para } from './layout';
import { DOCUMENT_COLUMNS, documentRows } from './receipt';
import type { SlipData } from './types';

type Doc = PDFKit.PDFDocument;

const HEAD = 'THỦ TRƯỞNG CƠ QUAN';
const HEAD_HINT = '(Ký, ghi rõ họ tên và đóng dấu)';

/** Form 02 (Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ): what to complete, why, whom to ask; draws. */
export function drawSupplementRequest(doc: Doc, data: SlipData): void {
  drawSlipTop(doc, 'supplement-request', data);
  applicantFields(doc, 'Hồ sơ của', data);
  field(doc, 'Nội dung yêu cầu giải quyết', matter(data));
  field(doc, 'Thời gian nhận hồ sơ', formatInstant(data.receivedAt, 'receivedAt'));
  para(doc, 'Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:');
  drawTable(doc, DOCUMENT_COLUMNS('Tên giấy tờ cần bổ sung, hoàn thiện'), documentRows(data));
  field(doc, 'Lý do', data.reason ?? BLANK);
  para(doc, `Trong quá trình bổ sung, hoàn thiện hồ sơ, nếu có vướng mắc, ông/bà liên hệ ${contactOf(data)} để được hướng dẫn.`);
  drawSignatures(doc, [signatureOf(data, 'NGƯỜI HƯỚNG DẪN')]);
}

/** Form 03 (Phiếu từ chối tiếp nhận, giải quyết hồ sơ): the specific reasons and whom to contact; draws. */
export function drawRefusal(doc: Doc, data: SlipData): void {
  drawSlipTop(doc, 'refusal', data);
  applicantFields(doc, 'Tiếp nhận hồ sơ của', data);
  field(doc, 'Nội dung yêu cầu giải quyết', matter(data));
  field(doc, 'Thời gian nhận hồ sơ', formatInstant(data.receivedAt, 'receivedAt'));
  para(doc, `Qua xem xét, ${data.unit.name} thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:`);
  para(doc, data.reason ?? BLANK, { font: 'serif-bold', indent: 18 });
  para(doc, `Mọi vướng mắc xin liên hệ: ${contactOf(data)}.`);
  para(doc, 'Xin thông báo cho ông/bà được biết và thực hiện./.', { font: 'serif-italic' });
  drawSignatures(doc, [signatureOf(data, 'NGƯỜI TIẾP NHẬN HỒ SƠ')]);
}

/** Form 04 (Phiếu xin lỗi và hẹn lại ngày trả kết quả): old and new appointment, reason, apology; draws. */
export function drawApology(doc: Doc, data: SlipData): void {
  drawSlipTop(doc, 'apology', data);
  field(doc, 'Kính gửi', data.applicant.name);
  para(doc, `Ngày ${formatDate(data.receivedAt, 'receivedAt')}, ${data.unit.name} tiếp nhận hồ sơ của ông/bà đề nghị giải quyết thủ tục hành chính: ${matter(data)}.`);
  field(doc, 'Mã hồ sơ (số Giấy tiếp nhận hồ sơ và hẹn trả kết quả)', data.dossierCode);
  field(doc, 'Thời gian hẹn trả kết quả giải quyết hồ sơ', formatInstant(data.originalDueAt, 'originalDueAt'));
  para(doc, `Tuy nhiên đến nay, ${data.unit.name} chưa trả kết quả giải quyết hồ sơ cho ông/bà đúng thời hạn nêu trên.`);
  field(doc, 'Lý do', data.reason ?? BLANK);
  para(doc, `Sự chậm trễ này đã gây phiền hà cho ông/bà. ${data.unit.name} thành thật xin lỗi ông/bà và hẹn lại thời gian trả kết quả giải quyết hồ sơ vào:`);
  para(doc, formatInstant(data.dueAt, 'dueAt'), { font: 'serif-bold', align: 'center' });
  para(doc, 'Xin trân trọng cảm ơn sự hợp tác của ông/bà./.', { font: 'serif-italic' });
  drawSignatures(doc, [signatureOf(data, HEAD, HEAD_HINT)]);
}

/**
 * The stop notice of Circular 03/2025 (Thông báo dừng giải quyết hồ sơ), an administrative
 * document: number and symbol, legal basis, reason, return of papers, contact, "Nơi nhận"; draws.
 */
export function drawStopNotice(doc: Doc, data: SlipData): void {
  drawSlipTop(doc, 'stop-notice', data);
  for (const b of data.document?.basis ?? []) para(doc, `Căn cứ ${b};`, { font: 'serif-italic' });
  field(doc, 'Kính gửi', data.applicant.name);
  if (data.applicant.address) field(doc, 'Địa chỉ', data.applicant.address);
  para(doc, `${data.unit.name} đã tiếp nhận hồ sơ của ông/bà vào lúc ${formatInstant(data.receivedAt, 'receivedAt')}, đề nghị giải quyết thủ tục hành chính: ${matter(data)}.`);
  para(doc, `${data.unit.name} thông báo dừng giải quyết hồ sơ nêu trên.`);
  field(doc, 'Lý do', data.reason ?? BLANK);
  if (data.returnAt) para(doc, `Hồ sơ và giấy tờ kèm theo được trả lại cho ông/bà tại: ${data.returnAt}.`);
  para(doc, `Mọi vướng mắc xin liên hệ: ${contactOf(data)}.`);
  para(doc, 'Xin thông báo để ông/bà được biết./.', { font: 'serif-italic' });
  if (data.document) drawRecipientsAndSignature(doc, data.document.recipients, signatureOf(data, HEAD, HEAD_HINT));
  else drawSignatures(doc, [signatureOf(data, HEAD, HEAD_HINT)]);
}

/**
 * The notice of lawful extra time (docs/records.md): a sector law lets the agency take longer,
 * e.g. to verify; the citizen gets the new appointment and its legal basis, never an apology,
 * and the dossier is not late. Draws.
 */
export function drawExtraTimeNotice(doc: Doc, data: SlipData): void {
  drawSlipTop(doc, 'extra-time-notice', data);
  field(doc, 'Kính gửi', data.applicant.name);
  para(doc, `Ngày ${formatDate(data.receivedAt, 'receivedAt')}, ${data.unit.name} tiếp nhận hồ sơ của ông/bà đề nghị giải quyết thủ tục hành chính: ${matter(data)}.`);
  field(doc, 'Mã hồ sơ (số Giấy tiếp nhận hồ sơ và hẹn trả kết quả)', data.dossierCode);
  field(doc, 'Thời gian hẹn trả kết quả đã ghi trên phiếu hẹn', formatInstant(data.originalDueAt, 'originalDueAt'));
  field(doc, 'Lý do kéo dài', data.reason ?? BLANK);
  if (data.extraTime) {
    para(doc, `Căn cứ ${data.extraTime.basis}, thời hạn giải quyết hồ sơ được kéo dài thêm ${String(data.extraTime.days).padStart(2, '0')} ngày làm việc. Thời gian trả kết quả giải quyết hồ sơ là:`);
  } else {
    para(doc, 'Theo quy định của pháp luật, thời hạn giải quyết hồ sơ được kéo dài. Thời gian trả kết quả giải quyết hồ sơ là:');
  }
  para(doc, formatInstant(data.dueAt, 'dueAt'), { font: 'serif-bold', align: 'center' });
  para(doc, 'Xin thông báo để ông/bà được biết./.', { font: 'serif-italic' });
  drawSignatures(doc, [signatureOf(data, HEAD, HEAD_HINT)]);
}
