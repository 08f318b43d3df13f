import type { Calendar } from '../calendar/types';
import type { RuleScope } from '../compile/compile';
import type { Duration, ProcedureDefinition } from '../definition/types';
import { holds } from '../expr/jsonLogic';
import type { DossierClock, DossierSnapshot, Effect } from './types';
import { DUE_SOON_WORKING_DAYS } from './dueSoon';

const ms = (iso: string): number => Date.parse(iso);
const iso = (t: number): string => new Date(t).toISOString();

/** Only `days` or `hours` of a legal time or SLA: the calendar wants a bare duration. */
function bare(d: Duration): Duration {
  return d.days !== undefined ? { days: d.days } : { hours: d.hours ?? 0 };
}

/** The case of a case-dependent legal time that holds on this scope: its index, -1 for the base. */
export function legalCaseOf(def: ProcedureDefinition, scope: RuleScope): number {
  const cases = def.catalog.legalDeadline.cases ?? [];
  return cases.findIndex((c) => holds(c.when, scope));
}

/** The legal time of a case index (-1 or an unknown index: the base). */
export function legalTimeOf(def: ProcedureDefinition, index: number | undefined): Duration {
  const chosen = index !== undefined && index >= 0 ? def.catalog.legalDeadline.cases?.[index] : undefined;
  return bare(chosen ?? def.catalog.legalDeadline);
}

const dependsOnCase = (def: ProcedureDefinition): boolean => (def.catalog.legalDeadline.cases ?? []).length > 0;

/** Starts the legal clock on acceptance, with the legal time of the case that holds then; pure. */
export function startClock(clock: DossierClock, def: ProcedureDefinition, now: string, calendar: Calendar, scope?: RuleScope): DossierClock {
  const index = dependsOnCase(def) && scope ? legalCaseOf(def, scope) : -1;
  const due = iso(calendar.addWorkingTime(ms(now), legalTimeOf(def, index), cutoff(def)));
  const started: DossierClock = { ...clock, receivedAt: now, dueAt: due, originalDueAt: due, lawfulDueAt: due };
  return dependsOnCase(def) ? { ...started, legalCase: index } : started;
}

/**
 * Follows a case-dependent legal time after an action: when another case holds now (e.g. the
 * specialist found that verification is needed), the appointment and the date lateness is
 * judged against move by the difference between the two legal times counted from acceptance.
 * It is the law's time, not lateness: no apology, and the receipt slip's appointment stays.
 */
export function reviseLegalCase(clock: DossierClock, def: ProcedureDefinition, scope: RuleScope, calendar: Calendar): { clock: DossierClock; effect: Effect | null } {
  if (!dependsOnCase(def) || clock.receivedAt === null) return { clock, effect: null };
  const before = clock.legalCase ?? -1;
  const after = legalCaseOf(def, scope);
  if (after === before) return { clock, effect: null };
  const from = ms(clock.receivedAt);
  const oldEnd = calendar.addWorkingTime(from, legalTimeOf(def, before), cutoff(def));
  const newEnd = calendar.addWorkingTime(from, legalTimeOf(def, after), cutoff(def));
  const delta = newEnd >= oldEnd ? calendar.workingMinutesBetween(oldEnd, newEnd) : -calendar.workingMinutesBetween(newEnd, oldEnd);
  // Going back lands on the start of a working day; one minute further back and forward again
  // lands on the end of the previous one, where appointments sit.
  const shift = (t: number): number => (delta >= 0 ? calendar.addWorkingMinutes(t, delta) : calendar.addWorkingMinutes(calendar.addWorkingMinutes(t, delta - 1), 1));
  let next: DossierClock = { ...clock, legalCase: after };
  if (clock.dueAt !== null) {
    next = {
      ...next,
      dueAt: iso(shift(ms(clock.dueAt))),
      lawfulDueAt: iso(shift(ms(clock.lawfulDueAt ?? clock.dueAt))),
    };
  } else if (clock.remainingMinutes !== null) {
    next = {
      ...next,
      remainingMinutes: clock.remainingMinutes + delta,
      lawfulRemainingMinutes: (clock.lawfulRemainingMinutes ?? clock.remainingMinutes) + delta,
    };
  }
  return { clock: next, effect: { type: 'deadlineChanged', dueAt: next.dueAt, reason: null, kind: 'legal-case' } };
}

