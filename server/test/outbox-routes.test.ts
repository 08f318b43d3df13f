import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createHarness, login, seedPeople, type Harness } from './support/harness';
import { outbox, webhookDeliveries, webhookSubscriptions } from '../src/db/schema';
import { fanOut } from '../src/outbox/dispatcher';
import { decryptSecret } from '../src/outbox/secrets';

const PROVINCE = '000.00.00.H99';
const ANPHU = '000.01.31.H99';
let h: Harness;
const auth: { [name: string]: string } = {};

beforeAll(async () => {
  // given a province administrator, a commune administrator and a desk officer
  h = await createHarness({ now: '2026-03-02T01:15:00.000Z' });
  await seedPeople(h, [
    { username: 'root', name: 'Quản trị tỉnh', grants: [{ role: 'admin', unit: PROVINCE }] },
    { username: 'xa', name: 'Quản trị xã', grants: [{ role: 'admin', unit: ANPHU }] },
    { username: 'lan', name: 'Nguyễn Thị Lan', grants: [{ role: 'desk', unit: ANPHU }] },
  ]);
  for (const u of ['root', 'xa', 'lan']) auth[u] = await login(h, u);
});
afterAll(async () => h.close());

const create = (body: object, who = 'root') => h.http.post('/api/webhooks').set('Authorization', auth[who]!).send(body);
const paths = (res: { body: { error?: { issues?: { path: string }[] } } }) => (res.body.error?.issues ?? []).map((i) => i.path);

