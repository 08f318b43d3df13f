/** Roles at units as the user form edits them, and as the API takes them. Pure. */

export const ROLES = ['designer', 'admin', 'desk', 'specialist', 'leader'] as const;
export type RoleName = (typeof ROLES)[number];
export const POSITIONS = ['head', 'deputy', 'acting-head', 'internal-head', 'member'] as const;
export type PositionName = (typeof POSITIONS)[number];

export interface GrantRow {
  role: RoleName;
  unit: string;
  /** '' = not set. */
  position: PositionName | '';
  title: string;
}

export interface GrantBody {
  role: RoleName;
  unit: string;
  position?: PositionName;
  title?: string;
}

const isRole = (s: string): s is RoleName => (ROLES as readonly string[]).includes(s);
const isPosition = (s: string): s is PositionName => (POSITIONS as readonly string[]).includes(s);

/** Editor rows from what the server sends (unknown roles or positions are dropped or blanked). */
export function toGrantRows(grants: readonly { role: string; unit: string; position?: string; title?: string }[]): GrantRow[] {
  return grants.filter((g) => isRole(g.role)).map((g) => ({
    role: g.role as RoleName,
    unit: g.unit,
    position: g.position && isPosition(g.position) ? g.position : '',
    title: g.title ?? '',
  }));
}

/** The body: rows without a unit dropped, duplicates (same role at the same unit) kept once, empty extras omitted. */
export function toGrantBody(rows: readonly GrantRow[]): GrantBody[] {
  const seen = new Set<string>();
  const out: GrantBody[] = [];
  for (const r of rows) {
    if (!r.unit) continue;
    const key = `${r.role}@${r.unit}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      role: r.role, unit: r.unit,
      ...(r.position ? { position: r.position } : {}),
      ...(r.title.trim() ? { title: r.title.trim() } : {}),
    });
  }
  return out;
}

/** The first row a new user gets: a specialist at the first unit offered. */
export const blankGrant = (unit = ''): GrantRow => ({ role: 'specialist', unit, position: '', title: '' });
