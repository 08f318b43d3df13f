import { issue } from './issues';
import type { ValidationIssue } from './types';
import { describeScope, inScope, routesOf, type DefinitionIndex, type StepEntry } from './walk';

/** Initial steps and action, route and `next` targets resolved in their scope; pure. */
function checkTargets(index: DefinitionIndex): ValidationIssue[] {
  const { def, top, stepById } = index;
  const found: ValidationIssue[] = [];
  if (!top.ids.has(def.initial)) {
    const inner = stepById.get(def.initial);
    found.push(inner
      ? issue('DEF_UNKNOWN_INITIAL', '/initial',
        `Bước đầu "${def.initial}" nằm trong ${describeScope(inner.scope).vi}: bước đầu phải là một bước cấp cao nhất.`,
        `Initial step "${def.initial}" is inside ${describeScope(inner.scope).en}: the initial step must be a top-level step.`)
      : issue('DEF_UNKNOWN_INITIAL', '/initial',
        `Không có bước "${def.initial}": "initial" phải là mã của một bước cấp cao nhất.`,
        `There is no step "${def.initial}": "initial" must name a top-level step.`));
  }
  for (const { step, pointer } of index.steps) {
    for (const [j, branch] of (step.branches ?? []).entries()) {
      if (branch.steps.some((s) => s.id === branch.initial)) continue;
      found.push(issue('DEF_UNKNOWN_INITIAL', `${pointer}/branches/${j}/initial`,
        `Nhánh "${branch.id}" của bước "${step.id}" không có bước "${branch.initial}": "initial" phải là một bước của chính nhánh này.`,
        `Branch "${branch.id}" of step "${step.id}" has no step "${branch.initial}": "initial" must name a step of this branch.`));
    }
  }
  for (const entry of index.targets) {
    for (const { branch, pointer } of routesOf(entry)) {
      if (inScope(entry.scope, branch.target)) continue;
      const inner = stepById.get(branch.target);
      found.push(inner
        ? issue('DEF_TARGET_INTO_BRANCH', pointer,
          `Bước "${branch.target}" nằm trong ${describeScope(inner.scope).vi}, không vào thẳng được từ ${describeScope(entry.scope).vi}: chuyển tới chính bước song song đó, hoặc tới một bước cùng nhánh hay ở cấp cao nhất.`,
          `Step "${branch.target}" is inside ${describeScope(inner.scope).en} and cannot be entered directly from ${describeScope(entry.scope).en}: go to the parallel step itself, or to a step of the same branch or of the top level.`)
        : issue('DEF_UNKNOWN_TARGET', pointer,
          `Không có bước "${branch.target}": chọn mã của một bước có trong quy trình.`,
          `There is no step "${branch.target}": choose the id of an existing step.`));
    }
  }
  return found;
}

/** Final steps: no actions, an outcome at top level, at least one at top level and per branch. */
function checkFinals(index: DefinitionIndex): ValidationIssue[] {
  const found: ValidationIssue[] = [];
  for (const { step, pointer, scope } of index.steps) {
    if (step.kind !== 'final') {
      if (step.outcome !== undefined) {
        found.push(issue('DEF_OUTCOME_ONLY_ON_FINAL', `${pointer}/outcome`,
          `Bước "${step.id}" loại "${step.kind}" không kết thúc hồ sơ nên không có "outcome": bỏ trường này, hoặc dùng hiệu ứng "setOutcome".`,
          `Step "${step.id}" of kind "${step.kind}" does not end the dossier, so it has no "outcome": remove it, or use a "setOutcome" effect.`));
      }
      continue;
    }
    if (step.actions && step.actions.length > 0) {
      found.push(issue('DEF_FINAL_HAS_ACTIONS', `${pointer}/actions`,
        `Bước kết thúc "${step.id}" không được có thao tác: xóa các thao tác, hoặc đổi loại bước.`,
        `Final step "${step.id}" cannot have actions: remove them, or change the step's kind.`));
    }
    if (scope.parent === null && step.outcome === undefined) {
      found.push(issue('DEF_TOP_FINAL_NEEDS_OUTCOME', `${pointer}/outcome`,
        `Bước kết thúc "${step.id}" cần "outcome" (approved, rejected, refused, withdrawn hoặc stopped) để biết hồ sơ kết thúc thế nào.`,
        `Final step "${step.id}" needs an "outcome" (approved, rejected, refused, withdrawn or stopped) saying how the dossier ended.`));
    }
  }
  if (!index.def.steps.some((s) => s.kind === 'final')) {
    found.push(issue('DEF_NO_FINAL', '/steps',
      'Quy trình không có bước kết thúc ở cấp cao nhất: thêm ít nhất một bước loại "final" có "outcome".',
      'The workflow has no top-level final step: add at least one step of kind "final" with an "outcome".'));
  }
  return found;
}

