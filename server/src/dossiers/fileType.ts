/**
 * What an uploaded file really is (docs/public-lookup.md, "Uploads"): its type comes from
 * its content (file-type reads the signatures of a few hundred formats), never from the
 * name or the declared type; a file that is also something else — a polyglot, e.g. `%PDF-`
 * followed by an HTML page that a browser would run — is refused; and the stored name's
 * extension is the one of the detected type.
 */
import { fileTypeFromBuffer } from 'file-type';
import {
  decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, type PDFObject, PDFRawStream, PDFRef, PDFStream, PDFString,
} from '@cantoo/pdf-lib';

export interface Detected {
  mime: string;
  ext: string;
}

/** The extension written for each allowed type, and the spellings of it that a name may keep. */
const EXTENSIONS: { [mime: string]: string[] } = {
  'application/pdf': ['pdf'],
  'image/jpeg': ['jpg', 'jpeg', 'jpe'],
  'image/png': ['png'],
};

/** The type by content; null when unknown. */
export async function detectType(data: Buffer): Promise<Detected | null> {
  const found = await fileTypeFromBuffer(data);
  return found ? { mime: found.mime, ext: found.ext } : null;
}

/**
 * Markers of markup a browser would render or run. None belongs in a scanned paper or a
 * photo. In a PDF they are looked for outside its streams only: a stream's bytes are
 * compressed images and text that may spell anything, and a file that starts with `%PDF-`
 * is never sniffed as HTML for what its streams hold.
 */
const MARKUP_MARKERS = [
  /<\s*(?:!doctype\s+html|html|head|body|script|iframe|object|embed|svg|img\s[^>]*on\w+\s*=)/i,
  /javascript\s*:/i,
];
/** PDF names of script, outside streams (a belt to the parser's braces: a hand-made file may not parse as written). */
const PDF_SCRIPT_NAMES = /\/(?:JavaScript|JS)(?![A-Za-z0-9])/;
/** Action types that run code or programs, or pull data in (ISO 32000-1 §12.6.4; RichMedia, ISO 32000-2). */
const REFUSED_ACTIONS = new Set(['JavaScript', 'Launch', 'ImportData', 'RichMediaExecute']);

/** The first marker of active content found (for the message), or null. Latin-1 reads every byte as one character. */
export async function activeContent(data: Buffer, mime: string): Promise<string | null> {
  if (mime !== 'application/pdf') return firstMarker(data.toString('latin1'), MARKUP_MARKERS);
  // Stream bodies out, keeping the dictionaries before them.
  const outside = outsideStreams(data);
  return firstMarker(outside, [...MARKUP_MARKERS, PDF_SCRIPT_NAMES]) ?? pdfActions(data, outside);
}

/** What an upload is by its content, and for an allowed type the active content it holds (null: none). */
export interface Inspection {
  detected: Detected | null;
  active: string | null;
}

/**
 * An upload's type by content and, when the type is one of `allowed`, its first marker of
 * active content: everything the upload checks read from the bytes (./inspect.ts runs it off
 * the event loop).
 */
export async function inspect(data: Buffer, allowed: readonly string[]): Promise<Inspection> {
  const detected = await detectType(data);
  if (detected === null || !allowed.includes(detected.mime)) return { detected, active: null };
  return { detected, active: await activeContent(data, detected.mime) };
}

/** A byte of a regular expression's word (`\w`: the edges `\b` looks at). */
const wordByte = (b: number | undefined): boolean => b !== undefined
  && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x5f);

/**
 * The PDF as Latin-1 text with every stream body replaced by "stream endstream": what
 * `text.replace(/\bstream\r?\n[\s\S]*?\bendstream\b/g, 'stream endstream')` gives, found
 * with `indexOf` on the bytes so that a scanned page's megabytes of image are never turned
 * into a string (that conversion and the regular expression over it were most of an upload's
 * CPU time).
 */
export function outsideStreams(data: Buffer): string {
  const parts: string[] = [];
  let from = 0;
  let at = 0;
  for (;;) {
    const s = data.indexOf('stream', at, 'latin1');
    if (s < 0) break;
    let body = s + 6;
    if (data[body] === 0x0d) body++;
    if (wordByte(data[s - 1]) || data[body] !== 0x0a) {
      at = s + 1;
      continue;
    }
    body++;
    let end = -1;
    for (let e = body; ;) {
      const k = data.indexOf('endstream', e, 'latin1');
      if (k < 0) break;
      if (!wordByte(data[k - 1]) && !wordByte(data[k + 9])) {
        end = k;
        break;
      }
      e = k + 1;
    }
    // No "endstream" after this one: none after a later "stream" either; the rest stays as it is.
    if (end < 0) break;
    parts.push(data.toString('latin1', from, s), 'stream endstream');
    from = end + 9;
    at = from;
  }
  parts.push(data.toString('latin1', from));
  return parts.join('');
}

