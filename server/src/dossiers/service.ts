import {
  apply, start, type Actor, type ActionRequest, type Channel, type CompiledProcedure, type DossierSnapshot,
  type EngineContext, type ReturnVia, type Transition,
} from '@motcua/engine';
import type { Tx } from '../db/client';
import { versionInForce } from '../catalog/service';
import { HttpError, fromEngine, notFound } from '../http/errors';
import type { BusMessage } from '../bus';
import type { Deps } from '../deps';
import { nextDossierCode } from './code';
import { commitTransition, loadDossier, type DossierRow } from './store';
import { delegationsFor } from './delegations';
import { checkRouting } from './routing';
import { parametersForIntake } from '../parameters/service';
import { checkHandoffUnit } from '../catalog/unitKinds';

export const SYSTEM_ACTOR: Actor = { id: 'system', name: 'Hệ thống', kind: 'system', grants: [] };

async function compiled(deps: Deps, id: string, version: number): Promise<CompiledProcedure> {
  const proc = await deps.directory.procedure(id, version);
  if (!proc) throw notFound({ vi: 'thủ tục', en: 'procedure' }, `${id}@${version}`);
  return proc;
}

async function context(deps: Deps, actor: Actor, unit: string, now: Date): Promise<EngineContext> {
  return {
    now: now.toISOString(),
    actor,
    calendar: await deps.directory.calendar(unit),
    delegations: actor.kind === 'officer' ? await delegationsFor(deps, actor.id, now) : [],
    units: await deps.directory.unitInfos(),
  };
}

export interface IntakeInput {
  procedureId: string;
  channel: Channel;
  receivingUnit: string;
  competentUnit?: string;
  returnUnit?: string;
  returnVia?: ReturnVia;
  applicant: { id?: string; name: string; address?: string; phone?: string; email?: string };
  data?: { [key: string]: unknown };
}

/** Receives a dossier: code, version in force, engine start, commit. Runs inside the caller's transaction. */
export async function intake(deps: Deps, tx: Tx, actor: Actor, input: IntakeInput): Promise<{ row: DossierRow; notices: BusMessage[] }> {
  const now = deps.clock.now();
  for (const unit of [input.receivingUnit, input.competentUnit, input.returnUnit]) {
    if (unit && !(await deps.directory.unit(unit))) throw notFound({ vi: 'đơn vị', en: 'unit' }, unit);
  }
  const version = (await versionInForce(tx, input.procedureId, now))?.version ?? null;
  if (version === null) {
    throw new HttpError(422, 'PROCEDURE_NOT_IN_FORCE', {
      vi: `Thủ tục "${input.procedureId}" không có phiên bản đang có hiệu lực`,
      en: `Procedure "${input.procedureId}" has no version in force`,
    });
  }
  const proc = await compiled(deps, input.procedureId, version);
  await checkRouting(deps.directory, proc.definition, input);
  const dossierId = await nextDossierCode(tx, input.receivingUnit, now);
  const { applicant, procedureId: _p, ...rest } = input;
  const ctx = await context(deps, actor, input.competentUnit ?? input.receivingUnit, now);
  // Provincial parameters (fees the province sets) in force now are recorded on the dossier.
  const params = await parametersForIntake(deps, tx, proc.definition, input.competentUnit ?? input.receivingUnit, now);
  const started = start(proc, {
    ...rest, dossierId, ...params,
    applicant: { name: applicant.name, ...(applicant.id ? { id: applicant.id } : {}) },
    data: { ...(input.data ?? {}), applicantContact: { address: applicant.address ?? null, phone: applicant.phone ?? null, email: applicant.email ?? null } },
  }, ctx);
  if (!started.ok) throw fromEngine(started.error);
  return commitAndFollow(deps, tx, proc, null, started.value, ctx);
}

/** Applies an action to a dossier inside the caller's transaction (optimistic: the version is checked on write). */
export async function act(
  deps: Deps, tx: Tx, actor: Actor, dossierId: string, req: ActionRequest, loaded?: DossierRow,
): Promise<{ row: DossierRow; notices: BusMessage[] }> {
  // A row the caller already read is as good as a fresh one: the write checks its version.
  const row = loaded && loaded.id === dossierId ? loaded : await loadDossier(tx, dossierId);
  if (!row) throw notFound({ vi: 'hồ sơ', en: 'dossier' }, dossierId);
  const { proc, ctx, transition } = await planAction(deps, actor, row, req);
  return commitAndFollow(deps, tx, proc, row, transition, ctx);
}

/**
 * Runs the engine on a dossier row (pure but for cached reference data): what the action
 * changes, before anything is written. 409 with the current state on a stale `expectedVersion`.
 */
