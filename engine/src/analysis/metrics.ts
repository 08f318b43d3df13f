/**
 * Metrics of one procedure version: its size, and what its happy path costs officers
 * (actions, hand-offs, working days) and citizens (trips, agencies).
 */
import { defaultUnit } from '../compile/compile';
import { BUILTIN_ROLES, type Channel, type EffectSpec, type ProcedureDefinition, type HandoffUnit, type StepDefinition } from '../definition/types';
import { buildGraph, listOf, type Move, type ProcedureGraph } from './graph';
import { happyRoute, type Route } from './happyPath';
import { addSla, hoursPerDayOf, legalDays, maxSla, ownSla, summarize, workingDays, ZERO, type SlaSum } from './sla';
import type { BranchPath, DefinitionMetrics, HappyPath, MetricsOptions, PathMove, SlaPathSummary } from './types';

/**
 * A unit scope as a comparable string: `receiving`, `competent`, `return`, `unit:<code>`, or
 * `data:<expression>` for a hand-off unit chosen at run time.
 */
export function unitKey(scope: HandoffUnit | undefined): string | null {
  if (typeof scope === 'string') return scope;
  if (scope && typeof scope === 'object' && 'expression' in scope) return `data:${JSON.stringify(scope.expression)}`;
  if (scope && typeof scope === 'object' && typeof scope.unit === 'string') return `unit:${scope.unit}`;
  return null;
}

/** Whether a role belongs to an officer rather than the applicant or the system. */
export function isOfficer(role: string | null | undefined): role is string {
  return typeof role === 'string' && !(BUILTIN_ROLES as readonly string[]).includes(role);
}

/** Role that takes a move: the action's, else (for a step's own action) the step's. */
function actingRole(g: ProcedureGraph, m: Move | null): string | null {
  if (!m?.action) return null;
  return m.action.role ?? (m.kind === 'action' ? g.nodes.get(m.from)?.step.role ?? null : null);
}

function effectUnits(effects: EffectSpec[] | undefined): string[] {
  return listOf(effects).flatMap((e) => {
    if (e?.type === 'spawn' || e?.type === 'assign') return [unitKey(e.unit)].filter((u): u is string => u !== null);
    return [];
  });
}

/** Units a step involves: where it runs (parallel steps only when they name one) and where it hands off to. */
function stepUnits(step: StepDefinition): string[] {
  const units: string[] = [];
  if (step.kind !== 'final' && (step.kind !== 'parallel' || step.unit)) units.push(unitKey(defaultUnit(step)) ?? '');
  if (step.kind === 'handoff') units.push(unitKey(step.handoff?.unit) ?? '');
  units.push(...effectUnits(step.onEnter));
  return units.filter((u) => u !== '');
}

/** Calls `visit` for every hop of a route, branch hops right after their parallel step. */
function eachHop(route: Route, visit: (hop: Route['hops'][number]) => void): void {
  for (const hop of route.hops) {
    visit(hop);
    for (const b of hop.branches ?? []) eachHop(b.route, visit);
  }
}

function pathMoves(g: ProcedureGraph, route: Route): PathMove[] {
  const moves: PathMove[] = [];
  eachHop(route, (hop) => {
    if (hop.move?.action) moves.push({ step: hop.step, action: hop.move.action.id, role: actingRole(g, hop.move), target: hop.move.to });
  });
  return moves;
}

function branchPaths(route: Route, out: BranchPath[] = []): BranchPath[] {
  for (const hop of route.hops) {
    for (const b of hop.branches ?? []) {
      out.push({ parallel: hop.step, branch: b.branch, steps: b.route.hops.map((h) => h.step) });
      branchPaths(b.route, out);
    }
  }
  return out;
}

/** SLA of a route: a parallel step left by `next` weighs the most of its own SLA and its branches' routes. */
function routeSla(g: ProcedureGraph, route: Route, hoursPerDay: number): SlaSum {
  return route.hops.reduce((sum, hop) => {
    const step = g.nodes.get(hop.step)?.step;
    if (!step) return sum;
    let weight = ownSla(step);
    for (const b of hop.branches ?? []) weight = maxSla(weight, routeSla(g, b.route, hoursPerDay), hoursPerDay);
    return addSla(sum, weight);
  }, ZERO);
}

