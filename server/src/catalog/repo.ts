/**
 * The catalog's statements: the version store (procedures and their versions), the publish
 * gate's duplicate-code query and the catalog settings. service.ts is the front door.
 */
import { and, asc, desc, eq, gt, inArray, isNull, lt, lte, ne, or, sql } from 'drizzle-orm';
import type { ProcedureDefinition } from '@motcua/engine';
import type { Db, Tx } from '../db/client';
import { procedures, procedureVersions, settings, units } from '../db/schema';
import type { Deps } from '../deps';
import { rawOf, selectList } from '../db/raw';

export type { Db, Tx };
export type DbLike = Db | Tx;
/** Where to read from: the server's dependencies, its database, or an open transaction. */
export type Source = Deps | DbLike;
export type VersionStatus = 'draft' | 'published' | 'retired';
export type ProcedureRow = typeof procedures.$inferSelect;
export type VersionRow = typeof procedureVersions.$inferSelect;
export type VersionMeta = Omit<VersionRow, 'definition'>;

export const dbOf = (s: Source): DbLike => ('directory' in s ? s.db : s);

const metaColumns = {
  procedureId: procedureVersions.procedureId,
  version: procedureVersions.version,
  status: procedureVersions.status,
  effectiveFrom: procedureVersions.effectiveFrom,
  effectiveTo: procedureVersions.effectiveTo,
  publishedAt: procedureVersions.publishedAt,
  publishedBy: procedureVersions.publishedBy,
  updatedAt: procedureVersions.updatedAt,
  createdAt: procedureVersions.createdAt,
};

/** `metaColumns` as SQL text, for the prepared statements. */
const META_TEXT = selectList(metaColumns);

/** SQL condition: a non-draft version whose effective period contains `at`. */
export function inForceAt(at: Date) {
  const t = at.toISOString();
  return and(
    ne(procedureVersions.status, 'draft'),
    lte(procedureVersions.effectiveFrom, t),
    or(isNull(procedureVersions.effectiveTo), gt(procedureVersions.effectiveTo, t)),
  );
}

/**
 * The version of a procedure in force at `at`: published, effectiveFrom ≤ at < effectiveTo
 * (or no end). A version retired since then still answers for times before its retirement,
 * so a dossier received back then is matched to the version it was received under.
 */
export async function versionInForce(source: Source, procedureId: string, at: Date): Promise<VersionRow | null> {
  const [row] = await dbOf(source).select().from(procedureVersions)
    .where(and(eq(procedureVersions.procedureId, procedureId), inForceAt(at)))
    .orderBy(desc(procedureVersions.effectiveFrom), desc(procedureVersions.version))
    .limit(1);
  return row ?? null;
}

/**
 * The same version's metadata without its definition: for callers that only need its
 * number (the definition comes from the directory's cache). The definition is tens of
 * kilobytes of JSON that PostgreSQL would print and the server parse on every call.
 */
export async function versionMetaInForce(source: Source, procedureId: string, at: Date): Promise<VersionMeta | null> {
  // Prepared (every intake asks, in its transaction): the same condition as `inForceAt`.
  const [row] = await rawOf(dbOf(source) as Db).query<VersionMeta>({
    name: 'motcua_version_meta_in_force',
    text: `select ${META_TEXT} from procedure_versions
      where procedure_id = $1 and status <> 'draft' and effective_from <= $2::timestamptz and (effective_to is null or effective_to > $2::timestamptz)
      order by effective_from desc, version desc limit 1`,
    values: [procedureId, at.toISOString()],
  });
  return row ?? null;
}

/** Version metadata (no definitions) of every version in force at `at`, one per procedure. */
export async function versionsInForce(source: Source, at: Date): Promise<VersionMeta[]> {
  const rows = await dbOf(source).select(metaColumns).from(procedureVersions).where(inForceAt(at))
    .orderBy(asc(procedureVersions.procedureId), desc(procedureVersions.effectiveFrom), desc(procedureVersions.version));
  const seen = new Set<string>();
  return rows.filter((r) => (seen.has(r.procedureId) ? false : (seen.add(r.procedureId), true)));
}

