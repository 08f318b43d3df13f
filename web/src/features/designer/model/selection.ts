/** What the editor's side panel shows for a canvas selection, and where a new step goes. Pure. */
import type { ActionDefinition, ProcedureDefinition, StepDefinition } from '@motcua/engine';
import { parseEdgeId } from './graph';
import { GLOBAL_NODE } from './layout';
import type { Target } from './pointer';

export interface Selection { nodes: string[]; edges: string[] }

export const EMPTY_SELECTION: Selection = { nodes: [], edges: [] };

/**
 * The panel a selection opens: one step its step, one edge its action (or the step whose
 * `next` it is), nothing the procedure; null when the panel stays as it is (several things).
 */
export function panelOf(s: Selection): Target | null {
  if (s.nodes.length === 1 && s.nodes[0] !== GLOBAL_NODE) return { kind: 'step', step: s.nodes[0]!, field: null };
  if (s.nodes.length === 0 && s.edges.length === 1) {
    const ref = parseEdgeId(s.edges[0]!);
    if (ref?.kind === 'action') return { kind: 'action', step: ref.step, action: ref.action, field: null };
    if (ref?.kind === 'next') return { kind: 'step', step: ref.step, field: 'next' };
    return null;
  }
  if (s.nodes.length === 0 && s.edges.length === 0) return { kind: 'procedure', field: null };
  return null;
}

/** The step and action a panel target names, when they still exist (after an undo or a delete they may not). */
export function targetOf(def: ProcedureDefinition, panel: Target): { step?: StepDefinition; action?: ActionDefinition } {
  if (panel.kind === 'step') {
    const step = def.steps.find((s) => s.id === panel.step);
    return step ? { step } : {};
  }
  if (panel.kind !== 'action') return {};
  const list = panel.step === null ? def.globalActions : def.steps.find((s) => s.id === panel.step)?.actions;
  const action = list?.find((a) => a.id === panel.action);
  return action ? { action } : {};
}

/** The selected steps (the global actions' node is not a step). */
export const selectedSteps = (s: Selection): string[] => s.nodes.filter((n) => n !== GLOBAL_NODE);