describe('webhook routes', () => {
  it('should let only administrators of the top-level unit manage subscriptions', async () => {
    const body = { url: 'https://portal.example.vn/hook', topics: ['dossier.progress'] };
    expect((await h.http.get('/api/webhooks')).status).toBe(401);
    expect((await h.http.post('/api/webhooks').send(body)).status).toBe(401);
    const desk = await create(body, 'lan');
    expect(desk.status).toBe(403);
    expect(desk.body.error.message).toMatchObject({ vi: expect.any(String), en: expect.any(String) });
    expect((await create(body, 'xa')).status).toBe(403);
    expect((await h.http.get('/api/webhooks').set('Authorization', auth['xa']!)).status).toBe(403);
    expect((await create(body)).status).toBe(201);
  });

  it('should generate a secret when none is given, show it once, and never list it', async () => {
    // when a subscription is created without a secret
    const res = await create({ url: 'https://portal.example.vn/dvcqg', topics: ['dossier.*'] });
    // then the answer carries a generated secret, once
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const secret = res.body.secret as string;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{40,}$/);
    expect(res.body).toMatchObject({ id: expect.any(String), url: 'https://portal.example.vn/dvcqg', topics: ['dossier.*'], active: true, pending: 0 });
    // and neither the list nor the subscription itself shows it again
    const list = await h.http.get('/api/webhooks').set('Authorization', auth['root']!);
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: { id: string }) => i.id)).toContain(res.body.id);
    expect(JSON.stringify(list.body)).not.toContain(secret);
    expect(list.body.items.every((i: object) => !('secret' in i))).toBe(true);
    const one = await h.http.get(`/api/webhooks/${res.body.id}`).set('Authorization', auth['root']!);
    expect(one.status).toBe(200);
    expect(one.body).not.toHaveProperty('secret');
    // and a secret of the administrator's choosing is stored but not echoed on update
    const chosen = 'a-secret-of-my-own-choosing';
    const set = await h.http.patch(`/api/webhooks/${res.body.id}`).set('Authorization', auth['root']!).send({ secret: chosen });
    expect(set.status).toBe(200);
    expect(set.body).not.toHaveProperty('secret');
    const [row] = await h.deps.db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, res.body.id));
    expect(row?.secret).not.toContain(chosen);
    expect(decryptSecret(h.deps.config.secretsKey, res.body.id, row!.secret)).toBe(chosen);
    // and a rotation returns the new secret once
    const rotated = await h.http.patch(`/api/webhooks/${res.body.id}`).set('Authorization', auth['root']!).send({ rotateSecret: true });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(secret);
  });

  it('should refuse bad subscriptions with a pointer to each problem', async () => {
    const bad = await create({ url: 'ftp://portal.example.vn/hook', secret: 'short', topics: ['dossier.progres', 'Bad Topic'] });
    expect(bad.status).toBe(422);
    expect(paths(bad)).toEqual(expect.arrayContaining(['/url', '/secret', '/topics/1']));
    const unknownTopic = await create({ url: 'https://portal.example.vn/hook', topics: ['dossier.progres', 'catalog.*'] });
    expect(unknownTopic.status).toBe(422);
    expect(unknownTopic.body.error.code).toBe('WEBHOOK_INVALID');
    expect(paths(unknownTopic)).toEqual(['/topics/0', '/topics/1']);
    expect(unknownTopic.body.error.issues[0].message.en).toContain('dossier.progress');
    const notUrl = await create({ url: 'http://', topics: ['*'] });
    expect(notUrl.status).toBe(422);
    expect(paths(notUrl)).toEqual(['/url']);
    const missing = await create({ topics: [] });
    expect(missing.status).toBe(422);
    expect(paths(missing)).toEqual(expect.arrayContaining(['/url', '/topics']));
    const extra = await create({ url: 'https://portal.example.vn/hook', topics: ['*'], owner: 'me' });
    expect(extra.status).toBe(422);
    const malformed = await h.http.post('/api/webhooks').set('Authorization', auth['root']!).set('Content-Type', 'application/json').send('{"url":');
    expect(malformed.status).toBe(400);
    const bothSecrets = await create({ url: 'https://portal.example.vn/hook', topics: ['*'] })
      .then((r) => h.http.patch(`/api/webhooks/${r.body.id}`).set('Authorization', auth['root']!).send({ secret: 'x'.repeat(20), rotateSecret: true }));
    expect(bothSecrets.status).toBe(422);
    expect(paths(bothSecrets)).toEqual(['/rotateSecret']);
    const empty = await create({ url: 'https://portal.example.vn/hook', topics: ['*'] })
      .then((r) => h.http.patch(`/api/webhooks/${r.body.id}`).set('Authorization', auth['root']!).send({}));
    expect(empty.status).toBe(422);
  });

  it('should update, pause and delete a subscription, and 404 on unknown ones', async () => {
    const made = await create({ url: 'https://portal.example.vn/a', topics: ['dossier.progress'] });
    const id = made.body.id as string;
    const upd = await h.http.patch(`/api/webhooks/${id}`).set('Authorization', auth['root']!)
      .send({ url: 'http://93.184.215.14:8080/b', topics: ['dossier.overdue', 'dossier.dueSoon'], active: false });
    expect(upd.status).toBe(200);
    expect(upd.body).toMatchObject({ url: 'http://93.184.215.14:8080/b', topics: ['dossier.overdue', 'dossier.dueSoon'], active: false });
    const loopback = await h.http.patch(`/api/webhooks/${id}`).set('Authorization', auth['root']!).send({ url: 'http://127.0.0.1:9/b' });
    expect(loopback.status).toBe(422);
    expect(paths(loopback)).toEqual(['/url']);
    const badUpd = await h.http.patch(`/api/webhooks/${id}`).set('Authorization', auth['root']!).send({ url: 'mailto:x@y.vn' });
    expect(badUpd.status).toBe(422);
    expect(paths(badUpd)).toEqual(['/url']);
    expect((await h.http.patch('/api/webhooks/whk-none').set('Authorization', auth['root']!).send({ active: true })).status).toBe(404);
    expect((await h.http.delete(`/api/webhooks/${id}`).set('Authorization', auth['xa']!)).status).toBe(403);
    expect((await h.http.delete(`/api/webhooks/${id}`).set('Authorization', auth['root']!)).status).toBe(204);
    expect((await h.http.get(`/api/webhooks/${id}`).set('Authorization', auth['root']!)).status).toBe(404);
    expect((await h.http.delete(`/api/webhooks/${id}`).set('Authorization', auth['root']!)).status).toBe(404);
  });

  it('should show the delivery log by status, page by page, and retry a failed delivery', async () => {
    // given a subscription with three deliveries: delivered, failed, pending
    await h.deps.db.delete(webhookSubscriptions);
    while ((await fanOut(h.deps)).events > 0) { /* earlier events */ }
    const made = await create({ url: 'https://portal.example.vn/log', topics: ['dossier.progress'] });
    const id = made.body.id as string;
    await h.deps.db.insert(outbox).values([1, 2, 3].map((n) => ({
      eventId: `log-test#${n}`, topic: 'dossier.progress', dossierId: 'log-test', payload: { n },
    })));
    await fanOut(h.deps);
    const rows = await h.deps.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.subscriptionId, id)).orderBy(webhookDeliveries.id);
    expect(rows).toHaveLength(3);
    const now = h.clock.now().toISOString();
    await h.deps.db.update(webhookDeliveries).set({ status: 'delivered', attempts: 1, lastStatus: 200, deliveredAt: now }).where(eq(webhookDeliveries.id, rows[0]!.id));
    await h.deps.db.update(webhookDeliveries).set({ status: 'failed', attempts: 80, lastStatus: 503, lastError: 'HTTP 503' }).where(eq(webhookDeliveries.id, rows[1]!.id));
    const log = (q = '') => h.http.get(`/api/webhooks/${id}/deliveries${q}`).set('Authorization', auth['root']!);
    // when the administrator reads the log
    const all = await log();
    // then the newest come first, with the event's topic and dossier
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ page: 1, pageSize: 50, hasMore: false });
    expect(all.body.items.map((d: { eventId: string }) => d.eventId)).toEqual(['log-test#3', 'log-test#2', 'log-test#1']);
    expect(all.body.items[2]).toMatchObject({ status: 'delivered', attempts: 1, lastStatus: 200, topic: 'dossier.progress', dossierId: 'log-test', nextAttemptAt: null });
    expect((await log('?status=failed')).body.items.map((d: { eventId: string }) => d.eventId)).toEqual(['log-test#2']);
    const page2 = await log('?pageSize=2&page=2');
    expect(page2.body).toMatchObject({ page: 2, pageSize: 2, hasMore: false });
    expect(page2.body.items.map((d: { eventId: string }) => d.eventId)).toEqual(['log-test#1']);
    expect((await log('?pageSize=2')).body.hasMore).toBe(true);
    expect((await log('?status=lost')).status).toBe(400);
    expect(paths(await log('?page=0'))).toEqual(['/page']);
    expect((await h.http.get('/api/webhooks/whk-none/deliveries').set('Authorization', auth['root']!)).status).toBe(404);
    expect((await h.http.get(`/api/webhooks/${id}/deliveries`).set('Authorization', auth['lan']!)).status).toBe(403);
    // and may retry the failed one, not the delivered one
    const retry = (deliveryId: number | string) => h.http.post(`/api/webhooks/${id}/deliveries/${deliveryId}/retry`).set('Authorization', auth['root']!);
    const retried = await retry(rows[1]!.id);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ status: 'pending', nextAttemptAt: now, attempts: 80 });
    expect((await retry(rows[0]!.id)).status).toBe(409);
    expect((await retry(999_999)).status).toBe(404);
    expect((await retry('abc')).status).toBe(400);
    expect((await h.http.post(`/api/webhooks/${id}/deliveries/${rows[1]!.id}/retry`).set('Authorization', auth['xa']!)).status).toBe(403);
    // and the subscription shows what is still pending
    expect((await h.http.get(`/api/webhooks/${id}`).set('Authorization', auth['root']!)).body.pending).toBe(2);
  });

  it('should document the webhook routes in the OpenAPI document', async () => {
    const doc = await h.http.get('/api/openapi.json');
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/webhooks', '/api/webhooks/{id}', '/api/webhooks/{id}/deliveries']));
  });
});
