/**
 * Server-side request forgery through webhooks: an administrator (or whoever steals their
 * session) subscribes internal addresses — loopback, private networks, the cloud metadata
 * service — to make the server call them and read the answers in the delivery log. Refused
 * when saved, and again when connecting (a name that resolves to an internal address, or is
 * re-pointed to one after saving). A receiver on 127.0.0.1 stands for the internal service:
 * it must never be reached.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createHarness, login, seedPeople, type Harness } from '../../server/test/support/harness';
import { Receiver } from '../../server/test/support/receiver';
import { outbox, webhookDeliveries, webhookSubscriptions } from '../../server/src/db/schema';
import { deliverDue, fanOut } from '../../server/src/outbox/dispatcher';
import { encryptSecret } from '../../server/src/outbox/secrets';
import type { Resolver } from '../../server/src/outbox/targets';

const PROVINCE = '000.00.00.H99';
const SECRET = 'internal-service-secret-0001';
let h: Harness;
let admin = '';
let internal: Receiver;

beforeAll(async () => {
  // given a server with no allow-list (the default), a province administrator, and an internal service on 127.0.0.1
  h = await createHarness({ now: '2026-03-02T01:15:00.000Z' });
  await seedPeople(h, [{ username: 'root', grants: [{ role: 'admin', unit: PROVINCE }] }]);
  admin = await login(h, 'root');
  internal = new Receiver(SECRET);
  await internal.start();
});
afterAll(async () => {
  await internal.close();
  await h.close();
});

const subscribe = (url: string) => h.http.post('/api/webhooks').set('Authorization', admin).send({ url, secret: SECRET, topics: ['dossier.*'] });

/** A subscription written straight into the table, as one saved before this guard or through a hole would be. */
async function plant(url: string): Promise<string> {
  const id = `whk-planted-${Math.random().toString(36).slice(2)}`;
  await h.deps.db.insert(webhookSubscriptions).values({ id, url, secret: encryptSecret(h.deps.config.secretsKey!, id, SECRET), topics: ['dossier.*'] });
  return id;
}

async function oneEvent(tag: string): Promise<void> {
  await h.deps.db.insert(outbox).values({ eventId: `ssrf-${tag}#1`, topic: 'dossier.progress', dossierId: `ssrf-${tag}`, payload: { tag } });
  while ((await fanOut(h.deps)).events > 0) { /* all */ }
}

