/**
 * The periodic report "results of handling procedures" (form II.06a) of a unit (with its
 * children) over a period, per field or per procedure — from the rollups, never from a
 * scan of all dossiers.
 *
 * What the rollups hold (see rollup.ts), per competent unit × local day × procedure, and the
 * same summed per month (`stats_monthly`: a period's whole months are read from it, the
 * days before and after them from `stats_daily`):
 * - `received_*`: a dossier accepted that day (its legal clock started), by channel;
 * - `resolved_*`: a dossier that had been received closed that day, by timeliness — except a
 *   withdrawal, always on time (form II.06a counts "on time, including those withdrawn"). Every
 *   closure of a received dossier bumps exactly one of them, whatever the outcome: an
 *   approval, a rejection, a withdrawal after acceptance (it also bumps `withdrawn`), a
 *   refusal after acceptance (also `refused`) or a stop (nothing else);
 * - `refused`, `withdrawn`, `closed_other`: the outcome of every closure, including those
 *   of dossiers never received (refused at intake: form 03; withdrawn or stopped before
 *   acceptance), which bump no `resolved_*` counter.
 *
 * Formulas, with R(d) = received_online + received_direct + received_postal and
 * C(d) = resolved_early + resolved_on_time + resolved_late on day d:
 * - received new (online, direct, postal) = Σ R over [from, to];
 * - carried over = Σ R(d < from) − Σ C(d < from): dossiers received before the period and
 *   not closed before it. Only C is subtracted: a closure of a received dossier is counted
 *   once in C, and `refused` / `withdrawn` / `closed_other` either repeat a closure already
 *   in C or close a dossier that never entered R (a refusal at intake);
 * - resolved early / on time / late = Σ over [from, to];
 * - in progress at the end = carried over + received new − resolved, i.e. `received.total
 *   − resolved.total` exactly as the form adds up;
 * - refused, withdrawn = Σ over [from, to] (they include closures of never-received dossiers);
 * - on-time rate = (early + on time) ÷ resolved; late rate = (overdue in progress + late
 *   resolved) ÷ (received new + carried over); satisfaction = Σ rating_sum ÷ Σ rating_count.
 *
 * The dossiers in progress at the end are also a set one can read directly — received
 * before the end of the period E (the start of the day after `to`, local time) and not
 * closed before E — and that set is what the split needs anyway:
 * - a period that ends today or later: the received dossiers open now, read through the
 *   partial index on open dossiers (`closed_at is null`); overdue when the lawful appointment (`LAWFUL_DUE`) < now;
 * - a past period: open now and received before E (the same partial index) plus closed at
 *   or after E and received before E (a range of the index `dossiers_closed_idx`, whose key
 *   also holds received_at, due_at, field and procedure_id so the rows need not be read:
 *   the work grows with the closures since the period ended, never with the whole table);
 *   overdue when the lawful appointment < E: slip 01 plus lawful extra time, never a date
 *   an apology moved (docs/records.md); a pause decided after E shifts it.
 * A clock paused for a supplement (`due_at` null) counts within the deadline, as the form
 * says; within deadline = in progress − overdue.
 *
 * Evaluating "carried over" literally needs every rollup row before `from`, which grows
 * with the age of the system. Since every received dossier is either closed (once in C) or
 * open, the two sides agree: carried over = in progress at the end − Σ R + Σ C over the
 * period. The report reads it that way (`forward`, the default), so it touches only the
 * period's rollup rows and the dossiers open at its end; `backward` evaluates the literal
 * formula from the rollups before `from` (and in progress from it); the tests check both
 * give the same figures, and the benchmark checks them against a GROUP BY over all dossiers.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { ReportCounts, ReportGroupBy, ReportRow, StatisticsReport } from './report-types';
import { addDays, checkPeriod, inList, monthStart, rows, startOfLocalDay, unitScope, type StatsDeps } from './query';

export interface ReportOptions {
  unit: string;
  /** Count the units below `unit` too. */
  includeChildren: boolean;
  /** Local dates "YYYY-MM-DD", both inclusive. */
  from: string;
  to: string;
  /** `unit`: one row per competent unit of the scope (each commune of a province, each agency). */
  groupBy: ReportGroupBy;
  /** Only this procedure (id). */
  procedureId?: string;
  /** Only this field. */
  field?: string;
  /**
   * How carried over is evaluated (see the module comment): `forward` (the default) from
   * the dossiers in progress at the end of the period; `backward` from the rollups before
   * `from`, for checking one against the other.
   */
  strategy?: 'forward' | 'backward';
}

