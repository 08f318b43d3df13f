/**
 * What motcua needs of a payment provider: a URL that takes the citizen to pay a request,
 * and the verification of the provider's server-to-server notification. VNPay's public
 * protocol is the first adapter; the national payment platform (Cổng thanh toán của Cổng
 * Dịch vụ công quốc gia) is a later one behind the same interface.
 */
import type { PaymentFailure } from './vnpay';
import { IPN, RESPONSE, VNP_VERSION, failureOf, formEncode, signedQuery, verify, vnpParams, vnpTime } from './vnpay';

export interface PaymentRequest {
  /** Our reference (the provider echoes it back). */
  reference: string;
  /** Whole VND. */
  amount: number;
  /** Plain text shown by the provider; no personal data (the dossier code only). */
  description: string;
  returnUrl: string;
  clientIp: string;
  createdAt: Date;
  expiresAt: Date;
}

/** A notification as the provider said it, once its signature holds. */
export interface VerifiedNotice {
  reference: string;
  /** Whole VND (the provider's own unit already converted). */
  amount: number;
  currency: string;
  success: boolean;
  providerRef: string | null;
  bankCode: string | null;
  responseCode: string;
  /** Why it failed, in words (null on success): from the signed parameters only. */
  failure: PaymentFailure | null;
}

export type NoticeCheck = { ok: true; notice: VerifiedNotice } | { ok: false; answer: { RspCode: string; Message: string } };

export interface PaymentProvider {
  readonly name: string;
  payUrl(req: PaymentRequest): string;
  /** Checks the signature and the merchant of a notification (query parameters). */
  checkNotice(query: Record<string, unknown>): NoticeCheck;
  /** Same for the citizen's return to our page (same signed parameters). */
  checkReturn(query: Record<string, unknown>): NoticeCheck;
}

export interface VnpayConfig {
  /** The provider's payment page, e.g. https://sandbox.vnpayment.vn/paymentv2/vpcpay.html. */
  payUrl: string;
  tmnCode: string;
  hashSecret: string;
}

export function vnpayProvider(cfg: VnpayConfig): PaymentProvider {
  const check = (query: Record<string, unknown>): NoticeCheck => {
    const p = vnpParams(query);
    if (!verify(p, cfg.hashSecret) || p['vnp_TmnCode'] !== cfg.tmnCode) return { ok: false, answer: IPN.badSignature };
    const raw = p['vnp_Amount'] ?? '';
    if (!/^\d{1,15}$/.test(raw) || Number(raw) % 100 !== 0) return { ok: false, answer: IPN.invalidAmount };
    if (!p['vnp_TxnRef']) return { ok: false, answer: IPN.notFound };
    return {
      ok: true,
      notice: {
        reference: p['vnp_TxnRef'],
        amount: Number(raw) / 100,
        // The IPN has no currency field in 2.1.0; the request was made in VND. A currency sent anyway must be VND.
        currency: p['vnp_CurrCode'] ?? 'VND',
        success: p['vnp_ResponseCode'] === RESPONSE.success && p['vnp_TransactionStatus'] === '00',
        providerRef: p['vnp_TransactionNo'] ?? null,
        bankCode: p['vnp_BankCode'] ?? null,
        responseCode: p['vnp_ResponseCode'] ?? '',
        failure: failureOf(p['vnp_ResponseCode'] ?? '', p['vnp_TransactionStatus']),
      },
    };
  };
  return {
    name: 'vnpay',
    payUrl(req) {
      const params: Record<string, string> = {
        vnp_Version: VNP_VERSION, vnp_Command: 'pay', vnp_TmnCode: cfg.tmnCode, vnp_Amount: String(req.amount * 100),
        vnp_CurrCode: 'VND', vnp_TxnRef: req.reference, vnp_OrderInfo: req.description, vnp_OrderType: 'other', vnp_Locale: 'vn',
        vnp_ReturnUrl: req.returnUrl, vnp_IpAddr: req.clientIp, vnp_CreateDate: vnpTime(req.createdAt), vnp_ExpireDate: vnpTime(req.expiresAt),
      };
      return `${cfg.payUrl}?${signedQuery(params, cfg.hashSecret)}`;
    },
    checkNotice: check,
    checkReturn: check,
  };
}

export { formEncode };
