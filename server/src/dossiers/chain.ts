/**
 * The hash chain of a dossier's history (see README, "Verifying history").
 *
 * Chain version 2 (every event written since) hashes every column the history shows:
 * `hash = sha256(prevHash + RFC 8785 canonical JSON of { v: 2, dossierId, seq, type, at,
 * actorId, actorName, payload })`, `at` as an ISO 8601 UTC instant with milliseconds.
 * Version 1 (events written before) hashed the payload only; the payload holds the same
 * seq, type, time and actor, so a version-1 event verifies when its hash holds AND its
 * columns equal what its payload says. Old events keep their hashes (re-chaining them
 * would also launder any tampering done before): each event carries its version, and a
 * chain never goes back from 2 to 1.
 */
import { hash } from 'node:crypto';
import canonicalize from 'canonicalize';

export const GENESIS_HASH = '0'.repeat(64);
export const CHAIN_VERSION = 2;

/** One history row as stored: every column the history shows, and its links. */
export interface HistoryRow {
  dossierId: string;
  seq: number;
  type: string;
  /** An instant in any form `Date` parses (PostgreSQL's text or ISO 8601). */
  at: string;
  actorId: string;
  actorName: string;
  payload: unknown;
  prevHash: string;
  hash: string;
  /** 1 for events written before chain version 2. */
  chain: number;
}

/** An instant as the hash sees it, whatever text form the database returned. */
export function hashedInstant(at: string): string {
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? `invalid:${at}` : d.toISOString();
}

/** SHA-256 in hex, one shot (Node ≥ 20.12): the digest a Hash object fed in parts gives, without building one per event. */
const sha256 = (text: string): string => hash('sha256', text, 'hex');

/** Version 1: sha256(prevHash + canonical payload). Kept to verify events written before version 2. */
export function hashEventV1(prevHash: string, event: unknown): string {
  return sha256(prevHash + (canonicalize(event) ?? ''));
}

/** Version 2: sha256(prevHash + canonical JSON of every shown column). */
export function hashEvent(prevHash: string, row: Omit<HistoryRow, 'prevHash' | 'hash' | 'chain'>): string {
  const record = {
    v: CHAIN_VERSION, dossierId: row.dossierId, seq: row.seq, type: row.type, at: hashedInstant(row.at),
    actorId: row.actorId, actorName: row.actorName, payload: row.payload,
  };
  return sha256(prevHash + (canonicalize(record) ?? ''));
}

/** Why a version-1 event's columns disagree with its (hashed) payload, or null. */
function v1Mismatch(e: HistoryRow): string | null {
  const p = (e.payload ?? {}) as { seq?: unknown; type?: unknown; at?: unknown; actor?: { id?: unknown; name?: unknown } };
  if (p.seq !== e.seq) return 'seq';
  if (p.type !== e.type) return 'type';
  if (typeof p.at !== 'string' || hashedInstant(p.at) !== hashedInstant(e.at)) return 'at';
  if (p.actor?.id !== e.actorId) return 'actor_id';
  if (p.actor?.name !== e.actorName) return 'actor_name';
  return null;
}

export interface ChainProblem {
  seq: number;
  reason: string;
}

export type ChainResult =
  | { ok: true; length: number; head: string }
  | { ok: false; seq: number; reason: string; length: number; problems: ChainProblem[] };

/**
 * Walks a stored history (oldest first; or its part after a known event) and reports every event that does not hold: a
 * changed column or payload, a broken link, a gap in the numbering, a version going back.
 * After a broken event the walk goes on from its stored hash, so each tampered event is
 * reported, not only the first.
 */
export function verifyChain(events: HistoryRow[], after: { seq: number; hash: string; chain: number } = { seq: 0, hash: GENESIS_HASH, chain: 1 }): ChainResult {
  let prev = after.hash;
  let version = after.chain;
  const problems: ChainProblem[] = [];
  events.forEach((e, i) => {
    const bad = (reason: string) => problems.push({ seq: e.seq, reason });
    if (e.seq !== after.seq + i + 1) bad(`seq ${e.seq} where ${after.seq + i + 1} was expected (an event is missing)`);
    if (e.prevHash !== prev) bad('prevHash does not match the previous event');
    if (e.chain < version) bad(`chain version ${e.chain} after version ${version}`);
    version = Math.max(version, e.chain);
    if (e.chain === 1) {
      if (hashEventV1(e.prevHash, e.payload) !== e.hash) bad('hash does not match the event content');
      else {
        const column = v1Mismatch(e);
        if (column) bad(`column ${column} differs from the hashed event`);
      }
    } else if (e.chain === CHAIN_VERSION) {
      if (hashEvent(e.prevHash, e) !== e.hash) bad('hash does not match the event content');
    } else {
      bad(`unknown chain version ${e.chain}`);
    }
    prev = e.hash;
  });
  const first = problems[0];
  if (first) return { ok: false, seq: first.seq, reason: first.reason, length: events.length, problems };
  return { ok: true, length: events.length, head: prev };
}
