/**
 * @motcua/engine — pure TypeScript: definitions, compiler to XState, runtime, calendar,
 * delegation, analysis. No I/O, no clock, no randomness: callers pass time, ids, actors.
 */
export * from './definition/index';
export { compileProcedure, compileUnchecked, GLOBAL_STEP, type CompiledProcedure } from './compile/index';
export * from './runtime/index';
export * from './calendar/index';
export * from './delegation/index';
export * from './analysis/index';
export { checkRule, evaluate, holds, MAX_RULE_STEPS, MAX_RULE_VALUE, RuleTooCostly } from './expr/jsonLogic';
export * from './scenario/index';
export * from './migration/index';

// Named here so that the server and the web app stop restating them (issue 11).
export { walkSteps, allSteps, findStep, type BranchingStep, type StepVisit } from './definition/steps';
export {
  indexDefinition, type DefinitionIndex, type StepEntry, type ActionEntry, type EffectEntry, type TargetEntry, type Scope as DefinitionScope,
} from './definition/walk';
export { actionKey, actionInfo, eventTypeOf, REISSUE_SLIP, REISSUABLE_SLIPS, type ActionInfo, type StepInfo } from './compile/compile';
export type { DossierChanged } from './runtime/changed';
export { DUE_SOON_WORKING_DAYS, dueSoonHorizon } from './runtime/dueSoon';
export { VN_TIME_ZONE, VN_UTC_OFFSET_MINUTES, offsetSuffix, toLocalIso, localDay, localDayWindow, localInstant } from './calendar/local';
