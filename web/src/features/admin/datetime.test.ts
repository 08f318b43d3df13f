import { describe, expect, it } from 'vitest';
import { fromLocalInput, isBackdated, toLocalDate, toLocalInput } from './datetime';

describe('datetime inputs on the Vietnam clock', () => {
  it('should show an instant as the office clock reads it', () => {
    // given 17:30 UTC, when shown, then it is 00:30 the next day in Hà Nội
    expect(toLocalInput(new Date('2026-03-31T17:30:00Z'))).toBe('2026-04-01T00:30');
    expect(toLocalDate(new Date('2026-03-31T17:30:00Z'))).toBe('2026-04-01');
  });

  it('should send the input back with the +07:00 offset', () => {
    expect(fromLocalInput('2026-04-01T08:00')).toBe('2026-04-01T08:00:00+07:00');
    expect(new Date(fromLocalInput('2026-04-01T08:00') ?? '').toISOString()).toBe('2026-04-01T01:00:00.000Z');
  });

  it('should refuse empty or malformed values', () => {
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('01/04/2026 08:00')).toBeNull();
  });

  it('should round-trip', () => {
    const iso = '2026-12-31T23:59:00+07:00';
    expect(fromLocalInput(toLocalInput(iso))).toBe(iso);
  });
});

describe('isBackdated', () => {
  it('should flag an instant before today in Vietnam, not earlier today nor a missing date', () => {
    // 2 March 2026, 10:00 in Vietnam
    const now = new Date('2026-03-02T03:00:00Z');
    expect(isBackdated('2026-03-01T23:59:00+07:00', now)).toBe(true);
    expect(isBackdated('2026-03-02T00:00:00+07:00', now)).toBe(false);
    expect(isBackdated('2026-03-05T08:00:00+07:00', now)).toBe(false);
    expect(isBackdated(null, now)).toBe(false);
  });
});
