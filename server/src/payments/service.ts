/**
 * Online payment of a dossier's fees (docs/payments.md): the fees the engine asked for (its
 * `requestPayment` effect) become a payment request; the citizen pays at the provider; the
 * provider's notification (IPN) is verified — signature, merchant, reference, amount,
 * currency — and applied once: the payment, the provider's notice, an outbox event and, when
 * the procedure has a payment step, the system's action that moves it on are written in one
 * transaction. Nothing is paid twice: a dossier has at most one paid payment; a second
 * successful notification for it is recorded as a refund owed. A success notified after a
 * failure of the same request is honoured (the provider says the money moved).
 */
import { randomUUID } from 'node:crypto';
import { localDayWindow, paymentAction, type DossierSnapshot } from '@motcua/engine';
import type { Tx } from '../db/client';
import type { Deps } from '../deps';
import type { BusMessage } from '../bus';
import { HttpError } from '../http/errors';
import type { AuthUser } from '../auth/middleware';
import { SYSTEM_ACTOR, act, loadDossier, type DossierRow } from '../dossiers/service';
import { follow, type FollowedEvent } from '../outbox/index';
import { vnpayProvider, type PaymentProvider } from './provider';
import { IPN, vnpParams, type IpnAnswer, type PaymentFailure } from './vnpay';
import {
  cancelPending, insertPayment, lastFeeRequest, lockDossierPayments, noticesOf, paymentById, paymentsBetween, paymentsOf, reconciliation,
  recordNotice, settle, writeOutbox, type PaymentRow,
} from './repo';
import { renderReceipt, type ReceiptData } from './receipt';
import { iso } from '../db/time';

/** How long a payment request may be paid (the provider's vnp_ExpireDate). */
export const PAYMENT_TTL_MS = 15 * 60_000;

const providers = new WeakMap<object, PaymentProvider>();

export function providerOf(deps: Deps): PaymentProvider {
  const cfg = deps.config.payment;
  if (!cfg) {
    throw new HttpError(503, 'PAYMENTS_OFF', {
      vi: 'Chưa cấu hình thanh toán trực tuyến; hãy nộp phí tại bộ phận một cửa', en: 'Online payment is not configured; pay at the one-stop desk',
    });
  }
  let p = providers.get(cfg);
  if (!p) providers.set(cfg, (p = vnpayProvider(cfg)));
  return p;
}

export interface PaymentView {
  id: string;
  dossierId: string;
  amount: number;
  currency: string;
  fees: { id: string; name: string; amount: number }[];
  status: string;
  provider: string;
  providerRef: string | null;
  createdAt: string;
  expiresAt: string;
  settledAt: string | null;
  refundedAt: string | null;
  refundReason: string | null;
  /** The receipt's address (the payment id is its capability), once paid. */
  receiptUrl: string | null;
  /** online (through the provider) or cash (at the one-stop desk). */
  method: 'online' | 'cash';
  /** The desk officer who recorded a cash payment; null for an online one. */
  recordedBy: { id: string; name: string } | null;
}

/** Units whose payments an administrator sees: their admin grants' units and everything below. */
async function adminUnits(deps: Deps, user: AuthUser): Promise<Set<string>> {
  const out = new Set<string>();
  for (const g of user.grants) if (g.role === 'admin') for (const u of await deps.directory.subtree(g.unit)) out.add(u);
  return out;
}


export function paymentView(p: PaymentRow): PaymentView {
  return {
    id: p.id, dossierId: p.dossierId, amount: p.amount, currency: p.currency, fees: p.fees as PaymentView['fees'], status: p.status,
    provider: p.provider, providerRef: p.providerRef, createdAt: iso(p.createdAt), expiresAt: iso(p.expiresAt), settledAt: iso(p.settledAt),
    refundedAt: iso(p.refundedAt), refundReason: p.refundReason,
    receiptUrl: p.status === 'paid' || p.status === 'refunded' ? `/api/public/payments/${p.id}/receipt.pdf` : null,
    method: p.method === 'cash' ? 'cash' : 'online',
    recordedBy: p.recordedBy ? { id: p.recordedBy, name: p.recordedByName ?? p.recordedBy } : null,
  };
}

