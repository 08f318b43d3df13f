import { describe, expect, it } from 'vitest';
import { caseAmount, caseUnit, setCaseTime } from './deadlineCases';

describe('legal-deadline cases', () => {
  const when = { var: 'data.urgent' };

  it('should read a case set in hours as hours, and one in days as days', () => {
    expect(caseUnit({ when, hours: 4 })).toBe('hours');
    expect(caseAmount({ when, hours: 4 })).toBe(4);
    expect(caseUnit({ when, days: 20 })).toBe('days');
    expect(caseAmount({ when, days: 0 })).toBe(0);
  });

  it('should keep hours when the amount of a case in hours is edited', () => {
    const note = { vi: 'Trường hợp khẩn' };
    expect(setCaseTime({ when, hours: 4, note }, 6)).toEqual({ when, hours: 6, note });
  });

  it('should keep days when the amount of a case in days is edited', () => {
    expect(setCaseTime({ when, days: 3 }, 5)).toEqual({ when, days: 5 });
  });

  it('should change the unit only when asked, dropping the other one', () => {
    expect(setCaseTime({ when, hours: 4 }, 2, 'days')).toEqual({ when, days: 2 });
    expect(setCaseTime({ when, days: 2 }, 2, 'hours')).toEqual({ when, hours: 2 });
  });
});
