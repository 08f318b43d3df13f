/**
 * What deciding authority and validating a delegation share: the kinds of delegation, the
 * instants they are dated with, and small readers of untrusted input.
 */
import type { LocalizedText } from '../definition/types';
import type { DelegationKind, UnitInfo } from './types';

export const KINDS: { [k in DelegationKind]: LocalizedText } = {
  authorisation: { vi: 'ủy quyền', en: 'authorisation' },
  order: { vi: 'giao ký thừa lệnh', en: 'order to sign (TL.)' },
  deputy: { vi: 'giao ký thay', en: 'deputy signing (KT.)' },
  acting: { vi: 'giao quyền', en: 'acting appointment (Q.)' },
};

export type Units = { [code: string]: UnitInfo };

export function isRecord(x: unknown): x is { [key: string]: unknown } {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * TUQ. and TL. are written, time-limited acts (Decree 30/2020/NĐ-CP, see docs/delegation.md):
 * they need an end date and the number of the decision that makes them.
 */
export function needsDecision(kind: DelegationKind): boolean {
  return kind === 'authorisation' || kind === 'order';
}

export function isKind(x: unknown): x is DelegationKind {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(KINDS, x);
}

export function nonEmpty(x: unknown): x is string {
  return typeof x === 'string' && x.trim() !== '';
}

// ISO 8601 with an explicit offset only: an instant without one would depend on the host's time zone.
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):(\d{2}))$/i;

// Date.parse rolls "02-30" over to March; an impossible date must be refused, not moved.
export function parseInstant(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = INSTANT.exec(value.trim());
  if (m === null) return undefined;
  const [y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, oh = 0, om = 0] = [1, 2, 3, 4, 5, 6, 9, 10].map((i) => Number(m[i] ?? 0));
  const fraction = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1];
  if (days === undefined || d < 1 || d > days || h > 23 || mi > 59 || s > 59 || oh > 23 || om > 59) return undefined;
  const offset = (m[8] === '-' ? -1 : 1) * (oh * 60 + om);
  return Date.UTC(y, mo - 1, d, h, mi, s, fraction) - offset * 60_000;
}

export function unitLabel(units: Units, code: string): string {
  const name = units[code]?.name;
  return typeof name === 'string' && name !== '' ? `${name} (${code})` : `"${code}"`;
}

export function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

