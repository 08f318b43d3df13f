/**
 * Working time as people say it: "4 giờ", "1 ngày 2 giờ", "3 ngày". Step limits are often
 * in hours (a civil-status step: 2 hours), and a sum shown in fractional days read "0 ngày"
 * or "0,5" where the designer wrote hours. Pure.
 */

/** The engine's default working day (analysis/sla.ts): 8 hours. */
export const HOURS_PER_DAY = 8;

export interface WorkingTime {
  days: number;
  hours: number;
}

/** Days and hours with whole working days carried out of the hours (10 h → 1 day 2 h); hours keep two decimals at most. */
export function carryHours(sum: WorkingTime, hoursPerDay = HOURS_PER_DAY): WorkingTime {
  const total = Math.round((sum.days * hoursPerDay + sum.hours) * 100) / 100;
  const days = Math.floor(total / hoursPerDay + 1e-9);
  return { days, hours: Math.round((total - days * hoursPerDay) * 100) / 100 };
}

/** A number of working days (the analysis's `workingDays`, e.g. 0.5) as days and hours. */
export const fromWorkingDays = (workingDays: number, hoursPerDay = HOURS_PER_DAY): WorkingTime =>
  carryHours({ days: 0, hours: workingDays * hoursPerDay }, hoursPerDay);

export interface WorkingTimeWords {
  days: (n: number) => string;
  hours: (n: number) => string;
  daysHours: (days: number, hours: number) => string;
  /** Nothing at all: `{ days: 0 }`, the same working day. */
  none: string;
}

export function workingTimeText(sum: WorkingTime, words: WorkingTimeWords, hoursPerDay = HOURS_PER_DAY): string {
  const { days, hours } = carryHours(sum, hoursPerDay);
  if (days > 0 && hours > 0) return words.daysHours(days, hours);
  if (hours > 0) return words.hours(hours);
  if (days > 0) return words.days(days);
  return words.none;
}

/** The words of `common:deadline` ("{{count}} giờ"…) with numbers in the reader's format. */
export function workingTimeWords(t: (key: string, values?: { [k: string]: unknown }) => string, format: (n: number) => string, none: string): WorkingTimeWords {
  return {
    days: (n) => t('common:deadline.days', { count: format(n) }),
    hours: (n) => t('common:deadline.hours', { count: format(n) }),
    daysHours: (d, h) => t('common:deadline.daysHours', { days: format(d), hours: format(h) }),
    none,
  };
}
