/**
 * Revocation: every token carries its user's token version; bumping the version revokes
 * every token signed before (all of the user's sessions), on every process, at once.
 */
import { eq, sql } from 'drizzle-orm';
import { users } from '../db/schema';
import type { Deps } from '../deps';

/**
 * Revokes the user's tokens (logout, password change, deactivation) and closes their live
 * sockets. Call it outside a transaction, or after it commits: the announcement goes out now.
 */
export async function revokeTokens(deps: Deps, userId: string, reason: 'logout' | 'password' | 'deactivated'): Promise<number | null> {
  const [row] = await deps.db.update(users).set({ tokenVersion: sql`${users.tokenVersion} + 1` })
    .where(eq(users.id, userId)).returning({ version: users.tokenVersion });
  deps.directory.forget(`user:${userId}`);
  if (row) {
    deps.logger.info({ user: userId, reason, tokenVersion: row.version }, 'tokens revoked');
    deps.bus.publish({ type: 'access.changed', userId, tokenVersion: row.version });
  }
  return row?.version ?? null;
}

/** The user's grants or delegations changed (after commit): their sockets rejoin with what they may see now. */
export function accessChanged(deps: Deps, userId: string): void {
  deps.directory.forget(`user:${userId}`);
  deps.bus.publish({ type: 'access.changed', userId, tokenVersion: null });
}
