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

/** How a payment that did not go through failed, as the citizen should be told. */
export type FailureKind = 'cancelled' | 'refused' | 'expired';
export interface PaymentFailure {
  kind: FailureKind;
  /** The provider's own code (vnp_ResponseCode), for the help desk. */
  code: string;
  /** The provider's reason in words. */
  reason: { vi: string; en: string };
}

/**
 * VNPay's transaction outcome codes (vnp_ResponseCode of the return and the IPN, 2.1.0
 * documentation), in words for the citizen: "không thành công" alone does not say whether to
 * pay again, use another card or call the bank.
 */
const REASONS: Record<string, { vi: string; en: string }> = {
  '07': { vi: 'Giao dịch bị nghi ngờ gian lận, đang được ngân hàng kiểm tra', en: 'The bank suspects fraud and is checking the transaction' },
  '09': { vi: 'Thẻ hoặc tài khoản chưa đăng ký dịch vụ Internet Banking tại ngân hàng', en: 'The card or account is not registered for Internet Banking at the bank' },
  '10': { vi: 'Xác thực thông tin thẻ hoặc tài khoản sai quá 3 lần', en: 'The card or account details were entered wrongly more than 3 times' },
  '11': { vi: 'Đã hết thời gian chờ thanh toán', en: 'The time allowed for paying ran out' },
  '12': { vi: 'Thẻ hoặc tài khoản bị khóa', en: 'The card or account is locked' },
  '13': { vi: 'Nhập sai mật khẩu xác thực giao dịch (OTP)', en: 'The one-time password (OTP) was wrong' },
  '24': { vi: 'Người nộp đã hủy giao dịch tại cổng thanh toán', en: 'The payer cancelled at the payment gateway' },
  '51': { vi: 'Tài khoản không đủ số dư để thực hiện giao dịch', en: 'The account does not hold enough money for the payment' },
  '65': { vi: 'Tài khoản đã vượt quá hạn mức giao dịch trong ngày', en: 'The account is over its daily transaction limit' },
  '75': { vi: 'Ngân hàng thanh toán đang bảo trì', en: 'The paying bank is under maintenance' },
  '79': { vi: 'Nhập sai mật khẩu thanh toán quá số lần quy định', en: 'The payment password was wrong too many times' },
};
const UNKNOWN_REASON = { vi: 'Ngân hàng hoặc cổng thanh toán từ chối giao dịch', en: 'The bank or the payment gateway refused the payment' };

/** What a failed outcome code means; null for a success. */
export function failureOf(responseCode: string, transactionStatus: string | undefined): PaymentFailure | null {
  if (responseCode === RESPONSE.success && transactionStatus === '00') return null;
  const kind: FailureKind = responseCode === RESPONSE.cancelled ? 'cancelled' : responseCode === RESPONSE.expired ? 'expired' : 'refused';
  return { kind, code: responseCode, reason: REASONS[responseCode] ?? UNKNOWN_REASON };
}

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
