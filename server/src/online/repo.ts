/** Statements of online submission: drafts and their papers, submissions by citizen, documents of a new dossier. */
import { and, asc, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { rawOf } from '../db/raw';
import { documents, dossiers, onlineDraftFiles, onlineDrafts, onlineSubmissions } from '../db/schema';

export type DraftRow = typeof onlineDrafts.$inferSelect;
export type DraftFileRow = typeof onlineDraftFiles.$inferSelect;
export type DossierListRow = typeof dossiers.$inferSelect;

export async function insertDraft(db: Db, row: typeof onlineDrafts.$inferInsert): Promise<DraftRow> {
  const [out] = await db.insert(onlineDrafts).values(row).returning();
  return out!;
}

/** A citizen's draft (expired or not: the caller decides). */
export async function draftOf(db: Db | Tx, id: string, personalId: string): Promise<DraftRow | null> {
  const [row] = await db.select().from(onlineDrafts).where(and(eq(onlineDrafts.id, id), eq(onlineDrafts.personalId, personalId)));
  return row ?? null;
}

export function draftsOf(db: Db, personalId: string, now: string): Promise<DraftRow[]> {
  return db.select().from(onlineDrafts)
    .where(and(eq(onlineDrafts.personalId, personalId), sql`${onlineDrafts.expiresAt} > ${now}`))
    .orderBy(desc(onlineDrafts.updatedAt));
}

export async function updateDraft(db: Db, id: string, set: Partial<Pick<DraftRow, 'data' | 'receivingUnit' | 'updatedAt' | 'expiresAt'>>): Promise<DraftRow> {
  const [row] = await db.update(onlineDrafts).set(set).where(eq(onlineDrafts.id, id)).returning();
  return row!;
}

export async function deleteDraft(db: Db | Tx, id: string): Promise<void> {
  await db.delete(onlineDrafts).where(eq(onlineDrafts.id, id));
}

export function filesOf(db: Db | Tx, draftId: string): Promise<DraftFileRow[]> {
  return db.select().from(onlineDraftFiles).where(eq(onlineDraftFiles.draftId, draftId)).orderBy(asc(onlineDraftFiles.createdAt), asc(onlineDraftFiles.id));
}

export async function countFiles(db: Db | Tx, draftId: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(onlineDraftFiles).where(eq(onlineDraftFiles.draftId, draftId));
  return row?.n ?? 0;
}

export async function insertDraftFile(db: Db | Tx, row: DraftFileRow): Promise<DraftFileRow> {
  const [out] = await db.insert(onlineDraftFiles).values(row).returning();
  return out!;
}

/**
 * Adds a paper to a draft that holds fewer than `max`, and moves the draft's expiry on, in one
 * statement; null when the draft is gone or full (nothing written).
 */
export async function insertDraftFileWithin(db: Db, row: DraftFileRow, max: number, expiresAt: string): Promise<DraftFileRow | null> {
  const [out] = await rawOf(db).query<DraftFileRow>({
    name: 'motcua_online_draft_file_insert',
    text: `with d as (
        update online_drafts set updated_at = $9::timestamptz, expires_at = $10::timestamptz
        where id = $2 and (select count(*) from online_draft_files where draft_id = $2) < $11
        returning id
      )
      insert into online_draft_files (id, draft_id, paper, name, mime, size, sha256, storage_key, created_at)
      select $1, d.id, $3, $4, $5, $6, $7, $8, $9::timestamptz from d
      returning id, draft_id as "draftId", paper, name, mime, size, sha256, storage_key as "storageKey", created_at::text as "createdAt"`,
    values: [row.id, row.draftId, row.paper, row.name, row.mime, row.size, row.sha256, row.storageKey, row.createdAt, expiresAt, max],
  });
  return out ?? null;
}

/** Removes one paper of a draft; its storage key, or null when there was none. */
export async function deleteDraftFile(db: Db, draftId: string, fileId: string): Promise<string | null> {
  const [row] = await db.delete(onlineDraftFiles).where(and(eq(onlineDraftFiles.id, fileId), eq(onlineDraftFiles.draftId, draftId))).returning({ key: onlineDraftFiles.storageKey });
  return row?.key ?? null;
}

/** Expired drafts, a batch at a time, with their papers' storage keys; removed in the same statement. */
export async function takeExpiredDrafts(tx: Tx, now: string, limit: number): Promise<{ id: string; keys: string[] }[]> {
  const ids = (await tx.select({ id: onlineDrafts.id }).from(onlineDrafts).where(lt(onlineDrafts.expiresAt, now)).limit(limit)).map((r) => r.id);
  if (ids.length === 0) return [];
  const files = await tx.select({ draftId: onlineDraftFiles.draftId, key: onlineDraftFiles.storageKey }).from(onlineDraftFiles).where(inArray(onlineDraftFiles.draftId, ids));
  await tx.delete(onlineDrafts).where(inArray(onlineDrafts.id, ids));
  return ids.map((id) => ({ id, keys: files.filter((f) => f.draftId === id).map((f) => f.key) }));
}

/** The draft's papers become the dossier's documents: the same blobs, now under the dossier. */
export async function insertDocuments(tx: Tx, rows: (typeof documents.$inferInsert)[]): Promise<void> {
  if (rows.length) await tx.insert(documents).values(rows);
}

export async function recordSubmission(tx: Tx, row: typeof onlineSubmissions.$inferInsert): Promise<void> {
  await tx.insert(onlineSubmissions).values(row);
}

/** The dossiers submitted online under a personal ID number (by the citizen, or by the national portal for them), newest first. */
export async function dossiersOf(db: Db, personalId: string, limit: number): Promise<DossierListRow[]> {
  const rows = await db.select({ d: dossiers }).from(onlineSubmissions).innerJoin(dossiers, eq(dossiers.id, onlineSubmissions.dossierId))
    .where(eq(onlineSubmissions.personalId, personalId)).orderBy(desc(onlineSubmissions.createdAt)).limit(limit);
  return rows.map((r) => r.d);
}

/** Whether a dossier was submitted online under this personal ID number. */
export async function isSubmittedBy(db: Db, dossierId: string, personalId: string): Promise<boolean> {
  const [row] = await db.select({ id: onlineSubmissions.dossierId }).from(onlineSubmissions)
    .where(and(eq(onlineSubmissions.dossierId, dossierId), eq(onlineSubmissions.personalId, personalId)));
  return !!row;
}

export async function documentsOf(db: Db, dossierId: string) {
  return db.select({ id: documents.id, name: documents.name, mime: documents.mime, size: documents.size, uploadedBy: documents.uploadedBy, createdAt: documents.createdAt })
    .from(documents).where(eq(documents.dossierId, dossierId)).orderBy(asc(documents.createdAt));
}

export async function documentOf(db: Db, dossierId: string, id: string) {
  const [row] = await db.select().from(documents).where(and(eq(documents.dossierId, dossierId), eq(documents.id, id)));
  return row ?? null;
}

export async function insertDocument(db: Db | Tx, row: typeof documents.$inferInsert) {
  const [out] = await db.insert(documents).values(row).returning();
  return out!;
}
