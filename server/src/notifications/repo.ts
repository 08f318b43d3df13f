/** SQL of the citizen notifications: templates, channel choices, the delivery log. */
import { and, asc, desc, eq, inArray, lte, or, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { dossiers, notificationDeliveries, notificationPreferences, notificationTemplates } from '../db/schema';

export type DeliveryRow = typeof notificationDeliveries.$inferSelect;

export async function storedTemplates(db: Db | Tx) {
  return db.select().from(notificationTemplates);
}

export async function saveTemplate(db: Db, row: typeof notificationTemplates.$inferInsert): Promise<void> {
  await db.insert(notificationTemplates).values(row).onConflictDoUpdate({
    target: notificationTemplates.event, set: { subject: row.subject, body: row.body, updatedAt: row.updatedAt, updatedBy: row.updatedBy },
  });
}

export async function deleteTemplate(db: Db, event: string): Promise<void> {
  await db.delete(notificationTemplates).where(eq(notificationTemplates.event, event));
}

export async function preferencesOf(db: Db | Tx, dossierId: string): Promise<string[] | null> {
  const [row] = await db.select().from(notificationPreferences).where(eq(notificationPreferences.dossierId, dossierId));
  return row?.channels ?? null;
}

export async function savePreferences(db: Db, dossierId: string, channels: string[], at: string): Promise<void> {
  await db.insert(notificationPreferences).values({ dossierId, channels, updatedAt: at })
    .onConflictDoUpdate({ target: notificationPreferences.dossierId, set: { channels, updatedAt: at } });
}

export async function insertDeliveries(tx: Tx, rows: (typeof notificationDeliveries.$inferInsert)[]): Promise<void> {
  if (rows.length) await tx.insert(notificationDeliveries).values(rows).onConflictDoNothing();
}

/** Claims due pending deliveries by pushing their next attempt to `lease` and counting the attempt. */
export async function claimDue(db: Db, now: string, lease: string, limit: number): Promise<DeliveryRow[]> {
  return db.transaction(async (tx) => {
    const due = await tx.select({ id: notificationDeliveries.id }).from(notificationDeliveries)
      .where(and(eq(notificationDeliveries.status, 'pending'), lte(notificationDeliveries.nextAttemptAt, now)))
      .orderBy(asc(notificationDeliveries.id)).limit(limit).for('update', { skipLocked: true });
    if (!due.length) return [];
    return tx.update(notificationDeliveries).set({ nextAttemptAt: lease, attempts: sql`${notificationDeliveries.attempts} + 1` })
      .where(inArray(notificationDeliveries.id, due.map((d) => d.id))).returning();
  });
}

export async function markDelivery(db: Db, id: number, set: Partial<typeof notificationDeliveries.$inferInsert>): Promise<void> {
  await db.update(notificationDeliveries).set(set).where(eq(notificationDeliveries.id, id));
}

/** The log of the dossiers received at or handled by `units` (a dossier of no unit listed is left out). */
export async function deliveryLog(db: Db, f: { dossierId?: string | undefined; status?: string | undefined; units: string[]; limit: number }): Promise<DeliveryRow[]> {
  if (f.units.length === 0) return [];
  const ofUnits = db.select({ id: dossiers.id }).from(dossiers).where(or(inArray(dossiers.receivingUnit, f.units), inArray(dossiers.competentUnit, f.units)));
  const where = and(
    inArray(notificationDeliveries.dossierId, ofUnits),
    f.dossierId ? eq(notificationDeliveries.dossierId, f.dossierId) : undefined, f.status ? eq(notificationDeliveries.status, f.status) : undefined,
  );
  return db.select().from(notificationDeliveries).where(where).orderBy(desc(notificationDeliveries.id)).limit(f.limit);
}
