/**
 * Working-day calendars per scope ('*' for the province-wide default, or a unit code): data
 * edited per year by administrators, checked by building the engine's calendar before saving.
 */
import type { Static } from 'typebox';
import {
  createCalendar, statutoryHolidays, VN_DEFAULT_CALENDAR,
  type CalendarConfig, type DayEntry, type YearCalendar,
} from '@motcua/engine';
import type { AuthUser } from '../auth/middleware';
import type { Deps } from '../deps';
import { calendarRows, deleteCalendarRow, saveCalendarRow } from './repo';
import { forbidden, notFound, type Issue } from '../http/errors';
import { iso } from '../db/time';
import { adminScope, invalid, isRootAdmin, requireInScope } from './common';
import type { CalendarBody, YearBody } from './schemas';

const WEEKDAY_VI = ['Chủ nhật', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy'];
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const PROVINCE = '*';

export interface CalendarView {
  scope: string;
  source: 'own' | 'inherited' | 'default';
  inheritedFrom?: string;
  updatedAt: string | null;
  config: CalendarConfig;
}

/** The scopes a unit's calendar is looked up in: the unit, its ancestors, then '*'. */
async function lookupChain(deps: Deps, scope: string): Promise<string[]> {
  const out: string[] = [];
  let cur = scope === PROVINCE ? null : await deps.directory.unit(scope);
  for (let i = 0; cur && i < 20; i++) {
    out.push(cur.code);
    cur = cur.parent ? await deps.directory.unit(cur.parent) : null;
  }
  return [...out, PROVINCE];
}

/** Checks the caller may see (`write` false) or change a scope: '*' is read by any administrator and written by a root one. */
async function authorise(deps: Deps, user: AuthUser, scope: string, write: boolean): Promise<void> {
  if (scope === PROVINCE) {
    if (write && !(await isRootAdmin(deps, user))) {
      throw forbidden({ vi: 'Chỉ quản trị viên cấp tỉnh được sửa lịch chung', en: 'Only a province administrator may change the province-wide calendar' });
    }
    return;
  }
  if (!(await deps.directory.unit(scope))) throw notFound({ vi: 'đơn vị', en: 'unit' }, scope);
  requireInScope(await adminScope(deps, user), [scope]);
}

/** The calendar that applies to a scope: its own, else the nearest ancestor's, else '*', else the built-in one. */
export async function effectiveCalendar(deps: Deps, user: AuthUser, scope: string): Promise<CalendarView> {
  await authorise(deps, user, scope, false);
  const chain = await lookupChain(deps, scope);
  const rows = await calendarRows(deps, chain);
  for (const s of chain) {
    const row = rows.find((r) => r.scope === s);
    if (!row) continue;
    return {
      scope, source: s === scope ? 'own' : 'inherited', ...(s === scope ? {} : { inheritedFrom: s }),
      updatedAt: iso(row.updatedAt), config: row.config as CalendarConfig,
    };
  }
  return { scope, source: 'default', updatedAt: null, config: VN_DEFAULT_CALENDAR };
}

function dayIssues(path: string, list: DayEntry[] | undefined, year: number, issues: Issue[]): Set<string> {
  const seen = new Set<string>();
  (list ?? []).forEach((e, i) => {
    const m = ISO_DATE.exec(e.date);
    const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
    const at = `${path}/${i}/date`;
    if (!d || d.toISOString().slice(0, 10) !== e.date) {
      issues.push({ path: at, message: { vi: `"${e.date}" không phải ngày có thật (YYYY-MM-DD)`, en: `"${e.date}" is not a calendar date (YYYY-MM-DD)` } });
    } else if (Math.abs(d.getUTCFullYear() - year) > 1) {
      issues.push({ path: at, message: { vi: `Ngày ${e.date} không thuộc năm ${year} (hoặc năm liền kề)`, en: `${e.date} is not in ${year} (or a neighbouring year)` } });
    } else if (seen.has(e.date)) {
      issues.push({ path: at, message: { vi: `Ngày ${e.date} bị lặp`, en: `${e.date} is listed twice` } });
    }
    seen.add(e.date);
  });
  return seen;
}

/** Checks one year's decisions; `base` is the JSON pointer of the year in the request. */
function yearIssues(base: string, year: number, y: YearCalendar, weekend: number[], issues: Issue[]): void {
  const off = new Set([...dayIssues(`${base}/holidays`, y.holidays, year, issues), ...dayIssues(`${base}/daysOff`, y.daysOff, year, issues)]);
  dayIssues(`${base}/workdays`, y.workdays, year, issues);
  (y.workdays ?? []).forEach((e, i) => {
    const at = `${base}/workdays/${i}/date`;
    if (issues.some((x) => x.path === at)) return;
    if (off.has(e.date)) {
      issues.push({ path: at, message: { vi: `Ngày ${e.date} vừa là ngày làm bù vừa là ngày nghỉ`, en: `${e.date} is both a swapped working day and a day off` } });
    } else if (!weekend.includes(new Date(`${e.date}T00:00:00Z`).getUTCDay())) {
      const wd = new Date(`${e.date}T00:00:00Z`).getUTCDay();
      issues.push({ path: at, message: {
        vi: `Ngày làm bù ${e.date} (${WEEKDAY_VI[wd]}) không phải ngày nghỉ hằng tuần`,
        en: `The swapped working day ${e.date} is not a weekly rest day`,
      } });
    }
  });
}

/** Where an engine RangeError points in the configuration, from its message. */
function pointerOf(message: string, config: CalendarConfig): string {
  const period = /workingHours\[(\d+)\](?:\.(start|end))?/.exec(message);
  if (period) return `/workingHours/${period[1]}${period[2] ? `/${period[2]}` : ''}`;
  if (message.startsWith('utcOffsetMinutes')) return '/utcOffsetMinutes';
  if (message.startsWith('workingHours')) return '/workingHours';
  if (message.startsWith('No working day')) return '/weekend';
  const date = /(\d{4}-\d{2}-\d{2}|\S+)$/.exec(message)?.[1];
  for (const [year, y] of Object.entries(config.years ?? {})) {
    for (const key of ['holidays', 'workdays', 'daysOff'] as const) {
      const i = (y[key] ?? []).findIndex((e) => e.date === date);
      if (i >= 0) return `/years/${year}/${key}/${i}/date`;
    }
  }
  return '';
}

/** Validates a whole configuration: field checks with pointers, then the engine must build it and every listed year. */
export function checkConfig(config: CalendarConfig, prefix = ''): void {
  const issues: Issue[] = [];
  if (config.weekend.length >= 7) issues.push({ path: `${prefix}/weekend`, message: { vi: 'Phải còn ít nhất một ngày làm việc trong tuần', en: 'At least one weekday must be worked' } });
  for (const [key, y] of Object.entries(config.years ?? {})) yearIssues(`${prefix}/years/${key}`, Number(key), y, config.weekend, issues);
  if (issues.length === 0) {
    try {
      const calendar = createCalendar(config);
      // Years are built lazily: build every listed year now, and one working day must be found.
      for (const key of Object.keys(config.years ?? {})) calendar.dayOffReason(`${key}-06-30`);
      calendar.addWorkingMinutes(Date.UTC(2026, 0, 1), 1);
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      issues.push({ path: `${prefix}${pointerOf(err.message, config)}`, message: { vi: `Cấu hình lịch không hợp lệ: ${err.message}`, en: `Invalid calendar: ${err.message}` } });
    }
  }
  if (issues.length > 0) throw invalid('CALENDAR_INVALID', { vi: 'Cấu hình lịch làm việc không hợp lệ', en: 'Invalid working calendar' }, issues);
}

async function save(deps: Deps, scope: string, config: CalendarConfig): Promise<void> {
  const updatedAt = deps.clock.now().toISOString();
  await saveCalendarRow(deps, scope, config, updatedAt);
  deps.directory.invalidateCalendars();
}

/** Replaces a scope's own configuration. */
export async function putCalendar(deps: Deps, user: AuthUser, scope: string, body: Static<typeof CalendarBody>): Promise<CalendarView> {
  await authorise(deps, user, scope, true);
  const config = body as CalendarConfig;
  checkConfig(config);
  await save(deps, scope, config);
  return effectiveCalendar(deps, user, scope);
}

/**
 * Replaces one year's decisions in a scope's own configuration; a scope without one starts
 * from the configuration it inherits.
 */
export async function putYear(deps: Deps, user: AuthUser, scope: string, year: number, body: Static<typeof YearBody>): Promise<CalendarView> {
  await authorise(deps, user, scope, true);
  const base = (await effectiveCalendar(deps, user, scope)).config;
  const config: CalendarConfig = { ...base, years: { ...(base.years ?? {}), [String(year)]: body as YearCalendar } };
  // Pointers are about the request body: the year's own fields.
  const issues: Issue[] = [];
  yearIssues('', year, body as YearCalendar, config.weekend, issues);
  if (issues.length > 0) throw invalid('CALENDAR_INVALID', { vi: 'Lịch năm không hợp lệ', en: 'Invalid year calendar' }, issues);
  checkConfig(config);
  await save(deps, scope, config);
  return effectiveCalendar(deps, user, scope);
}

/** Drops a unit's own configuration, so it inherits again. */
export async function deleteCalendar(deps: Deps, user: AuthUser, scope: string): Promise<void> {
  await authorise(deps, user, scope, true);
  if (!(await deleteCalendarRow(deps, scope))) throw notFound({ vi: 'lịch riêng của', en: 'own calendar for' }, scope);
  deps.directory.invalidateCalendars();
}

/** Every non-working day of a year in a scope, with its reason and kind, and the swapped working days. */
export async function yearDays(deps: Deps, user: AuthUser, scope: string, year: number) {
  const { config } = await effectiveCalendar(deps, user, scope);
  const calendar = createCalendar(config);
  const filed = (pick: (y: YearCalendar) => DayEntry[] | undefined): Set<string> => new Set([year - 1, year, year + 1]
    .flatMap((y) => pick(config.years?.[String(y)] ?? {}) ?? []).map((e) => e.date).filter((d) => d.startsWith(`${year}-`)));
  const holidays = filed((y) => y.holidays);
  const daysOff = filed((y) => y.daysOff);
  const statutory = config.statutoryDefaults !== false && !config.years?.[String(year)]?.replaceDefaults
    ? new Set(statutoryHolidays(year, config.weekend).map((e) => e.date)) : new Set<string>();
  const days: { date: string; weekday: number; reason: string; kind: 'weekend' | 'holiday' | 'statutory' | 'day-off' }[] = [];
  let workingDays = 0;
  for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 86_400_000) {
    const date = new Date(t).toISOString().slice(0, 10);
    const reason = calendar.dayOffReason(date);
    if (reason === null) {
      workingDays++;
      continue;
    }
    const kind = holidays.has(date) ? 'holiday' : statutory.has(date) ? 'statutory' : daysOff.has(date) ? 'day-off' : 'weekend';
    days.push({ date, weekday: new Date(t).getUTCDay(), reason, kind });
  }
  const workdays = [year - 1, year, year + 1].flatMap((y) => config.years?.[String(y)]?.workdays ?? [])
    .filter((e) => e.date.startsWith(`${year}-`)).sort((a, b) => a.date.localeCompare(b.date));
  return { scope, year, workingDays, days, workdays };
}

/** Scopes that have their own configuration, among those the administrator may see. */
export async function listCalendars(deps: Deps, user: AuthUser) {
  const scope = await adminScope(deps, user);
  const rows = await calendarRows(deps);
  return { items: rows.filter((r) => r.scope === PROVINCE || scope.has(r.scope)).map((r) => ({ scope: r.scope, updatedAt: iso(r.updatedAt) })) };
}
