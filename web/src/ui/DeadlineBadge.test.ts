import { describe, expect, it } from 'vitest';
import { spanText, workingRemaining } from './DeadlineBadge';

const at = (local: string) => Date.parse(`${local}+07:00`);

describe('deadlines in working time', () => {
  it('should count only working hours: Friday 16:00 to Monday 09:00 is 2 hours 30 left, not 2 days 17 hours', () => {
    expect(workingRemaining('2026-12-07T09:00:00+07:00', at('2026-12-04T16:00:00'))).toEqual({ overdue: false, days: 0, hours: 2, minutes: 30 });
  });

  it('should count an overdue dossier in working days: due Friday 10:00, seen Wednesday 10:00, 3 working days late', () => {
    expect(workingRemaining('2026-11-27T10:00:00+07:00', at('2026-12-02T10:00:00'))).toMatchObject({ overdue: true, days: 3, hours: 0 });
  });

  it('should call a dossier due Friday 17:00 overdue on the Sunday after, though no working minute has passed', () => {
    expect(workingRemaining('2026-12-04T17:00:00+07:00', at('2026-12-06T12:00:00'))).toEqual({ overdue: true, days: 0, hours: 0, minutes: 0 });
  });
});

describe('the span in words', () => {
  const words = (key: string, v: { [k: string]: number }) => `${key}:${Object.values(v).join('/')}`;

  it('should say minutes when less than an hour of working time is left, not "0 giờ": 16:20 to 17:00 is 40 minutes', () => {
    const r = workingRemaining('2026-12-04T17:00:00+07:00', at('2026-12-04T16:20:00'));
    expect(r).toEqual({ overdue: false, days: 0, hours: 0, minutes: 40 });
    expect(spanText(r, words)).toBe('minutes:40');
  });

  it('should keep days and hours above an hour', () => {
    expect(spanText({ overdue: false, days: 1, hours: 2, minutes: 5 }, words)).toBe('daysHours:1/2');
    expect(spanText({ overdue: true, days: 3, hours: 0, minutes: 0 }, words)).toBe('days:3');
    expect(spanText({ overdue: false, days: 0, hours: 2, minutes: 30 }, words)).toBe('hours:2');
  });
});
