import type { Calendar } from '../calendar/types';

/**
 * How far ahead of its appointment an open dossier counts as due soon: one working day, the
 * notice the handling agency owes the desk (docs/domain.md, "Deadlines").
 */
export const DUE_SOON_WORKING_DAYS = 1;

/**
 * The instant (ms) before which an appointment counts as due soon at `now`: the bound of
 * the "due soon" inbox, the dashboard count and the sweeper's notices; `progress()` marks
 * the same dossiers `due-soon`.
 */
export function dueSoonHorizon(now: number, calendar: Calendar): number {
  return calendar.addWorkingMinutes(now, calendar.minutesPerDay * DUE_SOON_WORKING_DAYS);
}
