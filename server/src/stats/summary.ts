/**
 * Today's figures for a dashboard, and the time each step takes (to find bottlenecks).
 * Open dossiers come from the partial indexes on open dossiers; everything else from the
 * rollups.
 */
import { sql } from 'drizzle-orm';
import { dueSoonHorizon, type Text } from '@motcua/engine';
import { checkPeriod, inList, monthStart, rows, unitScope, type StatsDeps } from './query';

export interface DashboardSummary {
  unit: { code: string; name: string; includesChildren: boolean };
  /** Instant and local day the figures are for. */
  asOf: string;
  today: string;
  /** Received dossiers not closed yet. */
  open: number;
  /** Open, less than one working day left (the handling agency must warn the desk). */
  dueSoon: number;
  /** Open, past the appointment. */
  overdue: number;
  /** Open, clock paused waiting for the citizen's supplement. */
  waitingCitizen: number;
  /** Submitted but not accepted yet (an online or postal dossier waiting at the desk). */
  awaitingIntake: number;
  receivedToday: number;
  resolvedToday: number;
  /** This month to date: resolved, share early or on time (null when none), satisfaction. */
  month: { from: string; to: string; resolved: number; onTimeRate: number | null };
  satisfaction: { count: number; average: number | null };
}

/** The dashboard's numbers for a unit (and its children when asked). */
export async function buildSummary(deps: StatsDeps, options: { unit: string; includeChildren: boolean }): Promise<DashboardSummary> {
  const scope = await unitScope(deps, options.unit, options.includeChildren);
  const calendar = await deps.directory.calendar(options.unit);
  const now = deps.clock.now();
  const today = calendar.localDate(now.getTime());
  const month = monthStart(today);
  const soon = new Date(dueSoonHorizon(now.getTime(), calendar)).toISOString();
  const nowIso = now.toISOString();

  const [[live], [daily]] = await Promise.all([
    rows<{ open: number; due_soon: number; overdue: number; paused: number; awaiting: number }>(deps.db, sql`
      select count(*) filter (where received_at is not null)::int as open,
        count(*) filter (where due_at >= ${nowIso}::timestamptz and due_at < ${soon}::timestamptz)::int as due_soon,
        count(*) filter (where due_at < ${nowIso}::timestamptz)::int as overdue,
        count(*) filter (where received_at is not null and due_at is null)::int as paused,
        count(*) filter (where received_at is null)::int as awaiting
      from dossiers where ${inList(sql`competent_unit`, scope.units)} and closed_at is null`),
    rows<{ received_today: number; resolved_today: number; resolved: number; on_time: number; rating_count: number; rating_sum: number }>(deps.db, sql`
      select
        coalesce(sum(received_online + received_direct + received_postal) filter (where day = ${today}::date), 0)::int as received_today,
        coalesce(sum(resolved_early + resolved_on_time + resolved_late) filter (where day = ${today}::date), 0)::int as resolved_today,
        coalesce(sum(resolved_early + resolved_on_time + resolved_late), 0)::int as resolved,
        coalesce(sum(resolved_early + resolved_on_time), 0)::int as on_time,
        coalesce(sum(rating_count), 0)::int as rating_count,
        coalesce(sum(rating_sum), 0)::int as rating_sum
      from stats_daily where ${inList(sql`unit`, scope.units)} and day >= ${month}::date and day <= ${today}::date`),
  ]);
  const resolved = daily?.resolved ?? 0;
  const ratings = daily?.rating_count ?? 0;
  return {
    unit: { code: options.unit, name: scope.name, includesChildren: options.includeChildren },
    asOf: nowIso,
    today,
    open: live?.open ?? 0,
    dueSoon: live?.due_soon ?? 0,
    overdue: live?.overdue ?? 0,
    waitingCitizen: live?.paused ?? 0,
    awaitingIntake: live?.awaiting ?? 0,
    receivedToday: daily?.received_today ?? 0,
    resolvedToday: daily?.resolved_today ?? 0,
    month: { from: month, to: today, resolved, onTimeRate: resolved === 0 ? null : (daily?.on_time ?? 0) / resolved },
    satisfaction: { count: ratings, average: ratings === 0 ? null : (daily?.rating_sum ?? 0) / ratings },
  };
}

