export { delegatedReach, needsDecision, resolveAuthority, validateDelegation } from './resolve';
export type { DelegatedReach } from './resolve';
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
