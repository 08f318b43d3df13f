/**
 * The result document from the procedure's template (an extract or a certificate made of the
 * dossier's data), laid out as Decree 30/2020 lays out an administrative document: heading,
 * number and date, title, body, the signing formula and the signer's name, and a QR code to
 * the public verification page. An uploaded result gets the same QR stamped on its first page.
 * Rendering is pure apart from reading the fonts: identical data gives identical bytes.
 */
import { PDFDocument, rgb, StandardFonts } from '@cantoo/pdf-lib';
import PDFKit from 'pdfkit';
import QRCode from 'qrcode';
import { pdfBytes } from '../pdfBytes';
import { contentWidth, drawHeading, drawTitle, field, formatDateLine, PAGE, para, registerSlipFonts } from '../slips/index';

type Doc = PDFKit.PDFDocument;

export interface ResultData {
  unit: { name: string; parentName?: string };
  /** e.g. "12/2026/KQ" */
  number: string;
  /** ISO instant of issue. */
  issuedAt: string;
  place?: string;
  title: string;
  procedure: { code: string; name: string };
  dossierCode: string;
  applicant: string;
  /** Labelled facts from the dossier, in order. */
  facts: { label: string; value: string }[];
  /** Signing formula lines (TM., KT., TUQ. … and the title), and the signer's printed name. */
  signing: { lines: string[]; signer: string };
  /** The public verification address printed and encoded in the QR code. */
  verifyUrl: string;
}

export interface RenderedResult {
  pdf: Buffer;
  /** Where the signature block is on page 1, in PDF points (x1, y1, x2, y2 from the bottom left). */
  signatureRect: [number, number, number, number];
}

const QR_SIDE = 72;

function drawQr(doc: Doc, text: string, x: number, y: number, side: number): void {
  const code = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = code.modules.size;
  const cell = side / (n + 2);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) if (code.modules.get(r, c) === 1) doc.rect(x + (c + 1) * cell, y + (r + 1) * cell, cell, cell);
  }
  doc.fillColor('black').fill();
}

export async function renderResult(input: ResultData): Promise<RenderedResult> {
  const data = JSON.parse(JSON.stringify(input), (_k, v: unknown) => (typeof v === 'string' ? v.normalize('NFC') : v)) as ResultData;
  const issued = new Date(data.issuedAt);
  const doc = new PDFKit({
    size: PAGE.size, margins: { ...PAGE.margins }, lang: 'vi-VN', displayTitle: true,
    info: {
      Title: `${data.title} – ${data.number}`, Subject: data.procedure.name, Author: data.unit.name,
      Creator: 'motcua', Producer: 'motcua (PDFKit)', CreationDate: issued, ModDate: issued,
    },
  });
  const done = pdfBytes(doc);
  registerSlipFonts(doc);
  drawHeading(doc, data.unit, formatDateLine(data.issuedAt, data.place), `Số: ${data.number}`);
  drawTitle(doc, data.title.toLocaleUpperCase('vi'), [{ text: `(Kết quả giải quyết thủ tục ${data.procedure.name}, mã ${data.procedure.code})`, font: 'serif-italic' }]);
  field(doc, 'Mã hồ sơ', data.dossierCode);
  field(doc, 'Người nộp hồ sơ', data.applicant);
  for (const f of data.facts) field(doc, f.label, f.value);
  para(doc, `${data.unit.name} xác nhận nội dung trên theo hồ sơ đã giải quyết. Văn bản này được ký số; bản điện tử có giá trị như bản giấy (Luật Giao dịch điện tử 2023).`);

  // Signature block on the right, QR code and verification line on the left.
  const colW = contentWidth(doc) / 2;
  const x = doc.page.margins.left;
  doc.moveDown(0.8);
  const y = doc.y;
  doc.font('serif-bold').fontSize(12);
  for (const l of data.signing.lines) doc.text(l, x + colW, doc.y, { width: colW, align: 'center' });
  doc.font('serif-italic').fontSize(9).text('(Đã ký số)', x + colW, doc.y, { width: colW, align: 'center' });
  const sigTop = doc.y;
  const sigBottom = sigTop + 48;
  doc.font('serif-bold').fontSize(12).text(data.signing.signer, x + colW, sigBottom + 4, { width: colW, align: 'center' });
  drawQr(doc, data.verifyUrl, x, y, QR_SIDE);
  doc.font('sans').fontSize(7).text(`Xác thực văn bản: ${data.verifyUrl}`, x, y + QR_SIDE + 2, { width: colW - 12 });
  doc.end();
  const pdf = await done;
  const h = doc.page.height;
  return { pdf, signatureRect: [x + colW + 20, h - sigBottom, x + 2 * colW - 20, h - sigTop] };
}

/** Stamps the verification QR code and address on page 1 of an uploaded result (before any signature). */
export async function stampVerification(pdf: Uint8Array, verifyUrl: string): Promise<Buffer> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const page = doc.getPage(0);
  const code = QRCode.create(verifyUrl, { errorCorrectionLevel: 'M' });
  const n = code.modules.size;
  const side = 56;
  const cell = side / (n + 2);
  const x0 = 24;
  const y0 = 24;
  page.drawRectangle({ x: x0, y: y0, width: side, height: side, color: rgb(1, 1, 1) });
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (code.modules.get(r, c) === 1) page.drawRectangle({ x: x0 + (c + 1) * cell, y: y0 + side - (r + 2) * cell, width: cell, height: cell, color: rgb(0, 0, 0) });
    }
  }
  const font = await doc.embedFont(StandardFonts.Helvetica);
  page.drawText(`Verify / Xac thuc: ${verifyUrl}`, { x: x0 + side + 6, y: y0 + 4, size: 7, font });
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}
