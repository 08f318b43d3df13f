/**
 * The SQL of typed documents, the citizen's data store and shared-data lookups
 * (docs/papers.md). Statements only: the rules are in ./service.ts and ./intake.ts.
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { documents, dossiers, issuedDocuments, sharedDataLookups, statsPapers } from '../db/schema';

export type DocumentRow = typeof documents.$inferSelect;
export type LookupRow = typeof sharedDataLookups.$inferSelect;

/** The columns of a dossier the visibility rule reads (dossiers/visibility.ts). */
const VISIBLE = {
  id: dossiers.id, procedureId: dossiers.procedureId, procedureVersion: dossiers.procedureVersion, competentUnit: dossiers.competentUnit,
  receivingUnit: dossiers.receivingUnit, returnUnit: dossiers.returnUnit, closedAt: dossiers.closedAt, snapshot: dossiers.snapshot,
  applicantId: dossiers.applicantId,
};
export interface StoreEntry {
  doc: DocumentRow;
  dossier: { id: string; procedureId: string; procedureVersion: number; competentUnit: string; receivingUnit: string; returnUnit: string; closedAt: string | null; snapshot: unknown; applicantId: string | null };
}

/** A document of a dossier, or undefined. */
export async function documentOf(db: Db | Tx, dossierId: string, docId: string): Promise<DocumentRow | undefined> {
  const [row] = await (db as Db).select().from(documents).where(and(eq(documents.id, docId), eq(documents.dossierId, dossierId)));
  return row;
}

/** Locks a dossier's row for the rest of the transaction (one digitisation count per dossier at a time). */
export async function lockDossier(tx: Tx, id: string): Promise<boolean> {
  const r = await tx.select({ id: dossiers.id }).from(dossiers).where(eq(dossiers.id, id)).for('update');
  return r.length > 0;
}

/** Types a submitted document once (digitised or result); undefined when it is typed already. */
export async function typeDocument(tx: Tx, dossierId: string, docId: string, set: {
  kind: 'digitised' | 'result'; paperId: string | null; holderId: string | null; meta: object; digitisedAt: string | null; digitisedBy: string | null;
}): Promise<DocumentRow | undefined> {
  const [row] = await tx.update(documents).set(set)
    .where(and(eq(documents.id, docId), eq(documents.dossierId, dossierId), eq(documents.kind, 'submitted'))).returning();
  return row;
}

/** How many digitised copies a dossier holds. */
export async function digitisedCount(tx: Tx, dossierId: string): Promise<number> {
  const [r] = await tx.select({ n: sql<number>`count(*)::int` }).from(documents).where(and(eq(documents.dossierId, dossierId), eq(documents.kind, 'digitised')));
  return Number(r?.n ?? 0);
}

/**
 * The store of a holder: their digitised papers and results (originals, not the copies a
 * later dossier reused), with the dossier each came from, newest first.
 */
export async function storeOf(db: Db | Tx, holderId: string): Promise<StoreEntry[]> {
  const rows = await (db as Db).select({ doc: documents, dossier: VISIBLE }).from(documents).innerJoin(dossiers, eq(dossiers.id, documents.dossierId))
    .where(and(eq(documents.holderId, holderId), inArray(documents.kind, ['digitised', 'result']), isNull(documents.reusedFrom)))
    .orderBy(sql`${documents.digitisedAt} desc nulls last`, sql`${documents.createdAt} desc`);
  return rows as StoreEntry[];
}

/** One entry of a holder's store (null when the document is not theirs, or not a store entry). */
export async function storeEntryOf(db: Db | Tx, holderId: string, documentId: string): Promise<StoreEntry | null> {
  const [row] = await (db as Db).select({ doc: documents, dossier: VISIBLE }).from(documents).innerJoin(dossiers, eq(dossiers.id, documents.dossierId))
    .where(and(eq(documents.id, documentId), eq(documents.holderId, holderId), inArray(documents.kind, ['digitised', 'result']), isNull(documents.reusedFrom)));
  return (row as StoreEntry | undefined) ?? null;
}

/** A result of the signing register (esign/), without its file: its size instead. */
export interface IssuedEntry {
  issued: { id: string; dossierId: string; number: string; title: string; unit: string; sha256: string; size: number; signers: unknown; issuedAt: string; holderId: string | null; paperType: string | null };
  dossier: StoreEntry['dossier'];
}

const ISSUED = {
  id: issuedDocuments.id, dossierId: issuedDocuments.dossierId, number: issuedDocuments.number, title: issuedDocuments.title, unit: issuedDocuments.unit,
  sha256: issuedDocuments.sha256, signers: issuedDocuments.signers, issuedAt: issuedDocuments.issuedAt, holderId: issuedDocuments.holderId,
  paperType: issuedDocuments.paperType,
  // The file's size from its base64 text, without reading the file.
  size: sql<number>`(length(${issuedDocuments.pdf}) / 4 * 3 - (case when ${issuedDocuments.pdf} like '%==' then 2 when ${issuedDocuments.pdf} like '%=' then 1 else 0 end))::int`,
};

