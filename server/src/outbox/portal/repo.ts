/** Every statement of the portal module (connections, status tables, facts, inbound, sync figures). */
import { and, asc, desc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { documents, dossiers, onlineSubmissions, outbox, payments, sharedDataLookups, portalConnections, portalInbound, portalInboundRefusals, portalStatusTables, webhookDeliveries, webhookSubscriptions } from '../../db/schema';
import { decryptSecret } from '../secrets';
import { iso } from '../../db/time';
import type { Change, PortalFacts } from './facts';
import type { DossierExtras } from './record';

export type ConnectionRow = typeof portalConnections.$inferSelect;
export type InboundRow = typeof portalInbound.$inferSelect;

export async function connectionsOf(db: Db, subscriptionIds: string[]): Promise<Map<string, ConnectionRow>> {
  if (subscriptionIds.length === 0) return new Map();
  const rows = await db.select().from(portalConnections).where(inArray(portalConnections.subscriptionId, subscriptionIds));
  return new Map(rows.map((r) => [r.subscriptionId, r]));
}

export async function allConnections(db: Db): Promise<ConnectionRow[]> {
  return db.select().from(portalConnections).orderBy(asc(portalConnections.createdAt));
}

export async function insertConnection(db: Db, row: typeof portalConnections.$inferInsert): Promise<ConnectionRow> {
  const [r] = await db.insert(portalConnections).values(row).returning();
  return r!;
}

export async function updateConnectionRow(db: Db, id: string, set: Partial<typeof portalConnections.$inferInsert>): Promise<ConnectionRow | null> {
  if (Object.keys(set).length === 0) {
    const [r] = await db.select().from(portalConnections).where(eq(portalConnections.subscriptionId, id));
    return r ?? null;
  }
  const [r] = await db.update(portalConnections).set(set).where(eq(portalConnections.subscriptionId, id)).returning();
  return r ?? null;
}

export async function connectionByInboundToken(db: Db, hash: string): Promise<ConnectionRow | null> {
  const [r] = await db.select().from(portalConnections).where(eq(portalConnections.inboundTokenHash, hash));
  return r ?? null;
}

export async function storedStatusTable(db: Db, province: string): Promise<unknown> {
  const [r] = await db.select({ codes: portalStatusTables.codes }).from(portalStatusTables).where(eq(portalStatusTables.province, province));
  return r?.codes ?? null;
}

export async function saveStatusTable(db: Db, province: string, codes: object, by: string, at: string): Promise<void> {
  await db.insert(portalStatusTables).values({ province, codes, updatedBy: by, updatedAt: at })
    .onConflictDoUpdate({ target: portalStatusTables.province, set: { codes, updatedBy: by, updatedAt: at } });
}

/**
 * The list changes (supplement rounds, extensions, fees requested and paid) of the given
 * dossiers' progress events up to `upTo` (outbox id), oldest first. Only the events that
 * changed a list are read (a partial index holds just those), so a batch's cost follows
 * the batch and those few events, not the length of its dossiers' histories.
 */
export async function changesOf(db: Db, dossierIds: string[], upTo: number): Promise<Map<string, { outboxId: number; changes: Change[] }[]>> {
  const out = new Map<string, { outboxId: number; changes: Change[] }[]>();
  if (dossierIds.length === 0) return out;
  const rows = await db.select({ id: outbox.id, dossierId: outbox.dossierId, changes: sql<Change[] | null>`${outbox.payload} -> 'portal' -> 'changes'` }).from(outbox)
    .where(and(inArray(outbox.dossierId, dossierIds), eq(outbox.topic, 'dossier.progress'), lte(outbox.id, upTo),
      sql`(${outbox.payload} -> 'portal' -> 'changes') <> '[]'::jsonb`)).orderBy(asc(outbox.id));
  for (const r of rows) {
    if (!Array.isArray(r.changes) || !r.dossierId) continue;
    const list = out.get(r.dossierId) ?? [];
    list.push({ outboxId: r.id, changes: r.changes });
    out.set(r.dossierId, list);
  }
  return out;
}

/** The portal facts of these outbox rows (events whose payload is not at hand, e.g. for reconciliation). */
export async function factsById(db: Db, outboxIds: number[]): Promise<Map<number, PortalFacts>> {
  if (outboxIds.length === 0) return new Map();
  const rows = await db.select({ id: outbox.id, facts: sql<PortalFacts | null>`${outbox.payload} -> 'portal'` }).from(outbox).where(inArray(outbox.id, outboxIds));
  return new Map(rows.flatMap((r) => (r.facts ? [[r.id, r.facts] as const] : [])));
}

/** Files stored with the dossiers (for the record's papers: name, hash, link). */
export async function filesOf(db: Db, dossierIds: string[]) {
  if (dossierIds.length === 0) return [];
  return db.select({ id: documents.id, dossierId: documents.dossierId, name: documents.name, sha256: documents.sha256, kind: documents.kind, reusedFrom: documents.reusedFrom })
    .from(documents).where(inArray(documents.dossierId, dossierIds)).orderBy(asc(documents.createdAt));
}

/**
 * What motcua records of these dossiers outside their events (the newer record's Decision 766
 * fields): a citizen's online submission (signed in through the identity provider, so its
 * claims are verified), a payment settled online, the shared databases looked up for it.
 */
export async function extrasOf(db: Db, dossierIds: string[]): Promise<Map<string, DossierExtras>> {
  const out = new Map<string, DossierExtras>();
  if (dossierIds.length === 0) return out;
  const of = (id: string) => {
    let e = out.get(id);
    if (!e) out.set(id, e = { verifiedAccount: false, paidOnline: false, sharedData: [] });
    return e;
  };
  // "citizen": the citizen app, whose sign-in is the identity provider's (server/src/citizens/oidc.ts); a portal dossier's account is the portal's.
  for (const r of await db.select({ dossierId: onlineSubmissions.dossierId }).from(onlineSubmissions)
    .where(and(inArray(onlineSubmissions.dossierId, dossierIds), eq(onlineSubmissions.source, 'citizen')))) of(r.dossierId).verifiedAccount = true;
  // Refunded later still was paid online.
  for (const r of await db.select({ dossierId: payments.dossierId }).from(payments)
    .where(and(inArray(payments.dossierId, dossierIds), inArray(payments.status, ['paid', 'refunded'])))) of(r.dossierId).paidOnline = true;
  for (const r of await db.selectDistinct({ dossierId: sharedDataLookups.dossierId, source: sharedDataLookups.source }).from(sharedDataLookups)
    .where(inArray(sharedDataLookups.dossierId, dossierIds)).orderBy(asc(sharedDataLookups.source))) if (r.dossierId) of(r.dossierId).sharedData.push(r.source);
  return out;
}

// ---- reconciliation and figures

/**
 * Each dossier's latest progress delivery to a connection (the state the portal should hold),
 * `limit` dossiers from the one after `after` on (by dossier id): a round checks a slice, the
 * next round the next one.
 */
export async function latestDeliveries(db: Db, subscriptionId: string, limit: number, after = '') {
  const rows = await db.execute(sql`select distinct on (d.dossier_id) d.id, d.dossier_id as "dossierId", d.outbox_id as "outboxId", d.status
    from webhook_deliveries d where d.subscription_id = ${subscriptionId} and d.dossier_id is not null and d.dossier_id > ${after}
    order by d.dossier_id, d.outbox_id desc limit ${limit}`);
  return (rows as unknown as { rows: { id: number | string; dossierId: string; outboxId: number | string; status: string }[] }).rows
    .map((r) => ({ id: Number(r.id), dossierId: r.dossierId, outboxId: Number(r.outboxId), status: r.status }));
}

/**
 * Every settled (delivered or given-up) delivery of these dossiers to a connection, oldest first, with
 * its event id: the progress entries the portal should hold (reconciliation, when the portal lists them).
 */
export async function settledDeliveriesOf(db: Db, subscriptionId: string, dossierIds: string[]) {
  if (dossierIds.length === 0) return [];
  const rows = await db.select({ id: webhookDeliveries.id, dossierId: webhookDeliveries.dossierId, outboxId: webhookDeliveries.outboxId, eventId: webhookDeliveries.eventId })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.subscriptionId, subscriptionId), inArray(webhookDeliveries.dossierId, dossierIds),
      inArray(webhookDeliveries.status, ['delivered', 'failed'])))
    .orderBy(asc(webhookDeliveries.outboxId));
  return rows.flatMap((r) => (r.dossierId ? [{ id: r.id, dossierId: r.dossierId, outboxId: r.outboxId, eventId: r.eventId }] : []));
}

