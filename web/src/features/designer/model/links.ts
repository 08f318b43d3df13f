/**
 * The procedures a definition's hand-offs name, checked live against what the server holds
 * (the publish gate checks the same later): a linked procedure that does not exist, and the
 * engine's `validateLinks` (answers the linked procedure does not return, unit kinds it does
 * not accept). Pure: the editor fetches the linked procedures and passes them in.
 */
import { validateLinks, walkSteps, type ProcedureDefinition } from '@motcua/engine';
import type { CheckResult, DesignerIssue } from './check';

/** What the editor knows of a linked procedure: its definition, `null` when the server has none, absent while loading. */
export type LinkedProcedures = ReadonlyMap<string, ProcedureDefinition | null>;

/** The ids of the procedures the hand-offs name, each once, in order. */
export function linkedIds(def: ProcedureDefinition): string[] {
  const ids = walkSteps(def.steps).flatMap(({ step }) => (step.handoff?.procedure ? [step.handoff.procedure] : []));
  return [...new Set(ids)].filter((id) => id !== def.id);
}

/** Issues of the hand-offs against the linked procedures known so far; none for one still loading. */
export function linkIssues(def: ProcedureDefinition, linked: LinkedProcedures): DesignerIssue[] {
  const found: DesignerIssue[] = [];
  for (const { step, pointer } of walkSteps(def.steps)) {
    const id = step.handoff?.procedure;
    if (!id || id === def.id || linked.get(id) !== null) continue;
    found.push({
      source: 'validation', code: 'DEF_HANDOFF_PROCEDURE_UNKNOWN', path: `${pointer}/handoff/procedure`, severity: 'error',
      message: {
        vi: `Không có thủ tục mã "${id}": nhập mã định danh (không dấu) của thủ tục liên thông như trong danh sách quy trình, ví dụ "xac-minh-tinh-trang-hon-nhan".`,
        en: `There is no procedure "${id}": enter the linked procedure's identifier as the procedure list shows it, e.g. "xac-minh-tinh-trang-hon-nhan".`,
      },
    });
  }
  const lookup = (id: string): ProcedureDefinition | null => (id === def.id ? def : linked.get(id) ?? null);
  for (const i of validateLinks(def, lookup)) {
    found.push({ source: 'validation', code: i.code, path: i.path, severity: i.severity ?? 'error', message: i.message });
  }
  return found;
}

/** `check` with `extra` issues added, worst first, and the counts updated; `check` itself when there are none. */
export function withIssues(check: CheckResult, extra: readonly DesignerIssue[]): CheckResult {
  if (extra.length === 0) return check;
  const rank = { error: 3, warning: 2, info: 1 } as const;
  const issues = [...check.issues, ...extra].sort((a, b) => rank[b.severity] - rank[a.severity]);
  return {
    ...check, issues,
    errors: issues.filter((i) => i.severity === 'error').length,
    warnings: issues.filter((i) => i.severity === 'warning').length,
  };
}
