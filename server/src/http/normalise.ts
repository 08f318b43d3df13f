/**
 * The input gate every request passes before its route: text is checked and normalised
 * once, here, instead of each handler meeting hostile strings at the database.
 *
 * - NUL (U+0000) is refused: PostgreSQL cannot store it in `text` or `jsonb`, so it could
 *   only ever end as a 500.
 * - Lone surrogates (half of a UTF-16 pair) are refused: they are not Unicode text; `jsonb`
 *   rejects them and `text` would silently turn them into U+FFFD.
 * - JSON nested deeper than {@link MAX_DEPTH} is refused: recursive code (validation,
 *   canonical hashing, PostgreSQL's own parser) would exhaust its stack. The deepest real
 *   document, a catalog import, nests about 25 levels.
 * - Every string is normalised to NFC (docs/vietnamese-text.md): a name typed on a keyboard
 *   that sends decomposed accents (NFD) is stored, compared and searched as the same name
 *   typed in precomposed form.
 * - Control characters (other than tab and line breaks) and the bidirectional overrides and
 *   isolates (U+202A–U+202E, U+2066–U+2069) are removed: they have no place in a name or a
 *   note, and on a printed slip or a screen they can make "Nguyễn Văn A" read as another
 *   name or hide text ("Trojan Source").
 *
 * Each refusal is a 400 whose issues carry the JSON pointer of the culprit (`/applicant/name`
 * in the body, `/page` in the query, `/` for the path).
 */
import type { Request, RequestHandler } from 'express';
import { HttpError, MAX_ISSUES, type Issue } from './errors';

export const MAX_DEPTH = 64;

