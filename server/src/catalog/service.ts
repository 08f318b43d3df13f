/**
 * The catalog's front door: procedures and their versions, draft → published (immutable, with
 * an effective period) → retired. The statements live in repo.ts; functions take `deps` or a
 * transaction.
 */
import { HttpError, notFound } from '../http/errors';
import type { Deps } from '../deps';
import { iso } from '../db/time';
import { getProcedure, getVersion, lockProcedureRow, versionMetas, type Source, type VersionMeta, type VersionRow, type ProcedureRow, type Tx } from './repo';

export type { DbLike, Source, VersionStatus, ProcedureRow, VersionRow, VersionMeta } from './repo';
// Catalog writes are audited in their own transaction; the routes that run them name the entry.
export { audit, type AuditAction } from '../db/auditLog';
export { channelNames, channelReason, kindMessage, mayDecide, checkHandoffUnit, intakeAt, kindNames, levelReason, LEVEL_OF_KIND, type IntakeAt, type IntakeFacts } from './unitKinds';
export { mayWriteCatalog } from './owner';
export { isNonGeographic, nonGeographicList } from './nonGeographic';
export {
  headOf, dbOf, inForceAt, versionInForce, versionMetaInForce, versionsInForce, getProcedure, getVersion, versionMetas, publishedIds, setHead,
} from './repo';

// Re-exported for the dossier files that still import it from here (helper "wing" points them at db/time).
export { iso };

export const PROCEDURE = { vi: 'thủ tục', en: 'procedure' };
export const VERSION = { vi: 'phiên bản thủ tục', en: 'procedure version' };

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



export async function requireVersion(source: Source, id: string, version: number): Promise<VersionRow> {
  const row = await getVersion(source, id, version);
  if (!row) {
    if (!(await getProcedure(source, id))) throw notFound(PROCEDURE, id);
    throw notFound(VERSION, `${id}@${version}`);
  }
  return row;
}

/** Locks the procedure row for the rest of the transaction (serialises drafts and publishing); 404 when unknown. */
export async function lockProcedure(tx: Tx, id: string): Promise<ProcedureRow> {
  const row = await lockProcedureRow(tx, id);
  if (!row) throw notFound(PROCEDURE, id);
  return row;
}

export const immutable = (id: string, row: { version: number; status: string }): HttpError => new HttpError(409, 'VERSION_IMMUTABLE', {
  vi: `Phiên bản ${row.version} của thủ tục "${id}" đã ${row.status === 'retired' ? 'ngừng áp dụng' : 'công bố'} nên không sửa được; hãy tạo bản nháp mới (POST /api/procedures/${id}/drafts)`,
  en: `Version ${row.version} of procedure "${id}" is ${row.status} and can never be edited; create a new draft (POST /api/procedures/${id}/drafts)`,
}, undefined, { status: row.status });

/** Compares two timestamps given as strings or dates. */
export const ms = (v: string | Date): number => (typeof v === 'string' ? new Date(v).getTime() : v.getTime());

/** Time comes from `deps.clock`, never from the database's `now()`. */
export const nowIso = (deps: Deps): string => deps.clock.now().toISOString();


/** How long a process keeps a procedure's version list: a change made in another process reaches it within this. */
const VERSIONS_TTL_MS = 5_000;
const versionsKey = (procedureId: string) => `versions:${procedureId}`;

/**
 * The version in force at `at`, chosen from the procedure's versions kept for a few seconds
 * (the same rule as `versionMetaInForce`, without a statement per request). For checks in
 * front of a write — the intake looks the version up again in its transaction — and for
 * pages: a publication in this process is seen at once (`forgetVersions`), in another
 * within `VERSIONS_TTL_MS`. The time is compared here, so a version whose effective date
 * passes is in force at that instant, not when the list is read again.
 */
export async function cachedVersionInForce(deps: Deps, procedureId: string, at: Date): Promise<VersionMeta | null> {
  const all = await deps.directory.cached(versionsKey(procedureId), VERSIONS_TTL_MS, async () => (await versionMetas(deps.db, [procedureId])).get(procedureId) ?? []);
  const t = at.getTime();
  let best: VersionMeta | null = null;
  for (const v of all) {
    if (v.status === 'draft' || !v.effectiveFrom || ms(v.effectiveFrom) > t || (v.effectiveTo && ms(v.effectiveTo) <= t)) continue;
    if (!best || ms(v.effectiveFrom) > ms(best.effectiveFrom!) || (ms(v.effectiveFrom) === ms(best.effectiveFrom!) && v.version > best.version)) best = v;
  }
  return best;
}

/** Drops this process's kept version lists (after a publication, a retirement or an import). */
export function forgetVersions(deps: Deps): void {
  deps.directory.forget('versions:');
}
