import type { Duration } from '../definition/types';

/** A calendar day written as "YYYY-MM-DD" in the calendar's own time zone. */
export type IsoDate = string;

/** One dated day in the yearly data, with its Vietnamese name when it has one. */
export interface DayEntry {
  date: IsoDate;
  name?: string;
}

/** What administrators edit per year: statutory holidays, swapped working Saturdays, extra days off. */
export interface YearCalendar {
  /** Public holidays (ngày nghỉ lễ, Tết) decided for this year. */
  holidays?: DayEntry[];
  /** Weekend days worked instead (ngày làm bù). */
  workdays?: DayEntry[];
  /** Extra days off (ngày nghỉ bù, bridge days). */
  daysOff?: DayEntry[];
  /** When true, `holidays` replaces the computed statutory defaults for this year instead of adding to them. */
  replaceDefaults?: boolean;
}

/** One working period of a day (giờ làm việc). */
export interface WorkingPeriod {
  /** "HH:MM" local time. */
  start: string;
  end: string;
}

/** Calendar configuration: data, edited per year by administrators; per unit when needed. */
export interface CalendarConfig {
  /** Offset of local time from UTC in minutes; Vietnam is +420 all year (no DST). */
  utcOffsetMinutes: number;
  /** Weekly rest days, 0 = Sunday … 6 = Saturday. */
  weekend: number[];
  /** Working periods of a working day, in order, e.g. 07:30–11:30 and 13:30–17:00. */
  workingHours: WorkingPeriod[];
  /** Per-year decisions keyed by year ("2026"). */
  years?: { [year: string]: YearCalendar };
  /** Compute statutory holidays (including lunar Tết and Hùng Kings) for every year (default true). */
  statutoryDefaults?: boolean;
}

/** Instants are epoch milliseconds (UTC) throughout the calendar API. */
export type Instant = number;

/** Options of `Calendar.addWorkingTime`. */
export interface AddWorkingTimeOptions {
  /** "HH:MM": a start after this time counts from the next working day (days only). */
  cutoffTime?: string;
}

/** A compiled calendar: pure functions over a configuration. */
export interface Calendar {
  readonly config: CalendarConfig;
  isWorkingDay(date: IsoDate): boolean;
  /** Why a day is not worked (holiday name, day-off name, or the weekday name such as "Thứ Bảy"), or null when it is a working day. */
  dayOffReason(date: IsoDate): string | null;
  /** Deadline after a budget of working days or hours, starting at `from`. */
  addWorkingTime(from: Instant, budget: Duration, options?: AddWorkingTimeOptions): Instant;
  /** Moves by working minutes (negative moves back). */
  addWorkingMinutes(from: Instant, minutes: number): Instant;
  /** Working minutes from `a` to `b` (negative when `b` is before `a`). */
  workingMinutesBetween(a: Instant, b: Instant): number;
  /** Working minutes in one full working day (e.g. 450 for 7:30–11:30 + 13:30–17:00). */
  readonly minutesPerDay: number;
  /** The local calendar day of an instant. */
  localDate(at: Instant): IsoDate;
}
