export { start, apply } from './apply';
export { availableActions } from './available';
export { replay, type ReplayContext } from './replay';
export { timeliness, progress, legalTimeOf, type Timeliness, type Progress } from './clock';
export { feesDue } from './effects';
export { paymentAction } from './payment';
export { DefinitionError } from './errors';
export type * from './types';
export { outputsOf, handoffTarget, pointerOfRule } from './handoff';
