/**
 * Verifying a unit's history (README, "Verifying history"): every event of every dossier
 * the unit received against its hash chain, each dossier's stored head, the unit's signed
 * checkpoints (signature, numbering, chaining), and every history against the last head
 * a checkpoint signed for it — so that cut-off events show, not only changed ones.
 */
import type { Deps } from '../deps';
import { rawOf } from '../db/raw';
import { verifyChain, type ChainProblem } from '../dossiers/index';
import { checkSignature } from './keys';
import { eventsFrom, keysOf, signedText, unitCheckpoints } from './checkpoints';

export interface TamperedEvent extends ChainProblem {
  dossierId: string;
}

export interface Truncation {
  dossierId: string;
  /** What the last checkpoint listing this history signed. */
  checkpointed: { number: number; seq: number; hash: string };
  /** What the history holds now (seq 0: no events, or no dossier). */
  found: { seq: number; hash: string | null };
  reason: string;
}

export interface UnitHistoryReport {
  unit: string;
  ok: boolean;
  checkedAt: string;
  dossiers: number;
  events: number;
  checkpoints: { count: number; last: { number: number; takenAt: string } | null; problems: { number: number; reason: string }[] };
  tampered: TamperedEvent[];
  truncated: Truncation[];
  /** Dossiers whose `last_hash` is not the head of their history. */
  headMismatches: string[];
}

const BATCH = 500;
/** Problems listed per kind; the counts stay exact in `ok`. */
const MAX_LISTED = 1000;

export async function verifyUnitHistory(deps: Deps, unit: string): Promise<UnitHistoryReport> {
  const keys = keysOf(deps);
  const raw = rawOf(deps.db);
  const checkpoints = await unitCheckpoints(deps, unit);
  const cpProblems: UnitHistoryReport['checkpoints']['problems'] = [];
  const signed = new Map<string, { number: number; seq: number; hash: string }>();
  let prevSignature = '';
  checkpoints.forEach((c, i) => {
    const bad = (reason: string) => cpProblems.push({ number: c.number, reason });
    if (c.number !== i + 1) bad(`number ${c.number} where ${i + 1} was expected (a checkpoint is missing)`);
    if (c.prevSignature !== prevSignature) bad('does not chain to the previous checkpoint');
    const key = keys.verifiers.get(c.keyId);
    if (!key) bad(`signed with an unknown key ${c.keyId}`);
    else if (!checkSignature(key.key, signedText(c), c.signature)) bad('signature does not match its content');
    prevSignature = c.signature;
    // Heads of a checkpoint that fails are not trusted.
    if (cpProblems.some((p) => p.number === c.number)) return;
    for (const [dossierId, seq, hash] of c.heads) {
      const had = signed.get(dossierId);
      if (!had || had.seq <= seq) signed.set(dossierId, { number: c.number, seq, hash });
    }
  });

  const rows = await raw.query<{ id: string; lastHash: string }>({
    text: 'select id, last_hash as "lastHash" from dossiers where receiving_unit = $1 order by id', values: [unit],
  });
  const lastHash = new Map(rows.map((r) => [r.id, r.lastHash]));
  // Also histories a checkpoint listed that are no longer the unit's (deleted, or moved by an edit).
  const ids = [...new Set([...rows.map((r) => r.id), ...signed.keys()])];
  const tampered: TamperedEvent[] = [];
  const truncated: Truncation[] = [];
  const headMismatches: string[] = [];
  let events = 0;
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = ids.slice(i, i + BATCH);
    const histories = await eventsFrom(raw, new Map(batch.map((id) => [id, 1])));
    for (const id of batch) {
      const list = histories.get(id) ?? [];
      events += list.length;
      const result = verifyChain(list);
      if (!result.ok) for (const p of result.problems) tampered.push({ dossierId: id, ...p });
      const stored = lastHash.get(id);
      const head = list.at(-1)?.hash ?? null;
      if (stored !== undefined && stored !== head) headMismatches.push(id);
      const cp = signed.get(id);
      if (!cp) continue;
      const found = { seq: list.at(-1)?.seq ?? 0, hash: head };
      const at = list.find((e) => e.seq === cp.seq);
      if (stored === undefined) truncated.push({ dossierId: id, checkpointed: cp, found, reason: 'the dossier is gone from the unit (deleted, or its receiving unit changed)' });
      else if (!at) truncated.push({ dossierId: id, checkpointed: cp, found, reason: `the history ends before seq ${cp.seq}: events were cut off` });
      else if (at.hash !== cp.hash) truncated.push({ dossierId: id, checkpointed: cp, found, reason: `event ${cp.seq} is not the one checkpointed: the history was rewritten` });
    }
  }
  const last = checkpoints.at(-1);
  return {
    unit,
    ok: cpProblems.length === 0 && tampered.length === 0 && truncated.length === 0 && headMismatches.length === 0,
    checkedAt: deps.clock.now().toISOString(),
    dossiers: rows.length,
    events,
    checkpoints: { count: checkpoints.length, last: last ? { number: last.number, takenAt: last.takenAt } : null, problems: cpProblems.slice(0, MAX_LISTED) },
    tampered: tampered.slice(0, MAX_LISTED),
    truncated: truncated.slice(0, MAX_LISTED),
    headMismatches: headMismatches.slice(0, MAX_LISTED),
  };
}
