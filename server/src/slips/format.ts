import { VN_UTC_OFFSET_MINUTES } from '@motcua/engine';
import type { SlipHandoff } from './types';

/** Thrown by `renderSlip` for data it cannot print, naming the field at fault. */
export class SlipDataError extends Error {
  readonly code = 'SLIP_DATA_INVALID';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'SlipDataError';
  }
}

/** Placeholder left on the slip for the officer to fill in by hand, as on the paper forms. */
export const BLANK = '……………………';

// A fixed offset (the engine's VN_UTC_OFFSET_MINUTES: no daylight saving since 1975) spares
// us a dependency on the ICU time-zone data of the host.
const VN_OFFSET_MS = VN_UTC_OFFSET_MINUTES * 60_000;

const pad = (n: number): string => String(n).padStart(2, '0');

// Date.parse also takes "02/03/2026 08:20" (read as 3 February, local time), so insist on an
// ISO instant with its offset: a time without a zone cannot be placed on the slip.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses an ISO instant with offset; throws `SlipDataError` naming `field` otherwise. */
export function parseInstant(iso: string, field: string): Date {
  const ms = ISO_INSTANT.test(iso) ? Date.parse(iso) : NaN;
  if (Number.isNaN(ms)) throw new SlipDataError(`${field} is not an ISO instant with offset: "${iso}"`, field);
  return new Date(ms);
}

function vnParts(iso: string, field: string): { y: number; mo: string; d: string; h: string; mi: string } {
  const t = new Date(parseInstant(iso, field).getTime() + VN_OFFSET_MS);
  return {
    y: t.getUTCFullYear(), mo: pad(t.getUTCMonth() + 1), d: pad(t.getUTCDate()),
    h: pad(t.getUTCHours()), mi: pad(t.getUTCMinutes()),
  };
}

/** "08 giờ 20 phút, ngày 02/03/2026" in Asia/Ho_Chi_Minh, or a blank when absent; pure. */
export function formatInstant(iso: string | undefined, field = 'instant'): string {
  if (iso === undefined) return BLANK;
  const p = vnParts(iso, field);
  return `${p.h} giờ ${p.mi} phút, ngày ${p.d}/${p.mo}/${p.y}`;
}

/** "02/03/2026" in Asia/Ho_Chi_Minh, or a blank when absent; pure. */
export function formatDate(iso: string | undefined, field = 'date'): string {
  if (iso === undefined) return BLANK;
  const p = vnParts(iso, field);
  return `${p.d}/${p.mo}/${p.y}`;
}

/**
 * The date line under the national heading, "An Phú, ngày 07 tháng 9 năm 2026": days under 10
 * and months 1 and 2 keep a leading zero, other months none (Decree 30/2020, Annex I;
 * docs/records.md); pure.
 */
export function formatDateLine(iso: string, place?: string): string {
  const p = vnParts(iso, 'issuedAt');
  const month = Number(p.mo) <= 2 ? p.mo : String(Number(p.mo));
  const date = `ngày ${p.d} tháng ${month} năm ${p.y}`;
  return place ? `${place}, ${date}` : date.charAt(0).toUpperCase() + date.slice(1);
}

const RESULT_LABEL: Record<NonNullable<SlipHandoff['result']>, string> = {
  early: 'Trước hạn',
  'on-time': 'Đúng hạn',
  late: 'Quá hạn',
};

/** The result column of form 05; empty while the step is open; pure. */
export function handoffResultLabel(result: SlipHandoff['result']): string {
  return result === null ? '' : RESULT_LABEL[result];
}

/** Two-digit counts as the forms print them ("02 bộ"); pure. */
export const twoDigits = (n: number): string => pad(n);
