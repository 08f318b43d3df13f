/**
 * Shapes returned by the static analysis of a `ProcedureDefinition`: findings, metrics of
 * one version and the diff between two versions. Plain data, safe to send as JSON.
 */
import type { Channel, LocalizedText, Text } from '../definition/types';

export type FindingSeverity = 'error' | 'warning' | 'info';

/** One thing the analysis noticed; `code` values are stable (see `FINDING_CODES`). */
export interface AnalysisFinding {
  code: string;
  severity: FindingSeverity;
  /** JSON pointer (RFC 6901) to the step, action or field concerned, "" for the whole definition. */
  path: string;
  message: LocalizedText;
}

/** Options shared by `analyze` and `metrics`. */
export interface MetricsOptions {
  /** Working hours in a working day, to turn hour SLAs into days (default 8). */
  hoursPerDay?: number;
  /** Channel the citizen uses, for `citizen.trips` (default: `direct` unless the catalog lists channels without it). */
  channel?: Channel;
}

export type AnalysisOptions = MetricsOptions;

/** SLA total along one path: days and hours summed apart, then `workingDays` = days + hours / hoursPerDay. */
export interface SlaPathSummary {
  days: number;
  hours: number;
  workingDays: number;
  /** Top-level step ids from the initial step to the final step. */
  steps: string[];
}

/** One action taken on the happy path. */
export interface PathMove {
  step: string;
  action: string;
  /** Role that takes it (the action's, else the step's), null when neither names one. */
  role: string | null;
  target: string;
}

/** The happy path inside one branch of a parallel step on the happy path. */
export interface BranchPath {
  parallel: string;
  branch: string;
  steps: string[];
}

/** Shortest route of `proceed` actions from the initial step to an `approved` final step. */
export interface HappyPath {
  /** Top-level step ids, initial to final. */
  steps: string[];
  /** Every action in order; a parallel step's branch actions come right after it, branch by branch. */
  moves: PathMove[];
  branches: BranchPath[];
}

/** What the citizen goes through on the happy path. */
export interface CitizenMetrics {
  channel: Channel;
  /** Applicant actions on the happy path, plus 2 (submit and collect) when the channel is `direct`. */
  trips: number;
  /** Distinct unit scopes on the happy path, hand-off units included (at least 1; 0 without a happy path). */
  agencies: number;
}

/** Size and cost of one version of a procedure. */
export interface DefinitionMetrics {
  /** Non-final steps, branch steps and parallel steps included. */
  steps: number;
  /** Actions of all steps plus global actions. */
  actions: number;
  /** Role ids that steps or actions name, sorted. */
  roles: string[];
  /** Unit scopes of steps and hand-offs (`receiving`, `competent`, `return`, `unit:<code>`), sorted. */
  units: string[];
  /** Null when no happy path exists; the happy-path numbers below are then 0. */
  happyPath: HappyPath | null;
  /** Happy-path actions taken by roles other than `applicant` and `system`. */
  officerActions: number;
  /** Changes of officer role or unit between consecutive officer steps, plus hand-off steps. */
  handoffs: number;
  /** SLA sum along the happy path in working days. */
  workingDays: number;
  /** Legal deadline in working days (0 for the same working day). */
  legalDeadlineDays: number;
  citizen: CitizenMetrics;
}

/** Result of `analyze`: `ok` is false when any finding is an error. */
export interface AnalysisReport {
  ok: boolean;
  findings: AnalysisFinding[];
  metrics: DefinitionMetrics;
  /** Longest acyclic path by SLA from the initial step to a top-level final step; null when none. */
  slaLongestPath: SlaPathSummary | null;
  /** SLA along the happy path; null when there is none. */
  slaHappyPath: SlaPathSummary | null;
}

/** A field that differs between two versions; `undefined` on one side means absent there. */
export interface ValueChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface StepRef {
  step: string;
  name: Text | null;
}

export interface StepChange {
  step: string;
  changes: ValueChange[];
}

/** An action of a step (`step` null for a global action). */
export interface ActionRef {
  step: string | null;
  action: string;
}

export interface ActionChange extends ActionRef {
  changes: ValueChange[];
}

/** Metric differences, new minus old. */
export interface MetricDeltas {
  steps: number;
  actions: number;
  officerActions: number;
  handoffs: number;
  workingDays: number;
  legalDeadlineDays: number;
  trips: number;
  agencies: number;
}

/** What changed between two versions of a procedure, and what the change saves. */
export interface DefinitionDiff {
  from: { id: string; version: number };
  to: { id: string; version: number };
  /** True when nothing but layout differs. */
  unchanged: boolean;
  steps: { added: StepRef[]; removed: StepRef[]; changed: StepChange[] };
  /** Actions of steps present in both versions, and global actions. */
  actions: { added: ActionRef[]; removed: ActionRef[]; changed: ActionChange[] };
  /** Catalog fields; fees and documents compared item by item as `fees/<id>`, `documents/<id>`. */
  catalog: ValueChange[];
  /** Other top-level fields: `initial`, `settings`, `data`, `roles/<id>`. */
  definition: ValueChange[];
  metrics: { before: DefinitionMetrics; after: DefinitionMetrics; deltas: MetricDeltas };
  /** One line, e.g. "−2 bước, −1 lần chuyển, −1,5 ngày làm việc". */
  summary: LocalizedText;
}
