/**
 * Webhook delivery order, claims after a crash and attempt numbers, against a real HTTP
 * receiver on 127.0.0.1 (allowed by the operator's setting).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq, inArray } from 'drizzle-orm';
import { createHarness, type Harness } from './support/harness';
import { Receiver } from './support/receiver';
import { outbox, webhookDeliveries, webhookSubscriptions } from '../src/db/schema';
import { DELIVERY_POLICY, claimDue, deliverDue, fanOut } from '../src/outbox/dispatcher';
import { PROCESS_ID, startLiveness } from '../src/outbox/liveness';
import { createSubscription } from '../src/outbox/subscriptions';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const SECRET = 'receiver-secret-order-000001';

let h: Harness;
const receivers: Receiver[] = [];

beforeAll(async () => {
  h = await createHarness({ now: '2026-03-02T01:15:00.000Z', config: { webhookAllowHosts: ['127.0.0.1'] } });
});
afterEach(async () => {
  await h.deps.db.delete(webhookSubscriptions);
  while ((await fanOut(h.deps)).events > 0) { /* drain */ }
  for (const r of receivers.splice(0)) await r.close();
});
afterAll(async () => h.close());

async function receiver(): Promise<Receiver> {
  const r = new Receiver(SECRET);
  await r.start();
  receivers.push(r);
  return r;
}

async function subscribe(url: string): Promise<string> {
  return (await createSubscription(h.deps, { url, secret: SECRET, topics: ['dossier.*'] })).id;
}

/** Writes the next `n` events of each dossier into the outbox, as commits would (in id order). */
async function write(dossiers: string[], from: number, n: number): Promise<void> {
  const rows = [];
  for (let seq = from; seq < from + n; seq++) {
    for (const d of dossiers) rows.push({ eventId: `${d}#${seq}`, topic: 'dossier.progress', dossierId: d, payload: { seq } });
  }
  await h.deps.db.insert(outbox).values(rows);
}

/** Two dispatchers side by side, in small batches, until nothing more is claimed now. */
async function twoWorkers(): Promise<void> {
  while ((await fanOut(h.deps)).events > 0) { /* all of it */ }
  const worker = async () => {
    for (let i = 0; i < 100; i++) if ((await deliverDue(h.deps, { batchSize: 7 })).claimed === 0) break;
  };
  await Promise.all([worker(), worker()]);
}

const seqOf = (eventId: string) => Number(eventId.split('#')[1]);