/** What is due on a dossier: the engine's last fee request with the catalog's names, and whether it is paid. */
export async function feesOf(deps: Deps, row: DossierRow): Promise<{ fees: PaymentView['fees']; total: number; paid: boolean; payments: PaymentView[] }> {
  const asked = (await lastFeeRequest(deps.db, row.id)) ?? [];
  const proc = await deps.directory.procedure(row.procedureId, row.procedureVersion);
  const names = new Map((proc?.definition.catalog.fees ?? []).map((f) => [f.id, f.name.vi]));
  const fees = asked.filter((f) => f.amount > 0).map((f) => ({ id: f.id, name: names.get(f.id) ?? f.id, amount: f.amount }));
  const list = await paymentsOf(deps.db, row.id);
  return { fees, total: fees.reduce((s, f) => s + f.amount, 0), paid: list.some((p) => p.status === 'paid'), payments: list.map(paymentView) };
}

/**
 * A new payment request for what the dossier owes, with the provider's address to pay it.
 * 409 when nothing is due, when it is paid already, or when the dossier is closed; an earlier
 * unpaid request is cancelled (its late success is still honoured, once).
 */
export async function startPayment(deps: Deps, row: DossierRow, clientIp: string): Promise<{ payment: PaymentView; payUrl: string }> {
  const provider = providerOf(deps);
  const due = await feesOf(deps, row);
  if (due.paid) {
    throw new HttpError(409, 'ALREADY_PAID', { vi: `Hồ sơ ${row.id} đã được thanh toán`, en: `Dossier ${row.id} is paid already` });
  }
  if (due.total <= 0) {
    throw new HttpError(409, 'NOTHING_DUE', { vi: `Hồ sơ ${row.id} không có khoản phí, lệ phí phải nộp`, en: `Dossier ${row.id} owes no fee` });
  }
  if ((row.snapshot as DossierSnapshot).status === 'done') {
    throw new HttpError(409, 'DOSSIER_CLOSED', { vi: `Hồ sơ ${row.id} đã kết thúc`, en: `Dossier ${row.id} is closed` });
  }
  const now = deps.clock.now();
  const expires = new Date(now.getTime() + PAYMENT_TTL_MS);
  const id = randomUUID().replace(/-/g, '').toUpperCase();
  const returnUrl = `${deps.config.publicUrl.replace(/\/$/, '')}/thanh-toan/ket-qua`;
  const payment = await deps.db.transaction(async (tx) => {
    await lockDossierPayments(tx, row.id);
    await cancelPending(tx, row.id, now.toISOString());
    return insertPayment(tx, {
      id, dossierId: row.id, unit: row.receivingUnit, provider: provider.name, amount: due.total, currency: 'VND', fees: due.fees, status: 'pending',
      returnUrl, createdAt: now.toISOString(), expiresAt: expires.toISOString(),
    });
  });
  const payUrl = provider.payUrl({
    reference: id, amount: due.total, description: `Nop phi ho so ${row.id}`, returnUrl, clientIp: clientIp.replace(/^::ffff:/, ''), createdAt: now, expiresAt: expires,
  });
  return { payment: paymentView(payment), payUrl };
}

interface Applied {
  answer: IpnAnswer;
  paymentId: string | null;
  notices: BusMessage[];
  /** The signature or the merchant did not hold: anyone may have sent it. */
  forged?: true;
}

/**
 * The provider's server-to-server notification. Always answered (HTTP 200) with VNPay's
 * {RspCode, Message}: 97 forged or foreign signature, 01 unknown reference, 04 amount or
 * currency that does not match, 02 a notice for a payment already settled (a replay or a
 * duplicate: nothing changes), 00 applied. Every notice the provider signed is kept with the
 * answer given; a forged one is only logged (short): the route is open to anyone, and a row of
 * a forger's parameters per request would let them fill the database and the payment's record.
 */
