/** Statements of the auth feature: users as sign-in reads them, token versions, login failures. */
import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import { grants, loginFailures, users } from '../db/schema';
import type { Deps } from '../deps';

export type UserRow = typeof users.$inferSelect;
export type GrantRow = typeof grants.$inferSelect;
export type LoginFailureRow = typeof loginFailures.$inferSelect;

export async function userById(deps: Deps, id: string): Promise<UserRow | null> {
  const [u] = await deps.db.select().from(users).where(eq(users.id, id));
  return u ?? null;
}

export async function userByUsername(deps: Deps, username: string): Promise<UserRow | null> {
  const [u] = await deps.db.select().from(users).where(eq(users.username, username));
  return u ?? null;
}

export function grantsOf(deps: Deps, userId: string): Promise<GrantRow[]> {
  return deps.db.select().from(grants).where(eq(grants.userId, userId));
}

export async function setPasswordHash(deps: Deps, userId: string, passwordHash: string): Promise<void> {
  await deps.db.update(users).set({ passwordHash }).where(eq(users.id, userId));
}

/** Bumps the user's token version; the new version, or null when there is no such user. */
export async function bumpTokenVersion(deps: Deps, userId: string): Promise<number | null> {
  const [row] = await deps.db.update(users).set({ tokenVersion: sql`${users.tokenVersion} + 1` })
    .where(eq(users.id, userId)).returning({ version: users.tokenVersion });
  return row?.version ?? null;
}

export function failuresOf(deps: Deps, keys: string[]): Promise<LoginFailureRow[]> {
  return deps.db.select().from(loginFailures).where(inArray(loginFailures.key, keys));
}

/** Counts one failure against `key`: a window older than `expired` starts again at `at`. */
export async function addFailure(deps: Deps, key: string, at: string, expired: string): Promise<void> {
  const stale = sql`${loginFailures.windowStart} <= ${expired}`;
  await deps.db.insert(loginFailures).values({ key, failures: 1, windowStart: at }).onConflictDoUpdate({
    target: loginFailures.key,
    set: {
      failures: sql`case when ${stale} then 1 else ${loginFailures.failures} + 1 end`,
      windowStart: sql`case when ${stale} then ${at}::timestamptz else ${loginFailures.windowStart} end`,
    },
  });
}

export async function dropFailuresBefore(deps: Deps, expired: string): Promise<void> {
  await deps.db.delete(loginFailures).where(lt(loginFailures.windowStart, expired));
}

export async function clearFailures(deps: Deps, key: string): Promise<void> {
  await deps.db.delete(loginFailures).where(and(eq(loginFailures.key, key)));
}
