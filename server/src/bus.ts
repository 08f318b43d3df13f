import { EventEmitter } from 'node:events';
import type { DossierChanged } from '@motcua/engine';

/** What changed, announced only after the transaction that changed it has committed. */
export type BusMessage =
  | ({
    type: 'dossier.changed';
    /**
     * Who may hear of it (the visibility rule, server/src/dossiers/visibility.ts): whole units,
     * roles at units, and the procedure (absent from a process of an earlier version).
     */
    audience?: { units: string[]; roles: { unit: string; role: string }[]; procedure?: string };
  } & DossierChanged)
  | { type: 'catalog.changed'; procedureId: string }
  | { type: 'stats.changed'; units: string[] }
  /**
   * A user's rights changed. `tokenVersion`: their tokens older than it are revoked (logout,
   * password change, deactivation), so their sockets are closed; null: grants or delegations
   * changed, so their sockets reconnect to join the rooms they may see now.
   */
  | { type: 'access.changed'; userId: string; tokenVersion: number | null }
  /** A delegation was recorded or revoked: its delegator and delegate are told. */
  | { type: 'delegation.changed'; delegationId: string; change: 'created' | 'revoked'; from: string; to: string; by: { id: string; name: string } }
  /**
   * A citizen signed out of every session (their token version bumped): every process forgets
   * its cached citizen, so the old cookie is refused at once wherever it is sent.
   */
  | { type: 'citizen.signedOut'; personalId: string };

/** In-process after-commit bus; socket.io relays it to rooms (and, on PostgreSQL, across processes). */
export class Bus {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(100);
  }

  publish(message: BusMessage): void {
    this.emitter.emit('message', message);
  }

  subscribe(listener: (message: BusMessage) => void): () => void {
    this.emitter.on('message', listener);
    return () => this.emitter.off('message', listener);
  }
}
