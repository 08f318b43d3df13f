/**
 * Node positions: the definition's `layout` block (never read by the engine), completed
 * by a dagre layout for steps that have none. Pure and deterministic.
 */
import { graphlib, layout as dagreLayout } from '@dagrejs/dagre';
import type { ProcedureDefinition } from '@motcua/engine';
import { targetsOf } from './targets';

export interface Point { x: number; y: number }
export type Positions = { [stepId: string]: Point };

export const NODE_WIDTH = 210;
/** A step's height on the canvas (designer.css gives .step-node this min-height; its name takes at most two lines). */
export const NODE_HEIGHT = 96;
/** Height of a parallel node grows with its branches, so dagre keeps them apart. */
export const branchRowHeight = 20;
export const GLOBAL_NODE = '__global';
/** The shared-actions node's size on the canvas (designer.css .global-node). */
export const GLOBAL_WIDTH = 170;
export const GLOBAL_HEIGHT = 50;
/** Clear space kept between a new step and those already drawn. */
const GAP = 30;
/** Clear space kept beside an arrow, room for its label (model/labels.ts wraps them about 120 px wide). */
const ARROW_MARGIN = 60;

export function nodeHeight(def: ProcedureDefinition, stepId: string): number {
  const step = def.steps.find((s) => s.id === stepId);
  return NODE_HEIGHT + (step?.branches?.length ?? 0) * branchRowHeight;
}

/** Top-left positions of every top-level step by dagre, top to bottom. */
export function autoLayout(def: ProcedureDefinition): Positions {
  const g = new graphlib.Graph({ multigraph: true });
  // Room between ranks for an edge label of two lines, clear of both steps (model/labels.ts).
  g.setGraph({ rankdir: 'TB', nodesep: 50, ranksep: 100, marginx: 10, marginy: 10 });
  g.setDefaultEdgeLabel(() => ({}));
  const ids = new Set(def.steps.map((s) => s.id));
  for (const s of def.steps) g.setNode(s.id, { width: NODE_WIDTH, height: nodeHeight(def, s.id) });
  for (const s of def.steps) {
    targetsOf(s).forEach((t, i) => {
      // Back edges (rework, supplement) would pull steps upwards; dagre's acyclic pass handles them.
      if (ids.has(t.target) && t.target !== s.id) g.setEdge(s.id, t.target, {}, `${s.id}-${i}`);
    });
  }
  dagreLayout(g);
  const out: Positions = {};
  for (const s of def.steps) {
    const n = g.node(s.id) as { x: number; y: number; width: number; height: number } | undefined;
    if (n) out[s.id] = { x: Math.round(n.x - n.width / 2), y: Math.round(n.y - n.height / 2) };
  }
  return out;
}

/** Stored positions, with dagre's for steps the layout does not know. */
export function positionsOf(def: ProcedureDefinition): Positions {
  const stored = def.layout ?? {};
  const missing = def.steps.some((s) => !stored[s.id]);
  if (!missing) return { ...stored };
  const auto = autoLayout(def);
  const out: Positions = {};
  for (const s of def.steps) {
    const p = stored[s.id] ?? auto[s.id];
    if (p) out[s.id] = p;
  }
  // A stored layout may hold a few steps: keep the laid-out ones clear of the stored ones.
  if (Object.keys(stored).length > 0) {
    const maxY = Math.max(...def.steps.map((s) => stored[s.id]?.y ?? -Infinity));
    if (Number.isFinite(maxY)) {
      for (const s of def.steps) {
        if (!stored[s.id] && auto[s.id]) out[s.id] = { x: auto[s.id]!.x, y: maxY + NODE_HEIGHT + 60 + auto[s.id]!.y };
      }
    }
  }
  return out;
}

/**
 * Every step's place as drawn now (stored or laid out), to be written into `layout` before
 * an edit that would otherwise let dagre re-place the steps it does not know: deleting,
 * moving or adding a step keeps the others where the designer sees them.
 */
export function frozenLayout(def: ProcedureDefinition): Positions {
  const steps = positionsOf(def);
  return (def.globalActions ?? []).length > 0 ? { ...steps, [GLOBAL_NODE]: globalPosition(def, steps) } : steps;
}

/** The shared-actions node: where it was put, else left of the top-left step. */
export function globalPosition(def: ProcedureDefinition, steps: Positions): Point {
  const stored = def.layout?.[GLOBAL_NODE];
  if (stored) return stored;
  const all = Object.values(steps);
  return { x: Math.min(...all.map((p) => p.x), 0) - 260, y: Math.min(...all.map((p) => p.y), 0) };
}

/**
 * The place nearest `start` where a new node of `size` covers no drawn step (nor the shared
 * actions' node) and no arrow between steps, with room around it: candidates on a half-node grid, nearest first, below
 * before above and right before left on a tie. Pure; a crowded canvas ends below everything.
 */
export function freeSpot(def: ProcedureDefinition, start: Point, size: { width: number; height: number } = { width: NODE_WIDTH, height: NODE_HEIGHT }): Point {
  const steps = positionsOf(def);
  const boxes = def.steps.flatMap((s) => {
    const p = steps[s.id];
    return p ? [{ ...p, width: NODE_WIDTH, height: nodeHeight(def, s.id) }] : [];
  });
  if ((def.globalActions ?? []).length > 0) boxes.push({ ...globalPosition(def, steps), width: GLOBAL_WIDTH, height: GLOBAL_HEIGHT });
  // Arrows between drawn steps, as points every 20 px on the line from the source's bottom to the
  // target's top: a step dropped on an arrow (and its label) reads as if it were connected.
  const onArrows: Point[] = [];
  for (const s of def.steps) {
    const a = steps[s.id];
    for (const t of targetsOf(s)) {
      const b = steps[t.target];
      if (!a || !b || t.target === s.id) continue;
      const from = { x: a.x + NODE_WIDTH / 2, y: a.y + nodeHeight(def, s.id) };
      const to = { x: b.x + NODE_WIDTH / 2, y: b.y };
      const n = Math.ceil(Math.hypot(to.x - from.x, to.y - from.y) / 20);
      for (let k = 0; k <= n; k++) onArrows.push({ x: from.x + ((to.x - from.x) * k) / n, y: from.y + ((to.y - from.y) * k) / n });
    }
  }
  const free = (p: Point): boolean => boxes.every((b) =>
    p.x + size.width + GAP <= b.x || b.x + b.width + GAP <= p.x || p.y + size.height + GAP <= b.y || b.y + b.height + GAP <= p.y)
    && onArrows.every((q) => q.x < p.x - ARROW_MARGIN || q.x > p.x + size.width + ARROW_MARGIN || q.y < p.y || q.y > p.y + size.height);
  const sx = Math.round((NODE_WIDTH + GAP) / 2);
  const sy = Math.round((NODE_HEIGHT + GAP) / 2);
  const RINGS = 12;
  const candidates: { p: Point; d: number; below: number; right: number }[] = [];
  for (let i = -RINGS; i <= RINGS; i++) {
    for (let j = -RINGS; j <= RINGS; j++) {
      const dx = i * sx;
      const dy = j * sy;
      candidates.push({ p: { x: start.x + dx, y: start.y + dy }, d: dx * dx + dy * dy, below: j >= 0 ? 0 : 1, right: i >= 0 ? 0 : 1 });
    }
  }
  candidates.sort((a, b) => a.d - b.d || a.below - b.below || a.right - b.right);
  const found = candidates.find((c) => free(c.p));
  if (found) return found.p;
  const bottom = Math.max(...boxes.map((b) => b.y + b.height));
  return { x: start.x, y: bottom + GAP };
}