/** Sends a delivered (or given-up) delivery again, now: reconciliation found the portal holds something else. */
export async function resend(db: Db, deliveryId: number, now: string): Promise<boolean> {
  const r = await db.update(webhookDeliveries).set({ status: 'pending', nextAttemptAt: now, createdAt: now, claimedBy: null, lastError: null })
    .where(and(eq(webhookDeliveries.id, deliveryId), inArray(webhookDeliveries.status, ['delivered', 'failed']))).returning({ id: webhookDeliveries.id });
  return r.length > 0;
}

export interface UnitSync {
  unit: string;
  dossiers: number;
  synced: number;
  /** Seconds from commit to acknowledgement over the period: average and the worst. */
  lagAvgS: number | null;
  lagMaxS: number | null;
  pending: number;
  failed: number;
}

/**
 * Per competent unit, for dossiers received since `since`: how many there are, how many the
 * portal holds in their latest state (their latest delivery acknowledged), and the sync lag.
 */
export async function syncFigures(db: Db, subscriptionId: string, since: string): Promise<UnitSync[]> {
  const res = await db.execute(sql`
    with latest as (
      select distinct on (d.dossier_id) d.dossier_id, d.status from webhook_deliveries d
      where d.subscription_id = ${subscriptionId} and d.dossier_id is not null order by d.dossier_id, d.outbox_id desc
    ), lag as (
      select d.dossier_id, extract(epoch from (d.delivered_at - o.created_at)) as s from webhook_deliveries d
      join outbox o on o.id = d.outbox_id
      where d.subscription_id = ${subscriptionId} and d.status = 'delivered' and o.created_at >= ${since}
    )
    select x.competent_unit as unit, count(*)::int as dossiers,
      count(*) filter (where l.status = 'delivered')::int as synced,
      count(*) filter (where l.status = 'pending')::int as pending,
      count(*) filter (where l.status = 'failed')::int as failed,
      (select avg(g.s) from lag g join dossiers y on y.id = g.dossier_id where y.competent_unit = x.competent_unit) as lag_avg,
      (select max(g.s) from lag g join dossiers y on y.id = g.dossier_id where y.competent_unit = x.competent_unit) as lag_max
    from dossiers x left join latest l on l.dossier_id = x.id
    where x.submitted_at >= ${since}
    group by x.competent_unit order by x.competent_unit`);
  return (res as unknown as { rows: Record<string, unknown>[] }).rows.map((r) => ({
    unit: String(r['unit']), dossiers: Number(r['dossiers']), synced: Number(r['synced']), pending: Number(r['pending']), failed: Number(r['failed']),
    lagAvgS: r['lag_avg'] === null ? null : Math.round(Number(r['lag_avg']) * 10) / 10,
    lagMaxS: r['lag_max'] === null ? null : Math.round(Number(r['lag_max']) * 10) / 10,
  }));
}

