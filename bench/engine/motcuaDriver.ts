import { compileProcedure } from '../../engine/src/compile/index';
import { createCalendar, VN_DEFAULT_CALENDAR } from '../../engine/src/calendar/index';
import { apply, start } from '../../engine/src/runtime/index';
import type { Actor } from '../../engine/src/delegation/types';
import type { ProcedureDefinition } from '../../engine/src/definition/types';
import type { DossierSnapshot, EngineContext } from '../../engine/src/runtime/types';
import type { Driver } from '../lib/measure';

/** The unit every dossier is received and decided at. */
export const UNIT = '000.00.12.H99';

const officer = (id: string, name: string, role: string, extra: Partial<Actor['grants'][number]> = {}): Actor => ({
  id, name, kind: 'officer', grants: [{ role, unit: UNIT, ...extra }],
});

/** One officer per role of the procedure: the correct actor for each step. */
export const ACTORS: { [role: string]: Actor } = {
  desk: officer('lan', 'Nguyễn Thị Lan', 'desk'),
  specialist: officer('minh', 'Lê Văn Minh', 'specialist'),
  leader: officer('tuan', 'Phạm Anh Tuấn', 'leader', { position: 'deputy', title: 'PHÓ GIÁM ĐỐC' }),
};

/** The steps that take an action, in order, with who takes it: read from the definition. */
export function actionSteps(def: ProcedureDefinition): { step: string; actor: Actor }[] {
  return def.steps.filter((s) => s.kind !== 'final').map((s) => {
    const actor = ACTORS[s.role ?? ''];
    if (!actor) throw new Error(`bench: no actor for role "${s.role ?? ''}" of step "${s.id}"`);
    return { step: s.id, actor };
  });
}

const MINUTE = 60_000;
/** Monday 2 March 2026, 07:45 in Hà Nội. */
const BASE = Date.parse('2026-03-02T07:45:00+07:00');

/**
 * motcua, per action, exactly what the server does per request after loading the row:
 *   1. `JSON.parse` the stored snapshot (the `dossiers` row),
 *   2. `apply()` the action with the actor and `now`: closed/version check, availability,
 *      authority (role and unit, signing formula for the leader), guard, the XState
 *      transition, step due dates on the working-day calendar, effects, the event,
 *   3. `JSON.stringify` the new snapshot (the row), its events (the log) and its effects
 *      (the outbox).
 * The compiled procedure and the calendar are built once, as the server caches them.
 * Dossiers start (untimed) on different days and times; each action comes 2½ hours of
 * wall-clock time after the previous one, so due dates cross lunch breaks, nights and weekends.
 */
export function motcuaDriver(definitionJson: string): Driver & { bytesPerAction(): number } {
  const def = JSON.parse(definitionJson) as ProcedureDefinition;
  const proc = compileProcedure(def);
  const calendar = createCalendar(VN_DEFAULT_CALENDAR);
  const steps = actionSteps(def);
  const actions = steps.length;
  let store: string[] = [];
  let nows: string[] = [];
  let written = 0;
  let taken = 0;

  return {
    name: 'motcua',
    async prepare(round, dossiers) {
      store = new Array<string>(dossiers);
      nows = new Array<string>(dossiers * actions);
      for (let d = 0; d < dossiers; d++) {
        const at = BASE + (d % 20) * 1440 * MINUTE + (d % 7) * 37 * MINUTE;
        for (let a = 0; a < actions; a++) nows[d * actions + a] = new Date(at + (a + 1) * 150 * MINUTE).toISOString();
        const ctx: EngineContext = { now: new Date(at).toISOString(), actor: ACTORS['desk'] as Actor, calendar };
        const started = start(proc, {
          dossierId: `R${round}-D${d}`,
          channel: 'direct',
          receivingUnit: UNIT,
          applicant: { id: `0010${String(d).padStart(8, '0')}`, name: 'Trần Văn Bình' },
          data: {
            idNumber: `0010${String(d).padStart(8, '0')}`,
            address: 'Số 12 phố Hàng Bạc, phường Hoàn Kiếm, Hà Nội',
            phone: '0912345678',
            subject: 'Đề nghị cấp giấy phép',
            pages: 12,
          },
        }, ctx);
        if (!started.ok) throw new Error(`bench: start failed: ${started.error.code} ${started.error.message.en}`);
        store[d] = JSON.stringify(started.value.snapshot);
      }
    },
    act(d, a) {
      const { step, actor } = steps[a] as { step: string; actor: Actor };
      const snapshot = JSON.parse(store[d] as string) as DossierSnapshot;
      const r = apply(proc, snapshot, { step, action: 'next', inputs: {}, expectedVersion: snapshot.version },
        { now: nows[d * actions + a] as string, actor, calendar });
      if (!r.ok) throw new Error(`bench: ${step}:next failed: ${r.error.code} ${r.error.message.en}`);
      const row = JSON.stringify(r.value.snapshot);
      const log = JSON.stringify(r.value.events);
      const outbox = JSON.stringify(r.value.effects);
      store[d] = row;
      written += row.length + log.length + outbox.length;
      taken++;
      return undefined;
    },
    verify() {
      for (const row of store) {
        const s = JSON.parse(row) as DossierSnapshot;
        if (s.status !== 'done' || s.outcome !== 'approved' || s.version !== actions + 1) {
          throw new Error(`bench: motcua dossier ${s.dossierId} ended ${s.status}/${s.outcome ?? '-'} at version ${s.version}`);
        }
      }
    },
    bytesPerAction: () => Math.round(written / Math.max(1, taken)),
  };
}
