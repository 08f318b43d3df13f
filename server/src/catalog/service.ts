/**
 * Catalog data access: procedures and their versions, draft → published (immutable, with an
 * effective period) → retired. Functions take `deps` or a transaction.
 */
import { and, asc, desc, eq, gt, inArray, isNull, lte, ne, or } from 'drizzle-orm';
import type { ProcedureDefinition } from '@motcua/engine';
import type { Db, Tx } from '../db/client';
import { procedures, procedureVersions } from '../db/schema';
import { HttpError, notFound } from '../http/errors';
import type { Deps } from '../deps';
import { iso } from '../db/time';

export type DbLike = Db | Tx;
/** Where to read from: the server's dependencies, its database, or an open transaction. */
export type Source = Deps | DbLike;
export type VersionStatus = 'draft' | 'published' | 'retired';
export type ProcedureRow = typeof procedures.$inferSelect;
export type VersionRow = typeof procedureVersions.$inferSelect;
export type VersionMeta = Omit<VersionRow, 'definition'>;

export const dbOf = (s: Source): DbLike => ('directory' in s ? s.db : s);

// Re-exported for the dossier files that still import it from here (helper "wing" points them at db/time).
export { iso };

export const PROCEDURE = { vi: 'thủ tục', en: 'procedure' };
export const VERSION = { vi: 'phiên bản thủ tục', en: 'procedure version' };

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

/** A version as the API shows it (ISO dates). */
export function versionInfo(row: VersionMeta): {
  version: number; status: string; effectiveFrom: string | null; effectiveTo: string | null;
  publishedAt: string | null; publishedBy: string | null; createdAt: string | null; updatedAt: string | null;
} {
  return {
    version: row.version, status: row.status,
    effectiveFrom: iso(row.effectiveFrom), effectiveTo: iso(row.effectiveTo),
    publishedAt: iso(row.publishedAt), publishedBy: row.publishedBy,
    createdAt: iso(row.createdAt), updatedAt: iso(row.updatedAt),
  };
}

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

/** Locks the procedure row for the rest of the transaction (serialises drafts and publishing); 404 when unknown. */
export async function lockProcedure(tx: Tx, id: string): Promise<ProcedureRow> {
  const [row] = await tx.select().from(procedures).where(eq(procedures.id, id)).for('update');
  if (!row) throw notFound(PROCEDURE, id);
  return row;
}

export async function getVersion(source: Source, id: string, version: number): Promise<VersionRow | null> {
  const [row] = await dbOf(source).select().from(procedureVersions)
    .where(and(eq(procedureVersions.procedureId, id), eq(procedureVersions.version, version)));
  return row ?? null;
}

export async function requireVersion(source: Source, id: string, version: number): Promise<VersionRow> {
  const row = await getVersion(source, id, version);
  if (!row) {
    if (!(await getProcedure(source, id))) throw notFound(PROCEDURE, id);
    throw notFound(VERSION, `${id}@${version}`);
  }
  return row;
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

/** The summary columns kept on the procedure row, from a definition. */
export const headOf = (def: ProcedureDefinition): { code: string; name: string; field: string } => ({
  code: def.catalog.code, name: def.catalog.name.vi, field: def.catalog.field,
});

export async function setHead(tx: DbLike, id: string, def: ProcedureDefinition): Promise<void> {
  await tx.update(procedures).set(headOf(def)).where(eq(procedures.id, id));
}

export const immutable = (id: string, row: { version: number; status: string }): HttpError => new HttpError(409, 'VERSION_IMMUTABLE', {
  vi: `Phiên bản ${row.version} của thủ tục "${id}" đã ${row.status === 'retired' ? 'ngừng áp dụng' : 'công bố'} nên không sửa được; hãy tạo bản nháp mới (POST /api/procedures/${id}/drafts)`,
  en: `Version ${row.version} of procedure "${id}" is ${row.status} and can never be edited; create a new draft (POST /api/procedures/${id}/drafts)`,
}, undefined, { status: row.status });

/** Compares two timestamps given as strings or dates. */
export const ms = (v: string | Date): number => (typeof v === 'string' ? new Date(v).getTime() : v.getTime());

/** Time comes from `deps.clock`, never from the database's `now()`. */
export const nowIso = (deps: Deps): string => deps.clock.now().toISOString();

/** The unit-kind check of a hand-off (./unitKinds.ts), for the dossier wing's preview. */
export { checkHandoffUnit } from './unitKinds';
