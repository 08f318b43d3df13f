/**
 * Signed checkpoints of each unit's chain heads (README, "Verifying history").
 *
 * A hash chain shows a changed event, but not events cut off its end: whoever can write
 * the database can delete the last events and move `last_hash` back. So, periodically,
 * each unit's histories that grew since its last checkpoint are listed — dossier, last
 * seq, last hash — in a checkpoint signed with a key the database does not hold, chained
 * to the unit's previous checkpoint. A history shorter than a checkpoint says, or whose
 * event there has another hash, was cut or rewritten. Before a head is signed, the events
 * since the previous checkpoint are verified: a tampered history is reported, not signed.
 *
 * A dossier's history belongs to its receiving unit (the unit in its code; it never changes).
 */
import canonicalize from 'canonicalize';
import type { Deps } from '../deps';
import { rawOf, type Raw } from '../db/raw';
import { verifyChain, type ChainProblem, type HistoryRow } from '../dossiers/index';
import { historyKeys, type HistoryKeys } from './keys';

/** `[dossierId, seq, hash]`: a history's last event when the checkpoint was taken. */
export type Head = [string, number, string];

export interface Checkpoint {
  unit: string;
  number: number;
  takenAt: string;
  heads: Head[];
  prevSignature: string;
  keyId: string;
  signature: string;
}

/** What is signed: the canonical JSON (RFC 8785) of these five fields. */
export function signedText(c: Pick<Checkpoint, 'unit' | 'number' | 'takenAt' | 'heads' | 'prevSignature'>): string {
  return canonicalize({ unit: c.unit, number: c.number, takenAt: c.takenAt, heads: c.heads, prevSignature: c.prevSignature }) ?? '';
}

/** Heads per checkpoint: the first checkpoint of a large unit is split in several. */
const MAX_HEADS = 5000;
/** Histories read at once when verifying. */
const BATCH = 500;
/** Any constant shared by every process: only one process takes checkpoints at a time. */
const LOCK = 7_301_001;

const keysByConfig = new WeakMap<object, HistoryKeys>();

/** The signing and verifying keys of a server's settings (built once). */
export function keysOf(deps: Deps): HistoryKeys {
  let keys = keysByConfig.get(deps.config);
  if (!keys) {
    const c = deps.config;
    keys = historyKeys({ signingKey: c.historySigningKey, publicKeys: c.historyPublicKeys, tokenSecret: c.tokenSecret });
    keysByConfig.set(deps.config, keys);
  }
  return keys;
}

const EVENT_COLUMNS = `dossier_id as "dossierId", seq, type, at::text as at, actor_id as "actorId", actor_name as "actorName",
  payload, prev_hash as "prevHash", hash, chain`;

/** Events of the given histories from the given seq on (oldest first), grouped by dossier. */
export async function eventsFrom(raw: Raw, from: Map<string, number>): Promise<Map<string, HistoryRow[]>> {
  const ids = [...from.keys()];
  const rows = await raw.query<HistoryRow>({
    text: `select ${EVENT_COLUMNS} from dossier_events e join unnest($1::text[], $2::int[]) as x(id, from_seq)
             on e.dossier_id = x.id and e.seq >= x.from_seq order by e.dossier_id, e.seq`,
    values: [ids, ids.map((id) => from.get(id) ?? 1)],
  });
  const out = new Map<string, HistoryRow[]>();
  for (const r of rows) {
    const list = out.get(r.dossierId);
    if (list) list.push(r);
    else out.set(r.dossierId, [r]);
  }
  return out;
}

export interface CheckpointRun {
  /** Checkpoints written (0 when nothing grew, or another process holds the lock). */
  checkpoints: number;
  heads: number;
  /** Histories left out because their new events do not verify, or that are shorter than checkpointed. */
  refused: { dossierId: string; problems: ChainProblem[] }[];
}

interface Grown { id: string; unit: string; seq: number; hash: string; cseq: number | null; chash: string | null }

