import type { Deps } from '../deps';

/** Background work: outbox dispatcher and sweeper (stub until those modules land). */
export function startBackgroundJobs(_deps: Deps): { stop(): Promise<void> } {
  return { stop: async () => {} };
}
