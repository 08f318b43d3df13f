import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCalendar, VN_DEFAULT_CALENDAR } from '../src/calendar';

const calendar = createCalendar(VN_DEFAULT_CALENDAR);
const MINUTE = 60_000;

// Instants from 2019 to 2031 at millisecond precision, so odd seconds are exercised too.
const instant = fc.integer({ min: Date.parse('2019-01-01T00:00:00Z'), max: Date.parse('2031-12-31T00:00:00Z') });
const days = fc.integer({ min: 0, max: 60 });
const minutes = fc.integer({ min: 0, max: 40 * 450 });
const cutoff = fc.option(fc.constantFrom('15:00', '11:00', '16:30'), { nil: undefined });

/** Local "HH:MM" of an instant in Vietnam time. */
const localTime = (at: number): string => new Date(at + 420 * MINUTE).toISOString().slice(11, 16);

describe('calendar properties', () => {
  it('should never put a working-day deadline on a non-working day, and always at 17:00', () => {
    fc.assert(
      fc.property(instant, days, cutoff, (from, n, cutoffTime) => {
        // given any start, budget and cutoff
        // when the deadline is computed
        const due = calendar.addWorkingTime(from, { days: n }, { cutoffTime });
        // then it is the end of a working day, not before the start
        expect(calendar.isWorkingDay(calendar.localDate(due))).toBe(true);
        expect(localTime(due)).toBe('17:00');
        expect(due).toBeGreaterThan(from);
      }),
    );
  });

  it('should land hour-based deadlines on a working day too', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 200 }), (from, hours) => {
        // given any start and a positive number of hours
        // when the deadline is computed
        const due = calendar.addWorkingTime(from, { hours });
        // then it falls on a working day, inside or at the end of a working period
        expect(calendar.isWorkingDay(calendar.localDate(due))).toBe(true);
        expect(calendar.workingMinutesBetween(due - 1, due)).toBeGreaterThan(0);
      }),
    );
  });

  it('should round-trip addWorkingMinutes through workingMinutesBetween, forward and backward', () => {
    fc.assert(
      fc.property(instant, minutes, (from, m) => {
        // given any start and budget
        // when moving forward and backward by the budget
        const later = calendar.addWorkingMinutes(from, m);
        const earlier = calendar.addWorkingMinutes(from, -m);
        // then the measured working time equals the budget
        expect(calendar.workingMinutesBetween(from, later)).toBe(m);
        expect(calendar.workingMinutesBetween(earlier, from)).toBe(m);
        expect(calendar.workingMinutesBetween(later, from) + m).toBe(0);
      }),
    );
  });

  it('should add working minutes in steps the same as all at once', () => {
    fc.assert(
      fc.property(instant, minutes, minutes, (from, a, b) => {
        // given two consecutive budgets
        // when added one after the other or together
        // then the result is the same
        expect(calendar.addWorkingMinutes(calendar.addWorkingMinutes(from, a), b)).toBe(calendar.addWorkingMinutes(from, a + b));
      }),
    );
  });

  it('should be monotonic: a later start never gives an earlier deadline', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 30 * 86_400_000 }), days, minutes, cutoff, (a, gap, n, m, cutoffTime) => {
        // given two starts, the second no earlier than the first
        const b = a + gap;
        // when the same budget is added to both
        // then the deadlines keep the order
        expect(calendar.addWorkingTime(b, { days: n }, { cutoffTime })).toBeGreaterThanOrEqual(calendar.addWorkingTime(a, { days: n }, { cutoffTime }));
        expect(calendar.addWorkingMinutes(b, m)).toBeGreaterThanOrEqual(calendar.addWorkingMinutes(a, m));
      }),
    );
  });

  it('should measure working time additively over any split point', () => {
    fc.assert(
      fc.property(instant, instant, instant, (x, y, z) => {
        // given three instants in any order
        // when working time is measured piecewise
        // then the pieces add up (working time behaves like a signed distance)
        expect(calendar.workingMinutesBetween(x, y) + calendar.workingMinutesBetween(y, z)).toBeCloseTo(calendar.workingMinutesBetween(x, z), 6);
      }),
    );
  });
});
