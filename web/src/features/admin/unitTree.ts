/** Units as a tree: depth-first order for an indented table, and where a unit may move. Pure. */

export interface UnitLike {
  code: string;
  name: string;
  parent: string | null;
}

export interface TreeRow<U extends UnitLike> {
  unit: U;
  depth: number;
}

/**
 * Units depth first, children after their parent and sorted by code. A unit whose parent is
 * not in the list (the top of what this administrator sees) is a root. Cycles cannot hang it.
 */
export function treeRows<U extends UnitLike>(units: readonly U[]): TreeRow<U>[] {
  const codes = new Set(units.map((u) => u.code));
  const children = new Map<string | null, U[]>();
  for (const u of units) {
    const key = u.parent !== null && codes.has(u.parent) && u.parent !== u.code ? u.parent : null;
    children.set(key, [...(children.get(key) ?? []), u]);
  }
  for (const list of children.values()) list.sort((a, b) => a.code.localeCompare(b.code));
  const out: TreeRow<U>[] = [];
  const seen = new Set<string>();
  const walk = (parent: string | null, depth: number) => {
    for (const unit of children.get(parent) ?? []) {
      if (seen.has(unit.code)) continue;
      seen.add(unit.code);
      out.push({ unit, depth });
      walk(unit.code, depth + 1);
    }
  };
  walk(null, 0);
  // Units caught in a parent cycle are never reached from a root: show them at the top rather than lose them.
  for (const unit of units) if (!seen.has(unit.code)) { seen.add(unit.code); out.push({ unit, depth: 0 }); walk(unit.code, 1); }
  return out;
}

/** The codes of every unit below `code` (not itself). */
export function descendants(units: readonly UnitLike[], code: string): Set<string> {
  const out = new Set<string>();
  const queue = [code];
  while (queue.length > 0) {
    const current = queue.shift();
    for (const u of units) {
      if (u.parent === current && !out.has(u.code) && u.code !== code) {
        out.add(u.code);
        queue.push(u.code);
      }
    }
  }
  return out;
}

/** Units `code` may move below: neither itself nor one of its own descendants. */
export function moveTargets<U extends UnitLike>(units: readonly U[], code: string): U[] {
  const below = descendants(units, code);
  return units.filter((u) => u.code !== code && !below.has(u.code));
}

/** "Tên (mã)" for pickers. */
export const unitLabel = (u: UnitLike | undefined, code: string): string => (u ? `${u.name} (${u.code})` : code);
