import { issue } from './issues';
import type { ActionDefinition, ValidationIssue } from './types';
import type { DefinitionIndex } from './walk';

const grants = (a: ActionDefinition): boolean =>
  a.intent === 'extra-time' || (a.effects ?? []).some((e) => e.type === 'grantExtraTime');

function requiredOf(a: ActionDefinition): unknown[] {
  const inputs = a.inputs;
  return typeof inputs === 'object' && Array.isArray(inputs['required']) ? (inputs['required'] as unknown[]) : [];
}

function maximumOfDays(a: ActionDefinition): number | null {
  const inputs = a.inputs;
  if (typeof inputs !== 'object') return null;
  const days = (inputs['properties'] as { days?: { maximum?: unknown } } | undefined)?.days;
  return typeof days?.maximum === 'number' ? days.maximum : null;
}

/**
 * Lawful extra time (docs/records.md) is declared once in the catalog with its legal maximum
 * and basis; an action granting it says why, never apologises (form 04 is for real lateness)
 * and never offers more days than the law allows. Pure.
 */
export function checkExtraTime(index: DefinitionIndex): ValidationIssue[] {
  const found: ValidationIssue[] = [];
  const declared = index.def.catalog.extraTime;
  for (const { action, pointer } of index.actions) {
    if (!grants(action)) continue;
    if (!declared) {
      found.push(issue('DEF_EXTRA_TIME_UNDECLARED', pointer,
        `Thao tác "${action.id}" kéo dài thời hạn theo luật nhưng thủ tục chưa khai báo "catalog.extraTime" (số ngày làm việc tối đa và căn cứ pháp lý).`,
        `Action "${action.id}" grants lawful extra time but the procedure declares no "catalog.extraTime" (legal maximum in working days and its basis).`));
    }
    if (action.intent !== 'extra-time' || !(action.effects ?? []).some((e) => e.type === 'grantExtraTime')) {
      found.push(issue('DEF_EXTRA_TIME_UNDECLARED', pointer,
        `Thao tác "${action.id}" phải vừa có "intent": "extra-time" vừa có hiệu ứng {"type":"grantExtraTime"}.`,
        `Action "${action.id}" must have both "intent": "extra-time" and the effect {"type":"grantExtraTime"}.`));
    }
    if (!requiredOf(action).includes('reason')) {
      found.push(issue('DEF_EXTRA_TIME_NEEDS_REASON', `${pointer}/inputs`,
        `Thao tác "${action.id}" kéo dài thời hạn nên phải bắt buộc nhập "reason" (lý do, ví dụ cần xác minh) để ghi vào thông báo cho công dân.`,
        `Action "${action.id}" lengthens the time, so its inputs must require "reason" (e.g. verification needed) for the notice to the citizen.`));
    }
    const apologises = (action.effects ?? []).some((e) => e.type === 'extendDeadline' || (e.type === 'issueSlip' && e.slip === 'apology'));
    if (apologises) {
      found.push(issue('DEF_EXTRA_TIME_IS_NOT_APOLOGY', `${pointer}/effects`,
        `Thao tác "${action.id}" kéo dài thời hạn theo luật nên không được xin lỗi (mẫu 04) hay "extendDeadline": đó là việc của trễ hạn thật. Dùng phiếu "extra-time-notice".`,
        `Action "${action.id}" grants lawful extra time, so it must not apologise (form 04) nor "extendDeadline": those are for real lateness. Use the "extra-time-notice" slip.`));
    }
    const max = maximumOfDays(action);
    if (declared && max !== null && max > declared.days) {
      found.push(issue('DEF_EXTRA_TIME_OVER_MAXIMUM', `${pointer}/inputs/properties/days/maximum`,
        `Thao tác "${action.id}" cho nhập tới ${max} ngày nhưng luật chỉ cho phép ${declared.days} (${declared.basis}).`,
        `Action "${action.id}" accepts up to ${max} days but the law allows ${declared.days} (${declared.basis}).`));
    }
  }
  return found;
}
