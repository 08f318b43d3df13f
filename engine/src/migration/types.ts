import type { LocalizedText } from '../definition/types';
import type { DossierSnapshot } from '../runtime/types';

/**
 * How the open dossiers of one version of a procedure move to another (Camunda's process
 * instance migration plan, for a dossier): each step of the old version names the step of the
 * new version that takes its place, or `null` for "dossiers here stay on the old version".
 * A step the plan leaves out maps to the step of the same id in the new version, if there is one.
 */
export interface MigrationPlan {
  /** The version the dossiers are on. */
  from: number;
  /** The version they move to. */
  to: number;
  /** Old step id → new step id, or null: stay on the old version. */
  steps: { [oldStep: string]: string | null };
  /**
   * Values for dossier data the new version needs and a dossier lacks (a field a step of the
   * new version asks for and the old one never did); set only where the dossier has no value.
   */
  data?: { [key: string]: unknown };
}

/** One problem with a plan: a JSON pointer into the plan, a code, Vietnamese and English. */
export interface PlanIssue {
  code: string;
  path: string;
  message: LocalizedText;
  severity: 'error' | 'warning';
}

export interface PlanCheck {
  ok: boolean;
  issues: PlanIssue[];
  /** The mapping in force for every step of the old version (explicit, same id, or null: stays). */
  resolved: { [oldStep: string]: string | null };
}

/** Why a dossier cannot move (each names the step it is about, when there is one). */
export type CannotMoveCode =
  | 'STEP_UNMAPPED'
  | 'TARGET_MISSING'
  | 'KIND_MISMATCH'
  | 'BRANCH_WITHOUT_COUNTERPART'
  | 'BRANCHES_MERGED'
  | 'PARALLEL_WITHOUT_COUNTERPART'
  | 'INPUTS_MISSING'
  | 'TIMER_NO_PLACE'
  | 'LINK_PENDING'
  | 'WRONG_VERSION'
  | 'CLOSED';

export interface FateReason {
  code: CannotMoveCode | 'STAYS';
  step?: string;
  message: LocalizedText;
  /** Data fields concerned (inputs missing), as JSON pointers into the dossier data. */
  fields?: string[];
}

/** Where one of the dossier's steps goes. */
export interface StepMove {
  from: string;
  to: string;
}

export type DossierFate =
  | { fate: 'moves'; snapshot: DossierSnapshot; moves: StepMove[]; notes: LocalizedText[] }
  | { fate: 'stays'; reasons: FateReason[] }
  | { fate: 'cannot'; reasons: FateReason[] };
