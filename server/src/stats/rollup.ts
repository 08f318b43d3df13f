import { sql } from 'drizzle-orm';
import { timeliness, type Calendar, type DossierEvent, type DossierSnapshot } from '@motcua/engine';
import type { Tx } from '../db/client';
import { STATS_SHARD, statsDaily, statsMonthly } from '../db/schema';

export type DailyCounter = 'receivedOnline' | 'receivedDirect' | 'receivedPostal' | 'resolvedEarly' | 'resolvedOnTime' | 'resolvedLate'
  | 'refused' | 'withdrawn' | 'closedOther' | 'ratingCount' | 'ratingSum' | 'apologies';

/** Every daily counter with its column, in the column order of `stats_daily`. */
export const DAILY_COLUMNS: { readonly [k in DailyCounter]: string } = {
  receivedOnline: 'received_online', receivedDirect: 'received_direct', receivedPostal: 'received_postal',
  resolvedEarly: 'resolved_early', resolvedOnTime: 'resolved_on_time', resolvedLate: 'resolved_late',
  refused: 'refused', withdrawn: 'withdrawn', closedOther: 'closed_other', ratingCount: 'rating_count', ratingSum: 'rating_sum',
  apologies: 'apologies',
};
export const DAILY_COUNTERS = Object.keys(DAILY_COLUMNS) as DailyCounter[];

export type DailyCounts = Partial<{ [k in DailyCounter]: number }>;
export interface DailyKey { unit: string; day: string; procedureId: string; field: string }
export interface DailyBump { key: DailyKey; counts: DailyCounts }
export interface StepBump { unit: string; day: string; procedureId: string; step: string; count: number; totalMinutes: number; lateCount: number }

/** The first day of the month of a local date. */
export const monthOf = (day: string): string => `${day.slice(0, 7)}-01`;

/**
 * Adds to one day's counters of a unit and procedure, and to its month's (upserts: one row
 * per unit × day × procedure × shard, one per unit × month × procedure × shard).
 */
export async function bumpDaily(tx: Tx, key: DailyKey, counts: DailyCounts): Promise<void> {
  const entries = Object.entries(counts).filter(([, v]) => v) as [DailyCounter, number][];
  if (entries.length === 0) return;
  const add = (table: string) => Object.fromEntries(entries.map(([k]) => [k, sql.raw(`"${table}"."${DAILY_COLUMNS[k]}" + excluded."${DAILY_COLUMNS[k]}"`)]));
  const shard = sql.raw(STATS_SHARD);
  await tx.insert(statsDaily).values({ ...key, ...Object.fromEntries(entries), shard })
    .onConflictDoUpdate({ target: [statsDaily.unit, statsDaily.day, statsDaily.procedureId, statsDaily.shard], set: add('stats_daily') });
  const { day, ...rest } = key;
  await tx.insert(statsMonthly).values({ ...rest, month: monthOf(day), ...Object.fromEntries(entries), shard })
    .onConflictDoUpdate({ target: [statsMonthly.unit, statsMonthly.month, statsMonthly.procedureId, statsMonthly.shard], set: add('stats_monthly') });
}

/** Daily bumps summed per month (the key's `day` becomes the month's first day): one upsert per row. */
export function perMonth(daily: DailyBump[]): DailyBump[] {
  const months = new Map<string, DailyBump>();
  for (const { key, counts } of daily) {
    const month = monthOf(key.day);
    let m = months.get(month);
    if (!m) months.set(month, (m = { key: { ...key, day: month }, counts: {} }));
    for (const [k, v] of Object.entries(counts) as [DailyCounter, number][]) m.counts[k] = (m.counts[k] ?? 0) + v;
  }
  return [...months.values()];
}

/**
 * Which resolved counter a closure of a received dossier bumps. Form II.06a counts a
 * dossier withdrawn by the citizen as resolved on time, whatever its deadline said
 * (docs/domain.md, Reports: "on time (including those waiting for supplement and those
 * withdrawn)"); every other closure by the engine's timeliness.
 */
export function resolvedCounter(s: DossierSnapshot, calendar: Calendar): 'resolvedEarly' | 'resolvedOnTime' | 'resolvedLate' | null {
  const t = timeliness(s, calendar);
  if (t === null) return null;
  if (s.outcome === 'withdrawn') return 'resolvedOnTime';
  return t === 'early' ? 'resolvedEarly' : t === 'late' ? 'resolvedLate' : 'resolvedOnTime';
}

/**
 * What one committed change means for the reports, computed without the database so the
 * caller writes it in the same statement or transaction as the change: a dossier accepted
 * (by channel), closed (early / on time / late, refused, withdrawn), and the working time
 * each left step took (for the bottleneck view). Bumps of one row are merged: a statement
 * may not upsert one row twice.
 */
export function rollupsFor(
  args: { before: DossierSnapshot | null; after: DossierSnapshot; events: DossierEvent[]; field: string; calendar: Calendar },
): { daily: DailyBump[]; steps: StepBump[] } {
  const { before, after, calendar } = args;
  const unit = after.routing.competent;
  const daily = new Map<string, DailyBump>();
  const bump = (at: string, counts: DailyCounts): void => {
    const day = calendar.localDate(Date.parse(at));
    let d = daily.get(day);
    if (!d) daily.set(day, (d = { key: { unit, day, procedureId: after.procedure.id, field: args.field }, counts: {} }));
    for (const [k, v] of Object.entries(counts) as [DailyCounter, number][]) d.counts[k] = (d.counts[k] ?? 0) + v;
  };
  if (!before?.clock.receivedAt && after.clock.receivedAt) {
    bump(after.clock.receivedAt, { [after.channel === 'online' ? 'receivedOnline' : after.channel === 'postal' ? 'receivedPostal' : 'receivedDirect']: 1 });
  }
  if (!before?.closedAt && after.closedAt) {
    const counts: DailyCounts = {};
    const resolved = resolvedCounter(after, calendar);
    if (resolved) counts[resolved] = 1;
    if (after.outcome === 'refused') counts.refused = 1;
    else if (after.outcome === 'withdrawn') counts.withdrawn = 1;
    else if (!resolved) counts.closedOther = 1;
    bump(after.closedAt, counts);
  }
  // An apology (form 04) counts on the day it is issued; lawful extra time is not one (docs/records.md).
  const apologised = after.clock.extensions - (before?.clock.extensions ?? 0);
  const last = args.events.at(-1);
  if (apologised > 0 && last) bump(last.at, { apologies: apologised });
  const steps = new Map<string, StepBump>();
  if (before) {
    for (const e of args.events) {
      if (e.type !== 'action.applied') continue;
      for (const stepId of e.from) {
        const step = before.active.find((a) => a.step === stepId);
        if (!step) continue;
        const minutes = Math.max(0, calendar.workingMinutesBetween(Date.parse(step.enteredAt), Date.parse(e.at)));
        const late = step.dueAt !== null && Date.parse(e.at) > Date.parse(step.dueAt) ? 1 : 0;
        const day = calendar.localDate(Date.parse(e.at));
        const k = `${step.unit}\u0000${day}\u0000${stepId}`;
        const s = steps.get(k);
        if (s) { s.count += 1; s.totalMinutes += minutes; s.lateCount += late; }
        else steps.set(k, { unit: step.unit, day, procedureId: after.procedure.id, step: stepId, count: 1, totalMinutes: minutes, lateCount: late });
      }
    }
  }
  return { daily: [...daily.values()].filter((d) => Object.values(d.counts).some((v) => v)), steps: [...steps.values()] };
}
