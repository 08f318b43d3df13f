import { describe, expect, it } from 'vitest';
import { compileProcedure, createCalendar, runScenario, validateDefinition, validateScenario, VN_DEFAULT_CALENDAR, type CompiledProcedure } from '../../engine/src/index';
import { loadCatalog, loadDemoUnits, unitInfos } from './load';

const calendar = createCalendar(VN_DEFAULT_CALENDAR);
const units = unitInfos(loadDemoUnits());

describe.each(loadCatalog())('procedure $slug', ({ definition, scenarios }) => {
  // Compiled on first use, so an invalid definition fails its own test rather than the collection.
  let compiled: CompiledProcedure | undefined;
  const proc = (): CompiledProcedure => (compiled ??= compileProcedure(definition));

  it('should validate without errors or warnings', () => {
    // given the shipped definition / when it is validated
    const result = validateDefinition(definition);
    // then there is nothing to report
    expect(result.issues.map((i) => `${i.severity ?? 'error'} ${i.code} ${i.path}: ${i.message.en}`)).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it.each(scenarios)('should write scenario $name in the scenario schema, no unknown keys', ({ scenario }) => {
    // given the shipped scenario / when it is checked against engine/schema/scenario.schema.json
    // then it conforms: a misspelled key would be an expectation never checked
    expect(validateScenario(scenario)).toEqual([]);
  });

  it.each(scenarios)('should play scenario $name as expected', ({ scenario }) => {
    // given the compiled definition
    // when every step of the scenario is applied in order
    const { failures } = runScenario(proc(), scenario, calendar, { units });
    // then every expectation holds and replaying the events rebuilds the final snapshot
    expect(failures).toEqual([]);
  });
});
