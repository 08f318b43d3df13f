import type {
  ActionDefinition,
  EffectSpec,
  ParallelBranch,
  ProcedureDefinition,
  RouteBranch,
  StepDefinition,
} from './types';
import { walkSteps } from './steps';

/** A list of sibling steps: the top level, or one branch of a parallel step. */
export interface Scope {
  /** JSON pointer of the branch, "" at top level. */
  pointer: string;
  branch: ParallelBranch | null;
  /** The parallel step that owns the branch, null at top level. */
  owner: StepEntry | null;
  parent: Scope | null;
  /** Ids of the steps directly in this scope. */
  ids: Set<string>;
}

export interface StepEntry {
  step: StepDefinition;
  pointer: string;
  scope: Scope;
}

export interface ActionEntry {
  action: ActionDefinition;
  pointer: string;
  /** The step that offers it, null for a global action. */
  owner: StepEntry | null;
  /** The action's role, else its step's role. */
  role: string | undefined;
  scope: Scope;
}

export interface EffectEntry {
  effect: EffectSpec;
  pointer: string;
}

/** A route list or single target, with the scope its targets are resolved in. */
export interface TargetEntry {
  target: string | RouteBranch[];
  pointer: string;
  scope: Scope;
}

/** Every step, action, effect and target of a definition with its JSON pointer. */
export interface DefinitionIndex {
  def: ProcedureDefinition;
  top: Scope;
  steps: StepEntry[];
  /** First step of each id (duplicates are reported, not indexed). */
  stepById: Map<string, StepEntry>;
  actions: ActionEntry[];
  effects: EffectEntry[];
  targets: TargetEntry[];
}

const scopeOf = (pointer: string, branch: ParallelBranch | null, owner: StepEntry | null, parent: Scope | null, steps: readonly StepDefinition[]): Scope => ({
  pointer, branch, owner, parent, ids: new Set(steps.map((s) => s.id)),
});

/**
 * The definition walker: every step, action (global ones included), effect and target with
 * its JSON pointer and scope. For a definition that passed the JSON Schema; pure.
 */
export function indexDefinition(def: ProcedureDefinition): DefinitionIndex {
  const top = scopeOf('', null, null, null, def.steps);
  const index: DefinitionIndex = { def, top, steps: [], stepById: new Map(), actions: [], effects: [], targets: [] };

  const addEffects = (effects: readonly EffectSpec[] | undefined, pointer: string): void => {
    (effects ?? []).forEach((effect, i) => index.effects.push({ effect, pointer: `${pointer}/${i}` }));
  };
  const addAction = (action: ActionDefinition, pointer: string, owner: StepEntry | null, scope: Scope): void => {
    index.actions.push({ action, pointer, owner, role: action.role ?? owner?.step.role, scope });
    if (action.target !== undefined) index.targets.push({ target: action.target, pointer: `${pointer}/target`, scope });
    addEffects(action.effects, `${pointer}/effects`);
  };
  // Each branch is a scope of its own, created when its parallel step is met (walkSteps
  // lists a parallel step before its branches' steps).
  const scopes = new Map<string, Scope>([['', top]]);
  for (const visit of walkSteps(def.steps)) {
    const { step } = visit;
    const scope = scopes.get(visit.branchPointer) ?? top;
    const entry: StepEntry = { step, pointer: visit.pointer, scope };
    index.steps.push(entry);
    if (!index.stepById.has(step.id)) index.stepById.set(step.id, entry);
    addEffects(step.onEnter, `${entry.pointer}/onEnter`);
    (step.actions ?? []).forEach((a, j) => addAction(a, `${entry.pointer}/actions/${j}`, entry, scope));
    if (step.next !== undefined) index.targets.push({ target: step.next, pointer: `${entry.pointer}/next`, scope });
    (step.branches ?? []).forEach((branch, j) => {
      const pointer = `${entry.pointer}/branches/${j}`;
      scopes.set(pointer, scopeOf(pointer, branch, entry, scope, branch.steps));
    });
  }
  (def.globalActions ?? []).forEach((a, i) => addAction(a, `/globalActions/${i}`, null, top));
  return index;
}

/** Whether a step id can be reached from a scope: its own steps or those of an enclosing scope. */
export function inScope(scope: Scope, id: string): boolean {
  for (let s: Scope | null = scope; s; s = s.parent) if (s.ids.has(id)) return true;
  return false;
}

/** The routes of a target: a single id is one route without a condition. */
export function routesOf(entry: TargetEntry): { branch: RouteBranch; pointer: string }[] {
  if (typeof entry.target === 'string') return [{ branch: { target: entry.target }, pointer: entry.pointer }];
  return entry.target.map((branch, k) => ({ branch, pointer: `${entry.pointer}/${k}/target` }));
}

/** Human name of where a step sits, for messages: `branch "x" of step "y"`. */
export function describeScope(scope: Scope): { vi: string; en: string } {
  if (!scope.branch || !scope.owner) return { vi: 'cấp cao nhất', en: 'the top level' };
  return {
    vi: `nhánh "${scope.branch.id}" của bước song song "${scope.owner.step.id}"`,
    en: `branch "${scope.branch.id}" of parallel step "${scope.owner.step.id}"`,
  };
}
