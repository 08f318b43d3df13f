/**
 * The authored shape of a procedure (thủ tục hành chính): `ProcedureDefinition`.
 * Plain JSON, checked at run time by the JSON Schema in `engine/schema/` and by the
 * semantic checks in `validate.ts`. Layout (node positions) lives apart in `layout` and is
 * never read by the engine.
 */

/** User-facing text: Vietnamese first, English when the author gave it. */
export interface Text {
  vi: string;
  en?: string;
}

/** Text the engine itself produces (errors, issues): always in both languages. */
export interface LocalizedText {
  vi: string;
  en: string;
}

/** A JSON Logic rule (jsonlogic.com), evaluated by `json-logic-js`, never by eval. */
export type JsonLogicRule = boolean | string | number | null | { [operator: string]: unknown } | unknown[];

/** A JSON Schema (draft 2020-12 subset accepted by AJV) describing a form or inputs. */
export type JsonSchema = { [keyword: string]: unknown } | boolean;

/** A working-time budget: working days (ngày làm việc) or working hours; exactly one. */
export interface Duration {
  days?: number;
  hours?: number;
}

export type OnlineLevel = 'none' | 'partial' | 'full';
export type Channel = 'direct' | 'online' | 'postal';
export type ReturnVia = 'desk' | 'post' | 'online';
export type AdministrativeLevel = 'commune' | 'province' | 'central';
export type DocumentForm = 'original' | 'certified-copy' | 'copy' | 'original-or-certified-copy' | 'original-for-comparison';

/** One paper the applicant must submit (thành phần hồ sơ). */
export interface RequiredDocument {
  id: string;
  name: Text;
  form: DocumentForm;
  count: number;
  /** Form template name or code, e.g. "Tờ khai đăng ký khai sinh (TT 04/2024/TT-BTP)". */
  template?: string;
  optional?: boolean;
  /** Only required when this holds on dossier data. */
  when?: JsonLogicRule;
  note?: Text;
  /** A paper type shared across procedures (e.g. "ban-an-ly-hon"): a stored digitised copy of that type is reused. */
  paperType?: string;
  /** Not required when the citizen's data is found, with consent, in this shared database (docs/papers.md). */
  notRequiredWhenFound?: SharedDataSource;
}

/** A shared database a desk looks a citizen up in: the national population database or the civil-status database. */
export type SharedDataSource = 'population' | 'civil-status';

/** A fee or charge (phí, lệ phí) in VND. */
export interface Fee {
  id: string;
  name: Text;
  amount: number;
  per?: 'dossier' | 'page' | 'copy' | 'person';
  /** How many units are charged, computed on dossier data (default 1), e.g. {"var":"data.pages"}. */
  quantity?: JsonLogicRule;
  /** Cap on this fee's total, in VND. */
  max?: number;
  /** Applies only when this holds on dossier data (e.g. late registration). */
  when?: JsonLogicRule;
  note?: Text;
  /**
   * A provincial parameter (e.g. "fee.khai-sinh-qua-han", set by the provincial council) whose
   * value in force when the dossier was received replaces `amount`; `amount` is the published
   * default used where the province set none.
   */
  param?: string;
}

/**
 * One case of a legal time that depends on the dossier (e.g. 3 working days, up to 20 when
 * verification is needed): when `when` holds on the dossier, this time replaces the base.
 */
export interface DeadlineCase {
  when: JsonLogicRule;
  days?: number;
  hours?: number;
  /** The article or circumstance, in the law's words (shown with the appointment). */
  note?: Text;
}

/**
 * The legal processing time: a base duration and, optionally, cases chosen on dossier data.
 * The first case whose condition holds gives the time; none: the base. Re-evaluated after
 * every action while the clock runs, so a case decided during handling moves the appointment.
 */
export interface LegalDeadline extends Duration {
  cases?: DeadlineCase[];
}

/**
 * A step's working-time budget. With `from` it counts from the moment the named action of the
 * same step (one that stays in the step, e.g. recording a verification reply) is taken; until
 * then the step has no due date.
 */
export interface StepSla extends Duration {
  from?: string;
}

