/**
 * Fees handed in as cash at the one-stop desk (docs/payments.md, "Cash at the desk"). The
 * desk collects fees when it accepts a dossier, and many citizens pay there rather than
 * online: without a record of it, the online request stays open and the citizen is asked to
 * pay again. A desk officer of the dossier's receiving unit (own grant or a delegation in
 * force there, as for the desk's actions) records the cash; it is then a payment like an
 * online success — paid, with its receipt, its outbox event, and the engine's payment step
 * moved on by the system in the same transaction — so an online request still open is
 * cancelled, and a late online success for it is a refund owed, never a second payment.
 */
import { randomUUID } from 'node:crypto';
import { paymentAction, type DossierSnapshot } from '@motcua/engine';
import type { Deps } from '../deps';
import type { AuthUser } from '../auth/middleware';
import { HttpError, forbidden, notFound } from '../http/errors';
import { DESK_ROLE, SYSTEM_ACTOR, act, loadDossier, mayActAs, visibleDossier, type DossierRow } from '../dossiers/service';
import { dossierCache, runOnce } from '../dossiers/index';
import { announce, feesOf, paymentView, type PaymentView } from './service';
import { cancelPending, insertPayment, lockDossierPayments, paymentsOf, type PaymentRow } from './repo';
import { vnDateTime } from './receipt';

/** The provider column of a cash payment: the money went to the one-stop desk, not through a gateway. */
export const CASH_PROVIDER = 'desk';

/** Whether the user may record cash for this dossier: the desk role at its receiving unit, own or delegated. */
function mayCollect(deps: Deps, user: AuthUser, row: DossierRow): Promise<boolean> {
  return mayActAs(deps, user, DESK_ROLE, row.receivingUnit, row.procedureId);
}

/** What the officer's dossier page shows of the fees: what is due, the payments, and whether this user may record cash. */
export async function deskPayments(deps: Deps, user: AuthUser, id: string) {
  const row = await visibleDossier(deps, user, id);
  const due = await feesOf(deps, row);
  const open = !row.closedAt && (row.snapshot as DossierSnapshot).status !== 'done';
  return { ...due, mayRecordCash: open && !due.paid && due.total > 0 && (await mayCollect(deps, user, row)) };
}

function alreadyPaid(p: PaymentRow): HttpError {
  const at = vnDateTime(new Date(p.settledAt ?? p.createdAt).toISOString());
  if (p.method === 'cash') {
    return new HttpError(409, 'ALREADY_PAID', {
      vi: `Hồ sơ ${p.dossierId} đã được ghi nhận nộp tiền mặt lúc ${at}${p.recordedByName ? ` (${p.recordedByName})` : ''}, biên lai số ${p.id}`,
      en: `Cash for dossier ${p.dossierId} was already recorded at ${at}${p.recordedByName ? ` (${p.recordedByName})` : ''}, receipt ${p.id}`,
    }, undefined, { payment: paymentView(p) });
  }
  return new HttpError(409, 'ALREADY_PAID', {
    vi: `Hồ sơ ${p.dossierId} đã được thanh toán trực tuyến lúc ${at} (biên lai số ${p.id}): không thu tiền mặt nữa`,
    en: `Dossier ${p.dossierId} was already paid online at ${at} (receipt ${p.id}): collect no cash`,
  }, undefined, { payment: paymentView(p) });
}

/**
 * Records that the dossier's fees were paid in cash at the desk, once per Idempotency-Key.
 * `amount` is what the officer collected: it must be what is due now (409 AMOUNT_CHANGED
 * otherwise, the screen was stale). 403 for an officer who is not the receiving unit's desk,
 * 409 when paid already (online or cash), nothing is due, or the dossier is closed.
 */
export async function recordCash(
  deps: Deps, user: AuthUser, id: string, body: { amount: number }, key: string | undefined,
): Promise<{ status: number; body: PaymentView; replayed: boolean }> {
  const row = await visibleDossier(deps, user, id);
  if (!(await mayCollect(deps, user, row))) {
    throw forbidden({
      vi: `Chỉ Bộ phận Một cửa của đơn vị tiếp nhận (${row.receivingUnit}) mới ghi nhận nộp tiền mặt cho hồ sơ ${id}`,
      en: `Only the one-stop desk of the receiving unit (${row.receivingUnit}) may record cash for dossier ${id}`,
    });
  }
  const out = await runOnce(deps, user.id, key, { path: `/api/dossiers/${id}/payments/cash`, body }, async (tx, d) => {
    // Serialised with the provider's notices and the citizen's requests for this dossier: a
    // success notified meanwhile is seen here (409), and one notified after finds this payment.
    await lockDossierPayments(tx, id);
    const current = await loadDossier(tx, id);
    if (!current) throw notFound({ vi: 'hồ sơ', en: 'dossier' }, id);
    const paid = (await paymentsOf(tx, id)).find((p) => p.status === 'paid');
    if (paid) throw alreadyPaid(paid);
    const snapshot = current.snapshot as DossierSnapshot;
    if (current.closedAt || snapshot.status === 'done') {
      throw new HttpError(409, 'DOSSIER_CLOSED', { vi: `Hồ sơ ${id} đã kết thúc: không thu phí`, en: `Dossier ${id} is closed: no fee to collect` });
    }
    const due = await feesOf(d, current);
    if (due.total <= 0) {
      throw new HttpError(409, 'NOTHING_DUE', { vi: `Hồ sơ ${id} không có khoản phí, lệ phí phải nộp`, en: `Dossier ${id} owes no fee` });
    }
    if (body.amount !== due.total) {
      const message = {
        vi: `Số tiền phải nộp hiện là ${due.total.toLocaleString('vi-VN')} đồng, không phải ${body.amount.toLocaleString('vi-VN')} đồng: hãy tải lại hồ sơ`,
        en: `The amount due is now ${due.total} VND, not ${body.amount} VND: reload the dossier`,
      };
      throw new HttpError(409, 'AMOUNT_CHANGED', message, [{ path: '/amount', message }]);
    }
    const now = deps.clock.now().toISOString();
    // An online request still open is void: paid at its page afterwards, it is a duplicate owed back (./service.ts).
    await cancelPending(tx, id, now);
    const payment = await insertPayment(tx, {
      id: randomUUID().replace(/-/g, '').toUpperCase(), dossierId: id, unit: current.receivingUnit, provider: CASH_PROVIDER, method: 'cash',
      amount: due.total, currency: 'VND', fees: due.fees, status: 'paid', returnUrl: '', createdAt: now, expiresAt: now, settledAt: now,
      recordedBy: user.id, recordedByName: user.name,
    });
    await announce(tx, payment);
    dossierCache(deps.database).forget(id);
    const proc = await d.directory.procedure(current.procedureId, current.procedureVersion);
    const step = proc ? paymentAction(proc, snapshot) : null;
    // As on an online success: the engine's payment step moves on, taken by the system in this transaction.
    const notices = step ? (await act(d, tx, SYSTEM_ACTOR, id, { ...step, inputs: {} }, current)).notices : [];
    return { status: 201, body: paymentView(payment), notices };
  });
  return out as { status: number; body: PaymentView; replayed: boolean };
}
