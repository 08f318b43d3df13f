import type { Calendar } from '../calendar/types';
import type { Duration, ProcedureDefinition } from '../definition/types';
import type { DossierClock, DossierSnapshot, Effect } from './types';

const ms = (iso: string): number => Date.parse(iso);
const iso = (t: number): string => new Date(t).toISOString();

/** Starts the legal clock on acceptance; pure. */
export function startClock(clock: DossierClock, def: ProcedureDefinition, now: string, calendar: Calendar): DossierClock {
  const due = iso(calendar.addWorkingTime(ms(now), def.catalog.legalDeadline, cutoff(def)));
  return { ...clock, receivedAt: now, dueAt: due, originalDueAt: due };
}

function cutoff(def: ProcedureDefinition): { cutoffTime?: string } {
  return def.settings?.cutoffTime ? { cutoffTime: def.settings.cutoffTime } : {};
}

/** Pauses a running clock, keeping the working time left. */
export function pauseClock(clock: DossierClock, now: string, calendar: Calendar): { clock: DossierClock; effect: Effect | null } {
  if (clock.dueAt === null || clock.pausedAt !== null) return { clock, effect: null };
  const remaining = calendar.workingMinutesBetween(ms(now), ms(clock.dueAt));
  return {
    clock: { ...clock, dueAt: null, pausedAt: now, remainingMinutes: remaining },
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
  const due = def.settings?.supplementClock === 'restart'
    ? calendar.addWorkingTime(ms(now), def.catalog.legalDeadline, cutoff(def))
    : resumeAt(calendar, ms(now), clock.remainingMinutes);
  const dueAt = iso(due);
  return {
    clock: { ...clock, dueAt, pausedAt: null, remainingMinutes: null, pausedMinutes: clock.pausedMinutes + paused },
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

/** Moves the appointment later by a budget (gia hạn); the caller checks the limit. */
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

/** Due date of a step budget entered at `now`, or null without one. */
export function stepDue(budget: Duration | undefined, now: string, calendar: Calendar): string | null {
  return budget ? iso(calendar.addWorkingTime(ms(now), budget)) : null;
}

export type Timeliness = 'early' | 'on-time' | 'late';
export type Progress = 'within' | 'due-soon' | 'overdue' | 'paused' | 'not-started';

/**
 * How a closed dossier did against its appointment: early (closed on an earlier day),
 * on time (by the appointment) or late; null while open or when never accepted.
 * A dossier closed while its clock was paused counts as on time (DOMAIN.md, form II.06a).
 */
export function timeliness(snapshot: DossierSnapshot, calendar: Calendar): Timeliness | null {
  if (snapshot.closedAt === null || snapshot.clock.receivedAt === null) return null;
  if (snapshot.clock.dueAt === null) return 'on-time';
  const closed = ms(snapshot.closedAt);
  const due = ms(snapshot.clock.dueAt);
  if (closed > due) return 'late';
  return calendar.localDate(closed) < calendar.localDate(due) ? 'early' : 'on-time';
}

/**
 * Where an open dossier stands at `now`: within its time, due soon (less than one working
 * day left: the handling agency must warn the desk), overdue, paused or not yet accepted.
 */
export function progress(snapshot: DossierSnapshot, now: string, calendar: Calendar): Progress | null {
  if (snapshot.closedAt !== null) return null;
  if (snapshot.clock.receivedAt === null) return 'not-started';
  if (snapshot.clock.dueAt === null) return 'paused';
  const left = calendar.workingMinutesBetween(ms(now), ms(snapshot.clock.dueAt));
  if (ms(now) > ms(snapshot.clock.dueAt)) return 'overdue';
  return left < calendar.minutesPerDay ? 'due-soon' : 'within';
}
