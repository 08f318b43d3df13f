import { describe, expect, it } from 'vitest';
import { CalendarRangeError, createCalendar, LAST_STATUTORY_YEAR, statutoryHolidays, VN_DEFAULT_CALENDAR } from '../src/calendar';
import type { CalendarConfig } from '../src/calendar';

/** An instant from a Vietnam local time, written "YYYY-MM-DDTHH:MM". */
const vn = (local: string): number => Date.parse(`${local}:00+07:00`);
const calendar = createCalendar(VN_DEFAULT_CALENDAR);
/** The statutory defaults alone, without any yearly decision. */
const statutoryOnly: CalendarConfig = { ...VN_DEFAULT_CALENDAR, years: {} };

describe('statutoryHolidays', () => {
  it('should compute Tết 2026 as the last day of the lunar year plus lunar 1/1–4/1', () => {
    // given the lunar new year Bính Ngọ on 17 Feb 2026
    // when the defaults for 2026 are computed
    const dates = statutoryHolidays(2026).filter((h) => h.name?.startsWith('Tết Nguyên đán')).map((h) => h.date);
    // then Tết runs Mon 16 – Fri 20 Feb
    expect(dates).toEqual(['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20']);
  });

  it('should compute Tết 2025 from lunar new year on 29 Jan 2025, with a compensating Monday', () => {
    // given the year 2025, whose 12th lunar month had 29 days and mùng 4 fell on a Saturday
    // when the defaults are computed
    const holidays = statutoryHolidays(2025);
    // then Tết is 28 Jan – 1 Feb and Saturday 1 Feb is compensated on Monday 3 Feb
    expect(holidays).toContainEqual({ date: '2025-01-28', name: 'Tết Nguyên đán (29 tháng Chạp)' });
    expect(holidays).toContainEqual({ date: '2025-01-29', name: 'Tết Nguyên đán (mùng 1 tháng Giêng)' });
    expect(holidays).toContainEqual({ date: '2025-02-03', name: 'Nghỉ bù Tết Nguyên đán (mùng 4 tháng Giêng)' });
  });

  it('should compensate Hùng Kings 2026 (Sunday 26 Apr) on Monday 27 Apr', () => {
    // given lunar 10/3 of 2026
    // when the defaults are computed
    const holidays = statutoryHolidays(2026);
    // then the Sunday holiday moves its day off to the Monday
    expect(holidays).toContainEqual({ date: '2026-04-26', name: 'Giỗ Tổ Hùng Vương' });
    expect(holidays).toContainEqual({ date: '2026-04-27', name: 'Nghỉ bù Giỗ Tổ Hùng Vương' });
  });

  it('should give each weekend holiday its own compensating day', () => {
    // given 2024, when Tết's mùng 1 and 2 fell on Saturday and Sunday
    // when the defaults are computed
    const dates = statutoryHolidays(2024).filter((h) => h.name?.startsWith('Nghỉ bù')).map((h) => h.date);
    // then Wed 14 and Thu 15 Feb are compensating days, and so is Tue 3 Sep for Sun 1 Sep
    expect(dates).toEqual(['2024-02-14', '2024-02-15', '2024-09-03']);
  });

  it('should list 1 Jan, 30 Apr, 1 May and 1–2 Sep every year', () => {
    // given any year
    // when the defaults for 2030 are computed
    const dates = statutoryHolidays(2030).map((h) => h.date);
    // then the fixed solar holidays are present
    expect(dates).toEqual(expect.arrayContaining(['2030-01-01', '2030-04-30', '2030-05-01', '2030-09-01', '2030-09-02']));
  });

  it('should refuse a year past the lunar tables rather than place Tết in 4714 BC', () => {
    // given the last year the lunar tables know, and the one after
    expect(statutoryHolidays(LAST_STATUTORY_YEAR).every((h) => h.date.startsWith(`${LAST_STATUTORY_YEAR}-`))).toBe(true);
    // when a deadline is counted into 2200, then the calendar says it runs no further
    expect(() => statutoryHolidays(LAST_STATUTORY_YEAR + 1)).toThrow(CalendarRangeError);
    const calendar = createCalendar(VN_DEFAULT_CALENDAR);
    expect(() => calendar.dayOffReason('2200-06-30')).toThrow(CalendarRangeError);
  });
});