export async function handleNotice(deps: Deps, query: Record<string, unknown>): Promise<IpnAnswer> {
  const params = vnpParams(query);
  if (!deps.config.payment) {
    // No provider, no secret: nothing can tell a notice from a forgery, so none is kept.
    deps.logger.warn({ ref: params['vnp_TxnRef']?.slice(0, 40) }, 'payment notice while online payment is not configured');
    return IPN.unknown;
  }
  let applied: Applied;
  try {
    applied = await applyNotice(deps, query);
  } catch (err) {
    deps.logger.error({ err, ref: params['vnp_TxnRef'] }, 'payment notice failed');
    applied = { answer: IPN.unknown, paymentId: null, notices: [] };
  }
  if (applied.forged) {
    deps.logger.warn({ ref: params['vnp_TxnRef']?.slice(0, 40) }, 'payment notice with a signature or merchant that does not hold');
    return applied.answer;
  }
  await recordNotice(deps.db, {
    paymentId: applied.paymentId ?? params['vnp_TxnRef']?.slice(0, 100) ?? null, receivedAt: deps.clock.now().toISOString(), params,
    rspCode: applied.answer.RspCode, message: applied.answer.Message,
  });
  for (const n of applied.notices) deps.bus.publish(n);
  return applied.answer;
}

async function applyNotice(deps: Deps, query: Record<string, unknown>): Promise<Applied> {
  const checked = providerOf(deps).checkNotice(query);
  if (!checked.ok) {
    return { answer: checked.answer, paymentId: null, notices: [], ...(checked.answer.RspCode === IPN.badSignature.RspCode ? { forged: true as const } : {}) };
  }
  const n = checked.notice;
  return deps.db.transaction(async (tx) => {
    const found = await paymentById(tx, n.reference);
    if (!found) return { answer: IPN.notFound, paymentId: null, notices: [] };
    await lockDossierPayments(tx, found.dossierId);
    const p = (await paymentById(tx, n.reference, true))!;
    if (n.currency !== p.currency) return { answer: { RspCode: IPN.invalidAmount.RspCode, Message: 'Invalid currency' }, paymentId: p.id, notices: [] };
    if (n.amount !== p.amount) return { answer: IPN.invalidAmount, paymentId: p.id, notices: [] };
    // Settled already (a replay, a duplicate): nothing changes. A request cancelled, or whose
    // failure was notified, that the provider then says was paid after all is honoured: the
    // provider signed that the money moved for this reference (a failure code followed by the
    // bank's late confirmation, the citizen paying the same address again), and an unpaid
    // request is the only state a success may leave. Paid or refunded is final, so a success
    // is applied at most once; a failure after any settlement changes nothing.
    const open = p.status === 'pending' || (n.success && (p.status === 'cancelled' || p.status === 'failed'));
    if (!open) return { answer: IPN.alreadyConfirmed, paymentId: p.id, notices: [] };
    const at = deps.clock.now().toISOString();
    const base = { providerRef: n.providerRef, bankCode: n.bankCode, responseCode: n.responseCode, settledAt: at };
    if (!n.success) {
      const failed = await settle(tx, p.id, { ...base, status: 'failed' });
      await announce(tx, failed);
      return { answer: IPN.ok, paymentId: p.id, notices: [] };
    }
    const others = await paymentsOf(tx, p.dossierId);
    const row = await loadDossier(tx, p.dossierId);
    const earlier = others.find((o) => o.id !== p.id && o.status === 'paid');
    if (earlier) {
      // The money moved at the provider all the same (a tab left open, a late bank): it is owed
      // back, never kept as a second payment, whether the first was online or cash at the desk.
      const dup = await settle(tx, p.id, {
        ...base, status: 'refunded', refundedAt: at,
        refundReason: earlier.method === 'cash'
          ? 'Thanh toán trùng: hồ sơ đã nộp tiền mặt tại Bộ phận Một cửa, khoản này được hoàn trả'
          : 'Thanh toán trùng: hồ sơ đã được thanh toán trước đó, khoản này được hoàn trả',
      });
      await announce(tx, dup);
      return { answer: IPN.ok, paymentId: p.id, notices: [] };
    }
    let paid = await settle(tx, p.id, { ...base, status: 'paid' });
    await announce(tx, paid);
    const notices: BusMessage[] = [];
    const snapshot = row?.snapshot as DossierSnapshot | undefined;
    const owedBack = snapshot ? lateRefundReason(snapshot) : null;
    if (row && owedBack) {
      paid = await settle(tx, p.id, { status: 'refunded', refundedAt: at, refundReason: owedBack });
      await announce(tx, paid);
    } else if (row) {
      const proc = await deps.directory.procedure(row.procedureId, row.procedureVersion);
      const step = proc ? paymentAction(proc, snapshot!) : null;
      // The engine's payment step moves on, taken by the system in this same transaction.
      if (step) notices.push(...(await act(deps, tx, SYSTEM_ACTOR, row.id, { ...step, inputs: {} }, row)).notices);
    }
    return { answer: IPN.ok, paymentId: p.id, notices };
  });
}

