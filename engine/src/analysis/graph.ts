/**
 * The step graph the analyses walk: steps (top-level and inside parallel branches) as
 * nodes, and every way a dossier can move between them as edges. Conditions are treated
 * as possibly true, so every route of an action is an edge.
 */
import type {
  ActionDefinition,
  ParallelBranch,
  ProcedureDefinition,
  RouteBranch,
  StepDefinition,
} from '../definition/types';

export interface StepNode {
  id: string;
  step: StepDefinition;
  /** JSON pointer of the step. */
  path: string;
  /** Enclosing parallel step and branch, null at top level. */
  parallel: string | null;
  branch: string | null;
}

/**
 * `action`: a step action's target; `timeout`: a global action raised by the step's
 * timeout; `global`: a global action from a top-level step; `enter`: a parallel step
 * entering a branch; `next`: a parallel step leaving once all branches completed.
 */
export type MoveKind = 'action' | 'timeout' | 'global' | 'enter' | 'next';

export interface Move {
  kind: MoveKind;
  from: string;
  to: string;
  action: ActionDefinition | null;
  /** JSON pointer of the action, the parallel's `next`, or the branch entered. */
  path: string;
}

export interface BranchNode {
  parallel: string;
  branch: ParallelBranch;
  path: string;
  /** Step id of the branch's initial step, when it resolves to a step of this branch. */
  initial: string | null;
  /** Step ids of the branch, in definition order. */
  steps: string[];
}

export interface ProcedureGraph {
  def: ProcedureDefinition;
  /** In definition order, a parallel step's branch steps right after it. */
  nodes: Map<string, StepNode>;
  initial: string | null;
  out: Map<string, Move[]>;
  /** Branches of each parallel step. */
  branches: Map<string, BranchNode[]>;
}

/** Array items, or nothing when the field is absent or malformed. */
export function listOf<T>(value: T[] | undefined | null): T[] {
  return Array.isArray(value) ? value : [];
}

/** Step ids a target names: a step id, or every route's target. */
export function targetsOf(target: string | RouteBranch[] | undefined): string[] {
  if (typeof target === 'string') return [target];
  return listOf(target).flatMap((b) => (b && typeof b.target === 'string' ? [b.target] : []));
}

function isStep(value: unknown): value is StepDefinition {
  return value !== null && typeof value === 'object' && typeof (value as StepDefinition).id === 'string';
}

/** Whether a node is a final step at top level (where a dossier ends). */
export function isTopFinal(node: StepNode | undefined): boolean {
  return node !== undefined && node.parallel === null && node.step.kind === 'final';
}

/** The definition itself, or an empty one when given something that is not an object (so nothing downstream throws). */
export function asDefinition(value: ProcedureDefinition): ProcedureDefinition {
  return value !== null && typeof value === 'object' ? value : ({} as ProcedureDefinition);
}

/** Builds the step graph of a definition that passed validation; pure, never throws, skips what does not resolve. */
export function buildGraph(input: ProcedureDefinition): ProcedureGraph {
  const def = asDefinition(input);
  const nodes = new Map<string, StepNode>();
  const branches = new Map<string, BranchNode[]>();

  const collect = (steps: StepDefinition[], base: string, parallel: string | null, branch: string | null): string[] => {
    const ids: string[] = [];
    steps.forEach((step, i) => {
      // Step ids are unique across the definition; a duplicate is skipped rather than guessed at.
      if (!isStep(step) || nodes.has(step.id)) return;
      const path = `${base}/${i}`;
      nodes.set(step.id, { id: step.id, step, path, parallel, branch });
      ids.push(step.id);
      if (step.kind !== 'parallel') return;
      const infos: BranchNode[] = [];
      listOf(step.branches).forEach((b, j) => {
        if (!b || typeof b.id !== 'string') return;
        const bPath = `${path}/branches/${j}`;
        const inner = collect(listOf(b.steps), `${bPath}/steps`, step.id, b.id);
        infos.push({ parallel: step.id, branch: b, path: bPath, initial: inner.includes(b.initial) ? b.initial : null, steps: inner });
      });
      branches.set(step.id, infos);
    });
    return ids;
  };
  collect(listOf(def.steps), '/steps', null, null);

  const out = new Map<string, Move[]>();
  const globals = listOf(def.globalActions);
  const movesOf = (from: string, kind: MoveKind, action: ActionDefinition | null, target: string | RouteBranch[] | undefined, path: string): Move[] =>
    targetsOf(target).filter((to) => nodes.has(to)).map((to) => ({ kind, from, to, action, path }));

  for (const node of nodes.values()) {
    const { step, path } = node;
    const moves: Move[] = [];
    const actions = listOf(step.actions);
    actions.forEach((a, k) => {
      if (a) moves.push(...movesOf(node.id, 'action', a, a.target, `${path}/actions/${k}`));
    });
    const timeoutAction = step.timeout?.action;
    if (timeoutAction !== undefined && !actions.some((a) => a?.id === timeoutAction)) {
      const k = globals.findIndex((a) => a?.id === timeoutAction);
      const g = globals[k];
      if (g) moves.push(...movesOf(node.id, 'timeout', g, g.target, `${path}/timeout`));
    }
    if (step.kind === 'parallel') {
      for (const b of branches.get(node.id) ?? []) {
        if (b.initial !== null) moves.push({ kind: 'enter', from: node.id, to: b.initial, action: null, path: b.path });
      }
      moves.push(...movesOf(node.id, 'next', null, step.next, `${path}/next`));
    }
    if (node.parallel === null && step.kind !== 'final') {
      globals.forEach((a, k) => {
        if (a) moves.push(...movesOf(node.id, 'global', a, a.target, `/globalActions/${k}`));
      });
    }
    out.set(node.id, moves);
  }

  const initial = typeof def.initial === 'string' && nodes.get(def.initial)?.parallel === null ? def.initial : null;
  return { def, nodes, initial, out, branches };
}

/** Outgoing moves of a step, optionally of some kinds only. */
export function movesFrom(g: ProcedureGraph, id: string, kinds?: readonly MoveKind[]): Move[] {
  const all = g.out.get(id) ?? [];
  return kinds ? all.filter((m) => kinds.includes(m.kind)) : all;
}

/** Final steps of a branch. */
export function branchFinals(g: ProcedureGraph, b: BranchNode): string[] {
  return b.steps.filter((id) => g.nodes.get(id)?.step.kind === 'final');
}
