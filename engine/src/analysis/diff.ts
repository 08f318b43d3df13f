/**
 * `diff`: what changed between two versions of a procedure and what the change saves, so a
 * process designer sees the effect of a restructuring before publishing it.
 */
import type { ActionDefinition, ProcedureDefinition } from '../definition/types';
import { formatSigned } from './codes';
import { asDefinition, buildGraph, listOf, type ProcedureGraph, type StepNode } from './graph';
import { measure } from './metrics';
import type {
  ActionChange,
  ActionRef,
  DefinitionDiff,
  DefinitionMetrics,
  MetricDeltas,
  MetricsOptions,
  StepChange,
  StepRef,
  ValueChange,
} from './types';

/** JSON with object keys sorted, so key order never reads as a change. */
function canonical(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as { [k: string]: unknown })
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

function compare(fields: string[], before: { [k: string]: unknown }, after: { [k: string]: unknown }): ValueChange[] {
  return fields
    .filter((f) => canonical(before[f]) !== canonical(after[f]))
    .map((field) => ({ field, before: before[field], after: after[field] }));
}

/** Items with an id, compared one by one as `<prefix>/<id>`. */
function compareById(prefix: string, before: unknown, after: unknown): ValueChange[] {
  const index = (list: unknown): Map<string, unknown> => new Map(listOf(list as { id?: unknown }[])
    .filter((item) => item && typeof item.id === 'string')
    .map((item) => [item.id as string, item]));
  const a = index(before);
  const b = index(after);
  const ids = [...new Set([...a.keys(), ...b.keys()])];
  return ids
    .filter((id) => canonical(a.get(id)) !== canonical(b.get(id)))
    .map((id) => ({ field: `${prefix}/${id}`, before: a.get(id), after: b.get(id) }));
}

const STEP_FIELDS = ['kind', 'role', 'unit', 'sla', 'form', 'documents', 'name', 'description', 'timeout', 'next', 'handoff', 'outcome', 'onEnter', 'branches', 'within'];
const ACTION_FIELDS = ['target', 'role', 'guard', 'inputs', 'effects', 'label', 'intent', 'mergeInputs'];

/** The comparable face of a step: branch contents are compared as steps of their own, so only branch headers stay here. */
function stepFace(n: StepNode): { [k: string]: unknown } {
  const { actions: _actions, branches, ...rest } = n.step;
  return {
    ...rest,
    branches: Array.isArray(branches) ? branches.map((b) => (b ? { id: b.id, name: b.name, initial: b.initial } : b)) : branches,
    within: n.parallel === null ? undefined : `${n.parallel}/${n.branch ?? ''}`,
  };
}

function actionDiff(step: string | null, before: ActionDefinition[], after: ActionDefinition[], out: DefinitionDiff['actions']): void {
  const a = new Map(before.filter((x) => x && typeof x.id === 'string').map((x) => [x.id, x]));
  const b = new Map(after.filter((x) => x && typeof x.id === 'string').map((x) => [x.id, x]));
  for (const id of a.keys()) if (!b.has(id)) out.removed.push({ step, action: id });
  for (const [id, x] of b) {
    const old = a.get(id);
    if (!old) {
      out.added.push({ step, action: id });
      continue;
    }
    const changes = compare(ACTION_FIELDS, old as unknown as { [k: string]: unknown }, x as unknown as { [k: string]: unknown });
    if (changes.length > 0) out.changed.push({ step, action: id, changes });
  }
}

function stepDiff(ga: ProcedureGraph, gb: ProcedureGraph): { steps: DefinitionDiff['steps']; actions: DefinitionDiff['actions'] } {
  const ref = (n: StepNode): StepRef => ({ step: n.id, name: n.step.name ?? null });
  const added = [...gb.nodes.values()].filter((n) => !ga.nodes.has(n.id)).map(ref);
  const removed = [...ga.nodes.values()].filter((n) => !gb.nodes.has(n.id)).map(ref);
  const changed: StepChange[] = [];
  const actions = { added: [] as ActionRef[], removed: [] as ActionRef[], changed: [] as ActionChange[] };
  for (const nb of gb.nodes.values()) {
    const na = ga.nodes.get(nb.id);
    if (!na) continue;
    const changes = compare(STEP_FIELDS, stepFace(na), stepFace(nb));
    if (changes.length > 0) changed.push({ step: nb.id, changes });
    actionDiff(nb.id, listOf(na.step.actions), listOf(nb.step.actions), actions);
  }
  actionDiff(null, listOf(ga.def.globalActions), listOf(gb.def.globalActions), actions);
  return { steps: { added, removed, changed }, actions };
}

