/**
 * Citizen notifications (docs/notifications.md). The notifier follows the outbox (the same
 * rows the webhooks are fanned out from): an event that matters to the applicant — received,
 * supplement asked, payment asked or received, result ready, apology, time lawfully extended,
 * handling stopped, returned, refused — becomes one delivery per channel the applicant chose,
 * rendered from the administrator's template; deliveries are sent and retried with the
 * webhooks' backoff, and every attempt is in the delivery log.
 */
import { toLocalIso, type DossierSnapshot } from '@motcua/engine';
import type { Tx } from '../db/client';
import type { Deps } from '../deps';
import { HttpError, forbidden } from '../http/errors';
import { adminScope, isRootAdmin } from '../admin/service';
import type { AuthUser } from '../auth/middleware';
import { loadDossier, type DossierRow } from '../dossiers/service';
import { DELIVERY_POLICY, follow, retryDelayMs, type FollowedEvent } from '../outbox/index';
import { CHANNELS, NotConfigured, channelOf, type ChannelName } from './channels';
import {
  DEFAULT_TEMPLATES, EVENTS, EVENT_NAMES, PLACEHOLDERS, checkTemplate, render, type NotifyEvent, type Template, type Values,
} from './templates';
import {
  claimDue, deleteTemplate, deliveryLog, insertDeliveries, markDelivery, preferencesOf, saveTemplate, savePreferences, storedTemplates, type DeliveryRow,
} from './repo';

interface Classified { event: NotifyEvent; amount?: number; receipt?: string }

const vnd = (n: number): string => `${n.toLocaleString('vi-VN')} đồng`;

/** Which citizen event an outbox row is, if any. */
export function classify(e: Pick<FollowedEvent, 'topic' | 'payload'>): Classified | null {
  const p = e.payload as { effect?: { slip?: string; fees?: { amount: number }[] }; status?: unknown; event?: string; amount?: number; paymentId?: string };
  switch (e.topic) {
    case 'dossier.issueSlip': {
      const slip = p.effect?.slip;
      if (slip === 'receipt') return { event: 'received' };
      if (slip === 'supplement-request') return { event: 'supplement' };
      if (slip === 'refusal') return { event: 'refused' };
      if (slip === 'apology') return { event: 'apology' };
      // The appointment moves, or the dossier ends without a result: the citizen is told as of a refusal.
      if (slip === 'extra-time-notice') return { event: 'extended' };
      if (slip === 'stop-notice') return { event: 'stopped' };
      return null;
    }
    case 'dossier.requestPayment': {
      const amount = (p.effect?.fees ?? []).reduce((s, f) => s + f.amount, 0);
      return amount > 0 ? { event: 'payment', amount } : null;
    }
    case 'dossier.progress':
      // 9: handled, the result waits to be returned (outbox/portal.ts).
      return p.status === 9 && p.event === 'action.applied' ? { event: 'result' } : null;
    case 'dossier.returnResult':
      return { event: 'returned' };
    case 'dossier.payment':
      if (p.status === 'paid') return { event: 'paid', amount: p.amount ?? 0, receipt: `/api/public/payments/${p.paymentId ?? ''}/receipt.pdf` };
      if (p.status === 'refunded') return { event: 'refunded', amount: p.amount ?? 0 };
      return null;
    default:
      return null;
  }
}

const STATUS_TEXT: Record<string, string> = {
  active: 'Đang giải quyết', 'waiting-citizen': 'Chờ bổ sung', approved: 'Đã giải quyết', rejected: 'Không giải quyết',
  refused: 'Từ chối tiếp nhận', withdrawn: 'Đã rút hồ sơ', stopped: 'Dừng giải quyết',
};

/** HH:mm ngày dd/MM/yyyy in Vietnam's time. */
function vnDateTime(iso: string): string {
  const t = toLocalIso(iso);
  return `${t.slice(11, 16)} ngày ${t.slice(8, 10)}/${t.slice(5, 7)}/${t.slice(0, 4)}`;
}

