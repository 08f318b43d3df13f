/**
 * Every edit of a definition is a named command (`noun.verb`), applied by a pure function.
 * The history keeps, for each command, the definition before and after it, so undo and
 * redo are exact and cheap (unchanged parts are shared). No React here.
 */
import type {
  ActionDefinition, ActionIntent, CatalogFacts, ProcedureDefinition, RouteBranch, StepDefinition, StepKind,
} from '@motcua/engine';
import type { EdgeRef } from './graph';
import { allStepIds, uniqueId } from './ids';
import { GLOBAL_NODE, autoLayout, frozenLayout, type Point, type Positions } from './layout';
import { pasteSteps, type Clip } from './clipboard';

export type Command =
  | { type: 'step.add'; kind: StepKind; position: Point; name: { vi: string; en: string }; id?: string }
  | { type: 'steps.delete'; ids: string[] }
  | { type: 'step.update'; id: string; patch: Partial<StepDefinition> }
  | { type: 'step.rename'; from: string; to: string }
  | { type: 'steps.move'; positions: Positions }
  | { type: 'action.add'; source: string; target: string; label: { vi: string; en: string }; intent: ActionIntent }
  | { type: 'action.update'; step: string | null; action: string; patch: Partial<ActionDefinition> }
  | { type: 'action.rename'; step: string | null; from: string; to: string }
  | { type: 'edge.retarget'; edge: EdgeRef; target: string }
  | { type: 'edges.delete'; edges: EdgeRef[] }
  | { type: 'catalog.update'; patch: Partial<CatalogFacts> }
  | { type: 'definition.update'; patch: Partial<Omit<ProcedureDefinition, 'steps' | 'catalog'>> }
  | { type: 'definition.replace'; definition: ProcedureDefinition }
  | { type: 'layout.auto' }
  | { type: 'steps.paste'; clip: Clip; offset: Point };

export type CommandType = Command['type'];

/** Keys of a patch set to `undefined` are removed, so "clear the SLA" leaves no `sla` key. */
function merge<T extends object>(base: T, patch: Partial<T>): T {
  const out = { ...base } as { [k: string]: unknown };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out as T;
}

const mapTarget = (value: string | RouteBranch[] | undefined, f: (t: string) => string | null): string | RouteBranch[] | undefined => {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return f(value) ?? undefined;
  const kept = value.flatMap((b) => {
    const t = f(b.target);
    return t === null ? [] : [{ ...b, target: t }];
  });
  return kept.length > 0 ? kept : undefined;
};

/** Applies `f` to every target (actions and `next`) of every step, branches and global actions included. */
function mapAllTargets(def: ProcedureDefinition, f: (t: string) => string | null, dropActions: boolean): ProcedureDefinition {
  const actions = (list: ActionDefinition[] | undefined): ActionDefinition[] | undefined => list?.flatMap((a) => {
    if (a.target === undefined) return [a];
    const target = mapTarget(a.target, f);
    if (target === undefined && dropActions) return [];
    return [merge(a, { target })];
  });
  const steps = (list: StepDefinition[]): StepDefinition[] => list.map((s) => {
    let out: StepDefinition = s;
    if (s.actions) out = { ...out, actions: actions(s.actions) ?? [] };
    if (s.next !== undefined) out = merge(out, { next: mapTarget(s.next, f) });
    if (s.branches) out = { ...out, branches: s.branches.map((b) => ({ ...b, steps: steps(b.steps), initial: f(b.initial) ?? b.initial })) };
    return out;
  });
  const next: ProcedureDefinition = { ...def, steps: steps(def.steps) };
  if (def.globalActions) next.globalActions = actions(def.globalActions) ?? [];
  return next;
}

function updateStep(def: ProcedureDefinition, id: string, f: (s: StepDefinition) => StepDefinition): ProcedureDefinition {
  return { ...def, steps: def.steps.map((s) => (s.id === id ? f(s) : s)) };
}

function updateActions(def: ProcedureDefinition, step: string | null, f: (list: ActionDefinition[]) => ActionDefinition[]): ProcedureDefinition {
  if (step === null) return { ...def, globalActions: f(def.globalActions ?? []) };
  return updateStep(def, step, (s) => ({ ...s, actions: f(s.actions ?? []) }));
}

