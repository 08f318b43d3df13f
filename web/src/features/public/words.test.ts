import { describe, expect, it } from 'vitest';
import { deadlineWords, eventKey, feeWords, normalizeCode, ratingState, stateWords } from './words';

describe('deadlineWords', () => {
  it('should say "same day" for a zero time limit', () => {
    expect(deadlineWords({ days: 0 })).toEqual({ key: 'deadline.sameDay' });
    expect(deadlineWords(undefined)).toEqual({ key: 'deadline.sameDay' });
  });

  it('should count working days, hours, or both', () => {
    expect(deadlineWords({ days: 5 })).toEqual({ key: 'deadline.days', values: { count: 5 } });
    expect(deadlineWords({ hours: 4 })).toEqual({ key: 'deadline.hours', values: { count: 4 } });
    expect(deadlineWords({ days: 1, hours: 4 })).toEqual({ key: 'deadline.daysHours', values: { days: 1, hours: 4 } });
  });
});

describe('feeWords', () => {
  const money = (n: number) => `${n} ₫`;
  const per = (u: string) => ({ page: 'trang', copy: 'bản' }[u] ?? u);
  const max = (a: string) => `tối đa ${a}`;

  it('should show the unit charged and the cap', () => {
    expect(feeWords({ amount: 2000, per: 'page', max: 200000 }, money, per, max)).toBe('2000 ₫ / trang, tối đa 200000 ₫');
  });

  it('should not say "per dossier" for a flat fee', () => {
    expect(feeWords({ amount: 8000, per: 'dossier' }, money, per, max)).toBe('8000 ₫');
  });

  it('should leave a free item to the caller', () => {
    expect(feeWords({ amount: 0, per: 'dossier' }, money, per, max)).toBe('');
  });
});

describe('stateWords', () => {
  it('should tell a submitted dossier from one being handled', () => {
    expect(stateWords({ status: 'active', outcome: null, receivedAt: null }).key).toBe('state.submitted');
    expect(stateWords({ status: 'active', outcome: null, receivedAt: '2026-11-25 00:39:37+00' }).key).toBe('state.active');
  });

  it('should ask the citizen to act when a supplement is awaited', () => {
    expect(stateWords({ status: 'waiting-citizen', outcome: null, receivedAt: 'x' })).toEqual({ key: 'state.waiting', tone: 'warn' });
  });

  it('should name each outcome of a closed dossier', () => {
    expect(stateWords({ status: 'done', outcome: 'approved', receivedAt: 'x' })).toEqual({ key: 'state.approved', tone: 'ok' });
    expect(stateWords({ status: 'done', outcome: 'refused', receivedAt: null }).key).toBe('state.refused');
    expect(stateWords({ status: 'done', outcome: 'something-new', receivedAt: 'x' }).key).toBe('state.done');
  });
});

describe('eventKey', () => {
  it('should call the first event the submission and unknown actions an update', () => {
    expect(eventKey({ step: null, action: null })).toBe('event.submitted');
    expect(eventKey({ step: 'intake', action: 'accept' })).toBe('event.accept');
    expect(eventKey({ step: 'review', action: 'customThing' })).toBe('event.other');
  });
});

describe('ratingState', () => {
  it('should offer the form only once an approved result is returned and not yet rated', () => {
    expect(ratingState({ status: 'done', outcome: 'approved', closedAt: 'x', rating: null })).toBe('form');
    expect(ratingState({ status: 'done', outcome: 'approved', closedAt: 'x', rating: 4 })).toBe('rated');
    expect(ratingState({ status: 'active', outcome: null, closedAt: null, rating: null })).toBe('later');
    expect(ratingState({ status: 'done', outcome: 'refused', closedAt: 'x', rating: null })).toBe('none');
  });
});

describe('normalizeCode', () => {
  it('should drop spaces and use upper case', () => {
    expect(normalizeCode('  000.01.31.h99-261204- 0004 ')).toBe('000.01.31.H99-261204-0004');
  });
});
