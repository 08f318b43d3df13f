import type { CompiledProcedure } from '../compile/compile';
import type { Calendar } from '../calendar/types';
import type { LocalizedText } from '../definition/types';
import { describeAjvError } from '../definition/ajv';
import { stepDue } from '../runtime/clock';
import { resolveUnit } from '../runtime/scope';
import type { ActiveStep, ActorRef, DossierEvent, DossierSnapshot, StateValue } from '../runtime/types';
import type { DossierFate, FateReason, MigrationPlan, PlanCheck, StepMove } from './types';
import { validateMigrationPlan } from './validate';

export interface MigrateContext {
  /** ISO instant of the move (the engine has no clock). */
  now: string;
  actor: ActorRef;
  /** The calendar of the dossier's unit (a timer the new step has and the old did not counts from the step's entry). */
  calendar: Calendar;
}

/** The event a move writes in the dossier's history: replay applies the same plan again. */
export type MigratedEvent = Extract<DossierEvent, { type: 'dossier.migrated' }>;

/** The parallel steps and the innermost steps of a state value, in order. */
export function stateParts(value: StateValue): { containers: string[]; leaves: string[] } {
  const containers: string[] = [];
  const leaves: string[] = [];
  const walk = (v: StateValue): void => {
    if (typeof v === 'string') {
      leaves.push(v);
      return;
    }
    for (const [id, regions] of Object.entries(v)) {
      containers.push(id);
      for (const r of Object.values(regions as { [region: string]: StateValue })) walk(r);
    }
  };
  walk(value);
  return { containers, leaves };
}

const nameOf = (proc: CompiledProcedure, id: string): { vi: string; en: string } => {
  const n = proc.steps.get(id)?.def.name;
  return { vi: n ? `"${n.vi}" (${id})` : `"${id}"`, en: n ? `"${n.en ?? n.vi}" (${id})` : `"${id}"` };
};

/** Keys of dossier data a rule reads (`{"var": "data.key…"}`), first segment only. */
export function dataKeysOf(rule: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(rule)) {
    for (const r of rule) dataKeysOf(r, out);
  } else if (rule !== null && typeof rule === 'object') {
    for (const [op, arg] of Object.entries(rule)) {
      if (op === 'var') {
        const name = Array.isArray(arg) ? arg[0] : arg;
        if (typeof name === 'string' && name.startsWith('data.')) {
          const key = name.slice(5).split('.')[0];
          if (key) out.add(key);
        }
      }
      dataKeysOf(arg, out);
    }
  }
  return out;
}

/**
 * Data keys a step of the new version reads in its guards and routes that another step of the
 * new version collects in its form: a dossier moved past that step never gave them.
 */
function neededKeys(to: CompiledProcedure, step: string): string[] {
  const def = to.steps.get(step)?.def;
  if (!def) return [];
  const read = new Set<string>();
  for (const a of def.actions ?? []) {
    dataKeysOf(a.guard, read);
    if (Array.isArray(a.target)) for (const r of a.target) dataKeysOf(r.when, read);
  }
  if (Array.isArray(def.next)) for (const r of def.next) dataKeysOf(r.when, read);
  const collected = new Set<string>();
  for (const info of to.actions.values()) {
    if (info.step === step) continue;
    const props = (info.def.inputs as { properties?: { [k: string]: unknown } } | undefined)?.properties ?? {};
    for (const k of Object.keys(props)) if (info.mergeKeys === 'all' || info.mergeKeys.has(k)) collected.add(k);
  }
  return [...read].filter((k) => collected.has(k)).sort();
}

function reason(code: FateReason['code'], message: LocalizedText, step?: string, fields?: string[]): FateReason {
  return { code, message, ...(step !== undefined ? { step } : {}), ...(fields ? { fields } : {}) };
}

/**
 * What happens to one dossier under a plan: it moves (with its new snapshot and the history
 * event that records the move), it stays on the old version (the plan says so for a step it is
 * in), or it cannot move, with every reason. The legal clock (received time, appointment,
 * pauses, extensions, lawful extra time), the fees and parameters recorded at intake, the
 * routing and the links are never touched; each step keeps when it was entered, its SLA due
 * date, its pending timer and its holder. Pure and deterministic: replay calls it again.
 */
