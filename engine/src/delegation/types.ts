/**
 * Who may act: grants held by officers, and delegations (ủy quyền, cấp phó ký thay…)
 * that let one officer act for another for a period and scope.
 */

/** The position that decides the signing formula. */
export type Position = 'head' | 'deputy' | 'acting-head' | 'internal-head' | 'member';

/** A role held at a unit. */
export interface Grant {
  role: string;
  unit: string;
  position?: Position;
  /** Title as printed under a signature, e.g. "PHÓ CHỦ TỊCH". */
  title?: string;
}

export interface Actor {
  id: string;
  name: string;
  kind: 'officer' | 'applicant' | 'system';
  grants: Grant[];
}

/**
 * Kinds of delegation (Decree 30/2020/NĐ-CP):
 * - `authorisation` ủy quyền — TUQ., written, time-limited, may not be passed on again;
 * - `order` thừa lệnh — TL., head of an internal unit signs by order of the head;
 * - `deputy` ký thay — KT., a deputy signs for the head;
 * - `acting` quyền — Q., acting head.
 */
export type DelegationKind = 'authorisation' | 'order' | 'deputy' | 'acting';

export interface DelegationScope {
  roles?: string[];
  units?: string[];
  procedures?: string[];
}

export interface Delegation {
  id: string;
  kind: DelegationKind;
  /** The delegator, with the grants they delegate from. */
  from: { id: string; name: string; title?: string; grants: Grant[] };
  /** The delegate's user id. */
  to: string;
  scope: DelegationScope;
  /** ISO instants. */
  validFrom: string;
  validTo: string;
  revokedAt?: string;
  /** Number of the administrative decision that grants it. */
  decision?: string;
  /** Set when the delegator's own authority for this scope came from another delegation. */
  derivedFrom?: string;
}

/** A unit as the signing formula needs it. */
export interface UnitInfo {
  code: string;
  name: string;
  /** A collective body (e.g. "ỦY BAN NHÂN DÂN") signs "TM." by its head. */
  collectiveName?: string;
  /** Title of the head, e.g. "CHỦ TỊCH", "GIÁM ĐỐC". */
  headTitle?: string;
  parent?: string;
  /** Kind of unit ("commune", "ward", "police", …): checked for hand-off units chosen at run time. */
  kind?: string;
}

/** Signature block lines as printed, top to bottom, e.g. ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]. */
export interface SigningFormula {
  prefix: 'TM.' | 'KT.' | 'TUQ.' | 'TL.' | 'Q.' | null;
  lines: string[];
  signer: string;
}

export interface AuthorityRequest {
  actor: Actor;
  role: string;
  unit: string;
  procedure?: string;
  /** ISO instant. */
  now: string;
  delegations?: Delegation[];
  units?: { [code: string]: UnitInfo };
}

export type AuthorityDecision =
  | {
      ok: true;
      /** Set when the actor acts in the name of another officer. */
      onBehalfOf?: { id: string; name: string; title?: string };
      delegationId?: string;
      signing: SigningFormula;
    }
  | {
      ok: false;
      code: 'NO_AUTHORITY' | 'DELEGATION_EXPIRED' | 'DELEGATION_REVOKED' | 'DELEGATION_NOT_YET_VALID' | 'REDELEGATION_FORBIDDEN' | 'DELEGATION_OUT_OF_SCOPE';
      message: { vi: string; en: string };
      /** The delegation the refusal is about, when it is about one. */
      delegationId?: string;
    };

/** The refusal codes of `AuthorityDecision`. */
export type AuthorityRefusalCode = Extract<AuthorityDecision, { ok: false }>['code'];

/** What the admin UI knows when it previews the signature block of a delegation. */
export interface SigningPreviewRequest {
  delegation: Delegation;
  /** The delegate; their own title at the unit is printed when they hold one there. */
  delegate: { name: string; grants?: Grant[] };
  /** Role to preview for; defaults to the first role of the scope, else of the delegator's first grant. */
  role?: string;
  /** Unit to preview for; defaults to the first unit of the scope, else of the delegator's first grant. */
  unit?: string;
  units?: { [code: string]: UnitInfo };
  /** Other delegations, to follow `derivedFrom` when the delegator's authority is itself delegated. */
  delegations?: Delegation[];
}
