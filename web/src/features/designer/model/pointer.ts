/** JSON pointer of an issue → what the designer selects and which field it focuses. Pure. */
import type { ProcedureDefinition } from '@motcua/engine';

export type Target =
  | { kind: 'step'; step: string; field: string | null }
  | { kind: 'action'; step: string | null; action: string; field: string | null }
  | { kind: 'procedure'; field: string | null }
  | { kind: 'none' };

const unescape = (s: string): string => s.replace(/~1/g, '/').replace(/~0/g, '~');

/** Splits an RFC 6901 pointer into its tokens. */
export function tokens(pointer: string): string[] {
  if (!pointer || pointer === '/') return [];
  return pointer.replace(/^\//, '').split('/').map(unescape);
}

/**
 * Where a pointer lands: `/steps/3/actions/1/guard` → action 1 of step 3, field `guard`.
 * Pointers inside a parallel step's branches land on the parallel step; `/definition/…`
 * (as the server prefixes them) is read like the bare pointer.
 */
export function locate(def: ProcedureDefinition, pointer: string): Target {
  let t = tokens(pointer);
  if (t[0] === 'definition') t = t.slice(1);
  const [head, a, b, c, d] = t;
  if (head === 'steps' && a !== undefined) {
    const step = def.steps[Number(a)];
    if (!step) return { kind: 'procedure', field: 'steps' };
    if (b === 'actions' && c !== undefined) {
      const action = step.actions?.[Number(c)];
      if (action) return { kind: 'action', step: step.id, action: action.id, field: d ?? null };
    }
    return { kind: 'step', step: step.id, field: b === 'branches' ? 'branches' : b ?? null };
  }
  if (head === 'globalActions' && a !== undefined) {
    const action = def.globalActions?.[Number(a)];
    if (action) return { kind: 'action', step: null, action: action.id, field: b ?? null };
  }
  if (head === 'initial') {
    return def.steps.some((s) => s.id === def.initial) ? { kind: 'step', step: def.initial, field: null } : { kind: 'procedure', field: 'initial' };
  }
  if (head === 'catalog') return { kind: 'procedure', field: a ?? null };
  if (head === 'roles' || head === 'settings' || head === 'data' || head === 'id') return { kind: 'procedure', field: head };
  if (head === undefined) return { kind: 'none' };
  return { kind: 'procedure', field: head };
}
