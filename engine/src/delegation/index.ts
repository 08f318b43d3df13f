export { delegatedReach, resolveAuthority } from './authority';
export type { DelegatedReach } from './authority';
export { needsDecision } from './common';
export { validateDelegation } from './validate';
export { ownSigning, previewSigning } from './signing';
export type {
  Actor,
  AuthorityDecision,
  AuthorityRefusalCode,
  AuthorityRequest,
  Delegation,
  DelegationKind,
  DelegationScope,
  Grant,
  Position,
  SigningFormula,
  SigningPreviewRequest,
  UnitInfo,
} from './types';
