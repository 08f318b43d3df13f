/**
 * End-to-end dossier actions over HTTP on the PostgreSQL server, many concurrent officers
 * (autocannon), against two database figures taken in the same run:
 * - the ceiling: `pgbench` (prepared, as many clients as officers) replaying the very
 *   statements the server sent for one action, captured from the server process
 *   (`lib/pgbench.ts`); the result reads as a share of it;
 * - for comparison, the older hand-written "update dossier + insert event" transactions
 *   through a pool of the server's size.
 * The server runs in its own process.
 */
import autocannon from 'autocannon';
import pg from 'pg';
import { machine } from './lib/machine';
import type { Bench } from './lib/types';
import { actionLoad, cpuPerAction, processCpuSeconds, startServer, type Ready } from './server/cpu';
import { findPgbench, PGBENCH_MISSING, runPgbench, scriptDir, scriptFor, seedClientDossiers } from './lib/pgbench';

const BAR = { minActionsPerSecond: 1000, maxP99Ms: 100 };
const CONNECTIONS = 50;
const DURATION_S = Number(process.env['SERVER_BENCH_SECONDS'] ?? 15);
const POOL = 20;

// Each side works on its own half of the dossiers, so requests still in flight when a phase
// ends never race the next phase on one row.
const half = (ids: string[], second: boolean): string[] => ids.filter((_, i) => (i % 2 === 1) === second);

const load = (ready: Ready, seconds: number) => autocannon(actionLoad(ready, half(ready.ids, false), CONNECTIONS, { duration: seconds }));

/** The database's ceiling: the same two writes per action, straight through a pool. */
async function dbCeiling(ready: Ready, seconds: number): Promise<{ txPerSecond: number; p99Ms: number }> {
  const pool = new pg.Pool({ connectionString: ready.database, max: POOL });
  const { rows } = await pool.query<{ snapshot: unknown }>('select snapshot from dossiers limit 1');
  const snapshot = JSON.stringify(rows[0]?.snapshot ?? {});
  const payload = JSON.stringify({ type: 'action.applied', step: 'work', action: 'note', inputs: { text: 'Đã kiểm tra hồ sơ' } });
  const end = performance.now() + seconds * 1000;
  const latencies: number[] = [];
  let next = 0;
  const ids = half(ready.ids, true);
  const worker = async (): Promise<void> => {
    while (performance.now() < end) {
      const id = ids[next++ % ids.length] as string;
      const t = performance.now();
      const c = await pool.connect();
      try {
        await c.query('begin');
        const u = await c.query<{ version: number }>('update dossiers set version = version + 1, snapshot = $2::jsonb, updated_at = now() where id = $1 returning version', [id, snapshot]);
        await c.query('insert into dossier_events (dossier_id, seq, type, at, actor_id, actor_name, payload, prev_hash, hash) values ($1, $2, $3, now(), $4, $5, $6::jsonb, $7, $8)',
          [id, u.rows[0]?.version, 'action.applied', 'u-spec', 'Chuyên viên', payload, 'x'.repeat(64), 'y'.repeat(64)]);
        await c.query('commit');
      } finally {
        c.release();
      }
      latencies.push(performance.now() - t);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  const elapsed = (performance.now() - started) / 1000;
  await pool.end();
  latencies.sort((a, b) => a - b);
  return { txPerSecond: Math.round(latencies.length / elapsed), p99Ms: Math.round((latencies[Math.floor(latencies.length * 0.99)] ?? 0) * 10) / 10 };
}

async function queryOnce(url: string, text: string, values: unknown[]): Promise<unknown[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text, values)).rows;
  } finally {
    await c.end();
  }
}

