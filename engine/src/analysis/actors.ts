/**
 * Who can act: steps nobody can move, undeclared roles, declared roles nobody uses, and
 * officer steps without a time budget.
 */
import { BUILTIN_ROLES, type ActionDefinition, type StepDefinition } from '../definition/types';
import { finding } from './codes';
import { listOf, type ProcedureGraph } from './graph';
import { isOfficer } from './metrics';
import type { AnalysisFinding } from './types';

function declaredRoles(g: ProcedureGraph): Set<string> {
  return new Set<string>([...BUILTIN_ROLES, ...listOf(g.def.roles).flatMap((r) => (r && typeof r.id === 'string' ? [r.id] : []))]);
}

function undeclaredActionRoles(actions: ActionDefinition[], base: string, declared: Set<string>, where: { vi: string; en: string }): AnalysisFinding[] {
  return actions.flatMap((a, k) => (a?.role !== undefined && !declared.has(a.role)
    ? [finding('AN_NO_ACTOR', `${base}/${k}`,
      `Vai trò "${shown(a.role)}" của thao tác "${a.id}" ${where.vi} chưa được khai báo`,
      `Role "${shown(a.role)}" of action "${a.id}" ${where.en} is not declared`)]
    : []));
}

/** A value for a message, safe on unchecked input (a role may be any JSON here). */
function shown(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? 'undefined');
}

function stepActors(g: ProcedureGraph, declared: Set<string>): AnalysisFinding[] {
  const found: AnalysisFinding[] = [];
  for (const n of g.nodes.values()) {
    const { step } = n;
    if (step.kind === 'final') continue;
    const actions = listOf(step.actions);
    if (step.role !== undefined && !declared.has(step.role)) {
      found.push(finding('AN_NO_ACTOR', n.path,
        `Vai trò "${shown(step.role)}" của bước "${n.id}" chưa được khai báo, nên không ai thực hiện được các thao tác của bước`,
        `Role "${shown(step.role)}" of step "${n.id}" is not declared, so nobody can take the step's actions`));
    }
    found.push(...undeclaredActionRoles(actions, `${n.path}/actions`, declared, { vi: `tại bước "${n.id}"`, en: `of step "${n.id}"` }));
    if (step.role !== undefined || actions.length === 0) continue;
    const roleless = actions.map((a, k) => ({ a, k })).filter(({ a }) => a && a.role === undefined);
    if (roleless.length === actions.length) {
      found.push(finding('AN_NO_ACTOR', n.path,
        `Không vai trò nào thực hiện được các thao tác của bước "${n.id}": cả bước lẫn các thao tác đều không nêu vai trò`,
        `No role can take the actions of step "${n.id}": neither the step nor its actions name a role`));
      continue;
    }
    for (const { a, k } of roleless) {
      found.push(finding('AN_ACTION_WITHOUT_ACTOR', `${n.path}/actions/${k}`,
        `Không ai thực hiện được thao tác "${a.id}" tại bước "${n.id}": cả thao tác lẫn bước đều không nêu vai trò`,
        `Nobody can take action "${a.id}" of step "${n.id}": neither it nor the step names a role`));
    }
  }
  const globals = listOf(g.def.globalActions);
  found.push(...undeclaredActionRoles(globals, '/globalActions', declared, { vi: '(thao tác chung)', en: '(global)' }));
  globals.forEach((a, k) => {
    if (a && a.role === undefined) {
      found.push(finding('AN_ACTION_WITHOUT_ACTOR', `/globalActions/${k}`,
        `Không ai thực hiện được thao tác chung "${a.id}": thao tác không nêu vai trò`,
        `Nobody can take global action "${a.id}": it names no role`));
    }
  });
  return found;
}

/** Roles a definition refers to: step and action roles, and roles that effects assign or notify. */
function usedRoles(g: ProcedureGraph): Set<string> {
  const used = new Set<string>();
  const actions = [...[...g.nodes.values()].flatMap((n) => listOf(n.step.actions)), ...listOf(g.def.globalActions)];
  const effects = [...g.nodes.values()].flatMap((n) => listOf(n.step.onEnter));
  for (const n of g.nodes.values()) if (n.step.role) used.add(n.step.role);
  for (const a of actions) {
    if (a?.role) used.add(a.role);
    effects.push(...listOf(a?.effects));
  }
  for (const e of effects) {
    if (e?.type === 'assign') used.add(e.role);
    if (e?.type === 'notify' && typeof e.to === 'object' && e.to !== null) used.add(e.to.role);
  }
  return used;
}

function unusedRoles(g: ProcedureGraph): AnalysisFinding[] {
  const used = usedRoles(g);
  return listOf(g.def.roles).flatMap((r, i) => (r && !used.has(r.id)
    ? [finding('AN_UNUSED_ROLE', `/roles/${i}`,
      `Vai trò "${r.id}" được khai báo nhưng không bước hay thao tác nào dùng`,
      `Role "${r.id}" is declared but no step or action uses it`)]
    : []));
}

/** Whether officers work this step: it or one of its actions names an officer role. */
function isOfficerStep(step: StepDefinition): boolean {
  if (step.kind === 'final' || step.kind === 'parallel' || step.kind === 'wait-citizen') return false;
  if (step.role !== undefined) return isOfficer(step.role);
  return listOf(step.actions).some((a) => isOfficer(a?.role));
}

function stepsWithoutSla(g: ProcedureGraph): AnalysisFinding[] {
  return [...g.nodes.values()]
    .filter((n) => isOfficerStep(n.step) && n.step.sla === undefined)
    .map((n) => finding('AN_STEP_WITHOUT_SLA', n.path,
      `Bước "${n.id}" chưa có thời hạn xử lý, nên không cảnh báo được sắp đến hạn hay quá hạn`,
      `Step "${n.id}" has no SLA, so due-soon and overdue marks cannot be shown`));
}

/** Actor and budget findings of a step graph; pure. */
export function actorFindings(g: ProcedureGraph): AnalysisFinding[] {
  return [...stepActors(g, declaredRoles(g)), ...unusedRoles(g), ...stepsWithoutSla(g)];
}
