/**
 * Outbox dispatcher: turns outbox rows (written in the transaction of every dossier change)
 * into signed webhook deliveries, retried with backoff until the receiver acknowledges them.
 *
 * Two steps, each safe to run in several processes side by side (`FOR UPDATE SKIP LOCKED`):
 * - `fanOut` claims un-fanned outbox rows in id order and creates one delivery per active
 *   subscription whose topics match, marking the rows fanned out — one transaction.
 * - `deliverDue` claims due pending deliveries by pushing their `next_attempt_at` forward
 *   by a lease (claim → commit), sends them outside any transaction, then records each
 *   result only if the lease is still the one it took (a fence). A crash between send and
 *   record leaves the lease to expire: the delivery is sent again (at least once; receivers
 *   de-duplicate by event id). A delivered row is never claimed again.
 *
 * Per subscription, one round sends in outbox order and stops at the first failure that
 * says the receiver itself is unwell (network error, timeout, 3xx, 401/403/404, 408, 429,
 * 5xx): the rest of its claimed deliveries queue behind the failed one instead of hammering
 * a receiver that is down. When a receiver answers again, deliveries waiting in a long
 * backoff are made due at once, so a receiver that was down for an hour catches up within
 * a round rather than after each event's own backoff.
 */
import { createHash, createHmac } from 'node:crypto';
import { and, asc, eq, gt, inArray, isNull, lte, notInArray, or, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { outbox, webhookDeliveries, webhookSubscriptions } from '../db/schema';
import type { Deps } from '../deps';
import { matchesAny } from './topics';

export const DELIVERY_POLICY = {
  /** Per request, body included. */
  timeoutMs: 10_000,
  /** Tolerated clock difference between server processes. */
  clockSkewMs: 60_000,
  /** First retry delay; doubles at each failure… */
  baseDelayMs: 30_000,
  /** …up to this cap. */
  maxDelayMs: 60 * 60_000,
  /** A delivery is retried for this long after it was created, then marked failed. */
  giveUpAfterMs: 3 * 24 * 60 * 60_000,
  /** Each delay is shortened by up to this share, derived from the delivery id (spreads retries). */
  jitter: 0.2,
  fanOutBatch: 500,
  deliverBatch: 50,
} as const;

export const USER_AGENT = 'motcua-webhooks/0.1';

/** Deterministic fraction in [0, 1) from a text (no Math.random: replays and tests stay exact). */
function fraction(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0) / 2 ** 32;
}

/**
 * Delay before the next attempt after the `failures`-th failed attempt of a delivery:
 * 30 s, 1 min, 2 min, 4 min, 8 min, 16 min, 32 min, then every hour — each shortened by
 * up to 20 % (a fraction derived from the delivery id and attempt number).
 */
export function retryDelayMs(deliveryId: number, failures: number): number {
  const p = DELIVERY_POLICY;
  const nominal = Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** Math.min(Math.max(failures - 1, 0), 30));
  return Math.round(nominal * (1 - p.jitter * fraction(`${deliveryId}:${failures}`)));
}

/** `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">` with the subscription's secret. */
export function signature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

const iso = (v: unknown): string => new Date(v as string | Date).toISOString();

// ---- fan-out -----------------------------------------------------------------------------

export interface FanOutResult {
  /** Outbox rows claimed and marked fanned out. */
  events: number;
  /** Deliveries created. */
  deliveries: number;
}

/** Fans out one batch of outbox rows (oldest first) to the matching active subscriptions. */
export async function fanOut(deps: Deps, options: { batchSize?: number } = {}): Promise<FanOutResult> {
  const limit = options.batchSize ?? DELIVERY_POLICY.fanOutBatch;
  const now = deps.clock.now().toISOString();
  return deps.db.transaction(async (tx) => {
    const events = await tx.select({ id: outbox.id, eventId: outbox.eventId, topic: outbox.topic }).from(outbox)
      .where(sql`${outbox.fannedOutAt} is null`).orderBy(asc(outbox.id)).limit(limit)
      .for('update', { skipLocked: true });
    if (events.length === 0) return { events: 0, deliveries: 0 };
    const subscriptions = await tx.select({ id: webhookSubscriptions.id, topics: webhookSubscriptions.topics })
      .from(webhookSubscriptions).where(eq(webhookSubscriptions.active, true));
    const rows: (typeof webhookDeliveries.$inferInsert)[] = [];
    for (const e of events) {
      for (const s of subscriptions) {
        if (!matchesAny(s.topics, e.topic)) continue;
        rows.push({
          subscriptionId: s.id, outboxId: e.id, eventId: e.eventId, status: 'pending', attempts: 0, nextAttemptAt: now, createdAt: now,
        });
      }
    }
    let created = 0;
    for (let i = 0; i < rows.length; i += 1000) {
      const inserted = await tx.insert(webhookDeliveries).values(rows.slice(i, i + 1000)).onConflictDoNothing()
        .returning({ id: webhookDeliveries.id });
      created += inserted.length;
    }
    await tx.update(outbox).set({ fannedOutAt: now }).where(inArray(outbox.id, events.map((e) => e.id)));
    return { events: events.length, deliveries: created };
  });
}

