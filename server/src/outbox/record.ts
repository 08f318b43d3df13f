/**
 * Recording what became of a claimed delivery (see ./dispatcher.ts): each write is fenced by
 * the lease the worker took, so a worker whose lease expired (or was released) records nothing.
 * The claim counted the attempt; a delivery given back unsent gets its count back.
 */
import { and, eq, gt, inArray, isNull, lte, notInArray, or, sql, type SQL } from 'drizzle-orm';
import { webhookDeliveries } from '../db/schema';
import type { Deps } from '../deps';
import { DELIVERY_POLICY, PAYLOAD_ONLY, retryDelayMs, type ClaimedDelivery } from './policy';

/** What one attempt gave. */
export interface Attempt {
  ok: boolean;
  status: number | null;
  error: string | null;
  /** The receiver as a whole is failing (not this one payload): stop sending it more this round. */
  receiverDown: boolean;
}

/** Only the worker still holding the lease writes the result (a later claim after expiry wins). */
const held = (d: ClaimedDelivery): SQL => and(
  eq(webhookDeliveries.id, d.id), eq(webhookDeliveries.status, 'pending'), eq(webhookDeliveries.nextAttemptAt, d.lease),
)!;

export async function recordSuccess(deps: Deps, d: ClaimedDelivery, a: Attempt): Promise<void> {
  const now = deps.clock.now().toISOString();
  await deps.db.update(webhookDeliveries).set({
    status: 'delivered', deliveredAt: now, lastStatus: a.status, lastError: null, nextAttemptAt: now, claimedBy: null,
  }).where(held(d));
}

/**
 * Records a batch acknowledged together (the portal answers a batch at once): one statement
 * per lease instead of one per delivery, fenced like `recordSuccess`.
 */
export async function recordSuccesses(deps: Deps, ds: readonly ClaimedDelivery[], a: Attempt): Promise<void> {
  const now = deps.clock.now().toISOString();
  const byLease = new Map<string, number[]>();
  for (const d of ds) byLease.set(d.lease, [...(byLease.get(d.lease) ?? []), d.id]);
  for (const [lease, ids] of byLease) {
    await deps.db.update(webhookDeliveries).set({
      status: 'delivered', deliveredAt: now, lastStatus: a.status, lastError: null, nextAttemptAt: now, claimedBy: null,
    }).where(and(inArray(webhookDeliveries.id, ids), eq(webhookDeliveries.status, 'pending'), eq(webhookDeliveries.nextAttemptAt, lease)));
  }
}

function givesUp(d: ClaimedDelivery, now: Date): boolean {
  return now.getTime() - Date.parse(d.createdAt) >= DELIVERY_POLICY.giveUpAfterMs;
}

/** Records a failed attempt; returns when the delivery is next due, or null when it was given up. */
export async function recordFailure(deps: Deps, d: ClaimedDelivery, a: Attempt): Promise<Date | null> {
  const now = deps.clock.now();
  if (givesUp(d, now)) {
    await deps.db.update(webhookDeliveries).set({
      status: 'failed', lastStatus: a.status, lastError: a.error, nextAttemptAt: now.toISOString(), claimedBy: null,
    }).where(held(d));
    deps.logger.warn({ delivery: d.id, subscription: d.subscriptionId, eventId: d.eventId, error: a.error }, 'webhook delivery given up');
    return null;
  }
  const own = nextTry(d, now);
  const next = a.receiverDown ? new Date(Math.min(own.getTime(), now.getTime() + DELIVERY_POLICY.probeMs)) : own;
  await deps.db.update(webhookDeliveries).set({
    lastStatus: a.status, lastError: a.error, nextAttemptAt: next.toISOString(), claimedBy: null,
  }).where(held(d));
  if (d.dossierId !== null) await pushBehind(deps, d, now);
  return next;
}

/**
 * When a delivery (failed, or waiting behind a failed one) is next due: see `retryDelayMs`;
 * never after its give-up horizon, so the last try falls on it.
 */
export function nextTry(d: { id: number; createdAt: string }, now: Date): Date {
  const created = Date.parse(d.createdAt);
  return new Date(Math.min(now.getTime() + retryDelayMs(d.id, now.getTime() - created), created + DELIVERY_POLICY.giveUpAfterMs));
}

