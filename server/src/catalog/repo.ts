/**
 * Statements of the catalog that have moved out of its modules so far: the publish gate's
 * duplicate-code query and the catalog-owner setting. (The version store in service.ts,
 * and designer.ts, lifecycle.ts, public.ts and transfer.ts still speak SQL; see
 * DATA_ACCESS_TODAY in eslint.config.js.)
 */
import { and, eq, gt, isNull, ne, or, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { procedureVersions, settings } from '../db/schema';
import type { Deps } from '../deps';

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
