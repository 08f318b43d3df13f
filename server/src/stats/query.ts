// Small helpers shared by the statistics queries: raw SQL through Drizzle on PGlite and
// node-postgres alike, local days of the unit's calendar, and the unit scope of a request.
import { sql, type SQL } from 'drizzle-orm';
import type { Calendar } from '@motcua/engine';
import type { Db } from '../db/client';
import type { Deps } from '../deps';
import { HttpError, notFound } from '../http/errors';

/** What the statistics functions need: the database, the time, the unit tree and calendars. */
export type StatsDeps = Pick<Deps, 'db' | 'clock' | 'directory'>;

/** Runs raw SQL and returns its rows (both drivers answer `{ rows }`). */
export async function rows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/** `a in ($1, $2, …)` for a non-empty list of texts. */
export function inList(column: SQL, values: string[]): SQL {
  if (values.length === 0) return sql`false`;
  return sql`${column} in (${sql.join(values.map((v) => sql`${v}`), sql`, `)})`;
}

const DAY_MS = 86_400_000;

/** "YYYY-MM-DD" → days since 1970-01-01 (a calendar day, no time zone involved). */
export const dayNumber = (iso: string): number => Date.parse(`${iso}T00:00:00.000Z`) / DAY_MS;

/** Days since 1970-01-01 → "YYYY-MM-DD". */
export const isoDay = (n: number): string => new Date(n * DAY_MS).toISOString().slice(0, 10);

/** Adds days to a local date. */
export const addDays = (iso: string, days: number): string => isoDay(dayNumber(iso) + days);

/** The instant a local day starts in the calendar's time zone (Vietnam: 00:00 at UTC+7). */
export function startOfLocalDay(calendar: Calendar, iso: string): Date {
  return new Date(dayNumber(iso) * DAY_MS - calendar.config.utcOffsetMinutes * 60_000);
}

/** The first day of the month and of the quarter of a local date. */
export function monthStart(iso: string): string {
  return `${iso.slice(0, 7)}-01`;
}

export function quarterStart(iso: string): string {
  const month = Number(iso.slice(5, 7));
  const first = Math.floor((month - 1) / 3) * 3 + 1;
  return `${iso.slice(0, 4)}-${String(first).padStart(2, '0')}-01`;
}

/**
 * A checked day of a query: 400 BAD_DATE at its field unless it is a real day from 1970 to
 * `lastYear`. The date format admits year 0, which PostgreSQL refuses, and the last days of
 * 9999, whose next day or month the reports reach for is no date at all: both were 500s.
 */
export function checkDay(name: string, value: string, lastYear = 9998): void {
  const year = Number(value.slice(0, 4));
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || isoDay(dayNumber(value)) !== value || year < 1970 || year > lastYear) {
    throw new HttpError(400, 'BAD_DATE', {
      vi: `Ngày "${value}" (${name}) không hợp lệ, cần dạng YYYY-MM-DD, từ năm 1970 đến năm ${lastYear}`,
      en: `"${value}" (${name}) is not a valid date, expected YYYY-MM-DD from 1970 to ${lastYear}`,
    }, [{ path: `/${name}`, message: { vi: `ngày không hợp lệ (từ năm 1970 đến năm ${lastYear})`, en: `invalid date (from 1970 to ${lastYear})` } }]);
  }
}

/** A checked period: 400 when a day is no day (`checkDay`) or `from` is after `to`. */
export function checkPeriod(from: string, to: string): void {
  checkDay('from', from);
  checkDay('to', to);
  if (from > to) {
    throw new HttpError(400, 'BAD_PERIOD', {
      vi: `Kỳ báo cáo không hợp lệ: từ ngày ${from} sau đến ngày ${to}`,
      en: `Invalid period: from ${from} is after to ${to}`,
    }, [{ path: '/from', message: { vi: 'phải không sau "to"', en: 'must not be after "to"' } }]);
  }
}

/** The unit and, when asked, every unit below it; 404 for an unknown unit. */
export async function unitScope(deps: StatsDeps, unit: string, includeChildren: boolean): Promise<{ name: string; units: string[] }> {
  const row = await deps.directory.unit(unit);
  if (!row) throw notFound({ vi: 'đơn vị', en: 'unit' }, unit);
  // A province's total includes the police and social insurance units it holds (docs/domain.md, Reports).
  return { name: row.name, units: includeChildren ? await deps.directory.territory(unit) : [unit] };
}
