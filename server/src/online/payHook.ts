/**
 * PAYMENT ENTRY — where a signed-in citizen pays a dossier's fees: the web payment page
 * (`/thanh-toan/<code>?k=<key>`, web/src/features/payments) with the dossier's lookup key
 * (the key printed in the receipt's QR code, which its owner may see), and the amount the
 * payments module would ask for. Null when nothing is to be paid online: online payment is
 * not configured, the engine asked for no fee, a payment is already settled, or the dossier
 * is closed. The citizen's view ("Hồ sơ của tôi") shows a "Thanh toán" button to `href`.
 */
import type { DossierSnapshot } from '@motcua/engine';
import type { Deps } from '../deps';
import type { DossierRow } from '../dossiers';
import { feesOf } from '../payments/service';

export async function paymentEntry(deps: Deps, row: DossierRow): Promise<{ href: string; amount: number } | null> {
  if (!deps.config.payment || row.closedAt || (row.snapshot as DossierSnapshot).status === 'done') return null;
  const due = await feesOf(deps, row);
  if (due.paid || due.total <= 0) return null;
  const href = `/thanh-toan/${encodeURIComponent(row.id)}?k=${encodeURIComponent(row.lookupToken)}`;
  return { href, amount: due.total };
}