/** The only values a message can carry: code, status, appointment, amount, public addresses. */
export function valuesFor(deps: Deps, row: DossierRow, c: Classified): Values {
  const s = row.snapshot as DossierSnapshot;
  const base = deps.config.publicUrl.replace(/\/$/, '');
  return {
    ma_ho_so: row.id,
    trang_thai: s.outcome ? STATUS_TEXT[s.outcome] ?? s.outcome : STATUS_TEXT[s.status] ?? s.status,
    // A dossier with no deadline yet (the clock not started, or a procedure without one) says so:
    // an empty value left "Ngày hẹn trả kết quả: ." in the message.
    ngay_hen: s.clock.dueAt ? vnDateTime(s.clock.dueAt) : 'chưa xác định',
    so_tien: c.amount !== undefined ? vnd(c.amount) : '',
    lien_ket: `${base}/tra-cuu/${encodeURIComponent(row.id)}`,
    bien_lai: c.receipt ? `${base}${c.receipt}` : '',
  };
}

interface Contact { email: string | null; phone: string | null; channels: string[] | null }

function contactOf(row: DossierRow): Contact {
  const c = ((row.snapshot as DossierSnapshot).data['applicantContact'] ?? {}) as { email?: unknown; phone?: unknown; channels?: unknown };
  const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);
  return { email: str(c.email), phone: str(c.phone), channels: Array.isArray(c.channels) ? c.channels.filter((x): x is string => typeof x === 'string') : null };
}

/** The channels used when the citizen chose none for the dossier: the intake's choice, else email when an address is known, else SMS when a phone is. */
const defaultChannels = (contact: Contact): string[] => contact.channels ?? (contact.email ? ['email'] : contact.phone ? ['sms'] : []);

/** The channels to use: the citizen's choice, else the default. */
function channelsFor(contact: Contact, chosen: string[] | null): { channel: ChannelName; to: string }[] {
  const wanted = chosen ?? defaultChannels(contact);
  const out: { channel: ChannelName; to: string }[] = [];
  for (const ch of CHANNELS) {
    if (!wanted.includes(ch)) continue;
    const to = ch === 'email' ? contact.email : contact.phone;
    if (to) out.push({ channel: ch, to });
  }
  return out;
}

async function templatesOf(db: Deps['db'] | Tx): Promise<Record<NotifyEvent, Template>> {
  const out = { ...DEFAULT_TEMPLATES };
  for (const t of await storedTemplates(db)) if ((EVENTS as readonly string[]).includes(t.event)) out[t.event as NotifyEvent] = { subject: t.subject, body: t.body };
  return out;
}

/** One round of the notifier over the outbox: new events become deliveries (same transaction as the cursor). */
export async function notifyRound(deps: Deps, options: { settleMs?: number } = {}): Promise<number> {
  return follow(deps, 'notifications', async (tx, events) => {
    const relevant = events.flatMap((e) => {
      const c = e.dossierId ? classify(e) : null;
      return c ? [{ e, c }] : [];
    });
    if (!relevant.length) return;
    const templates = await templatesOf(tx);
    const now = deps.clock.now().toISOString();
    const rows = [];
    for (const { e, c } of relevant) {
      const row = await loadDossier(tx, e.dossierId!);
      if (!row || row.parentId) continue; // a linked dossier between agencies is not the citizen's
      const targets = channelsFor(contactOf(row), await preferencesOf(tx, row.id));
      const text = render(templates[c.event], valuesFor(deps, row, c));
      for (const t of targets) {
        rows.push({
          outboxId: e.id, eventId: e.eventId, dossierId: row.id, event: c.event, channel: t.channel, recipient: t.to,
          subject: text.subject, body: text.body, status: 'pending', attempts: 0, nextAttemptAt: now, createdAt: now,
        });
      }
    }
    await insertDeliveries(tx, rows);
  }, options);
}

/** Sends due deliveries; a failure is retried with the webhooks' backoff, then marked failed. */
export async function deliverNotifications(deps: Deps, limit = 50): Promise<{ sent: number; failed: number }> {
  const now = deps.clock.now();
  const lease = new Date(now.getTime() + 5 * 60_000).toISOString();
  const claimed = await claimDue(deps.db, now.toISOString(), lease, limit);
  let sent = 0;
  let failed = 0;
  for (const d of claimed) {
    try {
      await channelOf(deps, d.channel as ChannelName).send({ to: d.recipient, subject: d.subject, body: d.body, eventId: d.eventId });
      await markDelivery(deps.db, d.id, { status: 'sent', sentAt: deps.clock.now().toISOString(), lastError: null });
      sent++;
    } catch (err) {
      failed++;
      const age = now.getTime() - new Date(d.createdAt).getTime();
      const permanent = err instanceof NotConfigured || age >= DELIVERY_POLICY.giveUpAfterMs;
      await markDelivery(deps.db, d.id, {
        status: permanent ? 'failed' : 'pending', lastError: (err as Error).message.slice(0, 300),
        nextAttemptAt: new Date(now.getTime() + retryDelayMs(d.id, age)).toISOString(),
      });
    }
  }
  return { sent, failed };
}