/** The raw figures of one row, before totals and rates. */
export interface ReportFigures {
  carriedOver: number;
  online: number;
  direct: number;
  postal: number;
  early: number;
  onTime: number;
  late: number;
  inProgress: number;
  overdue: number;
  refused: number;
  withdrawn: number;
  apologies: number;
  ratingCount: number;
  ratingSum: number;
}

const zero = (): ReportFigures => ({
  carriedOver: 0, online: 0, direct: 0, postal: 0, early: 0, onTime: 0, late: 0, inProgress: 0, overdue: 0,
  refused: 0, withdrawn: 0, apologies: 0, ratingCount: 0, ratingSum: 0,
});

/**
 * The date lateness is judged against: the receipt slip's appointment plus lawful extra time
 * (the snapshot's `lawfulDueAt`), never a date an apology moved; `due_at` for snapshots stored
 * before it existed (docs/records.md).
 */
export const LAWFUL_DUE = sql.raw(`coalesce((snapshot->'clock'->>'lawfulDueAt')::timestamptz, due_at)`);

/** Figures of a row as the form shows them, totals and rates derived. */
export function toCounts(a: ReportFigures): ReportCounts {
  const receivedTotal = a.carriedOver + a.online + a.direct + a.postal;
  const resolvedTotal = a.early + a.onTime + a.late;
  return {
    received: { total: receivedTotal, carriedOver: a.carriedOver, online: a.online, direct: a.direct, postal: a.postal },
    resolved: { total: resolvedTotal, early: a.early, onTime: a.onTime, late: a.late },
    inProgress: { total: a.inProgress, withinDeadline: a.inProgress - a.overdue, overdue: a.overdue },
    refused: a.refused,
    withdrawn: a.withdrawn,
    apologies: a.apologies,
    onTimeRate: resolvedTotal === 0 ? null : (a.early + a.onTime) / resolvedTotal,
    lateRate: receivedTotal === 0 ? null : (a.overdue + a.late) / receivedTotal,
    satisfaction: { count: a.ratingCount, average: a.ratingCount === 0 ? null : a.ratingSum / a.ratingCount },
  };
}

interface AtEndRow {
  k: string;
  in_progress: number;
  overdue: number;
}

interface DailyRow {
  k: string;
  online: number; direct: number; postal: number;
  early: number; on_time: number; late: number;
  refused: number; withdrawn: number; rating_count: number; rating_sum: number; apologies: number;
}

