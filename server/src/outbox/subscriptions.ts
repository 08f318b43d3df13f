/**
 * Webhook subscriptions (URL, secret, topics) and their delivery log. A subscription receives
 * the events of every unit, so only administrators of a top-level unit manage them. The
 * secret is shown once — when it is created or rotated by the server — and never listed.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { and, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Static } from 'typebox';
import type { AuthUser } from '../auth/service';
import type { Deps } from '../deps';
import { outbox, webhookDeliveries, webhookSubscriptions } from '../db/schema';
import { iso } from '../db/time';
import { forbidden, HttpError, notFound, type Issue } from '../http/errors';
import { isRootAdmin } from '../admin/service';
import { DELIVERY_POLICY } from './dispatcher';
import { encryptSecret } from './secrets';
import { allowList, checkTarget, RefusedTarget } from './targets';
import { TOPICS, isKnownTopic } from './topics';
import type { DeliveryQuery, WebhookCreateBody, WebhookUpdateBody } from './schemas';

type SubscriptionRow = typeof webhookSubscriptions.$inferSelect;
type DeliveryRow = typeof webhookDeliveries.$inferSelect;

const WEBHOOK = { vi: 'đăng ký webhook', en: 'webhook subscription' };
const DELIVERY = { vi: 'lượt gửi webhook', en: 'webhook delivery' };


/** Subscriptions see every unit's dossiers: province-wide (top-level) administrators only. */
export async function requireWebhookAdmin(deps: Deps, user: AuthUser): Promise<void> {
  if (await isRootAdmin(deps, user)) return;
  throw forbidden({
    vi: 'Đăng ký webhook nhận sự kiện của mọi đơn vị nên chỉ quản trị viên đơn vị cấp cao nhất (tỉnh) được quản lý',
    en: 'Webhook subscriptions receive the events of every unit: only administrators of the top-level unit may manage them',
  });
}

function invalid(issues: Issue[]): HttpError {
  return new HttpError(422, 'WEBHOOK_INVALID', { vi: 'Đăng ký webhook không hợp lệ', en: 'The webhook subscription is not valid' }, issues);
}

/**
 * Checks what JSON Schema cannot: a parsable http(s) URL whose host may be called (see
 * ./targets.ts) and topics that can match something.
 */
async function checkFields(deps: Deps, body: { url?: string | undefined; topics?: string[] | undefined }): Promise<void> {
  const issues: Issue[] = [];
  if (body.url !== undefined) {
    const url = URL.canParse(body.url) ? new URL(body.url) : null;
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
      issues.push({ path: '/url', message: {
        vi: `"${body.url}" không phải địa chỉ http(s) hợp lệ`, en: `"${body.url}" is not a valid http(s) URL`,
      } });
    } else {
      try {
        await checkTarget(url, allowList(deps.config));
      } catch (e) {
        if (!(e instanceof RefusedTarget)) throw e;
        issues.push({ path: '/url', message: { vi: e.vi, en: e.en } });
      }
    }
  }
  (body.topics ?? []).forEach((t, i) => {
    if (isKnownTopic(t)) return;
    issues.push({ path: `/topics/${i}`, message: {
      vi: `Không có sự kiện nào thuộc chủ đề "${t}"; chọn một trong: ${TOPICS.join(', ')}, hoặc "dossier.*", "*"`,
      en: `No event has topic "${t}"; pick one of ${TOPICS.join(', ')}, or "dossier.*", "*"`,
    } });
  });
  if (issues.length) throw invalid(issues);
}

/** Without SECRETS_KEY (production) no secret can be stored: creating or re-keying a webhook is refused. */
function requireKey(deps: Deps): Buffer {
  if (deps.config.secretsKey) return deps.config.secretsKey;
  throw new HttpError(503, 'SECRETS_KEY_MISSING', {
    vi: 'Máy chủ chưa được cấu hình SECRETS_KEY (khóa mã hóa bí mật webhook): quản trị hệ thống cần đặt trước khi tạo webhook',
    en: 'The server has no SECRETS_KEY (the key that encrypts webhook secrets): the operator must set it before webhooks can be created',
  });
}

const generateSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;

async function pendingCounts(deps: Deps, ids: string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await deps.db.select({ id: webhookDeliveries.subscriptionId, n: sql<number>`count(*)::int` }).from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.status, 'pending'), inArray(webhookDeliveries.subscriptionId, ids)))
    .groupBy(webhookDeliveries.subscriptionId);
  return new Map(rows.map((r) => [r.id, Number(r.n)]));
}

function view(row: SubscriptionRow, pending: number) {
  return { id: row.id, url: row.url, topics: row.topics, active: row.active, createdAt: iso(row.createdAt), pending };
}

async function find(deps: Deps, id: string): Promise<SubscriptionRow> {
  const [row] = await deps.db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, id));
  if (!row) throw notFound(WEBHOOK, id);
  return row;
}

export async function createSubscription(deps: Deps, body: Static<typeof WebhookCreateBody>) {
  await checkFields(deps, body);
  const key = requireKey(deps);
  const secret = body.secret ?? generateSecret();
  const id = `whk-${randomUUID()}`;
  const [row] = await deps.db.insert(webhookSubscriptions).values({
    id, url: body.url, secret: encryptSecret(key, id, secret), topics: body.topics, active: body.active ?? true,
    createdAt: deps.clock.now().toISOString(),
  }).returning();
  deps.logger.info({ subscription: row!.id, url: row!.url, topics: row!.topics }, 'webhook subscription created');
  return { ...view(row!, 0), secret };
}

