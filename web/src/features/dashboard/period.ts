/**
 * Report periods as local dates (YYYY-MM-DD, Vietnam time): the presets an office reports
 * on (this month, this quarter, last quarter, this year) or a custom range. Pure: the
 * current day is passed in.
 */

export type PeriodPreset = 'month' | 'quarter' | 'lastQuarter' | 'year' | 'custom';

export const PERIOD_PRESETS: readonly PeriodPreset[] = ['month', 'quarter', 'lastQuarter', 'year', 'custom'];

export interface Period {
  from: string;
  to: string;
}

/** The local day of an instant in Vietnam ("YYYY-MM-DD"): the server counts days in that zone. */
export { localDay } from '@motcua/engine/local-time';

const pad = (n: number): string => String(n).padStart(2, '0');

/** The last day of a month (month 1–12). */
function lastDayOf(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The dates a preset stands for on `today`; periods that include today end today (the server refuses no future day, but nothing happened yet). */
export function presetPeriod(preset: Exclude<PeriodPreset, 'custom'>, today: string): Period {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const quarterFirst = Math.floor((month - 1) / 3) * 3 + 1;
  switch (preset) {
    case 'month':
      return { from: `${today.slice(0, 7)}-01`, to: today };
    case 'quarter':
      return { from: `${year}-${pad(quarterFirst)}-01`, to: today };
    case 'lastQuarter': {
      const y = quarterFirst === 1 ? year - 1 : year;
      const first = quarterFirst === 1 ? 10 : quarterFirst - 3;
      return { from: `${y}-${pad(first)}-01`, to: `${y}-${pad(first + 2)}-${pad(lastDayOf(y, first + 2))}` };
    }
    case 'year':
      return { from: `${year}-01-01`, to: today };
  }
}

/** A well-formed calendar date "YYYY-MM-DD" (so a half-typed custom date is not sent). */
export function isDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/**
 * The period to ask for: a preset's dates, or the custom dates as typed. A custom period
 * is sent even when `from` is after `to`, so the server's own bilingual error explains it.
 * Null while a custom date is missing or malformed.
 */
export function resolvePeriod(preset: PeriodPreset, today: string, custom: Partial<Period>): Period | null {
  if (preset !== 'custom') return presetPeriod(preset, today);
  if (!custom.from || !custom.to || !isDay(custom.from) || !isDay(custom.to)) return null;
  return { from: custom.from, to: custom.to };
}

/** Reads a preset from a URL parameter; anything unknown means this quarter (the server's default too). */
export function parsePreset(value: string | null): PeriodPreset {
  return (PERIOD_PRESETS as readonly string[]).includes(value ?? '') ? (value as PeriodPreset) : 'quarter';
}