const bench: Bench = {
  title: `server: dossier actions over HTTP on PostgreSQL (${CONNECTIONS} concurrent officers) vs pgbench on the server's own statements`,
  async run(log) {
    const pgbench = findPgbench();
    if (!pgbench) {
      log(`  ${PGBENCH_MISSING}`);
      return { result: { ...machine(), error: PGBENCH_MISSING }, pass: false, summary: [`  ${PGBENCH_MISSING}`] };
    }
    // Node flags for the server process, e.g. SERVE_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" (written when it stops).
    const { ready, child, capture, stop } = await startServer({}, (process.env['SERVE_NODE_ARGS'] ?? '').split(' ').filter(Boolean));
    log(`  server ready on port ${ready.port} with ${ready.ids.length} dossiers`);
    try {
      log('  warm-up 3 s');
      await load(ready, 3);
      log(`  HTTP ${DURATION_S} s`);
      const cpuBefore = processCpuSeconds(child.pid as number);
      const http = await load(ready, DURATION_S);
      // The server's own CPU time per action: the figure other work on the machine disturbs least.
      const serverCpu = cpuPerAction(cpuBefore, processCpuSeconds(child.pid as number), http['2xx']);
      log(`  database alone ${DURATION_S} s`);
      const db = await dbCeiling(ready, DURATION_S);
      // The statements of one "note" action, as the server sends them, replayed by pgbench.
      // A dossier this server process wrote last (the other half was changed behind its back by the hand-written load).
      const probe = half(ready.ids, false)[0] as string;
      // One action first, not captured: the caches of a server under load (signed-in user,
      // 5 s; token, 60 s) have expired during the phase above, and their reloads are not
      // statements of every action; the second action is a steady-state one.
      const warm = await autocannon({ ...actionLoad(ready, [probe], 1, { amount: 1 }) });
      if (warm['2xx'] !== 1) throw new Error(`the action before the captured one failed: ${warm.non2xx} non-2xx, ${warm.errors} errors`);
      const statements = await capture(async () => {
        const r = await autocannon({ ...actionLoad(ready, [probe], 1, { amount: 1 }) });
        if (r['2xx'] !== 1) throw new Error(`the captured action failed: ${r.non2xx} non-2xx, ${r.errors} errors`);
      });
      const [row] = (await queryOnce(ready.database, 'select version from dossiers where id = $1', [probe])) as { version: number }[];
      const scripts = scriptDir();
      let ceiling: Awaited<ReturnType<typeof runPgbench>>;
      try {
        const c = new pg.Client({ connectionString: ready.database });
        await c.connect();
        try { await seedClientDossiers(c, probe, CONNECTIONS); } finally { await c.end(); }
        const script = scriptFor({ label: 'work.note', dossierId: probe, versionBefore: (row?.version ?? 1) - 1, statements }, 0, scripts.dir);
        log(`  pgbench ${DURATION_S} s: ${statements.length} statements of one action, ${CONNECTIONS} clients`);
        ceiling = await runPgbench(pgbench, ready.database, [script], { clients: CONNECTIONS, seconds: DURATION_S });
      } finally {
        scripts.remove();
      }
      const actionsPerSecond = Math.round(http['2xx'] / DURATION_S);
      const ratio = Math.round((actionsPerSecond / ceiling.tps) * 100) / 100;
      const ratioHandWritten = Math.round((actionsPerSecond / db.txPerSecond) * 100) / 100;
      const pass = actionsPerSecond >= BAR.minActionsPerSecond && http.latency.p99 < BAR.maxP99Ms && http.non2xx === 0;
      const result = {
        ...machine(),
        workload: { connections: CONNECTIONS, durationSeconds: DURATION_S, dossiers: ready.ids.length, action: 'POST /api/dossiers/:id/actions (note) — authenticate, load (or the row this process last wrote), engine apply, one statement: dossier update with version check, hash-chained event, outbox row' },
        http: { actionsPerSecond, p50Ms: http.latency.p50, p99Ms: http.latency.p99, non2xx: http.non2xx, errors: http.errors },
        serverCpuPerAction: serverCpu,
        ceiling: { tps: ceiling.tps, latencyAvgMs: ceiling.latencyAvgMs, clients: ceiling.clients, statements: statements.length,
          texts: statements.map((st) => st.text.replace(/\s+/g, ' ').slice(0, 80)),
          what: 'pgbench -M prepared replaying the statements the server sent for one note action (captured, in steady state)' },
        ratioOfCeiling: ratio,
        handWritten: { ...db, ratio: ratioHandWritten, what: 'begin; update dossier (version+1, snapshot); insert event; commit — pool of the server\'s size (hand-written, kept for comparison)' },
        bar: BAR,
        pass,
      };
      return {
        result, pass,
        summary: [
          `  HTTP actions           ${actionsPerSecond} /s   p50 ${http.latency.p50} ms   p99 ${http.latency.p99} ms   non-2xx ${http.non2xx}`,
          `  server CPU per action  ${serverCpu ? `${serverCpu.totalMs} ms (user ${serverCpu.userMs}, system ${serverCpu.systemMs})` : 'n/a'}`,
          `  pgbench ceiling        ${ceiling.tps} actions/s (${statements.length} statements of one action, prepared, ${CONNECTIONS} clients)`,
          `  hand-written writes    ${db.txPerSecond} tx/s   p99 ${db.p99Ms} ms (ratio ${ratioHandWritten})`,
          `  ratio                  ${ratio} of the pgbench ceiling   bar ≥ ${BAR.minActionsPerSecond}/s, p99 < ${BAR.maxP99Ms} ms: ${pass ? 'PASS' : 'FAIL'}`,
        ],
      };
    } finally {
      await stop();
    }
  },
};

export default bench;
