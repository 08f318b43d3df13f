/**
 * Webhook secrets at rest and what the delivery log keeps of a receiver's answer: secrets
 * are encrypted in the table (read raw), plain ones from before are encrypted at start and
 * still sign; without SECRETS_KEY (production) webhooks cannot be created; a failed answer
 * is kept as a short excerpt without markup or control characters.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { createHarness, login, seedPeople, type Harness } from './support/harness';
import { Receiver } from './support/receiver';
import { outbox, webhookDeliveries, webhookSubscriptions } from '../src/db/schema';
import { deliverDue, fanOut } from '../src/outbox/dispatcher';
import { EXCERPT_CHARS } from '../src/outbox/http';
import { decryptSecret, encryptLegacySecrets, parseSecretsKey } from '../src/outbox/secrets';

const PROVINCE = '000.00.00.H99';
let h: Harness;
let admin = '';
const receivers: Receiver[] = [];

beforeAll(async () => {
  h = await createHarness({ now: '2026-03-02T01:15:00.000Z', config: { webhookAllowHosts: ['127.0.0.1'] } });
  await seedPeople(h, [{ username: 'root', grants: [{ role: 'admin', unit: PROVINCE }] }]);
  admin = await login(h, 'root');
});
afterEach(async () => {
  await h.deps.db.delete(webhookSubscriptions);
  for (const r of receivers.splice(0)) await r.close();
});
afterAll(async () => h.close());

async function receiver(secret: string): Promise<Receiver> {
  const r = new Receiver(secret);
  await r.start();
  receivers.push(r);
  return r;
}

let n = 0;
async function oneEvent(): Promise<string> {
  const id = `sec-${++n}`;
  await h.deps.db.insert(outbox).values({ eventId: `${id}#1`, topic: 'dossier.progress', dossierId: id, payload: { n } });
  while ((await fanOut(h.deps)).events > 0) { /* all */ }
  return `${id}#1`;
}

const rawSecret = async (id: string): Promise<string> => {
  // Both drivers answer { rows }.
  const result = (await h.deps.db.execute(sql`select secret from webhook_subscriptions where id = ${id}`)) as unknown as { rows: { secret: string }[] };
  return result.rows[0]!.secret;
};

