/**
 * The happy path: the shortest route (fewest actions) from the initial step to a final step
 * with outcome `approved`, taking only actions meant to move the dossier forward.
 */
import type { ActionDefinition } from '../definition/types';
import { isTopFinal, movesFrom, type Move, type ProcedureGraph } from './graph';

/** One step visited on a route, with the move that leaves it (null at the end) and, for a parallel step left by `next`, its branch routes. */
export interface Hop {
  step: string;
  move: Move | null;
  branches: { branch: string; route: Route }[] | null;
}

export interface Route {
  hops: Hop[];
  /** Actions taken, branches included. */
  actions: number;
}

/** Actions that count as moving forward: `proceed` or no intent at all. */
export function isForward(action: ActionDefinition | null): boolean {
  return action !== null && (action.intent === undefined || action.intent === 'proceed');
}

type BranchRoutes = { branch: string; route: Route }[] | null;

/** Routes through every branch of a parallel step, null when one branch has none. */
function branchRoutes(g: ProcedureGraph, pid: string, memo: Map<string, BranchRoutes>): BranchRoutes {
  if (memo.has(pid)) return memo.get(pid) ?? null;
  memo.set(pid, null);
  const routes: { branch: string; route: Route }[] = [];
  for (const b of g.branches.get(pid) ?? []) {
    const route = b.initial === null ? null : shortest(g, b.initial, (id) => b.steps.includes(id) && g.nodes.get(id)?.step.kind === 'final', memo);
    if (!route) return null;
    routes.push({ branch: b.branch.id, route });
  }
  memo.set(pid, routes);
  return routes;
}

/**
 * Dijkstra within one scope (top level or one branch): an action costs 1, leaving a
 * parallel step by `next` costs the actions of all its branches. Ties go to the move
 * declared first.
 */
function shortest(g: ProcedureGraph, start: string, isEnd: (id: string) => boolean, memo: Map<string, BranchRoutes>): Route | null {
  const scope = g.nodes.get(start)?.parallel ?? null;
  const dist = new Map<string, number>([[start, 0]]);
  const via = new Map<string, Move>();
  const settled = new Set<string>();
  let end: string | null = null;
  for (;;) {
    let current: string | null = null;
    let best = Infinity;
    for (const [id, d] of dist) {
      if (!settled.has(id) && d < best) {
        current = id;
        best = d;
      }
    }
    if (current === null) break;
    settled.add(current);
    if (isEnd(current)) {
      end = current;
      break;
    }
    for (const m of movesFrom(g, current, ['action', 'next'])) {
      if (m.to === current || g.nodes.get(m.to)?.parallel !== scope) continue;
      let cost: number;
      if (m.kind === 'next') {
        const routes = branchRoutes(g, current, memo);
        if (!routes) continue;
        cost = routes.reduce((sum, r) => sum + r.route.actions, 0);
      } else {
        if (!isForward(m.action)) continue;
        cost = 1;
      }
      if (best + cost < (dist.get(m.to) ?? Infinity)) {
        dist.set(m.to, best + cost);
        via.set(m.to, m);
      }
    }
  }
  if (end === null) return null;
  const hops: Hop[] = [{ step: end, move: null, branches: null }];
  for (let m = via.get(end); m !== undefined && hops.length <= g.nodes.size; m = via.get(m.from)) {
    hops.unshift({ step: m.from, move: m, branches: m.kind === 'next' ? branchRoutes(g, m.from, memo) : null });
  }
  return { hops, actions: dist.get(end) ?? 0 };
}

/** The happy path of a definition as a route tree; pure, null when no approved final step can be reached by forward actions. */
export function happyRoute(g: ProcedureGraph): Route | null {
  if (g.initial === null) return null;
  return shortest(g, g.initial, (id) => {
    const n = g.nodes.get(id);
    return isTopFinal(n) && n?.step.outcome === 'approved';
  }, new Map());
}