/**
 * The signed results a holder holds in the register (esign/), newest first; `ids` narrows to
 * those (any holder when `holderId` is null: the caller checks).
 */
export async function issuedResultsOf(db: Db | Tx, holderId: string | null, ids?: string[]): Promise<IssuedEntry[]> {
  if (ids && ids.length === 0) return [];
  const rows = await (db as Db).select({ issued: ISSUED, dossier: VISIBLE }).from(issuedDocuments).innerJoin(dossiers, eq(dossiers.id, issuedDocuments.dossierId))
    .where(and(eq(issuedDocuments.kind, 'result'), holderId === null ? sql`true` : eq(issuedDocuments.holderId, holderId), ids ? inArray(issuedDocuments.id, ids) : sql`true`))
    .orderBy(sql`${issuedDocuments.issuedAt} desc`);
  return rows.map((r) => ({ ...r, issued: { ...r.issued, size: Number(r.issued.size) } })) as IssuedEntry[];
}

/** Store entries by document id (any holder: the caller checks). */
export async function storeEntries(tx: Tx, ids: string[]): Promise<StoreEntry[]> {
  if (ids.length === 0) return [];
  const rows = await tx.select({ doc: documents, dossier: VISIBLE }).from(documents).innerJoin(dossiers, eq(dossiers.id, documents.dossierId))
    .where(inArray(documents.id, ids));
  return rows as StoreEntry[];
}

/** Inserts documents rows (reused copies). */
export async function insertDocuments(tx: Tx, rows: (typeof documents.$inferInsert)[]): Promise<void> {
  if (rows.length) await tx.insert(documents).values(rows);
}

/** Records a lookup. */
export async function insertLookup(tx: Tx | Db, row: typeof sharedDataLookups.$inferInsert): Promise<LookupRow> {
  const [r] = await (tx as Db).insert(sharedDataLookups).values(row).returning();
  if (!r) throw new Error('lookup not written');
  return r;
}

/** Lookups by id, locked for the intake that uses them. */
export async function lookupsForUpdate(tx: Tx, ids: string[]): Promise<LookupRow[]> {
  if (ids.length === 0) return [];
  return tx.select().from(sharedDataLookups).where(inArray(sharedDataLookups.id, ids)).for('update');
}

/** Names the dossier that used these lookups. */
export async function attachLookups(tx: Tx, ids: string[], dossierId: string): Promise<void> {
  if (ids.length) await tx.update(sharedDataLookups).set({ dossierId }).where(and(inArray(sharedDataLookups.id, ids), isNull(sharedDataLookups.dossierId)));
}

export type PapersCounter = 'dossiersDigitised' | 'papersDigitised' | 'results' | 'resultsElectronic' | 'dossiersReusing' | 'papersReused' | 'lookups';

const COLUMNS: { readonly [k in PapersCounter]: string } = {
  dossiersDigitised: 'dossiers_digitised', papersDigitised: 'papers_digitised', results: 'results', resultsElectronic: 'results_electronic',
  dossiersReusing: 'dossiers_reusing', papersReused: 'papers_reused', lookups: 'lookups',
};

/** Whether the dossier has a document typed as its result. */
export async function hasResultDocument(db: Db | Tx, dossierId: string): Promise<boolean> {
  const [r] = await (db as Db).select({ id: documents.id }).from(documents).where(and(eq(documents.dossierId, dossierId), eq(documents.kind, 'result'))).limit(1);
  return r !== undefined;
}

/** Adds to a unit's digitisation counters of a local day (one upsert; read by stats/papers.ts). */
export async function bumpPapers(tx: Tx, unit: string, day: string, counts: Partial<{ [k in PapersCounter]: number }>): Promise<void> {
  const entries = Object.entries(counts).filter(([, v]) => v) as [PapersCounter, number][];
  if (entries.length === 0) return;
  const set = Object.fromEntries(entries.map(([k]) => [k, sql.raw(`"stats_papers"."${COLUMNS[k]}" + excluded."${COLUMNS[k]}"`)]));
  await tx.insert(statsPapers).values({ unit, day, ...Object.fromEntries(entries) })
    .onConflictDoUpdate({ target: [statsPapers.unit, statsPapers.day], set });
}

/** The signed file of an issued document (base64 in the register), or undefined. */
export async function issuedPdf(db: Db | Tx, id: string): Promise<{ pdf: string; sha256: string } | undefined> {
  const [row] = await (db as Db).select({ pdf: issuedDocuments.pdf, sha256: issuedDocuments.sha256 }).from(issuedDocuments).where(eq(issuedDocuments.id, id));
  return row;
}
