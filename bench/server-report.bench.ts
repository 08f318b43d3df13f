/**
 * The statistics report at 1,000,000 dossiers on the PostgreSQL server: `buildReport` (from
 * the rollups, plus the partial index on open dossiers) against a naive GROUP BY over the
 * `dossiers` table computing the same figures, in the same run on the same data. Both must
 * agree to the last figure, or the benchmark fails.
 *
 * Data (see `report/generate.ts`): a fresh database `motcua_bench_report` (dropped at the
 * end), migrated by `openDatabase`; one province, 100 communes, 400 procedures over 20
 * fields, two years of dossiers generated in SQL, the daily and monthly rollups rebuilt from them.
 * Timed: a quarter at the province with its children, grouped by field — the current
 * quarter to date (the report's default period; the bar applies to it) and the last
 * complete quarter (reported beside it: it reads a whole quarter of rollup rows and the
 * closures since its end) — warm, median of the runs, interleaved with the naive query.
 */
import pg from 'pg';
import { openDatabase, type Database } from '../server/src/db/client';
import { ManualClock } from '../server/src/clock';
import { Directory } from '../server/src/directory';
import { buildReport } from '../server/src/stats/report';
import { rebuildStatsDaily } from '../server/src/stats/rebuild';
import type { ReportCounts, StatisticsReport } from '../server/src/stats/report-types';
import { insertDossiers, PROVINCE, seedReference, type Shape } from './report/generate';
import { naiveReport } from './report/naive';
import { machine } from './lib/machine';
import type { Bench } from './lib/types';

const BAR = { maxReportMs: 50 };
const DB_NAME = 'motcua_bench_report';
const SHAPE: Shape = {
  dossiers: 1_000_000,
  communes: 100,
  procedures: 400,
  // Friday 15 May 2026, 10:00 in Vietnam; two years of weekdays back to Monday 13 May 2024.
  now: new Date('2026-05-15T03:00:00.000Z'),
  firstMonday: '2024-05-13',
};
const PERIODS = {
  currentQuarter: { from: '2026-04-01', to: '2026-06-30' },
  lastQuarter: { from: '2026-01-01', to: '2026-03-31' },
} as const;
const WARMUP = 3;
/** Rounds of `REPORTS_PER_ROUND` reports then one naive query, interleaved so that drift on a shared machine hits both alike. */
const ROUNDS = 6;
const REPORTS_PER_ROUND = 4;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? NaN) : ((s[m - 1] ?? NaN) + (s[m] ?? NaN)) / 2;
};
const ms = (x: number): number => Math.round(x * 100) / 100;

interface Timing { medianMs: number; minMs: number; maxMs: number; runs: number }

const timing = (times: number[]): Timing =>
  ({ medianMs: ms(median(times)), minMs: ms(Math.min(...times)), maxMs: ms(Math.max(...times)), runs: times.length });

async function timed<T>(f: () => Promise<T>, into: number[]): Promise<T> {
  const t = performance.now();
  const out = await f();
  into.push(performance.now() - t);
  return out;
}

function databaseUrl(name: string): { admin: string; bench: string } {
  const admin = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return { admin, bench: u.toString() };
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function databaseExists(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query('select 1 from pg_database where datname = $1', [DB_NAME]);
    return rows.length > 0;
  } finally {
    await client.end();
  }
}

/** Differences between the report's figures and the naive query's, per field ("" when none). */
function compare(report: StatisticsReport, naive: Map<string, ReportCounts>): string[] {
  const problems: string[] = [];
  const keys = new Set([...report.rows.map((r) => r.key), ...naive.keys()]);
  for (const k of keys) {
    const { key: _k, label: _l, ...mine } = report.rows.find((r) => r.key === k) ?? { key: k, label: k };
    const theirs = naive.get(k);
    // The naive query lists fields with no figure at all too; the report leaves them out.
    if (theirs && Object.keys(mine).length === 0 && theirs.received.total === 0 && theirs.refused === 0 && theirs.withdrawn === 0) continue;
    if (JSON.stringify(mine) !== JSON.stringify(theirs)) problems.push(`${k}: report ${JSON.stringify(mine)} ≠ naive ${JSON.stringify(theirs)}`);
  }
  return problems;
}