const REFUSED_REASON = 'Hồ sơ bị từ chối tiếp nhận';

/** Why money that arrives for a dossier closed without an approved result is owed back (Vietnamese, as printed on the receipt). */
const CLOSED_REASON: { [outcome: string]: string } = {
  refused: REFUSED_REASON,
  withdrawn: 'Hồ sơ đã được rút trước khi khoản thanh toán hoàn tất, khoản này được hoàn trả',
  stopped: 'Hồ sơ đã dừng giải quyết trước khi khoản thanh toán hoàn tất, khoản này được hoàn trả',
  rejected: 'Hồ sơ không được giải quyết trước khi khoản thanh toán hoàn tất, khoản này được hoàn trả',
};

/**
 * Whether a success notified now is owed back, and why. A refused dossier's payment always is
 * (as refundRound does for one paid before the refusal). So is one that settles after the
 * dossier closed without an approved result — withdrawn, stopped, rejected: a payment started
 * before the withdrawal and paid at the bank afterwards pays for nothing the citizen will get,
 * and keeping it as `paid` would leave the money with the unit and nothing owed back.
 */
export function lateRefundReason(snapshot: DossierSnapshot): string | null {
  if (snapshot.outcome === 'refused') return REFUSED_REASON;
  if (!snapshot.closedAt || !snapshot.outcome || snapshot.outcome === 'approved') return null;
  return CLOSED_REASON[snapshot.outcome] ?? null;
}

/** The outbox event of a payment's change (topic `dossier.payment`): webhooks and the citizen's notifications follow it. */
export async function announce(tx: Tx, p: PaymentRow): Promise<void> {
  await writeOutbox(tx, `${p.dossierId}#payment.${p.id}.${p.status}`, 'dossier.payment', p.dossierId, {
    dossierCode: p.dossierId, paymentId: p.id, status: p.status, amount: p.amount, currency: p.currency, provider: p.provider,
    providerRef: p.providerRef, at: p.refundedAt ?? p.settledAt, ...(p.refundReason ? { refundReason: p.refundReason } : {}),
    method: p.method, ...(p.recordedBy ? { recordedBy: { id: p.recordedBy, name: p.recordedByName } } : {}),
  });
}

