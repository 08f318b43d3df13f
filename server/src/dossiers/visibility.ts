/**
 * Who may see a dossier: one rule, given twice from the same data — as an SQL predicate
 * (inbox lists, counts, search) and as a check of one row (detail, history, documents,
 * slips, live updates). `server/test` and `tests/security` check that both agree.
 *
 * (The SQL form lives with every other statement on dossiers: `visibleWhere` in ./repo.ts.)
 *
 * A user sees through "lenses": one per role they hold (their own grants) and one per role
 * a delegation lets them use now (see docs/delegation.md). A lens with role R at units U
 * (and, for a delegation limited to some procedures, only those) shows a dossier when
 * - its competent unit is in U (the unit that decides keeps its records), or, while it is open,
 * - one of its active steps waits for role R at a unit of U, or
 * - R is the desk role and the dossier was received or is to be returned at a unit of U
 *   (the one-stop desk of a non-geographic dossier tracks it until the result is returned).
 * Nothing else: other officers of a receiving commune see nothing of a non-geographic dossier.
 */
import { delegatedReach, type DossierSnapshot } from '@motcua/engine';
import type { AuthUser } from '../auth/middleware';
import type { BusMessage } from '../bus';
import type { Deps } from '../deps';
import { delegationsFor } from './delegations';
import type { DossierRow } from './repo';

/** The one-stop desk's role (Bộ phận Một cửa). */
export const DESK_ROLE = 'desk';
/** Roles that reach down the unit tree: a leader or administrator oversees the units below. */
const OVERSIGHT = new Set(['admin', 'leader']);
/** Roles that never open citizens' dossiers: designers shape procedures, not records. */
const NO_RECORDS = new Set(['designer']);

export interface Lens {
  role: string;
  units: string[];
  /** Procedure ids the lens is limited to; null for every procedure. */
  procedures: string[] | null;
  /** Set when the lens comes from a delegation (for messages and audits). */
  delegationId?: string;
}

/** The lenses of a user now: their own grants, then the delegations in force to them. */
export async function lensesOf(deps: Deps, user: AuthUser): Promise<Lens[]> {
  const out: Lens[] = [];
  for (const g of user.grants) {
    if (NO_RECORDS.has(g.role)) continue;
    out.push({ role: g.role, units: OVERSIGHT.has(g.role) ? await deps.directory.subtree(g.unit) : [g.unit], procedures: null });
  }
  const now = deps.clock.now();
  const delegations = await delegationsFor(deps, user.id, now);
  if (delegations.length === 0) return out;
  const reach = delegatedReach({
    actor: { id: user.id, name: user.name, kind: 'officer', grants: user.grants },
    now: now.toISOString(), delegations, units: await deps.directory.unitInfos(),
  });
  // A delegate acts at the delegator's unit itself, never below it: the lens is that unit alone.
  for (const r of reach) {
    if (NO_RECORDS.has(r.role)) continue;
    out.push({ role: r.role, units: [r.unit], procedures: r.procedures, delegationId: r.delegationId });
  }
  return out;
}

/** The lenses narrowed to one unit (an inbox filtered by unit); lenses not covering it drop out. */
export function atUnit(lenses: Lens[], unit: string): Lens[] {
  return lenses.filter((l) => l.units.includes(unit)).map((l) => ({ ...l, units: [unit] }));
}

/** Every unit any lens covers (socket rooms, inbox unit filters). */
export function lensUnits(lenses: Lens[]): Set<string> {
  return new Set(lenses.flatMap((l) => l.units));
}

type Visible = Pick<DossierRow, 'procedureId' | 'competentUnit' | 'receivingUnit' | 'returnUnit' | 'closedAt' | 'snapshot'>;

/** Whether an active step waits for the lens's role at one of its units. */
function stepSees(lens: Lens, units: Set<string>, row: Visible): boolean {
  return (row.snapshot as DossierSnapshot).active.some((a) => a.role === lens.role && units.has(a.unit));
}