export async function getProcedure(source: Source, id: string): Promise<ProcedureRow | null> {
  const [row] = await dbOf(source).select().from(procedures).where(eq(procedures.id, id));
  return row ?? null;
}

/** Locks the procedure row for the rest of the transaction; undefined when unknown. */
export async function lockProcedureRow(tx: Tx, id: string): Promise<ProcedureRow | undefined> {
  const [row] = await tx.select().from(procedures).where(eq(procedures.id, id)).for('update');
  return row;
}

export async function getVersion(source: Source, id: string, version: number): Promise<VersionRow | null> {
  const [row] = await dbOf(source).select().from(procedureVersions)
    .where(and(eq(procedureVersions.procedureId, id), eq(procedureVersions.version, version)));
  return row ?? null;
}

/** Every version's metadata, by procedure (all procedures, or the given ones), oldest first. */
export async function versionMetas(source: Source, ids?: string[]): Promise<Map<string, VersionMeta[]>> {
  const q = dbOf(source).select(metaColumns).from(procedureVersions);
  const rows = await (ids ? q.where(inArray(procedureVersions.procedureId, ids)) : q)
    .orderBy(asc(procedureVersions.procedureId), asc(procedureVersions.version));
  const out = new Map<string, VersionMeta[]>();
  for (const r of rows) out.set(r.procedureId, [...(out.get(r.procedureId) ?? []), r]);
  return out;
}

/** Ids of procedures with at least one published version (targets a hand-off may name). */
export async function publishedIds(source: Source): Promise<Set<string>> {
  const rows = await dbOf(source).selectDistinct({ id: procedureVersions.procedureId }).from(procedureVersions)
    .where(eq(procedureVersions.status, 'published'));
  return new Set(rows.map((r) => r.id));
}

/** Every procedure, by code. */
export function allProcedures(deps: Deps): Promise<ProcedureRow[]> {
  return deps.db.select().from(procedures).orderBy(asc(procedures.code), asc(procedures.id));
}

/** Every version of a procedure with its definition, oldest first. */
export function versionsOf(source: Source, id: string): Promise<VersionRow[]> {
  return dbOf(source).select().from(procedureVersions).where(eq(procedureVersions.procedureId, id)).orderBy(asc(procedureVersions.version));
}

/** Every version of every procedure with its definition, by procedure then version. */
export function allVersions(deps: Deps): Promise<VersionRow[]> {
  return deps.db.select().from(procedureVersions).orderBy(asc(procedureVersions.procedureId), asc(procedureVersions.version));
}

/** Adds a procedure row; false when one with that id exists (nothing written). */
export async function insertProcedureIfAbsent(tx: Tx, row: typeof procedures.$inferInsert): Promise<boolean> {
  const created = await tx.insert(procedures).values(row).onConflictDoNothing().returning({ id: procedures.id });
  return created.length > 0;
}

export async function insertVersion(tx: Tx, row: typeof procedureVersions.$inferInsert): Promise<VersionRow> {
  const [inserted] = await tx.insert(procedureVersions).values(row).returning();
  return inserted!;
}

/** Changes one version; undefined when it does not exist. */
export async function updateVersion(tx: Tx, id: string, version: number, changes: Partial<typeof procedureVersions.$inferInsert>): Promise<VersionRow | undefined> {
  const [row] = await tx.update(procedureVersions).set(changes)
    .where(and(eq(procedureVersions.procedureId, id), eq(procedureVersions.version, version))).returning();
  return row;
}

/** Whether a procedure has a version other than a draft. */
export async function hasNonDraft(tx: Tx, id: string): Promise<boolean> {
  const [other] = await tx.select({ v: procedureVersions.version }).from(procedureVersions)
    .where(and(eq(procedureVersions.procedureId, id), ne(procedureVersions.status, 'draft'))).limit(1);
  return other !== undefined;
}

/** The latest published version before `version`. */
export async function publishedBefore(tx: Tx, id: string, version: number): Promise<VersionRow | undefined> {
  const [previous] = await tx.select().from(procedureVersions)
    .where(and(eq(procedureVersions.procedureId, id), eq(procedureVersions.status, 'published'), lt(procedureVersions.version, version)))
    .orderBy(desc(procedureVersions.version)).limit(1);
  return previous;
}

