import { describe, expect, it } from 'vitest';
import { workingRemaining } from './DeadlineBadge';

const at = (local: string) => Date.parse(`${local}+07:00`);

describe('deadlines in working time', () => {
  it('should count only working hours: Friday 16:00 to Monday 09:00 is 2 hours 30 left, not 2 days 17 hours', () => {
    expect(workingRemaining('2026-12-07T09:00:00+07:00', at('2026-12-04T16:00:00'))).toEqual({ overdue: false, days: 0, hours: 2 });
  });

  it('should count an overdue dossier in working days: due Friday 10:00, seen Wednesday 10:00, 3 working days late', () => {
    expect(workingRemaining('2026-11-27T10:00:00+07:00', at('2026-12-02T10:00:00'))).toEqual({ overdue: true, days: 3, hours: 0 });
  });
});
