import type { Delegation } from '@motcua/engine';
import { activeDelegationsFor } from '../admin/service';
import type { Deps } from '../deps';

const TTL_MS = 5_000;

/**
 * Delegations to a user, kept a few seconds: every dossier request needs them. Safe to
 * reuse because the engine checks each delegation's period against `now` itself.
 */
export function delegationsFor(deps: Deps, userId: string, at: Date): Promise<Delegation[]> {
  return deps.directory.cached(`delegations:${userId}`, TTL_MS, () => activeDelegationsFor(deps, userId, at));
}
