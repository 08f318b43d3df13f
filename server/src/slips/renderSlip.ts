import PDFDocument from 'pdfkit';
import { drawControl } from './control';
import { registerSlipFonts } from './fonts';
import { parseInstant } from './format';
import { numberPages, PAGE } from './layout';
import { drawApology, drawExtraTimeNotice, drawRefusal, drawStopNotice, drawSupplementRequest } from './notices';
import { receiptCopies } from './receipt';
import { SLIP_FORM_NUMBER, slipTitle } from './titles';
import type { SlipData, SlipKind } from './types';
import { pdfBytes } from '../pdfBytes';
import { printableData } from './printable';

type Doc = PDFKit.PDFDocument;

const BODIES: Record<Exclude<SlipKind, 'receipt'>, (doc: Doc, data: SlipData) => void> = {
  'supplement-request': drawSupplementRequest,
  refusal: drawRefusal,
  apology: drawApology,
  control: drawControl,
  'stop-notice': drawStopNotice,
  'extra-time-notice': drawExtraTimeNotice,
};

/**
 * Renders a slip as an A4 PDF in DejaVu, byte-identical for identical data (dates come from
 * `issuedAt`, never the clock); pure apart from reading the font files once. Free text is
 * printed bounded (./printable.ts: 2,000 characters a field, long words broken). The receipt holds
 * its two copies, each starting a page. Throws `SlipDataError` for an instant that does not parse.
 */
export async function renderSlip(kind: SlipKind, input: SlipData): Promise<Buffer> {
  // Every string NFC, bounded in length and without a word long enough to make pdfkit's line
  // breaking slow (./printable.ts); the QR code still encodes the tracking address as given.
  const data = printableData(input);
  const issued = parseInstant(data.issuedAt, 'issuedAt');
  const qrText = (input.trackingUrl ?? input.dossierCode).normalize('NFC');
  const sections = kind === 'receipt' ? await receiptCopies(data, qrText) : [(doc: Doc) => BODIES[kind](doc, data)];

  const title = slipTitle(kind);
  const doc = new PDFDocument({
    size: PAGE.size,
    margins: { ...PAGE.margins },
    autoFirstPage: false,
    // Kept in memory so page numbers can be written once the page count is known.
    bufferPages: true,
    lang: 'vi-VN',
    displayTitle: true,
    info: {
      Title: `${title.vi} – ${data.dossierCode}`,
      Subject: `Mẫu ${SLIP_FORM_NUMBER[kind]} – ${data.procedure.name}`,
      Author: data.unit.name,
      Creator: 'motcua',
      Producer: 'motcua (PDFKit)',
      // pdfkit derives the file ID from these, so fixing them makes the output reproducible.
      CreationDate: issued,
      ModDate: issued,
    },
  });
  const done = pdfBytes(doc);
  registerSlipFonts(doc);
  // A throw while drawing (a bad instant) abandons the document; the stream is never ended and
  // `done` never settles, so nothing leaks but memory the collector reclaims.
  for (const draw of sections) {
    const first = doc.bufferedPageRange().count;
    doc.addPage();
    draw(doc);
    numberPages(doc, first, doc.bufferedPageRange().count - 1, `${title.vi} – Mã hồ sơ ${data.dossierCode}`);
  }
  doc.end();
  return done;
}
