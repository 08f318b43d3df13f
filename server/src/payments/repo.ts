/** SQL of the payments module: payment requests, provider notices, the fees the engine asked for, the reconciliation. */
import { and, desc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { outbox, paymentNotices, payments } from '../db/schema';

export type PaymentRow = typeof payments.$inferSelect;
export type PaymentStatus = 'pending' | 'paid' | 'failed' | 'cancelled' | 'refunded';

/** The fees of the last payment request the engine made for a dossier (its `requestPayment` effect), or null. */
export async function lastFeeRequest(db: Db | Tx, dossierId: string): Promise<{ id: string; amount: number }[] | null> {
  const [row] = await db.select({ payload: outbox.payload }).from(outbox)
    .where(and(eq(outbox.dossierId, dossierId), eq(outbox.topic, 'dossier.requestPayment'))).orderBy(desc(outbox.id)).limit(1);
  if (!row) return null;
  const fees = (row.payload as { effect?: { fees?: { id: string; amount: number }[] } }).effect?.fees;
  return Array.isArray(fees) ? fees : [];
}

export async function insertPayment(tx: Tx, row: typeof payments.$inferInsert): Promise<PaymentRow> {
  const [out] = await tx.insert(payments).values(row).returning();
  return out!;
}

export async function paymentById(db: Db | Tx, id: string, lock = false): Promise<PaymentRow | null> {
  const q = db.select().from(payments).where(eq(payments.id, id));
  const [row] = lock ? await q.for('update') : await q;
  return row ?? null;
}

export async function paymentsOf(db: Db | Tx, dossierId: string): Promise<PaymentRow[]> {
  return db.select().from(payments).where(eq(payments.dossierId, dossierId)).orderBy(payments.createdAt);
}

/** Pending requests of a dossier become cancelled (a new request replaces them). */
export async function cancelPending(tx: Tx, dossierId: string, at: string): Promise<void> {
  await tx.update(payments).set({ status: 'cancelled', settledAt: at }).where(and(eq(payments.dossierId, dossierId), eq(payments.status, 'pending')));
}

/** Serialises the payment work of one dossier (request, notice, refund) inside a transaction. */
export async function lockDossierPayments(tx: Tx, dossierId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`payments:${dossierId}`}))`);
}

export async function settle(tx: Tx, id: string, set: Partial<typeof payments.$inferInsert>): Promise<PaymentRow> {
  const [row] = await tx.update(payments).set(set).where(eq(payments.id, id)).returning();
  return row!;
}

export async function recordNotice(db: Db | Tx, n: typeof paymentNotices.$inferInsert): Promise<void> {
  await db.insert(paymentNotices).values(n);
}

export async function noticesOf(db: Db, paymentId: string) {
  return db.select().from(paymentNotices).where(eq(paymentNotices.paymentId, paymentId)).orderBy(paymentNotices.id);
}

/** An outbox row written with the payment's change (same transaction): webhooks and notifications hear of it. */
export async function writeOutbox(tx: Tx, eventId: string, topic: string, dossierId: string, payload: unknown): Promise<void> {
  await tx.insert(outbox).values({ eventId, topic, dossierId, payload }).onConflictDoNothing();
}

export interface ReconciliationRow { day: string; unit: string; status: string; method: string; count: number; amount: number }

/**
 * Payments created in [from, to) at the given units, by day (Vietnam time), unit, status and
 * method (online, or cash recorded at the desk: created when recorded).
 * A refund is counted on the day of the payment it returns (its own day is on the row).
 */
export async function reconciliation(db: Db, from: string, to: string, units: string[]): Promise<ReconciliationRow[]> {
  if (units.length === 0) return [];
  const day = sql<string>`to_char((${payments.createdAt} at time zone 'UTC') + interval '7 hours', 'YYYY-MM-DD')`;
  const rows = await db.select({
    day, unit: payments.unit, status: payments.status, method: payments.method,
    count: sql<number>`count(*)::int`, amount: sql<number>`coalesce(sum(${payments.amount}), 0)::int`,
  }).from(payments)
    .where(and(gte(payments.createdAt, from), lt(payments.createdAt, to), inArray(payments.unit, units)))
    .groupBy(day, payments.unit, payments.status, payments.method).orderBy(day, payments.unit, payments.status, payments.method);
  return rows.map((r) => ({ ...r, count: Number(r.count), amount: Number(r.amount) }));
}

/** The payments themselves behind a reconciliation (for the detail table and the export). */
export async function paymentsBetween(db: Db, from: string, to: string, units: string[]): Promise<PaymentRow[]> {
  if (units.length === 0) return [];
  return db.select().from(payments)
    .where(and(gte(payments.createdAt, from), lt(payments.createdAt, to), inArray(payments.unit, units))).orderBy(payments.createdAt).limit(5000);
}
