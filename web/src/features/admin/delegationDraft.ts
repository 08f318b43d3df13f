/** A delegation as the form holds it, and the body the API takes (for preview and for saving). Pure. */
import { fromLocalInput } from './datetime';

export const KINDS = ['deputy', 'authorisation', 'order', 'acting'] as const;
export type DelegationKind = (typeof KINDS)[number];

export interface DelegationForm {
  kind: DelegationKind;
  from: string;
  to: string;
  roles: string[];
  units: string[];
  procedures: string[];
  /** datetime-local values on the Vietnam clock; validTo '' = open-ended. */
  validFrom: string;
  validTo: string;
  decision: string;
}

export interface DelegationBody {
  kind: DelegationKind;
  from: string;
  to: string;
  scope: { roles?: string[]; units?: string[]; procedures?: string[] };
  validFrom: string;
  validTo: string | null;
  decision?: string;
}

/** The body, or null while the delegator or delegate is missing or the start is not a date. */
export function toDelegationBody(f: DelegationForm): DelegationBody | null {
  const validFrom = fromLocalInput(f.validFrom);
  if (!f.from || !f.to || !validFrom) return null;
  const scope: DelegationBody['scope'] = {
    ...(f.roles.length ? { roles: [...f.roles] } : {}),
    ...(f.units.length ? { units: [...f.units] } : {}),
    ...(f.procedures.length ? { procedures: [...f.procedures] } : {}),
  };
  return {
    kind: f.kind, from: f.from, to: f.to, scope, validFrom,
    validTo: f.validTo ? fromLocalInput(f.validTo) : null,
    ...(f.decision.trim() ? { decision: f.decision.trim() } : {}),
  };
}

/** Adds or removes one value of a checkbox list. */
export const toggle = (list: readonly string[], value: string, on: boolean): string[] =>
  on ? (list.includes(value) ? [...list] : [...list, value]) : list.filter((v) => v !== value);