/** Catalog facts (thông tin công khai thủ tục) as published on the portal. */
export interface CatalogFacts {
  /** National procedure code, e.g. "2.000815" or "1.001193". */
  code: string;
  /** Code with agency suffix as published, e.g. "2.000815.000.00.00.H38". */
  publishedCode?: string;
  /**
   * True when `code` is the province's own, not published in the national procedure database
   * (a national code looks like "1.001193"): the catalog and reports then say so.
   */
  localCode?: boolean;
  name: Text;
  /** Field (lĩnh vực), e.g. "Hộ tịch", "Chứng thực". */
  field: string;
  /**
   * The field's code in the national database of administrative procedures (Cơ sở dữ liệu
   * quốc gia về TTHC): the national portal's sync record sends it as `MaLinhVuc`. Each province
   * fills it from the national catalog; without it the portal gets the field's name instead.
   */
  fieldCode?: string;
  level: AdministrativeLevel;
  decidingAuthority: string;
  /** Authority acting under authorisation or decentralisation, if any. */
  delegatedAuthority?: string;
  implementingBody: string;
  coordinatingBodies?: string[];
  /** Legal processing time; `{ days: 0 }` means the same working day; `cases` make it depend on data. */
  legalDeadline: LegalDeadline;
  deadlineNote?: Text;
  fees: Fee[];
  documents: RequiredDocument[];
  result: Text;
  legalBasis: string[];
  onlineLevel: OnlineLevel;
  postal: boolean;
  /** Intake regardless of the applicant's address (phi địa giới hành chính). */
  nonGeographic: boolean;
  channels?: Channel[];
  /**
   * How the result may be handed back; absent, any way. A paper result (a certified copy
   * signed and sealed on paper) is never "returned online": an online dossier of such a
   * procedure defaults to the first way listed here.
   */
  resultReturn?: ReturnVia[];
  /**
   * Kinds of unit that may decide the procedure (the `kind` of a unit: "commune", "ward",
   * "police", …): the competent unit a desk routes a dossier to must be one of them. Absent:
   * the competent unit must be of the receiving unit's kind.
   */
  competentUnitKinds?: string[];
  /** Statutory extra time a sector law grants (e.g. for verification): never lateness, never an apology. */
  extraTime?: ExtraTime;
  /**
   * Coordination between agencies (e.g. a verification asked by another commune), reached only
   * through a hand-off: not in the public catalog, not counted in the report of form II.06a.
   */
  internal?: boolean;
}

/**
 * Lawful extra time (thời hạn được kéo dài theo luật chuyên ngành), e.g. up to 5 working days
 * to verify the conditions of marriage (docs/records.md, "Lawful extra time").
 */
export interface ExtraTime {
  /** Legal maximum, in working days, over the whole life of the dossier. */
  days: number;
  /** The article that grants it, e.g. "Luật Hộ tịch 2014, Điều 18 khoản 2". */
  basis: string;
  /** When it applies, in the law's words. */
  note?: Text;
}

export interface ProcedureSettings {
  /** "HH:MM": a dossier received after it counts from the next working day. */
  cutoffTime?: string;
  /** While waiting for the citizen the overall clock pauses (default) or restarts on resume. */
  supplementClock?: 'pause' | 'restart';
  /** How many times the appointment may be moved (default 1). */
  maxExtensions?: number;
  /** Slips 01–03 are sealed with the unit's certificate when issued (server/src/esign; default false). */
  sealSlips?: boolean;
}

export interface RoleDeclaration {
  id: string;
  name: Text;
  description?: Text;
}

/**
 * Which unit a step belongs to: the unit that received the dossier, the competent unit
 * that decides, the unit where the result is returned, or a named unit (by code).
 */
export type UnitScope = 'receiving' | 'competent' | 'return' | { unit: string };

/** Roles every definition may use without declaring them. */
export const BUILTIN_ROLES = ['applicant', 'system'] as const;
export type BuiltinRole = (typeof BUILTIN_ROLES)[number];

/** How a dossier ended. */
export type Outcome = 'approved' | 'rejected' | 'refused' | 'withdrawn' | 'stopped';

/** Slips of Circular 01/2018/TT-VPCP (and the stop notice of Circular 03/2025; the notice of lawful extra time). */
export type SlipKind = 'receipt' | 'supplement-request' | 'refusal' | 'apology' | 'control' | 'stop-notice' | 'extra-time-notice';

/** What an action means; the designer colours buttons by it and metrics find the happy path with it. */
export type ActionIntent = 'proceed' | 'rework' | 'supplement' | 'refuse' | 'withdraw' | 'extend' | 'extra-time' | 'stop';

/** What must happen outside the engine (or, for `set`, `assign`, `setOutcome`, `extendDeadline`, `grantExtraTime`, to the snapshot). */
export type EffectSpec =
  | { type: 'issueSlip'; slip: SlipKind }
  | { type: 'assign'; role: string; unit?: UnitScope }
  | { type: 'notify'; to: 'applicant' | { role: string; unit?: UnitScope }; template: string }
  | { type: 'spawn'; procedure: string; unit: UnitScope; key: string; data?: DataMapping }
  | { type: 'setOutcome'; outcome: Outcome }
  | { type: 'set'; path: string; value: JsonLogicRule }
  | { type: 'extendDeadline' }
  | { type: 'grantExtraTime' }
  | { type: 'requestPayment'; fees?: string[] }
  | { type: 'returnResult' }
  /**
   * Issue the electronic result, signed by the acting officer and (unless `seal: false`) sealed by the unit;
   * kept in the holder's data store as `paperType` when given (a later checklist item of that type reuses it).
   */
  | { type: 'signResult'; seal?: boolean; title?: Text; paperType?: string };

/**
 * A hand-off's unit chosen at run time: `expression` (JSON Logic on the dossier, e.g.
 * `{"var": "data.previousCommune"}`) gives a unit code, looked up in the unit directory the
 * server passes in (`EngineContext.units`); the unit must be of one of `kinds` when given.
 */