// ---- delivery ----------------------------------------------------------------------------

/** A delivery taken by this worker until `lease`, with what it takes to send it. */
export interface ClaimedDelivery {
  id: number;
  subscriptionId: string;
  url: string;
  secret: string;
  outboxId: number;
  eventId: string;
  topic: string;
  dossierId: string | null;
  payload: unknown;
  /** When the event was written to the outbox. */
  eventCreatedAt: string;
  /** When the delivery was created (the retry horizon counts from here). */
  createdAt: string;
  /** Attempts made before this one. */
  attempts: number;
  /** The claim's fence: the delivery's `next_attempt_at` while this worker holds it. */
  lease: string;
}

/**
 * Claims up to `limit` due pending deliveries of active subscriptions, oldest event first,
 * by moving their next attempt to the end of a lease; commits before anything is sent.
 */
export async function claimDue(deps: Deps, limit: number = DELIVERY_POLICY.deliverBatch): Promise<ClaimedDelivery[]> {
  const now = deps.clock.now();
  const lease = new Date(now.getTime() + deps.config.webhookLeaseMs).toISOString();
  return deps.db.transaction(async (tx) => {
    const due = await tx.select({ id: webhookDeliveries.id }).from(webhookDeliveries)
      .innerJoin(webhookSubscriptions, eq(webhookSubscriptions.id, webhookDeliveries.subscriptionId))
      .where(and(
        eq(webhookDeliveries.status, 'pending'),
        lte(webhookDeliveries.nextAttemptAt, now.toISOString()),
        eq(webhookSubscriptions.active, true),
      ))
      .orderBy(asc(webhookDeliveries.outboxId), asc(webhookDeliveries.id)).limit(limit)
      .for('update', { of: webhookDeliveries, skipLocked: true });
    if (due.length === 0) return [];
    const claimed = await tx.update(webhookDeliveries).set({ nextAttemptAt: lease })
      .where(inArray(webhookDeliveries.id, due.map((d) => d.id))).returning();
    return load(tx, claimed, lease);
  });
}

async function load(tx: Tx, claimed: (typeof webhookDeliveries.$inferSelect)[], lease: string): Promise<ClaimedDelivery[]> {
  const subs = new Map((await tx.select().from(webhookSubscriptions)
    .where(inArray(webhookSubscriptions.id, [...new Set(claimed.map((c) => c.subscriptionId))]))).map((s) => [s.id, s]));
  const events = new Map((await tx.select().from(outbox)
    .where(inArray(outbox.id, [...new Set(claimed.map((c) => c.outboxId))]))).map((e) => [e.id, e]));
  const out: ClaimedDelivery[] = [];
  const orphans: number[] = [];
  for (const c of claimed) {
    const sub = subs.get(c.subscriptionId);
    const event = events.get(c.outboxId);
    if (!sub || !event) {
      orphans.push(c.id);
      continue;
    }
    out.push({
      id: c.id, subscriptionId: c.subscriptionId, url: sub.url, secret: sub.secret, outboxId: c.outboxId,
      eventId: c.eventId, topic: event.topic, dossierId: event.dossierId, payload: event.payload,
      eventCreatedAt: iso(event.createdAt), createdAt: iso(c.createdAt), attempts: c.attempts, lease,
    });
  }
  if (orphans.length) {
    // The event was removed from the outbox: nothing left to send.
    await tx.update(webhookDeliveries).set({ status: 'failed', lastError: 'The event is no longer in the outbox' })
      .where(inArray(webhookDeliveries.id, orphans));
  }
  return out.sort((a, b) => a.outboxId - b.outboxId || a.id - b.id);
}

/** What one attempt gave. */
interface Attempt {
  ok: boolean;
  status: number | null;
  error: string | null;
  /** The receiver as a whole is failing (not this one payload): stop sending it more this round. */
  receiverDown: boolean;
}