export function migrationFate(
  from: CompiledProcedure,
  to: CompiledProcedure,
  snapshot: DossierSnapshot,
  plan: MigrationPlan,
  ctx: MigrateContext,
  check: PlanCheck = validateMigrationPlan(from, to, plan),
): DossierFate & { event?: MigratedEvent } {
  const vFrom = from.definition.version;
  const vTo = to.definition.version;
  if (snapshot.status === 'done') {
    return { fate: 'cannot', reasons: [reason('CLOSED', { vi: 'Hồ sơ đã kết thúc', en: 'The dossier is closed' })] };
  }
  if (snapshot.procedure.version !== vFrom || snapshot.procedure.id !== from.definition.id) {
    return {
      fate: 'cannot',
      reasons: [reason('WRONG_VERSION', {
        vi: `Hồ sơ đang theo phiên bản ${snapshot.procedure.version}, không phải ${vFrom}`,
        en: `The dossier is on version ${snapshot.procedure.version}, not ${vFrom}`,
      })],
    };
  }
  const { containers, leaves } = stateParts(snapshot.state);
  const stays: FateReason[] = [];
  const problems: FateReason[] = [];
  const mapped = new Map<string, string>();
  for (const id of [...containers, ...leaves]) {
    const target = check.resolved[id];
    const n = nameOf(from, id);
    if (target === null && Object.hasOwn(plan.steps, id) && plan.steps[id] === null) {
      stays.push(reason('STAYS', { vi: `Kế hoạch giữ hồ sơ ở bước ${n.vi} theo phiên bản ${vFrom}`, en: `The plan keeps dossiers at step ${n.en} on version ${vFrom}` }, id));
    } else if (typeof target === 'string') {
      mapped.set(id, target);
    } else {
      problems.push(reason('STEP_UNMAPPED', {
        vi: `Bước ${n.vi} không có bước tương ứng ở phiên bản ${vTo}`,
        en: `Step ${n.en} has no counterpart in version ${vTo}`,
      }, id));
    }
  }
  if (stays.length > 0) return { fate: 'stays', reasons: stays };
  if (problems.length > 0) return { fate: 'cannot', reasons: problems };

  // The new state: the new innermost steps and the parallel steps around them.
  const newLeaves = leaves.map((l) => mapped.get(l)!);
  const dup = newLeaves.find((l, i) => newLeaves.indexOf(l) !== i);
  if (dup !== undefined) {
    const from2 = leaves.filter((l) => mapped.get(l) === dup);
    const n = nameOf(to, dup);
    problems.push(reason('BRANCHES_MERGED', {
      vi: `Các bước ${from2.join(', ')} đang chạy song song cùng chuyển vào bước ${n.vi}: công việc của các nhánh sẽ bị gộp`,
      en: `Steps ${from2.join(', ')}, running in parallel, would all move to step ${n.en}: the branches' work would be merged`,
    }, dup));
  }
  const ids = new Set<string>();
  for (const l of newLeaves) {
    let cur: string | null = l;
    while (cur !== null && !ids.has(cur)) {
      ids.add(cur);
      cur = to.steps.get(cur)?.parent ?? null;
    }
  }
  const build = (candidates: string[], where: { vi: string; en: string }, step?: string): StateValue | null => {
    if (candidates.length !== 1) {
      problems.push(candidates.length === 0
        ? reason('BRANCH_WITHOUT_COUNTERPART', {
          vi: `Không bước nào của hồ sơ tương ứng với ${where.vi} ở phiên bản ${vTo}`,
          en: `None of the dossier's steps has a counterpart in ${where.en} of version ${vTo}`,
        }, step)
        : reason('BRANCHES_MERGED', {
          vi: `Các bước ${candidates.join(', ')} cùng rơi vào ${where.vi}`,
          en: `Steps ${candidates.join(', ')} would all be in ${where.en}`,
        }, step));
      return null;
    }
    const id = candidates[0]!;
    const info = to.steps.get(id)!;
    if (info.def.kind !== 'parallel') return id;
    const regions: { [region: string]: StateValue } = {};
    for (const b of info.def.branches ?? []) {
      const inside = [...ids].filter((x) => to.steps.get(x)?.parent === id && to.steps.get(x)?.branch === b.id);
      const n = nameOf(to, id);
      const v = build(inside, { vi: `nhánh "${b.name.vi}" (${b.id}) của bước ${n.vi}`, en: `branch "${b.name.en ?? b.name.vi}" (${b.id}) of step ${n.en}` }, id);
      if (v !== null) regions[b.id] = v;
    }
    return { [id]: regions };
  };
  const state = build([...ids].filter((x) => to.steps.get(x)?.parent === null), { vi: 'quy trình', en: 'the process' });
  if (state === null || problems.length > 0) return { fate: 'cannot', reasons: problems };

  // The new active steps, each from the old one that maps to it.
  const newParts = stateParts(state);
  const source = new Map<string, ActiveStep>();
  for (const a of snapshot.active) {
    const t = mapped.get(a.step);
    if (t !== undefined && !source.has(t)) source.set(t, a);
  }
  const notes: LocalizedText[] = [];
  const active: ActiveStep[] = [];
  const moves: StepMove[] = [];
  for (const id of [...newParts.containers, ...newParts.leaves]) {
    const info = to.steps.get(id)!;
    if (info.def.kind === 'final') continue;
    const old = source.get(id);
    const n = nameOf(to, id);
    if (!old) {
      problems.push(reason('PARALLEL_WITHOUT_COUNTERPART', {
        vi: `Hồ sơ chưa từng vào bước song song ${n.vi} (không bước nào của phiên bản ${vFrom} tương ứng với nó)`,
        en: `The dossier was never in parallel step ${n.en} (no step of version ${vFrom} maps to it)`,
      }, id));
      continue;
    }
    const oldDef = from.steps.get(old.step)?.def;
    let timeoutAt = old.timeoutAt;
    if (old.timeoutAt !== null && !info.def.timeout) {
      problems.push(reason('TIMER_NO_PLACE', {
        vi: `Bước ${nameOf(from, old.step).vi} có hẹn giờ tự động lúc ${old.timeoutAt} nhưng bước ${n.vi} không có hẹn giờ: hẹn giờ sẽ bị mất`,
        en: `Step ${nameOf(from, old.step).en} has a pending timer at ${old.timeoutAt} but step ${n.en} has none: the timer would be lost`,
      }, old.step));
    } else if (old.timeoutAt === null && info.def.timeout) {
      timeoutAt = stepDue(info.def.timeout.after, old.enteredAt, ctx.calendar);
      notes.push({
        vi: `Bước ${n.vi} có hẹn giờ tự động: tính từ lúc hồ sơ vào bước (${old.enteredAt}), đến ${timeoutAt}`,
        en: `Step ${n.en} has a timer: counted from when the dossier entered the step (${old.enteredAt}), due ${timeoutAt}`,
      });
    }
    const link = snapshot.links[old.step];
    if (oldDef?.kind === 'handoff' && link && link.outcome === null && id !== old.step) {
      problems.push(reason('LINK_PENDING', {
        vi: `Hồ sơ liên thông tại bước ${nameOf(from, old.step).vi} chưa trả lời; câu trả lời cần về đúng bước cùng mã`,
        en: `The linked dossier of step ${nameOf(from, old.step).en} has not answered; its answer must come back to a step of the same id`,
      }, old.step));
    }
    const role = info.def.role ?? null;
    active.push({
      step: id,
      enteredAt: old.enteredAt,
      dueAt: old.dueAt,
      unit: resolveUnit(info.unit, snapshot.routing),
      role,
      assignee: role === old.role ? old.assignee : null,
      timeoutAt,
    });
    moves.push({ from: old.step, to: id });
  }
  for (const l of newParts.leaves) {
    if (to.steps.get(l)?.def.kind !== 'final') continue;
    const old = leaves.find((x) => mapped.get(x) === l);
    if (old !== undefined) moves.push({ from: old, to: l });
  }

  // Data the new version needs: its intake schema, and fields read at the new steps that another step collects.
  const data = { ...snapshot.data };
  for (const [k, v] of Object.entries(plan.data ?? {})) if (!Object.hasOwn(data, k)) data[k] = structuredClone(v);
  if (to.validateData && !to.validateData(data)) {
    const issues = (to.validateData.errors ?? []).map(describeAjvError);
    problems.push(reason('INPUTS_MISSING', {
      vi: `Dữ liệu hồ sơ không đạt yêu cầu của phiên bản ${vTo}: ${issues.map((i) => `${i.path || '/'} ${i.message.vi}`).join('; ')}`,
      en: `The dossier data does not meet version ${vTo}: ${issues.map((i) => `${i.path || '/'} ${i.message.en}`).join('; ')}`,
    }, undefined, issues.map((i) => i.path)));
  }
  for (const id of newParts.leaves) {
    const missing = neededKeys(to, id).filter((k) => !Object.hasOwn(data, k));
    if (missing.length === 0) continue;
    const n = nameOf(to, id);
    problems.push(reason('INPUTS_MISSING', {
      vi: `Bước ${n.vi} cần thông tin ${missing.join(', ')} mà hồ sơ chưa có (phiên bản ${vTo} thu thập ở bước khác); hãy cho giá trị trong "data" của kế hoạch`,
      en: `Step ${n.en} needs ${missing.join(', ')}, which the dossier lacks (version ${vTo} collects it at another step); give a value in the plan's "data"`,
    }, id, missing.map((k) => `/${k}`)));
  }
  if (problems.length > 0) return { fate: 'cannot', reasons: problems };

  const next: DossierSnapshot = {
    ...snapshot,
    procedure: { id: to.definition.id, version: vTo, code: to.definition.catalog.code },
    version: snapshot.version + 1,
    state,
    active,
    data,
  };
  const event: MigratedEvent = {
    type: 'dossier.migrated', seq: next.version, at: ctx.now, actor: { id: ctx.actor.id, name: ctx.actor.name, kind: ctx.actor.kind },
    fromVersion: vFrom, toVersion: vTo, plan: structuredClone(plan), moves,
  };
  return { fate: 'moves', snapshot: next, moves, notes, event };
}
