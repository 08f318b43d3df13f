/**
 * The designer's simulation: a dossier run through the engine in the browser, with a
 * simulated clock and stand-in actors (one per role, all at one simulated unit). Pure:
 * every function takes the state and returns the next one.
 */
// The engine's schema checks interpret (no eval under the CSP): installed before any runs.
import '../../../validation/engine';
import { allSteps } from '@motcua/engine/steps';
import { stepNameOf } from './targets';
import {
  apply, availableActions, compileProcedure, createCalendar, localInstant, start, VN_DEFAULT_CALENDAR,
  type Actor, type AvailableAction, type Calendar, type CompiledProcedure, type DossierSnapshot, type EngineError, type ProcedureDefinition,
} from '@motcua/engine';

export const SIM_UNIT = 'SIM';
export const simCalendar: Calendar = createCalendar(VN_DEFAULT_CALENDAR);

export interface SimLogEntry {
  at: string;
  role: string;
  step: string;
  action: string;
  label: { vi: string; en?: string };
  to: string[];
}

export interface SimState {
  proc: CompiledProcedure;
  snapshot: DossierSnapshot;
  /** The simulated clock (ISO instant). */
  now: string;
  log: SimLogEntry[];
}

/** A stand-in actor: the applicant, the system, or an officer holding `role` at the simulated unit. */
export function actorFor(role: string): Actor {
  if (role === 'applicant') return { id: 'sim-applicant', name: 'Người nộp hồ sơ', kind: 'applicant', grants: [] };
  if (role === 'system') return { id: 'sim-system', name: 'Hệ thống', kind: 'system', grants: [] };
  return { id: `sim-${role}`, name: role, kind: 'officer', grants: [{ role, unit: SIM_UNIT, position: 'head' }] };
}

/** 08:00 (Vietnam) of the first working day on or after `from`: a simulation starts in office hours. */
export function firstOfficeMorning(from: Date, calendar: Calendar = simCalendar): string {
  let day = calendar.localDate(from.getTime());
  for (let i = 0; i < 30 && !calendar.isWorkingDay(day); i += 1) {
    day = calendar.localDate(Date.parse(localInstant(day, '12:00')) + 86_400_000);
  }
  return new Date(localInstant(day, '08:00')).toISOString();
}

export type SimResult = { ok: true; state: SimState } | { ok: false; error: EngineError | { code: string; message: { vi: string; en: string } } };

/** Compiles the definition and starts a dossier at `now` with `data`. */
export function startSimulation(def: ProcedureDefinition, now: string, data: { [k: string]: unknown }): SimResult {
  let proc: CompiledProcedure;
  try {
    proc = compileProcedure(def);
  } catch {
    return { ok: false, error: { code: 'DEFINITION_INVALID', message: { vi: 'Quy trình còn lỗi, chưa chạy thử được: sửa các lỗi trong danh sách kiểm tra trước', en: 'The procedure has errors and cannot run: fix the errors in the check list first' } } };
  }
  const r = start(proc, {
    dossierId: 'SIM-000001', channel: 'direct', receivingUnit: SIM_UNIT, applicant: { id: 'sim-applicant', name: 'Nguyễn Văn A' }, data,
  }, { now, actor: actorFor(proc.deskRole ?? 'applicant'), calendar: simCalendar });
  if (!r.ok) return { ok: false, error: r.error };
  return { ok: true, state: { proc, snapshot: r.value.snapshot, now, log: [] } };
}

export function actionsFor(state: SimState, role: string): AvailableAction[] {
  return availableActions(state.proc, state.snapshot, { now: state.now, actor: actorFor(role), calendar: simCalendar });
}

/** Takes an action as `role` at the simulated time. */
export function takeAction(state: SimState, role: string, step: string, action: string, inputs: { [k: string]: unknown }): SimResult {
  const r = apply(state.proc, state.snapshot, { step, action, inputs, expectedVersion: state.snapshot.version }, {
    now: state.now, actor: actorFor(role), calendar: simCalendar,
  });
  if (!r.ok) return { ok: false, error: r.error };
  const available = actionsFor(state, role).find((a) => a.step === step && a.action === action);
  const entry: SimLogEntry = { at: state.now, role, step, action, label: available?.label ?? actionLabel(state.proc.definition, step, action) ?? { vi: action }, to: r.value.snapshot.active.map((a) => a.step) };
  return { ok: true, state: { ...state, snapshot: r.value.snapshot, log: [...state.log, entry] } };
}