function cutoff(def: ProcedureDefinition): { cutoffTime?: string } {
  return def.settings?.cutoffTime ? { cutoffTime: def.settings.cutoffTime } : {};
}

/** Pauses a running clock, keeping the working time left. */
export function pauseClock(clock: DossierClock, now: string, calendar: Calendar): { clock: DossierClock; effect: Effect | null } {
  if (clock.dueAt === null || clock.pausedAt !== null) return { clock, effect: null };
  const remaining = calendar.workingMinutesBetween(ms(now), ms(clock.dueAt));
  const lawful = clock.lawfulDueAt === null ? remaining : calendar.workingMinutesBetween(ms(now), ms(clock.lawfulDueAt));
  return {
    clock: { ...clock, dueAt: null, pausedAt: now, remainingMinutes: remaining, lawfulDueAt: null, lawfulRemainingMinutes: lawful },
    effect: { type: 'clockPaused', remainingMinutes: remaining },
  };
}

/**
 * Resumes a paused clock. With `pause` the remaining working time is added to now, so
 * nothing "catches up" at once; with `restart` the whole legal time starts again.
 */
export function resumeClock(
  clock: DossierClock,
  def: ProcedureDefinition,
  now: string,
  calendar: Calendar,
): { clock: DossierClock; effect: Effect | null } {
  if (clock.pausedAt === null || clock.remainingMinutes === null) return { clock, effect: null };
  const paused = Math.max(0, calendar.workingMinutesBetween(ms(clock.pausedAt), ms(now)));
  const lawfulLeft = clock.lawfulRemainingMinutes ?? clock.remainingMinutes;
  // What apologies added on top of the lawful time survives a restart; lawful extra time too.
  const delay = Math.max(0, clock.remainingMinutes - lawfulLeft);
  let lawful: number;
  let due: number;
  if (def.settings?.supplementClock === 'restart') {
    const legal = calendar.addWorkingTime(ms(now), legalTimeOf(def, clock.legalCase), cutoff(def));
    lawful = clock.extraTimeDays > 0 ? calendar.addWorkingMinutes(legal, clock.extraTimeDays * calendar.minutesPerDay) : legal;
    due = delay > 0 ? calendar.addWorkingMinutes(lawful, delay) : lawful;
  } else {
    lawful = resumeAt(calendar, ms(now), lawfulLeft);
    due = resumeAt(calendar, ms(now), clock.remainingMinutes);
  }
  const dueAt = iso(due);
  return {
    clock: {
      ...clock, dueAt, pausedAt: null, remainingMinutes: null, pausedMinutes: clock.pausedMinutes + paused,
      lawfulDueAt: iso(lawful), lawfulRemainingMinutes: null,
    },
    effect: { type: 'clockResumed', dueAt },
  };
}

/**
 * The appointment when `remaining` working minutes are left at `now`. With none left it is
 * the next working instant (never a weekend or holiday, even when resumed on one).
 */
function resumeAt(calendar: Calendar, now: number, remaining: number): number {
  if (remaining !== 0) return calendar.addWorkingMinutes(now, remaining);
  return calendar.addWorkingMinutes(calendar.addWorkingMinutes(now, 1), -1);
}

/**
 * Moves the appointment later by a budget after an apology (form 04); the caller checks the
 * limit. The lawful appointment stays: the dossier is late if it is returned after it.
 */