describe('webhook secrets at rest', () => {
  it('should store secrets encrypted, show them only at creation and rotation, and sign with them', async () => {
    // when a subscription is created with a generated secret, and one with a chosen secret
    const made = await h.http.post('/api/webhooks').set('Authorization', admin).send({ url: 'http://127.0.0.1:9/x', topics: ['*'] });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const generated = made.body.secret as string;
    const chosen = 'my-own-secret-for-the-portal';
    const r = await receiver(chosen);
    const own = await h.http.post('/api/webhooks').set('Authorization', admin).send({ url: r.url, secret: chosen, topics: ['*'] });
    // then the table holds neither secret, only AES-GCM ciphertexts bound to their row
    const stored = await rawSecret(made.body.id);
    expect(stored).toMatch(/^enc:v1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]+$/);
    expect(stored).not.toContain(generated);
    expect(await rawSecret(own.body.id)).not.toContain(chosen);
    expect(decryptSecret(h.deps.config.secretsKey, made.body.id, stored)).toBe(generated);
    expect(() => decryptSecret(h.deps.config.secretsKey, own.body.id, stored)).toThrow(/does not decrypt/);
    expect(() => decryptSecret(parseSecretsKey('11'.repeat(32)), made.body.id, stored)).toThrow(/does not decrypt/);
    // and deliveries are signed with the chosen secret
    await oneEvent();
    await deliverDue(h.deps);
    expect(r.requests.length).toBeGreaterThan(0);
    expect(r.requests.every((q) => q.validSignature)).toBe(true);
    // and a rotation returns the new secret once and stores it encrypted
    const rotated = await h.http.patch(`/api/webhooks/${made.body.id}`).set('Authorization', admin).send({ rotateSecret: true });
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(await rawSecret(made.body.id)).not.toContain(rotated.body.secret);
    expect(JSON.stringify((await h.http.get('/api/webhooks').set('Authorization', admin)).body)).not.toContain(rotated.body.secret);
  });

  it('should encrypt secrets stored in plain text before this version, and keep signing with them', async () => {
    // given a subscription row from before encryption
    const secret = 'legacy-plain-secret-000001';
    const r = await receiver(secret);
    await h.deps.db.insert(webhookSubscriptions).values({ id: 'whk-legacy', url: r.url, secret, topics: ['*'] });
    // when the server starts
    expect(await encryptLegacySecrets(h.deps)).toBe(1);
    // then the secret is encrypted in place, and deliveries still carry a valid signature
    expect(await rawSecret('whk-legacy')).toMatch(/^enc:v1:/);
    expect(await encryptLegacySecrets(h.deps)).toBe(0);
    await oneEvent();
    await deliverDue(h.deps);
    expect(r.requests.map((q) => q.validSignature)).toEqual([true]);
  });

  it('should refuse to create or re-key a webhook without SECRETS_KEY, and hold deliveries it cannot sign', async () => {
    const r = await receiver('a-secret-for-the-no-key-case');
    const made = await h.http.post('/api/webhooks').set('Authorization', admin).send({ url: r.url, secret: 'a-secret-for-the-no-key-case', topics: ['*'] });
    const key = h.deps.config.secretsKey;
    h.deps.config.secretsKey = null;
    try {
      const refused = await h.http.post('/api/webhooks').set('Authorization', admin).send({ url: r.url, topics: ['*'] });
      expect(refused.status).toBe(503);
      expect(refused.body.error).toMatchObject({ code: 'SECRETS_KEY_MISSING', message: { vi: expect.stringContaining('SECRETS_KEY'), en: expect.stringContaining('SECRETS_KEY') } });
      expect((await h.http.patch(`/api/webhooks/${made.body.id}`).set('Authorization', admin).send({ rotateSecret: true })).status).toBe(503);
      expect((await h.http.patch(`/api/webhooks/${made.body.id}`).set('Authorization', admin).send({ active: false })).status).toBe(200);
      await h.http.patch(`/api/webhooks/${made.body.id}`).set('Authorization', admin).send({ active: true });
      await oneEvent();
      await deliverDue(h.deps);
      expect(r.requests).toHaveLength(0);
      const [d] = await h.deps.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.subscriptionId, made.body.id));
      expect(d).toMatchObject({ status: 'pending', lastError: expect.stringContaining('SECRETS_KEY is not set') });
    } finally {
      h.deps.config.secretsKey = key;
    }
  });
});

describe('delivery log excerpts', () => {
  it('should keep a short excerpt of a failed answer: no HTML, no control or bidi characters, at most 200 characters', async () => {
    // given a receiver answering an HTML error page, a long text with control and bidi characters, and JSON
    const secret = 'excerpt-receiver-secret-01';
    const r = await receiver(secret);
    await h.http.post('/api/webhooks').set('Authorization', admin).send({ url: r.url, secret, topics: ['*'] });
    const html = '<html><body><script>alert(document.cookie)</script><h1>Internal</h1><pre>root:x:0:0</pre></body></html>';
    const long = `bad\u0000 request\u202e\u0007 ${'x'.repeat(5000)}`;
    const answers = new Map<string, { status: number; type?: string; body: string }>();
    const e1 = await oneEvent();
    const e2 = await oneEvent();
    const e3 = await oneEvent();
    answers.set(e1, { status: 422, type: 'text/html', body: html });
    answers.set(e2, { status: 422, type: 'text/plain', body: long });
    answers.set(e3, { status: 400, type: 'text/plain', body: `<img src=x onerror=alert(1)> ${'y'.repeat(10)}` });
    r.custom = (eventId) => answers.get(eventId) ?? null;
    // when they are delivered
    await deliverDue(h.deps);
    // then the log keeps the status, and of the body only a clean excerpt
    const rows = await h.deps.db.select().from(webhookDeliveries);
    const errorOf = (e: string) => rows.find((d) => d.eventId === e)!.lastError!;
    expect(errorOf(e1)).toBe('HTTP 422: (HTML/XML answer, not kept)');
    expect(errorOf(e3)).toBe('HTTP 422: (HTML/XML answer, not kept)'.replace('422', '400'));
    const text = errorOf(e2);
    expect(text.startsWith('HTTP 422: bad request x')).toBe(true);
    expect(text.length).toBeLessThanOrEqual('HTTP 422: '.length + EXCERPT_CHARS);
    expect(text).not.toMatch(/[\p{Cc}\p{Cf}]/u);
  });
});
