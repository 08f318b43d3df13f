/**
 * Slips are records from the moment they are issued (docs/records.md): when an action issues a
 * slip, its data is built from the dossier as the action leaves it, the PDF rendered, and both
 * the data and the PDF's sha256 written in the same transaction as the action — the sha256 also
 * in the action's history event, which the hash chain then vouches for. Downloads render the
 * stored data and give the same bytes whatever happens to the dossier later.
 */
import type { CompiledProcedure, DossierEvent, DossierSnapshot, Transition } from '@motcua/engine';
import type { Db, Tx } from '../db/client';
import { within, type Deps } from '../deps';
import type { DossierRow } from '../dossiers/repo';
import { buildSlipData, INTENT_OF, isReissueOf, issuingEvent, notIssued, slipSourceFor, type SlipSource } from './data';
import { sha256 } from './records';
import { renderSlip } from './renderSlip';
import { insertSlips, slipBefore, type NewSlipRow } from './repo';
import { SLIP_KINDS, type SlipKind } from './types';

/** Kinds an event can issue; form 05 is a running record, never issued. */
const ISSUABLE = SLIP_KINDS.filter((k) => k !== 'control');
const INTENTS = new Set(Object.values(INTENT_OF));

/**
 * Whether a transition may issue a slip: cheap and on the safe side (an issueSlip effect, an
 * intent that issues one, or the legal clock starting); used to keep such actions off the
 * one-statement path, since their slips are written beside the dossier. Pure.
 */
export function mayIssueSlips(proc: CompiledProcedure, before: DossierRow | null, transition: Transition): boolean {
  if (transition.effects.some((f) => f.type === 'issueSlip')) return true;
  if (transition.events.some((e) => isReissueOf(e))) return true;
  if (transition.snapshot.clock.receivedAt !== null && (before?.snapshot as DossierSnapshot | undefined)?.clock.receivedAt == null) return true;
  return transition.events.some((e) => e.type === 'action.applied' && INTENTS.has(proc.actions.get(`${e.step}:${e.action}`)?.def.intent ?? ''));
}

/** The kinds event `e` issues: those whose latest issuing event it is, by the same rule downloads use. */
function kindsIssuedBy(src: SlipSource, e: DossierEvent): SlipKind[] {
  return ISSUABLE.filter((k) => issuingEvent(src, k)?.seq === e.seq);
}

async function recordsFor(deps: Deps, row: DossierRow, events: DossierEvent[], pending: DossierEvent[]): Promise<Map<number, NewSlipRow[]>> {
  const out = new Map<number, NewSlipRow[]>();
  const probe = await slipSourceFor(deps, row, 'receipt', pending);
  for (const e of events) {
    // A correction of a slip that was never issued corrects nothing: refused, nothing stored.
    if (isReissueOf(e) && !kindsIssuedBy(probe, e).length) throw notIssued(e.inputs['slip'] as SlipKind, row.id);
    for (const kind of kindsIssuedBy(probe, e)) {
      // The source again per kind: the signer is looked up only for the slips a leader signs.
      const src = kind === 'receipt' ? probe : await slipSourceFor(deps, row, kind, pending);
      const data = buildSlipData(kind, src);
      const pdf = await renderSlip(kind, data);
      const earlier = await slipBefore(deps.db, row.id, kind, e.seq);
      const list = out.get(e.seq) ?? [];
      list.push({ dossierId: row.id, kind, eventSeq: e.seq, issuedAt: data.issuedAt, data, sha256: sha256(pdf), replacesSeq: earlier?.eventSeq ?? null });
      out.set(e.seq, list);
    }
  }
  return out;
}

export interface IssuedSlips {
  /** The transition to commit: its events name the slips they issued (kind and sha256). */
  transition: Transition;
  /** Writes the slips' data in the caller's transaction, once the dossier row is written. */
  store(row: DossierRow): Promise<void>;
}

/**
 * The slips a transition issues, built and rendered before it is committed (`store` writes them
 * after, in the same transaction). A new dossier has no row yet to build from (the tracking key
 * on slip 01 is the row's): its slips are built in `store`, and only the table records them.
 */
export async function issueSlips(deps: Deps, tx: Tx, proc: CompiledProcedure, before: DossierRow | null, transition: Transition): Promise<IssuedSlips> {
  if (!mayIssueSlips(proc, before, transition)) return { transition, store: async () => {} };
  const d = within(deps, tx as unknown as Db);
  if (before === null) {
    return {
      transition,
      store: async (row) => {
        const records = await recordsFor(d, row, transition.events, []);
        await insertSlips(tx, [...records.values()].flat());
      },
    };
  }
  const after: DossierRow = { ...before, snapshot: transition.snapshot, version: transition.snapshot.version };
  const records = await recordsFor(d, after, transition.events, transition.events);
  if (records.size === 0) return { transition, store: async () => {} };
  const events = transition.events.map((e): DossierEvent => {
    const mine = records.get(e.seq);
    if (!mine || e.type !== 'action.applied') return e;
    return { ...e, slips: mine.map((r) => ({ kind: r.kind as SlipKind, sha256: r.sha256 })) };
  });
  return {
    transition: { ...transition, events },
    store: async () => { await insertSlips(tx, [...records.values()].flat()); },
  };
}
