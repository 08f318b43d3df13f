export { start, apply } from './apply';
export { availableActions } from './available';
export { replay } from './replay';
export { timeliness, progress, type Timeliness, type Progress } from './clock';
export { feesDue } from './effects';
export { paymentAction } from './payment';
export { DefinitionError } from './errors';
export type * from './types';
