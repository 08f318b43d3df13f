/**
 * The live-update contract (socket.io, path `/socket.io`). The web app may not import the
 * server: the payload it reads (`DossierChanged`) is defined in the engine, which both import.
 *
 * Default namespace `/` — officers; `handshake.auth.token` = the access token of
 * POST /api/auth/login (with or without the `Bearer ` prefix). On connect the socket is in
 * `user:<id>`, `unit:<code>` for every unit of the user's own roles and `role:<code>:<role>`
 * for each of them; `dossier:<id>` on request (checked against the visibility rule, at most
 * `officerWatchLimit` at once), checked again at each change: a watcher who may no longer see
 * the dossier is not told of the change, leaves its room and gets `dossier:unwatched` with the
 * dossier's id alone (watch it again once it may).
 *
 * Namespace `/public` — anyone; track a dossier by its code: its status only, or with a
 * second factor (the receipt's QR key, or the last 4 digits of the applicant's phone or ID
 * number) its public fields — the same rule as GET/POST /api/public/dossiers/:id[/lookup].
 * A connection beyond `publicSocketsPerAddress` from one address is refused (`connect_error`
 * TOO_MANY); a socket tracks at most `publicTrackLimit` codes at once, each counted from
 * when it is asked (a burst sent at once cannot pass the limit either).
 */

import type { DossierChanged } from '@motcua/engine';
import type { BusMessage } from '../bus';

/** A bilingual message, as the REST API's errors carry. */
export interface Text {
  vi: string;
  en: string;
}

export interface RealtimeError {
  code: 'BAD_REQUEST' | 'NOT_FOUND' | 'FORBIDDEN' | 'TOO_MANY' | 'UNAVAILABLE' | 'UNAUTHENTICATED';
  message: Text;
}

export type Ack<T extends object> = (answer: ({ ok: true } & T) | { ok: false; error: RealtimeError }) => void;

/** `dossier:changed` on `/`: the dossier moved (committed). Fetch GET /api/dossiers/:id for the rest. */
export type { DossierChanged };

/** `dossier:unwatched` on `/`: which dossier, nothing of what changed. */
export interface DossierUnwatched {
  dossierId: string;
}

/** `stats:changed` on `/`: the rollups of these units changed (reports may refresh). */
export interface StatsChanged {
  units: string[];
}

/** `catalog:changed` on `/` and `/public`: a procedure's versions changed. */
export interface CatalogChanged {
  procedureId: string;
}

/** What a citizen may see of a dossier: no applicant data, no form data. */
export interface PublicDossier {
  dossierId: string;
  version: number;
  status: string;
  outcome: string | null;
  dueAt: string | null;
  closedAt: string | null;
  /** The steps the dossier is at now, by name. */
  current: { name: { vi: string; en?: string } | null; since: string }[];
}

/** `delegation:changed` on `/`, to the delegator and the delegate: a delegation of theirs was recorded or revoked. */
export interface DelegationChanged {
  delegationId: string;
  change: 'created' | 'revoked';
  /** User ids of the delegator and the delegate. */
  from: string;
  to: string;
  /** Who recorded or revoked it. */
  by: { id: string; name: string };
}

/** What a code alone shows: that the dossier exists, and its status. */
export interface PublicDossierStatus {
  dossierId: string;
  version: number;
  status: string;
}

/** `subscribe`'s argument: a code (status only), or a code with a second factor. */
export type PublicSubscription = string | { code: string; key?: string; last4?: string };

export interface OfficerClientEvents {
  /** Join `dossier:<id>` when the user may see the dossier. */
  'dossier:watch': (dossierId: unknown, ack?: Ack<{ dossierId: string; version: number; status: string }>) => void;
  'dossier:unwatch': (dossierId: unknown, ack?: Ack<{ dossierId: string }>) => void;
}

export interface OfficerServerEvents {
  'dossier:changed': (payload: DossierChanged) => void;
  /** A dossier this socket watched changed out of the user's sight (handed to another unit, a delegation ended): it left the room. */
  'dossier:unwatched': (payload: DossierUnwatched) => void;
  'stats:changed': (payload: StatsChanged) => void;
  'catalog:changed': (payload: CatalogChanged) => void;
  'delegation:changed': (payload: DelegationChanged) => void;
  /** The access token expired: the server disconnects; reconnect with a fresh token. */
  'session:expired': () => void;
  /** The user's tokens were revoked (logout, password change, deactivation): the server disconnects; sign in again. */
  'session:revoked': () => void;
  /** The user's roles or delegations changed: the server disconnects; reconnect to see what they allow now. */
  'session:changed': () => void;
}

export interface PublicClientEvents {
  /**
   * Track a dossier by its code (`PublicSubscription`); the answer carries its state now:
   * the public fields when the factor matched (`verified: true`), else the status only. A
   * factor that does not match is refused (FORBIDDEN); too many tries are TOO_MANY.
   */
  subscribe: (subscription: unknown, ack?: Ack<{ dossier: PublicDossier | PublicDossierStatus; verified: boolean }>) => void;
  unsubscribe: (code: unknown, ack?: Ack<{ dossierId: string }>) => void;
}

export interface PublicServerEvents {
  /** The subscription's view again: `PublicDossier` when verified, else `PublicDossierStatus`. */
  'dossier:changed': (payload: PublicDossier | PublicDossierStatus) => void;
  'catalog:changed': (payload: CatalogChanged) => void;
}

/** Between server processes (through the PostgreSQL adapter). */
export interface InterServerEvents {
  /** Bus messages committed on another process, in order: each process relays them to its own sockets. */
  'motcua:bus': (messages: BusMessage[]) => void;
  /** Readiness probe of the adapter (see adapter.ts). */
  'motcua:probe': (nonce: string) => void;
}

export interface OfficerData {
  user: { id: string; username: string; name: string };
  /** The units whose rooms the socket joined (the user's own roles when connecting; delegations follow dossiers one by one). */
  units: string[];
  /** The `role:<unit>:<role>` rooms the socket joined. */
  roles: string[];
  /** When the token expires (ms since the epoch), null when it carries no expiry. */
  expiresAt: number | null;
  /** The token's version: a bump past it (revocation) closes the socket. */
  tokenVersion: number;
}
