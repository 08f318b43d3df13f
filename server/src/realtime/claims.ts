/**
 * A socket's limit on rooms it asks for (dossiers an officer watches, codes a citizen tracks),
 * shared by ./officers.ts and ./citizens.ts. A request counts from the moment it is asked, not
 * from when its room is joined: the room is joined only after asynchronous checks (database
 * reads, the lookup's limits), so counting joined rooms alone let a burst of requests sent at
 * once all pass the limit before any of them had joined.
 *
 * Keys are whatever the caller counts by (a room, a code): the caller says which keys the
 * socket holds now, read at each claim, since rooms are also left elsewhere (unwatch, a
 * dossier no longer visible, a disconnect).
 */
export interface Claim {
  /**
   * The request's check is over, whatever its answer. True when it is still wanted, so its
   * room may be joined; false when the key was withdrawn meanwhile: the withdrawal wins.
   */
  settle(): boolean;
}

export class Claims {
  /**
   * Per key asked for, the requests whose check is still under way. Each request settles on
   * its own: two asked for one key at once (a code, then the same code with its factor) both
   * join, whichever answers first.
   */
  private readonly pending = new Map<string, Set<Claim>>();

  constructor(private readonly held: () => Iterable<string>) {}

  /**
   * Counts `key` as asked for; null over the limit. A key the socket holds or has asked for
   * already takes no more room; any other is refused once `limit` keys are held or asked for.
   */
  claim(key: string, limit: number): Claim | null {
    const held = new Set(this.held());
    if (!held.has(key) && !this.pending.has(key)) {
      let count = this.pending.size;
      for (const k of held) if (!this.pending.has(k)) count++;
      if (count >= limit) return null;
    }
    let waiting = this.pending.get(key);
    if (!waiting) this.pending.set(key, waiting = new Set());
    const claim: Claim = {
      settle: () => {
        const current = this.pending.get(key);
        if (!current?.delete(claim)) return false;
        if (current.size === 0) this.pending.delete(key);
        return true;
      },
    };
    waiting.add(claim);
    return claim;
  }

  /** `key` is no longer wanted (unwatch, unsubscribe): the checks under way will not join its room. */
  withdraw(key: string): void {
    this.pending.delete(key);
  }
}
