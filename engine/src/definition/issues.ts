import type { LocalizedText, ValidationIssue } from './types';

/** Every code `validateDefinition` may report; stable strings the designer and the API rely on. */
export const DEFINITION_ISSUE_CODES = [
  'DEF_SCHEMA',
  'DEF_TOO_MANY_ISSUES',
  'DEF_UNCHECKABLE',
  'DEF_DUPLICATE_STEP_ID',
  'DEF_DUPLICATE_BRANCH_ID',
  'DEF_DUPLICATE_ACTION_ID',
  'DEF_DUPLICATE_ROLE',
  'DEF_DUPLICATE_DOCUMENT',
  'DEF_DUPLICATE_FEE',
  'DEF_UNKNOWN_INITIAL',
  'DEF_UNKNOWN_TARGET',
  'DEF_TARGET_INTO_BRANCH',
  'DEF_UNDECLARED_ROLE',
  'DEF_STEP_NEEDS_ROLE',
  'DEF_ACTION_NEEDS_ROLE',
  'DEF_FINAL_HAS_ACTIONS',
  'DEF_TOP_FINAL_NEEDS_OUTCOME',
  'DEF_OUTCOME_ONLY_ON_FINAL',
  'DEF_NO_FINAL',
  'DEF_PARALLEL_NEEDS_BRANCHES',
  'DEF_BRANCH_NEEDS_FINAL',
  'DEF_BRANCHES_ONLY_ON_PARALLEL',
  'DEF_NEXT_ONLY_ON_PARALLEL',
  'DEF_HANDOFF_NEEDS_TARGET',
  'DEF_HANDOFF_ONLY_ON_HANDOFF',
  'DEF_HANDOFF_NEEDS_SYSTEM_ACTION',
  'DEF_INVALID_FORM_SCHEMA',
  'DEF_INVALID_INPUTS_SCHEMA',
  'DEF_INVALID_DATA_SCHEMA',
  'DEF_TOO_MANY_SCHEMAS',
  'DEF_INVALID_GUARD',
  'DEF_UNKNOWN_DOCUMENT',
  'DEF_UNKNOWN_FEE',
  'DEF_UNKNOWN_TIMEOUT_ACTION',
  'DEF_CONDITIONAL_ROUTE_NO_ELSE',
  'DEF_ROUTE_AFTER_ELSE',
  'DEF_EXTEND_NEEDS_INPUT',
  'DEF_EXTRA_TIME_UNDECLARED',
  'DEF_EXTRA_TIME_NEEDS_REASON',
  'DEF_EXTRA_TIME_IS_NOT_APOLOGY',
  'DEF_EXTRA_TIME_OVER_MAXIMUM',
  'DEF_SPAWN_KEY_DUPLICATE',
  'DEF_UNSAFE_SET_PATH',
  'DEF_ENUM_WITHOUT_LABELS',
  'DEF_FORM_ORDER',
  'DEF_SLA_FROM_UNKNOWN',
  'DEF_SLA_FROM_LEAVES_STEP',
  'DEF_HANDOFF_UNIT_EXPRESSION',
  'DEF_HANDOFF_OUTPUT_MAPPING',
  'DEF_HANDOFF_OUTPUT_UNKNOWN',
  'DEF_HANDOFF_UNIT_KINDS',
  'DEF_DATA_FIELD_MISSING',
  'DEF_DATA_FIELD_UNKNOWN',
] as const;

export type DefinitionIssueCode = (typeof DEFINITION_ISSUE_CODES)[number];

/** Builds an issue; a missing severity means error. Pure. */
export function issue(code: DefinitionIssueCode, path: string, vi: string, en: string, severity?: 'warning'): ValidationIssue {
  const message: LocalizedText = { vi, en };
  return severity ? { code, path, message, severity } : { code, path, message };
}

/** Quotes a list of ids for a message: `"a", "b"`. */
export const quoted = (ids: readonly string[]): string => ids.map((id) => `"${id}"`).join(', ');