/** Answers that concern one payload only; anything else non-2xx is taken as the receiver being unwell. */
const PAYLOAD_ONLY = new Set([400, 409, 413, 415, 422]);

async function snippet(res: Response, max = 300): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < max) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } catch {
    // The body is only for the log: a broken one is not an error of its own.
  } finally {
    reader.cancel().catch(() => {});
  }
  const text = new TextDecoder().decode(Buffer.concat(chunks)).slice(0, max).replace(/\s+/g, ' ').trim();
  return text;
}

function describe(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `No answer within ${timeoutMs / 1000} s`;
  const cause = e?.cause?.code ?? e?.cause?.message;
  return `${e?.message ?? String(err)}${cause ? ` (${cause})` : ''}`.slice(0, 500);
}

/** The JSON body a receiver gets. */
export function deliveryBody(d: Pick<ClaimedDelivery, 'eventId' | 'topic' | 'dossierId' | 'eventCreatedAt' | 'payload'>): string {
  return JSON.stringify({ eventId: d.eventId, topic: d.topic, dossierId: d.dossierId, createdAt: d.eventCreatedAt, payload: d.payload });
}

async function send(d: ClaimedDelivery, now: Date, fetchImpl: typeof fetch, timeoutMs: number): Promise<Attempt> {
  const body = deliveryBody(d);
  const timestamp = String(Math.floor(now.getTime() / 1000));
  try {
    const res = await fetchImpl(d.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': USER_AGENT,
        'X-Motcua-Event-Id': d.eventId,
        'X-Motcua-Topic': d.topic,
        'X-Motcua-Timestamp': timestamp,
        'X-Motcua-Signature': signature(d.secret, timestamp, body),
        'X-Motcua-Delivery': String(d.id),
        'X-Motcua-Attempt': String(d.attempts + 1),
      },
      body,
    });
    const text = await snippet(res);
    const ok = res.status >= 200 && res.status < 300;
    return {
      ok, status: res.status,
      error: ok ? null : `HTTP ${res.status}${text ? `: ${text}` : ''}`.slice(0, 500),
      receiverDown: !ok && !PAYLOAD_ONLY.has(res.status),
    };
  } catch (err) {
    return { ok: false, status: null, error: describe(err, timeoutMs), receiverDown: true };
  }
}

/** Only the worker still holding the lease writes the result (a later claim after expiry wins). */
const held = (d: ClaimedDelivery): SQL => and(
  eq(webhookDeliveries.id, d.id), eq(webhookDeliveries.status, 'pending'), eq(webhookDeliveries.nextAttemptAt, d.lease),
)!;

async function recordSuccess(deps: Deps, d: ClaimedDelivery, a: Attempt): Promise<void> {
  const now = deps.clock.now().toISOString();
  await deps.db.update(webhookDeliveries).set({
    status: 'delivered', attempts: d.attempts + 1, deliveredAt: now, lastStatus: a.status, lastError: null, nextAttemptAt: now,
  }).where(held(d));
}

function givesUp(d: ClaimedDelivery, now: Date): boolean {
  return now.getTime() - Date.parse(d.createdAt) >= DELIVERY_POLICY.giveUpAfterMs;
}

/** Records a failed attempt; returns when the delivery is next due, or null when it was given up. */
async function recordFailure(deps: Deps, d: ClaimedDelivery, a: Attempt): Promise<Date | null> {
  const now = deps.clock.now();
  const attempts = d.attempts + 1;
  if (givesUp(d, now)) {
    await deps.db.update(webhookDeliveries).set({
      status: 'failed', attempts, lastStatus: a.status, lastError: a.error, nextAttemptAt: now.toISOString(),
    }).where(held(d));
    deps.logger.warn({ delivery: d.id, subscription: d.subscriptionId, eventId: d.eventId, error: a.error }, 'webhook delivery given up');
    return null;
  }
  const next = new Date(now.getTime() + retryDelayMs(d.id, attempts));
  await deps.db.update(webhookDeliveries).set({
    attempts, lastStatus: a.status, lastError: a.error, nextAttemptAt: next.toISOString(),
  }).where(held(d));
  return next;
}

/**
 * Gives back claimed deliveries that were not sent: due again at `at` (behind a failed one,
 * or at once when the lease ran short); those past the horizon behind a failing receiver are given up.
 */
