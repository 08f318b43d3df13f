import type { Database } from '../db/client';
import type { DossierRow } from './repo';

const MAX = 20_000;

/**
 * Dossier rows this process has just written, so the next action on one need not read it
 * back. A remembered row is only a guess — another process, the sweeper or a transaction
 * may have written since: whoever uses one must check its version on write (the commit
 * statement does) and, on any refusal, retry on a row read afresh.
 */
export class DossierCache {
  private readonly rows = new Map<string, DossierRow>();

  get(id: string): DossierRow | undefined {
    return this.rows.get(id);
  }

  /** Remembers a row just written (never an older version than the one remembered). */
  remember(row: DossierRow): void {
    const known = this.rows.get(row.id);
    if (known && known.version > row.version) return;
    this.rows.delete(row.id);
    if (this.rows.size >= MAX) {
      // Oldest first: a Map iterates in insertion order, and each write re-inserts.
      const oldest = this.rows.keys().next().value;
      if (oldest !== undefined) this.rows.delete(oldest);
    }
    this.rows.set(row.id, row);
  }

  forget(id: string): void {
    this.rows.delete(id);
  }
}

const caches = new WeakMap<Database, DossierCache>();

/** The cache of one database (every Deps over it shares it). */
export function dossierCache(database: Database): DossierCache {
  let c = caches.get(database);
  if (!c) caches.set(database, (c = new DossierCache()));
  return c;
}
