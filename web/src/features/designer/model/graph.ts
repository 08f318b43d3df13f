/**
 * Definition → React Flow nodes and edges. The definition is the single source of truth;
 * nodes and edges are derived from it on every change. Pure (no React).
 */
import type { Edge, MarkerType, Node } from '@xyflow/react';
import type { ActionIntent, ProcedureDefinition, StepDefinition, StepKind } from '@motcua/engine';
import { GLOBAL_HEIGHT, GLOBAL_NODE, GLOBAL_WIDTH, NODE_WIDTH, globalPosition, nodeHeight, positionsOf } from './layout';
import { placeLabels, type Offset } from './labels';
import type { Rect } from './viewport';
import { conditionText, targetsOf, type ConditionWords } from './targets';

export type Severity = 'error' | 'warning' | 'info';

export interface StepNodeData extends Record<string, unknown> {
  stepId: string;
  kind: StepKind;
  name: string;
  role: string | null;
  roleName: string | null;
  sla: string | null;
  initial: boolean;
  /** Parallel steps: each branch as "name: step → step". */
  branches: { id: string; name: string; steps: string[] }[];
  outcome: string | null;
  severity: Severity | null;
  issueCount: number;
  active: boolean;
}

export interface GlobalNodeData extends Record<string, unknown> {
  count: number;
}

/** Which part of the definition an edge stands for. */
export type EdgeRef =
  | { kind: 'action'; step: string | null; action: string; route: number | null }
  | { kind: 'next'; step: string; route: number | null };

export interface FlowEdgeData extends Record<string, unknown> {
  ref: EdgeRef;
  intent: ActionIntent | null;
  severity: Severity | null;
  /** Where the label sits from the middle of the edge, clear of other labels and of steps. */
  labelOffset?: Offset;
}

export type StepNode = Node<StepNodeData, 'step'>;
export type GlobalNode = Node<GlobalNodeData, 'global'>;
export type FlowNode = StepNode | GlobalNode;
export type FlowEdge = Edge<FlowEdgeData>;

export interface GraphOptions {
  lang: 'vi' | 'en';
  words: ConditionWords & { days: string; hours: string; applicant?: string; system?: string };
  /** Worst issue severity and count by step id, and by edge id. */
  stepMarks?: ReadonlyMap<string, { severity: Severity; count: number }>;
  edgeMarks?: ReadonlyMap<string, Severity>;
  active?: ReadonlySet<string>;
  selected?: { nodes: ReadonlySet<string>; edges: ReadonlySet<string> };
}

const text = (t: { vi: string; en?: string } | undefined, lang: 'vi' | 'en'): string => (t ? (lang === 'en' ? t.en ?? t.vi : t.vi) : '');

export function edgeId(ref: EdgeRef): string {
  const route = ref.route === null ? '' : `#${ref.route}`;
  return ref.kind === 'action' ? `a:${ref.step ?? GLOBAL_NODE}:${ref.action}${route}` : `n:${ref.step}${route}`;
}

