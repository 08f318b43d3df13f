/**
 * SQL of the slips: issued slips (table `dossier_slips`, docs/records.md) and the head of a
 * unit who signs for it when no leader has acted on the dossier.
 */
import { and, asc, desc, eq, gte, lt } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { dossierSlips, dossiers, grants, users } from '../db/schema';

export type SlipRow = typeof dossierSlips.$inferSelect;
export type NewSlipRow = typeof dossierSlips.$inferInsert;

/** The active head (position `head`) of a unit's leaders, or null. */
export async function headOfUnit(db: Db | Tx, unit: string): Promise<string | null> {
  const [head] = await db.select({ id: users.id }).from(grants).innerJoin(users, eq(users.id, grants.userId))
    .where(and(eq(grants.role, 'leader'), eq(grants.unit, unit), eq(grants.position, 'head'), eq(users.active, true)))
    .orderBy(users.id).limit(1);
  return head?.id ?? null;
}

/** The slip of `kind` issued by history event `seq` of a dossier, or undefined. */
export async function storedSlip(db: Db | Tx, dossierId: string, kind: string, seq: number): Promise<SlipRow | undefined> {
  const [found] = await db.select().from(dossierSlips)
    .where(and(eq(dossierSlips.dossierId, dossierId), eq(dossierSlips.kind, kind), eq(dossierSlips.eventSeq, seq)));
  return found;
}

/** The latest slip of `kind` of a dossier issued before event `seq`, or undefined. */
export async function slipBefore(db: Db | Tx, dossierId: string, kind: string, seq: number): Promise<SlipRow | undefined> {
  const [found] = await db.select().from(dossierSlips)
    .where(and(eq(dossierSlips.dossierId, dossierId), eq(dossierSlips.kind, kind), lt(dossierSlips.eventSeq, seq)))
    .orderBy(desc(dossierSlips.eventSeq)).limit(1);
  return found;
}

/** Stores issued slips; a row already there (two first downloads of a legacy slip at once) is kept as it is. */
export async function insertSlips(db: Db | Tx, rows: NewSlipRow[]): Promise<void> {
  if (rows.length) await db.insert(dossierSlips).values(rows).onConflictDoNothing();
}

/** The latest slip of `kind` of a dossier, or the one issued by event `seq` when given; undefined if none. */
export async function latestSlip(db: Db | Tx, dossierId: string, kind: string, seq?: number): Promise<SlipRow | undefined> {
  if (seq !== undefined) return storedSlip(db, dossierId, kind, seq);
  const [found] = await db.select().from(dossierSlips)
    .where(and(eq(dossierSlips.dossierId, dossierId), eq(dossierSlips.kind, kind)))
    .orderBy(desc(dossierSlips.eventSeq)).limit(1);
  return found;
}

/** Dossiers handed in at a desk (receiving unit) in [from, to) (ISO instants), accepted or not, oldest first. */
export async function receivedAtDesk(db: Db | Tx, unit: string, from: string, to: string, limit: number) {
  return db.select().from(dossiers)
    .where(and(eq(dossiers.receivingUnit, unit), gte(dossiers.submittedAt, from), lt(dossiers.submittedAt, to)))
    .orderBy(asc(dossiers.submittedAt), asc(dossiers.id)).limit(limit);
}
