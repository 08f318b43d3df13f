import type { Duration } from '../definition/types';
import { statutoryHolidays } from './statutory';
import type { AddWorkingTimeOptions, Calendar, CalendarConfig, DayEntry, Instant, IsoDate, YearCalendar } from './types';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const WEEKDAY_NAMES = ['Chủ nhật', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy'];
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const HH_MM = /^(\d{2}):(\d{2})$/;
/** A run of non-working days this long means the configuration has no working days at all. */
const MAX_DAYS_OFF_IN_A_ROW = 3660;

/** One solar year of local days, built once: working flags, running counts and reasons. */
interface YearDays {
  first: number;
  working: Uint8Array;
  /** `before[i]` = working days in the year before day index i (length = days + 1). */
  before: Int32Array;
  reasons: Map<number, string>;
}

/** A period of a working day in milliseconds after local midnight. */
interface Span {
  start: number;
  end: number;
}

// Day numbers count local days since 1970-01-01; 1970-01-01 was a Thursday (4).
const weekdayOf = (day: number): number => (((day + 4) % 7) + 7) % 7;
const isoOf = (day: number): IsoDate => new Date(day * DAY_MS).toISOString().slice(0, 10);
const yearOf = (day: number): number => new Date(day * DAY_MS).getUTCFullYear();

function dayOfIso(date: IsoDate): number {
  const m = ISO_DATE.exec(date);
  const day = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS : NaN;
  // Date.UTC rolls 2026-02-30 over to March; a round trip rejects such dates.
  if (!m || isoOf(day) !== date) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${date}`);
  return day;
}

function parseTime(text: string, what: string): number {
  const m = HH_MM.exec(text);
  const minutes = m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  if (!m || Number(m[2]) > 59 || minutes > 1440) throw new RangeError(`${what} must be "HH:MM", got "${text}"`);
  return minutes * MINUTE_MS;
}

function parseSpans(config: CalendarConfig): Span[] {
  const spans = config.workingHours.map((p, i) => ({
    start: parseTime(p.start, `workingHours[${i}].start`),
    end: parseTime(p.end, `workingHours[${i}].end`),
  }));
  if (spans.length === 0) throw new RangeError('workingHours must list at least one period');
  spans.forEach((s, i) => {
    const previous = spans[i - 1];
    if (s.start >= s.end || (previous && previous.end > s.start)) {
      throw new RangeError(`workingHours[${i}] must be non-empty, in order and not overlap`);
    }
  });
  return spans;
}

/** Builds a calendar over a configuration, memoising each year's days on first use; pure. */
export function createCalendar(config: CalendarConfig): Calendar {
  // Years are built lazily, so bad dates are caught here rather than on some later deadline.
  for (const y of Object.values(config.years ?? {})) {
    for (const e of [...(y.holidays ?? []), ...(y.workdays ?? []), ...(y.daysOff ?? [])]) dayOfIso(e.date);
  }
  if (!Number.isFinite(config.utcOffsetMinutes)) throw new RangeError('utcOffsetMinutes must be a number');
  // The configuration is read once per year and memoised: callers build a new calendar after editing it.
  const offsetMs = config.utcOffsetMinutes * MINUTE_MS;
  const spans = parseSpans(config);
  const dayMs = spans.reduce((sum, s) => sum + s.end - s.start, 0);
  const lastEnd = spans[spans.length - 1]?.end ?? 0;
  const weekend = new Set(config.weekend);
  const years = new Map<number, YearDays>();
  let recent: YearDays | undefined;

  function entriesFor(year: number, pick: (y: YearCalendar) => DayEntry[] | undefined): DayEntry[] {
    // An entry filed under a neighbouring year still counts on its own date.
    const prefix = `${year}-`;
    return [year - 1, year, year + 1]
      .flatMap((y) => pick(config.years?.[String(y)] ?? {}) ?? [])
      .filter((e) => e.date.startsWith(prefix));
  }

  function buildYear(year: number): YearDays {
    const first = Date.UTC(year, 0, 1) / DAY_MS;
    const length = Date.UTC(year + 1, 0, 1) / DAY_MS - first;
    const reasons = new Map<number, string>();
    const own = config.years?.[String(year)];
    const defaults = config.statutoryDefaults !== false && !own?.replaceDefaults ? statutoryHolidays(year, config.weekend) : [];
    const workdays = new Set(entriesFor(year, (y) => y.workdays).map((e) => dayOfIso(e.date)));
    for (let i = 0; i < length; i += 1) {
      const day = first + i;
      if (weekend.has(weekdayOf(day)) && !workdays.has(day)) reasons.set(day, WEEKDAY_NAMES[weekdayOf(day)] ?? 'Ngày nghỉ hằng tuần');
    }
    // Later writes win: configured names beat computed ones, holidays beat other days off.
    const mark = (entries: DayEntry[], fallback: string) => {
      for (const e of entries) reasons.set(dayOfIso(e.date), e.name ?? fallback);
    };
    mark(entriesFor(year, (y) => y.daysOff), 'Ngày nghỉ');
    mark(defaults, 'Ngày lễ');
    mark(entriesFor(year, (y) => y.holidays), 'Ngày lễ');
    const working = new Uint8Array(length);
    const before = new Int32Array(length + 1);
    for (let i = 0; i < length; i += 1) {
      working[i] = reasons.has(first + i) ? 0 : 1;
      before[i + 1] = (before[i] ?? 0) + (working[i] ?? 0);
    }
    return { first, working, before, reasons };
  }

  function yearDays(day: number): YearDays {
    if (recent && day >= recent.first && day < recent.first + recent.working.length) return recent;
    const year = yearOf(day);
    let found = years.get(year);
    if (!found) {
      found = buildYear(year);
      years.set(year, found);
    }
    recent = found;
    return found;
  }

  const works = (day: number): boolean => {
    const y = yearDays(day);
    return y.working[day - y.first] === 1;
  };

  /** The first working day at or after `day` (before it when `step` is -1). */
  function seekWorkingDay(day: number, step: 1 | -1): number {
    for (let d = day, n = 0; n < MAX_DAYS_OFF_IN_A_ROW; d += step, n += 1) if (works(d)) return d;
    throw new RangeError(`No working day within ${MAX_DAYS_OFF_IN_A_ROW} days of ${isoOf(day)}`);
  }

  const cutoffs = new Map<string, number>();
  function cutoffOf(text: string | undefined): number {
    if (text === undefined) return DAY_MS;
    let ms = cutoffs.get(text);
    if (ms === undefined) {
      ms = parseTime(text, 'cutoffTime');
      cutoffs.set(text, ms);
    }
    return ms;
  }

  /** Working days in [from, to), year by year through the running counts. */
  function workingDaysIn(from: number, to: number): number {
    let count = 0;
    for (let day = from; day < to; ) {
      const y = yearDays(day);
      const stop = Math.min(to, y.first + y.working.length);
      count += (y.before[stop - y.first] ?? 0) - (y.before[day - y.first] ?? 0);
      day = stop;
    }
    return count;
  }

  /** Working milliseconds of one day that lie in [from, to) (both in ms after local midnight). */
  function workedWithin(day: number, from: number, to: number): number {
    if (!works(day)) return 0;
    let sum = 0;
    for (const s of spans) sum += Math.max(0, Math.min(to, s.end) - Math.max(from, s.start));
    return sum;
  }

  function forward(from: Instant, budget: number): Instant {
    const local = from + offsetMs;
    let day = Math.floor(local / DAY_MS);
    let at = local - day * DAY_MS;
    let left = budget;
    for (;;) {
      if (!works(day)) {
        day = seekWorkingDay(day, 1);
        at = 0;
      }
      if (at === 0 && left > dayMs) {
        left -= dayMs;
      } else {
        for (const s of spans) {
          if (at >= s.end) continue;
          const start = Math.max(at, s.start);
          // `<=` so that a budget ending exactly at a period's end returns that end.
          if (left <= s.end - start) return day * DAY_MS + start + left - offsetMs;
          left -= s.end - start;
          at = s.end;
        }
      }
      day += 1;
      at = 0;
    }
  }

  function backward(from: Instant, budget: number): Instant {
    const local = from + offsetMs;
    let day = Math.floor(local / DAY_MS);
    let at = local - day * DAY_MS;
    let left = budget;
    for (;;) {
      if (!works(day)) {
        day = seekWorkingDay(day, -1);
        at = DAY_MS;
      }
      if (at === DAY_MS && left > dayMs) {
        left -= dayMs;
      } else {
        for (let i = spans.length - 1; i >= 0; i -= 1) {
          const s = spans[i];
          if (!s || at <= s.start) continue;
          const end = Math.min(at, s.end);
          if (left <= end - s.start) return day * DAY_MS + end - left - offsetMs;
          left -= end - s.start;
          at = s.start;
        }
      }
      day -= 1;
      at = DAY_MS;
    }
  }

  function addWorkingMinutes(from: Instant, minutes: number): Instant {
    if (!Number.isFinite(minutes)) throw new RangeError(`minutes must be finite, got ${minutes}`);
    const budget = Math.round(Math.abs(minutes) * MINUTE_MS);
    if (budget === 0) return from;
    return minutes > 0 ? forward(from, budget) : backward(from, budget);
  }

  function workingMinutesBetween(a: Instant, b: Instant): number {
    // `|| 0` keeps an empty reversed span at +0, which strict equality checks expect.
    if (b < a) return -workingMinutesBetween(b, a) || 0;
    const startDay = Math.floor((a + offsetMs) / DAY_MS);
    const endDay = Math.floor((b + offsetMs) / DAY_MS);
    const startAt = a + offsetMs - startDay * DAY_MS;
    const endAt = b + offsetMs - endDay * DAY_MS;
    if (startDay === endDay) return workedWithin(startDay, startAt, endAt) / MINUTE_MS;
    const ms =
      workedWithin(startDay, startAt, DAY_MS) +
      workingDaysIn(startDay + 1, endDay) * dayMs +
      workedWithin(endDay, 0, endAt);
    return ms / MINUTE_MS;
  }

  function addWorkingDays(from: Instant, days: number, options?: AddWorkingTimeOptions): Instant {
    if (!Number.isInteger(days) || days < 0) throw new RangeError(`days must be a non-negative integer, got ${days}`);
    const local = from + offsetMs;
    const today = Math.floor(local / DAY_MS);
    const at = local - today * DAY_MS;
    const cutoff = cutoffOf(options?.cutoffTime);
    let day = works(today) && at < cutoff && at < lastEnd ? today : seekWorkingDay(today + 1, 1);
    for (let i = 0; i < days; i += 1) day = seekWorkingDay(day + 1, 1);
    return day * DAY_MS + lastEnd - offsetMs;
  }

  function addWorkingTime(from: Instant, budget: Duration, options?: AddWorkingTimeOptions): Instant {
    const { days, hours } = budget;
    if ((days === undefined) === (hours === undefined)) throw new RangeError('A duration has exactly one of days or hours');
    if (days !== undefined) return addWorkingDays(from, days, options);
    if (hours === undefined || !Number.isFinite(hours) || hours < 0) throw new RangeError(`hours must be non-negative, got ${hours}`);
    return addWorkingMinutes(from, hours * 60);
  }

  return {
    config,
    minutesPerDay: dayMs / MINUTE_MS,
    isWorkingDay: (date) => works(dayOfIso(date)),
    dayOffReason(date) {
      const day = dayOfIso(date);
      return yearDays(day).reasons.get(day) ?? null;
    },
    addWorkingTime,
    addWorkingMinutes,
    workingMinutesBetween,
    localDate: (at) => isoOf(Math.floor((at + offsetMs) / DAY_MS)),
  };
}
