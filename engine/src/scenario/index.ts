export { runScenario, effectLabel } from './run';
export type * from './types';