describe('webhook delivery order', () => {
  it('should deliver each dossier\'s events strictly in order through a receiver outage and flaky answers, with two dispatchers', async () => {
    // given 20 dossiers with two events each, and a receiver that checks, for every request,
    // that every earlier event of its dossier was already accepted
    const r = await receiver();
    await subscribe(r.url);
    const dossiers = Array.from({ length: 20 }, (_, i) => `ord-${String(i).padStart(2, '0')}`);
    const early: string[] = [];
    r.onRequest = (eventId, accepted) => {
      const [d, seq] = [eventId.split('#')[0]!, seqOf(eventId)];
      for (let s = 1; s < seq; s++) if (!accepted.has(`${d}#${s}`)) early.push(`${eventId} before ${d}#${s}`);
    };
    await write(dossiers, 1, 2);
    await twoWorkers();
    expect(r.accepted).toHaveLength(40);
    // when the receiver answers 503 for 10 minutes, then is off the network for 10 more, while
    // each dossier gets five more events; the dispatchers run every 30 seconds
    r.mode = 'unavailable';
    for (let t = 0; t < 20 * MINUTE; t += 30 * SECOND) {
      if (t % (4 * MINUTE) === 0) await write(dossiers, 3 + t / (4 * MINUTE), 1);
      if (t === 10 * MINUTE) await r.close();
      await twoWorkers();
      h.clock.advance(30 * SECOND);
    }
    const total = 20 * 7;
    expect(r.accepted).toHaveLength(40);
    // and it comes back, answering 503 to every seventh request for a while
    await r.start();
    r.mode = 'up';
    r.custom = (_id, n) => (n % 7 === 3 ? { status: 503, body: 'busy' } : null);
    for (let t = 0; t < 60 * MINUTE && r.accepted.length < total; t += 10 * SECOND) {
      await twoWorkers();
      h.clock.advance(10 * SECOND);
    }
    // then every event arrived, each once, and no event was ever sent before an earlier one of its dossier was accepted
    expect(r.accepted).toHaveLength(total);
    expect([...r.deliveredCounts().values()].every((n) => n === 1)).toBe(true);
    expect(early).toEqual([]);
    for (const d of dossiers) {
      expect(r.accepted.filter((e) => e.startsWith(`${d}#`)).map(seqOf)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    }
    expect(r.requests.some((q) => q.answered === 503)).toBe(true);
  }, 180_000);
});

describe('claims after a crash', () => {
  it('should release the claims of a dead process at start when alone, and number attempts truthfully', async () => {
    // given two events claimed by a process that then died (sent, maybe, but not recorded)
    const r = await receiver();
    const sub = await subscribe(r.url);
    await write(['crash-1'], 1, 2);
    await fanOut(h.deps);
    const deadClaims = async () => {
      const claimed = await claimDue(h.deps, 10);
      await h.deps.db.update(webhookDeliveries).set({ claimedBy: 'a-dead-process' }).where(inArray(webhookDeliveries.id, claimed.map((d) => d.id)));
      return claimed;
    };
    // and, on PostgreSQL, another live server process
    if (h.deps.database.kind === 'postgres') {
      const other = await startLiveness(h.deps);
      try {
        expect(other.alone).toBe(true);
        expect((await deadClaims()).map((d) => d.attempts)).toEqual([1, 1]);
        const second = await startLiveness(h.deps);
        // then a process starting beside a live one leaves the claims to their lease
        expect(second.alone).toBe(false);
        await second.stop();
        expect((await deliverDue(h.deps)).claimed).toBe(0);
      } finally {
        await other.stop();
      }
    } else {
      expect((await deadClaims()).map((d) => d.attempts)).toEqual([1, 1]);
    }
    // when a process starts alone (on PGlite, always)
    const liveness = await startLiveness(h.deps);
    try {
      expect(liveness.alone).toBe(true);
      // then the dead process's claims are due at once, not after the 5-minute lease
      const rows = await h.deps.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.subscriptionId, sub)).orderBy(asc(webhookDeliveries.id));
      expect(rows.map((d) => [d.claimedBy, Date.parse(d.nextAttemptAt) <= h.clock.now().getTime(), d.attempts])).toEqual([[null, true, 1], [null, true, 1]]);
      const result = await deliverDue(h.deps);
      expect(result.delivered).toBe(2);
      // and the re-send says it is the second attempt (the first may have reached the receiver), and the log agrees
      expect(r.requests.map((q) => [q.eventId, q.attempt])).toEqual([['crash-1#1', 2], ['crash-1#2', 2]]);
      const after = await h.deps.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.subscriptionId, sub));
      expect(after.every((d) => d.status === 'delivered' && d.attempts === 2 && d.claimedBy === null)).toBe(true);
    } finally {
      await liveness.stop();
    }
  });

  it('should count only attempts made: deliveries held back unsent behind a failure keep their count', async () => {
    // given a receiver that is down and three events of three dossiers
    const r = await receiver();
    r.mode = 'unavailable';
    const sub = await subscribe(r.url);
    await write(['held-1', 'held-2', 'held-3'], 1, 1);
    await fanOut(h.deps);
    // when one round runs: the first fails, the others are held back unsent
    const result = await deliverDue(h.deps);
    expect(result).toMatchObject({ claimed: 3, retrying: 1, deferred: 2 });
    // then only the first counts an attempt, its header said 1, and nothing is left claimed
    const rows = await h.deps.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.subscriptionId, sub)).orderBy(asc(webhookDeliveries.outboxId));
    expect(rows.map((d) => [d.attempts, d.claimedBy])).toEqual([[1, null], [0, null], [0, null]]);
    expect(r.requests.map((q) => q.attempt)).toEqual([1]);
    expect(rows.every((d) => d.claimedBy !== PROCESS_ID)).toBe(true);
    // and when it returns, each is sent as the attempt it is
    r.mode = 'up';
    h.clock.advance(DELIVERY_POLICY.probeMs);
    for (let i = 0; i < 5 && r.accepted.length < 3; i++) {
      await deliverDue(h.deps);
      h.clock.advance(DELIVERY_POLICY.probeMs);
    }
    expect(r.requests.map((q) => [q.eventId, q.attempt])).toEqual([['held-1#1', 1], ['held-1#1', 2], ['held-2#1', 1], ['held-3#1', 1]]);
  });
});
