import { describe, expect, it } from 'vitest';
import { carryHours, fromWorkingDays, workingTimeText } from './workingTime';

const words = {
  days: (n: number) => `${n} ngày`, hours: (n: number) => `${n} giờ`, daysHours: (d: number, h: number) => `${d} ngày ${h} giờ`, none: 'Trong ngày',
};

describe('working time', () => {
  it('should show hours as hours, never as "0 ngày"', () => {
    expect(workingTimeText({ days: 0, hours: 4 }, words)).toBe('4 giờ');
    expect(workingTimeText(fromWorkingDays(0.5), words)).toBe('4 giờ');
    expect(workingTimeText(fromWorkingDays(0.125), words)).toBe('1 giờ');
  });

  it('should carry whole working days out of summed hours', () => {
    // 2 h + 1 h + 1 h on a path, with one 1-day step and 2 × 4 h more
    expect(carryHours({ days: 1, hours: 12 })).toEqual({ days: 2, hours: 4 });
    expect(workingTimeText({ days: 1, hours: 12 }, words)).toBe('2 ngày 4 giờ');
    expect(workingTimeText({ days: 0, hours: 8 }, words)).toBe('1 ngày');
    expect(workingTimeText(fromWorkingDays(1.5), words)).toBe('1 ngày 4 giờ');
  });

  it('should say the same working day for nothing, and keep half hours', () => {
    expect(workingTimeText({ days: 0, hours: 0 }, words)).toBe('Trong ngày');
    expect(workingTimeText({ days: 0, hours: 0.5 }, words)).toBe('0.5 giờ');
    expect(workingTimeText({ days: 3, hours: 0 }, words)).toBe('3 ngày');
  });
});
