export { start, apply } from './apply';
export { availableActions } from './available';
export { replay } from './replay';
export { timeliness, progress, type Timeliness, type Progress } from './clock';
export { feesDue } from './effects';
export { DefinitionError } from './errors';
export type * from './types';
export { outputsOf, handoffTarget, pointerOfRule } from './handoff';
