/**
 * Reachability over the step graph: what the initial step can reach, what can still reach
 * an end, and the strongly connected components (loops) of the process.
 */
import { branchFinals, isTopFinal, movesFrom, type MoveKind, type ProcedureGraph } from './graph';

/** Moves the process makes by itself; global actions (withdrawal and the like) are escape hatches, not progress. */
export const PROGRESS_MOVES: readonly MoveKind[] = ['action', 'timeout'];

/**
 * Steps reachable from `starts` through moves of the given kinds; pure. A parallel step's
 * `next` opens once each of its branches reached a final step (or, when the walk started
 * inside the parallel, once any did).
 */
export function reachable(g: ProcedureGraph, starts: string[], kinds: readonly MoveKind[]): Set<string> {
  const seen = new Set<string>();
  const queue: string[] = [];
  const push = (id: string): void => {
    if (!seen.has(id) && g.nodes.has(id)) {
      seen.add(id);
      queue.push(id);
    }
  };
  starts.forEach(push);
  const flow = kinds.filter((k) => k !== 'next');
  const opened = new Set<string>();
  for (;;) {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      for (const m of movesFrom(g, id, flow)) push(m.to);
    }
    if (!kinds.includes('next')) break;
    let progressed = false;
    for (const [pid, infos] of g.branches) {
      if (opened.has(pid)) continue;
      const completed = (b: (typeof infos)[number]): boolean => branchFinals(g, b).some((f) => seen.has(f));
      const done = seen.has(pid) ? infos.every(completed) : infos.some(completed);
      if (!done) continue;
      opened.add(pid);
      progressed = true;
      for (const m of movesFrom(g, pid, ['next'])) push(m.to);
    }
    if (!progressed) break;
  }
  return seen;
}

/** Whether `id` lies inside parallel step `pid`, at any depth. */
export function isInside(g: ProcedureGraph, id: string, pid: string): boolean {
  for (let p = g.nodes.get(id)?.parallel ?? null; p !== null; p = g.nodes.get(p)?.parallel ?? null) {
    if (p === pid) return true;
  }
  return false;
}

/**
 * Steps from which a top-level final step can be reached by progress moves (global
 * actions left out); pure. A parallel step finishes when its `next` does and every branch
 * can complete, or when a branch jumps out to a step that finishes.
 */
export function canFinish(g: ProcedureGraph): Set<string> {
  const ok = new Set<string>();
  for (const n of g.nodes.values()) if (isTopFinal(n)) ok.add(n.id);
  const nextFinishes = (pid: string): boolean => movesFrom(g, pid, ['next']).some((m) => ok.has(m.to));
  const escapes = (pid: string): boolean =>
    [...g.nodes.values()].some((n) => isInside(g, n.id, pid)
      && movesFrom(g, n.id, PROGRESS_MOVES).some((m) => !isInside(g, m.to, pid) && m.to !== pid && ok.has(m.to)));
  const finishes = (id: string): boolean => {
    const n = g.nodes.get(id);
    if (!n) return false;
    if (movesFrom(g, id, PROGRESS_MOVES).some((m) => m.to !== id && ok.has(m.to))) return true;
    if (n.step.kind === 'final' && n.parallel !== null) return nextFinishes(n.parallel);
    if (n.step.kind === 'parallel') {
      const infos = g.branches.get(id) ?? [];
      return (nextFinishes(id) && infos.every((b) => b.initial !== null && ok.has(b.initial))) || escapes(id);
    }
    return false;
  };
  let changed = true;
  while (changed) {
    changed = false;
    for (const id of g.nodes.keys()) {
      if (!ok.has(id) && finishes(id)) {
        ok.add(id);
        changed = true;
      }
    }
  }
  return ok;
}

/** Successors along which a dossier flows on its own: progress moves, entering branches, leaving a parallel, a branch final joining. */
function flowSuccessors(g: ProcedureGraph, id: string): string[] {
  const n = g.nodes.get(id);
  const next = movesFrom(g, id, [...PROGRESS_MOVES, 'enter', 'next']).map((m) => m.to);
  if (n && n.step.kind === 'final' && n.parallel !== null) next.push(...movesFrom(g, n.parallel, ['next']).map((m) => m.to));
  return next;
}

/**
 * Strongly connected components (Tarjan) of the flow graph among `within` steps (a loop
 * through a step the dossier never reaches is no loop); each step maps to its members.
 */
export function components(g: ProcedureGraph, within: Set<string>): Map<string, string[]> {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const result = new Map<string, string[]>();
  let counter = 0;
  const connect = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of flowSuccessors(g, v)) {
      if (!within.has(w)) continue;
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const members: string[] = [];
    for (let w = stack.pop(); w !== undefined; w = stack.pop()) {
      onStack.delete(w);
      members.push(w);
      if (w === v) break;
    }
    const ordered = [...g.nodes.keys()].filter((id) => members.includes(id));
    for (const m of ordered) result.set(m, ordered);
  };
  for (const id of g.nodes.keys()) if (within.has(id) && !index.has(id)) connect(id);
  return result;
}

/** Whether a step moves to itself along the flow graph (a one-step loop). */
export function loopsOnItself(g: ProcedureGraph, id: string): boolean {
  return flowSuccessors(g, id).includes(id);
}
