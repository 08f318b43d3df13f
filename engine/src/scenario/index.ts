export { runScenario, effectLabel, type ScenarioOptions } from './run';
export type * from './types';