// ---- administration -----------------------------------------------------------------------

export async function listTemplates(deps: Deps) {
  const stored = new Map((await storedTemplates(deps.db)).map((t) => [t.event, t]));
  return {
    placeholders: Object.entries(PLACEHOLDERS).map(([key, label]) => ({ key, label })),
    items: EVENTS.map((event) => {
      const s = stored.get(event);
      return {
        event, name: EVENT_NAMES[event], subject: s?.subject ?? DEFAULT_TEMPLATES[event].subject, body: s?.body ?? DEFAULT_TEMPLATES[event].body,
        custom: Boolean(s), updatedAt: s ? new Date(s.updatedAt).toISOString() : null, updatedBy: s?.updatedBy ?? null,
      };
    }),
  };
}

/** The templates are one text for every unit's citizens: only the province's administrators change them. */
async function requireTemplateAdmin(deps: Deps, user: AuthUser): Promise<void> {
  if (await isRootAdmin(deps, user)) return;
  throw forbidden({
    vi: 'Mẫu thông báo dùng chung cho công dân của mọi đơn vị: chỉ quản trị viên cấp tỉnh được sửa',
    en: 'The notification templates are shared by every unit\'s citizens: only a province administrator may change them',
  });
}

export async function setTemplate(deps: Deps, user: AuthUser, event: string, t: Template) {
  await requireTemplateAdmin(deps, user);
  if (!(EVENTS as readonly string[]).includes(event)) {
    throw new HttpError(404, 'NOT_FOUND', { vi: `Không có loại thông báo "${event}"`, en: `No notification "${event}"` });
  }
  const issues = checkTemplate(t);
  if (issues.length) {
    throw new HttpError(422, 'TEMPLATE_INVALID', { vi: 'Mẫu thông báo không hợp lệ', en: 'The notification template is invalid' }, issues);
  }
  await saveTemplate(deps.db, { event, subject: t.subject, body: t.body, updatedAt: deps.clock.now().toISOString(), updatedBy: user.id });
  return (await listTemplates(deps)).items.find((i) => i.event === event)!;
}

export async function resetTemplate(deps: Deps, user: AuthUser, event: string) {
  await requireTemplateAdmin(deps, user);
  await deleteTemplate(deps.db, event);
  return (await listTemplates(deps)).items.find((i) => i.event === event) ?? null;
}

const deliveryView = (d: DeliveryRow) => ({
  id: d.id, dossierId: d.dossierId, event: d.event, channel: d.channel, recipient: d.recipient, subject: d.subject, body: d.body, status: d.status,
  attempts: d.attempts, lastError: d.lastError, createdAt: new Date(d.createdAt).toISOString(), sentAt: d.sentAt ? new Date(d.sentAt).toISOString() : null,
});

/** The delivery log of the dossiers the administrator's units received or handle: it holds citizens' addresses and phone numbers. */
export async function deliveries(deps: Deps, user: AuthUser, f: { dossierId?: string | undefined; status?: string | undefined }) {
  const units = [...(await adminScope(deps, user))];
  return { items: (await deliveryLog(deps.db, { ...f, units, limit: 200 })).map(deliveryView) };
}

/**
 * The channels a dossier's notifications go by now (authorised by the caller): the citizen's
 * saved choice (`saved`, an empty choice included), else the default the notifier uses — so a
 * form shows what will happen, not a guess. No side effects.
 */
export async function chosenChannels(deps: Deps, row: DossierRow) {
  const saved = await preferencesOf(deps.db, row.id);
  const contact = contactOf(row);
  const channels = (saved ?? defaultChannels(contact)).filter((c) => (CHANNELS as readonly string[]).includes(c));
  return { channels, saved: saved !== null, reachable: channelsFor(contact, channels).map((t) => t.channel) };
}

/** The citizen's choice of channels for one dossier (authorised by the caller). */
export async function choose(deps: Deps, row: DossierRow, channels: string[]) {
  const unique = [...new Set(channels)].filter((c) => (CHANNELS as readonly string[]).includes(c));
  await savePreferences(deps.db, row.id, unique, deps.clock.now().toISOString());
  const contact = contactOf(row);
  return {
    channels: unique,
    // Which chosen channel has somewhere to go (the contact given at intake), without showing it.
    reachable: channelsFor(contact, unique).map((t) => t.channel),
  };
}
