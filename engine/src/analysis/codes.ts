/**
 * The catalogue of analysis findings: stable codes and their severities, plus number
 * formatting shared by messages and diff summaries.
 */
import type { AnalysisFinding, FindingSeverity } from './types';

/** Every finding code `analyze` may report, with its severity. Codes never change meaning. */
export const FINDING_CODES = {
  /** A step the initial step cannot reach. */
  AN_UNREACHABLE_STEP: 'warning',
  /** A non-final step nothing moves on from (global actions aside). */
  AN_DEAD_END: 'error',
  /** A reachable step from which no top-level final step can be reached; loops name their members. */
  AN_NO_WAY_OUT: 'error',
  /** A step whose actions no declared role can take, or whose role (or an action's) is undeclared. */
  AN_NO_ACTOR: 'error',
  /** An action nobody can take while its siblings can: neither it nor its step names a role. */
  AN_ACTION_WITHOUT_ACTOR: 'warning',
  /** A branch of a parallel step that cannot reach any of its final steps, so the parallel never joins. */
  AN_BRANCH_WITHOUT_FINAL: 'error',
  /** SLA along the longest path exceeds the legal deadline. */
  AN_SLA_EXCEEDS_LEGAL: 'warning',
  /**
   * The legal-deadline route walk stopped at its bound (routes or work, `casePaths.ts`): not every
   * route was judged, so the absence of `AN_SLA_EXCEEDS_LEGAL` proves nothing.
   */
  AN_SLA_PATHS_TRUNCATED: 'warning',
  /** An officer step without an SLA: due-soon and overdue marks cannot be shown. */
  AN_STEP_WITHOUT_SLA: 'info',
  /** A hand-off step after which the dossier never comes back to the receiving desk or a return step. */
  AN_HANDOFF_WITHOUT_RETURN: 'warning',
  /** A hand-off step that names no procedure and unit to hand off to. */
  AN_HANDOFF_WITHOUT_TARGET: 'warning',
  /** Conditional routes that all carry a condition: when none holds, the dossier goes nowhere. */
  AN_ROUTE_WITHOUT_ELSE: 'warning',
  /** A top-level final step without an outcome. */
  AN_FINAL_WITHOUT_OUTCOME: 'warning',
  /** No route of forward actions leads to an `approved` final step, so metrics have no happy path. */
  AN_NO_HAPPY_PATH: 'warning',
  /**
   * A final step whose outcome contradicts the action reaching it (through result-returning
   * steps only): a refusal ending `approved`, an action setting one outcome ending in another.
   */
  AN_OUTCOME_CONTRADICTS_INTENT: 'error',
  /** A declared role that no step or action uses. */
  AN_UNUSED_ROLE: 'info',
  /** `settings.sealSlips` is on but nothing issues slip 01, 02 or 03 (the slips a seal goes on): the setting does nothing. */
  AN_SEAL_WITHOUT_SLIP: 'warning',
  /**
   * The catalog has no `fieldCode` (mã lĩnh vực): the national portal's sync record then carries
   * the field's name where its code belongs (MaLinhVuc), which the portal may not match.
   */
  // A note, not a warning: a new procedure opens clean, and the code is filled in from the national catalog.
  AN_FIELD_WITHOUT_CODE: 'info',
} as const satisfies { [code: string]: FindingSeverity };

export type FindingCode = keyof typeof FINDING_CODES;

/** Builds a finding with the catalogue's severity. */
export function finding(code: FindingCode, path: string, vi: string, en: string): AnalysisFinding {
  return { code, severity: FINDING_CODES[code], path, message: { vi, en } };
}

/** A number rounded to two decimals, with a decimal comma in Vietnamese ("1,5") and a point in English. */
export function formatNumber(n: number, lang: 'vi' | 'en'): string {
  const rounded = Math.round(n * 100) / 100;
  const text = String(Object.is(rounded, -0) ? 0 : rounded);
  return lang === 'vi' ? text.replace('.', ',') : text;
}

/** A signed number: "+2", "−1,5" (true minus sign U+2212). */
export function formatSigned(n: number, lang: 'vi' | 'en'): string {
  const magnitude = formatNumber(Math.abs(n), lang);
  if (magnitude === '0') return '0';
  return `${n < 0 ? '\u2212' : '+'}${magnitude}`;
}

/** Step ids quoted and joined for a message. */
export function quoteList(ids: string[]): string {
  return ids.map((id) => `"${id}"`).join(', ');
}
