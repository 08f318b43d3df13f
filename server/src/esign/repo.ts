/** SQL of electronic signatures: signing keys and certificates, the register of issued documents, result drafts. */
import { and, asc, desc, eq, inArray, isNotNull, like, or, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { dossiers, grants, issuedDocuments, resultDrafts, signingKeys, units, users } from '../db/schema';

export type KeyRow = typeof signingKeys.$inferSelect;
export type NewKeyRow = typeof signingKeys.$inferInsert;
export type IssuedRow = typeof issuedDocuments.$inferSelect;
export type NewIssuedRow = typeof issuedDocuments.$inferInsert;
export type DraftRow = typeof resultDrafts.$inferSelect;

type Q = Db | Tx;

export async function insertKey(db: Q, row: NewKeyRow): Promise<void> {
  await db.insert(signingKeys).values(row);
}

/** The newest certificate of a holder (the one a signature uses), or undefined. */
export async function latestKey(db: Q, holderKind: string, holder: string): Promise<KeyRow | undefined> {
  const [row] = await db.select().from(signingKeys)
    .where(and(eq(signingKeys.holderKind, holderKind), eq(signingKeys.holder, holder)))
    .orderBy(desc(signingKeys.createdAt), desc(signingKeys.notAfter)).limit(1);
  return row;
}

export async function allKeys(db: Q): Promise<KeyRow[]> {
  return db.select().from(signingKeys).orderBy(asc(signingKeys.holderKind), asc(signingKeys.holder), asc(signingKeys.createdAt));
}

export async function keyBySerial(db: Q, serial: string): Promise<KeyRow | undefined> {
  const [row] = await db.select().from(signingKeys).where(eq(signingKeys.serial, serial.toLowerCase()));
  return row;
}

export async function revokedKeys(db: Q): Promise<{ serial: string; revokedAt: string }[]> {
  const rows = await db.select({ serial: signingKeys.serial, revokedAt: signingKeys.revokedAt }).from(signingKeys)
    .where(isNotNull(signingKeys.revokedAt)).orderBy(asc(signingKeys.serial));
  return rows.map((r) => ({ serial: r.serial, revokedAt: r.revokedAt as string }));
}

export async function revokeKey(db: Q, serial: string, at: string): Promise<boolean> {
  const r = await db.update(signingKeys).set({ revokedAt: at })
    .where(and(eq(signingKeys.serial, serial.toLowerCase()), sql`${signingKeys.revokedAt} is null`)).returning({ serial: signingKeys.serial });
  return r.length > 0;
}

/** Units and their leaders, for the demo's certificates. */
export async function unitsAndLeaders(db: Q): Promise<{ units: { code: string; name: string }[]; leaders: { id: string; name: string; unit: string }[] }> {
  const us = await db.select({ code: units.code, name: units.name }).from(units).orderBy(asc(units.code));
  const ls = await db.selectDistinct({ id: users.id, name: users.name, unit: grants.unit }).from(grants).innerJoin(users, eq(users.id, grants.userId))
    .where(eq(grants.role, 'leader')).orderBy(asc(users.id), asc(grants.unit));
  return { units: us, leaders: ls };
}

export async function insertIssued(db: Q, row: NewIssuedRow): Promise<void> {
  await db.insert(issuedDocuments).values(row);
}

export async function issuedById(db: Q, id: string): Promise<IssuedRow | undefined> {
  const [row] = await db.select().from(issuedDocuments).where(eq(issuedDocuments.id, id));
  return row;
}

export async function issuedBySha(db: Q, sha256: string): Promise<IssuedRow | undefined> {
  const [row] = await db.select().from(issuedDocuments).where(eq(issuedDocuments.sha256, sha256));
  return row;
}

export async function issuedOfDossier(db: Q, dossierId: string): Promise<IssuedRow[]> {
  return db.select().from(issuedDocuments).where(eq(issuedDocuments.dossierId, dossierId)).orderBy(asc(issuedDocuments.issuedAt));
}

/** Whether the register holds a result issued for the dossier (the digitisation counter asks it). */
export async function hasIssuedResult(db: Q, dossierId: string): Promise<boolean> {
  const [r] = await db.select({ id: issuedDocuments.id }).from(issuedDocuments)
    .where(and(eq(issuedDocuments.dossierId, dossierId), eq(issuedDocuments.kind, 'result'))).limit(1);
  return r !== undefined;
}

/** How many results a unit has issued with numbers ending "/<year>/KQ" (the next number is one more). */
export async function resultsIssuedInYear(db: Q, unit: string, year: number): Promise<number> {
  const [r] = await db.select({ n: sql<number>`count(*)::int` }).from(issuedDocuments)
    .where(and(eq(issuedDocuments.unit, unit), eq(issuedDocuments.kind, 'result'), like(issuedDocuments.number, `%/${year}/KQ`)));
  return Number(r?.n ?? 0);
}

export async function putDraft(db: Q, row: DraftRow): Promise<void> {
  await db.insert(resultDrafts).values(row).onConflictDoUpdate({ target: resultDrafts.dossierId, set: { pdf: row.pdf, sha256: row.sha256, uploadedBy: row.uploadedBy, uploadedAt: row.uploadedAt } });
}

export async function draftOf(db: Q, dossierId: string): Promise<DraftRow | undefined> {
  const [row] = await db.select().from(resultDrafts).where(eq(resultDrafts.dossierId, dossierId));
  return row;
}

export async function dropDraft(db: Q, dossierId: string): Promise<void> {
  await db.delete(resultDrafts).where(eq(resultDrafts.dossierId, dossierId));
}

/** Results issued electronically and dossiers approved, per competent unit (the digitisation counter). */
export async function electronicResultShare(db: Q): Promise<{ unit: string; approved: number; electronic: number }[]> {
  // Approved, or approved and signed but not yet handed over (outcome still open).
  const approved = await db.select({ unit: dossiers.competentUnit, n: sql<number>`count(*)::int` }).from(dossiers)
    .where(or(eq(dossiers.outcome, 'approved'), inArray(dossiers.id, db.select({ id: issuedDocuments.dossierId }).from(issuedDocuments))))
    .groupBy(dossiers.competentUnit);
  const issued = await db.select({ unit: issuedDocuments.unit, n: sql<number>`count(distinct ${issuedDocuments.dossierId})::int` }).from(issuedDocuments)
    .where(eq(issuedDocuments.kind, 'result')).groupBy(issuedDocuments.unit);
  const byUnit = new Map(issued.map((r) => [r.unit, Number(r.n)]));
  return approved.map((r) => ({ unit: r.unit, approved: Number(r.n), electronic: byUnit.get(r.unit) ?? 0 }));
}

/** The sealed copy of a slip issued by history event `eventSeq` (first sealed wins), if any. */
export async function sealedSlipOf(db: Q, dossierId: string, number: string, eventSeq: number): Promise<IssuedRow | undefined> {
  const [row] = await db.select().from(issuedDocuments)
    .where(and(eq(issuedDocuments.dossierId, dossierId), eq(issuedDocuments.kind, 'slip'), eq(issuedDocuments.number, number), eq(issuedDocuments.eventSeq, eventSeq)))
    .orderBy(asc(issuedDocuments.issuedAt)).limit(1);
  return row;
}