export async function planAction(
  deps: Deps, actor: Actor, row: DossierRow, req: ActionRequest,
): Promise<{ proc: CompiledProcedure; ctx: EngineContext; transition: Transition }> {
  const proc = await compiled(deps, row.procedureId, row.procedureVersion);
  const ctx = await context(deps, actor, row.competentUnit, deps.clock.now());
  const result = apply(proc, row.snapshot as DossierSnapshot, req, ctx);
  if (!result.ok) {
    throw fromEngine(result.error, result.error.code === 'DOSSIER_VERSION_CONFLICT' ? { current: publicState(row) } : {});
  }
  return { proc, ctx, transition: result.value };
}

/**
 * Whether a transition is written by one statement alone: it spawns no linked dossier and
 * closes no linked dossier whose parent then resumes (those follow in the same transaction).
 */
export function standsAlone(before: DossierRow, transition: Transition): boolean {
  if (transition.effects.some((e) => e.type === 'spawn')) return false;
  return !(before.parentId && before.parentKey && transition.snapshot.closedAt && !before.closedAt);
}

/** A compact current state, sent with a 409 so the client can show what changed. */
export function publicState(row: DossierRow) {
  const s = row.snapshot as DossierSnapshot;
  return { id: row.id, version: row.version, status: row.status, outcome: row.outcome, active: s.active.map((a) => a.step), dueAt: row.dueAt };
}

/**
 * Commits a transition, then what it sets in motion in the same transaction: linked
 * dossiers spawned at other units, and — when a linked dossier closes — the parent's
 * hand-off step resumed by the system with the child's outcome.
 */
async function commitAndFollow(
  deps: Deps, tx: Tx, proc: CompiledProcedure, before: DossierRow | null, transition: Transition, ctx: EngineContext,
  parent?: { id: string; key: string }, depth = 0,
): Promise<{ row: DossierRow; notices: BusMessage[] }> {
  if (depth > 5) throw new Error('Linked dossiers nest deeper than 5 levels');
  const field = proc.definition.catalog.field;
  const committed = await commitTransition(tx, { proc, before, transition, field, calendar: ctx.calendar, ...(parent ? { parent } : {}) });
  const notices = [...committed.notices];
  const s = transition.snapshot;
  for (const effect of transition.effects) {
    if (effect.type !== 'spawn') continue;
    const now = deps.clock.now();
    const version = (await versionInForce(tx, effect.procedure, now))?.version ?? null;
    if (version === null) {
      throw new HttpError(422, 'LINKED_PROCEDURE_NOT_IN_FORCE', {
        vi: `Thủ tục liên thông "${effect.procedure}" chưa có phiên bản có hiệu lực`,
        en: `Linked procedure "${effect.procedure}" has no version in force`,
      });
    }
    const child = await compiled(deps, effect.procedure, version);
    // The linked dossier's unit must be of a kind competent for its procedure (catalog/unitKinds.ts).
    const target = await deps.directory.unit(effect.unit);
    if (!target) throw notFound({ vi: 'đơn vị', en: 'unit' }, effect.unit);
    checkHandoffUnit(child.definition, target, effect.step);
    const childCtx = { ...ctx, actor: SYSTEM_ACTOR, calendar: await deps.directory.calendar(effect.unit) };
    const started = start(child, {
      dossierId: await nextDossierCode(tx, effect.unit, now), channel: s.channel, receivingUnit: effect.unit,
      applicant: s.applicant, data: effect.data,
    }, childCtx);
    if (!started.ok) throw fromEngine(started.error);
    const r = await commitAndFollow(deps, tx, child, null, started.value, childCtx, { id: s.dossierId, key: effect.key }, depth + 1);
    notices.push(...r.notices);
  }
  const row = committed.row;
  if (row.parentId && row.parentKey && s.closedAt && !before?.closedAt) {
    notices.push(...(await resumeParent(deps, tx, row, s, depth)));
  }
  return { row, notices };
}

async function resumeParent(deps: Deps, tx: Tx, child: DossierRow, s: DossierSnapshot, depth: number): Promise<BusMessage[]> {
  const parentRow = await loadDossier(tx, child.parentId as string);
  if (!parentRow) return [];
  const proc = await compiled(deps, parentRow.procedureId, parentRow.procedureVersion);
  const step = proc.steps.get(child.parentKey as string);
  const action = step?.def.actions?.find((a) => (a.role ?? step.def.role) === 'system');
  const parentSnap = parentRow.snapshot as DossierSnapshot;
  if (!step || !action || !parentSnap.active.some((a) => a.step === step.def.id)) {
    deps.logger.warn({ child: child.id, parent: parentRow.id }, 'linked dossier closed but the parent no longer waits for it');
    return [];
  }
  const ctx = await context(deps, SYSTEM_ACTOR, parentRow.competentUnit, deps.clock.now());
  const result = apply(proc, parentSnap, { step: step.def.id, action: action.id, inputs: { outcome: s.outcome === 'approved' ? 'approved' : 'rejected' } }, ctx);
  if (!result.ok) {
    deps.logger.warn({ child: child.id, parent: parentRow.id, error: result.error.code }, 'could not resume the parent dossier');
    return [];
  }
  const r = await commitAndFollow(deps, tx, proc, parentRow, result.value, ctx, undefined, depth + 1);
  return r.notices;
}