const bench: Bench = {
  title: 'server report: statistics report at 1,000,000 dossiers, rollups vs naive GROUP BY (PostgreSQL)',
  async run(log) {
    const urls = databaseUrl(DB_NAME);
    // BENCH_REPORT_KEEP=1 keeps the database after the run and reuses it next time (for profiling).
    const keep = process.env['BENCH_REPORT_KEEP'] === '1';
    const reuse = keep && (await databaseExists(urls.admin));
    if (!reuse) {
      await adminQuery(urls.admin, `drop database if exists "${DB_NAME}" with (force)`);
      await adminQuery(urls.admin, `create database "${DB_NAME}"`);
    }
    let database: Database | null = null;
    try {
      database = await openDatabase({ url: urls.bench, poolSize: 4 });
      const pool = database.pool as pg.Pool;
      // An idle connection dropped by the server (another run recreating this database) must not crash the process.
      pool.on('error', (e) => log(`  database connection lost: ${e.message}`));
      const { rows: [server] } = await pool.query<{ version: string }>("select current_setting('server_version') as version");

      // Load
      let t = performance.now();
      let insertS = 0;
      let rollupS = 0;
      if (!reuse) {
        await seedReference(pool, SHAPE);
        const half = Math.floor(SHAPE.dossiers / 2);
        await Promise.all([insertDossiers(pool, SHAPE, 1, half), insertDossiers(pool, SHAPE, half + 1, SHAPE.dossiers)]);
        insertS = (performance.now() - t) / 1000;
        log(`  ${SHAPE.dossiers.toLocaleString('en-US')} dossiers inserted in ${insertS.toFixed(1)} s`);
        t = performance.now();
        await rebuildStatsDaily(database.db);
        rollupS = (performance.now() - t) / 1000;
        await pool.query('vacuum analyze dossiers');
        await pool.query('vacuum analyze stats_daily');
        // Write the load's dirty pages out now rather than under the timed queries.
        await pool.query('checkpoint').catch(() => undefined);
      }
      const { rows: [sizes] } = await pool.query<{ dossiers: number; open: number; stats_daily: number; dossiers_mb: number; stats_mb: number }>(`
        select (select count(*) from dossiers)::int as dossiers,
          (select count(*) from dossiers where closed_at is null)::int as open,
          (select count(*) from stats_daily)::int as stats_daily,
          round(pg_total_relation_size('dossiers') / 1048576.0)::int as dossiers_mb,
          round(pg_total_relation_size('stats_daily') / 1048576.0)::int as stats_mb`);
      log(`  rollups rebuilt in ${rollupS.toFixed(1)} s: ${sizes?.stats_daily.toLocaleString('en-US')} stats_daily rows; ${sizes?.open.toLocaleString('en-US')} open dossiers`);

      const clock = new ManualClock(SHAPE.now);
      const deps = { db: database.db, clock, directory: new Directory(database.db, clock) };
      const units = await deps.directory.subtree(PROVINCE);

      const results: { [name: string]: unknown } = {};
      const problems: string[] = [];
      let headline = { reportMs: NaN, naiveMs: NaN };
      for (const [name, period] of Object.entries(PERIODS)) {
        const options = { unit: PROVINCE, includeChildren: true, ...period, groupBy: 'field' as const };
        const runReport = () => buildReport(deps, options);
        const runNaive = () => naiveReport(pool, units, period.from, period.to, SHAPE.now);
        for (let i = 0; i < WARMUP; i++) await runReport();
        let lastReport = await runReport();
        let lastNaive = await runNaive();
        const reportTimes: number[] = [];
        const naiveTimes: number[] = [];
        for (let r = 0; r < ROUNDS; r++) {
          for (let i = 0; i < REPORTS_PER_ROUND; i++) lastReport = await timed(runReport, reportTimes);
          lastNaive = await timed(runNaive, naiveTimes);
        }
        const report = { ...timing(reportTimes), last: lastReport };
        const naive = { ...timing(naiveTimes), last: lastNaive };
        const diff = compare(report.last, naive.last);
        problems.push(...diff.map((d) => `${name} ${d}`));
        const ratio = Math.round((naive.medianMs / report.medianMs) * 10) / 10;
        const total = report.last.total;
        log(`  ${name.padEnd(15)} ${period.from}..${period.to}: report ${report.medianMs} ms (min ${report.minMs}), naive GROUP BY ${naive.medianMs} ms, ×${ratio}; ${diff.length === 0 ? 'same figures' : `${diff.length} rows differ`}`);
        log(`  ${''.padEnd(15)} received ${total.received.total} (carried over ${total.received.carriedOver}), resolved ${total.resolved.total}, in progress ${total.inProgress.total} (${total.inProgress.overdue} overdue), ${report.last.rows.length} fields`);
        const { last: _r, ...reportTiming } = report;
        const { last: _n, ...naiveTiming } = naive;
        results[name] = {
          period, report: reportTiming, naive: naiveTiming, ratio, sameFigures: diff.length === 0,
          figures: { received: total.received, resolved: total.resolved, inProgress: total.inProgress, refused: total.refused, withdrawn: total.withdrawn, rows: report.last.rows.length },
        };
        if (name === 'currentQuarter') headline = { reportMs: report.medianMs, naiveMs: naive.medianMs };
      }
      for (const p of problems.slice(0, 5)) log(`  MISMATCH ${p}`);

      const lastQuarterMs = (results['lastQuarter'] as { report: { medianMs: number } }).report.medianMs;
      const ratio = Math.round((headline.naiveMs / headline.reportMs) * 10) / 10;
      const pass = problems.length === 0 && headline.reportMs <= BAR.maxReportMs;
      return {
        result: {
          ...machine(),
          postgres: server?.version ?? null,
          workload: {
            ...SHAPE, now: SHAPE.now.toISOString(), fields: 20,
            query: 'buildReport(province, includeChildren, quarter, groupBy field) vs one GROUP BY field over dossiers',
            sizes, loadSeconds: { insert: Math.round(insertS * 10) / 10, rollups: Math.round(rollupS * 10) / 10 },
            warmupRuns: WARMUP, rounds: ROUNDS, reportsPerRound: REPORTS_PER_ROUND,
          },
          reportMs: headline.reportMs,
          naiveMs: headline.naiveMs,
          ratio,
          ...results,
          bar: { ...BAR, appliesTo: 'median of the current quarter to date (the report\'s default period); the last complete quarter is reported beside it' },
          lastQuarterWithinBar: lastQuarterMs <= BAR.maxReportMs,
          pass,
          ...(problems.length ? { mismatches: problems.slice(0, 20) } : {}),
        },
        pass,
        summary: [
          `report, current quarter to date: ${headline.reportMs} ms median (bar ≤ ${BAR.maxReportMs} ms) vs naive GROUP BY ${headline.naiveMs} ms (×${ratio}); last complete quarter ${lastQuarterMs} ms`,
          problems.length ? `${problems.length} figure mismatches against the naive query` : 'same figures as the naive query',
        ],
      };
    } finally {
      await database?.close();
      if (!keep) await adminQuery(urls.admin, `drop database if exists "${DB_NAME}" with (force)`);
    }
  },
};

export default bench;
