/** Fresh identifiers for steps and actions. Pure. */
import type { ProcedureDefinition } from '@motcua/engine';
import { allSteps } from '@motcua/engine/steps';

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
  return new Set(allSteps(def.steps).map((s) => s.id));
}
