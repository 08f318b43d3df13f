import type { CompiledProcedure, StepInfo } from '../compile/compile';
import type { LocalizedText, StepKind } from '../definition/types';
import type { MigrationPlan, PlanCheck, PlanIssue } from './types';

/** A JSON pointer segment (RFC 6901). */
export const pointerSegment = (s: string): string => s.replaceAll('~', '~0').replaceAll('/', '~1');

const stepName = (info: StepInfo | undefined, id: string): string => (info ? `"${info.def.name.vi}" (${id})` : `"${id}"`);
const stepNameEn = (info: StepInfo | undefined, id: string): string => (info ? `"${info.def.name.en ?? info.def.name.vi}" (${id})` : `"${id}"`);

/**
 * Kinds whose change would move the legal clock or the dossier's status: a dossier waiting for
 * the citizen has its clock paused, one at intake is not yet received (its clock has not
 * started). Moving across these lines would start, stop or restart the legal clock.
 */
const CLOCK_KINDS: ReadonlySet<StepKind> = new Set(['wait-citizen', 'intake']);

/** Why mapping a step of kind `a` to one of kind `b` is not allowed, or null. */
export function kindProblem(a: StepKind, b: StepKind): LocalizedText | null {
  if (a === b) return null;
  if (a === 'parallel' || b === 'parallel') {
    return { vi: 'bước song song chỉ ánh xạ được sang bước song song', en: 'a parallel step maps only to a parallel step' };
  }
  if (a === 'final' || b === 'final') {
    return { vi: 'bước kết thúc chỉ ánh xạ được sang bước kết thúc', en: 'a final step maps only to a final step' };
  }
  if (CLOCK_KINDS.has(a) || CLOCK_KINDS.has(b)) {
    return {
      vi: `bước loại "${a}" không chuyển được sang bước loại "${b}": thời hạn giải quyết theo luật sẽ bị bắt đầu, dừng hoặc chạy lại`,
      en: `a "${a}" step cannot become a "${b}" step: the legal clock would start, pause or resume`,
    };
  }
  return null;
}

function issue(code: string, path: string, severity: PlanIssue['severity'], vi: string, en: string): PlanIssue {
  return { code, path, severity, message: { vi, en } };
}

/**
 * Checks a migration plan against the two versions it joins: every step it names exists on
 * its side, each target is of a compatible kind, a parallel step keeps its place. Steps the
 * plan leaves out map by id; those with no step of the same id in the new version are listed
 * as warnings (dossiers there cannot move). Pure; pointers are into the plan.
 */
