/**
 * Names who changed a dossier when an officer's action arrives on a stale version, so the
 * 409 can say "Hồ sơ vừa được Trần B phê duyệt lúc 10:05" instead of a bare "reload".
 */
import { actionInfo, GLOBAL_STEP, type CompiledProcedure } from '@motcua/engine';
import { HttpError } from '../http/errors';
import type { Deps } from '../deps';
import { iso } from '../db/time';
import type { DossierRow } from './repo';
import { lastEvent } from './repo';

/** The definition of the action an event records (a step's own, or a global one), from the dossier's own procedure version (it may be retired since). */
function appliedAction(proc: CompiledProcedure | null | undefined, p: { step?: string; action?: string }) {
  if (!proc || !p.step || !p.action) return undefined;
  return (actionInfo(proc, p.step, p.action) ?? actionInfo(proc, GLOBAL_STEP, p.action))?.def;
}

/** The label of the action an event records; null for other events. */
export const actionLabel = (proc: CompiledProcedure | null | undefined, p: { step?: string; action?: string }) => appliedAction(proc, p)?.label ?? null;

/** The input form of the action an event records (its titles, order and choice labels), null when it has none. */
export const actionInputs = (proc: CompiledProcedure | null | undefined, p: { step?: string; action?: string }) => appliedAction(proc, p)?.inputs ?? null;

/** The dossier's last event: who, when, and which action (its label; null for other events). */
export async function lastChange(deps: Deps, row: Pick<DossierRow, 'id' | 'procedureId' | 'procedureVersion'>) {
  const e = await lastEvent(deps.db, row.id);
  if (!e) return null;
  const proc = await deps.directory.procedure(row.procedureId, row.procedureVersion);
  return { actor: { id: e.actorId, name: e.actorName }, at: iso(e.at), label: actionLabel(proc, e.payload as { step?: string; action?: string }) };
}

// The refusals that mean "the dossier moved under you": the officer's screen was stale.
const STALE = new Set(['DOSSIER_VERSION_CONFLICT', 'ACTION_NOT_AVAILABLE', 'DOSSIER_CLOSED']);

/** Adds `lastChange` to a 409 that says the dossier moved on; any other error passes unchanged. */
export async function explainConflict(deps: Deps, row: Pick<DossierRow, 'id' | 'procedureId' | 'procedureVersion'>, e: unknown): Promise<unknown> {
  if (!(e instanceof HttpError) || e.status !== 409 || !STALE.has(e.code)) return e;
  return new HttpError(e.status, e.code, e.messages, e.issues, { ...(e.details ?? {}), lastChange: await lastChange(deps, row) });
}
