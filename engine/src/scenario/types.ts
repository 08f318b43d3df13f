import type { Actor } from '../delegation/types';
import type { DossierEvent, DossierSnapshot, StartInput } from '../runtime/types';
import type { Text } from '../definition/types';

/** What a scenario step (or the end of the scenario) expects; every key is optional. */
export interface ScenarioExpectation {
  active?: string[];
  status?: 'active' | 'waiting-citizen' | 'done';
  outcome?: string | null;
  /** ISO instant (any offset). */
  dueAt?: string | null;
  /** The date lateness is judged against (slip 01 plus lawful extra time), ISO instant. */
  lawfulDueAt?: string | null;
  paused?: boolean;
  /** Due dates of active steps by step id (ISO instant, or null for a step whose SLA waits for its event). */
  stepDueAt?: { [step: string]: string | null };
  /** "type" or "type:detail" (slip kind, spawned procedure, outcome). */
  effects?: string[];
  /** Fees of the step's requestPayment effect, by id (VND). */
  fees?: { id: string; amount: number }[];
  /** The action must fail with this engine error code and change nothing. */
  error?: string;
  timeliness?: 'early' | 'on-time' | 'late' | null;
  /** Fields the dossier data must hold (compared as JSON); others are not checked. */
  data?: { [field: string]: unknown };
  /** Linked dossiers by key: the unit it went to, its outcome, named outputs. */
  links?: { [key: string]: { unit?: string; outcome?: string | null; outputs?: { [name: string]: unknown } } };
}

export interface ScenarioStep {
  at: string;
  actor: string;
  step: string;
  action: string;
  inputs?: { [key: string]: unknown };
  expect?: ScenarioExpectation;
}

/** A scripted run of one dossier through a procedure (`procedures/<slug>/scenarios/*.json`). */
export interface Scenario {
  name: Text;
  actors: { [name: string]: Actor };
  /** The start input (the runner makes the dossier id) plus when, by whom, and what to expect. */
  start: Omit<StartInput, 'dossierId'> & { at: string; actor: string; expect?: ScenarioExpectation };
  steps: ScenarioStep[];
  expect?: ScenarioExpectation;
}

export interface ScenarioStepReport {
  index: number;
  at: string;
  actor: string;
  step: string;
  action: string;
  ok: boolean;
  error?: { code: string; message: string };
  active: string[];
  status: string;
  dueAt: string | null;
  effects: string[];
  failures: string[];
}

export interface ScenarioReport {
  ok: boolean;
  steps: ScenarioStepReport[];
  failures: string[];
  events: DossierEvent[];
  snapshot?: DossierSnapshot;
}
