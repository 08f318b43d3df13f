import { getLunarDate, getSolarDate } from '@dqcai/vn-lunar';
import type { DayEntry } from './types';

const DAY_MS = 86_400_000;
/** Julian Day Number of 1970-01-01, so `jd - JD_EPOCH` is a day count since the Unix epoch. */
const JD_EPOCH = 2_440_588;

/**
 * The last year whose statutory holidays are known: the lunar tables of @dqcai/vn-lunar end
 * with 2199, and past it they answer a date of 4714 BC rather than refusing.
 */
export const LAST_STATUTORY_YEAR = 2199;

/** A day the working calendar cannot place: past the years it knows (a deadline moved too far). */
export class CalendarRangeError extends RangeError {
  constructor(readonly year: number, readonly lastYear: number) {
    super(`The working calendar runs to ${lastYear}; ${year} is beyond it`);
    this.name = 'CalendarRangeError';
  }
}

interface Holiday {
  day: number;
  name: string;
}

const isoOf = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
const solarDay = (year: number, month: number, day: number): number => Date.UTC(year, month - 1, day) / DAY_MS;
// 1970-01-01 was a Thursday (4).
const weekdayOf = (day: number): number => (((day + 4) % 7) + 7) % 7;

function lunarToDay(day: number, month: number, lunarYear: number): number {
  return getSolarDate(day, month, lunarYear).jd - JD_EPOCH;
}

/** Tết: the last day of lunar year `year - 1` plus lunar 1/1–4/1 of `year`; all fall in solar `year`. */
function tet(year: number): Holiday[] {
  const newYear = lunarToDay(1, 1, year);
  const eve = newYear - 1;
  // Month 12 has 29 or 30 days; the eve's own lunar day says which, and people name it so.
  const eveSolar = new Date(eve * DAY_MS);
  const eveLunar = getLunarDate(eveSolar.getUTCDate(), eveSolar.getUTCMonth() + 1, eveSolar.getUTCFullYear());
  const days: Holiday[] = [{ day: eve, name: `Tết Nguyên đán (${eveLunar.day} tháng Chạp)` }];
  for (let i = 0; i < 4; i += 1) {
    days.push({ day: newYear + i, name: `Tết Nguyên đán (mùng ${i + 1} tháng Giêng)` });
  }
  return days;
}

/**
 * Adds a compensating day off (nghỉ bù, Labour Code 2019 Art. 111(3)) on the next day
 * that is neither a weekly rest day, a holiday nor already a compensating day.
 */
function withCompensation(holidays: Holiday[], weekend: readonly number[]): Holiday[] {
  const rest = new Set(weekend);
  const taken = new Set(holidays.map((h) => h.day));
  const result = [...holidays];
  for (const h of [...holidays].sort((a, b) => a.day - b.day)) {
    if (!rest.has(weekdayOf(h.day))) continue;
    let candidate = h.day + 1;
    while (rest.has(weekdayOf(candidate)) || taken.has(candidate)) candidate += 1;
    taken.add(candidate);
    result.push({ day: candidate, name: `Nghỉ bù ${h.name}` });
  }
  return result;
}

/**
 * Computed default public holidays of a solar year (Labour Code 2019 Art. 112), with
 * compensating days off for holidays on weekly rest days; pure.
 */
export function statutoryHolidays(year: number, weekend: readonly number[] = [0, 6]): DayEntry[] {
  if (!Number.isInteger(year)) throw new RangeError(`year must be an integer, got ${year}`);
  if (year > LAST_STATUTORY_YEAR) throw new CalendarRangeError(year, LAST_STATUTORY_YEAR);
  const holidays: Holiday[] = [
    { day: solarDay(year, 1, 1), name: 'Tết Dương lịch' },
    ...tet(year),
    { day: lunarToDay(10, 3, year), name: 'Giỗ Tổ Hùng Vương' },
    { day: solarDay(year, 4, 30), name: 'Ngày Giải phóng miền Nam, thống nhất đất nước' },
    { day: solarDay(year, 5, 1), name: 'Quốc tế Lao động' },
    // The second National Day holiday is 1 or 3 September, chosen yearly; 1 September is the default.
    { day: solarDay(year, 9, 1), name: 'Quốc khánh (ngày liền kề)' },
    { day: solarDay(year, 9, 2), name: 'Quốc khánh' },
  ];
  return withCompensation(holidays, weekend)
    .sort((a, b) => a.day - b.day)
    .map((h) => ({ date: isoOf(h.day), name: h.name }));
}