/** The statistics report; see the module comment for every formula. */
export async function buildReport(deps: StatsDeps, options: ReportOptions): Promise<StatisticsReport> {
  const { from, to, groupBy } = options;
  checkPeriod(from, to);
  const scope = await unitScope(deps, options.unit, options.includeChildren);
  const calendar = await deps.directory.calendar(options.unit);
  const now = deps.clock.now();
  const today = calendar.localDate(now.getTime());
  const live = to >= today;

  // Both tables name these columns alike.
  const only = filters(options);
  // The rollups name the competent unit `unit`, the dossiers `competent_unit`.
  const key = groupBy === 'field' ? sql`field` : groupBy === 'procedure' ? sql`procedure_id` : sql`unit`;
  const dossierKey = groupBy === 'unit' ? sql`competent_unit` : key;
  const unitsDaily = inList(sql`unit`, scope.units);
  const unitsDossiers = inList(sql`competent_unit`, scope.units);

  const strategy = options.strategy ?? 'forward';
  // The end of the period, or now when the period reaches today.
  const end = live ? now.toISOString() : startOfLocalDay(calendar, addDays(to, 1)).toISOString();

  // Whole months of the period from the monthly rollups, the days before and after them from the daily ones.
  const parts = periodParts(from, to);
  const counters = sql`${key} as k, received_online, received_direct, received_postal, resolved_early, resolved_on_time, resolved_late,
      refused, withdrawn, rating_count, rating_sum, apologies`;
  const sources: SQL[] = [
    ...parts.days.map(([a, b]) => sql`select ${counters} from stats_daily where ${unitsDaily} and day >= ${a}::date and day <= ${b}::date${only}`),
    ...(parts.months ? [sql`select ${counters} from stats_monthly where ${unitsDaily} and month >= ${parts.months[0]}::date and month <= ${parts.months[1]}::date${only}`] : []),
  ];
  const daily = rows<DailyRow>(deps.db, sql`
    select k,
      sum(received_online)::int as online, sum(received_direct)::int as direct, sum(received_postal)::int as postal,
      sum(resolved_early)::int as early, sum(resolved_on_time)::int as on_time, sum(resolved_late)::int as late,
      sum(refused)::int as refused, sum(withdrawn)::int as withdrawn,
      sum(rating_count)::int as rating_count, sum(rating_sum)::int as rating_sum, sum(apologies)::int as apologies
    from (${sql.join(sources, sql` union all `)}) x
    group by 1`);
  const history = strategy === 'backward'
    ? rows<{ k: string; balance: number }>(deps.db, sql`
        select ${key} as k,
          sum(received_online + received_direct + received_postal - resolved_early - resolved_on_time - resolved_late)::int as balance
        from stats_daily
        where ${unitsDaily} and day < ${from}::date${only}
        group by 1`)
    : Promise.resolve([]);

  // In progress at the end, and overdue then: see the module comment.
  const received = live ? sql`true` : sql`received_at < ${end}::timestamptz`;
  const openNow = rows<AtEndRow>(deps.db, sql`
    select ${dossierKey} as k, count(*) filter (where ${received})::int as in_progress,
      count(*) filter (where ${LAWFUL_DUE} < ${end}::timestamptz)::int as overdue
    from dossiers
    where ${unitsDossiers} and closed_at is null and received_at is not null${only}
    group by 1`);
  const closedSince = live
    ? Promise.resolve([])
    : rows<AtEndRow>(deps.db, sql`
        select ${dossierKey} as k, count(*)::int as in_progress, count(*) filter (where ${LAWFUL_DUE} < ${end}::timestamptz)::int as overdue
        from dossiers
        where ${unitsDossiers} and closed_at >= ${end}::timestamptz and received_at < ${end}::timestamptz${only}
        group by 1`);

  const [dailyRows, historyRows, openRows, closedRows] = await Promise.all([daily, history, openNow, closedSince]);

  const accs = new Map<string, ReportFigures>();
  const acc = (k: string): ReportFigures => {
    let a = accs.get(k);
    if (!a) accs.set(k, (a = zero()));
    return a;
  };
  for (const r of dailyRows) {
    const a = acc(r.k);
    a.online = r.online; a.direct = r.direct; a.postal = r.postal;
    a.early = r.early; a.onTime = r.on_time; a.late = r.late;
    a.refused = r.refused; a.withdrawn = r.withdrawn; a.ratingCount = r.rating_count; a.ratingSum = r.rating_sum;
    a.apologies = r.apologies;
  }
  for (const r of [...openRows, ...closedRows]) {
    const a = acc(r.k);
    a.inProgress += r.in_progress;
    a.overdue += r.overdue;
  }
  for (const r of historyRows) acc(r.k).carriedOver = r.balance;
  for (const a of accs.values()) {
    const net = a.online + a.direct + a.postal - (a.early + a.onTime + a.late);
    if (strategy === 'forward') a.carriedOver = a.inProgress - net;
    else a.inProgress = a.carriedOver + net;
  }

  const kept = [...accs.entries()].filter(([, a]) => Object.values(a).some((v) => v !== 0));
  const labels = groupBy === 'procedure' ? await procedureLabels(deps, kept.map(([k]) => k))
    : groupBy === 'unit' ? await unitLabels(deps, kept.map(([k]) => k))
    : new Map<string, { key: string; label: string }>();
  const reportRows: ReportRow[] = kept
    .map(([k, a]) => ({ ...(labels.get(k) ?? { key: k, label: k }), ...toCounts(a) }))
    .sort((x, y) => (groupBy === 'field' ? 0 : x.key.localeCompare(y.key)) || x.label.localeCompare(y.label, 'vi'));

  const total = zero();
  for (const [, a] of kept) for (const f of Object.keys(total) as (keyof ReportFigures)[]) total[f] += a[f];

  return {
    unit: { code: options.unit, name: scope.name, includesChildren: options.includeChildren },
    period: { from, to },
    groupBy,
    rows: reportRows,
    total: toCounts(total),
    generatedAt: now.toISOString(),
  };
}