// ---- inbound

export async function inboundByPortalId(db: Db | Tx, portalId: string): Promise<InboundRow | null> {
  const [r] = await (db as Db).select().from(portalInbound).where(eq(portalInbound.portalId, portalId));
  return r ?? null;
}

export async function insertInbound(tx: Tx, row: typeof portalInbound.$inferInsert): Promise<void> {
  await tx.insert(portalInbound).values(row);
}

export async function listInbound(db: Db, limit: number) {
  const rows = await db.select({ portalId: portalInbound.portalId, dossierId: portalInbound.dossierId, procedureCode: portalInbound.procedureCode,
    unit: portalInbound.unit, receivedAt: portalInbound.receivedAt, status: dossiers.status })
    .from(portalInbound).leftJoin(dossiers, eq(dossiers.id, portalInbound.dossierId)).orderBy(desc(portalInbound.receivedAt)).limit(limit);
  return rows.map((r) => ({ ...r, receivedAt: iso(r.receivedAt)! }));
}

export interface Refusal {
  subscriptionId: string;
  portalId: string;
  unit: string | null;
  procedureCode: string | null;
  status: number;
  error: { code: string; message: { vi: string; en: string }; issues: { path: string; message: { vi: string; en: string } }[] };
  payload: unknown;
}

/** Logs a pulled dossier refused; the same one refused again counts once more, with its latest error. */
export async function recordRefusal(db: Db, r: Refusal, at: string): Promise<void> {
  await db.insert(portalInboundRefusals).values({ ...r, payload: r.payload ?? null, firstAt: at, lastAt: at })
    .onConflictDoUpdate({
      target: [portalInboundRefusals.subscriptionId, portalInboundRefusals.portalId],
      set: { status: r.status, error: r.error, payload: r.payload ?? null, unit: r.unit, procedureCode: r.procedureCode, lastAt: at,
        attempts: sql`${portalInboundRefusals.attempts} + 1` },
    });
}

/** Refused pulls, the latest first (a dossier received since stays listed: the log says what happened). */
export async function listRefusals(db: Db, limit: number) {
  const rows = await db.select({ connection: portalInboundRefusals.subscriptionId, portalId: portalInboundRefusals.portalId, unit: portalInboundRefusals.unit,
    procedureCode: portalInboundRefusals.procedureCode, status: portalInboundRefusals.status, error: portalInboundRefusals.error,
    attempts: portalInboundRefusals.attempts, firstAt: portalInboundRefusals.firstAt, lastAt: portalInboundRefusals.lastAt })
    .from(portalInboundRefusals).orderBy(desc(portalInboundRefusals.lastAt), desc(portalInboundRefusals.id)).limit(limit);
  return rows.map((r) => ({ ...r, error: r.error as Refusal['error'], firstAt: iso(r.firstAt)!, lastAt: iso(r.lastAt)! }));
}

export async function eventIdsOf(db: Db, outboxIds: number[]): Promise<Map<number, string>> {
  if (outboxIds.length === 0) return new Map();
  const rows = await db.select({ id: outbox.id, eventId: outbox.eventId }).from(outbox).where(inArray(outbox.id, outboxIds));
  return new Map(rows.map((r) => [r.id, r.eventId]));
}

/** The connection's portal password (its subscription's secret), decrypted. */
export async function subscriptionSecret(deps: { db: Db; config: { secretsKey: Buffer | null } }, id: string): Promise<string> {
  const [row] = await deps.db.select({ secret: webhookSubscriptions.secret }).from(webhookSubscriptions).where(eq(webhookSubscriptions.id, id));
  if (!row) throw new Error(`No subscription ${id}`);
  return decryptSecret(deps.config.secretsKey, id, row.secret);
}
