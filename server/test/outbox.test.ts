import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq, gt, inArray } from 'drizzle-orm';
import { createHarness, login, publishFixture, seedPeople, type Harness, ANPHU_STAFF } from './support/harness';
import { outbox, webhookDeliveries, webhookSubscriptions } from '../src/db/schema';
import { DELIVERY_POLICY, claimDue, deliverDue, deliveryBody, fanOut, retryDelayMs } from '../src/outbox/dispatcher';
import { startBackgroundJobs } from '../src/outbox/jobs';
import { Receiver } from './support/receiver';

const PROVINCE = '000.00.00.H99';
const ANPHU = '000.01.31.H99';
const SECOND = 1000;
const MINUTE = 60 * SECOND;

// ---- fixtures --------------------------------------------------------------------------------

let h: Harness;
const auth: { [name: string]: string } = {};
const receivers: Receiver[] = [];

beforeAll(async () => {
  // The receivers run on 127.0.0.1: allowed by the operator's setting, as an internal portal would be.
  h = await createHarness({ now: '2026-03-02T01:15:00.000Z', config: { webhookAllowHosts: ['127.0.0.1'] } });
  await seedPeople(h, [
    ...ANPHU_STAFF,
    { username: 'root', name: 'Quản trị tỉnh', grants: [{ role: 'admin', unit: PROVINCE }] },
  ]);
  await publishFixture(h, 'xac-nhan-tinh-trang-hon-nhan');
});

afterEach(async () => {
  // Each test starts without subscriptions and with every earlier event fanned out.
  await h.deps.db.delete(webhookSubscriptions);
  while ((await fanOut(h.deps)).events > 0) { /* drain */ }
  for (const r of receivers.splice(0)) await r.close();
});

afterAll(async () => h.close());

async function signIn(): Promise<void> {
  for (const u of ['lan', 'hung', 'tuan', 'root']) auth[u] = await login(h, u);
}

async function receiver(secret: string): Promise<Receiver> {
  const r = new Receiver(secret);
  await r.start();
  receivers.push(r);
  return r;
}

async function subscribe(url: string, secret: string, topics = ['dossier.*']): Promise<string> {
  const res = await h.http.post('/api/webhooks').set('Authorization', auth['root']!).send({ url, secret, topics });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return (res.body as { id: string }).id;
}

const intakeBody = {
  procedureId: 'xac-nhan-tinh-trang-hon-nhan', channel: 'direct', receivingUnit: ANPHU, accept: true,
  applicant: { id: '079196004040', name: 'Kiều Thị Mỹ', phone: '0912345678' },
  data: { personName: 'Kiều Thị Mỹ', dateOfBirth: '1996-04-18', maritalStatus: 'never-married', purpose: 'marriage' },
};

async function receive(): Promise<string> {
  const res = await h.http.post('/api/dossiers').set('Authorization', auth['lan']!).send(intakeBody);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return (res.body as { id: string }).id;
}

async function act(who: string, id: string, step: string, action: string, inputs: object = {}): Promise<void> {
  const res = await h.http.post(`/api/dossiers/${encodeURIComponent(id)}/actions`).set('Authorization', auth[who]!).send({ step, action, inputs });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

/** The whole happy path of one dossier: intake, proposal, signature, result returned. */
async function handle(id: string): Promise<void> {
  await act('hung', id, 'verify', 'propose', { certificateNo: '41/2026/XNTTHN' });
  await act('tuan', id, 'sign', 'approve');
  await act('lan', id, 'return', 'returnResult');
}

async function lastOutboxId(): Promise<number> {
  const [row] = await h.deps.db.select({ id: outbox.id }).from(outbox).orderBy(asc(outbox.id)).then((rows) => rows.slice(-1));
  return row?.id ?? 0;
}

async function eventsAfter(id: number): Promise<string[]> {
  return (await h.deps.db.select({ eventId: outbox.eventId }).from(outbox).where(gt(outbox.id, id)).orderBy(asc(outbox.id))).map((r) => r.eventId);
}

/** One round of the background loop, as the jobs run it. */
async function round(): Promise<{ delivered: number; sent: number }> {
  while ((await fanOut(h.deps)).events > 0) { /* all of it */ }
  let delivered = 0;
  let sent = 0;
  for (;;) {
    const r = await deliverDue(h.deps);
    delivered += r.delivered;
    sent += r.delivered + r.retrying + r.failed;
    if (r.claimed < DELIVERY_POLICY.deliverBatch) break;
  }
  return { delivered, sent };
}

const deliveriesOf = (subscriptionId: string) =>
  h.deps.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.subscriptionId, subscriptionId)).orderBy(asc(webhookDeliveries.outboxId));

