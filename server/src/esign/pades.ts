/**
 * PAdES signatures on PDFs (ETSI EN 319 142-1, SubFilter ETSI.CAdES.detached): a signature
 * field and dictionary are added as an incremental update (so signatures already in the file
 * stay valid: the leader's, then the unit's seal), @signpdf/signpdf fixes the byte range and
 * fills the placeholder with the CMS of ./cades.ts.
 */
import { PDFArray, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFString, type PDFRef } from '@cantoo/pdf-lib';
import { SignPdf } from '@signpdf/signpdf';
import { DEFAULT_BYTE_RANGE_PLACEHOLDER, Signer } from '@signpdf/utils';
import { cadesSign, type SigningKey } from './cades';

/** Bytes kept for the CMS (hex doubles it): a 2048-bit signature, three certificates and attributes fit. */
const SIGNATURE_BYTES = 12_000;

export interface SignatureField {
  /** The field's name, unique in the file (e.g. "leader", "seal"). */
  field: string;
  /** Who signs, as the signature dictionary's /Name. */
  name: string;
  reason: string;
  location: string;
  /** The claimed signing time (/M). */
  at: Date;
  /** Where the signature shows, in PDF points on the first page; omitted: an invisible signature. */
  rect?: [number, number, number, number];
}

class CadesSigner extends Signer {
  constructor(private readonly key: SigningKey) { super(); }
  override async sign(pdfBuffer: Buffer): Promise<Buffer> {
    return cadesSign(pdfBuffer, this.key);
  }
}

/** Adds an empty signature field (placeholder) as an incremental update. */
export async function addPlaceholder(pdf: Uint8Array, f: SignatureField): Promise<Buffer> {
  const doc = await PDFDocument.load(pdf, { forIncrementalUpdate: true, updateMetadata: false });
  const ctx = doc.context;
  const byteRange = PDFArray.withContext(ctx);
  byteRange.push(PDFNumber.of(0));
  for (let i = 0; i < 3; i++) byteRange.push(PDFName.of(DEFAULT_BYTE_RANGE_PLACEHOLDER));
  // ByteRange before Contents: @signpdf looks for /Contents after the placeholder.
  const sig = ctx.obj({
    Type: 'Sig', Filter: 'Adobe.PPKLite', SubFilter: 'ETSI.CAdES.detached',
    ByteRange: byteRange,
    Contents: PDFHexString.of('0'.repeat(SIGNATURE_BYTES * 2)),
    Name: PDFHexString.fromText(f.name),
    Reason: PDFHexString.fromText(f.reason),
    Location: PDFHexString.fromText(f.location),
    M: PDFString.fromDate(f.at),
  });
  const sigRef = ctx.register(sig);
  const page = doc.getPage(0);
  const rect = f.rect ?? [0, 0, 0, 0];
  const ap = ctx.register(ctx.stream('', { Type: 'XObject', Subtype: 'Form', BBox: [0, 0, rect[2] - rect[0], rect[3] - rect[1]] }));
  const widget = ctx.obj({
    Type: 'Annot', Subtype: 'Widget', FT: 'Sig', Rect: rect, V: sigRef, T: PDFHexString.fromText(f.field),
    F: 132, P: page.ref, AP: { N: ap },
  });
  const widgetRef = ctx.register(widget);
  page.node.addAnnot(widgetRef);
  const form = doc.catalog.getOrCreateAcroForm();
  form.addField(widgetRef);
  form.dict.set(PDFName.of('SigFlags'), PDFNumber.of(3));
  const snapshot = ctx.snapshot;
  if (snapshot) {
    const changed: PDFRef[] = [page.ref, ctx.trailerInfo.Root as PDFRef];
    const formRef = doc.catalog.get(PDFName.of('AcroForm'));
    if (formRef && 'objectNumber' in formRef) changed.push(formRef as PDFRef);
    const annots = page.node.get(PDFName.of('Annots'));
    if (annots && 'objectNumber' in annots) changed.push(annots as PDFRef);
    const fields = form.dict.get(PDFName.of('Fields'));
    if (fields && 'objectNumber' in fields) changed.push(fields as PDFRef);
    snapshot.markRefsForSave(changed);
  }
  return Buffer.from(await doc.commit({ useObjectStreams: false }));
}