export function extendClock(clock: DossierClock, by: Duration, calendar: Calendar): DossierClock {
  // Whole working days measured from the appointment itself, so +2 days from Thursday 17:00 is Monday 17:00.
  const extra = by.days !== undefined ? by.days * calendar.minutesPerDay : (by.hours ?? 0) * 60;
  if (clock.dueAt !== null) {
    return { ...clock, dueAt: iso(calendar.addWorkingMinutes(ms(clock.dueAt), extra)), extensions: clock.extensions + 1 };
  }
  if (clock.remainingMinutes !== null) {
    return { ...clock, remainingMinutes: clock.remainingMinutes + extra, extensions: clock.extensions + 1 };
  }
  return clock;
}

/**
 * Grants lawful extra time (docs/records.md): both the appointment and the date lateness is
 * judged against move by whole working days; the caller checks the legal maximum.
 */
export function grantExtraTime(clock: DossierClock, days: number, calendar: Calendar): DossierClock {
  const extra = days * calendar.minutesPerDay;
  const extraTimeDays = clock.extraTimeDays + days;
  if (clock.dueAt !== null) {
    const lawfulFrom = clock.lawfulDueAt ?? clock.dueAt;
    return {
      ...clock, extraTimeDays,
      dueAt: iso(calendar.addWorkingMinutes(ms(clock.dueAt), extra)),
      lawfulDueAt: iso(calendar.addWorkingMinutes(ms(lawfulFrom), extra)),
    };
  }
  if (clock.remainingMinutes !== null) {
    return {
      ...clock, extraTimeDays,
      remainingMinutes: clock.remainingMinutes + extra,
      lawfulRemainingMinutes: (clock.lawfulRemainingMinutes ?? clock.remainingMinutes) + extra,
    };
  }
  return clock;
}

/** Due date of a step budget entered at `now`, or null without one. */
export function stepDue(budget: Duration | undefined, now: string, calendar: Calendar): string | null {
  return budget ? iso(calendar.addWorkingTime(ms(now), bare(budget))) : null;
}

export type Timeliness = 'early' | 'on-time' | 'late';
export type Progress = 'within' | 'due-soon' | 'overdue' | 'paused' | 'not-started';

/**
 * The date lateness is judged against: the receipt slip's appointment plus lawful extra time
 * (never a date an apology moved; docs/records.md); null while paused or before acceptance.
 */
export function lawfulDue(clock: DossierClock): string | null {
  if (clock.pausedAt !== null) return null;
  // Snapshots stored before lawful extra time existed carry no lawfulDueAt: their appointment was lawful unless an apology moved it.
  return clock.lawfulDueAt ?? (clock.extensions > 0 ? clock.originalDueAt : clock.dueAt) ?? null;
}

/**
 * How a closed dossier did against its lawful appointment: early (closed on an earlier day),
 * on time (by it) or late; null while open or when never accepted. An apology does not
 * make a late dossier on time. A dossier closed while its clock was paused counts as on
 * time (docs/records.md, form II.06a).
 */
export function timeliness(snapshot: DossierSnapshot, calendar: Calendar): Timeliness | null {
  if (snapshot.closedAt === null || snapshot.clock.receivedAt === null) return null;
  const lawful = lawfulDue(snapshot.clock);
  if (lawful === null) return 'on-time';
  const closed = ms(snapshot.closedAt);
  const due = ms(lawful);
  if (closed > due) return 'late';
  return calendar.localDate(closed) < calendar.localDate(due) ? 'early' : 'on-time';
}

/**
 * Where an open dossier stands at `now`: within its time, due soon (less than one working
 * day left: the handling agency must warn the desk), overdue (past its lawful appointment,
 * whatever an apology promised), paused or not yet accepted.
 */
export function progress(snapshot: DossierSnapshot, now: string, calendar: Calendar): Progress | null {
  if (snapshot.closedAt !== null) return null;
  if (snapshot.clock.receivedAt === null) return 'not-started';
  const lawful = lawfulDue(snapshot.clock);
  if (snapshot.clock.dueAt === null || lawful === null) return 'paused';
  if (ms(now) > ms(lawful)) return 'overdue';
  const left = calendar.workingMinutesBetween(ms(now), ms(snapshot.clock.dueAt));
  return left < calendar.minutesPerDay * DUE_SOON_WORKING_DAYS ? 'due-soon' : 'within';
}