/** Gives back `effectiveTo` to the published version that ended at `endedAt`. */
export async function reopenPublished(tx: Tx, id: string, endedAt: string, effectiveTo: string | null, now: string): Promise<void> {
  await tx.update(procedureVersions).set({ effectiveTo, updatedAt: now }).where(and(
    eq(procedureVersions.procedureId, id), eq(procedureVersions.status, 'published'), eq(procedureVersions.effectiveTo, endedAt),
  ));
}

/** The definition the procedure row shows: the latest published version, else the latest. */
export async function headDefinition(tx: Tx, id: string): Promise<ProcedureDefinition | undefined> {
  const [head] = await tx.select({ definition: procedureVersions.definition }).from(procedureVersions)
    .where(eq(procedureVersions.procedureId, id))
    .orderBy(desc(eq(procedureVersions.status, 'published')), desc(procedureVersions.version)).limit(1);
  return head?.definition as ProcedureDefinition | undefined;
}

/** The definitions of versions named "<procedure>@<version>". */
export function definitionsOf(deps: Deps, keys: string[]): Promise<{ procedureId: string; version: number; definition: unknown }[]> {
  return deps.db.select({ procedureId: procedureVersions.procedureId, version: procedureVersions.version, definition: procedureVersions.definition })
    .from(procedureVersions)
    .where(inArray(sql`${procedureVersions.procedureId} || '@' || ${procedureVersions.version}`, keys));
}

/** The summary columns kept on the procedure row, from a definition. */
export const headOf = (def: ProcedureDefinition): { code: string; name: string; field: string } => ({
  code: def.catalog.code, name: def.catalog.name.vi, field: def.catalog.field,
});

export async function setHead(tx: DbLike, id: string, def: ProcedureDefinition): Promise<void> {
  await tx.update(procedures).set(headOf(def)).where(eq(procedures.id, id));
}

/** Ids of procedures other than `procedureId` with a published version of national code `code` in force at or after `from`. */
export async function proceduresUsingCode(db: Db | Tx, procedureId: string, code: string, from: Date): Promise<string[]> {
  const t = from.toISOString();
  const rows = await (db as Db).selectDistinct({ id: procedureVersions.procedureId }).from(procedureVersions).where(and(
    eq(procedureVersions.status, 'published'),
    ne(procedureVersions.procedureId, procedureId),
    sql`${procedureVersions.definition}->'catalog'->>'code' = ${code}`,
    or(isNull(procedureVersions.effectiveTo), gt(procedureVersions.effectiveTo, t)),
  ));
  return rows.map((r) => r.id);
}

/** A setting's value, or undefined when it was never set. */
export async function settingValue(deps: Deps, key: string): Promise<unknown> {
  const [row] = await deps.db.select().from(settings).where(eq(settings.key, key));
  return row?.value;
}

/** Writes a setting (inside the caller's transaction). */
export async function putSetting(tx: Tx, key: string, value: unknown, at: Date, by: string): Promise<void> {
  await tx.insert(settings).values({ key, value, updatedAt: at.toISOString(), updatedBy: by })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: at.toISOString(), updatedBy: by } });
}

/** The latest published definition of each procedure named (a procedure never published is absent). */
export async function latestPublishedDefinitions(db: DbLike, ids: string[]): Promise<Map<string, ProcedureDefinition>> {
  const rows = await db.select({ id: procedureVersions.procedureId, definition: procedureVersions.definition })
    .from(procedureVersions)
    .where(and(eq(procedureVersions.status, 'published'), inArray(procedureVersions.procedureId, ids)))
    .orderBy(desc(procedureVersions.version));
  const latest = new Map<string, ProcedureDefinition>();
  for (const r of rows) if (!latest.has(r.id)) latest.set(r.id, r.definition as ProcedureDefinition);
  return latest;
}

/** Units by code, read in the caller's transaction (the publish gate checks hand-off targets as they are at publication). */
export function unitsByCodes(db: DbLike, codes: string[]): Promise<(typeof units.$inferSelect)[]> {
  return db.select().from(units).where(inArray(units.code, codes));
}