/** Sets (or, with `target` null, removes) the target at a route of an action or a step's `next`. */
function setRoute(value: string | RouteBranch[] | undefined, route: number | null, target: string | null): string | RouteBranch[] | undefined {
  if (route === null || typeof value !== 'object') return target ?? undefined;
  const list = target === null ? value.filter((_, i) => i !== route) : value.map((b, i) => (i === route ? { ...b, target } : b));
  return list.length > 0 ? list : undefined;
}

function setEdge(def: ProcedureDefinition, edge: EdgeRef, target: string | null): ProcedureDefinition {
  if (edge.kind === 'next') return updateStep(def, edge.step, (s) => merge(s, { next: setRoute(s.next, edge.route, target) }));
  return updateActions(def, edge.step, (list) => list.map((a) => (a.id === edge.action ? merge(a, { target: setRoute(a.target, edge.route, target) }) : a)));
}

/**
 * The action that resumes a hand-off step when its linked dossier ends (server: resumeParent):
 * the system applies it with the linked dossier's outcome and declared outputs as inputs.
 */
export function answerAction(target?: string): ActionDefinition {
  return {
    id: 'answered', role: 'system', intent: 'proceed',
    label: { vi: 'Đã nhận trả lời của đơn vị liên thông', en: 'The linked unit answered' },
    inputs: {
      type: 'object', required: ['outcome'],
      properties: {
        outcome: { enum: ['approved', 'rejected', 'refused', 'withdrawn', 'stopped'], title: 'Kết quả hồ sơ liên thông (Outcome of the linked dossier)' },
        outputs: { type: 'object', title: 'Dữ liệu trả lời (Answer)' },
      },
    },
    ...(target ? { target } : {}),
  };
}

/** The role a new step of this kind usually has, when the definition declares it. */
export function defaultRole(def: ProcedureDefinition, kind: StepKind): string | undefined {
  const wanted: { [k in StepKind]?: string } = {
    intake: 'desk', task: 'specialist', approval: 'leader', 'return-result': 'desk', 'wait-citizen': 'applicant', payment: 'applicant', handoff: 'system',
  };
  const role = wanted[kind];
  if (!role) return undefined;
  return role === 'applicant' || role === 'system' || def.roles.some((r) => r.id === role) ? role : undefined;
}

function addStep(def: ProcedureDefinition, cmd: Extract<Command, { type: 'step.add' }>): ProcedureDefinition {
  const id = cmd.id ?? uniqueId(cmd.kind === 'return-result' ? 'returnResult' : cmd.kind === 'wait-citizen' ? 'waitCitizen' : cmd.kind, allStepIds(def));
  const role = defaultRole(def, cmd.kind);
  const step: StepDefinition = { id, kind: cmd.kind, name: { ...cmd.name } };
  if (role) step.role = role;
  if (cmd.kind === 'final') step.outcome = 'approved';
  else if (cmd.kind === 'parallel') {
    // The engine wants at least two branches, each reaching a final step of its own.
    const taken = allStepIds(def).add(id);
    const taskRole = defaultRole(def, 'task');
    step.branches = [1, 2].map((n) => {
      const work = uniqueId(`${id}Work${n}`, taken);
      taken.add(work);
      const done = uniqueId(`${id}Done${n}`, taken);
      taken.add(done);
      return {
        id: `branch${n}`, name: { vi: `Nhánh ${n}`, en: `Branch ${n}` }, initial: work, steps: [
          { id: work, kind: 'task' as const, name: { vi: 'Xử lý', en: 'Work' }, ...(taskRole ? { role: taskRole } : {}), actions: [
            { id: 'done', label: { vi: 'Hoàn thành', en: 'Done' }, intent: 'proceed' as const, target: done },
          ] },
          { id: done, kind: 'final' as const, name: { vi: 'Xong', en: 'Done' } },
        ],
      };
    });
  } else if (cmd.kind === 'handoff') {
    // The engine resumes a hand-off with a system action when the linked dossier ends: drawn
    // with it, the step only needs its linked procedure, its unit and where the answer leads.
    step.actions = [answerAction()];
  } else step.actions = [];
  const steps = [...def.steps, step];
  const next: ProcedureDefinition = { ...def, steps, layout: { ...frozenLayout(def), [id]: cmd.position } };
  if (!def.steps.some((s) => s.id === def.initial)) next.initial = id;
  return next;
}

