/**
 * What the national public-service portal (DVCQG) is told: its status and channel codes, and
 * the progress update sent through the outbox for every dossier event (docs/domain.md,
 * "Statuses and the national portal").
 */
import type { CompiledProcedure, DossierEvent, DossierSnapshot } from '@motcua/engine';
import { portalFacts, type FactsContext } from './portal/facts';

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

/**
 * What an outside system needs to know of one event: the progress update, and under `portal`
 * the facts the national portal's sync record and progress entry are built from (./portal/).
 */
export function portalPayload(s: DossierSnapshot, e: DossierEvent, proc: CompiledProcedure, ctx?: FactsContext) {
  const step = e.type === 'action.applied' ? proc.steps.get(e.step)?.def.name.vi ?? e.step : null;
  return {
    dossierId: s.dossierId,
    procedureCode: s.procedure.code,
    procedureName: proc.definition.catalog.name.vi,
    field: proc.definition.catalog.field,
    event: e.type,
    seq: e.seq,
    at: e.at,
    actor: { id: e.actor.id, name: e.actor.name, ...(e.type === 'action.applied' && e.onBehalfOf ? { onBehalfOf: e.onBehalfOf } : {}) },
    title: e.type === 'action.applied' ? `${step ?? ''}: ${e.action}`
      : e.type === 'dossier.migrated' ? `Chuyển sang phiên bản ${e.toVersion} của thủ tục` : 'Tiếp nhận hồ sơ',
    status: portalStatus(s, proc),
    channel: portalChannel(s.channel),
    competentUnit: s.routing.competent,
    receivingUnit: s.routing.receiving,
    applicant: s.applicant.name,
    receivedAt: s.clock.receivedAt,
    dueAt: s.clock.dueAt,
    closedAt: s.closedAt,
    outcome: s.outcome,
    ...(ctx ? { portal: portalFacts(s, e, proc, ctx) } : {}),
  };
}
