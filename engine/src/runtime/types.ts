import type { Calendar } from '../calendar/types';
import type { MigrationPlan } from '../migration/types';
import type { Actor, Delegation, SigningFormula, UnitInfo } from '../delegation/types';
import type {
  Channel,
  EffectSpec,
  JsonSchema,
  LocalizedText,
  Outcome,
  ReturnVia,
  SlipKind,
  StepKind,
  Text,
} from '../definition/types';

/** An XState state value: a step id, or regions of a parallel step. */
export type StateValue = string | { [region: string]: StateValue };

/** Where a dossier lives: who received it, who decides, where the result goes back. */
export interface DossierRouting {
  /** Unit code of the desk that received the dossier. */
  receiving: string;
  /** Unit code of the competent unit that decides (may differ: phi địa giới). */
  competent: string;
  /** Unit code where the applicant collects the result. */
  returnUnit: string;
  returnVia: ReturnVia;
}

/** The overall clock of a dossier: due date, or remaining working time while paused. */
export interface DossierClock {
  /** When the dossier was submitted or brought to the desk. */
  submittedAt: string;
  /**
   * When it was accepted (tiếp nhận): the legal clock starts here. A definition whose
   * initial step is an `intake` step accepts when the dossier first leaves that step for
   * handling; otherwise acceptance is the start.
   */
  receivedAt: string | null;
  /** Appointment (hẹn trả); null before acceptance and while paused. */
  dueAt: string | null;
  /** The first appointment given on the receipt slip. */
  originalDueAt: string | null;
  /**
   * What lateness is judged against: the receipt slip's appointment plus lawful extra time,
   * moved by pauses but never by an apology (docs/records.md). Null before acceptance and while paused.
   */
  lawfulDueAt: string | null;
  /** Working minutes left to `lawfulDueAt` while paused. */
  lawfulRemainingMinutes: number | null;
  /** Lawful extra time granted so far, in working days (at most `catalog.extraTime.days`). */
  extraTimeDays: number;
  /** Set while the clock is paused (waiting for the citizen). */
  pausedAt: string | null;
  /** Working minutes left when paused (negative when already overdue). */
  remainingMinutes: number | null;
  /** Total working minutes spent paused, for reports. */
  pausedMinutes: number;
  /** Apologies issued (form 04): each moved the appointment for real lateness. */
  extensions: number;
  /**
   * Which case of `catalog.legalDeadline.cases` gives the legal time now (-1: the base);
   * present only for procedures whose legal time depends on the case.
   */
  legalCase?: number;
}

/** A step the dossier is in now. */
export interface ActiveStep {
  /** Step id (unique across the definition, branches included). */
  step: string;
  enteredAt: string;
  /** Step SLA deadline, or null when the step has none. */
  dueAt: string | null;
  /** Unit code that owns the step now. */
  unit: string;
  role: string | null;
  assignee: string | null;
  /** When the step's timeout fires (the sweeper raises its action). */
  timeoutAt: string | null;
}

export type DossierStatus = 'active' | 'waiting-citizen' | 'done';

/** The saved state of one dossier: plain JSON, what the server stores in its row. */
export interface DossierSnapshot {
  dossierId: string;
  procedure: { id: string; version: number; code: string };
  /** Incremented by every applied action: the optimistic-concurrency version. */
  version: number;
  status: DossierStatus;
  /** XState state value of the compiled machine. */
  state: StateValue;
  active: ActiveStep[];
  channel: Channel;
  routing: DossierRouting;
  applicant: { id?: string; name: string };
  data: { [key: string]: unknown };
  clock: DossierClock;
  outcome: Outcome | null;
  closedAt: string | null;
  /** Linked dossiers spawned by hand-offs, keyed by spawn key. */
  links: { [key: string]: LinkState };
  supplementRounds: number;
  /**
   * Provincial parameter values in force when the dossier was received (fees the province sets),
   * by key; present only when the start input carried some. A later change does not touch them.
   */
  parameters?: { [key: string]: number };
}

/** A linked dossier as its parent knows it: where it went, how it ended, what it answered. */
export interface LinkState {
  procedure: string;
  unit: string;
  outcome: Outcome | null;
  /** The linked procedure's declared outputs, as returned when it closed. */
  outputs?: { [name: string]: unknown };
}

export interface ActorRef {
  id: string;
  name: string;
  kind: Actor['kind'];
}

