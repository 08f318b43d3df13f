/**
 * Outbox dispatcher: turns outbox rows (written in the transaction of every dossier change)
 * into signed webhook deliveries, retried with backoff until the receiver acknowledges them.
 *
 * Two steps, each safe to run in several processes side by side:
 * - `fanOut` claims un-fanned outbox rows in id order (`FOR UPDATE SKIP LOCKED`) and creates
 *   one delivery per active subscription whose topics match, marking the rows fanned out —
 *   one statement.
 * - `deliverDue` claims due pending deliveries by pushing their `next_attempt_at` forward
 *   by a lease and counting the attempt (claim → commit), sends them outside any
 *   transaction, then records each result only if the lease is still the one it took (a
 *   fence). A crash between send and record leaves the lease to expire (or to be released
 *   when the next process starts alone, see ./liveness.ts): the delivery is sent again, with
 *   the next attempt number (at least once; receivers de-duplicate by event id). A delivered
 *   row is never claimed again.
 *
 * Order: one dossier's deliveries to one subscription go strictly in outbox order. A
 * delivery is not claimed while an earlier one of the same dossier and subscription is
 * pending and not part of the same claim (leased elsewhere, or waiting in a backoff), and
 * claims are taken one process at a time (a transaction advisory lock), so two workers never
 * hold two deliveries of one dossier apart. Within a claim, a failure holds back the rest of
 * that dossier. A later delivery that falls due while the head of its dossier waits in a
 * backoff (the receiver was down) has the head tried instead, then waits a backoff of its
 * own: new events keep probing a receiver that is down, as they would without the order.
 *
 * Per subscription, one round sends each dossier's deliveries in outbox order, several
 * dossiers side by side (`DELIVERY_POLICY.lanesPerSubscription`; one after the other, a busy
 * hour's deliveries fell minutes behind), and stops at the first failure that says the
 * receiver itself is unwell (network error, timeout, 3xx, 401/403/404, 408, 429, 5xx): the
 * rest of its claimed deliveries queue behind the failed one instead of hammering a receiver
 * that is down (the round's first dossier goes alone, so a receiver that is down gets one
 * request; a failure while lanes run lets the requests under way finish). When a receiver answers again, deliveries waiting in a long
 * backoff are made due at once, so a receiver that was down for an hour catches up within
 * a round rather than after each event's own backoff.
 *
 * Subscriptions are independent: the background loop (`deliveryWorker`) does not wait for a
 * subscription's sends before claiming again. Each subscription has at most one claim being
 * sent per process, and the next claims skip it until that one is over; the others are
 * claimed and sent meanwhile. (A round that waited for all of them made every receiver wait
 * for the slowest: one that never answered held everyone's next events for its timeout.)
 */
import { and, asc, eq, inArray, isNull, lte, notInArray, or, sql } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { webhookDeliveries, webhookSubscriptions } from '../db/schema';
import { iso } from '../db/time';
import type { Deps } from '../deps';
import { postJson } from './http';
import { PROCESS_ID } from './liveness';
import { DELIVERY_POLICY, PAYLOAD_ONLY, USER_AGENT, signature, type ClaimedDelivery } from './policy';
import { nextTry, recordFailure, recordSuccesses, release, wakeUp, type Attempt } from './record';
import { decryptSecret } from './secrets';
import { allowList, RefusedTarget, type Resolver } from './targets';
import { portalConnections, sendPortal } from './portal/adapter';

export { DELIVERY_POLICY, USER_AGENT, retryDelayMs, signature, type ClaimedDelivery } from './policy';

// ---- fan-out -----------------------------------------------------------------------------

export interface FanOutResult {
  /** Outbox rows claimed and marked fanned out. */
  events: number;
  /** Deliveries created. */
  deliveries: number;
}

/**
 * Fans out one batch of outbox rows (oldest first) to the matching active subscriptions: one
 * statement (claim, insert, mark), so a round with nothing to fan out costs one round trip and
 * a busy one no more. Topics match as `topicMatches` (./topics.ts) says: `*`, a `prefix.*` or
 * the topic itself.
 */
