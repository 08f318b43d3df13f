/** What the engine exports so the server and the web app stop restating it (issue 11). */
import { describe, expect, it } from 'vitest';
import {
  actionInfo, actionKey, allSteps, compileProcedure, createCalendar, dueSoonHorizon, eventTypeOf, findStep, GLOBAL_STEP,
  indexDefinition, localDay, localDayWindow, localInstant, offsetSuffix, progress, toLocalIso, VN_DEFAULT_CALENDAR, VN_TIME_ZONE,
  VN_UTC_OFFSET_MINUTES, walkSteps,
} from '../src/index';
import { miniDefinition } from './fixtures/mini';

const calendar = createCalendar(VN_DEFAULT_CALENDAR);

describe('walkSteps / allSteps / findStep', () => {
  it('should list parallel branch steps right after their parallel step, with pointers and parent', () => {
    // given a definition with a parallel step of two branches
    const def = miniDefinition();
    // when its steps are walked
    const visits = walkSteps(def.steps);
    // then branch steps follow "consult" in document order, each pointing at its place
    const ids = visits.map((v) => v.step.id);
    expect(ids.slice(ids.indexOf('consult'), ids.indexOf('consult') + 5)).toEqual(['consult', 'askPolice', 'policeDone', 'askTax', 'taxDone']);
    const ask = visits.find((v) => v.step.id === 'askTax');
    expect(ask?.parent?.id).toBe('consult');
    expect(ask?.pointer).toMatch(/^\/steps\/\d+\/branches\/1\/steps\/0$/);
    expect(ask?.branchPointer).toBe(ask?.pointer.replace(/\/steps\/0$/, ''));
    expect(visits[0]?.parent).toBeNull();
    expect(allSteps(def.steps)).toHaveLength(def.steps.length + 4);
  });

  it('should work on any tree of the same shape, such as the public catalog copy', () => {
    // given a tree with only ids, names and branches
    const tree = [{ id: 'a', branches: [{ steps: [{ id: 'b' }, { id: 'c', branches: [{ steps: [{ id: 'd' }] }] }] }] }, { id: 'e' }];
    // when a nested step is looked for / then it is found, and a missing one is not
    expect(findStep(tree, 'd')).toEqual({ id: 'd' });
    expect(findStep(tree, 'x')).toBeUndefined();
    expect(allSteps(tree).map((s) => s.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('should give indexDefinition the same steps in the same order, and every action with its pointer', () => {
    // given the mini definition / when it is indexed
    const def = miniDefinition();
    const index = indexDefinition(def);
    // then the steps are the walk's, and a branch action sits in its branch's scope
    expect(index.steps.map((s) => s.pointer)).toEqual(walkSteps(def.steps).map((v) => v.pointer));
    const answer = index.actions.find((a) => a.owner?.step.id === 'askTax');
    expect(answer?.scope.branch?.id).toBe('tax');
    expect(answer?.scope.parent).toBe(index.top);
    expect(index.actions.filter((a) => a.owner === null).map((a) => a.pointer)).toEqual((def.globalActions ?? []).map((_, i) => `/globalActions/${i}`));
  });
});

describe('actionKey / actionInfo / eventTypeOf', () => {
  it('should find an action by step and id, a global one under "*", and nothing for an unknown pair', () => {
    // given the compiled mini procedure
    const proc = compileProcedure(miniDefinition());
    // when actions are looked up
    const accept = actionInfo(proc, 'intake', 'accept');
    // then the step action and the global one are found under their keys
    expect(accept?.def.id).toBe('accept');
    expect(accept?.eventType).toBe(eventTypeOf('intake', 'accept'));
    expect(actionKey('intake', 'accept')).toBe('intake:accept');
    const global = miniDefinition().globalActions?.[0];
    if (global) expect(actionInfo(proc, GLOBAL_STEP, global.id)?.step).toBe(GLOBAL_STEP);
    expect(actionInfo(proc, 'review', 'accept')).toBeUndefined();
  });
});

describe('dueSoonHorizon', () => {
  it('should be one working day ahead, skipping the weekend', () => {
    // given Friday 10:00 in Vietnam
    const friday = Date.parse('2026-03-06T10:00:00+07:00');
    // when the horizon is computed / then it is Monday 10:00
    expect(new Date(dueSoonHorizon(friday, calendar)).toISOString()).toBe('2026-03-09T03:00:00.000Z');
  });

  it('should agree with progress(): due before the horizon is due soon, at it is within', () => {
    // given an open dossier due Tuesday 10:00 (progress() reads only its clock and closure)
    const due = Date.parse('2026-03-10T10:00:00+07:00');
    const snapshot = { closedAt: null, clock: { receivedAt: '2026-03-05T01:00:00.000Z', dueAt: new Date(due).toISOString(), lawfulDueAt: new Date(due).toISOString(), pausedAt: null, extensions: 0 } } as Parameters<typeof progress>[0];
    // when "now" is just inside and exactly at one working day before the appointment
    const at = Date.parse('2026-03-09T10:00:00+07:00');
    // then the horizon and progress() tell the same
    expect(dueSoonHorizon(at, calendar)).toBe(due);
    expect(progress(snapshot, new Date(at).toISOString(), calendar)).toBe('within');
    expect(progress(snapshot, new Date(at + 60_000).toISOString(), calendar)).toBe('due-soon');
    expect(due < dueSoonHorizon(at + 60_000, calendar)).toBe(true);
  });
});

describe('local time', () => {
  it('should write Vietnam time with its offset and find the local day across UTC midnight', () => {
    // given 17:30 UTC, which is 00:30 the next day in Vietnam
    const at = '2026-03-01T17:30:00.000Z';
    // then the local day is the 2nd and the local instant says so
    expect(localDay(at)).toBe('2026-03-02');
    expect(toLocalIso(at)).toBe('2026-03-02T00:30:00.000+07:00');
    expect(Date.parse(toLocalIso(at))).toBe(Date.parse(at));
    expect(localDay(Date.parse(at), 0)).toBe('2026-03-01');
    expect(localDay(at)).toBe(calendar.localDate(Date.parse(at)));
  });

  it('should build an instant from a local day and time', () => {
    expect(localInstant('2026-04-01', '08:00')).toBe('2026-04-01T08:00:00+07:00');
    expect(localInstant('2026-04-01')).toBe('2026-04-01T00:00:00+07:00');
    expect(Date.parse(localInstant('2026-04-01', '08:00'))).toBe(Date.parse('2026-04-01T01:00:00Z'));
    expect(offsetSuffix(-210)).toBe('-03:30');
    expect(offsetSuffix(VN_UTC_OFFSET_MINUTES)).toBe('+07:00');
    expect(VN_DEFAULT_CALENDAR.utcOffsetMinutes).toBe(VN_UTC_OFFSET_MINUTES);
    expect(new Intl.DateTimeFormat('en-CA', { timeZone: VN_TIME_ZONE }).format(new Date('2026-03-01T17:30:00Z'))).toBe('2026-03-02');
  });

  it('should give the UTC window of a local day', () => {
    expect(localDayWindow('2026-03-02')).toEqual({ start: '2026-03-01T17:00:00.000Z', end: '2026-03-02T17:00:00.000Z' });
    expect(localDayWindow('2026-12-31', -210)).toEqual({ start: '2026-12-31T03:30:00.000Z', end: '2027-01-01T03:30:00.000Z' });
    expect(localDay(localDayWindow('2026-03-02').start)).toBe('2026-03-02');
  });

  it('should refuse an unparsable instant', () => {
    expect(() => toLocalIso('not a date')).toThrow(RangeError);
  });
});