interface Actor {
  role: string;
  unit: string;
}

/**
 * Hand-offs on a route: each time the officer role or unit changes between consecutive
 * officer steps (applicant and system steps are passed through), plus one per hand-off
 * step. A parallel step fans the dossier out from the officer before it and gathers it
 * back there.
 */
function countHandoffs(g: ProcedureGraph, route: Route, before: Actor | null): number {
  let prev = before;
  let count = 0;
  for (const hop of route.hops) {
    const step = g.nodes.get(hop.step)?.step;
    if (!step || step.kind === 'final') continue;
    if (step.kind === 'handoff') count += 1;
    const role = step.role ?? actingRole(g, hop.move);
    if (isOfficer(role)) {
      const actor = { role, unit: unitKey(defaultUnit(step)) ?? '' };
      if (prev && (prev.role !== actor.role || prev.unit !== actor.unit)) count += 1;
      prev = actor;
    }
    for (const b of hop.branches ?? []) count += countHandoffs(g, b.route, prev);
  }
  return count;
}

function defaultChannel(def: ProcedureDefinition): Channel {
  const channels = listOf(def.catalog?.channels);
  return channels.length > 0 && !channels.includes('direct') ? (channels[0] ?? 'direct') : 'direct';
}

/** Metrics plus the SLA summary of the happy path, from an already built graph; pure. */
export function measure(g: ProcedureGraph, options: MetricsOptions = {}): { metrics: DefinitionMetrics; slaHappyPath: SlaPathSummary | null } {
  const hoursPerDay = hoursPerDayOf(options.hoursPerDay);
  const def = g.def;
  const nodes = [...g.nodes.values()];
  const globals = listOf(def.globalActions);

  const roles = new Set<string>();
  const units = new Set<string>();
  const allActions = [...nodes.flatMap((n) => listOf(n.step.actions)), ...globals].filter((a) => a);
  for (const n of nodes) {
    if (typeof n.step.role === 'string') roles.add(n.step.role);
    stepUnits(n.step).forEach((u) => units.add(u));
  }
  for (const a of allActions) {
    // Analysis runs on unchecked input too: only string roles count.
    if (typeof a.role === 'string') roles.add(a.role);
    effectUnits(a.effects).forEach((u) => units.add(u));
  }

  const channel = options.channel ?? defaultChannel(def);
  const route = happyRoute(g);
  const base = {
    steps: nodes.filter((n) => n.step.kind !== 'final').length,
    actions: allActions.length,
    roles: [...roles].sort(),
    units: [...units].sort(),
    legalDeadlineDays: legalDays(def.catalog?.legalDeadline, hoursPerDay),
  };
  if (!route) {
    const metrics = { ...base, happyPath: null, officerActions: 0, handoffs: 0, workingDays: 0, citizen: { channel, trips: 0, agencies: 0 } };
    return { metrics, slaHappyPath: null };
  }

  const moves = pathMoves(g, route);
  const agencies = new Set<string>();
  eachHop(route, (hop) => {
    const step = g.nodes.get(hop.step)?.step;
    if (step) stepUnits(step).forEach((u) => agencies.add(u));
    effectUnits(hop.move?.action?.effects).forEach((u) => agencies.add(u));
  });
  const happyPath: HappyPath = { steps: route.hops.map((h) => h.step), moves, branches: branchPaths(route) };
  const sla = routeSla(g, route, hoursPerDay);
  const metrics: DefinitionMetrics = {
    ...base,
    happyPath,
    officerActions: moves.filter((m) => isOfficer(m.role)).length,
    handoffs: countHandoffs(g, route, null),
    workingDays: workingDays(sla, hoursPerDay),
    citizen: {
      channel,
      trips: moves.filter((m) => m.role === 'applicant').length + (channel === 'direct' ? 2 : 0),
      agencies: Math.max(1, agencies.size),
    },
  };
  return { metrics, slaHappyPath: summarize(sla, happyPath.steps, hoursPerDay) };
}

/** Counts steps, actions, roles and units, and measures the happy path (officer actions, hand-offs, working days, citizen trips and agencies); pure. */
export function metrics(def: ProcedureDefinition, options: MetricsOptions = {}): DefinitionMetrics {
  return measure(buildGraph(def), options).metrics;
}