/** Moves the simulated clock: one hour of real time, or one working day of working time (Friday 9:00 → Monday 9:00). */
export function advance(state: SimState, by: 'hour' | 'day'): SimState {
  const t = Date.parse(state.now);
  const next = by === 'hour' ? t + 3_600_000 : simCalendar.addWorkingMinutes(t, simCalendar.minutesPerDay);
  return { ...state, now: new Date(next).toISOString() };
}

/** Roles that may act on the dossier now: the roles of the active steps and their actions, plus the applicant. */
export function rolesInPlay(state: SimState, declared: readonly string[]): string[] {
  const out = new Set<string>();
  for (const role of [...declared, 'applicant', 'system']) {
    if (actionsFor(state, role).length > 0) out.add(role);
  }
  return [...out];
}

type Obj = { [k: string]: unknown };
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Placeholder dossier data that satisfies the required fields of a data schema (first choice, a date, "x", 1, true…), so a simulation can start without typing a whole dossier.
 */
export function sampleData(schema: unknown): unknown {
  if (!isObj(schema)) return {};
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  // A labelled choice list (docs/forms.md): its first choice.
  if (Array.isArray(schema.oneOf) && isObj(schema.oneOf[0]) && 'const' in schema.oneOf[0]) return schema.oneOf[0].const;
  if (schema.default !== undefined) return schema.default;
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === 'object' || isObj(schema.properties)) {
    const props = isObj(schema.properties) ? schema.properties : {};
    const required = Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : [];
    return Object.fromEntries(required.map((k) => [k, sampleData(props[k])]));
  }
  if (type === 'string') {
    if (schema.format === 'date') return '2026-01-05';
    if (schema.format === 'date-time') return '2026-01-05T08:00:00+07:00';
    if (schema.format === 'email') return 'cong.dan@example.vn';
    if (typeof schema.pattern === 'string' && /\[0-9\]\{(\d+)\}/.test(schema.pattern)) return '0'.repeat(Number(/\{(\d+)\}/.exec(schema.pattern)![1]));
    return 'Nguyễn Văn A';
  }
  if (type === 'number' || type === 'integer') return typeof schema.minimum === 'number' ? schema.minimum : 1;
  if (type === 'boolean') return true;
  if (type === 'array') return [];
  return null;
}

/** The label the designer gave an action of a step (or a global action), if any. */
function actionLabel(def: ProcedureDefinition, step: string, action: string): { vi: string; en?: string } | null {
  const own = allSteps(def.steps).find((s) => s.id === step)?.actions ?? [];
  return [...own, ...(def.globalActions ?? [])].find((a) => a.id === action)?.label ?? null;
}

export interface SimLogWords {
  applicant: string;
  system: string;
  /** Shown when the dossier has no active step left (it ended). */
  ended: string;
}

const inLang = (text: { vi: string; en?: string }, lang: 'vi' | 'en'): string => (lang === 'en' && text.en ? text.en : text.vi);

/** A role as the designer named it; the stand-ins "applicant" and "system" in the user's words. */
export function roleName(def: ProcedureDefinition, role: string, lang: 'vi' | 'en', words: Pick<SimLogWords, 'applicant' | 'system'>): string {
  if (role === 'applicant') return words.applicant;
  if (role === 'system') return words.system;
  const declared = def.roles.find((r) => r.id === role);
  return declared ? inLang(declared.name, lang) : role;
}

/**
 * A log entry in the names the designer gave (role, action, steps reached), not their ids:
 * the designer reads the run as the process they drew. An id with no name stays as it is. Pure.
 */
export function describeLogEntry(def: ProcedureDefinition, entry: SimLogEntry, lang: 'vi' | 'en', words: SimLogWords): { role: string; action: string; to: string } {
  return {
    role: roleName(def, entry.role, lang, words),
    action: inLang(entry.label, lang),
    to: entry.to.length > 0 ? entry.to.map((id) => stepNameOf(def.steps, id, lang)).join(', ') : words.ended,
  };
}