function deleteSteps(def: ProcedureDefinition, ids: string[]): ProcedureDefinition {
  const gone = new Set(ids);
  const kept = def.steps.filter((s) => !gone.has(s.id));
  let next: ProcedureDefinition = { ...def, steps: kept };
  next = mapAllTargets(next, (t) => (gone.has(t) ? null : t), true);
  // The steps that stay keep their places: no whole-diagram re-layout after a delete.
  next.layout = Object.fromEntries(Object.entries(frozenLayout(def)).filter(([k]) => !gone.has(k)));
  if (gone.has(def.initial)) next.initial = kept[0]?.id ?? def.initial;
  return next;
}

function renameStep(def: ProcedureDefinition, from: string, to: string): ProcedureDefinition {
  if (from === to || !to || allStepIds(def).has(to)) return def;
  let next = mapAllTargets(def, (t) => (t === from ? to : t), false);
  next = updateStep(next, from, (s) => ({ ...s, id: to }));
  if (def.initial === from) next.initial = to;
  const place = def.layout?.[from];
  if (def.layout && place) {
    const { [from]: _old, ...rest } = def.layout;
    next.layout = { ...rest, [to]: place };
  }
  return next;
}

function addAction(def: ProcedureDefinition, cmd: Extract<Command, { type: 'action.add' }>): ProcedureDefinition {
  const source = def.steps.find((s) => s.id === cmd.source);
  if (!source || !def.steps.some((s) => s.id === cmd.target) || source.kind === 'final') return def;
  if (source.kind === 'parallel') {
    // A parallel step moves on by `next` once its branches complete, not by an action.
    if (source.next === undefined) return updateStep(def, source.id, (s) => ({ ...s, next: cmd.target }));
    const list: RouteBranch[] = typeof source.next === 'string' ? [{ when: true, target: source.next }] : source.next;
    return updateStep(def, source.id, (s) => ({ ...s, next: [...list, { target: cmd.target }] }));
  }
  // An arrow out of a hand-off first says where its answer leads (its system action not yet routed).
  const unrouted = source.kind === 'handoff' ? (source.actions ?? []).find((a) => (a.role ?? source.role) === 'system' && a.target === undefined) : undefined;
  if (unrouted) return updateActions(def, source.id, (list) => list.map((a) => (a === unrouted ? { ...a, target: cmd.target } : a)));
  const taken = (source.actions ?? []).map((a) => a.id);
  // The first forward action of an intake step is `accept`: the desk's one-click acceptance applies it.
  const id = source.kind === 'intake' && cmd.intent === 'proceed' && !taken.includes('accept')
    ? 'accept'
    : uniqueId(`to${cmd.target.charAt(0).toUpperCase()}${cmd.target.slice(1)}`, taken);
  const action: ActionDefinition = { id, label: { ...cmd.label }, intent: cmd.intent, target: cmd.target };
  return updateStep(def, source.id, (s) => ({ ...s, actions: [...(s.actions ?? []), action] }));
}

function renameAction(def: ProcedureDefinition, step: string | null, from: string, to: string): ProcedureDefinition {
  const siblings = step === null ? def.globalActions ?? [] : def.steps.find((s) => s.id === step)?.actions ?? [];
  if (from === to || !to || siblings.some((a) => a.id === to)) return def;
  let next = updateActions(def, step, (list) => list.map((a) => (a.id === from ? { ...a, id: to } : a)));
  // A timeout raises an action by id: keep it pointing at the renamed action.
  if (step !== null) next = updateStep(next, step, (s) => (s.timeout?.action === from ? { ...s, timeout: { ...s.timeout, action: to } } : s));
  return next;
}

