/**
 * The time of one legal-deadline case as the designer edits it: an amount and its unit.
 * A case holds exactly one of `days` (working days) or `hours` (working hours); the editor
 * used to show every case as days and rewrite `{ hours: 4 }` into `{ days: n }` on the first
 * keystroke, so the unit is read and kept here. Pure.
 */
import type { DeadlineCase } from '@motcua/engine';

export type CaseUnit = 'days' | 'hours';

/** The unit the case is written in; a case with neither (invalid, flagged by the check) reads as days. */
export const caseUnit = (k: DeadlineCase): CaseUnit => (k.days === undefined && k.hours !== undefined ? 'hours' : 'days');

export const caseAmount = (k: DeadlineCase): number => (caseUnit(k) === 'hours' ? k.hours ?? 0 : k.days ?? 0);

/** The case with `amount` in `unit` (its own unit by default); its condition and note are kept, the other unit dropped. */
export function setCaseTime(k: DeadlineCase, amount: number, unit: CaseUnit = caseUnit(k)): DeadlineCase {
  const { days: _d, hours: _h, ...rest } = k;
  return unit === 'hours' ? { ...rest, hours: amount } : { ...rest, days: amount };
}
