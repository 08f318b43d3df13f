import { issue, type DefinitionIssueCode } from './issues';
import type { ValidationIssue } from './types';
import type { DefinitionIndex } from './walk';

interface Named {
  id: string;
}

/** Reports every repeat of an id in a list, pointing at the repeated `id`. */
function repeats(
  items: readonly Named[],
  base: string,
  code: DefinitionIssueCode,
  what: { vi: string; en: string },
  where: { vi: string; en: string },
): ValidationIssue[] {
  const first = new Map<string, number>();
  const found: ValidationIssue[] = [];
  items.forEach((item, i) => {
    const earlier = first.get(item.id);
    if (earlier === undefined) {
      first.set(item.id, i);
      return;
    }
    found.push(issue(code, `${base}/${i}/id`,
      `Mã ${what.vi} "${item.id}" bị trùng với phần tử thứ ${earlier + 1} ${where.vi}: đặt một mã khác.`,
      `The ${what.en} id "${item.id}" repeats item ${earlier + 1} ${where.en}: give it another id.`));
  });
  return found;
}

/** Duplicate ids: steps (across branches too), branches, actions, roles, documents, fees; pure. */
export function checkIds(index: DefinitionIndex): ValidationIssue[] {
  const { def } = index;
  const found: ValidationIssue[] = [];

  // Step ids are XState state ids (`#id` targets): unique across the whole machine,
  // whose own id is the procedure id.
  const firstStep = new Map<string, string>();
  for (const { step, pointer } of index.steps) {
    const earlier = firstStep.get(step.id);
    if (step.id === def.id) {
      found.push(issue('DEF_DUPLICATE_STEP_ID', `${pointer}/id`,
        `Mã bước "${step.id}" trùng với mã thủ tục: đặt cho bước một mã khác.`,
        `Step id "${step.id}" is the procedure's own id: give the step another id.`));
    } else if (earlier !== undefined) {
      found.push(issue('DEF_DUPLICATE_STEP_ID', `${pointer}/id`,
        `Mã bước "${step.id}" đã dùng ở ${earlier}: mỗi bước (kể cả trong các nhánh) cần một mã riêng.`,
        `Step id "${step.id}" is already used at ${earlier}: every step, branches included, needs its own id.`));
    } else {
      firstStep.set(step.id, pointer);
    }
  }

  for (const { step, pointer } of index.steps) {
    if (step.branches) {
      found.push(...repeats(step.branches, `${pointer}/branches`, 'DEF_DUPLICATE_BRANCH_ID',
        { vi: 'nhánh', en: 'branch' }, { vi: `của bước "${step.id}"`, en: `of step "${step.id}"` }));
    }
    if (step.actions) {
      found.push(...repeats(step.actions, `${pointer}/actions`, 'DEF_DUPLICATE_ACTION_ID',
        { vi: 'thao tác', en: 'action' }, { vi: `của bước "${step.id}"`, en: `of step "${step.id}"` }));
    }
  }
  if (def.globalActions) {
    found.push(...repeats(def.globalActions, '/globalActions', 'DEF_DUPLICATE_ACTION_ID',
      { vi: 'thao tác', en: 'action' }, { vi: 'trong các thao tác chung', en: 'among global actions' }));
  }
  found.push(...repeats(def.roles, '/roles', 'DEF_DUPLICATE_ROLE',
    { vi: 'vai trò', en: 'role' }, { vi: 'trong danh sách vai trò', en: 'in roles' }));
  found.push(...repeats(def.catalog.documents, '/catalog/documents', 'DEF_DUPLICATE_DOCUMENT',
    { vi: 'thành phần hồ sơ', en: 'document' }, { vi: 'trong thành phần hồ sơ', en: 'in catalog documents' }));
  found.push(...repeats(def.catalog.fees, '/catalog/fees', 'DEF_DUPLICATE_FEE',
    { vi: 'khoản phí', en: 'fee' }, { vi: 'trong phí, lệ phí', en: 'in catalog fees' }));
  return found;
}