/** Parallel and handoff steps have what their kind needs, and other kinds do not carry it. */
function checkKind({ step, pointer }: StepEntry): ValidationIssue[] {
  const found: ValidationIssue[] = [];
  if (step.kind === 'parallel') {
    if (!step.branches || step.branches.length < 2) {
      found.push(issue('DEF_PARALLEL_NEEDS_BRANCHES', `${pointer}/branches`,
        `Bước song song "${step.id}" cần ít nhất hai nhánh trong "branches"; với một nhánh, dùng các bước tuần tự.`,
        `Parallel step "${step.id}" needs at least two "branches"; with one branch, use plain sequential steps.`));
    }
    if (step.next === undefined) {
      found.push(issue('DEF_PARALLEL_NEEDS_BRANCHES', `${pointer}/next`,
        `Bước song song "${step.id}" cần "next": bước chuyển tới khi mọi nhánh hoàn thành.`,
        `Parallel step "${step.id}" needs "next": the step to go to when all branches are done.`));
    }
    for (const [j, branch] of (step.branches ?? []).entries()) {
      if (branch.steps.some((s) => s.kind === 'final')) continue;
      found.push(issue('DEF_BRANCH_NEEDS_FINAL', `${pointer}/branches/${j}/steps`,
        `Nhánh "${branch.id}" của bước "${step.id}" không có bước kết thúc nên không bao giờ hoàn thành: thêm một bước loại "final" vào nhánh.`,
        `Branch "${branch.id}" of step "${step.id}" has no final step, so it never completes: add a step of kind "final" to the branch.`));
    }
  } else {
    if (step.branches !== undefined) {
      found.push(issue('DEF_BRANCHES_ONLY_ON_PARALLEL', `${pointer}/branches`,
        `Chỉ bước loại "parallel" mới có "branches"; bước "${step.id}" là "${step.kind}": đổi loại bước, hoặc bỏ "branches".`,
        `Only steps of kind "parallel" have "branches"; step "${step.id}" is "${step.kind}": change its kind, or remove "branches".`));
    }
    if (step.next !== undefined) {
      found.push(issue('DEF_NEXT_ONLY_ON_PARALLEL', `${pointer}/next`,
        `Chỉ bước loại "parallel" mới có "next"; bước "${step.id}" chuyển bước bằng "target" của thao tác: bỏ "next".`,
        `Only steps of kind "parallel" have "next"; step "${step.id}" moves on through its actions' "target": remove "next".`));
    }
  }
  if (step.kind === 'handoff') {
    if (!step.handoff) {
      found.push(issue('DEF_HANDOFF_NEEDS_TARGET', `${pointer}/handoff`,
        `Bước liên thông "${step.id}" cần "handoff": {"procedure": mã thủ tục liên thông, "unit": đơn vị tiếp nhận}.`,
        `Handoff step "${step.id}" needs "handoff": {"procedure": the linked procedure's id, "unit": the unit that receives it}.`));
    }
    const actions = step.actions ?? [];
    if (!actions.some((a) => (a.role ?? step.role) === 'system')) {
      found.push(issue('DEF_HANDOFF_NEEDS_SYSTEM_ACTION', `${pointer}/actions`,
        `Bước liên thông "${step.id}" cần ít nhất một thao tác có vai trò "system" để tiếp tục khi hồ sơ liên thông kết thúc.`,
        `Handoff step "${step.id}" needs at least one action with role "system" to resume when the linked dossier ends.`));
    }
  } else if (step.handoff !== undefined) {
    found.push(issue('DEF_HANDOFF_ONLY_ON_HANDOFF', `${pointer}/handoff`,
      `Chỉ bước loại "handoff" mới có "handoff"; bước "${step.id}" là "${step.kind}": đổi loại bước, hoặc dùng hiệu ứng "spawn".`,
      `Only steps of kind "handoff" have "handoff"; step "${step.id}" is "${step.kind}": change its kind, or use a "spawn" effect.`));
  }
  return found;
}

/** Initial steps, targets and scopes, final steps, parallel and handoff steps; pure. */
export function checkFlow(index: DefinitionIndex): ValidationIssue[] {
  return [...checkTargets(index), ...checkFinals(index), ...index.steps.flatMap(checkKind)];
}
