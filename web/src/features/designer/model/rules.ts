/**
 * The designer canvas's modeling rules (as bpmn-js keeps its rules beside the command
 * stack): what a gesture may do, and which command it becomes. The canvas asks these and
 * dispatches the answer; it decides nothing itself. Data in, data out; no React here.
 */
import type { ActionIntent, ProcedureDefinition, StepKind } from '@motcua/engine';
import type { Command } from './commands';
import type { EdgeRef } from './graph';
import { GLOBAL_NODE, type Positions } from './layout';

/** A gesture's two ends, as the canvas reports them (either may be missing mid-gesture). */
export interface Ends { source?: string | null; target?: string | null }

const kindOf = (def: ProcedureDefinition, id: string | null | undefined): StepKind | undefined =>
  id ? def.steps.find((s) => s.id === id)?.kind : undefined;

/** Whether an edge may be drawn from `source` to `target`: never to or from the global actions, never out of a final step. */
export function canConnect(def: ProcedureDefinition, { source, target }: Ends): boolean {
  if (source === GLOBAL_NODE || target === GLOBAL_NODE) return false;
  return kindOf(def, source) !== 'final';
}

/** The intent of a new action, by where it leads: to the citizen a supplement, back to intake rework, else onward. */
export function intentOf(targetKind: StepKind | undefined): ActionIntent {
  return targetKind === 'wait-citizen' ? 'supplement' : targetKind === 'intake' ? 'rework' : 'proceed';
}

/**
 * The command a completed connection becomes: a new action from `source` to `target`,
 * labelled by `label(kind of the target)`; null when nothing is to be done.
 */
export function connectCommand(
  def: ProcedureDefinition, ends: Ends, label: (targetKind: string) => { vi: string; en: string }, readOnly = false,
): Command | null {
  const { source, target } = ends;
  if (readOnly || !source || !target) return null;
  const kind = kindOf(def, target) ?? 'task';
  return { type: 'action.add', source, target, label: label(kind), intent: intentOf(kind) };
}

/**
 * The command dragging an edge's end becomes: the edge keeps its source and moves to a new
 * target (moving the source would move the action to another step: refused); null otherwise.
 */
export function reconnectCommand(
  edge: { source: string; target: string; ref: EdgeRef | undefined }, ends: Ends, readOnly = false,
): Command | null {
  if (readOnly || !edge.ref || !ends.target || ends.source !== edge.source || ends.target === edge.target) return null;
  return { type: 'edge.retarget', edge: edge.ref, target: ends.target };
}

/** The command a drag of nodes becomes: their new positions, on whole pixels; null when read-only or nothing moved. */
export function moveCommand(dragged: readonly { id: string; position: { x: number; y: number } }[], readOnly = false): Command | null {
  if (readOnly || dragged.length === 0) return null;
  const positions: Positions = Object.fromEntries(dragged.map((n) => [n.id, { x: Math.round(n.position.x), y: Math.round(n.position.y) }]));
  return { type: 'steps.move', positions };
}