export interface UnitFromData {
  expression: JsonLogicRule;
  kinds?: string[];
  /** What the unit is, in the designer's words ("the commune of the previous residence"). */
  label?: Text;
}

/** Where a hand-off goes: a fixed unit, or one chosen at run time from dossier data. */
export type HandoffUnit = UnitScope | UnitFromData;

/** A hand-off: the linked dossier spawned when its step is entered, and what comes back. */
export interface Handoff {
  procedure: string;
  unit: HandoffUnit;
  data?: DataMapping;
  /**
   * Answers coming back: parent data field (dotted path) ← the linked procedure's output
   * name (`outputs` of its definition), written when the linked dossier closes and the
   * hand-off step's system action runs, before its guard and routes are evaluated.
   */
  outputs?: { [field: string]: string };
}

/** A value a (linked, often internal) procedure returns to its parent dossier when it ends. */
export interface ProcedureOutput {
  title: Text;
  /** JSON Logic evaluated on this dossier (`data`, `dossier`) when it closes. */
  value: JsonLogicRule;
}

/** Whether a hand-off's unit is chosen at run time. */
export function isUnitFromData(unit: HandoffUnit): unit is UnitFromData {
  return typeof unit === 'object' && unit !== null && 'expression' in unit;
}

/** Fields of a linked dossier, each computed on the parent dossier (omitted: its data as is). */
export type DataMapping = { [field: string]: JsonLogicRule };

/** A conditional route: the first branch whose `when` holds is taken; one without `when` is the else. */
export interface RouteBranch {
  when?: JsonLogicRule;
  target: string;
}

/** A transition an actor may take from a step. */
export interface ActionDefinition {
  id: string;
  label: Text;
  /** Target step id, a list of conditional routes, or omitted to stay in the step. */
  target?: string | RouteBranch[];
  /** Role allowed to take it; defaults to the step's role. */
  role?: string;
  intent?: ActionIntent;
  /** Condition on dossier data (`data`), inputs (`inputs`) and dossier facts (`dossier`). */
  guard?: JsonLogicRule;
  /** Inputs the actor must give (a JSON Schema of type object). */
  inputs?: JsonSchema;
  effects?: EffectSpec[];
  /** Whether the inputs are merged into dossier data (default true). */
  mergeInputs?: boolean;
}

export type StepKind =
  | 'intake'
  | 'task'
  | 'approval'
  | 'parallel'
  | 'handoff'
  | 'wait-citizen'
  | 'payment'
  | 'return-result'
  | 'final';

/** A timer kept as data: after `after` working time in the step the sweeper raises `action` as the system. */
export interface StepTimeout {
  after: Duration;
  action: string;
}

/** One branch of a parallel step; it completes when it reaches one of its `final` steps. */
export interface ParallelBranch {
  id: string;
  name: Text;
  initial: string;
  steps: StepDefinition[];
}

export interface StepDefinition {
  id: string;
  kind: StepKind;
  name: Text;
  description?: Text;
  role?: string;
  unit?: UnitScope;
  /** Working-time budget of this step (for due-soon / overdue marks and analysis). */
  sla?: StepSla;
  /** Data collected at this step (JSON Schema, rendered as a form). */
  form?: JsonSchema;
  /** Ids of catalog documents checked at this step. */
  documents?: string[];
  actions?: ActionDefinition[];
  timeout?: StepTimeout;
  /** `parallel`: the branches; `next` is taken when all of them complete. */
  branches?: ParallelBranch[];
  next?: string | RouteBranch[];
  /** `handoff`: the linked dossier to spawn when the step is entered. */
  handoff?: Handoff;
  /** `final` at top level: how the dossier ended. */
  outcome?: Outcome;
  /** Effects run when the step is entered (e.g. issue a slip). */
  onEnter?: EffectSpec[];
}

export interface ProcedureDefinition {
  $schema?: string;
  /** Stable id of the procedure in this catalog (a slug), shared by all its versions. */
  id: string;
  version: number;
  catalog: CatalogFacts;
  settings?: ProcedureSettings;
  roles: RoleDeclaration[];
  /** Schema of the dossier data captured at intake (applicant, matter). */
  data?: JsonSchema;
  initial: string;
  steps: StepDefinition[];
  /** Actions available from every non-final top-level step (e.g. withdrawal by the applicant). */
  globalActions?: ActionDefinition[];
  /** Values returned to the parent dossier when a linked dossier of this procedure ends, by name. */
  outputs?: { [name: string]: ProcedureOutput };
  /** Designer-only: positions of nodes. The engine never reads it. */
  layout?: { [stepId: string]: { x: number; y: number } };
}

/** One problem found in a definition or a request body. */
export interface ValidationIssue {
  code: string;
  /** JSON pointer (RFC 6901) to the culprit, "" for the whole document. */
  path: string;
  message: LocalizedText;
  severity?: 'error' | 'warning';
}

export type ValidationResult = { ok: true; issues: ValidationIssue[] } | { ok: false; issues: ValidationIssue[] };
