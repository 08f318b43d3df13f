/**
 * Payment routes (docs/payments.md): the citizen's side (fees due, a payment request, the
 * return from the provider, the receipt), the provider's notification (IPN), and the
 * administrators' reconciliation. A citizen is authorised by the public lookup's second
 * factor (the receipt's QR key, or the last 4 digits), as for tracking.
 */
import Type from 'typebox';
import { FactorProps, IdParams } from './schemas';
import type { Api } from '../http/api';
import type { Deps } from '../deps';
import { HttpError } from '../http/errors';
import { contentDisposition } from '../http/download';
import { addressOf, hasFactor, lookUp } from '../dossiers/service';
import { deskPayments, recordCash } from './cash';
import { feesOf, handleNotice, paymentDetail, paymentOf, receiptPdf, reconcile, returned, startPayment } from './service';

const LookupBody = Type.Object(FactorProps, { additionalProperties: false });
const Money = Type.Object({ count: Type.Integer(), amount: Type.Integer() });
const Fee = Type.Object({ id: Type.String(), name: Type.String(), amount: Type.Integer() });
export const PaymentSchema = Type.Object({
  id: Type.String(), dossierId: Type.String(), amount: Type.Integer(), currency: Type.String(), fees: Type.Array(Fee),
  status: Type.Union(['pending', 'paid', 'failed', 'cancelled', 'refunded'].map((s) => Type.Literal(s))),
  provider: Type.String(), providerRef: Type.Union([Type.String(), Type.Null()]), createdAt: Type.String(), expiresAt: Type.String(),
  settledAt: Type.Union([Type.String(), Type.Null()]), refundedAt: Type.Union([Type.String(), Type.Null()]),
  refundReason: Type.Union([Type.String(), Type.Null()]), receiptUrl: Type.Union([Type.String(), Type.Null()]),
  method: Type.Union([Type.Literal('online'), Type.Literal('cash')], { description: 'online through the provider, or cash at the one-stop desk' }),
  recordedBy: Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()], { description: 'The desk officer who recorded a cash payment' }),
});
const FeesSchema = Type.Object({ fees: Type.Array(Fee), total: Type.Integer(), paid: Type.Boolean(), payments: Type.Array(PaymentSchema) });
const PaymentId = Type.Object({ pid: Type.String({ pattern: '^[0-9A-F]{32}$', description: 'The payment reference (vnp_TxnRef)' }) });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'A day in Vietnam time, YYYY-MM-DD' });
const ReconcileQuery = Type.Object({ from: Day, to: Day, unit: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })) }, { additionalProperties: false });
const Cash = Type.Object({ count: Type.Integer(), amount: Type.Integer() }, { description: 'Of the paid: cash handed in at the one-stop desk' });
const Line = Type.Object({
  day: Type.String(), unit: Type.String(), unitName: Type.String(), paid: Money, pending: Money, failed: Money, cancelled: Money, refunded: Money, cash: Cash,
});
const ReconcileSchema = Type.Object({
  from: Type.String(), to: Type.String(), lines: Type.Array(Line),
  total: Type.Object({ paid: Money, pending: Money, failed: Money, cancelled: Money, refunded: Money, cash: Cash }), payments: Type.Array(PaymentSchema),
});
const DeskFeesSchema = Type.Intersect([FeesSchema, Type.Object({
  mayRecordCash: Type.Boolean({ description: 'Whether you may record a cash payment now: the receiving unit\'s desk (own or delegated), something due, nothing paid, dossier open' }),
})]);
const CashBody = Type.Object({
  amount: Type.Integer({ minimum: 1, description: 'The amount collected in whole VND: must be the amount due now' }),
}, { additionalProperties: false });

const factorMissing = (): HttpError => new HttpError(422, 'FACTOR_REQUIRED', {
  vi: 'Cần mã tra cứu trên mã QR của giấy tiếp nhận, hoặc 4 số cuối số điện thoại hay số giấy tờ của người nộp',
  en: 'Give the lookup key of the receipt\'s QR code, or the last 4 digits of the applicant\'s phone or ID number',
}, [{ path: '/key', message: { vi: 'Bắt buộc một trong key, last4, applicantId', en: 'One of key, last4, applicantId is required' } }]);

const noMatch = (code: string): HttpError => new HttpError(404, 'NOT_FOUND', {
  vi: `Không tìm thấy hồ sơ "${code}" với thông tin xác minh đã nhập`, en: `No dossier "${code}" with the verification details given`,
});

