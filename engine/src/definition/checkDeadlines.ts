import { issue } from './issues';
import type { ValidationIssue } from './types';
import type { DefinitionIndex } from './walk';

/**
 * Case-dependent legal times and SLAs counted from an event. The case conditions are JSON
 * Logic (checked with every other rule in `checkExpressions`); here: a step's `sla.from`
 * must name an action of the same step that keeps the dossier there, since the budget starts
 * when that action is taken while the step is active. Pure.
 */
export function checkDeadlines(index: DefinitionIndex): ValidationIssue[] {
  const found: ValidationIssue[] = [];
  for (const { step, pointer } of index.steps) {
    const from = step.sla?.from;
    if (from === undefined) continue;
    const k = (step.actions ?? []).findIndex((a) => a.id === from);
    const action = step.actions?.[k];
    if (!action) {
      const ids = (step.actions ?? []).map((a) => `"${a.id}"`).join(', ') || '—';
      found.push(issue('DEF_SLA_FROM_UNKNOWN', `${pointer}/sla/from`,
        `Thời hạn của bước "${step.id}" tính từ thao tác "${from}" nhưng bước không có thao tác đó (có: ${ids}).`,
        `The SLA of step "${step.id}" counts from action "${from}", which the step does not have (it has: ${ids}).`));
      continue;
    }
    if (action.target !== undefined) {
      found.push(issue('DEF_SLA_FROM_LEAVES_STEP', `${pointer}/actions/${k}/target`,
        `Thời hạn của bước "${step.id}" tính từ thao tác "${from}", nhưng thao tác này chuyển hồ sơ đi nơi khác: bỏ "target" để hồ sơ ở lại bước (ví dụ ghi nhận văn bản trả lời xác minh rồi mới xử lý tiếp).`,
        `The SLA of step "${step.id}" counts from action "${from}", but that action moves the dossier away: remove its "target" so the dossier stays (e.g. record the verification reply, then carry on).`));
    }
  }
  return found;
}