export interface BottleneckStep {
  procedureId: string;
  procedureCode: string | null;
  procedureName: string | null;
  step: string;
  stepName: Text | null;
  /** The step's kind: a `wait-citizen` step measures the citizen's time, not the agency's. */
  stepKind: string | null;
  /** Times the step was left in the period. */
  count: number;
  /** Average working minutes spent in the step, and the same in working days. */
  averageMinutes: number;
  averageWorkingDays: number;
  /** Share of passes that overran the step's own deadline (0 when the step has none). */
  lateShare: number;
}

/**
 * Per procedure step: passes, average working time, share late — worst first (longest
 * average, then largest late share, then most passes), from `stats_steps` over the period.
 */
export async function buildBottlenecks(
  deps: StatsDeps,
  options: { unit: string; includeChildren: boolean; from: string; to: string; procedureId?: string },
): Promise<{ unit: { code: string; name: string; includesChildren: boolean }; period: { from: string; to: string }; steps: BottleneckStep[] }> {
  checkPeriod(options.from, options.to);
  const scope = await unitScope(deps, options.unit, options.includeChildren);
  const calendar = await deps.directory.calendar(options.unit);
  const found = await rows<{ procedure_id: string; step: string; count: number; minutes: number; late: number; code: string | null; name: string | null }>(deps.db, sql`
    select s.procedure_id, s.step, sum(s.count)::int as count, sum(s.total_minutes)::float8 as minutes, sum(s.late_count)::int as late,
      min(p.code) as code, min(p.name) as name
    from stats_steps s left join procedures p on p.id = s.procedure_id
    where ${inList(sql`s.unit`, scope.units)} and s.day >= ${options.from}::date and s.day <= ${options.to}::date
      ${options.procedureId ? sql`and s.procedure_id = ${options.procedureId}` : sql``}
    group by s.procedure_id, s.step
    having sum(s.count) > 0`);

  // Step names and kinds from the latest published (or retired) version of each procedure.
  const ids = [...new Set(found.map((r) => r.procedure_id))];
  const versions = ids.length === 0 ? [] : await rows<{ procedure_id: string; version: number }>(deps.db, sql`
    select procedure_id, max(version)::int as version from procedure_versions
    where ${inList(sql`procedure_id`, ids)} and status in ('published', 'retired') group by procedure_id`);
  const defs = new Map<string, { name: Text; kind: string }>();
  for (const v of versions) {
    const proc = await deps.directory.procedure(v.procedure_id, v.version);
    for (const [id, step] of proc?.steps ?? []) defs.set(`${v.procedure_id}/${id}`, step.def);
  }

  const steps = found.map((r): BottleneckStep => {
    const average = r.minutes / r.count;
    return {
      procedureId: r.procedure_id, procedureCode: r.code, procedureName: r.name,
      step: r.step, stepName: defs.get(`${r.procedure_id}/${r.step}`)?.name ?? null, stepKind: defs.get(`${r.procedure_id}/${r.step}`)?.kind ?? null,
      count: r.count,
      averageMinutes: Math.round(average * 10) / 10,
      averageWorkingDays: Math.round((average / calendar.minutesPerDay) * 100) / 100,
      lateShare: r.late / r.count,
    };
  }).sort((a, b) => b.averageMinutes - a.averageMinutes || b.lateShare - a.lateShare || b.count - a.count);
  return {
    unit: { code: options.unit, name: scope.name, includesChildren: options.includeChildren },
    period: { from: options.from, to: options.to },
    steps,
  };
}