describe('createCalendar: days', () => {
  it('should say why a day is off', () => {
    // given the Vietnamese civil-service calendar
    // when asking about a Saturday, a Sunday, a holiday and a working day
    // then weekends carry their Vietnamese names and working days have no reason
    expect(calendar.dayOffReason('2026-03-07')).toBe('Thứ Bảy');
    expect(calendar.dayOffReason('2026-03-08')).toBe('Chủ nhật');
    expect(calendar.dayOffReason('2026-09-02')).toBe('Quốc khánh');
    expect(calendar.dayOffReason('2026-03-09')).toBeNull();
    expect(calendar.isWorkingDay('2026-03-09')).toBe(true);
  });

  it('should keep 14–22 Feb 2026 off (9 days) and reopen on 23 Feb', () => {
    // given the Tết 2026 decision
    // when each day of 13–23 Feb is checked
    const days = Array.from({ length: 11 }, (_, i) => `2026-02-${String(13 + i).padStart(2, '0')}`);
    // then only 13 and 23 Feb are working days
    expect(days.filter((d) => calendar.isWorkingDay(d))).toEqual(['2026-02-13', '2026-02-23']);
  });

  it('should work a swapped Saturday and rest on the swapped Friday (New Year 2026)', () => {
    // given Friday 2 Jan 2026 swapped with Saturday 10 Jan 2026
    // when both days are checked
    // then the Saturday is worked and the Friday is off
    expect(calendar.isWorkingDay('2026-01-10')).toBe(true);
    expect(calendar.dayOffReason('2026-01-02')).toMatch(/hoán đổi/);
  });

  it('should give the local date of an instant in Vietnam time', () => {
    // given 17:30 UTC on 13 Feb 2026, which is 00:30 on 14 Feb in Vietnam
    // when the local date is asked
    // then it is the next day
    expect(calendar.localDate(Date.parse('2026-02-13T17:30:00Z'))).toBe('2026-02-14');
    expect(calendar.minutesPerDay).toBe(450);
  });

  it('should reject malformed dates and working hours', () => {
    // given bad inputs
    // when they reach the calendar
    // then a RangeError says so
    expect(() => calendar.isWorkingDay('2026-02-30')).toThrow(RangeError);
    expect(() => calendar.isWorkingDay('26-2-3')).toThrow(RangeError);
    expect(() => createCalendar({ ...VN_DEFAULT_CALENDAR, workingHours: [{ start: '13:30', end: '11:30' }] })).toThrow(RangeError);
    expect(() => createCalendar({ ...VN_DEFAULT_CALENDAR, workingHours: [] })).toThrow(RangeError);
    expect(() => createCalendar({ ...VN_DEFAULT_CALENDAR, years: { '2026': { daysOff: [{ date: '2026-13-01' }] } } })).toThrow(RangeError);
  });
});