/** What happened to a dossier: the append-only log; replaying it rebuilds the snapshot. */
export type DossierEvent =
  | {
      type: 'dossier.started';
      seq: number;
      at: string;
      actor: ActorRef;
      input: StartInput;
    }
  | {
      type: 'action.applied';
      seq: number;
      at: string;
      actor: ActorRef;
      step: string;
      action: string;
      inputs: { [key: string]: unknown };
      onBehalfOf?: { id: string; name: string; title?: string };
      delegationId?: string;
      /**
       * The capacity the officer acted in, when it has a signing formula (Decree 30/2020):
       * "KT. CHỦ TỊCH" for a deputy signing for the chair, "TM. ỦY BAN NHÂN DÂN" for the head
       * of a collective body, TUQ./TL./Q. through a delegation. A record: the history shows who
       * acted in which capacity even after the officer's grants change.
       */
      capacity?: ActionCapacity;
      /** Steps left and entered by this action (for the handling control slip). */
      from: string[];
      to: string[];
      /**
       * Slips this action issued, written by the server at commit (never by the engine, and
       * ignored by replay): the PDF's sha256, so the history vouches for the slip handed out.
       */
      slips?: { kind: SlipKind; sha256: string }[];
    }
  | {
      /**
       * The dossier moved to another version of its procedure under a migration plan
       * (docs/migration.md). Replay applies the plan again to the snapshot it has rebuilt,
       * with the `toVersion`'s definition, so the history alone still yields the snapshot.
       */
      type: 'dossier.migrated';
      seq: number;
      at: string;
      actor: ActorRef;
      fromVersion: number;
      toVersion: number;
      plan: MigrationPlan;
      /** Where each of the dossier's steps went (for the history; replay recomputes it). */
      moves: { from: string; to: string }[];
    };

/** What must happen outside the engine, resolved for this dossier; the server runs it. */
export type Effect =
  | { type: 'issueSlip'; slip: SlipKind; step: string }
  | { type: 'assign'; step: string; role: string; unit: string }
  | { type: 'notify'; to: 'applicant' | { role: string; unit: string }; template: string }
  | { type: 'spawn'; key: string; procedure: string; unit: string; step: string; data: { [key: string]: unknown } }
  | { type: 'setOutcome'; outcome: Outcome }
  | { type: 'requestPayment'; fees: { id: string; amount: number }[] }
  | { type: 'returnResult'; via: ReturnVia; unit: string }
  /**
   * Sign and issue the result: the officer who took the action signs it in the capacity the
   * engine recorded, for `unit` (the competent unit), sealed by that unit when `seal`. The
   * server refuses the action (nothing issued) when it cannot sign.
   */
  | { type: 'signResult'; step: string; unit: string; seal: boolean; title?: Text; paperType?: string }
  | { type: 'deadlineChanged'; dueAt: string | null; reason: string | null; kind?: 'extra-time' | 'apology' | 'legal-case' }
  | { type: 'clockPaused'; remainingMinutes: number }
  | { type: 'clockResumed'; dueAt: string }
  | { type: 'dossierClosed'; outcome: Outcome };

export type EngineErrorCode =
  | 'ACTION_UNKNOWN'
  | 'ACTION_NOT_AVAILABLE'
  | 'ACTION_FORBIDDEN_ROLE'
  | 'ACTION_FORBIDDEN_UNIT'
  | 'ACTION_GUARD_FAILED'
  | 'ACTION_INPUT_INVALID'
  | 'ACTION_LIMIT_REACHED'
  | 'DOSSIER_VERSION_CONFLICT'
  | 'DOSSIER_CLOSED'
  | 'START_INVALID'
  | 'HANDOFF_UNIT_INVALID'
  | 'REPLAY_MISMATCH';

export interface EngineError {
  code: EngineErrorCode;
  message: LocalizedText;
  /** Problems with inputs, with JSON pointers into the inputs object. */
  issues?: { path: string; message: LocalizedText }[];
  /** Current version, on DOSSIER_VERSION_CONFLICT. */
  currentVersion?: number;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: EngineError };

export interface Transition {
  snapshot: DossierSnapshot;
  events: DossierEvent[];
  effects: Effect[];
}

/** Everything a dossier starts from; recorded in the `dossier.started` event. */
export interface StartInput {
  dossierId: string;
  channel: Channel;
  receivingUnit: string;
  /** Defaults to the receiving unit; may differ only for non-geographic procedures. */
  competentUnit?: string;
  returnUnit?: string;
  returnVia?: ReturnVia;
  applicant: { id?: string; name: string };
  data?: { [key: string]: unknown };
  /** Provincial parameter values in force at intake, by key (the server resolves them for the unit and date). */
  parameters?: { [key: string]: number };
  /**
   * Whether the procedure was on the province's non-geographic list when received (the server
   * reads the list, a catalog setting); absent: the definition's `catalog.nonGeographic` flag.
   */
  nonGeographic?: boolean;
}

export interface EngineContext {
  /** ISO instant: the engine has no clock. */
  now: string;
  actor: Actor;
  calendar: Calendar;
  delegations?: Delegation[];
  units?: { [code: string]: UnitInfo };
}

export interface ActionRequest {
  step: string;
  action: string;
  inputs?: { [key: string]: unknown };
  /** The version the caller saw; a different current version is a conflict. */
  expectedVersion?: number;
}

/** An action the actor may take now, with what it needs. */
export interface AvailableAction {
  step: string;
  action: string;
  label: Text;
  intent: string;
  stepKind: StepKind;
  inputs: JsonSchema | null;
  effects: EffectSpec[];
  onBehalfOf?: { id: string; name: string; title?: string };
  signing?: SigningFormula;
}

/** The signing capacity recorded with an action: the formula's prefix and its lines above the signer's name. */
export interface ActionCapacity {
  prefix: 'TM.' | 'KT.' | 'TUQ.' | 'TL.' | 'Q.';
  lines: string[];
}
