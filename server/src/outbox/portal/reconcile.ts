/**
 * Reconciliation: asks the portal's query service what it holds of each dossier motcua sent
 * it, compares the whole record with motcua's own latest one (canonical JSON hash), and sends again the latest event of every
 * dossier that differs or is missing (its delivery goes back to pending: the outbox sends it,
 * in order, and the portal counts the event once). Run on a schedule (../jobs.ts) and on
 * demand (POST /api/portal/connections/:id/reconcile).
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { Deps } from '../../deps';
import { DELIVERY_POLICY } from '../policy';
import { PortalDown, queryPortal, recordBuilder, statusTable, type PortalSendOptions } from './adapter';
import type { SyncRecord } from './record';
import { eventIdsOf, latestDeliveries, resend, subscriptionSecret, type ConnectionRow } from './repo';

/** SHA-256 of a record's RFC 8785 canonical JSON: two records are the same when their hashes are. */
export function recordHash(record: unknown): string {
  return createHash('sha256').update(canonicalize(record) ?? '').digest('hex');
}

/**
 * The whole record is compared (its canonical JSON hash), not a few fields: a paper, a fee or a
 * supplement round the portal lacks is a difference as much as a status. When the hashes
 * differ, each top-level field that differs is named (a field only one side has included).
 */
export function differences(dossierId: string, theirs: Record<string, unknown>, mine: SyncRecord): Difference[] {
  if (recordHash(theirs) === recordHash(mine)) return [];
  const m = mine as unknown as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(m), ...Object.keys(theirs)])];
  return keys.filter((k) => canonicalize(theirs[k] ?? null) !== canonicalize(m[k] ?? null))
    .map((k) => ({ dossierId, field: k, portal: theirs[k] ?? null, motcua: m[k] ?? null }));
}

export interface Difference { dossierId: string; field: string; portal: unknown; motcua: unknown }

export interface ReconcileResult {
  checked: number;
  /** Dossiers whose latest event is still on its way (not compared). */
  inFlight: number;
  differences: Difference[];
  resent: number;
  error: string | null;
}

export async function reconcile(deps: Deps, conn: ConnectionRow, options: Partial<PortalSendOptions> & { limit?: number } = {}): Promise<ReconcileResult> {
  const o: PortalSendOptions = { timeoutMs: options.timeoutMs ?? DELIVERY_POLICY.timeoutMs, ...(options.resolve ? { resolve: options.resolve } : {}) };
  const out: ReconcileResult = { checked: 0, inFlight: 0, differences: [], resent: 0, error: null };
  const password = await subscriptionSecret(deps, conn.subscriptionId);
  const latest = await latestDeliveries(deps.db, conn.subscriptionId, options.limit ?? 10_000);
  const settled = latest.filter((l) => l.status !== 'pending');
  out.inFlight = latest.length - settled.length;
  if (settled.length === 0) return out;
  const table = await statusTable(deps, conn.province);
  const events = await eventIdsOf(deps.db, settled.map((s) => s.outboxId));
  const build = await recordBuilder(deps, table, settled);
  let held: Map<string, Record<string, unknown>>;
  try {
    held = await queryPortal(deps, conn, password, settled.map((s) => s.dossierId), o);
  } catch (e) {
    if (!(e instanceof PortalDown)) throw e;
    out.error = e.message;
    return out;
  }
  const now = deps.clock.now().toISOString();
  for (const l of settled) {
    out.checked++;
    const mine = build({ dossierId: l.dossierId, outboxId: l.outboxId, eventId: events.get(l.outboxId) ?? '' })?.sync;
    if (!mine) continue;
    const theirs = held.get(l.dossierId);
    const diffs: Difference[] = theirs
      ? differences(l.dossierId, theirs, mine)
      : [{ dossierId: l.dossierId, field: 'MaHoSo', portal: null, motcua: mine.MaHoSo }];
    if (diffs.length === 0) continue;
    out.differences.push(...diffs);
    if (await resend(deps.db, l.id, now)) out.resent++;
  }
  if (out.resent) deps.logger.info({ connection: conn.subscriptionId, resent: out.resent }, 'portal reconciliation: differing dossiers sent again');
  return out;
}