describe('createCalendar: working-day deadlines', () => {
  it('should count 3 working days from Fri 13 Feb 2026 across Tết to Wed 25 Feb 17:00', () => {
    // given a dossier received on Friday before the 14–22 Feb holiday
    // when 3 working days are added
    const due = calendar.addWorkingTime(vn('2026-02-13T10:00'), { days: 3 });
    // then Mon 23, Tue 24 and Wed 25 Feb count
    expect(due).toBe(vn('2026-02-25T17:00'));
  });

  it('should start from the next working day when received after the 15:00 cutoff', () => {
    // given dossiers received just before and at the cutoff on Friday 13 Feb 2026
    const options = { cutoffTime: '15:00' };
    // when 1 working day is added
    // then the one before the cutoff counts from Friday, the other from Monday 23 Feb
    expect(calendar.addWorkingTime(vn('2026-02-13T14:59'), { days: 1 }, options)).toBe(vn('2026-02-23T17:00'));
    expect(calendar.addWorkingTime(vn('2026-02-13T15:00'), { days: 1 }, options)).toBe(vn('2026-02-24T17:00'));
  });

  it('should end a same-day procedure (0 days) at 17:00 of the effective start day', () => {
    // given birth registrations received on a Monday morning, after the cutoff and on a Sunday
    const options = { cutoffTime: '15:00' };
    // when 0 working days are added
    // then the result is the end of the same or the next working day
    expect(calendar.addWorkingTime(vn('2026-03-09T08:00'), { days: 0 }, options)).toBe(vn('2026-03-09T17:00'));
    expect(calendar.addWorkingTime(vn('2026-03-09T16:00'), { days: 0 }, options)).toBe(vn('2026-03-10T17:00'));
    expect(calendar.addWorkingTime(vn('2026-03-08T10:00'), { days: 0 }, options)).toBe(vn('2026-03-09T17:00'));
  });

  it('should move a start after the last working period to the next working day even without cutoff', () => {
    // given a Friday evening submission
    // when 0 and 1 working days are added
    // then counting starts on Monday
    expect(calendar.addWorkingTime(vn('2026-03-13T17:00'), { days: 0 })).toBe(vn('2026-03-16T17:00'));
    expect(calendar.addWorkingTime(vn('2026-03-13T16:59'), { days: 0 })).toBe(vn('2026-03-13T17:00'));
    expect(calendar.addWorkingTime(vn('2026-03-13T22:00'), { days: 1 })).toBe(vn('2026-03-17T17:00'));
  });

  it('should skip Hùng Kings, its compensating Monday and 30/4–1/5 in April 2026', () => {
    // given dossiers received on Fri 24 Apr and Wed 29 Apr 2026
    // when 1 and 2 working days are added
    // then Mon 27 Apr, Thu 30 Apr and Fri 1 May are not counted
    expect(calendar.addWorkingTime(vn('2026-04-24T10:00'), { days: 1 })).toBe(vn('2026-04-28T17:00'));
    expect(calendar.addWorkingTime(vn('2026-04-29T09:00'), { days: 2 })).toBe(vn('2026-05-05T17:00'));
  });

  it('should skip National Day 1–2 Sep in 2025 and 2026', () => {
    // given dossiers received on Fri 29 Aug 2025 and Mon 31 Aug 2026
    // when 1 working day is added
    // then Wed 3 Sep 2025 and Thu 3 Sep 2026 are due
    expect(calendar.addWorkingTime(vn('2025-08-29T10:00'), { days: 1 })).toBe(vn('2025-09-03T17:00'));
    expect(calendar.addWorkingTime(vn('2026-08-31T10:00'), { days: 1 })).toBe(vn('2026-09-03T17:00'));
  });

  it('should follow the real Tết 2025 decision (25 Jan – 2 Feb) rather than the computed default', () => {
    // given a dossier received on Friday 24 Jan 2025
    const from = vn('2025-01-24T10:00');
    // when 1 working day is added with the decision and with the defaults only
    // then the decision reopens on Mon 3 Feb; the defaults make Mon 3 Feb a compensating day
    expect(calendar.addWorkingTime(from, { days: 1 })).toBe(vn('2025-02-03T17:00'));
    expect(createCalendar(statutoryOnly).addWorkingTime(from, { days: 1 })).toBe(vn('2025-01-27T17:00'));
    expect(createCalendar(statutoryOnly).addWorkingTime(from, { days: 2 })).toBe(vn('2025-02-04T17:00'));
  });

  it('should count a swapped working Saturday and skip the swapped Friday', () => {
    // given New Year 2026: Fri 2 Jan off, Sat 10 Jan worked
    // when working days are added around both
    // then Sat 10 Jan is a due date and 1–4 Jan are skipped
    expect(calendar.addWorkingTime(vn('2026-01-08T10:00'), { days: 2 })).toBe(vn('2026-01-10T17:00'));
    expect(calendar.addWorkingTime(vn('2025-12-31T10:00'), { days: 1 })).toBe(vn('2026-01-05T17:00'));
  });

  it('should honour extra days off, replaced defaults and disabled defaults from the configuration', () => {
    // given a unit closed on Mon 9 Mar 2026, one year with its own holiday list, one without defaults
    const closed = createCalendar({ ...VN_DEFAULT_CALENDAR, years: { '2026': { daysOff: [{ date: '2026-03-09' }] } } });
    const replaced = createCalendar({ ...VN_DEFAULT_CALENDAR, years: { '2026': { replaceDefaults: true, holidays: [{ date: '2026-03-10', name: 'Ngày lễ thử' }] } } });
    const bare = createCalendar({ ...VN_DEFAULT_CALENDAR, years: {}, statutoryDefaults: false });
    // when days are checked
    // then only the configured days are off
    expect(closed.dayOffReason('2026-03-09')).toBe('Ngày nghỉ');
    expect(closed.addWorkingTime(vn('2026-03-06T10:00'), { days: 1 })).toBe(vn('2026-03-10T17:00'));
    expect(replaced.isWorkingDay('2026-02-17')).toBe(true);
    expect(replaced.dayOffReason('2026-03-10')).toBe('Ngày lễ thử');
    expect(bare.isWorkingDay('2026-09-02')).toBe(true);
  });

  it('should reject fractional, negative or ambiguous budgets', () => {
    // given budgets the schema forbids
    // when they reach the calendar
    // then a RangeError is thrown
    const from = vn('2026-03-09T08:00');
    expect(() => calendar.addWorkingTime(from, { days: 1.5 })).toThrow(RangeError);
    expect(() => calendar.addWorkingTime(from, { days: -1 })).toThrow(RangeError);
    expect(() => calendar.addWorkingTime(from, { hours: -1 })).toThrow(RangeError);
    expect(() => calendar.addWorkingTime(from, { days: 1, hours: 1 })).toThrow(RangeError);
    expect(() => calendar.addWorkingTime(from, {})).toThrow(RangeError);
  });
});

