/** The result page's words for a payment back from the gateway. Pure. */
import type { Bilingual } from '../../api/client';

export type FailureKind = 'cancelled' | 'refused' | 'expired';

export interface ReturnedPayment {
  status: 'pending' | 'paid' | 'failed' | 'cancelled' | 'refunded';
  /** From the signed return only (the server checked it): never read from the address bar. */
  failure: { kind: FailureKind; code: string; reason: Bilingual } | null;
}

export interface ResultWording {
  /** Key of the heading in the `payments` namespace. */
  heading: 'result.paid' | 'result.checking' | 'result.failed' | 'result.cancelled' | 'result.refused' | 'result.expired';
  /** The provider's reason, when the bank or gateway refused: it tells whether another card or a call to the bank helps. */
  reason: Bilingual | null;
  /** The provider's code beside the reason, for the help desk. */
  code: string | null;
  /** Whether to offer "Thanh toán lại". */
  payAgain: boolean;
}

/**
 * The stored state decides whether the payment went through (the gateway's server-to-server
 * notice settles it); the signed return only says how a payment that did not go through failed.
 */
export function resultWording(p: ReturnedPayment): ResultWording {
  if (p.status === 'paid') return { heading: 'result.paid', reason: null, code: null, payAgain: false };
  if (p.status === 'pending') return { heading: 'result.checking', reason: null, code: null, payAgain: false };
  const payAgain = p.status === 'failed' || p.status === 'cancelled';
  const f = p.failure;
  if (!payAgain || !f) return { heading: 'result.failed', reason: null, code: null, payAgain };
  if (f.kind === 'refused') return { heading: 'result.refused', reason: f.reason, code: f.code, payAgain };
  return { heading: f.kind === 'cancelled' ? 'result.cancelled' : 'result.expired', reason: null, code: null, payAgain };
}