/** Takes a checkpoint of every unit whose histories grew since its last one. */
export async function takeCheckpoints(deps: Deps): Promise<CheckpointRun> {
  const keys = keysOf(deps);
  const takenAt = deps.clock.now().toISOString();
  return deps.db.transaction(async (tx) => {
    const raw = rawOf(tx as unknown as Deps['db']);
    const [lock] = await raw.query<{ ok: boolean }>({ text: 'select pg_try_advisory_xact_lock($1) as ok', values: [LOCK] });
    if (!lock?.ok) return { checkpoints: 0, heads: 0, refused: [] };
    const grown = await raw.query<Grown>({
      text: `select d.id, d.receiving_unit as unit, h.seq, h.hash, c.seq as cseq, c.hash as chash
               from dossiers d
               join lateral (select seq, hash from dossier_events e where e.dossier_id = d.id order by seq desc limit 1) h on true
               left join history_checkpointed c on c.dossier_id = d.id
              where c.seq is null or c.seq <> h.seq or c.hash <> h.hash
              order by d.receiving_unit, d.id`,
    });
    const refused: CheckpointRun['refused'] = [];
    const accepted: Grown[] = [];
    for (let i = 0; i < grown.length; i += BATCH) {
      const batch = grown.slice(i, i + BATCH);
      const events = await eventsFrom(raw, new Map(batch.map((g) => [g.id, g.cseq ?? 1])));
      for (const g of batch) {
        const list = events.get(g.id) ?? [];
        let result;
        if (g.cseq === null) result = verifyChain(list);
        else {
          const [at, ...after] = list;
          if (!at || at.seq !== g.cseq || at.hash !== g.chash) {
            refused.push({ dossierId: g.id, problems: [{ seq: g.cseq, reason: 'the checkpointed event is gone or changed (history cut or rewritten)' }] });
            continue;
          }
          result = verifyChain(after, at);
        }
        if (result.ok) accepted.push(g);
        else refused.push({ dossierId: g.id, problems: result.problems });
      }
    }
    if (refused.length > 0) {
      deps.logger.error({ dossiers: refused.slice(0, 20).map((r) => ({ id: r.dossierId, problems: r.problems.slice(0, 3) })), count: refused.length },
        'history: events that do not verify were found while checkpointing; those histories are not checkpointed');
    }
    let checkpoints = 0;
    const byUnit = new Map<string, Grown[]>();
    for (const g of accepted) byUnit.set(g.unit, [...(byUnit.get(g.unit) ?? []), g]);
    for (const [unit, list] of byUnit) {
      const [last] = await raw.query<{ number: number; signature: string }>({
        text: 'select number, signature from history_checkpoints where unit = $1 order by number desc limit 1', values: [unit],
      });
      let number = last?.number ?? 0;
      let prevSignature = last?.signature ?? '';
      for (let i = 0; i < list.length; i += MAX_HEADS) {
        const part = list.slice(i, i + MAX_HEADS);
        const c = { unit, number: ++number, takenAt, heads: part.map((g): Head => [g.id, g.seq, g.hash]), prevSignature };
        const signature = keys.signer.sign(signedText(c));
        await raw.query({
          text: `insert into history_checkpoints (unit, number, taken_at, heads, prev_signature, key_id, signature) values ($1, $2, $3, $4::jsonb, $5, $6, $7)`,
          values: [unit, c.number, takenAt, JSON.stringify(c.heads), prevSignature, keys.signer.keyId, signature],
        });
        await raw.query({
          text: `insert into history_checkpointed (dossier_id, seq, hash) select * from unnest($1::text[], $2::int[], $3::text[])
                 on conflict (dossier_id) do update set seq = excluded.seq, hash = excluded.hash`,
          values: [part.map((g) => g.id), part.map((g) => g.seq), part.map((g) => g.hash)],
        });
        prevSignature = signature;
        checkpoints++;
      }
    }
    return { checkpoints, heads: accepted.length, refused };
  });
}

/** The checkpoints of a unit, oldest first (from `after` + 1 when given). */
export async function unitCheckpoints(deps: Deps, unit: string, after = 0): Promise<Checkpoint[]> {
  return rawOf(deps.db).query<Checkpoint>({
    text: `select unit, number, to_char(taken_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "takenAt", heads,
                  prev_signature as "prevSignature", key_id as "keyId", signature
             from history_checkpoints where unit = $1 and number > $2 order by number`,
    values: [unit, after],
  });
}
