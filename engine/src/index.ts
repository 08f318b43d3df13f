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
export { checkRule, evaluate, holds } from './expr/jsonLogic';
export * from './scenario/index';
