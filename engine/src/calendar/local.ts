/**
 * Vietnam's local time: one zone, UTC+7 all year (no daylight saving since 1975), so a
 * fixed offset is exact and needs no time-zone database. A unit's calendar may still set
 * another offset (`CalendarConfig.utcOffsetMinutes`); these helpers take it as an argument.
 * See docs/domain.md, "Calendar".
 */
import type { IsoDate } from './types';

/** The IANA name of Vietnam's zone, for `Intl.DateTimeFormat` and browsers. */
export const VN_TIME_ZONE = 'Asia/Ho_Chi_Minh';

/** Vietnam's offset from UTC in minutes (UTC+7). */
export const VN_UTC_OFFSET_MINUTES = 420;

const MINUTE_MS = 60_000;

const toMs = (at: number | string | Date): number =>
  typeof at === 'number' ? at : typeof at === 'string' ? Date.parse(at) : at.getTime();

/** "+07:00" for 420 minutes, "-03:30" for -210: the suffix of an ISO instant. */
export function offsetSuffix(offsetMinutes = VN_UTC_OFFSET_MINUTES): string {
  const abs = Math.abs(offsetMinutes);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${offsetMinutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * An instant written in local time with its offset, e.g. "2026-03-02T17:00:00.000+07:00";
 * throws RangeError on an unparsable instant.
 */
export function toLocalIso(at: number | string | Date, offsetMinutes = VN_UTC_OFFSET_MINUTES): string {
  const ms = toMs(at);
  if (!Number.isFinite(ms)) throw new RangeError(`not an instant: ${String(at)}`);
  return new Date(ms + offsetMinutes * MINUTE_MS).toISOString().replace('Z', offsetSuffix(offsetMinutes));
}

/** The local day ("YYYY-MM-DD") an instant falls on. */
export function localDay(at: number | string | Date, offsetMinutes = VN_UTC_OFFSET_MINUTES): IsoDate {
  return toLocalIso(at, offsetMinutes).slice(0, 10);
}

/**
 * The ISO instant of a local wall-clock time on a local day, e.g. ("2026-04-01", "08:00")
 * → "2026-04-01T08:00:00+07:00". `time` is "HH:MM" or "HH:MM:SS" (default midnight).
 */
export function localInstant(day: IsoDate, time = '00:00', offsetMinutes = VN_UTC_OFFSET_MINUTES): string {
  const t = time.length === 5 ? `${time}:00` : time;
  return `${day}T${t}${offsetSuffix(offsetMinutes)}`;
}

/** The UTC instants (ISO, "Z") a local day starts and the next one starts: the day is [start, end). */
export function localDayWindow(day: IsoDate, offsetMinutes = VN_UTC_OFFSET_MINUTES): { start: string; end: string } {
  const start = Date.parse(localInstant(day, '00:00', offsetMinutes));
  return { start: new Date(start).toISOString(), end: new Date(start + 24 * 60 * MINUTE_MS).toISOString() };
}
