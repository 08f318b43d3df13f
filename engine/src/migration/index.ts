export type * from './types';
export { validateMigrationPlan, kindProblem } from './validate';
export { migrationFate, stateParts, dataKeysOf, type MigrateContext, type MigratedEvent } from './migrate';