async function release(deps: Deps, rest: ClaimedDelivery[], at: Date, cause: Attempt | null): Promise<void> {
  const now = deps.clock.now();
  for (const d of rest) {
    if (cause && givesUp(d, now)) {
      await deps.db.update(webhookDeliveries).set({
        status: 'failed', lastStatus: cause.status, lastError: `Given up unsent: the receiver kept failing (${cause.error ?? 'error'})`.slice(0, 500),
        nextAttemptAt: now.toISOString(),
      }).where(held(d));
    } else {
      await deps.db.update(webhookDeliveries).set({ nextAttemptAt: at.toISOString() }).where(held(d));
    }
  }
}

/** When this process last woke each subscription's waiting deliveries (at most once per lease). */
const lastWake = new Map<string, number>();

/**
 * The receiver answers again: deliveries of the subscription waiting in a backoff longer
 * than any lease (so none of them is being sent right now) after a failure of the receiver
 * (not of their own payload) become due at once. At most once per lease period per process,
 * so a flapping receiver still gets backed-off retries.
 */
async function wakeUp(deps: Deps, subscriptionId: string): Promise<number> {
  const now = deps.clock.now();
  const last = lastWake.get(subscriptionId);
  if (last !== undefined && Math.abs(now.getTime() - last) < deps.config.webhookLeaseMs) return 0;
  if (lastWake.size > 10_000) lastWake.clear();
  lastWake.set(subscriptionId, now.getTime());
  const beyondLeases = new Date(now.getTime() + deps.config.webhookLeaseMs + DELIVERY_POLICY.clockSkewMs).toISOString();
  const woken = await deps.db.update(webhookDeliveries).set({ nextAttemptAt: now.toISOString() }).where(and(
    eq(webhookDeliveries.subscriptionId, subscriptionId), eq(webhookDeliveries.status, 'pending'),
    gt(webhookDeliveries.nextAttemptAt, beyondLeases),
    or(isNull(webhookDeliveries.lastStatus), notInArray(webhookDeliveries.lastStatus, [...PAYLOAD_ONLY])),
  )).returning({ id: webhookDeliveries.id });
  return woken.length;
}

export interface DeliverResult {
  claimed: number;
  delivered: number;
  /** Failed attempts with a retry scheduled. */
  retrying: number;
  /** Given up (status failed). */
  failed: number;
  /** Claimed but not sent this round (behind a failure, or the lease ran short). */
  deferred: number;
}

export interface DeliverOptions {
  batchSize?: number;
  timeoutMs?: number;
}

async function sendInOrder(deps: Deps, group: ClaimedDelivery[], fetchImpl: typeof fetch, timeoutMs: number, result: DeliverResult): Promise<void> {
  let woken = false;
  for (let i = 0; i < group.length; i++) {
    const d = group[i]!;
    const now = deps.clock.now();
    if (now.getTime() + timeoutMs > Date.parse(d.lease)) {
      const rest = group.slice(i);
      await release(deps, rest, now, null);
      result.deferred += rest.length;
      return;
    }
    const attempt = await send(d, now, fetchImpl, timeoutMs);
    if (attempt.ok) {
      await recordSuccess(deps, d, attempt);
      result.delivered++;
      if (!woken) {
        woken = true;
        const n = await wakeUp(deps, d.subscriptionId);
        if (n > 0) deps.logger.info({ subscription: d.subscriptionId, deliveries: n }, 'webhook receiver answers again: waiting deliveries are due now');
      }
      continue;
    }
    const next = await recordFailure(deps, d, attempt);
    if (next) result.retrying++;
    else result.failed++;
    if (attempt.receiverDown) {
      const rest = group.slice(i + 1);
      await release(deps, rest, next ?? new Date(deps.clock.now().getTime() + DELIVERY_POLICY.baseDelayMs), attempt);
      result.deferred += rest.length;
      return;
    }
  }
}

/**
 * Sends one batch of due deliveries: claim (one short transaction), then POST each outside
 * any transaction — subscriptions side by side, each one's deliveries in outbox order —
 * and record every result.
 */
export async function deliverDue(deps: Deps, fetchImpl: typeof fetch = fetch, options: DeliverOptions = {}): Promise<DeliverResult> {
  const claimed = await claimDue(deps, options.batchSize ?? DELIVERY_POLICY.deliverBatch);
  const result: DeliverResult = { claimed: claimed.length, delivered: 0, retrying: 0, failed: 0, deferred: 0 };
  const groups = new Map<string, ClaimedDelivery[]>();
  for (const d of claimed) groups.set(d.subscriptionId, [...(groups.get(d.subscriptionId) ?? []), d]);
  const timeoutMs = options.timeoutMs ?? DELIVERY_POLICY.timeoutMs;
  await Promise.all([...groups.values()].map((g) => sendInOrder(deps, g, fetchImpl, timeoutMs, result)));
  return result;
}
