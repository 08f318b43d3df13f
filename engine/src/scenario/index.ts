export { runScenario, effectLabel, type ScenarioOptions } from './run';
export { scenarioSchema, validateScenario } from './validate';
export type * from './types';
