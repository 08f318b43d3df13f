/**
 * Every route against the legal time that applies to it. A procedure's legal time may depend
 * on the case (`catalog.legalDeadline.cases`, e.g. 3 working days, 20 when verification is
 * needed), so each route from the initial step to a final step is judged against the time of
 * the case it belongs to, read from the route conditions and guards it passes. A route that
 * returns to an earlier step in the normal flow is walked once round (each step at most twice);
 * loops closed by rework (sent back after review: the agency's own repeat) or by a supplement
 * request (the legal clock pauses) are not, as before.
 */
import type { JsonLogicRule, ProcedureDefinition } from '../definition/types';
import { movesFrom, isTopFinal, listOf, type Move, type ProcedureGraph } from './graph';
import { addSla, legalDays, workingDays, ZERO, type SlaSum } from './sla';

/** Intents whose moves close a loop the legal-time check leaves out. */
const LOOP_INTENTS: ReadonlySet<string> = new Set(['rework', 'supplement']);
/** A route may pass a step at most this many times: once round a loop. */
const MAX_VISITS = 2;
/** Paths walked before giving up on exhaustiveness (the acyclic longest path still stands). */
const MAX_PATHS = 20_000;
/**
 * Work the walk may do, counted as steps entered plus moves looked at, before it stops. Routes
 * that never reach a final step (steps that each move to every other and leave only by rework)
 * escape `MAX_PATHS`: seven such steps cost 80 s, eight hours. A count, not a clock, so the
 * analysis stays pure and gives the same answer everywhere; the shipped procedures need under
 * a hundred.
 */
export const MAX_WALK_WORK = 100_000;

export interface CasePath {
  /** Top-level step ids, initial to final; a step that is passed twice appears twice. */
  steps: string[];
  sum: SlaSum;
  workingDays: number;
  /** Cases the route may be in (-1: the base time); the legal time judged is the longest of them. */
  cases: number[];
  legalDays: number;
  /** The first move of the route back to a step it already passed, if any. */
  loop: { from: string; to: string } | null;
}

export interface CasePathReport {
  /** The route that overruns its legal time the most, if any overruns. */
  worst: CasePath | null;
  paths: number;
  /** Steps entered plus moves looked at (see `MAX_WALK_WORK`). */
  work: number;
  /** True when the walk stopped at `MAX_PATHS` or `MAX_WALK_WORK`: not every route was judged. */
  truncated: boolean;
}

const key = (rule: unknown): string => JSON.stringify(rule, (_k, v: unknown) => (
  v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v
));

type Facts = ReadonlyMap<string, boolean>;

/** Records that a rule holds (or not); `!` and `!!` record the truth of what they wrap. */
function withFact(facts: Facts, rule: JsonLogicRule | undefined, value: boolean): Facts {
  if (rule === undefined) return facts;
  if (rule !== null && typeof rule === 'object' && !Array.isArray(rule)) {
    const ops = Object.keys(rule);
    if (ops.length === 1 && (ops[0] === '!' || ops[0] === '!!')) {
      const inner = (rule as { [op: string]: unknown })[ops[0]];
      const arg = Array.isArray(inner) && inner.length === 1 ? inner[0] : inner;
      return withFact(facts, arg as JsonLogicRule, ops[0] === '!' ? !value : value);
    }
  }
  const next = new Map(facts);
  next.set(key(rule), value);
  return next;
}

function truthOf(facts: Facts, rule: JsonLogicRule): boolean | undefined {
  if (rule !== null && typeof rule === 'object' && !Array.isArray(rule)) {
    const ops = Object.keys(rule);
    if (ops.length === 1 && (ops[0] === '!' || ops[0] === '!!')) {
      const inner = (rule as { [op: string]: unknown })[ops[0]];
      const arg = (Array.isArray(inner) && inner.length === 1 ? inner[0] : inner) as JsonLogicRule;
      const t = truthOf(facts, arg);
      return t === undefined ? undefined : ops[0] === '!' ? !t : t;
    }
  }
  return facts.get(key(rule));
}

