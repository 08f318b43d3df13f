/**
 * Recomputes the daily rollups from the dossier rows, in one statement: for data loaded
 * outside the server (a migration from an older system, a benchmark's generated data) or
 * to check that the rollups kept in each transaction still agree with the dossiers.
 *
 * It counts what `bumpForTransition` counts, from the columns the dossier row keeps:
 * received by channel on the local day of `received_at`; each closure on the local day of
 * `closed_at`, timed like the engine's `timeliness` (late when closed after `due_at`,
 * early when on an earlier local day than `due_at`, otherwise on time, and on time when
 * received with no appointment; a withdrawal of a received dossier always on time, as
 * form II.06a counts it), plus refused / withdrawn / other by outcome for every
 * closure, and the apologies (form 04) on the day each was issued. Ratings are counted on the day of the closure: the row does not keep when the
 * citizen rated. Step times (`stats_steps`) need the history and are not rebuilt here.
 */
import { sql } from 'drizzle-orm';
import { VN_UTC_OFFSET_MINUTES } from '@motcua/engine';
import type { Db } from '../db/client';
import { inList } from './query';

/** Local day of a timestamptz column at a fixed UTC offset (Vietnam: +420 minutes all year). */
const localDay = (column: string, offsetMinutes: number) =>
  sql.raw(`((${column} at time zone 'UTC') + interval '${Math.trunc(offsetMinutes)} minutes')::date`);

/** Replaces the daily and monthly rollups of the given competent units (all units when omitted) with counts from the dossiers. */
export async function rebuildStatsDaily(db: Db, options: { units?: string[]; utcOffsetMinutes?: number } = {}): Promise<void> {
  const offset = options.utcOffsetMinutes ?? VN_UTC_OFFSET_MINUTES;
  const only = options.units ? sql` and ${inList(sql`competent_unit`, options.units)}` : sql``;
  const closed = localDay('closed_at', offset);
  // Lateness is judged against slip 01 plus lawful extra time, never a date an apology moved (docs/records.md).
  const dueCol = `coalesce((snapshot->'clock'->>'lawfulDueAt')::timestamptz, due_at)`;
  const due = localDay(dueCol, offset);
  const dueAt = sql.raw(dueCol);
  // A withdrawn dossier counts as resolved on time, whatever its deadline (form II.06a).
  const kept = sql.raw(`outcome is distinct from 'withdrawn'`);
  await db.transaction(async (tx) => {
    await tx.execute(options.units ? sql`delete from stats_daily where ${inList(sql`unit`, options.units)}` : sql`delete from stats_daily`);
    await tx.execute(sql`
      insert into stats_daily (unit, day, procedure_id, field, received_online, received_direct, received_postal,
        resolved_early, resolved_on_time, resolved_late, refused, withdrawn, closed_other, rating_count, rating_sum, apologies)
      select unit, day, procedure_id, min(field), sum(ro), sum(rd), sum(rp), sum(re), sum(rt), sum(rl), sum(rf), sum(wd), sum(co), sum(rc), sum(rs), sum(ap)
      from (
        select competent_unit as unit, ${localDay('received_at', offset)} as day, procedure_id, field,
          (channel = 'online')::int as ro, (channel not in ('online', 'postal'))::int as rd, (channel = 'postal')::int as rp,
          0 as re, 0 as rt, 0 as rl, 0 as rf, 0 as wd, 0 as co, 0 as rc, 0 as rs, 0 as ap
        from dossiers where received_at is not null${only}
        union all
        -- each apology on the day it was issued; the log keeps no intent, so this relies on the
        -- catalog's convention that the apology action is named "extend" (docs/records.md)
        select d.competent_unit, ${localDay('h.at', offset)}, d.procedure_id, d.field, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1
        from dossier_events h join dossiers d on d.id = h.dossier_id
        where h.type = 'action.applied' and h.payload->>'action' = 'extend'${only}
        union all
        select competent_unit, ${closed}, procedure_id, field, 0, 0, 0,
          (received_at is not null and ${kept} and ${dueAt} is not null and closed_at <= ${dueAt} and ${closed} < ${due})::int,
          (received_at is not null and (not ${kept} or ${dueAt} is null or (closed_at <= ${dueAt} and ${closed} >= ${due})))::int,
          (received_at is not null and ${kept} and ${dueAt} is not null and closed_at > ${dueAt})::int,
          (outcome = 'refused')::int,
          (outcome = 'withdrawn')::int,
          (received_at is null and coalesce(outcome, '') not in ('refused', 'withdrawn'))::int,
          (rating is not null)::int,
          coalesce(rating, 0),
          0
        from dossiers where closed_at is not null${only}
      ) x
      group by unit, day, procedure_id
      -- in the order a live system writes them: day by day
      order by day, unit, procedure_id`);
    // The monthly counts are the daily ones summed.
    await tx.execute(options.units ? sql`delete from stats_monthly where ${inList(sql`unit`, options.units)}` : sql`delete from stats_monthly`);
    await tx.execute(sql`
      insert into stats_monthly (unit, month, procedure_id, field, received_online, received_direct, received_postal,
        resolved_early, resolved_on_time, resolved_late, refused, withdrawn, closed_other, rating_count, rating_sum, apologies)
      select unit, date_trunc('month', day)::date, procedure_id, min(field), sum(received_online), sum(received_direct), sum(received_postal),
        sum(resolved_early), sum(resolved_on_time), sum(resolved_late), sum(refused), sum(withdrawn), sum(closed_other), sum(rating_count), sum(rating_sum),
        sum(apologies)
      from stats_daily where true${options.units ? sql` and ${inList(sql`unit`, options.units)}` : sql``}
      group by 1, 2, 3
      order by 2, 1, 3`);
  });
}
