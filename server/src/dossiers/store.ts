import { and, eq } from 'drizzle-orm';
import type { Calendar, CompiledProcedure, DossierEvent, DossierSnapshot, Transition } from '@motcua/engine';
import type { Tx } from '../db/client';
import { dossierEvents, dossiers, outbox } from '../db/schema';
import { HttpError } from '../http/errors';
import { bumpForTransition } from '../stats/rollup';
import type { BusMessage } from '../bus';
import { GENESIS_HASH, hashEvent } from './chain';
import { portalChannel, portalStatus } from './dvcqg';

export type DossierRow = typeof dossiers.$inferSelect;

export interface CommitArgs {
  proc: CompiledProcedure;
  before: DossierRow | null;
  transition: Transition;
  field: string;
  calendar: Calendar;
  parent?: { id: string; key: string };
}

function minIso(values: (string | null)[]): string | null {
  const xs = values.filter((v): v is string => v !== null).sort();
  return xs[0] ?? null;
}

function rowValues(s: DossierSnapshot, field: string) {
  return {
    status: s.status,
    outcome: s.outcome,
    version: s.version,
    snapshot: s,
    stepUnits: [...new Set(s.active.map((a) => a.unit))],
    stepRoles: [...new Set(s.active.map((a) => a.role).filter((r): r is string => r !== null))],
    receivedAt: s.clock.receivedAt,
    dueAt: s.clock.dueAt,
    closedAt: s.closedAt,
    nextTimeoutAt: minIso(s.active.map((a) => a.timeoutAt)),
    field,
  };
}

/** What an outside system needs to know of one event: the portal's progress update. */
function portalPayload(s: DossierSnapshot, e: DossierEvent, proc: CompiledProcedure) {
  const step = e.type === 'action.applied' ? proc.steps.get(e.step)?.def.name.vi ?? e.step : null;
  return {
    dossierCode: s.dossierId,
    procedureCode: s.procedure.code,
    procedureName: proc.definition.catalog.name.vi,
    field: proc.definition.catalog.field,
    event: e.type,
    seq: e.seq,
    at: e.at,
    handler: { id: e.actor.id, name: e.actor.name, ...(e.type === 'action.applied' && e.onBehalfOf ? { onBehalfOf: e.onBehalfOf } : {}) },
    title: e.type === 'action.applied' ? `${step ?? ''}: ${e.action}` : 'Tiếp nhận hồ sơ',
    status: portalStatus(s, proc),
    channel: portalChannel(s.channel),
    handlingUnit: s.routing.competent,
    receivingUnit: s.routing.receiving,
    applicant: s.applicant.name,
    receivedAt: s.clock.receivedAt,
    dueAt: s.clock.dueAt,
    closedAt: s.closedAt,
    outcome: s.outcome,
  };
}

/**
 * Writes one engine transition in the caller's transaction: the dossier row (with an
 * optimistic version check), hash-chained events, outbox rows for sync, and the
 * statistics rollups. Returns what to announce once the transaction has committed.
 */
export async function commitTransition(tx: Tx, args: CommitArgs): Promise<{ row: DossierRow; notices: BusMessage[] }> {
  const { transition, before, proc } = args;
  const s = transition.snapshot;
  let prev = before?.lastHash ?? GENESIS_HASH;
  const chained = transition.events.map((e) => {
    const hash = hashEvent(prev, e);
    const link = { prevHash: prev, hash };
    prev = hash;
    return { e, ...link };
  });
  // A new appointment (extension, resumed clock) deserves its own due-soon and overdue notices.
  const rescheduled = before !== null && before.dueAt !== s.clock.dueAt ? { dueSoonNotifiedAt: null, overdueNotifiedAt: null } : {};
  const values = { ...rowValues(s, args.field), ...rescheduled, lastHash: prev, updatedAt: transition.events.at(-1)?.at ?? s.clock.submittedAt };
  let row: DossierRow | undefined;
  if (!before) {
    [row] = await tx.insert(dossiers).values({
      id: s.dossierId,
      procedureId: s.procedure.id,
      procedureVersion: s.procedure.version,
      procedureCode: s.procedure.code,
      receivingUnit: s.routing.receiving,
      competentUnit: s.routing.competent,
      returnUnit: s.routing.returnUnit,
      channel: s.channel,
      applicantName: s.applicant.name,
      applicantId: s.applicant.id ?? null,
      submittedAt: s.clock.submittedAt,
      parentId: args.parent?.id ?? null,
      parentKey: args.parent?.key ?? null,
      ...values,
    }).returning();
  } else {
    // Only the id comes back: the new row is what we just wrote, and reading the snapshot
    // back from jsonb would cost as much as writing it.
    const written = await tx.update(dossiers).set(values)
      .where(and(eq(dossiers.id, before.id), eq(dossiers.version, before.version))).returning({ id: dossiers.id });
    row = written.length ? { ...before, ...values } : undefined;
    if (!row) {
      const [current] = await tx.select({ version: dossiers.version }).from(dossiers).where(eq(dossiers.id, before.id));
      throw new HttpError(409, 'DOSSIER_VERSION_CONFLICT', {
        vi: 'Hồ sơ vừa được người khác cập nhật; thao tác của bạn không được ghi. Hãy tải lại và thử lại',
        en: 'Someone else has just updated the dossier; your action was not saved. Reload and try again',
      }, undefined, { currentVersion: current?.version ?? null });
    }
  }
  if (chained.length) {
    await tx.insert(dossierEvents).values(chained.map(({ e, prevHash, hash }) => ({
      dossierId: s.dossierId, seq: e.seq, type: e.type, at: e.at, actorId: e.actor.id, actorName: e.actor.name,
      payload: e, prevHash, hash,
    })));
    await tx.insert(outbox).values(chained.map(({ e }) => ({
      eventId: `${s.dossierId}#${e.seq}`, topic: 'dossier.progress', dossierId: s.dossierId, payload: portalPayload(s, e, proc),
    })));
  }
  const external = transition.effects.filter((f) => f.type === 'notify' || f.type === 'returnResult' || f.type === 'requestPayment' || f.type === 'issueSlip');
  if (external.length) {
    await tx.insert(outbox).values(external.map((f, i) => ({
      eventId: `${s.dossierId}#${s.version}.${i}`, topic: `dossier.${f.type}`, dossierId: s.dossierId,
      payload: { dossierCode: s.dossierId, applicant: s.applicant, effect: f },
    })));
  }
  await bumpForTransition(tx, { before: (before?.snapshot as DossierSnapshot | undefined) ?? null, after: s, events: transition.events, field: args.field, calendar: args.calendar });
  if (!row) throw new Error(`Dossier ${s.dossierId} was not written`);
  const last = transition.events.at(-1);
  const notices: BusMessage[] = [{
    type: 'dossier.changed', dossierId: s.dossierId, version: s.version, status: s.status,
    units: [...new Set([s.routing.receiving, s.routing.competent, s.routing.returnUnit, ...s.active.map((a) => a.unit)])],
    assignees: s.active.map((a) => a.assignee).filter((x): x is string => x !== null),
    step: last?.type === 'action.applied' ? last.step : null,
    action: last?.type === 'action.applied' ? last.action : null,
  }];
  if (!before || (before.snapshot as DossierSnapshot).clock.receivedAt !== s.clock.receivedAt || s.closedAt) {
    notices.push({ type: 'stats.changed', units: [s.routing.competent] });
  }
  return { row, notices };
}