export function paymentRoutes(api: Api, deps: Deps): void {
  const limited = { 429: 'Too many lookups or failed factors from this address or for this code (Retry-After)' };
  const citizen = async (req: Parameters<Parameters<Api['add']>[1]>[0]['req'], res: Parameters<Parameters<Api['add']>[1]>[0]['res'], id: string, body: { key?: string; last4?: string; applicantId?: string }) => {
    if (!hasFactor(body)) throw factorMissing();
    const { row, verified } = await lookUp(deps, res, addressOf(req), id, { key: body.key, last4: body.last4, applicantId: body.applicantId });
    if (!row || !verified) throw noMatch(id);
    return row;
  };

  api.add({
    method: 'post', path: '/api/public/dossiers/:id/fees', summary: 'The fees a dossier owes, and its payments (with a second factor)', tags: ['payments'],
    access: 'public', params: IdParams, body: LookupBody, response: FeesSchema, errors: { 404: 'No such dossier, or the factor does not match', 422: 'No factor given', ...limited },
  }, async ({ req, res, params, body }) => feesOf(deps, await citizen(req, res, params.id, body)));

  api.add({
    method: 'post', path: '/api/public/dossiers/:id/payments', summary: 'Ask to pay a dossier\'s fees online: a payment request and the provider\'s address to pay it', tags: ['payments'],
    access: 'public', params: IdParams, body: LookupBody, response: Type.Object({ payment: PaymentSchema, payUrl: Type.String() }), status: 201,
    errors: { 404: 'No such dossier, or the factor does not match', 409: 'Paid already (ALREADY_PAID), nothing due (NOTHING_DUE) or closed', 422: 'No factor given', 503: 'No payment provider configured', ...limited },
  }, async ({ req, res, params, body }) => startPayment(deps, await citizen(req, res, params.id, body), addressOf(req)));

  api.add({
    method: 'get', path: '/api/payments/vnpay/ipn', summary: 'VNPay\'s server-to-server payment notification (IPN): always 200 with {RspCode, Message}', tags: ['payments'],
    access: 'public', response: Type.Object({ RspCode: Type.String(), Message: Type.String() }),
    description: 'RspCode 00 applied; 01 unknown vnp_TxnRef; 02 already settled (replay, duplicate: nothing changes); 04 amount or currency mismatch; 97 bad signature or merchant; 99 error (VNPay retries).',
  }, async ({ req }) => handleNotice(deps, req.query as Record<string, unknown>));

  api.add({
    method: 'get', path: '/api/public/payments/return', summary: 'The citizen\'s return from the provider: the signed result checked, the payment\'s state read', tags: ['payments'],
    access: 'public', response: Type.Intersect([PaymentSchema, Type.Object({
      providerSays: Type.Union([Type.Literal('success'), Type.Literal('failure')]),
      failure: Type.Union([Type.Object({
        kind: Type.Union([Type.Literal('cancelled'), Type.Literal('refused'), Type.Literal('expired')], { description: 'Cancelled by the payer at the gateway, refused by the bank or gateway, or the time to pay ran out' }),
        code: Type.String({ description: 'The provider\'s outcome code (vnp_ResponseCode)' }),
        reason: Type.Object({ vi: Type.String(), en: Type.String() }, { description: 'The provider\'s reason in words' }),
      }), Type.Null()], { description: 'How the payment failed, from the signed return only; null when the provider says it succeeded' }),
    })]),
    errors: { 400: 'The signature does not hold', 404: 'No such payment' },
  }, async ({ req }) => returned(deps, req.query as Record<string, unknown>));

  api.add({
    method: 'get', path: '/api/public/payments/:pid', summary: 'One payment by its reference (known only to the payer)', tags: ['payments'],
    access: 'public', params: PaymentId, response: PaymentSchema, errors: { 404: 'No such payment' },
  }, async ({ params }) => paymentOf(deps, params.pid));

  api.add({
    method: 'get', path: '/api/public/payments/:pid/receipt.pdf', summary: 'The electronic receipt (biên lai) of a paid payment, PDF', tags: ['payments'],
    access: 'public', params: PaymentId, produces: 'application/pdf', errors: { 404: 'No such payment, or not paid' },
  }, async ({ params, res }) => {
    const pdf = await receiptPdf(deps, params.pid);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Length', String(pdf.length));
    res.setHeader('Content-Disposition', contentDisposition('inline', `bien-lai-${params.pid}.pdf`));
    res.setHeader('Cache-Control', 'private, no-store');
    res.status(200).end(pdf);
  });

  api.add({
    method: 'get', path: '/api/dossiers/:id/payments', summary: 'The fees a dossier owes and its payments, for the officers who see it', tags: ['payments'],
    access: 'user', params: IdParams, response: DeskFeesSchema, errors: { 403: 'Not your units', 404: 'No such dossier' },
  }, async ({ params, user }) => deskPayments(deps, user!, params.id));

  api.add({
    method: 'post', path: '/api/dossiers/:id/payments/cash',
    summary: 'Record the fees paid in cash at the one-stop desk (desk of the receiving unit, own or delegated): paid, receipt, outbox event, the payment step moved on (Idempotency-Key honoured)',
    tags: ['payments'], access: 'user', params: IdParams, body: CashBody, response: PaymentSchema, status: 201,
    errors: {
      403: 'Not the desk of the dossier\'s receiving unit', 404: 'No such dossier',
      409: 'Paid already, online or cash (ALREADY_PAID), nothing due (NOTHING_DUE), closed (DOSSIER_CLOSED), or the amount due changed (AMOUNT_CHANGED, /amount)',
    },
  }, async ({ req, res, params, body, user }) => {
    const key = req.headers['idempotency-key'];
    const out = await recordCash(deps, user!, params.id, body, typeof key === 'string' ? key : undefined);
    if (out.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return out.body;
  });

  api.add({
    method: 'get', path: '/api/payments/reconciliation', summary: 'Payments per day and unit: paid (of which cash at the desk), pending, failed, cancelled, refunded (administrators)', tags: ['payments'],
    access: ['admin'], query: ReconcileQuery, response: ReconcileSchema, errors: { 403: 'Unit outside yours', 422: 'Bad period' },
  }, async ({ user, query }) => reconcile(deps, user!, query.from, query.to, query.unit));

  api.add({
    method: 'get', path: '/api/payments/:pid', summary: 'One payment with the provider\'s notices received for it (administrators)', tags: ['payments'],
    access: ['admin'], params: PaymentId,
    response: Type.Intersect([PaymentSchema, Type.Object({ notices: Type.Array(Type.Object({ receivedAt: Type.String(), rspCode: Type.String(), message: Type.String() })) })]),
    errors: { 404: 'No such payment at your units' },
  }, async ({ user, params }) => paymentDetail(deps, user!, params.pid));
}
