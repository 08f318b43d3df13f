/** A year as month grids (Monday first, as Vietnamese wall calendars print), and the yearly day lists. Pure. */

/** Weeks of one month (1–12): seven cells each, Monday to Sunday, null outside the month. */
export function monthWeeks(year: number, month: number): (string | null)[][] {
  const first = new Date(Date.UTC(year, month - 1, 1));
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const lead = (first.getUTCDay() + 6) % 7; // Monday = 0
  const cells: (string | null)[] = Array.from({ length: lead }, () => null);
  for (let d = 1; d <= daysInMonth; d++) cells.push(`${year}-${pad(month)}-${pad(d)}`);
  while (cells.length % 7 !== 0) cells.push(null);
  const weeks: (string | null)[][] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** One row of the year editor: a date and its name (e.g. "Tết Nguyên đán"). */
export interface DayRow {
  date: string;
  name: string;
}

export type DayProblem = 'format' | 'year' | 'duplicate';

/** Rows with a problem, by index; empty rows are ignored (they are dropped when saving). */
export function checkDayRows(rows: readonly DayRow[], year: number): Map<number, DayProblem> {
  const out = new Map<number, DayProblem>();
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    const date = row.date.trim();
    if (date === '' && row.name.trim() === '') return;
    if (!isRealDate(date)) out.set(i, 'format');
    else if (!date.startsWith(`${year}-`)) out.set(i, 'year');
    else if (seen.has(date)) out.set(i, 'duplicate');
    seen.add(date);
  });
  return out;
}

/** Rows as the API wants them: blank rows dropped, names trimmed and omitted when empty, sorted by date. */
export function toDayEntries(rows: readonly DayRow[]): { date: string; name?: string }[] {
  return rows
    .filter((r) => r.date.trim() !== '')
    .map((r) => (r.name.trim() ? { date: r.date.trim(), name: r.name.trim() } : { date: r.date.trim() }))
    .sort((a, b) => a.date.localeCompare(b.date));
}

/** Rows for the editor from what the server stores. */
export const toDayRows = (entries: readonly { date: string; name?: string }[] | undefined): DayRow[] =>
  (entries ?? []).map((e) => ({ date: e.date, name: e.name ?? '' }));

function isRealDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}
