import type { CompiledProcedure } from '../compile/compile';
import type { Calendar } from '../calendar/types';
import { migrationFate } from '../migration/migrate';
import { applyRecorded, findAction, startRecorded } from './apply';
import { fail } from './errors';
import type { DossierEvent, DossierSnapshot, Result } from './types';

export interface ReplayContext {
  calendar: Calendar;
  /**
   * Other versions of the procedure, for a log that crossed a migration (`dossier.migrated`):
   * the log starts on the first migration's `fromVersion` and ends on the last one's `toVersion`.
   * `proc` may be any of them.
   */
  versions?: (version: number) => CompiledProcedure | null | undefined;
}

/**
 * Rebuilds a dossier's snapshot from its event log alone. Authority is a recorded fact
 * and is not checked again; everything else (inputs, guards, routes, clock, migrations) is
 * recomputed, so a log that does not replay exposes non-determinism or tampering. Pure.
 */
export function replay(proc: CompiledProcedure, events: readonly DossierEvent[], ctx: ReplayContext): Result<DossierSnapshot> {
  const [first, ...rest] = events;
  if (!first || first.type !== 'dossier.started') {
    return fail('REPLAY_MISMATCH', { vi: 'Nhật ký phải bắt đầu bằng sự kiện dossier.started', en: 'The log must begin with dossier.started' });
  }
  const version = (v: number): CompiledProcedure | null => (v === proc.definition.version ? proc : ctx.versions?.(v) ?? null);
  const firstMove = rest.find((e) => e.type === 'dossier.migrated');
  let current = firstMove ? version(firstMove.fromVersion) : proc;
  if (!current) return missing(firstMove!.fromVersion);
  let snapshot = startRecorded(current, first.input, first.at, first.actor, ctx.calendar).snapshot;
  for (const e of rest) {
    if (e.seq !== snapshot.version + 1 || e.type === 'dossier.started') {
      return fail('REPLAY_MISMATCH', {
        vi: `Sự kiện số ${e.seq} không nối tiếp phiên bản ${snapshot.version}`,
        en: `Event ${e.seq} does not follow version ${snapshot.version}`,
      });
    }
    if (e.type === 'dossier.migrated') {
      const to = version(e.toVersion);
      if (!to) return missing(e.toVersion);
      const fate = migrationFate(current, to, snapshot, e.plan, { now: e.at, actor: e.actor, calendar: ctx.calendar });
      if (fate.fate !== 'moves') {
        return fail('REPLAY_MISMATCH', {
          vi: `Sự kiện số ${e.seq}: hồ sơ không chuyển được sang phiên bản ${e.toVersion} (${fate.reasons.map((r) => r.message.vi).join('; ')})`,
          en: `Event ${e.seq}: the dossier cannot move to version ${e.toVersion} (${fate.reasons.map((r) => r.message.en).join('; ')})`,
        });
      }
      snapshot = fate.snapshot;
      current = to;
      continue;
    }
    const found = findAction(current, snapshot, e.step, e.action);
    if (!found.ok) return fail('REPLAY_MISMATCH', found.error.message);
    const auth = {
      ...(e.onBehalfOf ? { onBehalfOf: e.onBehalfOf } : {}), ...(e.delegationId ? { delegationId: e.delegationId } : {}),
      ...(e.capacity ? { capacity: e.capacity } : {}),
    };
    const applied = applyRecorded(current, snapshot, found.value, e.inputs, { now: e.at, actor: e.actor, calendar: ctx.calendar }, auth);
    if (!applied.ok) return fail('REPLAY_MISMATCH', applied.error.message);
    snapshot = applied.value.snapshot;
  }
  return { ok: true, value: snapshot };
}

function missing(v: number): Result<DossierSnapshot> {
  return fail('REPLAY_MISMATCH', {
    vi: `Nhật ký đi qua phiên bản ${v} của thủ tục nhưng phiên bản này không được cung cấp`,
    en: `The log goes through version ${v} of the procedure, which was not given`,
  });
}
