/**
 * SLA arithmetic: days and hours are summed apart and turned into working days only at
 * the end, so an 8-hour step and a 1-day step stay distinguishable in reports.
 */
import type { Duration, StepDefinition } from '../definition/types';
import { isTopFinal, movesFrom, type ProcedureGraph } from './graph';
import type { SlaPathSummary } from './types';

export const DEFAULT_HOURS_PER_DAY = 8;

export interface SlaSum {
  days: number;
  hours: number;
}

export const ZERO: SlaSum = { days: 0, hours: 0 };

function finite(n: unknown): number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0;
}

/** A duration as days and hours, missing or malformed parts read as 0. */
export function slaOf(d: Duration | undefined): SlaSum {
  return { days: finite(d?.days), hours: finite(d?.hours) };
}

export function addSla(a: SlaSum, b: SlaSum): SlaSum {
  return { days: a.days + b.days, hours: a.hours + b.hours };
}

export function workingDays(s: SlaSum, hoursPerDay: number): number {
  return s.days + s.hours / hoursPerDay;
}

/** The larger of two sums in working days; the first wins a tie. */
export function maxSla(a: SlaSum, b: SlaSum, hoursPerDay: number): SlaSum {
  return workingDays(b, hoursPerDay) > workingDays(a, hoursPerDay) ? b : a;
}

/** A valid hours-per-day setting, falling back to 8. */
export function hoursPerDayOf(value: number | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : DEFAULT_HOURS_PER_DAY;
}

/**
 * A step's own budget against the legal clock. Time waiting for the citizen does not
 * count: the legal clock pauses (or restarts) then, so a long supplement window would
 * otherwise read as a breach.
 */
export function ownSla(step: StepDefinition): SlaSum {
  if (step.kind === 'wait-citizen' || step.kind === 'final') return ZERO;
  return slaOf(step.sla);
}

export function summarize(sum: SlaSum, steps: string[], hoursPerDay: number): SlaPathSummary {
  return { days: sum.days, hours: sum.hours, workingDays: workingDays(sum, hoursPerDay), steps };
}

interface Best {
  sum: SlaSum;
  next: string | null;
}

/**
 * Longest path by SLA from `start` to a step `isEnd` accepts, within one scope (top level
 * or one branch). Loops are cut where a depth-first walk first closes them, which keeps
 * rework edges out of the sum; a parallel step weighs the most of its own SLA and its
 * branches' longest paths.
 */
function longestFrom(g: ProcedureGraph, start: string, isEnd: (id: string) => boolean, hoursPerDay: number, parallelMemo: Map<string, SlaSum>): SlaPathSummary | null {
  const done = new Map<string, Best | null>();
  const onPath = new Set<string>();
  const scope = g.nodes.get(start)?.parallel ?? null;
  const visit = (id: string): Best | null => {
    const cached = done.get(id);
    if (cached !== undefined) return cached;
    const node = g.nodes.get(id);
    if (!node || node.parallel !== scope) return null;
    if (isEnd(id)) {
      const end = { sum: ZERO, next: null };
      done.set(id, end);
      return end;
    }
    if (node.step.kind === 'final') {
      done.set(id, null);
      return null;
    }
    onPath.add(id);
    let best: Best | null = null;
    for (const m of movesFrom(g, id, ['action', 'timeout', 'next'])) {
      if (m.to === id || onPath.has(m.to)) continue;
      const tail = visit(m.to);
      if (tail && (!best || workingDays(tail.sum, hoursPerDay) > workingDays(best.sum, hoursPerDay))) best = { sum: tail.sum, next: m.to };
    }
    onPath.delete(id);
    const result = best ? { sum: addSla(weightOf(g, id, hoursPerDay, parallelMemo), best.sum), next: best.next } : null;
    done.set(id, result);
    return result;
  };
  const first = visit(start);
  if (!first) return null;
  const steps: string[] = [];
  for (let id: string | null = start; id !== null && !steps.includes(id); id = done.get(id)?.next ?? null) steps.push(id);
  return summarize(first.sum, steps, hoursPerDay);
}

/** SLA weight of a step on a path: its own, or for a parallel step the most of its own and its branches' longest paths. */
export function weightOf(g: ProcedureGraph, id: string, hoursPerDay: number, parallelMemo: Map<string, SlaSum>): SlaSum {
  const node = g.nodes.get(id);
  if (!node) return ZERO;
  if (node.step.kind !== 'parallel') return ownSla(node.step);
  const memo = parallelMemo.get(id);
  if (memo) return memo;
  let weight = ownSla(node.step);
  for (const b of g.branches.get(id) ?? []) {
    if (b.initial === null) continue;
    const path = longestFrom(g, b.initial, (s) => b.steps.includes(s) && g.nodes.get(s)?.step.kind === 'final', hoursPerDay, parallelMemo);
    if (path) weight = maxSla(weight, path, hoursPerDay);
  }
  parallelMemo.set(id, weight);
  return weight;
}

/** Longest acyclic path by SLA from the initial step to a top-level final step; pure, null when no final is reachable. */
export function longestSlaPath(g: ProcedureGraph, hoursPerDay: number): SlaPathSummary | null {
  if (g.initial === null) return null;
  return longestFrom(g, g.initial, (id) => isTopFinal(g.nodes.get(id)), hoursPerDay, new Map());
}

/** The legal deadline in working days; `{ days: 0 }` (the same working day) is 0. */
export function legalDays(d: Duration | undefined, hoursPerDay: number): number {
  return workingDays(slaOf(d), hoursPerDay);
}