function firstMarker(text: string, markers: RegExp[]): string | null {
  for (const marker of markers) {
    const m = marker.exec(text);
    if (m) return m[0].slice(0, 40);
  }
  return null;
}

/**
 * Parses the PDF (every object, compressed object streams included) and names the first
 * script or launch action found: a `/JS` or `/JavaScript` entry, an action of a refused
 * type (an /OpenAction, a link, a field's or page's /AA), or an XFA form carrying script.
 * A PDF that cannot be parsed, or is encrypted with compressed objects that cannot be read
 * without the owner's password, cannot be checked and is refused.
 */
async function pdfActions(data: Buffer, outside: string): Promise<string | null> {
  let doc: PDFDocument;
  try {
    // password '': a PDF protected only against editing (owner password) opens with the empty user password.
    doc = await PDFDocument.load(data, { ignoreEncryption: true, password: '', updateMetadata: false, throwOnInvalidObject: false });
  } catch {
    return 'PDF unreadable';
  }
  if (doc.isEncrypted && /\/Type\s*\/ObjStm\b/.test(outside)) return 'encrypted PDF';
  const seen = new Set<PDFObject>();
  const visit = (obj: PDFObject | undefined, depth: number): string | null => {
    if (obj === undefined || depth > 64 || seen.has(obj)) return null;
    seen.add(obj);
    if (obj instanceof PDFStream) return visit(obj.dict, depth + 1);
    if (obj instanceof PDFArray) {
      for (const item of obj.asArray()) {
        const found = visit(item, depth + 1);
        if (found) return found;
      }
      return null;
    }
    if (!(obj instanceof PDFDict)) return null;
    for (const [key, value] of obj.entries()) {
      const name = key.decodeText();
      if (name === 'JS' || name === 'JavaScript') return `/${name}`;
      if (name === 'S' && value instanceof PDFName && REFUSED_ACTIONS.has(value.decodeText())) return `/S /${value.decodeText()}`;
      if (name === 'XFA' && xfaScript(doc, value)) return '/XFA script';
      // A link to javascript: (the string may be hex-encoded or inside a compressed object stream).
      if (name === 'URI' && (value instanceof PDFString || value instanceof PDFHexString) && /^\s*javascript:/i.test(value.decodeText())) return '/URI javascript:';
      const found = visit(value, depth + 1);
      if (found) return found;
    }
    return null;
  };
  for (const [, obj] of doc.context.enumerateIndirectObjects()) {
    const found = visit(obj, 0);
    if (found) return found;
  }
  return null;
}

/** Whether an XFA form (a stream, or an array of names and streams) holds a script element. */
function xfaScript(doc: PDFDocument, value: PDFObject): boolean {
  const target = value instanceof PDFRef ? doc.context.lookup(value) : value;
  const parts = target instanceof PDFArray ? target.asArray().map((p) => (p instanceof PDFRef ? doc.context.lookup(p) : p)) : [target];
  return parts.some((p) => {
    if (!(p instanceof PDFRawStream)) return false;
    try {
      return /<\s*script|javascript/i.test(Buffer.from(decodePDFRawStream(p).decode()).toString('latin1'));
    } catch {
      return true;
    }
  });
}

/** `name` with the extension of the detected type: a misleading or missing one is replaced. */
export function withExtension(name: string, mime: string): string {
  const exts = EXTENSIONS[mime];
  if (!exts) return name;
  const dot = name.lastIndexOf('.');
  const current = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  if (exts.includes(current)) return name;
  // A short alphanumeric tail is an extension (".html", ".exe"); anything else is part of the name.
  const base = (dot > 0 && /^[a-z0-9]{1,5}$/.test(current) ? name.slice(0, dot) : name).replace(/[.\s]+$/, '') || 'tai-lieu';
  // "to-khai.pdf.exe" becomes "to-khai.pdf", not "to-khai.pdf.pdf".
  const inner = base.lastIndexOf('.');
  if (inner > 0 && exts.includes(base.slice(inner + 1).toLowerCase())) return base;
  return `${base}.${exts[0]!}`;
}