export async function fanOut(deps: Deps, options: { batchSize?: number } = {}): Promise<FanOutResult> {
  const limit = options.batchSize ?? DELIVERY_POLICY.fanOutBatch;
  const now = deps.clock.now().toISOString();
  const result = await deps.db.execute(sql`with e as (
      select id, event_id, topic, dossier_id from outbox where fanned_out_at is null order by id limit ${limit} for update skip locked),
    ins as (insert into webhook_deliveries (subscription_id, outbox_id, event_id, dossier_id, status, attempts, next_attempt_at, created_at)
      select s.id, e.id, e.event_id, e.dossier_id, 'pending', 0, ${now}::timestamptz, ${now}::timestamptz
      from e join webhook_subscriptions s on s.active and exists (select 1 from unnest(s.topics) t
        where t = '*' or t = e.topic or (right(t, 2) = '.*' and starts_with(e.topic, left(t, -1))))
      order by e.id, s.id
      on conflict do nothing returning 1),
    marked as (update outbox set fanned_out_at = ${now}::timestamptz where id in (select id from e) returning 1)
    select (select count(*) from marked)::int as events, (select count(*) from ins)::int as deliveries`);
  const [row] = (result as unknown as { rows: { events: number; deliveries: number }[] }).rows;
  return { events: Number(row?.events ?? 0), deliveries: Number(row?.deliveries ?? 0) };
}

// ---- delivery ----------------------------------------------------------------------------

/** Serialises claims across processes (pg_advisory_xact_lock key): see the ordering note above. */
const CLAIM_LOCK = 0x6d6f_7463_7561_01n;

/**
 * Claims up to `limit` due pending deliveries of active subscriptions, oldest event first,
 * by moving their next attempt to the end of a lease and counting the attempt; commits
 * before anything is sent. A delivery waits while an earlier one of its dossier (same
 * subscription) is pending outside this claim. `skip`: subscriptions whose earlier claim this
 * process is still sending (their deliveries wait for it, see `deliveryWorker`).
 */