describe('createCalendar: working hours', () => {
  it('should cross the lunch break', () => {
    // given a start at 10:30 on Monday 9 Mar 2026
    // when 2 working hours are added
    // then 1 hour before lunch and 1 after end at 14:30
    expect(calendar.addWorkingTime(vn('2026-03-09T10:30'), { hours: 2 })).toBe(vn('2026-03-09T14:30'));
  });

  it('should cross nights and weekends', () => {
    // given starts at 16:00 on a Monday and on a Friday
    // when 2 and 8 working hours are added
    // then the clock resumes at 07:30 of the next working day
    expect(calendar.addWorkingTime(vn('2026-03-09T16:00'), { hours: 2 })).toBe(vn('2026-03-10T08:30'));
    expect(calendar.addWorkingTime(vn('2026-03-13T16:00'), { hours: 8 })).toBe(vn('2026-03-16T16:30'));
  });

  it('should end at a period end rather than the next period start', () => {
    // given a start at 09:30
    // when exactly the 2 hours left before lunch are added
    // then the result is 11:30, not 13:30
    expect(calendar.addWorkingMinutes(vn('2026-03-09T09:30'), 120)).toBe(vn('2026-03-09T11:30'));
  });

  it('should start from the next period when outside working time, and return the start for 0', () => {
    // given a start during lunch
    // when 30 and 0 minutes are added
    // then counting starts at 13:30, and 0 leaves the instant unchanged
    expect(calendar.addWorkingMinutes(vn('2026-03-09T12:00'), 30)).toBe(vn('2026-03-09T14:00'));
    expect(calendar.addWorkingMinutes(vn('2026-03-09T12:00'), 0)).toBe(vn('2026-03-09T12:00'));
  });

  it('should walk backward for negative minutes', () => {
    // given Monday 08:00
    // when 60 working minutes are removed
    // then 30 come from Monday and 30 from Friday afternoon
    expect(calendar.addWorkingMinutes(vn('2026-03-16T08:00'), -60)).toBe(vn('2026-03-13T16:30'));
    expect(calendar.addWorkingMinutes(vn('2026-03-09T13:30'), -240)).toBe(vn('2026-03-09T07:30'));
  });

  it('should measure working minutes between two instants', () => {
    // given instants around a working week in March 2026
    // when the working minutes between them are measured
    // then only working periods count, negative when reversed
    expect(calendar.workingMinutesBetween(vn('2026-03-09T07:30'), vn('2026-03-09T17:00'))).toBe(450);
    expect(calendar.workingMinutesBetween(vn('2026-03-13T17:00'), vn('2026-03-16T07:30'))).toBe(0);
    expect(calendar.workingMinutesBetween(vn('2026-03-09T00:00'), vn('2026-03-16T00:00'))).toBe(5 * 450);
    expect(calendar.workingMinutesBetween(vn('2026-03-09T14:30'), vn('2026-03-09T10:30'))).toBe(-120);
    expect(calendar.workingMinutesBetween(vn('2026-02-13T16:00'), vn('2026-02-23T08:30'))).toBe(120);
  });

  it('should count working days across years without walking day by day', () => {
    // given two instants ten years apart
    // when the working minutes between them are measured
    const minutes = calendar.workingMinutesBetween(vn('2020-01-01T00:00'), vn('2030-01-01T00:00'));
    // then the total is a whole number of working days, about 250 a year
    expect(minutes % 450).toBe(0);
    expect(minutes / 450).toBeGreaterThan(2400);
    expect(minutes / 450).toBeLessThan(2550);
  });

  it('should compute thousands of deadlines per second', () => {
    // given a warm calendar
    const start = vn('2026-01-05T08:00');
    // when 20,000 deadlines are computed
    const begun = performance.now();
    for (let i = 0; i < 20_000; i += 1) calendar.addWorkingTime(start + i * 600_000, { days: 1 + (i % 20) }, { cutoffTime: '15:00' });
    // then it takes well under two seconds
    expect(performance.now() - begun).toBeLessThan(2000);
  });
});
