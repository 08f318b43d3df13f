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

type Doc = PDFKit.PDFDocument;

const BODIES: Record<Exclude<SlipKind, 'receipt'>, (doc: Doc, data: SlipData) => void> = {
  'supplement-request': drawSupplementRequest,
  refusal: drawRefusal,
  apology: drawApology,
  control: drawControl,
  'stop-notice': drawStopNotice,
  'extra-time-notice': drawExtraTimeNotice,
};

// Text typed on macOS or pasted from Word often arrives decomposed (e + U+0302 + U+0301);
// DejaVu has every precomposed Vietnamese letter, so NFC prints one well-placed glyph instead
// of marks stacked by the layout engine.
function nfc<T>(value: T): T {
  if (typeof value === 'string') return value.normalize('NFC') as T;
  if (Array.isArray(value)) return value.map(nfc) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, nfc(v)])) as T;
  }
  return value;
}


/**
 * Renders a slip as an A4 PDF in DejaVu, byte-identical for identical data (dates come from
 * `issuedAt`, never the clock); pure apart from reading the font files once. The receipt holds
 * its two copies, each starting a page. Throws `SlipDataError` for an instant that does not parse.
 */
export async function renderSlip(kind: SlipKind, input: SlipData): Promise<Buffer> {
  const data = nfc(input);
  const issued = parseInstant(data.issuedAt, 'issuedAt');
  const sections = kind === 'receipt' ? await receiptCopies(data) : [(doc: Doc) => BODIES[kind](doc, data)];

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