/** Signs a PDF once more (the signatures already in it stay valid). */
export async function signPdf(pdf: Uint8Array, f: SignatureField, key: SigningKey): Promise<Buffer> {
  const prepared = await addPlaceholder(pdf, f);
  return new SignPdf().sign(prepared, new CadesSigner(key), f.at);
}

export interface FoundSignature {
  field: string | null;
  byteRange: [number, number, number, number];
  cms: Buffer;
  /** The bytes the signature covers, copied when asked (one signature's at a time, not every one's at once). */
  signed(): Buffer;
  /** Whether it covers the whole file (no change was appended after it). */
  coversWholeFile: boolean;
  claimedAt: string | null;
}

/**
 * At most this many signatures are read from one file. A result carries two or three (the
 * leader's, the unit's seal); the file comes from anyone (the public verification page), and
 * each signature read costs a copy and a hash of the bytes it covers, up to the whole file: a
 * crafted file with thousands of /ByteRange entries each covering all of it held every copy at
 * once and ran the server out of memory.
 */
export const MAX_SIGNATURES = 10;
/**
 * The longest /Contents read, in bytes of CMS: a signature with its certificate chain, a
 * timestamp and revocation data stays well under it (ours reserve SIGNATURE_BYTES); a longer
 * one is reported unreadable, not decoded.
 */
const MAX_CMS_BYTES = 256 * 1024;

/**
 * The signatures in a PDF, in file order, read straight from the bytes (every /ByteRange with
 * numbers and the /Contents that follows it), at most `limit` + 1 of them, so a caller can tell
 * that there are more than it reads (MAX_SIGNATURES). A byte range that does not fit the file,
 * or whose /Contents is longer than any signature, is reported with an empty CMS, so the
 * caller refuses it.
 */
export function findSignatures(pdf: Buffer, limit = MAX_SIGNATURES): FoundSignature[] {
  const out: FoundSignature[] = [];
  const text = pdf.toString('latin1');
  const re = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;
  for (let m = re.exec(text); m && out.length <= limit; m = re.exec(text)) {
    const br = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] as [number, number, number, number];
    const [a, b, c, d] = br;
    const fits = a === 0 && b > 0 && c > b && c - b <= 2 * MAX_CMS_BYTES + 2 && c + d <= pdf.length && text[b] === '<' && text[c - 1] === '>';
    const cms = fits ? derPrefix(Buffer.from(text.slice(b + 1, c - 1), 'hex')) : Buffer.alloc(0);
    // The signing time claimed in the dictionary around the /ByteRange (before it, or after the /Contents).
    const dict = text.slice(Math.max(0, m.index - 600), m.index + 600 + (fits ? c - b : 0));
    const claimed = /\/M\s*\(D:(\d{14})/.exec(dict.slice(dict.indexOf('/ByteRange')));
    out.push({
      field: null,
      byteRange: br,
      cms,
      signed: () => (fits ? Buffer.concat([pdf.subarray(a, b), pdf.subarray(c, c + d)]) : Buffer.alloc(0)),
      coversWholeFile: fits && c + d === pdf.length,
      claimedAt: claimed?.[1] ?? null,
    });
  }
  return out;
}

/** The DER element at the start of `b` (the placeholder pads the CMS with zero bytes). */
function derPrefix(b: Buffer): Buffer {
  if (b.length < 2 || b[0] !== 0x30) return Buffer.alloc(0);
  const first = b[1] as number;
  let len = first;
  let head = 2;
  if (first & 0x80) {
    const n = first & 0x7f;
    if (n < 1 || n > 4 || b.length < 2 + n) return Buffer.alloc(0);
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (b[2 + i] as number);
    head = 2 + n;
  }
  return head + len <= b.length ? b.subarray(0, head + len) : Buffer.alloc(0);
}
