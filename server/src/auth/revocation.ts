/**
 * Revocation: every token carries its user's token version; bumping the version revokes
 * every token signed before (all of the user's sessions), on every process, at once.
 */
import type { Deps } from '../deps';
import { bumpTokenVersion } from './repo';

/**
 * Revokes the user's tokens (logout, password change, deactivation) and closes their live
 * sockets. Call it outside a transaction, or after it commits: the announcement goes out now.
 */
export async function revokeTokens(deps: Deps, userId: string, reason: 'logout' | 'password' | 'deactivated' | 'sso-link'): Promise<number | null> {
  const version = await bumpTokenVersion(deps, userId);
  deps.directory.forget(`user:${userId}`);
  if (version !== null) {
    deps.logger.info({ user: userId, reason, tokenVersion: version }, 'tokens revoked');
    deps.bus.publish({ type: 'access.changed', userId, tokenVersion: version });
  }
  return version;
}

/** The user's grants or delegations changed (after commit): their sockets rejoin with what they may see now. */
export function accessChanged(deps: Deps, userId: string): void {
  deps.directory.forget(`user:${userId}`);
  // After commit: a request read while the change was being written may have cached the old delegations.
  deps.directory.forget('delegations:');
  deps.bus.publish({ type: 'access.changed', userId, tokenVersion: null });
}
