/** Fresh identifiers for steps and actions. Pure. */
import type { ProcedureDefinition, StepDefinition } from '@motcua/engine';

/** `base`, else `base2`, `base3`… the first not in `taken`. */
export function uniqueId(base: string, taken: ReadonlySet<string> | readonly string[]): string {
  const set = taken instanceof Set ? taken : new Set(taken as readonly string[]);
  const clean = base.replace(/[^A-Za-z0-9_-]/g, '') || 'step';
  if (!set.has(clean)) return clean;
  const stem = clean.replace(/\d+$/, '') || clean;
  for (let n = 2; ; n += 1) {
    const id = `${stem}${n}`;
    if (!set.has(id)) return id;
  }
}

/** Every step id of a definition, parallel branch steps included (ids are unique across all of them). */
export function allStepIds(def: Pick<ProcedureDefinition, 'steps'>): Set<string> {
  const out = new Set<string>();
  const walk = (steps: readonly StepDefinition[]): void => {
    for (const s of steps) {
      out.add(s.id);
      for (const b of s.branches ?? []) walk(b.steps);
    }
  };
  walk(def.steps);
  return out;
}