/** What taking a move tells: its guard held, and its route's condition held while earlier ones did not. */
function factsOf(facts: Facts, g: ProcedureGraph, m: Move): Facts {
  let next = m.action ? withFact(facts, m.action.guard, true) : facts;
  const target = m.kind === 'next' ? g.nodes.get(m.from)?.step.next : m.action?.target;
  if (!Array.isArray(target)) return next;
  for (const route of target) {
    if (route.target === m.to) return withFact(next, route.when, true);
    next = withFact(next, route.when, false);
  }
  return next;
}

/** Cases a route may be in, given what its conditions tell. */
export function possibleCases(def: ProcedureDefinition, facts: Facts): number[] {
  const out: number[] = [];
  for (const [i, c] of listOf(def.catalog?.legalDeadline?.cases).entries()) {
    const t = truthOf(facts, c.when);
    if (t === false) continue;
    out.push(i);
    if (t === true) return out;
  }
  out.push(-1);
  return out;
}

/** Legal working days of a case (-1: the base). */
export function caseDays(def: ProcedureDefinition, index: number, hoursPerDay: number): number {
  const deadline = def.catalog?.legalDeadline;
  const chosen = index >= 0 ? listOf(deadline?.cases)[index] : deadline;
  return legalDays(chosen ? { ...(chosen.days !== undefined ? { days: chosen.days } : {}), ...(chosen.hours !== undefined ? { hours: chosen.hours } : {}) } : undefined, hoursPerDay);
}

/** The same working day still leaves one working day of hours (see `analyze`). */
const budgetOf = (legal: number): number => (legal > 0 ? legal : 1);

/**
 * Walks every top-level route from the initial step to a final step (steps weighed as in
 * `longestSlaPath`, a parallel step by its longest branch) and keeps the one that overruns its
 * legal time the most, stopping (`truncated`) after `maxPaths` routes or `maxWork` units of
 * work. Pure.
 */
export function checkCasePaths(
  g: ProcedureGraph, hoursPerDay: number, weight: (id: string) => SlaSum,
  limits: { maxPaths?: number; maxWork?: number } = {},
): CasePathReport {
  const maxPaths = limits.maxPaths ?? MAX_PATHS;
  const maxWork = limits.maxWork ?? MAX_WALK_WORK;
  const report: CasePathReport = { worst: null, paths: 0, work: 0, truncated: false };
  /** Counts one unit of work; false (and `truncated`) once the budget is spent. */
  const spend = (): boolean => {
    if (report.work >= maxWork) report.truncated = true;
    else report.work += 1;
    return !report.truncated;
  };
  if (g.initial === null || g.def.catalog?.legalDeadline === undefined) return report;
  let worstOver = 0;
  const visits = new Map<string, number>();
  const steps: string[] = [];
  const walk = (id: string, sum: SlaSum, facts: Facts, loop: CasePath['loop']): void => {
    if (!spend()) return;
    const node = g.nodes.get(id);
    if (!node) return;
    steps.push(id);
    visits.set(id, (visits.get(id) ?? 0) + 1);
    if (isTopFinal(node)) {
      report.paths += 1;
      if (report.paths >= maxPaths) report.truncated = true;
      const cases = possibleCases(g.def, facts);
      const legal = Math.max(...cases.map((c) => caseDays(g.def, c, hoursPerDay)));
      const days = workingDays(sum, hoursPerDay);
      const over = days - budgetOf(legal);
      if (over > worstOver) {
        worstOver = over;
        report.worst = { steps: [...steps], sum, workingDays: days, cases, legalDays: legal, loop };
      }
    } else {
      const total = addSla(sum, weight(id));
      for (const m of movesFrom(g, id, ['action', 'timeout', 'next'])) {
        if (!spend()) break;
        if (m.to === id || (m.action?.intent !== undefined && LOOP_INTENTS.has(m.action.intent))) continue;
        const seen = visits.get(m.to) ?? 0;
        if (seen >= MAX_VISITS) continue;
        walk(m.to, total, factsOf(facts, g, m), loop ?? (seen > 0 ? { from: id, to: m.to } : null));
      }
    }
    visits.set(id, (visits.get(id) ?? 1) - 1);
    steps.pop();
  };
  walk(g.initial, ZERO, new Map(), null);
  return report;
}