export async function listSubscriptions(deps: Deps) {
  const rows = await deps.db.select().from(webhookSubscriptions).orderBy(desc(webhookSubscriptions.createdAt), desc(webhookSubscriptions.id));
  const pending = await pendingCounts(deps, rows.map((r) => r.id));
  return { items: rows.map((r) => view(r, pending.get(r.id) ?? 0)) };
}

export async function getSubscription(deps: Deps, id: string) {
  const row = await find(deps, id);
  return view(row, (await pendingCounts(deps, [id])).get(id) ?? 0);
}

export async function updateSubscription(deps: Deps, id: string, body: Static<typeof WebhookUpdateBody>) {
  if (body.secret !== undefined && body.rotateSecret) {
    throw invalid([{ path: '/rotateSecret', message: {
      vi: 'Chỉ chọn một: đặt "secret" hoặc "rotateSecret": true', en: 'Choose one: set "secret" or "rotateSecret": true',
    } }]);
  }
  await checkFields(deps, body);
  await find(deps, id);
  const key = body.secret !== undefined || body.rotateSecret ? requireKey(deps) : null;
  const generated = body.rotateSecret ? generateSecret() : null;
  const newSecret = body.secret ?? generated;
  const [row] = await deps.db.update(webhookSubscriptions).set({
    ...(body.url !== undefined ? { url: body.url } : {}),
    ...(body.topics !== undefined ? { topics: body.topics } : {}),
    ...(body.active !== undefined ? { active: body.active } : {}),
    ...(key && newSecret !== null ? { secret: encryptSecret(key, id, newSecret) } : {}),
  }).where(eq(webhookSubscriptions.id, id)).returning();
  if (!row) throw notFound(WEBHOOK, id);
  const out = view(row, (await pendingCounts(deps, [id])).get(id) ?? 0);
  return generated ? { ...out, secret: generated } : out;
}

export async function deleteSubscription(deps: Deps, id: string): Promise<void> {
  // Its deliveries go with it (ON DELETE CASCADE); one being sent now records nothing.
  const deleted = await deps.db.delete(webhookSubscriptions).where(eq(webhookSubscriptions.id, id)).returning({ id: webhookSubscriptions.id });
  if (deleted.length === 0) throw notFound(WEBHOOK, id);
  deps.logger.info({ subscription: id }, 'webhook subscription deleted');
}

function deliveryView(d: DeliveryRow, topic: string | undefined, dossierId: string | null | undefined) {
  return {
    id: d.id, eventId: d.eventId, topic: topic ?? '', dossierId: dossierId ?? null, status: d.status, attempts: d.attempts,
    nextAttemptAt: d.status === 'pending' ? iso(d.nextAttemptAt) : null,
    lastStatus: d.lastStatus, lastError: d.lastError, deliveredAt: iso(d.deliveredAt), createdAt: iso(d.createdAt),
  };
}

async function withEvents(deps: Deps, rows: DeliveryRow[]) {
  const ids = [...new Set(rows.map((r) => r.outboxId))];
  const events = ids.length
    ? new Map((await deps.db.select({ id: outbox.id, topic: outbox.topic, dossierId: outbox.dossierId }).from(outbox).where(inArray(outbox.id, ids)))
      .map((e) => [e.id, e]))
    : new Map<number, { topic: string; dossierId: string | null }>();
  return rows.map((r) => deliveryView(r, events.get(r.outboxId)?.topic, events.get(r.outboxId)?.dossierId));
}

/** The delivery log of a subscription, newest first. */
export async function listDeliveries(deps: Deps, id: string, query: Static<typeof DeliveryQuery>) {
  await find(deps, id);
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? 50;
  const rows = await deps.db.select().from(webhookDeliveries).where(and(
    eq(webhookDeliveries.subscriptionId, id),
    query.status ? eq(webhookDeliveries.status, query.status) : undefined,
  )).orderBy(desc(webhookDeliveries.id)).limit(pageSize + 1).offset((page - 1) * pageSize);
  return { items: await withEvents(deps, rows.slice(0, pageSize)), page, pageSize, hasMore: rows.length > pageSize };
}

/**
 * Sends a failed delivery again (one more round of retries from now), or brings a pending
 * one waiting in a long backoff forward. A delivered event is not sent again.
 */
export async function retryDelivery(deps: Deps, id: string, deliveryId: number) {
  await find(deps, id);
  const [row] = await deps.db.select().from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.subscriptionId, id)));
  if (!row) throw notFound(DELIVERY, String(deliveryId));
  if (row.status === 'delivered') {
    throw new HttpError(409, 'DELIVERY_ALREADY_DELIVERED', {
      vi: 'Sự kiện này đã được bên nhận xác nhận; không gửi lại', en: 'The receiver has already acknowledged this event; it is not sent again',
    });
  }
  const now = deps.clock.now();
  // A pending delivery due within a lease may be in the middle of being sent: leave it be.
  const beyondLeases = new Date(now.getTime() + deps.config.webhookLeaseMs + DELIVERY_POLICY.clockSkewMs).toISOString();
  const [updated] = row.status === 'failed'
    ? await deps.db.update(webhookDeliveries).set({ status: 'pending', nextAttemptAt: now.toISOString(), createdAt: now.toISOString() })
      .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.status, 'failed'))).returning()
    : await deps.db.update(webhookDeliveries).set({ nextAttemptAt: now.toISOString() })
      .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.status, 'pending'), gt(webhookDeliveries.nextAttemptAt, beyondLeases)))
      .returning();
  const [current] = updated ? [updated] : await deps.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveryId));
  if (!current) throw notFound(DELIVERY, String(deliveryId));
  return (await withEvents(deps, [current]))[0]!;
}