/** The citizen's return from the provider: the signature is checked, the state read (the notice, not the return, settles). */
export async function returned(deps: Deps, query: Record<string, unknown>): Promise<PaymentView & { providerSays: 'success' | 'failure'; failure: PaymentFailure | null }> {
  const checked = providerOf(deps).checkReturn(query);
  if (!checked.ok) {
    throw new HttpError(400, 'BAD_SIGNATURE', { vi: 'Chữ ký của kết quả thanh toán không hợp lệ', en: 'The payment result\'s signature does not hold' });
  }
  const p = await paymentById(deps.db, checked.notice.reference);
  if (!p) throw new HttpError(404, 'NOT_FOUND', { vi: 'Không tìm thấy giao dịch thanh toán', en: 'No such payment' });
  // Only a return whose signature holds gets here, so the kind of failure is the provider's word, not the address bar's.
  return { ...paymentView(p), providerSays: checked.notice.success ? 'success' : 'failure', failure: checked.notice.success ? null : checked.notice.failure };
}

/** One payment by its id (the id is the capability: 128 random bits, known to the payer). */
export async function paymentOf(deps: Deps, id: string): Promise<PaymentView> {
  const p = /^[0-9A-F]{32}$/.test(id) ? await paymentById(deps.db, id) : null;
  if (!p) throw new HttpError(404, 'NOT_FOUND', { vi: 'Không tìm thấy giao dịch thanh toán', en: 'No such payment' });
  return paymentView(p);
}

export async function receiptPdf(deps: Deps, id: string): Promise<Buffer> {
  const p = /^[0-9A-F]{32}$/.test(id) ? await paymentById(deps.db, id) : null;
  if (!p || (p.status !== 'paid' && p.status !== 'refunded')) {
    throw new HttpError(404, 'NOT_FOUND', { vi: 'Không có biên lai cho giao dịch này', en: 'No receipt for this payment' });
  }
  const row = await loadDossier(deps.db, p.dossierId);
  const unit = await deps.directory.unit(p.unit);
  const data: ReceiptData = {
    number: p.id, unitName: unit?.name ?? p.unit, payer: row?.applicantName ?? '', dossierId: p.dossierId,
    fees: (p.fees as { name: string; amount: number }[]).map((f) => ({ name: f.name, amount: f.amount })), amount: p.amount,
    paidAt: new Date(p.settledAt ?? p.createdAt).toISOString(), provider: p.provider, providerRef: p.providerRef,
    cash: p.method === 'cash' ? { collectedBy: p.recordedByName ?? p.recordedBy ?? '' } : null,
    refunded: p.refundedAt ? { at: new Date(p.refundedAt).toISOString(), reason: p.refundReason ?? '' } : null,
  };
  return renderReceipt(data);
}

export async function paymentDetail(deps: Deps, user: AuthUser, id: string) {
  const p = await paymentById(deps.db, id);
  if (!p || !(await adminUnits(deps, user)).has(p.unit)) throw new HttpError(404, 'NOT_FOUND', { vi: 'Không tìm thấy giao dịch thanh toán', en: 'No such payment' });
  const notices = await noticesOf(deps.db, id);
  return { ...paymentView(p), notices: notices.map((n) => ({ receivedAt: iso(n.receivedAt), rspCode: n.rspCode, message: n.message })) };
}

const STATUSES = ['paid', 'pending', 'failed', 'cancelled', 'refunded'] as const;

/** The instants of a period of local days [from, to], as [start, end). */
const period = (from: string, to: string): [string, string] => [localDayWindow(from).start, localDayWindow(to).end];