/**
 * A period as the rollups read it: the whole months inside it (first days of the first and
 * last, from `stats_monthly`) and the ranges of days before and after them (from `stats_daily`).
 */
export function periodParts(from: string, to: string): { months: [string, string] | null; days: [string, string][] } {
  const firstWhole = from.endsWith('-01') ? from : addMonths(monthStart(from), 1);
  const afterLast = addMonths(monthStart(to), 1);
  const lastWhole = addDays(afterLast, -1) === to ? monthStart(to) : addMonths(monthStart(to), -1);
  if (firstWhole > lastWhole) return { months: null, days: [[from, to]] };
  const days: [string, string][] = [];
  if (from < firstWhole) days.push([from, addDays(firstWhole, -1)]);
  const afterWhole = addMonths(lastWhole, 1);
  if (afterWhole <= to) days.push([afterWhole, to]);
  return { months: [firstWhole, lastWhole], days };
}

/** The first day of the month `n` months after the month of a first day "YYYY-MM-01". */
function addMonths(first: string, n: number): string {
  const total = Number(first.slice(0, 4)) * 12 + Number(first.slice(5, 7)) - 1 + n;
  return `${String(Math.floor(total / 12)).padStart(4, '0')}-${String((total % 12) + 1).padStart(2, '0')}-01`;
}

/**
 * Internal procedures (coordination between agencies, `catalog.internal`) are not received from
 * citizens: form II.06a leaves them out entirely. A procedure with any non-draft internal version
 * is one: coordination procedures do not turn public.
 */
export const NOT_INTERNAL = sql` and procedure_id not in (select procedure_id from procedure_versions where status <> 'draft' and definition->'catalog'->>'internal' = 'true')`;

function filters(options: { procedureId?: string; field?: string }): SQL {
  const parts: SQL[] = [NOT_INTERNAL];
  if (options.procedureId) parts.push(sql` and procedure_id = ${options.procedureId}`);
  if (options.field) parts.push(sql` and field = ${options.field}`);
  return sql.join(parts, sql``);
}

/** Unit names per code, from the directory. */
async function unitLabels(deps: StatsDeps, codes: string[]): Promise<Map<string, { key: string; label: string }>> {
  const out = new Map<string, { key: string; label: string }>();
  for (const code of codes) out.set(code, { key: code, label: (await deps.directory.unit(code))?.name ?? code });
  return out;
}

/** "1.004873 – Cấp Giấy xác nhận tình trạng hôn nhân" per procedure id; the key is the national code. */
async function procedureLabels(deps: StatsDeps, ids: string[]): Promise<Map<string, { key: string; label: string }>> {
  if (ids.length === 0) return new Map();
  const found = await rows<{ id: string; code: string; name: string }>(deps.db,
    sql`select id, code, name from procedures where ${inList(sql`id`, ids)}`);
  return new Map(found.map((p) => [p.id, { key: p.code, label: `${p.code} – ${p.name}` }]));
}
