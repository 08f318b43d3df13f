/**
 * The engine is pure: no clock, no randomness. Lint forbids `Date.now` and `Math.random` in
 * its source; this proves it at run time for everything it calls too (XState, AJV, JSON
 * Logic), by compiling and playing every scenario of every shipped procedure while the
 * clock and the random source throw.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileProcedure, createCalendar, runScenario, VN_DEFAULT_CALENDAR } from '../src/index';
import { loadCatalog, loadDemoUnits, unitInfos } from '../../tests/procedures/load';

const catalog = loadCatalog();
const units = unitInfos(loadDemoUnits());

const RealDate = Date;
const realRandom = Math.random;

/** A `Date` whose clock throws: `Date.now()` and `new Date()` without an argument. */
class ClocklessDate extends RealDate {
  constructor(...args: ConstructorParameters<typeof Date> | []) {
    if (args.length === 0) throw new Error('the engine read the clock (new Date())');
    super(...(args as ConstructorParameters<typeof Date>));
  }

  static override now(): number {
    throw new Error('the engine read the clock (Date.now)');
  }
}

describe('engine purity', () => {
  beforeEach(() => {
    globalThis.Date = ClocklessDate as DateConstructor;
    Math.random = () => { throw new Error('the engine drew a random number (Math.random)'); };
  });
  afterEach(() => {
    globalThis.Date = RealDate;
    Math.random = realRandom;
  });

  it('should make the guards throw, so the test below can fail', () => {
    // given the clock and the random source replaced / when they are read / then they throw
    expect(() => Date.now()).toThrow(/clock/);
    expect(() => new Date()).toThrow(/clock/);
    expect(() => Math.random()).toThrow(/random/);
    expect(new Date(0).toISOString()).toBe('1970-01-01T00:00:00.000Z');
  });

  it.each(catalog.filter((e) => e.scenarios.length > 0).map((e) => [e.slug, e] as const))(
    'should compile %s and play all its scenarios without reading the clock or drawing a random number',
    (_slug, entry) => {
      // given a calendar built and a procedure compiled under the guards
      const calendar = createCalendar(VN_DEFAULT_CALENDAR);
      const proc = compileProcedure(entry.definition);
      // when every scenario is played
      const failures = entry.scenarios.flatMap(({ name, scenario }) => runScenario(proc, scenario, calendar, { units }).failures.map((f) => `${name}: ${f}`));
      // then none throws and every expectation holds
      expect(failures).toEqual([]);
    },
  );

  it('should cover every shipped procedure', () => {
    // given the catalog / then every procedure has a scenario the test above plays
    expect(catalog.filter((e) => e.scenarios.length === 0).map((e) => e.slug)).toEqual([]);
  });
});