/** Applies one command; returns the same object when the command changes nothing. Pure. */
export function applyCommand(def: ProcedureDefinition, cmd: Command): ProcedureDefinition {
  switch (cmd.type) {
    case 'step.add': return addStep(def, cmd);
    case 'steps.delete': return cmd.ids.length === 0 ? def : deleteSteps(def, cmd.ids);
    case 'step.update': return updateStep(def, cmd.id, (s) => merge(s, cmd.patch));
    case 'step.rename': return renameStep(def, cmd.from, cmd.to);
    case 'steps.move': return { ...def, layout: { ...frozenLayout(def), ...cmd.positions } };
    case 'action.add': return addAction(def, cmd);
    case 'action.update': return updateActions(def, cmd.step, (list) => list.map((a) => (a.id === cmd.action ? merge(a, cmd.patch) : a)));
    case 'action.rename': return renameAction(def, cmd.step, cmd.from, cmd.to);
    case 'edge.retarget': return setEdge(def, cmd.edge, cmd.target);
    case 'edges.delete': {
      // Routes are removed from the highest index down so earlier indexes stay valid.
      const sorted = [...cmd.edges].sort((a, b) => (b.route ?? -1) - (a.route ?? -1));
      return sorted.reduce((d, e) => {
        if (e.kind === 'action' && e.route === null) return updateActions(d, e.step, (list) => list.filter((a) => a.id !== e.action));
        return setEdge(d, e, null);
      }, def);
    }
    case 'catalog.update': return { ...def, catalog: merge(def.catalog, cmd.patch) };
    case 'definition.update': return merge(def, cmd.patch as Partial<ProcedureDefinition>);
    case 'definition.replace': return cmd.definition;
    case 'layout.auto': {
      const global = def.layout?.[GLOBAL_NODE];
      return { ...def, layout: { ...autoLayout(def), ...(global ? { [GLOBAL_NODE]: global } : {}) } };
    }
    case 'steps.paste': return pasteSteps(def, cmd.clip, cmd.offset).definition;
  }
}

export interface HistoryEntry {
  command: Command;
  /** Consecutive edits with the same key (typing in one field) make one undo step. */
  mergeKey: string | null;
  before: ProcedureDefinition;
  after: ProcedureDefinition;
}

export interface EditorState {
  present: ProcedureDefinition;
  past: HistoryEntry[];
  future: HistoryEntry[];
  /** The definition as last loaded or saved: unsaved changes are `present !== saved`. */
  saved: ProcedureDefinition;
}

export type EditorAction =
  | { type: 'exec'; command: Command; mergeKey?: string }
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'load'; definition: ProcedureDefinition }
  | { type: 'saved'; definition: ProcedureDefinition };

const HISTORY_LIMIT = 200;

export const initialEditorState = (definition: ProcedureDefinition): EditorState => ({ present: definition, past: [], future: [], saved: definition });

/** The editor's reducer: commands, undo, redo, load and save marks. Pure. */
export function editorReducer(state: EditorState, action: EditorAction): EditorState {
  switch (action.type) {
    case 'exec': {
      const after = applyCommand(state.present, action.command);
      // A command that rewrites nothing (a field committed unchanged, a selection) is not an
      // edit: no undo entry, and the draft does not become unsaved.
      if (after === state.present || sameJson(after, state.present)) return state;
      const mergeKey = action.mergeKey ?? null;
      const last = state.past[state.past.length - 1];
      if (mergeKey !== null && last && last.mergeKey === mergeKey && state.future.length === 0) {
        return { ...state, present: after, past: [...state.past.slice(0, -1), { ...last, command: action.command, after }] };
      }
      const entry: HistoryEntry = { command: action.command, mergeKey, before: state.present, after };
      return { ...state, present: after, past: [...state.past, entry].slice(-HISTORY_LIMIT), future: [] };
    }
    case 'undo': {
      const last = state.past[state.past.length - 1];
      if (!last) return state;
      return { ...state, present: last.before, past: state.past.slice(0, -1), future: [{ ...last, mergeKey: null }, ...state.future] };
    }
    case 'redo': {
      const next = state.future[0];
      if (!next) return state;
      return { ...state, present: next.after, past: [...state.past, next], future: state.future.slice(1) };
    }
    case 'load': return initialEditorState(action.definition);
    // The definition that was sent: edits made while the request ran stay unsaved.
    case 'saved': return { ...state, saved: action.definition };
  }
}

export const isDirty = (state: EditorState): boolean => state.present !== state.saved;

/**
 * Structural equality of JSON values (definitions hold nothing else); key order ignored.
 * Small enough not to be worth a dependency, and unchanged subtrees short-cut on identity.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  const ao = a as { [k: string]: unknown };
  const bo = b as { [k: string]: unknown };
  const keys = Object.keys(ao).filter((k) => ao[k] !== undefined);
  if (keys.length !== Object.keys(bo).filter((k) => bo[k] !== undefined).length) return false;
  return keys.every((k) => Object.hasOwn(bo, k) && sameJson(ao[k], bo[k]));
}