export function validateMigrationPlan(from: CompiledProcedure, to: CompiledProcedure, plan: MigrationPlan): PlanCheck {
  const issues: PlanIssue[] = [];
  const resolved: { [oldStep: string]: string | null } = {};
  const vFrom = from.definition.version;
  const vTo = to.definition.version;
  if (from.definition.id !== to.definition.id) {
    issues.push(issue('PLAN_OTHER_PROCEDURE', '', 'error',
      `Hai phiên bản thuộc hai thủ tục khác nhau (${from.definition.id}, ${to.definition.id})`,
      `The two versions belong to different procedures (${from.definition.id}, ${to.definition.id})`));
  }
  if (plan.from !== vFrom) {
    issues.push(issue('PLAN_FROM', '/from', 'error', `Kế hoạch chuyển từ phiên bản ${plan.from}, không phải ${vFrom}`, `The plan moves from version ${plan.from}, not ${vFrom}`));
  }
  if (plan.to !== vTo) {
    issues.push(issue('PLAN_TO', '/to', 'error', `Kế hoạch chuyển sang phiên bản ${plan.to}, không phải ${vTo}`, `The plan moves to version ${plan.to}, not ${vTo}`));
  }
  if (vFrom === vTo) {
    issues.push(issue('PLAN_SAME_VERSION', '/to', 'error', `Phiên bản đích trùng phiên bản nguồn (${vTo})`, `The target version is the source version (${vTo})`));
  }
  const steps = plan.steps !== null && typeof plan.steps === 'object' && !Array.isArray(plan.steps) ? plan.steps : {};
  if (steps !== plan.steps) {
    issues.push(issue('PLAN_SHAPE', '/steps', 'error', '"steps" phải là một đối tượng: bước cũ → bước mới hoặc null', '"steps" must be an object: old step → new step or null'));
  }
  for (const [oldId, target] of Object.entries(steps)) {
    const path = `/steps/${pointerSegment(oldId)}`;
    const a = from.steps.get(oldId);
    if (!a) {
      issues.push(issue('PLAN_UNKNOWN_SOURCE', path, 'error',
        `Phiên bản ${vFrom} không có bước "${oldId}"`, `Version ${vFrom} has no step "${oldId}"`));
      continue;
    }
    if (target === null) continue;
    if (typeof target !== 'string') {
      issues.push(issue('PLAN_SHAPE', path, 'error', 'Bước đích phải là mã bước hoặc null (ở lại phiên bản cũ)', 'The target must be a step id or null (stay on the old version)'));
      continue;
    }
    const b = to.steps.get(target);
    if (!b) {
      issues.push(issue('PLAN_UNKNOWN_TARGET', path, 'error',
        `Phiên bản ${vTo} không có bước "${target}" (đích của bước ${stepName(a, oldId)})`,
        `Version ${vTo} has no step "${target}" (target of step ${stepNameEn(a, oldId)})`));
      continue;
    }
    const bad = kindProblem(a.def.kind, b.def.kind);
    if (bad) {
      issues.push(issue('PLAN_KIND_MISMATCH', path, 'error',
        `Bước ${stepName(a, oldId)} không chuyển được sang ${stepName(b, target)}: ${bad.vi}`,
        `Step ${stepNameEn(a, oldId)} cannot move to ${stepNameEn(b, target)}: ${bad.en}`));
    } else if (a.def.kind === 'handoff' && target !== oldId) {
      issues.push(issue('PLAN_HANDOFF_RENAMED', path, 'warning',
        `Bước chuyển liên thông ${stepName(a, oldId)} đổi mã: hồ sơ đang chờ hồ sơ liên thông trả lời sẽ không chuyển được`,
        `Hand-off step ${stepNameEn(a, oldId)} changes id: dossiers still waiting for their linked dossier cannot move`));
    }
  }
  for (const [id, info] of from.steps) {
    const explicit = Object.hasOwn(steps, id) ? steps[id] : undefined;
    if (explicit === null) {
      resolved[id] = null;
    } else if (typeof explicit === 'string') {
      resolved[id] = to.steps.has(explicit) ? explicit : null;
    } else if (to.steps.has(id)) {
      const b = to.steps.get(id)!;
      const bad = kindProblem(info.def.kind, b.def.kind);
      resolved[id] = bad ? null : id;
      if (bad && !(info.def.kind === 'final' && info.topLevel)) {
        issues.push(issue('PLAN_KIND_MISMATCH', `/steps/${pointerSegment(id)}`, 'error',
          `Bước ${stepName(info, id)} có cùng mã ở phiên bản ${vTo} nhưng khác loại (${bad.vi}): hãy chỉ định bước đích hoặc null`,
          `Step ${stepNameEn(info, id)} has the same id in version ${vTo} but another kind (${bad.en}): name its target or null`));
      }
    } else {
      resolved[id] = null;
      if (!(info.def.kind === 'final' && info.topLevel)) {
        issues.push(issue('PLAN_STEP_UNMAPPED', `/steps/${pointerSegment(id)}`, 'warning',
          `Bước ${stepName(info, id)} không còn ở phiên bản ${vTo} và kế hoạch chưa chỉ định bước đích: hồ sơ đang ở bước này không chuyển được`,
          `Step ${stepNameEn(info, id)} is gone from version ${vTo} and the plan names no target: dossiers there cannot move`));
      }
    }
  }
  if (plan.data !== undefined && (plan.data === null || typeof plan.data !== 'object' || Array.isArray(plan.data))) {
    issues.push(issue('PLAN_SHAPE', '/data', 'error', '"data" phải là một đối tượng: trường → giá trị', '"data" must be an object: field → value'));
  }
  const a = from.definition.catalog;
  const b = to.definition.catalog;
  if (JSON.stringify(a.legalDeadline) !== JSON.stringify(b.legalDeadline) || JSON.stringify(a.fees ?? null) !== JSON.stringify(b.fees ?? null)) {
    issues.push(issue('PLAN_LEGAL_TERMS_KEPT', '', 'warning',
      `Thời hạn giải quyết hoặc phí, lệ phí của phiên bản ${vTo} khác phiên bản ${vFrom}: hồ sơ được chuyển giữ nguyên thời hạn, ngày hẹn trả và phí đã có khi tiếp nhận`,
      `Version ${vTo} has another legal time or other fees than version ${vFrom}: moved dossiers keep the time, appointment and fees they were received with`));
  }
  return { ok: !issues.some((i) => i.severity === 'error'), issues, resolved };
}