/** The rule for one row and one lens. */
export function lensSees(lens: Lens, row: Visible): boolean {
  if (lens.procedures !== null && !lens.procedures.includes(row.procedureId)) return false;
  const units = new Set(lens.units);
  if (units.has(row.competentUnit)) return true;
  if (row.closedAt) return false;
  if (stepSees(lens, units, row)) return true;
  return lens.role === DESK_ROLE && (units.has(row.receivingUnit) || units.has(row.returnUnit));
}

/** The rule for one row: some lens sees it. */
export function sees(lenses: Lens[], row: Visible): boolean {
  return lenses.some((l) => lensSees(l, row));
}

/** Who may hear of a dossier's change: whole units, roles at units, and its procedure (delegations may be limited to some). */
export interface Audience {
  units: string[];
  roles: { unit: string; role: string }[];
  procedure: string;
}

/**
 * The rule as live-update rooms: a change reaches the whole competent unit (and, through
 * their unit rooms, the leaders and administrators above it) and, while the dossier is open,
 * the roles its active steps wait for and the desks of its receiving and return units.
 */
export function audienceOf(s: DossierSnapshot): Audience {
  const procedure = s.procedure.id;
  if (s.closedAt) return { units: [s.routing.competent], roles: [], procedure };
  const roles = [
    ...s.active.filter((a): a is typeof a & { role: string } => a.role !== null).map((a) => ({ unit: a.unit, role: a.role })),
    { unit: s.routing.receiving, role: DESK_ROLE }, { unit: s.routing.returnUnit, role: DESK_ROLE },
  ];
  const seen = new Set<string>();
  return { units: [s.routing.competent], roles: roles.filter((r) => !seen.has(`${r.unit} ${r.role}`) && seen.add(`${r.unit} ${r.role}`)), procedure };
}

/**
 * The rule for one row, read from its audience: a lens sees the dossier when it covers one of
 * the audience's units, or holds one of its roles at the unit named, within the lens's
 * procedures. The same answer as `sees` on the row the audience was taken from (competent
 * unit; while open, the active steps' roles and the desks of the receiving and return units).
 */
export function audienceSees(lenses: Lens[], a: Audience): boolean {
  return lenses.some((l) => (l.procedures === null || l.procedures.includes(a.procedure))
    && (a.units.some((u) => l.units.includes(u)) || a.roles.some((r) => r.role === l.role && l.units.includes(r.unit))));
}

/**
 * The live notice of a committed change: the rooms of the rule above, and the people holding
 * its steps, who hear of it wherever they sit (their own rooms). `at`: the step and action
 * that made it, unknown (null) for a replay or a change of holder.
 */
export function changedNotice(
  row: { id: string; version: number; status: string; snapshot: unknown; holders?: unknown },
  at: { step: string; action: string } | null = null,
): BusMessage & { type: 'dossier.changed' } {
  const s = row.snapshot as DossierSnapshot;
  const holders = Object.values((row.holders ?? {}) as Record<string, { id: string | null }>).map((h) => h.id);
  return {
    type: 'dossier.changed', dossierId: row.id, version: row.version, status: row.status,
    units: [...new Set([s.routing.receiving, s.routing.competent, s.routing.returnUnit, ...s.active.map((a) => a.unit)])],
    assignees: [...new Set([...s.active.map((a) => a.assignee), ...holders].filter((x): x is string => x !== null))],
    step: at?.step ?? null, action: at?.action ?? null,
    audience: audienceOf(s),
  };
}

/** The rooms a socket joins for its own lenses (delegated lenses follow dossiers one by one): units and roles at units. */
export function ownRooms(lenses: Lens[]): { units: string[]; roles: { unit: string; role: string }[] } {
  const own = lenses.filter((l) => l.delegationId === undefined);
  return { units: [...lensUnits(own)].sort(), roles: own.flatMap((l) => l.units.map((unit) => ({ unit, role: l.role }))) };
}
