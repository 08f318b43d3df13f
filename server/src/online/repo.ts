/** Statements of online submission: drafts and their papers, submissions by citizen, documents of a new dossier. */
import { and, asc, desc, eq, getTableColumns, inArray, lt, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { rawOf, selectList } from '../db/raw';
import { documents, dossiers, onlineDraftFiles, onlineDrafts, onlineSubmissions } from '../db/schema';

export type DraftRow = typeof onlineDrafts.$inferSelect;
export type DraftFileRow = typeof onlineDraftFiles.$inferSelect;
export type DossierListRow = typeof dossiers.$inferSelect;

// A draft's and its papers' columns as Drizzle reads them: the statements a submission runs are prepared, not built.
const DRAFT_COLUMNS = selectList(getTableColumns(onlineDrafts));
const FILE_COLUMNS = selectList(getTableColumns(onlineDraftFiles));
const DOCUMENT_COLUMNS = selectList(getTableColumns(documents));

/**
 * A draft's writes commit without waiting for the WAL flush (synchronous_commit off for the
 * statement alone): a draft is the citizen's unsent work, not a record — a crash loses at most
 * the last moment's edits or papers (the papers' bytes are flushed; a row lost with them leaves
 * a blob the orphan sweep removes). The submission itself commits with the flush.
 */
const NO_FLUSH_WAIT = `quick as (select set_config('synchronous_commit', 'off', true))`;

/**
 * A new draft, when its citizen holds fewer than `max` live ones (not expired at `updatedAt`);
 * null when they hold `max` (nothing written). One statement, a function (migration 0026):
 * it locks the citizen, then counts and inserts in statements of their own, each with a
 * snapshot taken after the lock. A single plain statement would count with the snapshot it
 * began with, so two concurrent creates at `max - 1` would both see room and make `max + 1`;
 * the same lock and count as a transaction of their own took four round trips.
 */
export async function insertDraftWithin(db: Db, row: Omit<DraftRow, 'createdAt' | 'fileCount'>, max: number): Promise<DraftRow | null> {
  const [out] = await rawOf(db).query<DraftRow>({
    name: 'motcua_online_draft_insert_within',
    text: `select ${DRAFT_COLUMNS} from motcua_insert_draft($1, $2, $3, $4::jsonb, $5, $6::timestamptz, $7::timestamptz, $8::integer)`,
    values: [row.id, row.personalId, row.procedureId, JSON.stringify(row.data), row.receivingUnit, row.updatedAt, row.expiresAt, max],
  });
  return out ?? null;
}

/** A citizen's draft (expired or not: the caller decides). */
export async function draftOf(db: Db, id: string, personalId: string): Promise<DraftRow | null> {
  const [row] = await rawOf(db).query<DraftRow>({
    name: 'motcua_online_draft', text: `select ${DRAFT_COLUMNS} from online_drafts where id = $1 and personal_id = $2`, values: [id, personalId],
  });
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

/**
 * Adds a paper to a citizen's live draft that holds fewer than `max`, and moves the draft's
 * expiry on, in one statement; null when the draft is gone, expired, not theirs or full
 * (nothing written).
 */
export async function insertDraftFileWithin(db: Db, row: DraftFileRow, personalId: string, max: number, expiresAt: string): Promise<DraftFileRow | null> {
  const [out] = await rawOf(db).query<DraftFileRow>({
    name: 'motcua_online_draft_file_insert',
    text: `with ${NO_FLUSH_WAIT}, d as (
        update online_drafts set updated_at = $9::timestamptz, expires_at = $10::timestamptz, file_count = file_count + 1
        where id = $2 and personal_id = $12 and expires_at > $9::timestamptz and exists (select from quick)
          -- read on the row as locked: an upload that waited for another's sees its count
          and file_count < $11
        returning id
      )
      insert into online_draft_files (id, draft_id, paper, name, mime, size, sha256, storage_key, created_at)
      select $1, d.id, $3, $4, $5, $6, $7, $8, $9::timestamptz from d
      returning id, draft_id as "draftId", paper, name, mime, size, sha256, storage_key as "storageKey", created_at::text as "createdAt"`,
    values: [row.id, row.draftId, row.paper, row.name, row.mime, row.size, row.sha256, row.storageKey, row.createdAt, expiresAt, max, personalId],
  });
  return out ?? null;
}

/** Removes one paper of a draft; its storage key, or null when there was none. */
export async function deleteDraftFile(db: Db, draftId: string, fileId: string): Promise<string | null> {
  const [row] = await rawOf(db).query<{ key: string }>({
    name: 'motcua_online_draft_file_delete',
    text: `with f as (delete from online_draft_files where id = $1 and draft_id = $2 returning storage_key),
      d as (update online_drafts set file_count = file_count - 1 where id = $2 and exists (select from f))
      select storage_key as key from f`,
    values: [fileId, draftId],
  });
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

/** A paper of a new online dossier: a blob already stored (a draft's upload, or one the portal's path staged). */
export interface OnlinePaperRow { id: string; name: string; mime: string; size: number; sha256: string; storageKey: string }

/**
 * What an online submission writes beside the dossier, in one statement: its papers become
 * the dossier's documents (the same blobs), the submission is recorded under the source's
 * own id and the person, and the citizen's draft (with its papers' rows) is gone.
 */
export async function recordOnlineDossier(tx: Tx, o: {
  dossierId: string; papers: OnlinePaperRow[]; uploadedBy: string; at: string;
  source: string; externalId: string; personalId: string; draftId: string | null;
  /** The idempotent request's answer, stored by this statement (a key stored meanwhile fails it: a unique violation). */
  answer?: { userId: string; key: string; requestHash: string; status: number; body: unknown } | undefined;
}): Promise<{ draftRemoved: boolean }> {
  const col = <K extends keyof OnlinePaperRow>(k: K) => o.papers.map((p) => p[k]);
  const a = o.answer;
  const [row] = await rawOf(tx as unknown as Db).query<{ removed: number }>({
    name: a ? 'motcua_online_record_answer' : 'motcua_online_record',
    text: `with ${a ? `answer as (
        insert into idempotency_keys (user_id, key, request_hash, status, body) values ($14, $15, $16, $17, $18::jsonb)
      ), ` : ''}docs as (
        insert into documents (id, dossier_id, name, mime, size, sha256, storage_key, uploaded_by, created_at)
        select p.id, $1, p.name, p.mime, p.size, p.sha256, p.storage_key, $2, $3::timestamptz
        from unnest($4::text[], $5::text[], $6::text[], $7::int[], $8::text[], $9::text[]) as p (id, name, mime, size, sha256, storage_key)
      ), submission as (
        insert into online_submissions (source, external_id, personal_id, dossier_id, request_hash) values ($10, $11, $12, $1, '')
      ), draft as (
        delete from online_drafts where id = $13 returning id
      )
      select (select count(*) from draft)::int as removed`,
    values: [o.dossierId, o.uploadedBy, o.at, col('id'), col('name'), col('mime'), col('size'), col('sha256'), col('storageKey'),
      o.source, o.externalId, o.personalId, o.draftId, ...(a ? [a.userId, a.key, a.requestHash, a.status, JSON.stringify(a.body)] : [])],
  });
  return { draftRemoved: (row?.removed ?? 0) > 0 };
}

/** A citizen's draft (expired or not: the caller decides) with its papers, oldest first: one statement. */
export async function draftWithFiles(db: Db, id: string, personalId: string): Promise<{ draft: DraftRow; files: DraftFileRow[] } | null> {
  const [row] = await rawOf(db).query<DraftRow & { files: DraftFileRow[] }>({
    name: 'motcua_online_draft_with_files',
    text: `select d.*, coalesce((select json_agg(f) from (select ${FILE_COLUMNS} from online_draft_files
          where draft_id = d.id order by created_at, id) f), '[]'::json) as files
      from (select ${DRAFT_COLUMNS} from online_drafts where id = $1 and personal_id = $2) d`,
    values: [id, personalId],
  });
  if (!row) return null;
  const { files, ...draft } = row;
  return { draft, files };
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

export type DocumentRow = typeof documents.$inferSelect;

/**
 * A paper the citizen uploads to their dossier, when the dossier still waits for them and
 * holds fewer than `max` documents they uploaded; null otherwise (nothing written). The count
 * and the insert run under a lock on the dossier's uploads, in one transaction: one statement
 * would count with the snapshot it began with, so uploads racing at `max - 1` would all fit.
 */
export function insertCitizenDocumentWithin(db: Db, row: Pick<typeof documents.$inferInsert, 'id' | 'dossierId' | 'name' | 'mime' | 'size' | 'sha256' | 'storageKey' | 'uploadedBy'> & { createdAt: string }, max: number): Promise<DocumentRow | null> {
  return db.transaction(async (tx) => {
    const raw = rawOf(tx as unknown as Db);
    await raw.query({
      name: 'motcua_online_citizen_docs_lock', text: `select pg_advisory_xact_lock(hashtext('citizen-documents:' || $1::text))`, values: [row.dossierId],
    });
    // This statement's snapshot is taken after the lock: it sees every upload committed before.
    const [inserted] = await raw.query<DocumentRow>({
      name: 'motcua_online_citizen_doc_insert_within',
      text: `insert into documents (id, dossier_id, name, mime, size, sha256, storage_key, uploaded_by, created_at)
        select $1, $2, $3, $4, $5, $6, $7, $8, $9::timestamptz
        where exists (select from dossiers where id = $2 and status = 'waiting-citizen' and closed_at is null)
          and (select count(*) from documents where dossier_id = $2 and uploaded_by = $8) < $10
        returning ${DOCUMENT_COLUMNS}`,
      values: [row.id, row.dossierId, row.name, row.mime, row.size, row.sha256, row.storageKey, row.uploadedBy, row.createdAt, max],
    });
    return inserted ?? null;
  });
}
