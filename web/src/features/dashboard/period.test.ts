import { describe, expect, it } from 'vitest';
import { isDay, localDay, parsePreset, presetPeriod, resolvePeriod } from './period';

describe('localDay', () => {
  it('should count the day in Vietnam time, not UTC', () => {
    // given 18:30 UTC on 31 March, which is 01:30 on 1 April in Hanoi
    const instant = new Date('2026-03-31T18:30:00Z');
    // then the local day is already April
    expect(localDay(instant)).toBe('2026-04-01');
  });
});

describe('presetPeriod', () => {
  it('should start this month on its first day and end today', () => {
    expect(presetPeriod('month', '2026-05-17')).toEqual({ from: '2026-05-01', to: '2026-05-17' });
  });

  it('should start this quarter on the first day of its first month', () => {
    expect(presetPeriod('quarter', '2026-08-09')).toEqual({ from: '2026-07-01', to: '2026-08-09' });
    expect(presetPeriod('quarter', '2026-12-31')).toEqual({ from: '2026-10-01', to: '2026-12-31' });
  });

  it('should give last quarter whole, ending on the last day of its third month', () => {
    expect(presetPeriod('lastQuarter', '2026-05-17')).toEqual({ from: '2026-01-01', to: '2026-03-31' });
    expect(presetPeriod('lastQuarter', '2026-08-01')).toEqual({ from: '2026-04-01', to: '2026-06-30' });
  });

  it('should reach back into the previous year from the first quarter', () => {
    expect(presetPeriod('lastQuarter', '2026-02-10')).toEqual({ from: '2025-10-01', to: '2025-12-31' });
  });

  it('should start this year on 1 January', () => {
    expect(presetPeriod('year', '2026-11-03')).toEqual({ from: '2026-01-01', to: '2026-11-03' });
  });
});

describe('resolvePeriod', () => {
  it('should wait while a custom date is missing or malformed', () => {
    expect(resolvePeriod('custom', '2026-05-17', { from: '2026-05-01' })).toBeNull();
    expect(resolvePeriod('custom', '2026-05-17', { from: '2026-02-30', to: '2026-05-01' })).toBeNull();
  });

  it('should send a reversed custom period so the server explains the mistake', () => {
    expect(resolvePeriod('custom', '2026-05-17', { from: '2026-05-10', to: '2026-05-01' })).toEqual({ from: '2026-05-10', to: '2026-05-01' });
  });

  it('should ignore custom dates for a preset', () => {
    expect(resolvePeriod('month', '2026-05-17', { from: '2020-01-01', to: '2020-01-02' })).toEqual({ from: '2026-05-01', to: '2026-05-17' });
  });
});

describe('isDay and parsePreset', () => {
  it('should accept only real calendar dates', () => {
    expect(isDay('2024-02-29')).toBe(true);
    expect(isDay('2025-02-29')).toBe(false);
    expect(isDay('2025-2-1')).toBe(false);
  });

  it('should fall back to this quarter for an unknown preset', () => {
    expect(parsePreset('lastQuarter')).toBe('lastQuarter');
    expect(parsePreset('decade')).toBe('quarter');
    expect(parsePreset(null)).toBe('quarter');
  });
});