// ---- tests ------------------------------------------------------------------------------------

describe('outbox dispatcher', () => {
  it('should deliver every event of a dossier to a subscribed receiver in order with a valid signature', async () => {
    // given a receiver subscribed to every dossier topic
    await signIn();
    const secret = 'receiver-secret-0123456789';
    const r = await receiver(secret);
    const sub = await subscribe(r.url, secret);
    const before = await lastOutboxId();
    // when a dossier is received and handled to the end, and the dispatcher runs
    const id = await receive();
    await handle(id);
    const expected = await eventsAfter(before);
    await round();
    // then the receiver got every event once, in the order they were written, each signed
    expect(expected.length).toBeGreaterThanOrEqual(5);
    expect(r.requests.map((q) => q.eventId)).toEqual(expected);
    expect(r.requests.every((q) => q.validSignature && q.answered === 200 && q.attempt === 1)).toBe(true);
    const progress = r.requests.filter((q) => q.topic === 'dossier.progress');
    expect(progress.map((q) => (q.body.payload as { status: number }).status)).toEqual([1, 4, 4, 9, 10]);
    expect(progress[0]?.body).toMatchObject({ eventId: `${id}#1`, topic: 'dossier.progress', dossierId: id, createdAt: expect.any(String) });
    expect(progress[0]?.timestamp).toBe(Math.floor(h.clock.now().getTime() / 1000));
    // and the delivery log says delivered, on the first attempt
    const rows = await deliveriesOf(sub);
    expect(rows.map((d) => [d.status, d.attempts, d.lastStatus])).toEqual(expected.map(() => ['delivered', 1, 200]));
    // and running again sends nothing more
    expect((await round()).sent).toBe(0);
    expect(r.requests).toHaveLength(expected.length);
  });

  it('should only deliver the topics a subscription asked for, to active subscriptions', async () => {
    // given one receiver on progress updates only, and a paused one on everything
    await signIn();
    const secret = 'receiver-secret-topics-0001';
    const r = await receiver(secret);
    await subscribe(r.url, secret, ['dossier.progress']);
    const paused = await receiver(secret);
    const pausedId = await subscribe(paused.url, secret, ['*']);
    await h.deps.db.update(webhookSubscriptions).set({ active: false }).where(eq(webhookSubscriptions.id, pausedId));
    // when a dossier is received and the dispatcher runs
    await receive();
    await round();
    // then the first got only progress updates and the paused one nothing
    expect(r.requests.length).toBe(2);
    expect(new Set(r.requests.map((q) => q.topic))).toEqual(new Set(['dossier.progress']));
    expect(paused.requests).toHaveLength(0);
    expect(await deliveriesOf(pausedId)).toHaveLength(0);
  });

  it('should lose nothing while the receiver is down for an hour, back off, and deliver each event once when it returns', async () => {
    // given a subscribed receiver that answers 503 for half an hour and then is off the network for another half
    await signIn();
    const secret = 'receiver-secret-outage-0002';
    const r = await receiver(secret);
    const sub = await subscribe(r.url, secret);
    r.mode = 'unavailable';
    const before = await lastOutboxId();
    const start = h.clock.now().getTime();
    const tick = 10 * SECOND;
    // when officers keep working during the outage and the dispatcher runs every 10 seconds
    const first = await receive();
    let second = '';
    let refused = 0;
    for (let t = 0; t < 60 * MINUTE; t += tick) {
      if (t === 10 * MINUTE) await act('hung', first, 'verify', 'propose', { certificateNo: '42/2026/XNTTHN' });
      if (t === 25 * MINUTE) second = await receive();
      if (t === 30 * MINUTE) await r.close();
      if (t === 45 * MINUTE) await act('tuan', first, 'sign', 'approve');
      const sent = (await round()).sent;
      if (t >= 30 * MINUTE) refused += sent;
      h.clock.advance(tick);
    }
    const expected = await eventsAfter(before);
    // then nothing was acknowledged, every event is still pending, none given up
    expect(second).not.toBe('');
    expect(r.accepted).toHaveLength(0);
    const during = await deliveriesOf(sub);
    expect(during.map((d) => d.eventId)).toEqual(expected);
    expect(during.every((d) => d.status === 'pending')).toBe(true);
    expect(refused).toBeGreaterThan(0);
    // (connection refused, or a kept-alive socket closed under it: no HTTP status either way)
    expect(during.some((d) => d.lastStatus === null && /ECONNREFUSED|ECONNRESET|socket|closed/i.test(d.lastError ?? ''))).toBe(true);
    expect(r.requests.some((q) => q.answered === 503)).toBe(true);
    // and the first event was retried after 30 s, then with longer pauses (and when a later event of its dossier fell due)
    const firstTries = r.requests.filter((q) => q.eventId === `${first}#1`).map((q) => q.timestamp * SECOND);
    const gaps = firstTries.slice(1).map((at, i) => at - firstTries[i]!);
    expect(gaps.length).toBeGreaterThanOrEqual(5);
    expect(gaps[0]).toBeLessThanOrEqual(30 * SECOND + tick);
    expect(Math.max(...gaps)).toBeGreaterThanOrEqual(4 * MINUTE);
    expect(firstTries.length).toBeLessThan(30);
    // and a receiver in trouble is not flooded: far fewer requests than events × rounds
    expect(r.requests.length).toBeLessThan(expected.length * 12);

    // when the receiver comes back
    if (process.env['DEBUG_OUTAGE']) console.log(JSON.stringify((await deliveriesOf(sub)).map((d) => [d.eventId, d.attempts, d.lastStatus, (Date.parse(d.nextAttemptAt) - h.clock.now().getTime()) / 1000, d.claimedBy])));
    await r.start();
    r.mode = 'up';
    const back = h.clock.now().getTime();
    let allDone = 0;
    for (let t = 0; t < 10 * MINUTE; t += tick) {
      await round();
      const rows = await deliveriesOf(sub);
      if (rows.every((d) => d.status === 'delivered')) {
        allDone = h.clock.now().getTime();
        break;
      }
      h.clock.advance(tick);
    }
    // then every event written during the outage is delivered, once, within minutes
    expect(allDone, 'all delivered').toBeGreaterThan(0);
    expect(allDone - back).toBeLessThanOrEqual(DELIVERY_POLICY.probeMs + tick);
    expect([...r.accepted].sort()).toEqual([...expected].sort());
    expect([...r.deliveredCounts().values()].every((n) => n === 1)).toBe(true);
    // and the events of one dossier arrived in the order they happened
    const progressOfFirst = r.accepted.filter((e) => e.startsWith(`${first}#`) && !e.includes('.'));
    expect(progressOfFirst).toEqual(expected.filter((e) => e.startsWith(`${first}#`) && !e.includes('.')));
    // and nothing acknowledged is ever sent again, however long we wait
    const total = r.requests.length;
    h.clock.advance(6 * 60 * MINUTE);
    expect((await round()).sent).toBe(0);
    expect(r.requests).toHaveLength(total);
    expect(start).toBeLessThan(back);
  });

  it('should send again after a crash between sending and recording, and the receiver keeps the event once', async () => {
    // given an event for a subscribed receiver
    await signIn();
    const secret = 'receiver-secret-crash-00003';
    const r = await receiver(secret);
    const sub = await subscribe(r.url, secret, ['dossier.progress']);
    await receive();
    while ((await fanOut(h.deps)).events > 0) { /* fan out */ }
    // when a worker claims the deliveries, sends them and dies before recording the results
    const claimed = await claimDue(h.deps, 10);
    expect(claimed).toHaveLength(2);
    for (const d of claimed) {
      const body = deliveryBody(d);
      const ts = String(Math.floor(h.clock.now().getTime() / 1000));
      await fetch(d.url, { method: 'POST', body, headers: {
        'Content-Type': 'application/json', 'X-Motcua-Event-Id': d.eventId, 'X-Motcua-Topic': d.topic, 'X-Motcua-Timestamp': ts, 'X-Motcua-Attempt': '1',
        'X-Motcua-Signature': `sha256=${createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex')}`,
      } });
    }
    // then another worker does not touch them while the claim holds
    expect((await deliverDue(h.deps)).claimed).toBe(0);
    // and once the claim has expired they are sent again and recorded as delivered
    h.clock.advance(h.deps.config.webhookLeaseMs + SECOND);
    expect((await deliverDue(h.deps)).delivered).toBe(2);
    expect(r.requests).toHaveLength(4);
    expect(r.accepted).toEqual(claimed.map((d) => d.eventId));
    expect((await deliveriesOf(sub)).every((d) => d.status === 'delivered')).toBe(true);
  });

  it('should give up only after three days of failures, and a manual retry sends it again', async () => {
    // given a receiver that never answers successfully
    await signIn();
    const secret = 'receiver-secret-giveup-0004';
    const r = await receiver(secret);
    r.mode = 'unavailable';
    const sub = await subscribe(r.url, secret, ['dossier.progress']);
    const id = await receive();
    // when the dispatcher keeps trying for three days (checked every 10 minutes)
    let attempts = 0;
    for (let t = 0; t <= 3 * 24 * 60 * MINUTE; t += 10 * MINUTE) {
      attempts += (await round()).sent;
      h.clock.advance(10 * MINUTE);
    }
    const rows = await deliveriesOf(sub);
    // then the deliveries are failed; the receiver was tried at most once a round (every 10 minutes), one request at a time
    expect(rows.map((d) => d.status)).toEqual(['failed', 'failed']);
    expect(rows[0]!.attempts).toBeGreaterThan(60);
    expect(rows[0]!.lastStatus).toBe(503);
    expect(rows[1]).toMatchObject({ attempts: 0, lastStatus: 503, lastError: expect.stringMatching(/^Given up unsent/) });
    expect(attempts).toBe(rows[0]!.attempts);
    expect(attempts).toBeLessThanOrEqual((3 * 24 * 60) / 10 + 1);
    // when an administrator retries the first one after the receiver is fixed
    r.mode = 'up';
    await signIn();
    const retried = await h.http.post(`/api/webhooks/${sub}/deliveries/${rows[0]!.id}/retry`).set('Authorization', auth['root']!);
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    expect(retried.body).toMatchObject({ status: 'pending', eventId: `${id}#1`, topic: 'dossier.progress', dossierId: id });
    await round();
    // then it is delivered; the other stays failed
    expect(r.accepted).toEqual([`${id}#1`]);
    expect((await deliveriesOf(sub)).map((d) => d.status)).toEqual(['delivered', 'failed']);
    // and retrying a delivered event is refused
    const again = await h.http.post(`/api/webhooks/${sub}/deliveries/${rows[0]!.id}/retry`).set('Authorization', auth['root']!);
    expect(again.status).toBe(409);
  });

  it('should back off 30 s more than the delivery\'s age, at most an hour, with a jitter that is deterministic and never adds time', () => {
    for (const id of [1, 2, 77, 123_456]) {
      for (const age of [0, 30 * SECOND, 90 * SECOND, 210 * SECOND, 7.5 * MINUTE, 31.5 * MINUTE, 2 * 60 * MINUTE, 3 * 24 * 60 * MINUTE]) {
        const nominal = Math.min(60 * MINUTE, 30 * SECOND + age);
        const d = retryDelayMs(id, age);
        expect(d).toBeLessThanOrEqual(nominal);
        expect(d).toBeGreaterThanOrEqual(nominal * (1 - DELIVERY_POLICY.jitter));
        expect(retryDelayMs(id, age)).toBe(d);
      }
    }
    expect(new Set([1, 2, 3, 4, 5].map((id) => retryDelayMs(id, 3 * MINUTE))).size).toBeGreaterThan(1);
  });

  it('should never create duplicate deliveries nor send one twice when two dispatchers run at once', async () => {
    // given 120 events and two subscriptions, one of them slow to answer
    await signIn();
    const secret = 'receiver-secret-concurrent-5';
    const a = await receiver(secret);
    const b = await receiver(secret);
    b.delayMs = 5;
    const subs = [await subscribe(a.url, secret), await subscribe(b.url, secret)];
    const before = await lastOutboxId();
    await h.deps.db.insert(outbox).values(Array.from({ length: 120 }, (_, i) => ({
      eventId: `test-concurrency-${i}`, topic: 'dossier.progress', dossierId: null, payload: { n: i },
    })));
    const expected = await eventsAfter(before);
    // when two dispatchers fan out and deliver side by side, in small batches
    const worker = async () => {
      let events = 0;
      for (;;) {
        const f = await fanOut(h.deps, { batchSize: 7 });
        events += f.events;
        if (f.events === 0) break;
      }
      let delivered = 0;
      for (;;) {
        const d = await deliverDue(h.deps, { batchSize: 9 });
        delivered += d.delivered;
        if (d.claimed === 0) break;
      }
      return { events, delivered };
    };
    const results = await Promise.all([worker(), worker()]);
    // then each event was fanned out once, one delivery per subscription, each sent exactly once
    expect(results[0]!.events + results[1]!.events).toBe(120);
    expect(results[0]!.delivered + results[1]!.delivered).toBe(240);
    const rows = await h.deps.db.select().from(webhookDeliveries).where(inArray(webhookDeliveries.subscriptionId, subs));
    expect(rows).toHaveLength(240);
    expect(rows.every((d) => d.status === 'delivered' && d.attempts === 1)).toBe(true);
    for (const r of [a, b]) {
      expect(r.requests).toHaveLength(120);
      expect([...r.accepted].sort()).toEqual([...expected].sort());
    }
  });

  it('should deliver in the background soon after a change is committed, and stop cleanly', async () => {
    // given the background jobs running with a long interval, and a subscribed receiver
    await signIn();
    const secret = 'receiver-secret-background-6';
    const r = await receiver(secret);
    await subscribe(r.url, secret, ['dossier.progress']);
    const jobs = startBackgroundJobs(h.deps, { intervalMs: 60_000, sweepIntervalMs: 60_000 });
    try {
      // when a dossier is received (its commit wakes the loop instead of waiting a minute)
      const id = await receive();
      // then both progress events reach the receiver
      await r.waitFor(2);
      expect(r.accepted).toEqual([`${id}#1`, `${id}#2`]);
    } finally {
      // and stopping waits for the round in progress and leaves nothing running
      await jobs.stop();
    }
    const after = r.requests.length;
    await receive();
    jobs.kick();
    expect(r.requests).toHaveLength(after);
  });

  it('should keep delivering to other subscriptions in the background while one receiver never answers', async () => {
    // given two subscriptions: a receiver that answers, and one that takes each request and never answers
    await signIn();
    const secret = 'receiver-secret-independent-7';
    const prompt = await receiver(secret);
    const hung = { requests: 0, closed: 0 };
    const silent = createServer((req, res) => {
      hung.requests++;
      res.on('close', () => { hung.closed++; });
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    await subscribe(prompt.url, secret, ['dossier.progress']);
    const silentId = await subscribe(`http://127.0.0.1:${(silent.address() as AddressInfo).port}/hook`, secret, ['dossier.progress']);
    const jobs = startBackgroundJobs(h.deps, { intervalMs: 60_000, sweepIntervalMs: 60_000 });
    try {
      // when a dossier is received: both receivers are sent its first event, the silent one keeps it
      const first = await receive();
      await prompt.waitFor(2);
      // and another dossier is received while that request is still open
      const second = await receive();
      await prompt.waitFor(4);
      // then the answering receiver got both dossiers' events without waiting for the silent one to time out
      expect(hung.closed).toBe(0);
      expect(prompt.accepted).toEqual([`${first}#1`, `${first}#2`, `${second}#1`, `${second}#2`]);
      // and the silent receiver still has a single request: its other deliveries wait behind it, as one round would keep them
      expect(hung.requests).toBe(1);
      const waiting = await deliveriesOf(silentId);
      expect(waiting.map((d) => d.status)).toEqual(['pending', 'pending', 'pending', 'pending']);
    } finally {
      // the silent receiver goes away: its request fails (a retry is scheduled) and stopping waits for it
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
      await jobs.stop();
    }
    expect(hung.closed).toBe(1);
    const [failed] = await deliveriesOf(silentId);
    expect(failed).toMatchObject({ status: 'pending', attempts: 1 });
    expect(failed!.lastError).toBeTruthy();
  });

  it('should keep delivering other dossiers when the receiver rejects one payload, hold that dossier\'s later events behind it, and retry it on its own schedule', async () => {
    // given a receiver that answers 422 to the first event of one dossier
    await signIn();
    const secret = 'receiver-secret-poison-00007';
    const r = await receiver(secret);
    const sub = await subscribe(r.url, secret);
    const id = await receive();
    const other = await receive();
    r.reject.add(`${id}#1`);
    // when the dispatcher runs, and keeps running every 30 seconds for 20 minutes while officers work on both
    await round();
    for (let t = 0; t < 20 * MINUTE; t += 30 * SECOND) {
      if (t === 5 * MINUTE) {
        await act('hung', id, 'verify', 'propose', { certificateNo: '43/2026/XNTTHN' });
        await act('hung', other, 'verify', 'propose', { certificateNo: '44/2026/XNTTHN' });
      }
      h.clock.advance(30 * SECOND);
      await round();
    }
    // then every event of the other dossier was delivered
    const rows = await deliveriesOf(sub);
    const mine = (d: { eventId: string }) => d.eventId.startsWith(`${id}#`);
    expect(rows.filter((d) => !mine(d)).map((d) => d.status)).toEqual(rows.filter((d) => !mine(d)).map(() => 'delivered'));
    // and none of the rejected one's later events was sent ahead of it: they wait, unsent
    const poison = rows.find((d) => d.eventId === `${id}#1`)!;
    const behind = rows.filter((d) => mine(d) && d.id !== poison.id);
    expect(behind.length).toBeGreaterThan(1);
    expect(behind.every((d) => d.status === 'pending' && d.attempts === 0)).toBe(true);
    expect(r.requests.filter((q) => mine(q) && q.eventId !== poison.eventId)).toEqual([]);
    // and the rejected one was retried only on its backoff (0, 30 s, 1.5, 3.5, 7.5, 15.5 min, up to 20 % sooner)
    expect(poison).toMatchObject({ status: 'pending', lastStatus: 422 });
    expect(poison.attempts).toBeGreaterThanOrEqual(5);
    expect(poison.attempts).toBeLessThanOrEqual(7);
    expect(r.requests.filter((q) => q.eventId === `${id}#1`)).toHaveLength(poison.attempts);
  });

  it('should hand a claim to another worker after the configured lease (WEBHOOK_LEASE_SECONDS)', async () => {
    // given a server configured with a 30-second lease and two events for a receiver
    const lease = h.deps.config.webhookLeaseMs;
    h.deps.config.webhookLeaseMs = 30 * SECOND;
    try {
      await signIn();
      const secret = 'receiver-secret-lease-00004';
      const r = await receiver(secret);
      await subscribe(r.url, secret, ['dossier.progress']);
      await receive();
      while ((await fanOut(h.deps)).events > 0) { /* fan out */ }
      // when a worker claims them and dies before sending
      expect(await claimDue(h.deps, 10)).toHaveLength(2);
      // then nobody takes them within the lease, and another worker takes them once it ends
      h.clock.advance(29 * SECOND);
      expect(await claimDue(h.deps, 10)).toHaveLength(0);
      h.clock.advance(2 * SECOND);
      expect(await claimDue(h.deps, 10)).toHaveLength(2);
    } finally {
      h.deps.config.webhookLeaseMs = lease;
    }
  });
});
