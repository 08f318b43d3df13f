/**
 * Plain words for citizens, computed from the public answers: deadlines, fees, the
 * dossier's status, its history, whether it can be rated. Pure: returns i18n keys and
 * values; the screens translate them.
 */
import type { PublicDossier, PublicFee } from './types';

export interface Words {
  key: string;
  values?: Record<string, string | number>;
}

/** A legal time limit in words: same day, N working days, N working hours, or both. */
export function deadlineWords(d: { days?: number; hours?: number } | undefined): Words {
  const days = d?.days ?? 0;
  const hours = d?.hours ?? 0;
  if (days > 0 && hours > 0) return { key: 'deadline.daysHours', values: { days, hours } };
  if (days > 0) return { key: 'deadline.days', values: { count: days } };
  if (hours > 0) return { key: 'deadline.hours', values: { count: hours } };
  return { key: 'deadline.sameDay' };
}

/** A fee as "8.000 ₫ / bản, tối đa 200.000 ₫", or free; `money` formats amounts. */
export function feeWords(fee: Pick<PublicFee, 'amount' | 'per' | 'max'>, money: (n: number) => string, per: (unit: string) => string, max: (amount: string) => string): string {
  if (fee.amount === 0) return '';
  const parts = [fee.per && fee.per !== 'dossier' ? `${money(fee.amount)} / ${per(fee.per)}` : money(fee.amount)];
  if (fee.max !== undefined) parts.push(max(money(fee.max)));
  return parts.join(', ');
}

export type Tone = 'ok' | 'warn' | 'bad' | 'info' | 'neutral';

/** The dossier's status as a citizen reads it, with a colour. */
export function stateWords(d: Pick<PublicDossier, 'status' | 'outcome' | 'receivedAt'>): { key: string; tone: Tone } {
  if (d.status === 'done') {
    switch (d.outcome) {
      case 'approved': return { key: 'state.approved', tone: 'ok' };
      case 'rejected': return { key: 'state.rejected', tone: 'neutral' };
      case 'refused': return { key: 'state.refused', tone: 'bad' };
      case 'withdrawn': return { key: 'state.withdrawn', tone: 'neutral' };
      case 'stopped': return { key: 'state.stopped', tone: 'bad' };
      default: return { key: 'state.done', tone: 'neutral' };
    }
  }
  if (d.status === 'waiting-citizen') return { key: 'state.waiting', tone: 'warn' };
  if (!d.receivedAt) return { key: 'state.submitted', tone: 'info' };
  return { key: 'state.active', tone: 'info' };
}

const KNOWN_EVENTS = new Set([
  'accept', 'refuse', 'requestSupplement', 'submitSupplement', 'extend', 'extraTime', 'propose', 'proposeRejection',
  'approve', 'sendBack', 'returnResult', 'expire', 'withdraw', 'linkedClosed',
]);

/** One line of the history: the submission (no step), a known action, or a generic update. */
export function eventKey(e: { step: string | null; action: string | null }): string {
  if (!e.step && !e.action) return 'event.submitted';
  if (e.action && KNOWN_EVENTS.has(e.action)) return `event.${e.action}`;
  return 'event.other';
}

/** What the rating area shows: the form, the rating already given, a "later" note, or nothing. */
export function ratingState(d: Pick<PublicDossier, 'status' | 'outcome' | 'closedAt' | 'rating'>): 'form' | 'rated' | 'later' | 'none' {
  if (d.rating !== null && d.rating !== undefined) return 'rated';
  if (d.status === 'done' || d.closedAt) return d.outcome === 'approved' ? 'form' : 'none';
  return 'later';
}

/** A dossier code as typed: trimmed, inner spaces dropped, upper case (codes end in a province letter). */
export function normalizeCode(input: string): string {
  return input.trim().replace(/\s+/g, '').toUpperCase();
}
