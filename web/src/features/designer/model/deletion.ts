/**
 * What deleting steps takes with it: the actions and routes of the remaining steps (and of
 * the shared actions) that point at them. The designer lists these and asks before the
 * `steps.delete` command drops them. Pure.
 */
import type { ActionDefinition, ProcedureDefinition, StepDefinition } from '@motcua/engine';
import { targetsOf } from './targets';

export interface DeletedReference {
  /** The step holding the action or `next` (a branch step too); null for a shared action. */
  step: string | null;
  kind: 'action' | 'next';
  action: ActionDefinition | null;
  /** Route index in a conditional target, null for a plain one. */
  route: number | null;
  /** The deleted step it points to. */
  target: string;
  /** `removed`: the whole action (or `next`) goes, every route of it pointing at deleted steps; `route`: only this route. */
  effect: 'removed' | 'route';
}

/** References from the steps that stay (branch steps included) and from shared actions to the steps in `ids`. */
export function referencesTo(def: ProcedureDefinition, ids: readonly string[]): DeletedReference[] {
  const gone = new Set(ids);
  const out: DeletedReference[] = [];
  const collect = (holder: string | null, step: StepDefinition | null, actions: readonly ActionDefinition[]) => {
    const probe: StepDefinition = step ?? { id: '', kind: 'task', name: { vi: '' }, actions: [...actions] };
    const refs = targetsOf(probe);
    for (const r of refs) {
      if (!gone.has(r.target)) continue;
      const siblings = refs.filter((x) => x.kind === r.kind && x.action === r.action);
      out.push({
        step: holder, kind: r.kind, action: r.action, route: r.route, target: r.target,
        effect: siblings.every((x) => gone.has(x.target)) ? 'removed' : 'route',
      });
    }
  };
  const walk = (steps: readonly StepDefinition[]) => {
    for (const s of steps) {
      if (gone.has(s.id)) continue;
      collect(s.id, s, s.actions ?? []);
      for (const b of s.branches ?? []) walk(b.steps);
    }
  };
  walk(def.steps);
  collect(null, null, def.globalActions ?? []);
  return out;
}
