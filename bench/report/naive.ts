/**
 * The same report the naive way: one GROUP BY over the `dossiers` table, every figure a
 * filtered count over the unit's dossiers (all of them: carried over needs the whole
 * history). The benchmark checks that it gives the very figures `buildReport` gives.
 */
import type pg from 'pg';
import { toCounts } from '../../server/src/stats/report';
import type { ReportCounts } from '../../server/src/stats/report-types';

/** Local day at UTC+7, as the server's calendar counts days. */
const day = (column: string): string => `((${column} at time zone 'UTC') + interval '7 hours')::date`;

/** Figures per field for the units over [from, to] (local dates), "now" for a period not yet over. */
export async function naiveReport(
  client: pg.Pool | pg.PoolClient, units: string[], from: string, to: string, now: Date,
): Promise<Map<string, ReportCounts>> {
  // F and E: the instants the first day starts and the day after the last one starts.
  const F = new Date(Date.parse(`${from}T00:00:00Z`) - 7 * 3_600_000).toISOString();
  const E = new Date(Date.parse(`${to}T00:00:00Z`) + 17 * 3_600_000).toISOString();
  const inPeriod = 'closed_at >= $2 and closed_at < $3';
  const openAtEnd = 'received_at < $3 and (closed_at is null or closed_at >= $3)';
  const resolved = `${inPeriod} and received_at is not null`;
  // Form II.06a: a withdrawn dossier is resolved on time, whatever its deadline.
  const timed = `${resolved} and outcome is distinct from 'withdrawn'`;
  const { rows } = await client.query<{
    k: string; carried: number; online: number; direct: number; postal: number; early: number; on_time: number; late: number;
    in_progress: number; overdue: number; refused: number; withdrawn: number; rating_count: number; rating_sum: number;
  }>(`
    select field as k,
      count(*) filter (where received_at < $2 and (closed_at is null or closed_at >= $2))::int as carried,
      count(*) filter (where received_at >= $2 and received_at < $3 and channel = 'online')::int as online,
      count(*) filter (where received_at >= $2 and received_at < $3 and channel not in ('online', 'postal'))::int as direct,
      count(*) filter (where received_at >= $2 and received_at < $3 and channel = 'postal')::int as postal,
      count(*) filter (where ${timed} and due_at is not null and closed_at <= due_at and ${day('closed_at')} < ${day('due_at')})::int as early,
      count(*) filter (where ${resolved} and (outcome = 'withdrawn' or due_at is null or (closed_at <= due_at and ${day('closed_at')} >= ${day('due_at')})))::int as on_time,
      count(*) filter (where ${timed} and due_at is not null and closed_at > due_at)::int as late,
      count(*) filter (where ${openAtEnd})::int as in_progress,
      count(*) filter (where ${openAtEnd} and due_at < least($3::timestamptz, $4::timestamptz))::int as overdue,
      count(*) filter (where ${inPeriod} and outcome = 'refused')::int as refused,
      count(*) filter (where ${inPeriod} and outcome = 'withdrawn')::int as withdrawn,
      count(*) filter (where ${inPeriod} and rating is not null)::int as rating_count,
      coalesce(sum(rating) filter (where ${inPeriod}), 0)::int as rating_sum
    from dossiers
    where competent_unit = any($1::text[])
    group by field`, [units, F, E, now.toISOString()]);
  return new Map(rows.map((r) => [r.k, toCounts({
    carriedOver: r.carried, online: r.online, direct: r.direct, postal: r.postal, early: r.early, onTime: r.on_time, late: r.late,
    inProgress: r.in_progress, overdue: r.overdue, refused: r.refused, withdrawn: r.withdrawn, ratingCount: r.rating_count, ratingSum: r.rating_sum,
    // the naive count reads dossier rows only; apologies live in the history and are not compared
    apologies: 0,
  })]));
}
