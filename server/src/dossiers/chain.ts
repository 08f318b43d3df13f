import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

export const GENESIS_HASH = '0'.repeat(64);

/** sha256(prevHash + RFC 8785 canonical JSON of the event): key order in jsonb does not matter. */
export function hashEvent(prevHash: string, event: unknown): string {
  return createHash('sha256').update(prevHash).update(canonicalize(event) ?? '').digest('hex');
}

/** Walks a stored history and reports the first link that does not hold. */
export function verifyChain(events: { seq: number; payload: unknown; prevHash: string; hash: string }[]): { ok: true; length: number; head: string } | { ok: false; seq: number; reason: string } {
  let prev = GENESIS_HASH;
  for (const e of events) {
    if (e.prevHash !== prev) return { ok: false, seq: e.seq, reason: 'prevHash does not match the previous event' };
    const h = hashEvent(prev, e.payload);
    if (h !== e.hash) return { ok: false, seq: e.seq, reason: 'hash does not match the event content' };
    prev = h;
  }
  return { ok: true, length: events.length, head: prev };
}
