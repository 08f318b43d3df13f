import type { Calendar } from '../calendar/types';
import type { Duration, ProcedureDefinition } from '../definition/types';
import type { DossierClock, DossierSnapshot, Effect } from './types';
import { DUE_SOON_WORKING_DAYS } from './dueSoon';

const ms = (iso: string): number => Date.parse(iso);
const iso = (t: number): string => new Date(t).toISOString();

/** Starts the legal clock on acceptance; pure. */
export function startClock(clock: DossierClock, def: ProcedureDefinition, now: string, calendar: Calendar): DossierClock {
  const due = iso(calendar.addWorkingTime(ms(now), def.catalog.legalDeadline, cutoff(def)));
  return { ...clock, receivedAt: now, dueAt: due, originalDueAt: due, lawfulDueAt: due };
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
    const legal = calendar.addWorkingTime(ms(now), def.catalog.legalDeadline, cutoff(def));
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
  return budget ? iso(calendar.addWorkingTime(ms(now), budget)) : null;
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
