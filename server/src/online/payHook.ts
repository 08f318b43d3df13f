/**
 * PAYMENT HOOK — the payments module (branch `pay`) replaces this function's body: given a
 * citizen's dossier and the fees due, the address of its payment API where the citizen pays
 * (e.g. `/api/me/dossiers/<id>/payment`), or null when nothing is to be paid online. The
 * citizen's view ("Hồ sơ của tôi") shows a "Thanh toán" button to `href` when it is not null.
 */
import type { DossierRow } from '../dossiers';

export function paymentEntry(row: Pick<DossierRow, 'id' | 'closedAt'>, amount: number): { href: string; amount: number } | null {
  void row;
  void amount;
  return null;
}
