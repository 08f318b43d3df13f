/**
 * The webhook POST itself, over node:http(s) so that the socket connects to the address the
 * SSRF guard checked (a custom `lookup`, see ./targets.ts). Redirects are not followed; the
 * answer's body is read only for a short, sanitised excerpt for the delivery log.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { checkLiteral, guardedLookup, type AllowEntry, type Resolver } from './targets';

export interface PostResult {
  status: number;
  /** A sanitised excerpt of the answer (see `excerpt`); empty for 2xx. */
  excerpt: string;
  /** The answer's body (up to `keepBody` bytes), when asked for. */
  body?: string;
}

/** Longest excerpt of a failed answer kept in the delivery log. */
export const EXCERPT_CHARS = 200;
/** Bytes read from an answer at most (the rest is discarded). */
const READ_BYTES = 2048;

/**
 * What of an answer's body goes into the delivery log: no markup (an HTML error page is only
 * named, never reflected to the administrators' screen), no control or bidirectional
 * formatting characters, whitespace collapsed, at most EXCERPT_CHARS characters.
 */
export function excerpt(body: string, contentType: string | undefined): string {
  if (/html|xml/i.test(contentType ?? '') || /<\s*[a-z!?/]/i.test(body)) return '(HTML/XML answer, not kept)';
  const clean = body.replace(/[\p{Cc}\p{Cf}\p{Co}\p{Cn}]/gu, ' ').replace(/\s+/g, ' ').trim();
  return clean.length > EXCERPT_CHARS ? `${clean.slice(0, EXCERPT_CHARS - 1)}…` : clean;
}

async function readSome(res: IncomingMessage, limit = READ_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size >= limit) break;
    }
  } catch {
    // The body is only for the log: a broken one is not an error of its own.
  } finally {
    res.destroy();
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

export interface PostOptions {
  timeoutMs: number;
  allow: readonly AllowEntry[];
  resolve?: Resolver;
  /** Keep the answer's body, up to this many bytes (the portal adapter reads its acknowledgements). */
  keepBody?: number;
}

/** POSTs `body` to `target`; rejects on a refused target, a network error or no answer in time. */
export function postJson(target: string, headers: Record<string, string>, body: string, o: PostOptions): Promise<PostResult> {
  const url = new URL(target);
  checkLiteral(url, o.allow);
  const request = url.protocol === 'https:' ? httpsRequest : url.protocol === 'http:' ? httpRequest : null;
  if (!request) return Promise.reject(new Error(`Unsupported scheme ${url.protocol}`));
  return new Promise<PostResult>((ok, fail) => {
    const req = request(url, {
      method: 'POST',
      headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
      lookup: guardedLookup(o.allow, o.resolve) as never, // node's overloaded LookupFunction type; the shape is the one it calls
      agent: false,
      timeout: o.timeoutMs,
    });
    const timer = setTimeout(() => req.destroy(Object.assign(new Error(`No answer within ${o.timeoutMs / 1000} s`), { name: 'TimeoutError' })), o.timeoutMs);
    req.on('timeout', () => req.destroy(Object.assign(new Error(`No answer within ${o.timeoutMs / 1000} s`), { name: 'TimeoutError' })));
    req.on('error', (err) => {
      clearTimeout(timer);
      fail(err);
    });
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      const ok2xx = status >= 200 && status < 300;
      readSome(res, o.keepBody ?? READ_BYTES).then((text) => {
        clearTimeout(timer);
        ok({ status, excerpt: ok2xx ? '' : excerpt(text, res.headers['content-type']), ...(o.keepBody ? { body: text } : {}) });
      }, (err: unknown) => {
        clearTimeout(timer);
        fail(err);
      });
    });
    req.end(body);
  });
}