/**
 * The later deliveries of the failed one's dossier that are due would each have the failed
 * one tried again at once (see the claim in ./dispatcher.ts): each gets its own next try.
 */
async function pushBehind(deps: Deps, d: ClaimedDelivery, now: Date): Promise<void> {
  const due = await deps.db.select({ id: webhookDeliveries.id, createdAt: webhookDeliveries.createdAt }).from(webhookDeliveries).where(and(
    eq(webhookDeliveries.subscriptionId, d.subscriptionId), eq(webhookDeliveries.dossierId, d.dossierId!), eq(webhookDeliveries.status, 'pending'),
    isNull(webhookDeliveries.claimedBy), gt(webhookDeliveries.outboxId, d.outboxId), lte(webhookDeliveries.nextAttemptAt, now.toISOString()),
  ));
  for (const m of due) {
    await deps.db.update(webhookDeliveries).set({ nextAttemptAt: nextTry({ id: m.id, createdAt: new Date(m.createdAt).toISOString() }, now).toISOString() })
      .where(and(eq(webhookDeliveries.id, m.id), isNull(webhookDeliveries.claimedBy), eq(webhookDeliveries.status, 'pending')));
  }
}

/**
 * Gives back claimed deliveries that were not sent (their attempt uncounted): due again at
 * `at` (behind a failed one, or at once when the lease ran short); those past the horizon
 * behind a failing receiver are given up.
 */
export async function release(deps: Deps, rest: ClaimedDelivery[], at: Date | ((d: ClaimedDelivery) => Date), cause: Attempt | null): Promise<void> {
  const now = deps.clock.now();
  const uncounted = sql`${webhookDeliveries.attempts} - 1`;
  for (const d of rest) {
    if (cause && givesUp(d, now)) {
      await deps.db.update(webhookDeliveries).set({
        status: 'failed', attempts: uncounted, lastStatus: cause.status, claimedBy: null, nextAttemptAt: now.toISOString(),
        lastError: `Given up unsent, behind a failing delivery (${cause.error ?? 'error'})`.slice(0, 500),
      }).where(held(d));
    } else {
      const due = typeof at === 'function' ? at(d) : at;
      await deps.db.update(webhookDeliveries).set({ nextAttemptAt: due.toISOString(), attempts: uncounted, claimedBy: null }).where(held(d));
    }
  }
}

/** When this process last woke each subscription's waiting deliveries (at most once per lease). */
const lastWake = new Map<string, number>();

/**
 * The receiver answers again: deliveries of the subscription waiting in a backoff (not held
 * by a worker) after a failure of the receiver (not of their own payload, nor behind an
 * earlier one of their dossier refused for its payload) become due at once. At most once per
 * lease period per process, so a flapping receiver still gets backed-off retries.
 */
export async function wakeUp(deps: Deps, subscriptionId: string): Promise<number> {
  const now = deps.clock.now();
  const last = lastWake.get(subscriptionId);
  if (last !== undefined && Math.abs(now.getTime() - last) < deps.config.webhookLeaseMs) return 0;
  if (lastWake.size > 10_000) lastWake.clear();
  lastWake.set(subscriptionId, now.getTime());
  const woken = await deps.db.update(webhookDeliveries).set({ nextAttemptAt: now.toISOString() }).where(and(
    eq(webhookDeliveries.subscriptionId, subscriptionId), eq(webhookDeliveries.status, 'pending'), isNull(webhookDeliveries.claimedBy),
    gt(webhookDeliveries.nextAttemptAt, now.toISOString()),
    or(isNull(webhookDeliveries.lastStatus), notInArray(webhookDeliveries.lastStatus, [...PAYLOAD_ONLY])),
    sql`not exists (select 1 from webhook_deliveries e where e.subscription_id = ${webhookDeliveries.subscriptionId}
      and e.dossier_id = ${webhookDeliveries.dossierId} and e.status = 'pending' and e.outbox_id < ${webhookDeliveries.outboxId}
      and e.last_status in (${sql.join([...PAYLOAD_ONLY].map((s) => sql`${s}`), sql`, `)}))`,
  )).returning({ id: webhookDeliveries.id });
  return woken.length;
}
