import { GLOBAL_STEP, actionInfo, type ActionInfo, type CompiledProcedure } from '../compile/compile';
import { holds, RuleTooCostly } from '../expr/jsonLogic';
import { checkDossier } from './apply';
import { authorize } from './authorize';
import { ruleScope } from './scope';
import type { AvailableAction, DossierSnapshot, EngineContext } from './types';

const mentionsInputs = (rule: unknown): boolean => JSON.stringify(rule ?? null).includes('"inputs');
const guardOnInputs = (info: ActionInfo): boolean => info.def.guard !== undefined && mentionsInputs(info.def.guard);

/**
 * Whether a guard lets the action be offered. One too costly to evaluate is offered: the
 * dossier stays readable, and taking the action says why it cannot be taken (RULE_TOO_COSTLY).
 */
function offered(info: ActionInfo, scope: ReturnType<typeof ruleScope>): boolean {
  try {
    return holds(info.def.guard, scope);
  } catch (e) {
    if (e instanceof RuleTooCostly) return true;
    throw e;
  }
}

/**
 * Lists the actions the context's actor may take now, each with the inputs it needs and
 * whom the actor would act for. Guards are checked on current data; guards and routes
 * that depend on the inputs are decided when the action is applied. Pure.
 */
export function availableActions(proc: CompiledProcedure, snapshot: DossierSnapshot, ctx: EngineContext): AvailableAction[] {
  if (snapshot.status === 'done') return [];
  const candidates: ActionInfo[] = [];
  for (const active of snapshot.active) {
    for (const a of proc.steps.get(active.step)?.def.actions ?? []) {
      const info = actionInfo(proc, active.step, a.id);
      if (info) candidates.push(info);
    }
  }
  for (const a of [...(proc.definition.globalActions ?? []), ...proc.builtIns]) {
    const info = actionInfo(proc, GLOBAL_STEP, a.id);
    if (info) candidates.push(info);
  }
  const scope = ruleScope(snapshot, snapshot.data, {});
  const out: AvailableAction[] = [];
  for (const info of candidates) {
    if (checkDossier(proc, snapshot, info)) continue;
    // A guard on the inputs can only be judged once they are given: offer it, apply decides.
    if (!guardOnInputs(info) && !offered(info, scope)) continue;
    const auth = authorize(info, snapshot, ctx, proc);
    if (!auth.ok) continue;
    const stepKind = info.step === GLOBAL_STEP ? 'task' : (proc.steps.get(info.step)?.def.kind ?? 'task');
    out.push({
      step: info.step,
      action: info.def.id,
      label: info.def.label,
      intent: info.def.intent ?? 'proceed',
      stepKind,
      inputs: info.def.inputs ?? null,
      effects: info.def.effects ?? [],
      ...(auth.value.onBehalfOf ? { onBehalfOf: auth.value.onBehalfOf } : {}),
      ...(auth.value.signing ? { signing: auth.value.signing } : {}),
    });
  }
  return out;
}