export async function claimDue(deps: Deps, limit: number = DELIVERY_POLICY.deliverBatch, skip: readonly string[] = []): Promise<ClaimedDelivery[]> {
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  const lease = new Date(now.getTime() + deps.config.webhookLeaseMs).toISOString();
  return deps.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${CLAIM_LOCK.toString()}::bigint)`);
    const payloadOnly = sql.join([...PAYLOAD_ONLY].map((s) => sql`${s}`), sql`, `);
    const due = tx.select({ id: webhookDeliveries.id }).from(webhookDeliveries)
      .innerJoin(webhookSubscriptions, eq(webhookSubscriptions.id, webhookDeliveries.subscriptionId))
      .where(and(
        eq(webhookDeliveries.status, 'pending'),
        eq(webhookSubscriptions.active, true),
        skip.length ? notInArray(webhookDeliveries.subscriptionId, [...skip]) : undefined,
        or(
          lte(webhookDeliveries.nextAttemptAt, nowIso),
          // A head waiting in a backoff after a failure of the receiver, with a later delivery of its dossier due:
          // tried now, as the later one would be without the order (a new event probes whether the receiver is back).
          and(isNull(webhookDeliveries.claimedBy), sql`(${webhookDeliveries.lastStatus} is null or ${webhookDeliveries.lastStatus} not in (${payloadOnly}))
            and exists (select 1 from webhook_deliveries m where m.subscription_id = ${webhookDeliveries.subscriptionId}
              and m.dossier_id = ${webhookDeliveries.dossierId} and m.status = 'pending' and m.outbox_id > ${webhookDeliveries.outboxId}
              and m.next_attempt_at <= ${nowIso})`),
        ),
        sql`not exists (select 1 from webhook_deliveries e where e.subscription_id = ${webhookDeliveries.subscriptionId}
          and e.dossier_id = ${webhookDeliveries.dossierId} and e.status = 'pending' and e.outbox_id < ${webhookDeliveries.outboxId}
          and e.next_attempt_at > ${nowIso})`,
      ))
      .orderBy(asc(webhookDeliveries.outboxId), asc(webhookDeliveries.id)).limit(limit)
      .for('update', { of: webhookDeliveries, skipLocked: true });
    // Claimed and read in one statement: the due rows, their lease, their subscription and event.
    const result = await tx.execute(sql`with c as (update webhook_deliveries set next_attempt_at = ${lease}::timestamptz,
        attempts = attempts + 1, claimed_by = ${PROCESS_ID} where id in (${due.getSQL()})
        returning id, subscription_id, outbox_id, event_id, attempts, created_at)
      select c.id, c.subscription_id as "subscriptionId", c.outbox_id as "outboxId", c.event_id as "eventId", c.attempts,
        c.created_at::text as "createdAt", s.id is not null as "hasSubscription", s.url, s.secret,
        o.id is not null as "hasEvent", o.topic, o.dossier_id as "dossierId", o.payload, o.created_at::text as "eventCreatedAt"
      from c left join webhook_subscriptions s on s.id = c.subscription_id left join outbox o on o.id = c.outbox_id`);
    const claimed = (result as unknown as { rows: ClaimedRow[] }).rows;
    if (claimed.length === 0) return [];
    return load(deps, tx, claimed, lease);
  });
}

/** A claimed delivery as the claim reads it, with its subscription and event (absent when removed). */
interface ClaimedRow {
  id: number | string; subscriptionId: string; outboxId: number | string; eventId: string; attempts: number; createdAt: string;
  hasSubscription: boolean; url: string | null; secret: string | null;
  hasEvent: boolean; topic: string | null; dossierId: string | null; payload: unknown; eventCreatedAt: string | null;
}

async function load(deps: Deps, tx: Tx, claimed: ClaimedRow[], lease: string): Promise<ClaimedDelivery[]> {
  const secrets = new Map<string, { secret: string | null; error: string | null }>();
  const out: ClaimedDelivery[] = [];
  const orphans: number[] = [];
  for (const c of claimed) {
    const id = Number(c.id);
    if (!c.hasSubscription || !c.hasEvent) {
      orphans.push(id);
      continue;
    }
    let secret = secrets.get(c.subscriptionId);
    if (!secret) {
      try {
        secret = { secret: decryptSecret(deps.config.secretsKey, c.subscriptionId, c.secret as string), error: null };
      } catch (e) {
        secret = { secret: null, error: (e as Error).message };
      }
      secrets.set(c.subscriptionId, secret);
    }
    out.push({
      id, subscriptionId: c.subscriptionId, url: c.url as string, secret: secret.secret, secretError: secret.error, outboxId: Number(c.outboxId),
      eventId: c.eventId, topic: c.topic as string, dossierId: c.dossierId, payload: c.payload,
      eventCreatedAt: iso(c.eventCreatedAt as string), createdAt: iso(c.createdAt), attempts: c.attempts, lease,
    });
  }
  if (orphans.length) {
    // The event was removed from the outbox: nothing left to send.
    await tx.update(webhookDeliveries).set({ status: 'failed', claimedBy: null, lastError: 'The event is no longer in the outbox' })
      .where(inArray(webhookDeliveries.id, orphans));
  }
  return out.sort((a, b) => a.outboxId - b.outboxId || a.id - b.id);
}

function describe(err: unknown, timeoutMs: number): string {
  if (err instanceof RefusedTarget) return err.message;
  const e = err as { name?: string; message?: string; code?: string };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `No answer within ${timeoutMs / 1000} s`;
  const message = e?.message ?? String(err);
  return `${message}${e?.code && !message.includes(e.code) ? ` (${e.code})` : ''}`.slice(0, 300);
}

/** The JSON body a receiver gets. */
export function deliveryBody(d: Pick<ClaimedDelivery, 'eventId' | 'topic' | 'dossierId' | 'eventCreatedAt' | 'payload'>): string {
  return JSON.stringify({ eventId: d.eventId, topic: d.topic, dossierId: d.dossierId, createdAt: d.eventCreatedAt, payload: d.payload });
}

/** The headers of a delivery (documented in the README, "Webhooks"). */
export function deliveryHeaders(d: ClaimedDelivery, secret: string, timestamp: string, body: string): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    'User-Agent': USER_AGENT,
    'X-Motcua-Event-Id': d.eventId,
    'X-Motcua-Topic': d.topic,
    'X-Motcua-Timestamp': timestamp,
    'X-Motcua-Signature': signature(secret, timestamp, body),
    'X-Motcua-Delivery': String(d.id),
    'X-Motcua-Attempt': String(d.attempts),
  };
}

async function send(deps: Deps, d: ClaimedDelivery, now: Date, o: Required<Pick<DeliverOptions, 'timeoutMs'>> & DeliverOptions): Promise<Attempt> {
  if (d.secret === null) return { ok: false, status: null, error: d.secretError, receiverDown: true };
  const body = deliveryBody(d);
  const timestamp = String(Math.floor(now.getTime() / 1000));
  try {
    const res = await postJson(d.url, deliveryHeaders(d, d.secret, timestamp, body), body, {
      timeoutMs: o.timeoutMs, allow: allowList(deps.config), ...(o.resolve ? { resolve: o.resolve } : {}),
    });
    const ok = res.status >= 200 && res.status < 300;
    return {
      ok, status: res.status,
      error: ok ? null : `HTTP ${res.status}${res.excerpt ? `: ${res.excerpt}` : ''}`,
      receiverDown: !ok && !PAYLOAD_ONLY.has(res.status),
    };
  } catch (err) {
    return { ok: false, status: null, error: describe(err, o.timeoutMs), receiverDown: true };
  }
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
  /** Name resolution for the connections (tests inject one; default: the system's). */
  resolve?: Resolver;
}

/** One subscription's claimed deliveries of one dossier (outbox order), or a delivery of no dossier alone. */
function lanesOf(group: ClaimedDelivery[]): ClaimedDelivery[][] {
  const lanes: ClaimedDelivery[][] = [];
  const byDossier = new Map<string, ClaimedDelivery[]>();
  for (const d of group) {
    if (d.dossierId === null) { lanes.push([d]); continue; }
    let lane = byDossier.get(d.dossierId);
    if (!lane) {
      lane = [];
      byDossier.set(d.dossierId, lane);
      lanes.push(lane);
    }
    lane.push(d);
  }
  return lanes;
}

/**
 * One subscription's claimed deliveries: each dossier's in outbox order, up to
 * `DELIVERY_POLICY.lanesPerSubscription` dossiers side by side (taken oldest first), so one
 * slow answer does not hold every other dossier's events back. A failure holds back the rest of
 * its dossier; a failure that says the receiver itself is unwell stops the round: the lanes
 * send nothing more (requests already under way finish) and what is left waits a backoff.
 */
async function sendInOrder(deps: Deps, group: ClaimedDelivery[], o: Required<Pick<DeliverOptions, 'timeoutMs'>> & DeliverOptions, result: DeliverResult): Promise<void> {
  let woken = false;
  /**
   * Acknowledged this round, recorded together when the round ends (one statement, fenced by
   * the lease like each alone): a lane's next request no longer waits for the previous one's
   * write. Until then they stay leased, so nothing else sends them; a crash before the write
   * sends them again once the lease is over (at least once, as always).
   */
  const delivered = new Map<number, ClaimedDelivery[]>();
  /** The first failure of the receiver this round, and when it was recorded. */
  let down: { attempt: Attempt; at: Date } | null = null;
  const giveBack = async (rest: ClaimedDelivery[], at: Date | ((d: ClaimedDelivery) => Date), cause: Attempt | null): Promise<void> => {
    if (rest.length === 0) return;
    await release(deps, rest, at, cause);
    result.deferred += rest.length;
  };
  const lane = async (deliveries: ClaimedDelivery[]): Promise<void> => {
    for (let i = 0; i < deliveries.length; i++) {
      const d = deliveries[i]!;
      if (down) {
        const { attempt, at } = down;
        // Each waits a backoff of its own age: young events keep probing the receiver, old ones less often.
        await giveBack(deliveries.slice(i), (x) => nextTry(x, at), attempt);
        return;
      }
      const now = deps.clock.now();
      if (now.getTime() + o.timeoutMs > Date.parse(d.lease)) {
        await giveBack(deliveries.slice(i), now, null);
        return;
      }
      const attempt = await send(deps, d, now, o);
      if (attempt.ok) {
        // By the status the receiver answered (2xx), as the delivery log keeps it.
        delivered.set(attempt.status ?? 200, [...(delivered.get(attempt.status ?? 200) ?? []), d]);
        result.delivered++;
        if (!woken) {
          woken = true;
          const n = await wakeUp(deps, d.subscriptionId);
          if (n > 0) deps.logger.info({ subscription: d.subscriptionId, deliveries: n }, 'webhook receiver answers again: waiting deliveries are due now');
        }
        continue;
      }
      if (await recordFailure(deps, d, attempt)) result.retrying++;
      else result.failed++;
      if (attempt.receiverDown && !down) down = { attempt, at: deps.clock.now() };
      // The dossier's later events wait behind the failed one.
      const at = down?.at ?? now;
      await giveBack(deliveries.slice(i + 1), (x) => nextTry(x, at), attempt);
      return;
    }
  };
  const lanes = lanesOf(group);
  try {
    // The first dossier alone: a receiver that is down gets one request a round, whose failure
    // holds the others back (DELIVERY_POLICY.probeMs); the other lanes open once it answers.
    if (lanes.length) await lane(lanes[0]!);
    let next = 1;
    await Promise.all(Array.from({ length: Math.min(DELIVERY_POLICY.lanesPerSubscription, lanes.length - 1) }, async () => {
      while (next < lanes.length) await lane(lanes[next++]!);
    }));
  } finally {
    for (const [status, ds] of delivered) await recordSuccesses(deps, ds, { ok: true, status, error: null, receiverDown: false });
  }
}

/**
 * Starts sending claimed deliveries, one send per subscription (each dossier's in outbox
 * order); the promise of each subscription's send, by subscription id.
 */
async function startSends(deps: Deps, claimed: ClaimedDelivery[], options: DeliverOptions, result: DeliverResult): Promise<Map<string, Promise<void>>> {
  const groups = new Map<string, ClaimedDelivery[]>();
  for (const d of claimed) groups.set(d.subscriptionId, [...(groups.get(d.subscriptionId) ?? []), d]);
  const o = { ...options, timeoutMs: options.timeoutMs ?? DELIVERY_POLICY.timeoutMs };
  // A subscription that is a national portal connection speaks the portal's contract (./portal/adapter.ts).
  const portals = await portalConnections(deps, [...groups.keys()]);
  const sends = new Map<string, Promise<void>>();
  for (const [id, g] of groups) {
    const portal = portals.get(id);
    sends.set(id, portal ? sendPortal(deps, portal, g, o, result) : sendInOrder(deps, g, o, result));
  }
  return sends;
}

/**
 * Sends one batch of due deliveries: claim (one short transaction), then POST each outside
 * any transaction — subscriptions side by side, each dossier's deliveries in outbox order —
 * and record every result; resolves once every subscription's sends are over.
 */
export async function deliverDue(deps: Deps, options: DeliverOptions = {}): Promise<DeliverResult> {
  const claimed = await claimDue(deps, options.batchSize ?? DELIVERY_POLICY.deliverBatch);
  const result: DeliverResult = { claimed: claimed.length, delivered: 0, retrying: 0, failed: 0, deferred: 0 };
  await Promise.all((await startSends(deps, claimed, options, result)).values());
  return result;
}

export interface DeliveryWorker {
  /**
   * Claims a batch of due deliveries of the subscriptions this worker is not sending to now
   * and starts sending them; resolves once they are started (not sent), with how many were
   * claimed. One call at a time (the loop's rounds never overlap).
   */
  start(): Promise<number>;
  /** Resolves once every send started so far is over. */
  idle(): Promise<void>;
}

export interface DeliveryWorkerOptions extends DeliverOptions {
  /** A subscription's send is over: its next deliveries (or the rest of a backlog) may be claimed. */
  onSettled?: () => void;
  /** A send failed on its own account (the database, not the receiver, whose failures are recorded). */
  onError?: (err: unknown) => void;
}

/**
 * The background loop's deliveries: what `deliverDue` does, without waiting for one
 * subscription's sends before claiming another's. A subscription with a send under way is
 * skipped by the next claims, so it gets no more requests at once than one claim gives it
 * (`DELIVERY_POLICY.lanesPerSubscription`) and its dossiers keep their order; the others are
 * claimed and sent meanwhile, so a receiver that answers slowly, or never (until the request's
 * timeout), delays only its own deliveries.
 */
export function deliveryWorker(deps: Deps, options: DeliveryWorkerOptions = {}): DeliveryWorker {
  const { onSettled, onError, ...deliver } = options;
  const sending = new Map<string, Promise<void>>();
  return {
    start: async () => {
      const claimed = await claimDue(deps, deliver.batchSize ?? DELIVERY_POLICY.deliverBatch, [...sending.keys()]);
      if (claimed.length === 0) return 0;
      const result: DeliverResult = { claimed: claimed.length, delivered: 0, retrying: 0, failed: 0, deferred: 0 };
      for (const [id, send] of await startSends(deps, claimed, deliver, result)) {
        // No send of this subscription is listed: the claim skipped those (one `start` at a time).
        const done: Promise<void> = send.catch((err: unknown) => onError?.(err)).finally(() => {
          if (sending.get(id) === done) sending.delete(id);
          onSettled?.();
        });
        sending.set(id, done);
      }
      return claimed.length;
    },
    idle: async () => {
      while (sending.size) await Promise.all(sending.values());
    },
  };
}
