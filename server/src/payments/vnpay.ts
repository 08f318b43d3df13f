/**
 * VNPay's payment URL and IPN protocol, version 2.1.0 (docs/payments.md has the source):
 * the parameters (`vnp_*`) sorted by name, each name and value form-encoded as PHP's
 * `urlencode` does (space as "+"), joined with "&", signed with HMAC-SHA512 under the
 * merchant's hash secret; the hex digest travels as `vnp_SecureHash`. Shared by the adapter
 * (./provider.ts) and the local simulator (../simulators/vnpay.ts), so both sign the same bytes.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const VNP_VERSION = '2.1.0';

/** PHP's urlencode: RFC 3986 unreserved letters kept, space as "+", everything else %XX. */
export function formEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%20/g, '+');
}

/** The signed text: every vnp_ parameter but the hash fields, sorted by name, with a value. */
export function signedText(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((k) => k.startsWith('vnp_') && k !== 'vnp_SecureHash' && k !== 'vnp_SecureHashType' && params[k] !== '' && params[k] !== undefined)
    .sort()
    .map((k) => `${formEncode(k)}=${formEncode(params[k]!)}`)
    .join('&');
}

export function sign(params: Record<string, string>, secret: string): string {
  return createHmac('sha512', secret).update(signedText(params), 'utf8').digest('hex');
}

/** Whether `vnp_SecureHash` is the HMAC of the other parameters (constant time, case-insensitive hex). */
export function verify(params: Record<string, string>, secret: string): boolean {
  const given = (params['vnp_SecureHash'] ?? '').toLowerCase();
  if (!/^[0-9a-f]{128}$/.test(given)) return false;
  return timingSafeEqual(Buffer.from(given, 'hex'), Buffer.from(sign(params, secret), 'hex'));
}

/** The query string of signed parameters, `vnp_SecureHash` last. */
export function signedQuery(params: Record<string, string>, secret: string): string {
  return `${signedText(params)}&vnp_SecureHash=${sign(params, secret)}`;
}

/** VNPay's time format: yyyyMMddHHmmss in Vietnam's time (GMT+7, no daylight saving). */
export function vnpTime(d: Date): string {
  const t = new Date(d.getTime() + 7 * 3600_000).toISOString();
  return t.slice(0, 19).replace(/[-T:]/g, '');
}

export function parseVnpTime(s: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(s);
  if (!m) return null;
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}+07:00`);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** The IPN answers VNPay expects (always HTTP 200 with this JSON). */
export const IPN = {
  ok: { RspCode: '00', Message: 'Confirm Success' },
  notFound: { RspCode: '01', Message: 'Order not found' },
  alreadyConfirmed: { RspCode: '02', Message: 'Order already confirmed' },
  invalidAmount: { RspCode: '04', Message: 'Invalid amount' },
  badSignature: { RspCode: '97', Message: 'Invalid signature' },
  unknown: { RspCode: '99', Message: 'Unknown error' },
} as const;

export type IpnAnswer = { RspCode: string; Message: string };

/** Transaction outcome codes (vnp_ResponseCode) the simulator sends and the adapter reads. */
export const RESPONSE = { success: '00', cancelled: '24', failed: '51', expired: '11' } as const;

/** Picks the vnp_ parameters out of a parsed query (first value of each, strings only). */
export function vnpParams(query: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) {
    if (!k.startsWith('vnp_')) continue;
    const s = Array.isArray(v) ? v[0] : v;
    if (typeof s === 'string') out[k] = s;
  }
  return out;
}
