import { checkDeadlines } from './checkDeadlines';
import { checkExpressions } from './checkExpressions';
import { checkExtraTime } from './checkExtraTime';
import { checkFlow } from './checkFlow';
import { checkFormLabels } from './checkFormLabels';
import { checkHandoffs } from './checkHandoffs';
import { checkIds } from './checkIds';
import { checkReferences } from './checkReferences';
import { issue } from './issues';
import { schemaIssues } from './schemaIssues';
import type { ProcedureDefinition, ValidationIssue, ValidationResult } from './types';
import { indexDefinition } from './walk';

const result = (issues: ValidationIssue[]): ValidationResult => (
  issues.some((i) => i.severity !== 'warning') ? { ok: false, issues } : { ok: true, issues }
);

/** Checks a procedure definition against the schema, then for what a schema cannot say; pure, never throws. */
export function validateDefinition(input: unknown): ValidationResult {
  try {
    // Semantic checks trust the shape, so they run only once the schema passes.
    const shape = schemaIssues(input);
    if (shape.length > 0) return result(shape);
    const index = indexDefinition(input as ProcedureDefinition);
    return result([...checkIds(index), ...checkFlow(index), ...checkReferences(index), ...checkExpressions(index), ...checkFormLabels(index), ...checkExtraTime(index), ...checkDeadlines(index), ...checkHandoffs(index)]);
  } catch {
    // Reached only by input that is not plain JSON (cycles, throwing getters) or nested
    // deeper than the stack allows: refuse it rather than crash the caller.
    return result([issue('DEF_UNCHECKABLE', '',
      'Không kiểm tra được định nghĩa: dữ liệu không phải JSON thuần hoặc lồng nhau quá sâu. Lưu lại dưới dạng JSON rồi thử lại.',
      'The definition could not be checked: it is not plain JSON or is nested too deeply. Save it as JSON and try again.')]);
  }
}
