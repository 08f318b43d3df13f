import { describe, expect, it } from 'vitest';
import { checkDayRows, monthWeeks, toDayEntries } from './calendarGrid';

describe('month grid', () => {
  it('should start weeks on Monday', () => {
    // 1 January 2026 is a Thursday: three empty cells before it
    const weeks = monthWeeks(2026, 1);
    expect(weeks[0]).toEqual([null, null, null, '2026-01-01', '2026-01-02', '2026-01-03', '2026-01-04']);
    expect(weeks.flat().filter(Boolean)).toHaveLength(31);
  });

  it('should know leap years', () => {
    expect(monthWeeks(2028, 2).flat().filter(Boolean)).toHaveLength(29);
    expect(monthWeeks(2026, 2).flat().filter(Boolean)).toHaveLength(28);
  });
});

describe('year day rows', () => {
  it('should flag impossible dates, other years and duplicates', () => {
    const problems = checkDayRows([
      { date: '2026-02-30', name: '' },
      { date: '2025-09-02', name: 'Quốc khánh' },
      { date: '2026-09-02', name: 'Quốc khánh' },
      { date: '2026-09-02', name: 'lặp' },
      { date: '', name: '' },
    ], 2026);
    expect([...problems]).toEqual([[0, 'format'], [1, 'year'], [3, 'duplicate']]);
  });

  it('should drop blank rows, trim and sort when saving', () => {
    expect(toDayEntries([{ date: '2026-09-02', name: ' Quốc khánh ' }, { date: '', name: '' }, { date: '2026-04-30', name: '' }]))
      .toEqual([{ date: '2026-04-30' }, { date: '2026-09-02', name: 'Quốc khánh' }]);
  });
});
