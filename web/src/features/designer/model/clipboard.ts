/**
 * Copy, paste and duplicate of steps. Pasted steps get fresh ids; targets between copied
 * steps follow the copies, targets to other steps stay. Pure.
 */
import type { ActionDefinition, ProcedureDefinition, RouteBranch, StepDefinition } from '@motcua/engine';
import { allSteps } from '@motcua/engine/steps';
import { allStepIds, uniqueId } from './ids';
import { freeSpot, NODE_WIDTH, nodeHeight, positionsOf, type Point, type Positions } from './layout';

export interface Clip {
  steps: StepDefinition[];
  positions: Positions;
}

/** The selected top-level steps with their positions; a deep copy, so later edits never reach it. */
export function copySteps(def: ProcedureDefinition, ids: readonly string[]): Clip {
  const wanted = new Set(ids);
  const positions = positionsOf(def);
  const steps = def.steps.filter((s) => wanted.has(s.id));
  return JSON.parse(JSON.stringify({
    steps,
    positions: Object.fromEntries(steps.map((s) => [s.id, positions[s.id] ?? { x: 0, y: 0 }])),
  })) as Clip;
}

function rename(value: string | RouteBranch[] | undefined, map: ReadonlyMap<string, string>): string | RouteBranch[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return map.get(value) ?? value;
  return value.map((b) => ({ ...b, target: map.get(b.target) ?? b.target }));
}

/** Adds copies of the clip's steps, shifted by `offset`; returns the new definition and the ids given. */
export function pasteSteps(def: ProcedureDefinition, clip: Clip, offset: Point): { definition: ProcedureDefinition; ids: string[] } {
  const taken = allStepIds(def);
  const map = new Map<string, string>();
  const fresh = (id: string): string => {
    const next = uniqueId(id, taken);
    taken.add(next);
    map.set(id, next);
    return next;
  };
  for (const s of allSteps(clip.steps)) fresh(s.id);
  const actions = (list: ActionDefinition[] | undefined): ActionDefinition[] | undefined =>
    list?.map((a) => (a.target === undefined ? { ...a } : { ...a, target: rename(a.target, map)! }));
  const copy = (s: StepDefinition): StepDefinition => {
    const out: StepDefinition = { ...s, id: map.get(s.id) ?? s.id };
    if (s.actions) out.actions = actions(s.actions)!;
    if (s.next !== undefined) out.next = rename(s.next, map)!;
    if (s.branches) {
      out.branches = s.branches.map((b) => ({ ...b, initial: map.get(b.initial) ?? b.initial, steps: b.steps.map(copy) }));
    }
    return out;
  };
  const steps = clip.steps.map(copy);
  const layout = { ...(def.layout ?? positionsOf(def)) };
  for (const s of clip.steps) {
    const p = clip.positions[s.id] ?? { x: 0, y: 0 };
    layout[map.get(s.id)!] = { x: p.x + offset.x, y: p.y + offset.y };
  }
  return { definition: { ...def, steps: [...def.steps, ...steps], layout }, ids: steps.map((s) => s.id) };
}

/**
 * Where a paste goes: the clip as a whole, moved to the free place nearest a small shift from
 * where it was copied, so copies never cover the originals or each other (a second paste lands
 * beside the first). Returns the offset to give `pasteSteps`.
 */
export function pasteOffset(def: ProcedureDefinition, clip: Clip): Point {
  // The clip's steps measured as the canvas draws them (nodeHeight looks steps up in a definition).
  const measured = { ...def, steps: clip.steps };
  const boxes = clip.steps.map((s) => {
    const p = clip.positions[s.id] ?? { x: 0, y: 0 };
    return { ...p, right: p.x + NODE_WIDTH, bottom: p.y + nodeHeight(measured, s.id) };
  });
  if (boxes.length === 0) return { x: 0, y: 0 };
  const x = Math.min(...boxes.map((b) => b.x));
  const y = Math.min(...boxes.map((b) => b.y));
  const size = { width: Math.max(...boxes.map((b) => b.right)) - x, height: Math.max(...boxes.map((b) => b.bottom)) - y };
  const spot = freeSpot(def, { x: x + 40, y: y + 40 }, size);
  return { x: spot.x - x, y: spot.y - y };
}
