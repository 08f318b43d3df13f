/** Where a step can go: its actions' targets (plain or conditional) and its `next`. Pure. */
import type { ActionDefinition, JsonLogicRule, RouteBranch, StepDefinition } from '@motcua/engine';

export interface TargetRef {
  /** `action`: an action's target; `next`: a parallel step's (or any step's) `next`. */
  kind: 'action' | 'next';
  action: ActionDefinition | null;
  /** Index in the route list, or null for a plain target. */
  route: number | null;
  when: JsonLogicRule | undefined;
  target: string;
}

const routes = (value: string | RouteBranch[] | undefined): { route: number | null; when: JsonLogicRule | undefined; target: string }[] => {
  if (value === undefined) return [];
  if (typeof value === 'string') return [{ route: null, when: undefined, target: value }];
  return value.map((b, i) => ({ route: i, when: b.when, target: b.target }));
};

export function targetsOf(step: StepDefinition): TargetRef[] {
  const out: TargetRef[] = [];
  for (const a of step.actions ?? []) {
    for (const r of routes(a.target)) out.push({ kind: 'action', action: a, ...r });
  }
  for (const r of routes(step.next)) out.push({ kind: 'next', action: null, ...r });
  return out;
}

/** A short reading of a JSON Logic condition for an edge label: `data.x = "y"`, else a generic word. */
export interface ConditionWords { otherwise: string; generic: string; not: string }

export function conditionText(rule: JsonLogicRule | undefined, words: ConditionWords): string {
  if (rule === undefined) return words.otherwise;
  const operand = (v: unknown): string => {
    if (v && typeof v === 'object' && !Array.isArray(v) && 'var' in v) {
      const name = (v as { var: unknown }).var;
      return Array.isArray(name) ? String(name[0]) : String(name);
    }
    return JSON.stringify(v);
  };
  if (rule && typeof rule === 'object' && !Array.isArray(rule)) {
    const entries = Object.entries(rule);
    if (entries.length === 1) {
      const [op, args] = entries[0]!;
      const symbols: { [op: string]: string } = { '==': '=', '===': '=', '!=': '≠', '!==': '≠', '<': '<', '<=': '≤', '>': '>', '>=': '≥', in: '∈' };
      if (symbols[op] && Array.isArray(args) && args.length === 2) return `${operand(args[0])} ${symbols[op]} ${operand(args[1])}`;
      if ((op === '!' || op === '!!') && args !== undefined) return `${op === '!' ? `${words.not} ` : ''}${operand(Array.isArray(args) ? args[0] : args)}`;
      if (op === 'var') return operand(rule);
    }
  }
  return words.generic;
}

/**
 * What a designer reads for a step id in a list (an action's target, the happy path): the step's
 * name, branch steps of a parallel step included; an id no step has (a typo being fixed) stays as it is.
 */
export function stepNameOf(steps: readonly StepDefinition[], id: string, lang: 'vi' | 'en'): string {
  for (const s of steps) {
    if (s.id === id) return (lang === 'en' ? s.name.en : undefined) || s.name.vi || id;
    for (const b of s.branches ?? []) {
      const inner = stepNameOf(b.steps, id, lang);
      if (inner !== id) return inner;
    }
  }
  return id;
}