/** The reverse of `edgeId`; null for ids this module did not make. */
export function parseEdgeId(id: string): EdgeRef | null {
  const m = /^(a|n):([^:#]+)(?::([^#]+))?(?:#(\d+))?$/.exec(id);
  if (!m) return null;
  const route = m[4] === undefined ? null : Number(m[4]);
  if (m[1] === 'n') return { kind: 'next', step: m[2]!, route };
  if (m[3] === undefined) return null;
  return { kind: 'action', step: m[2] === GLOBAL_NODE ? null : m[2]!, action: m[3], route };
}

export function slaText(step: StepDefinition, words: { days: string; hours: string }): string | null {
  if (!step.sla) return null;
  if (step.sla.days !== undefined) return `${step.sla.days} ${words.days}`;
  if (step.sla.hours !== undefined) return `${step.sla.hours} ${words.hours}`;
  return null;
}

/** Nodes and edges of a definition: top-level steps are nodes, actions and `next` are edges. */
export function definitionToGraph(def: ProcedureDefinition, options: GraphOptions): { nodes: FlowNode[]; edges: FlowEdge[] } {
  const { lang } = options;
  const positions = positionsOf(def);
  const ids = new Set(def.steps.map((s) => s.id));
  const roleNames = new Map(def.roles.map((r) => [r.id, text(r.name, lang)]));
  if (options.words.applicant) roleNames.set('applicant', options.words.applicant);
  if (options.words.system) roleNames.set('system', options.words.system);
  const nodes: FlowNode[] = def.steps.map((s) => {
    const mark = options.stepMarks?.get(s.id);
    return {
      id: s.id,
      type: 'step',
      position: positions[s.id] ?? { x: 0, y: 0 },
      selected: options.selected?.nodes.has(s.id) ?? false,
      data: {
        stepId: s.id,
        kind: s.kind,
        name: text(s.name, lang) || s.id,
        role: s.role ?? null,
        roleName: s.role ? roleNames.get(s.role) ?? s.role : null,
        sla: slaText(s, options.words),
        initial: def.initial === s.id,
        branches: (s.branches ?? []).map((b) => ({ id: b.id, name: text(b.name, lang) || b.id, steps: b.steps.map((x) => x.id) })),
        outcome: s.outcome ?? null,
        severity: mark?.severity ?? null,
        issueCount: mark?.count ?? 0,
        active: options.active?.has(s.id) ?? false,
      },
    };
  });
  const edges: FlowEdge[] = [];
  const push = (source: string, ref: EdgeRef, target: string, label: string, intent: ActionIntent | null, dashed: boolean): void => {
    if (!ids.has(target)) return;
    const id = edgeId(ref);
    const severity = options.edgeMarks?.get(id) ?? null;
    edges.push({
      id, source, target, label,
      type: 'labelled',
      // The enum's value, written out so this module needs no React at run time.
      markerEnd: { type: 'arrowclosed' as MarkerType, width: 18, height: 18 },
      selected: options.selected?.edges.has(id) ?? false,
      className: [`intent-${intent ?? 'none'}`, dashed ? 'dashed' : '', severity ? `mark-${severity}` : ''].filter(Boolean).join(' '),
      data: { ref, intent, severity },
      ...(dashed ? { style: { strokeDasharray: '6 4' } } : {}),
    });
  };
  for (const s of def.steps) {
    for (const t of targetsOf(s)) {
      const cond = t.route === null ? '' : ` [${conditionText(t.when, options.words)}]`;
      if (t.kind === 'action' && t.action) {
        push(s.id, { kind: 'action', step: s.id, action: t.action.id, route: t.route }, t.target, `${text(t.action.label, lang)}${cond}`, t.action.intent ?? null, false);
      } else {
        push(s.id, { kind: 'next', step: s.id, route: t.route }, t.target, cond.trim(), null, true);
      }
    }
  }
  const globals = def.globalActions ?? [];
  if (globals.length > 0) {
    nodes.push({ id: GLOBAL_NODE, type: 'global', position: globalPosition(def, positions), data: { count: globals.length }, deletable: false });
    for (const a of globals) {
      const routes = typeof a.target === 'string' ? [{ target: a.target, route: null as number | null, when: undefined }]
        : (a.target ?? []).map((b, i) => ({ target: b.target, route: i as number | null, when: b.when }));
      for (const r of routes) {
        const cond = r.route === null ? '' : ` [${conditionText(r.when, options.words)}]`;
        push(GLOBAL_NODE, { kind: 'action', step: null, action: a.id, route: r.route }, r.target, `${text(a.label, lang)}${cond}`, a.intent ?? null, false);
      }
    }
  }
  placeEdgeLabels(def, nodes, edges);
  return { nodes, edges };
}


/** Sets each edge's label offset from the nodes' boxes (handles: bottom and top centre; the shared-actions node's on its right). */
function placeEdgeLabels(def: ProcedureDefinition, nodes: readonly FlowNode[], edges: FlowEdge[]): void {
  const boxes = new Map<string, Rect>(nodes.map((n) => [n.id, n.id === GLOBAL_NODE
    ? { ...n.position, width: GLOBAL_WIDTH, height: GLOBAL_HEIGHT }
    : { ...n.position, width: NODE_WIDTH, height: nodeHeight(def, n.id) }]));
  const inputs = edges.flatMap((e) => {
    const a = boxes.get(e.source);
    const b = boxes.get(e.target);
    if (!a || !b || typeof e.label !== 'string') return [];
    const from = e.source === GLOBAL_NODE ? { x: a.x + a.width, y: a.y + a.height / 2 } : { x: a.x + a.width / 2, y: a.y + a.height };
    return [{ id: e.id, text: e.label, from, to: { x: b.x + b.width / 2, y: b.y }, fromSide: e.source === GLOBAL_NODE ? 'right' as const : 'bottom' as const }];
  });
  // Top to bottom, then left to right: the same diagram always gets the same places.
  inputs.sort((p, q) => (p.from.y + p.to.y) - (q.from.y + q.to.y) || (p.from.x + p.to.x) - (q.from.x + q.to.x) || p.id.localeCompare(q.id));
  const offsets = placeLabels(inputs, [...boxes.values()]);
  for (const e of edges) {
    const o = offsets.get(e.id);
    if (o && e.data) e.data.labelOffset = o;
  }
}

/**
 * The canvas edges of one action: one edge, or one per route of a branching action (whose
 * edges carry the route index), so opening the action selects what the canvas draws.
 */
export function actionEdgeIds(def: ProcedureDefinition, step: string | null, action: string): string[] {
  const list = step === null ? def.globalActions ?? [] : def.steps.find((s) => s.id === step)?.actions ?? [];
  const found = list.find((a) => a.id === action);
  if (!found || !Array.isArray(found.target)) return [edgeId({ kind: 'action', step, action, route: null })];
  return found.target.map((_, route) => edgeId({ kind: 'action', step, action, route }));
}
