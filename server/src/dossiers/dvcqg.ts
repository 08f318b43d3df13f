import type { CompiledProcedure, DossierSnapshot } from '@motcua/engine';

/**
 * Status codes used by provincial systems when syncing with the national portal (DVCQG):
 * 1 newly registered, 2 accepted, 3 not accepted, 4 in progress, 5 supplement requested,
 * 6 payment requested, 7 withdrawn, 8 handling stopped, 9 handled, 10 result returned.
 */
export function portalStatus(snapshot: DossierSnapshot, proc: CompiledProcedure): number {
  if (snapshot.status === 'done') {
    switch (snapshot.outcome) {
      case 'refused': return 3;
      case 'withdrawn': return 7;
      case 'stopped': return 8;
      default: return 10;
    }
  }
  const kinds = snapshot.active.map((a) => proc.steps.get(a.step)?.def.kind);
  if (kinds.includes('wait-citizen')) return 5;
  if (kinds.includes('payment')) return 6;
  if (kinds.includes('return-result')) return 9;
  if (snapshot.clock.receivedAt === null) return 1;
  return 4;
}

/** Channel codes for the portal: 1 in person, 2 online, 3 postal. */
export function portalChannel(channel: string): number {
  return channel === 'online' ? 2 : channel === 'postal' ? 3 : 1;
}
