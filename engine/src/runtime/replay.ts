import type { CompiledProcedure } from '../compile/compile';
import type { Calendar } from '../calendar/types';
import { applyRecorded, findAction, startRecorded } from './apply';
import { fail } from './errors';
import type { DossierEvent, DossierSnapshot, Result } from './types';

/**
 * Rebuilds a dossier's snapshot from its event log alone. Authority is a recorded fact
 * and is not checked again; everything else (inputs, guards, routes, clock) is recomputed,
 * so a log that does not replay exposes non-determinism or tampering. Pure.
 */
export function replay(proc: CompiledProcedure, events: readonly DossierEvent[], ctx: { calendar: Calendar }): Result<DossierSnapshot> {
  const [first, ...rest] = events;
  if (!first || first.type !== 'dossier.started') {
    return fail('REPLAY_MISMATCH', { vi: 'Nhật ký phải bắt đầu bằng sự kiện dossier.started', en: 'The log must begin with dossier.started' });
  }
  let snapshot = startRecorded(proc, first.input, first.at, first.actor, ctx.calendar).snapshot;
  for (const e of rest) {
    if (e.type !== 'action.applied' || e.seq !== snapshot.version + 1) {
      return fail('REPLAY_MISMATCH', {
        vi: `Sự kiện số ${e.seq} không nối tiếp phiên bản ${snapshot.version}`,
        en: `Event ${e.seq} does not follow version ${snapshot.version}`,
      });
    }
    const found = findAction(proc, snapshot, e.step, e.action);
    if (!found.ok) return fail('REPLAY_MISMATCH', found.error.message);
    const auth = {
      ...(e.onBehalfOf ? { onBehalfOf: e.onBehalfOf } : {}), ...(e.delegationId ? { delegationId: e.delegationId } : {}),
      ...(e.capacity ? { capacity: e.capacity } : {}),
    };
    const applied = applyRecorded(proc, snapshot, found.value, e.inputs, { now: e.at, actor: e.actor, calendar: ctx.calendar }, auth);
    if (!applied.ok) return fail('REPLAY_MISMATCH', applied.error.message);
    snapshot = applied.value.snapshot;
  }
  return { ok: true, value: snapshot };
}