describe('webhook SSRF', () => {
  it('should refuse internal and non-http targets when a subscription is saved or changed', async () => {
    const port = internal.port;
    const targets = [
      `http://127.0.0.1:${port}/hook`, `http://localhost:${port}/hook`, `http://[::1]:${port}/hook`, 'http://10.0.0.5/hook', 'http://172.16.3.4/hook',
      'http://192.168.1.10/hook', 'http://169.254.169.254/latest/meta-data/', 'http://100.64.0.1/hook', 'http://[fc00::1]/hook', 'http://[fe80::1]/hook',
      'http://224.0.0.1/hook', 'http://0.0.0.0/hook', `http://[::ffff:127.0.0.1]:${port}/hook`, `http://2130706433:${port}/hook`, `http://0x7f.1:${port}/hook`,
      // names reserved for this machine (RFC 6761), whether or not the resolver knows them
      `http://localhost.:${port}/hook`, 'http://portal.localhost/hook', 'http://LOCALHOST./hook',
      // IPv4-compatible IPv6 (::/96, RFC 4291 §2.5.5.1): the URL parser writes [::127.0.0.1] as [::7f00:1]
      `http://[::127.0.0.1]:${port}/hook`, 'http://[::a9fe:a9fe]/latest/meta-data/', 'http://[0:0:0:0:0:0:10.0.0.5]/hook',
      'file:///etc/passwd', 'gopher://127.0.0.1:6379/_INFO', 'ftp://10.0.0.5/', `http://user:pass@93.184.215.14/hook`,
    ];
    const accepted: string[] = [];
    for (const url of targets) {
      const res = await subscribe(url);
      if (res.status !== 422) accepted.push(`${url}: ${res.status}`);
      else expect(res.body.error.issues.map((i: { path: string }) => i.path), url).toContain('/url');
    }
    expect(accepted).toEqual([]);
    // and a public address is accepted, but cannot be changed to an internal one
    const ok = await subscribe('http://93.184.215.14/hook');
    expect(ok.status).toBe(201);
    const moved = await h.http.patch(`/api/webhooks/${ok.body.id}`).set('Authorization', admin).send({ url: 'http://169.254.169.254/latest/meta-data/' });
    expect(moved.status).toBe(422);
    expect(moved.body.error.issues[0].message.en).toMatch(/linkLocal/);
    expect(moved.body.error.issues[0].message.vi).toMatch(/WEBHOOK_ALLOW_HOSTS/);
    expect(internal.requests).toHaveLength(0);
  });

  it('should refuse at delivery a name that resolves to an internal address, and a name re-pointed there after saving', async () => {
    // given a subscription to "localhost" that got in before the guard
    const planted = await plant(`http://localhost:${internal.port}/hook`);
    await oneEvent('planted');
    // when the dispatcher runs
    await deliverDue(h.deps);
    // then the internal service is not called, and the log says why
    expect(internal.requests).toHaveLength(0);
    const [row] = await h.deps.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.subscriptionId, planted));
    expect(row).toMatchObject({ status: 'pending', lastStatus: null });
    expect(row!.lastError).toMatch(/Refused to call "localhost" \((127\.0\.0\.1|::1)\): a loopback address/);
    await h.deps.db.delete(webhookSubscriptions).where(eq(webhookSubscriptions.id, planted));

    // given a name that did not resolve when it was saved (so it was accepted)…
    const saved = await subscribe(`http://rebind.motcua.test:${internal.port}/hook`);
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    await oneEvent('rebind');
    // …and that now resolves to the metadata service and to the internal service
    for (const address of ['169.254.169.254', '127.0.0.1']) {
      const rebound: Resolver = async () => [{ address, family: 4 }];
      h.clock.advance(2 * 60 * 60_000);
      await deliverDue(h.deps, { resolve: rebound });
      const [d] = await h.deps.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.subscriptionId, saved.body.id));
      expect(d!.lastError).toContain(`Refused to call "rebind.motcua.test" (${address})`);
    }
    // and a name whose AAAA record is an IPv4-compatible form of the metadata service
    const compat: Resolver = async () => [{ address: '::a9fe:a9fe', family: 6 }];
    // (past the longest retry pause, an hour, and no further: the officers' tokens must outlive this test)
    h.clock.advance(61 * 60_000);
    await deliverDue(h.deps, { resolve: compat });
    const [c] = await h.deps.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.subscriptionId, saved.body.id));
    expect(c!.lastError).toContain('Refused to call "rebind.motcua.test" (::a9fe:a9fe)');
    // and a name with one public and one internal address is refused as well
    const mixed: Resolver = async () => [{ address: '93.184.215.14', family: 4 }, { address: '127.0.0.1', family: 4 }];
    h.clock.advance(2 * 60 * 60_000);
    await deliverDue(h.deps, { resolve: mixed });
    expect(internal.requests).toHaveLength(0);
  });

  it('should reach an internal portal only when the operator allows it', async () => {
    // given the operator's allow-list naming the internal address
    const list = h.deps.config.webhookAllowHosts;
    h.deps.config.webhookAllowHosts = ['127.0.0.0/8'];
    try {
      await h.deps.db.delete(webhookSubscriptions);
      const res = await subscribe(`http://127.0.0.1:${internal.port}/hook`);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      await oneEvent('allowed');
      // when the dispatcher runs, then the portal gets the event
      expect((await deliverDue(h.deps)).delivered).toBe(1);
      expect(internal.accepted).toEqual(['ssrf-allowed#1']);
    } finally {
      h.deps.config.webhookAllowHosts = list;
    }
  });
});