const pointer = (parts: (string | number)[]): string =>
  parts.length === 0 ? '' : `/${parts.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;

const NUL_MESSAGE = { vi: 'Chứa ký tự NUL (mã 0), không được phép', en: 'Contains a NUL character (code 0), which is not allowed' };
const SURROGATE_MESSAGE = {
  vi: 'Chứa ký tự Unicode không hợp lệ (nửa cặp thay thế UTF-16)', en: 'Contains invalid Unicode (a lone UTF-16 surrogate)',
};

/** With the `u` flag a string is read by code points: a surrogate left unpaired is one of category Cs. */
const LONE_SURROGATE = /\p{Cs}/u;

/** Invisible characters that change how text reads (see above); NUL is refused before this applies. */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Text as it may be stored and printed: NFC, without control or bidirectional-override characters. */
export const printable = (s: string): string => s.normalize('NFC').replace(INVISIBLE, '');

/** The problem with one string, or null when it is acceptable. */
function textProblem(s: string): Issue['message'] | null {
  if (s.includes('\u0000')) return NUL_MESSAGE;
  if (LONE_SURROGATE.test(s)) return SURROGATE_MESSAGE;
  return null;
}

type Where = 'body' | 'query' | 'path';
const LABEL: { [w in Where]: { vi: string; en: string } } = {
  body: { vi: 'Nội dung yêu cầu', en: 'Request body' },
  query: { vi: 'Tham số truy vấn', en: 'Query parameters' },
  path: { vi: 'Đường dẫn', en: 'Path' },
};

function refuse(where: Where, issues: Issue[]): HttpError {
  return new HttpError(400, 'BAD_TEXT', {
    vi: `${LABEL[where].vi} chứa ký tự không hợp lệ hoặc lồng quá sâu (tối đa ${MAX_DEPTH} cấp); xem danh sách vị trí lỗi`,
    en: `${LABEL[where].en} contains invalid characters or nests too deep (at most ${MAX_DEPTH} levels); see the issues for where`,
  }, issues);
}

/** Where a value sits: its container's place and its own key, kept as a chain so a value costs no copy of its path. */
interface Place { parent: Place | null; key: string | number; depth: number }

const keysOf = (place: Place | null): (string | number)[] => {
  const out: (string | number)[] = [];
  for (let p = place; p; p = p.parent) out.push(p.key);
  return out.reverse();
};

/**
 * Returns a copy of `value` with every string in NFC, or throws a 400 listing where NUL,
 * lone surrogates or too deep nesting are. Iterative, so depth never costs stack; linear in
 * the number of values: a value's path is spelled out only when it is reported (a 1 MB body
 * of 500,000 numbers 61 arrays deep took 5–6 s when every value carried a copy of its path).
 */
export function cleanValue(value: unknown, where: Where): unknown {
  const issues: Issue[] = [];
  const note = (place: Place | null, message: Issue['message']) => { if (issues.length < MAX_ISSUES) issues.push({ path: pointer(keysOf(place)), message }); };
  const fix = (s: string, parent: Place | null, key: string | number | null): string => {
    const problem = textProblem(s);
    if (problem) {
      note(key === null ? parent : { parent, key, depth: (parent?.depth ?? 0) + 1 }, problem);
      return s;
    }
    return printable(s);
  };
  if (typeof value === 'string') {
    const out = fix(value, null, null);
    if (issues.length > 0) throw refuse(where, issues);
    return out;
  }
  if (value === null || typeof value !== 'object') return value;
  const root: { v: unknown } = { v: undefined };
  // Work list of containers to copy: where the copy goes, the source container and its place.
  const stack: { into: { [k: string | number]: unknown }; key: string | number; source: object; place: Place | null }[] = [
    { into: root, key: 'v', source: value, place: null },
  ];
  /** A container's member: strings fixed and primitives copied here, containers queued. */
  const member = (copy: { [k: string | number]: unknown }, key: string | number, item: unknown, place: Place | null) => {
    if (typeof item === 'string') copy[key] = fix(item, place, key);
    else if (item !== null && typeof item === 'object') stack.push({ into: copy, key, source: item, place: { parent: place, key, depth: (place?.depth ?? 0) + 1 } });
    else copy[key] = item;
  };
  while (stack.length > 0 && issues.length < MAX_ISSUES) {
    const { into, key, source, place } = stack.pop()!;
    if ((place?.depth ?? 0) >= MAX_DEPTH) { note(place, depthMessage()); continue; }
    if (Array.isArray(source)) {
      const copy: unknown[] = new Array<unknown>(source.length);
      for (let i = 0; i < source.length; i++) member(copy as unknown as { [k: number]: unknown }, i, source[i], place);
      into[key] = copy;
    } else {
      const copy: { [k: string]: unknown } = {};
      for (const [k, item] of Object.entries(source)) {
        const keyProblem = textProblem(k);
        if (keyProblem) { note({ parent: place, key: k, depth: (place?.depth ?? 0) + 1 }, { vi: `Tên trường: ${keyProblem.vi}`, en: `Field name: ${keyProblem.en}` }); continue; }
        member(copy, k, item, place);
      }
      into[key] = copy;
    }
  }
  if (issues.length > 0) throw refuse(where, issues.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)));
  return root.v;
}

function depthMessage(): Issue['message'] {
  return { vi: `Lồng quá sâu (tối đa ${MAX_DEPTH} cấp)`, en: `Nested too deep (at most ${MAX_DEPTH} levels)` };
}

function cleanPath(req: Request): void {
  let decoded: string;
  try {
    decoded = decodeURIComponent(req.path);
  } catch {
    throw new HttpError(400, 'BAD_PATH', {
      vi: 'Đường dẫn có mã %XX không hợp lệ (không phải UTF-8)', en: 'The path has an invalid %XX escape (not UTF-8)',
    }, [{ path: '', message: { vi: 'Mã hóa URL không hợp lệ', en: 'Invalid URL encoding' } }]);
  }
  const problem = textProblem(decoded);
  if (problem) throw refuse('path', [{ path: '', message: problem }]);
}

/**
 * Node's query parser turns `%` escapes that are not UTF-8 (how a lone surrogate would have
 * to be sent) into U+FFFD without a word; they are refused here, by parameter name.
 */
function cleanQuery(req: Request): void {
  const raw = req.url.slice(req.url.indexOf('?') + 1);
  const issues: Issue[] = [];
  for (const pair of raw.split('&')) {
    const [name = '', value = ''] = pair.split('=', 2).map((x) => x.replace(/\+/g, ' '));
    try {
      decodeURIComponent(value);
      decodeURIComponent(name);
    } catch {
      let shown = name;
      try { shown = decodeURIComponent(name); } catch { /* the name itself is the culprit */ }
      issues.push({ path: pointer([shown]), message: { vi: 'Mã hóa %XX không phải UTF-8 hợp lệ', en: 'The %XX encoding is not valid UTF-8' } });
    }
  }
  if (issues.length > 0) throw refuse('query', issues.slice(0, MAX_ISSUES));
  const cleaned = cleanValue(req.query, 'query');
  // Express 5 parses `req.query` afresh on each read: pin the cleaned copy.
  Object.defineProperty(req, 'query', { value: cleaned, writable: true, configurable: true, enumerable: true });
}

/** The middleware: path, query and (parsed JSON) body, in that order. Mount after the body parsers. */
export function cleanInput(): RequestHandler {
  return (req, _res, next) => {
    cleanPath(req);
    if (req.url.includes('?')) cleanQuery(req);
    if (req.body !== undefined && req.body !== null && typeof req.body === 'object') req.body = cleanValue(req.body, 'body');
    next();
  };
}