/** The reconciliation per day and unit of the units the admin sees, optionally one unit (with the payments behind it). */
export async function reconcile(deps: Deps, user: AuthUser, from: string, to: string, unit?: string) {
  // The pattern admits "2026-13-01" and "0000-01-01", which are no day (an Invalid Date, then a
  // 500) or none PostgreSQL and JavaScript agree on; "2026-02-30" would quietly be 2 March.
  for (const [field, day] of [['from', from], ['to', to]] as const) {
    const d = new Date(`${day}T00:00:00Z`);
    const y = d.getUTCFullYear();
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== day || y < 1970 || y > 9998) {
      const message = { vi: `"${day}" không phải một ngày (YYYY-MM-DD, từ năm 1970)`, en: `"${day}" is not a day (YYYY-MM-DD, from 1970)` };
      throw new HttpError(422, 'BAD_PERIOD', message, [{ path: `/${field}`, message }]);
    }
  }
  if (from > to) {
    const message = { vi: 'Ngày bắt đầu phải trước ngày kết thúc', en: 'The start day must not be after the end day' };
    throw new HttpError(422, 'BAD_PERIOD', message, [{ path: '/from', message }]);
  }
  const [start, end] = period(from, to);
  if (Date.parse(end) - Date.parse(start) > 370 * 86_400_000) {
    const message = { vi: 'Tối đa một năm mỗi lần đối soát', en: 'At most one year per reconciliation' };
    throw new HttpError(422, 'BAD_PERIOD', message, [{ path: '/to', message }]);
  }
  let units = [...(await adminUnits(deps, user))];
  if (unit) {
    if (!units.includes(unit)) throw new HttpError(403, 'FORBIDDEN', { vi: `Không được xem đơn vị ${unit}`, en: `Unit ${unit} is outside your units` });
    units = [unit];
  }
  const rows = await reconciliation(deps.db, start, end, units);
  type Money = { count: number; amount: number };
  type Line = { day: string; unit: string; unitName: string; cash: Money } & Record<(typeof STATUSES)[number], Money>;
  const byKey = new Map<string, Line>();
  for (const r of rows) {
    const key = `${r.day}|${r.unit}`;
    let line = byKey.get(key);
    if (!line) {
      const name = (await deps.directory.unit(r.unit))?.name ?? r.unit;
      line = { day: r.day, unit: r.unit, unitName: name, cash: { count: 0, amount: 0 }, ...Object.fromEntries(STATUSES.map((s) => [s, { count: 0, amount: 0 }])) } as Line;
      byKey.set(key, line);
    }
    // One row per method: a status adds up online and cash; cash handed in at the desk and
    // still held is also shown apart (the desk's till must hold it, the provider's statement will not).
    const add = (m: Money) => ({ count: m.count + r.count, amount: m.amount + r.amount });
    if ((STATUSES as readonly string[]).includes(r.status)) line[r.status as (typeof STATUSES)[number]] = add(line[r.status as (typeof STATUSES)[number]]);
    if (r.status === 'paid' && r.method === 'cash') line.cash = add(line.cash);
  }
  const lines = [...byKey.values()];
  const sum = (k: (typeof STATUSES)[number] | 'cash'): Money => ({
    count: lines.reduce((n, l) => n + l[k].count, 0), amount: lines.reduce((n, l) => n + l[k].amount, 0),
  });
  const total = { ...Object.fromEntries(STATUSES.map((s) => [s, sum(s)])), cash: sum('cash') } as Record<(typeof STATUSES)[number] | 'cash', Money>;
  const items = (await paymentsBetween(deps.db, start, end, units)).map(paymentView);
  return { from, to, lines, total, payments: items };
}

/**
 * Follows the outbox: a dossier refused (from-03) after it was paid gets its payment
 * recorded as refunded, with the outbox event that tells the citizen.
 */
export async function refundRound(deps: Deps, options: { settleMs?: number } = {}): Promise<number> {
  return follow(deps, 'payments', async (tx, events: FollowedEvent[]) => {
    for (const e of events) {
      if (e.topic !== 'dossier.progress' || !e.dossierId) continue;
      const outcome = (e.payload as { outcome?: string | null }).outcome;
      if (outcome !== 'refused') continue;
      await lockDossierPayments(tx, e.dossierId);
      for (const p of await paymentsOf(tx, e.dossierId)) {
        if (p.status !== 'paid') continue;
        const at = deps.clock.now().toISOString();
        const r = await settle(tx, p.id, { status: 'refunded', refundedAt: at, refundReason: REFUSED_REASON });
        await announce(tx, r);
      }
    }
  }, options);
}
