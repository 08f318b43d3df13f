/**
 * Statements of the administration feature that have moved out of its route modules so far:
 * the audit log and the unit tree. (Users, calendars and delegations still speak SQL in
 * their own modules; see DATA_ACCESS_TODAY in eslint.config.js.)
 */
import { and, desc, eq, lt, or, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { auditLog, calendars, dossiers, grants, units } from '../db/schema';
import type { Deps } from '../deps';

export type GrantRow = typeof grants.$inferSelect;
export type UnitRow = typeof units.$inferSelect;
export type UnitInsert = typeof units.$inferInsert;
export type AuditRow = typeof auditLog.$inferSelect;
export type AuditInsert = typeof auditLog.$inferInsert;

/** Appends one audit entry (inside the caller's transaction when given one). */
export async function insertAudit(db: Db | Tx, row: AuditInsert): Promise<void> {
  await (db as Db).insert(auditLog).values(row);
}

/** Audit entries touching any of `scope`'s units, newest first, filtered and paged by id. */
export function auditEntries(deps: Deps, scope: string[], filter: { subject?: string; action?: string; before?: number; limit: number }): Promise<AuditRow[]> {
  return deps.db.select().from(auditLog).where(and(
    sql`${auditLog.units} && ARRAY[${sql.join(scope.map((u) => sql`${u}`), sql`, `)}]::text[]`,
    filter.subject !== undefined ? eq(auditLog.subject, filter.subject) : undefined,
    filter.action !== undefined ? eq(auditLog.action, filter.action) : undefined,
    filter.before !== undefined ? lt(auditLog.id, filter.before) : undefined,
  )).orderBy(desc(auditLog.id)).limit(filter.limit);
}

export async function insertUnit(deps: Deps, row: UnitInsert): Promise<UnitRow | undefined> {
  const [created] = await deps.db.insert(units).values(row).returning();
  return created;
}

export async function updateUnitRow(deps: Deps, code: string, changes: Partial<UnitRow>): Promise<UnitRow | undefined> {
  const [row] = await deps.db.update(units).set(changes).where(eq(units.code, code)).returning();
  return row;
}

/** How many people hold a role at the unit, and how many dossiers name it (receiving, competent or return unit). */
export async function unitUsage(deps: Deps, code: string): Promise<{ users: number; dossiers: number }> {
  const [people] = await deps.db.select({ n: sql<number>`count(distinct ${grants.userId})::int` }).from(grants).where(eq(grants.unit, code));
  const [files] = await deps.db.select({ n: sql<number>`count(*)::int` }).from(dossiers)
    .where(or(eq(dossiers.receivingUnit, code), eq(dossiers.competentUnit, code), eq(dossiers.returnUnit, code)));
  return { users: Number(people?.n ?? 0), dossiers: Number(files?.n ?? 0) };
}

/** Deletes a unit and its own calendar in one transaction. */
export async function deleteUnitRow(deps: Deps, code: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await tx.delete(calendars).where(eq(calendars.scope, code));
    await tx.delete(units).where(eq(units.code, code));
  });
}
