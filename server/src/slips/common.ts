import { BLANK, formatDate, formatDateLine } from './format';
import { drawHeading, drawTitle, field } from './layout';
import type { SignatureBlock } from './layout';
import { slipTitle } from './titles';
import type { SlipData, SlipKind } from './types';

type Doc = PDFKit.PDFDocument;

/** Heading, form title and "Mã hồ sơ" line shared by every slip, plus lines of its own (copy, …); draws. */
export function drawSlipTop(doc: Doc, kind: SlipKind, data: SlipData, extra: string[] = []): void {
  const number = data.document ? `Số: ${data.document.number ?? '……'}/${data.document.symbol}` : undefined;
  drawHeading(doc, data.unit, formatDateLine(data.issuedAt, data.place), number);
  const r = data.replaces;
  drawTitle(doc, slipTitle(kind).vi, [
    { text: `Mã hồ sơ: ${data.dossierCode}`, font: 'serif-bold' },
    ...extra.map((text) => ({ text, font: 'serif-italic' as const })),
    // A corrected slip names the one it replaces (docs/records.md, "Corrections").
    ...(r ? [{ text: `(Phiếu này thay thế phiếu số ${r.number} ngày ${formatDate(r.issuedAt, 'replaces.issuedAt')}; lý do đính chính: ${r.reason})`, font: 'serif-italic' as const }] : []),
  ]);
}

/** The matter as the forms name it: procedure name with its code in the national database. */
export const matter = (data: SlipData): string => `${data.procedure.name} (mã thủ tục ${data.procedure.code})`;

/** Name, address, phone and email of the applicant, blanks where unknown; `width` narrows the lines beside a QR code. Draws. */
export function applicantFields(doc: Doc, label: string, data: SlipData, width?: () => number | undefined): void {
  const a = data.applicant;
  const rows: [string, string][] = [
    [label, a.name],
    ['Địa chỉ', a.address ?? BLANK],
    ['Số điện thoại', a.phone ?? BLANK],
    ['Email', a.email ?? BLANK],
  ];
  for (const [l, v] of rows) {
    const w = width?.();
    field(doc, l, v, w === undefined ? {} : { width: w });
  }
}

/**
 * The signing formula from `data.signing` (TM./KT./TUQ. lines and signer) when the slip is
 * signed for the agency, otherwise the officer under `fallback` (e.g. "NGƯỜI TIẾP NHẬN HỒ SƠ").
 */
export function signatureOf(data: SlipData, fallback: string, hint = '(Ký và ghi rõ họ tên)'): SignatureBlock {
  if (data.signing) return { lines: data.signing.lines, hint: '(Ký, ghi rõ họ tên và đóng dấu)', name: data.signing.signer };
  const block: SignatureBlock = { lines: [fallback], hint };
  if (data.officer) block.name = data.officer.name;
  return block;
}

/** Where the applicant can ask: the slip's contact, else the officer at the unit. */
export function contactOf(data: SlipData): string {
  if (data.contact) return data.contact;
  return data.officer ? `${data.officer.name}, ${data.unit.name}` : data.unit.name;
}
