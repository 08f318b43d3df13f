/**
 * The units whose statistics a user may read, parents before children. Pure: the grants
 * and (for administrators) the unit list are passed in.
 */

export interface UnitOption {
  code: string;
  /** The unit's name when known (administrators see the unit list), else its code. */
  name: string;
  /** Nesting below the first listed ancestor, for indenting the choice. */
  depth: number;
  /** Whether the subordinate units may be counted too (administrators and leaders see their subtree). */
  subtree: boolean;
}

export interface Grant {
  role: string;
  unit: string;
}

export interface KnownUnit {
  code: string;
  name: string;
  parent: string | null;
}

/** Roles that may read statistics, and those that may read a unit's subtree as well. */
export const READER_ROLES = ['admin', 'leader', 'desk', 'specialist'] as const;
const SUBTREE_ROLES = new Set(['admin', 'leader']);

/**
 * The grant units (reader roles only) and, below an administrator's or leader's units,
 * every listed descendant; ordered as the list orders them (parents first), then by code.
 */
export function readableUnits(grants: readonly Grant[], known: readonly KnownUnit[]): UnitOption[] {
  const byCode = new Map(known.map((u) => [u.code, u]));
  const subtreeRoots = new Set(grants.filter((g) => SUBTREE_ROLES.has(g.role)).map((g) => g.unit));
  const direct = new Set(grants.filter((g) => (READER_ROLES as readonly string[]).includes(g.role)).map((g) => g.unit));

  // A unit is under a subtree root when one of its ancestors (or itself) is one.
  const rootOf = (code: string): string | null => {
    const seen = new Set<string>();
    for (let c: string | null = code; c && !seen.has(c); c = byCode.get(c)?.parent ?? null) {
      seen.add(c);
      if (subtreeRoots.has(c)) return c;
    }
    return null;
  };
  const depthOf = (code: string): number => {
    let depth = 0;
    const seen = new Set<string>([code]);
    for (let p = byCode.get(code)?.parent ?? null; p && byCode.has(p) && !seen.has(p); p = byCode.get(p)?.parent ?? null) {
      seen.add(p);
      depth += 1;
    }
    return depth;
  };

  const out: UnitOption[] = [];
  const added = new Set<string>();
  const add = (code: string): void => {
    if (added.has(code)) return;
    added.add(code);
    out.push({ code, name: byCode.get(code)?.name ?? code, depth: depthOf(code), subtree: rootOf(code) !== null });
  };
  for (const u of known) if (direct.has(u.code) || rootOf(u.code) !== null) add(u.code);
  for (const code of [...direct].sort()) add(code);
  return out;
}
