/**
 * Every statement of the administration feature: the audit log, the unit tree, calendars,
 * users with their grants, and delegations. The modules beside it decide; this one reads and
 * writes.
 */
import { and, asc, desc, eq, gt, ilike, inArray, isNull, lt, lte, not, or, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { auditLog, calendars, delegations, dossiers, grants, units, users } from '../db/schema';
import type { Deps } from '../deps';

export type GrantRow = typeof grants.$inferSelect;
export type UnitRow = typeof units.$inferSelect;
export type UnitInsert = typeof units.$inferInsert;
export type AuditRow = typeof auditLog.$inferSelect;
export type AuditInsert = typeof auditLog.$inferInsert;


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

/** Calendar configurations stored for `scopes` (every stored one when none are named). */
export function calendarRows(deps: Deps, scopes?: string[]): Promise<(typeof calendars.$inferSelect)[]> {
  const q = deps.db.select().from(calendars);
  return scopes === undefined ? q : q.where(inArray(calendars.scope, scopes));
}

/** Stores a scope's own calendar configuration, replacing the one it had. */
export async function saveCalendarRow(deps: Deps, scope: string, config: unknown, updatedAt: string): Promise<void> {
  await deps.db.insert(calendars).values({ scope, config, updatedAt })
    .onConflictDoUpdate({ target: calendars.scope, set: { config, updatedAt } });
}

/** Drops a scope's own calendar; false when it had none. */
export async function deleteCalendarRow(deps: Deps, scope: string): Promise<boolean> {
  const gone = await deps.db.delete(calendars).where(eq(calendars.scope, scope)).returning({ scope: calendars.scope });
  return gone.length > 0;
}

export type UserRow = typeof users.$inferSelect;
type GrantInput = { role: string; unit: string; position?: string | null; title?: string | null };
const grantValues = (userId: string, list: GrantInput[]) =>
  list.map((g) => ({ userId, role: g.role, unit: g.unit, position: g.position ?? null, title: g.title ?? null }));

/** The grants of these users, by unit then role. */
export function grantRowsOf(deps: Deps, ids: string[]): Promise<GrantRow[]> {
  return deps.db.select().from(grants).where(inArray(grants.userId, ids)).orderBy(asc(grants.unit), asc(grants.role));
}

export async function userRow(deps: Deps, id: string): Promise<UserRow | undefined> {
  const [row] = await deps.db.select().from(users).where(eq(users.id, id));
  return row;
}

export async function userIdByUsername(deps: Deps, username: string): Promise<string | undefined> {
  const [row] = await deps.db.select({ id: users.id }).from(users).where(eq(users.username, username));
  return row?.id;
}

const likeText = (q: string): string => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** One page of the users holding a role (optionally this one) at any of `units`, by name, with the total. */
export async function searchUserRows(deps: Deps, f: {
  units: string[]; role?: string | undefined; text?: string | undefined; active?: boolean | undefined; page: number; pageSize: number;
}): Promise<{ rows: UserRow[]; total: number }> {
  const holders = deps.db.selectDistinct({ id: grants.userId }).from(grants)
    .where(and(inArray(grants.unit, f.units), f.role !== undefined ? eq(grants.role, f.role) : undefined));
  const where = and(
    inArray(users.id, holders),
    f.text ? or(ilike(users.username, likeText(f.text)), ilike(users.name, likeText(f.text))) : undefined,
    f.active !== undefined ? eq(users.active, f.active) : undefined,
  );
  const [count] = await deps.db.select({ n: sql<number>`count(*)::int` }).from(users).where(where);
  const rows = await deps.db.select().from(users).where(where).orderBy(asc(users.name), asc(users.username))
    .limit(f.pageSize).offset((f.page - 1) * f.pageSize);
  return { rows, total: Number(count?.n ?? 0) };
}

export async function insertUserWithGrants(tx: Tx, row: typeof users.$inferInsert, list: GrantInput[]): Promise<void> {
  await tx.insert(users).values(row);
  await tx.insert(grants).values(grantValues(row.id, list));
}

export async function setUserRow(tx: Tx, id: string, changes: Partial<UserRow>): Promise<void> {
  await tx.update(users).set(changes).where(eq(users.id, id));
}

/** Replaces a user's grants at `units` (those elsewhere stay). */
export async function replaceUnitGrants(tx: Tx, id: string, unitCodes: string[], list: GrantInput[]): Promise<void> {
  await tx.delete(grants).where(and(eq(grants.userId, id), inArray(grants.unit, unitCodes)));
  if (list.length > 0) await tx.insert(grants).values(grantValues(id, list));
}

/** Active officers' grants at a unit (optionally of one role), by name then role. */
export function officerRowsAt(deps: Deps, code: string, role: string | undefined): Promise<{ id: string; name: string; g: GrantRow }[]> {
  return deps.db.select({ id: users.id, name: users.name, g: grants }).from(grants)
    .innerJoin(users, eq(users.id, grants.userId))
    .where(and(eq(grants.unit, code), eq(users.active, true), role !== undefined ? eq(grants.role, role) : undefined))
    .orderBy(asc(users.name), asc(grants.role));
}

export type DelegationRow = typeof delegations.$inferSelect;

const inForce = (at: string): SQL => and(
  lte(delegations.validFrom, at),
  or(isNull(delegations.validTo), gt(delegations.validTo, at)),
  or(isNull(delegations.revokedAt), gt(delegations.revokedAt, at)),
)!;

/** People (name, active) and all their grants. */
export async function peopleRows(deps: Deps, ids: string[]): Promise<{ users: { id: string; name: string; active: boolean }[]; grants: GrantRow[] }> {
  const found = await deps.db.select({ id: users.id, name: users.name, active: users.active }).from(users).where(inArray(users.id, ids));
  return { users: found, grants: await deps.db.select().from(grants).where(inArray(grants.userId, ids)) };
}

/** Delegations to any of these users in force at `at`. */
export function delegationRowsTo(deps: Deps, toUsers: string[], at: string): Promise<DelegationRow[]> {
  return deps.db.select().from(delegations).where(and(inArray(delegations.toUser, toUsers), inForce(at)));
}

export function delegationRowsById(deps: Deps, ids: string[]): Promise<DelegationRow[]> {
  return deps.db.select().from(delegations).where(inArray(delegations.id, ids));
}

/** Every delegation, whatever its state, made to any of these users or named by id: what recorded delegations may rest on. */
export function sourceRows(deps: Deps, toUsers: string[], ids: string[]): Promise<DelegationRow[]> {
  if (toUsers.length === 0 && ids.length === 0) return Promise.resolve([]);
  return deps.db.select().from(delegations).where(or(
    toUsers.length > 0 ? inArray(delegations.toUser, toUsers) : undefined,
    ids.length > 0 ? inArray(delegations.id, ids) : undefined,
  ));
}

/** What a new delegation from `from` may rest on: delegations to them not revoked, and the named parent whatever its state. */
export function upstreamRows(deps: Deps, from: string, derivedFrom: string | undefined | null): Promise<DelegationRow[]> {
  return deps.db.select().from(delegations).where(and(
    or(eq(delegations.toUser, from), derivedFrom ? eq(delegations.id, derivedFrom) : undefined),
    or(isNull(delegations.revokedAt), derivedFrom ? eq(delegations.id, derivedFrom) : undefined),
  ));
}

/** Unrevoked delegations of one kind between the same two people. */
export function openTwinRows(deps: Deps, from: string, to: string, kind: string): Promise<DelegationRow[]> {
  return deps.db.select().from(delegations).where(and(
    eq(delegations.fromUser, from), eq(delegations.toUser, to), eq(delegations.kind, kind), isNull(delegations.revokedAt),
  ));
}

/** Delegations filtered by people and by being in force at `at`, newest first (at most 5,000). */
export function listDelegationRows(deps: Deps, f: { to?: string | undefined; from?: string | undefined; active?: boolean | undefined; at: string }): Promise<DelegationRow[]> {
  return deps.db.select().from(delegations).where(and(
    f.to !== undefined ? eq(delegations.toUser, f.to) : undefined,
    f.from !== undefined ? eq(delegations.fromUser, f.from) : undefined,
    f.active === true ? inForce(f.at) : f.active === false ? not(inForce(f.at)) : undefined,
  )).orderBy(desc(delegations.createdAt), desc(delegations.id)).limit(5000);
}

export async function delegationRow(deps: Deps, id: string): Promise<DelegationRow | undefined> {
  const [row] = await deps.db.select().from(delegations).where(eq(delegations.id, id));
  return row;
}

export async function insertDelegationRow(tx: Tx, values: typeof delegations.$inferInsert): Promise<DelegationRow> {
  const [inserted] = await tx.insert(delegations).values(values).returning();
  return inserted!;
}

/** Revokes a delegation not yet revoked; undefined when someone else just did. */
export async function revokeDelegationRow(tx: Tx, id: string, at: string): Promise<DelegationRow | undefined> {
  const [changed] = await tx.update(delegations).set({ revokedAt: at })
    .where(and(eq(delegations.id, id), isNull(delegations.revokedAt))).returning();
  return changed;
}
