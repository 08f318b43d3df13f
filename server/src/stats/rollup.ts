import { sql } from 'drizzle-orm';
import { timeliness, type Calendar, type DossierEvent, type DossierSnapshot } from '@motcua/engine';
import type { Tx } from '../db/client';
import { statsDaily, statsSteps } from '../db/schema';

type DailyCounter = 'receivedOnline' | 'receivedDirect' | 'receivedPostal' | 'resolvedEarly' | 'resolvedOnTime' | 'resolvedLate'
  | 'refused' | 'withdrawn' | 'closedOther' | 'ratingCount' | 'ratingSum';

const COLUMN: { [k in DailyCounter]: string } = {
  receivedOnline: 'received_online', receivedDirect: 'received_direct', receivedPostal: 'received_postal',
  resolvedEarly: 'resolved_early', resolvedOnTime: 'resolved_on_time', resolvedLate: 'resolved_late',
  refused: 'refused', withdrawn: 'withdrawn', closedOther: 'closed_other', ratingCount: 'rating_count', ratingSum: 'rating_sum',
};

/** Adds to one day's counters of a unit and procedure (upsert: one row per unit × day × procedure). */
export async function bumpDaily(
  tx: Tx,
  key: { unit: string; day: string; procedureId: string; field: string },
  counts: Partial<{ [k in DailyCounter]: number }>,
): Promise<void> {
  const entries = Object.entries(counts).filter(([, v]) => v) as [DailyCounter, number][];
  if (entries.length === 0) return;
  const set: { [col: string]: unknown } = {};
  for (const [k] of entries) set[k] = sql.raw(`"stats_daily"."${COLUMN[k]}" + excluded."${COLUMN[k]}"`);
  await tx.insert(statsDaily).values({ ...key, ...Object.fromEntries(entries) })
    .onConflictDoUpdate({ target: [statsDaily.unit, statsDaily.day, statsDaily.procedureId], set });
}

/**
 * Counts what one committed change means for the reports, in the same transaction:
 * a dossier accepted (by channel), closed (early / on time / late, refused, withdrawn),
 * and the working time each left step took (for the bottleneck view).
 */
export async function bumpForTransition(
  tx: Tx,
  args: { before: DossierSnapshot | null; after: DossierSnapshot; events: DossierEvent[]; field: string; calendar: Calendar },
): Promise<void> {
  const { before, after, calendar } = args;
  const unit = after.routing.competent;
  const key = (at: string) => ({ unit, day: calendar.localDate(Date.parse(at)), procedureId: after.procedure.id, field: args.field });
  if (!before?.clock.receivedAt && after.clock.receivedAt) {
    const counter = after.channel === 'online' ? 'receivedOnline' : after.channel === 'postal' ? 'receivedPostal' : 'receivedDirect';
    await bumpDaily(tx, key(after.clock.receivedAt), { [counter]: 1 });
  }
  if (!before?.closedAt && after.closedAt) {
    const counts: Partial<{ [k in DailyCounter]: number }> = {};
    const t = timeliness(after, calendar);
    if (t) counts[t === 'early' ? 'resolvedEarly' : t === 'late' ? 'resolvedLate' : 'resolvedOnTime'] = 1;
    if (after.outcome === 'refused') counts.refused = 1;
    else if (after.outcome === 'withdrawn') counts.withdrawn = 1;
    else if (!t) counts.closedOther = 1;
    await bumpDaily(tx, key(after.closedAt), counts);
  }
  if (!before) return;
  for (const e of args.events) {
    if (e.type !== 'action.applied') continue;
    for (const stepId of e.from) {
      const step = before.active.find((a) => a.step === stepId);
      if (!step) continue;
      const minutes = Math.max(0, calendar.workingMinutesBetween(Date.parse(step.enteredAt), Date.parse(e.at)));
      const late = step.dueAt !== null && Date.parse(e.at) > Date.parse(step.dueAt) ? 1 : 0;
      await tx.insert(statsSteps).values({ unit: step.unit, day: calendar.localDate(Date.parse(e.at)), procedureId: after.procedure.id, step: stepId, count: 1, totalMinutes: minutes, lateCount: late })
        .onConflictDoUpdate({
          target: [statsSteps.unit, statsSteps.day, statsSteps.procedureId, statsSteps.step],
          set: {
            count: sql`${statsSteps.count} + 1`,
            totalMinutes: sql`${statsSteps.totalMinutes} + ${minutes}`,
            lateCount: sql`${statsSteps.lateCount} + ${late}`,
          },
        });
    }
  }
}
