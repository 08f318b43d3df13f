/**
 * What an uploaded file really is (docs/public-lookup.md, "Uploads"): its type comes from
 * its content (file-type reads the signatures of a few hundred formats), never from the
 * name or the declared type; a file that is also something else — a polyglot, e.g. `%PDF-`
 * followed by an HTML page that a browser would run — is refused; and the stored name's
 * extension is the one of the detected type.
 */
import { fileTypeFromBuffer } from 'file-type';

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
 * photo; PDF's own JavaScript actions are refused too (a filled form needs none).
 */
const ACTIVE_MARKERS = [
  /<\s*(?:!doctype\s+html|html|head|body|script|iframe|object|embed|svg|img\s[^>]*on\w+\s*=)/i,
  /javascript\s*:/i,
  /\/(?:JavaScript|JS)\s*[(<[/]/,
];

/** The first marker of active content found (for the message), or null. Latin-1 reads every byte as one character. */
export function activeContent(data: Buffer): string | null {
  const text = data.toString('latin1');
  for (const marker of ACTIVE_MARKERS) {
    const m = marker.exec(text);
    if (m) return m[0].slice(0, 40);
  }
  return null;
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