function catalogDiff(a: ProcedureDefinition, b: ProcedureDefinition): ValueChange[] {
  const before = (a.catalog ?? {}) as unknown as { [k: string]: unknown };
  const after = (b.catalog ?? {}) as unknown as { [k: string]: unknown };
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((f) => f !== 'fees' && f !== 'documents');
  return [...compare(fields, before, after), ...compareById('fees', before['fees'], after['fees']), ...compareById('documents', before['documents'], after['documents'])];
}

function definitionDiff(a: ProcedureDefinition, b: ProcedureDefinition): ValueChange[] {
  const face = (d: ProcedureDefinition): { [k: string]: unknown } => ({ id: d.id, initial: d.initial, settings: d.settings, data: d.data });
  return [...compare(['id', 'initial', 'settings', 'data'], face(a), face(b)), ...compareById('roles', a.roles, b.roles)];
}

/** Rounds away float noise (0.1 + 0.2) without hiding real fractions of a day. */
function delta(after: number, before: number): number {
  return Math.round((after - before) * 1e6) / 1e6;
}

function deltasOf(before: DefinitionMetrics, after: DefinitionMetrics): MetricDeltas {
  return {
    steps: delta(after.steps, before.steps),
    actions: delta(after.actions, before.actions),
    officerActions: delta(after.officerActions, before.officerActions),
    handoffs: delta(after.handoffs, before.handoffs),
    workingDays: delta(after.workingDays, before.workingDays),
    legalDeadlineDays: delta(after.legalDeadlineDays, before.legalDeadlineDays),
    trips: delta(after.citizen.trips, before.citizen.trips),
    agencies: delta(after.citizen.agencies, before.citizen.agencies),
  };
}

/** Summary terms in the order a process designer reads them: size, officer work, time, citizen. */
const TERMS: { key: keyof MetricDeltas; vi: string; en: [string, string] }[] = [
  { key: 'steps', vi: 'bước', en: ['step', 'steps'] },
  { key: 'officerActions', vi: 'thao tác của cán bộ', en: ['officer action', 'officer actions'] },
  { key: 'handoffs', vi: 'lần chuyển', en: ['hand-off', 'hand-offs'] },
  { key: 'workingDays', vi: 'ngày làm việc', en: ['working day', 'working days'] },
  { key: 'legalDeadlineDays', vi: 'ngày thời hạn giải quyết', en: ['day of legal deadline', 'days of legal deadline'] },
  { key: 'trips', vi: 'lượt đi lại của người dân', en: ['citizen trip', 'citizen trips'] },
  { key: 'agencies', vi: 'cơ quan', en: ['agency', 'agencies'] },
];

/** One-line summary of metric deltas, e.g. "−2 bước, −1 lần chuyển, −1,5 ngày làm việc"; pure. */
export function summarizeDeltas(d: MetricDeltas): { vi: string; en: string } {
  const shown = TERMS.filter((t) => formatSigned(d[t.key], 'en') !== '0');
  if (shown.length === 0) return { vi: 'Không thay đổi chỉ số', en: 'No change in metrics' };
  return {
    vi: shown.map((t) => `${formatSigned(d[t.key], 'vi')} ${t.vi}`).join(', '),
    en: shown.map((t) => `${formatSigned(d[t.key], 'en')} ${Math.abs(d[t.key]) === 1 ? t.en[0] : t.en[1]}`).join(', '),
  };
}

/** Compares two versions of a procedure: steps, actions, catalog and metric deltas with a one-line summary; pure, ignores layout. */
export function diff(oldInput: ProcedureDefinition, newInput: ProcedureDefinition, options: MetricsOptions = {}): DefinitionDiff {
  const oldDef = asDefinition(oldInput);
  const newDef = asDefinition(newInput);
  const ga = buildGraph(oldDef);
  const gb = buildGraph(newDef);
  const { steps, actions } = stepDiff(ga, gb);
  const catalog = catalogDiff(oldDef, newDef);
  const definition = definitionDiff(oldDef, newDef);
  const before = measure(ga, options).metrics;
  const after = measure(gb, options).metrics;
  const deltas = deltasOf(before, after);
  const unchanged = [steps.added, steps.removed, steps.changed, actions.added, actions.removed, actions.changed, catalog, definition].every((l) => l.length === 0);
  return {
    from: { id: oldDef.id, version: oldDef.version },
    to: { id: newDef.id, version: newDef.version },
    unchanged,
    steps,
    actions,
    catalog,
    definition,
    metrics: { before, after, deltas },
    summary: summarizeDeltas(deltas),
  };
}
