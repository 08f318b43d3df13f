/**
 * End-to-end dossier actions over HTTP on the PostgreSQL server, many concurrent officers
 * (autocannon), against the database alone doing the same writes ("update dossier +
 * insert event" transactions through a pool of the same size) in the same run, so the
 * result reads as a share of the database's ceiling. The server runs in its own process.
 */
import autocannon from 'autocannon';
import pg from 'pg';
import { machine } from './lib/machine';
import type { Bench } from './lib/types';
import { actionLoad, cpuPerAction, processCpuSeconds, startServer, type Ready } from './server/cpu';

const BAR = { minActionsPerSecond: 1000, maxP99Ms: 100 };
const CONNECTIONS = 50;
const DURATION_S = 15;
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

const bench: Bench = {
  title: `server: dossier actions over HTTP on PostgreSQL (${CONNECTIONS} concurrent officers) vs the database alone`,
  async run(log) {
    const { ready, child, stop } = await startServer();
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
      const actionsPerSecond = Math.round(http['2xx'] / DURATION_S);
      const ratio = Math.round((actionsPerSecond / db.txPerSecond) * 100) / 100;
      const pass = actionsPerSecond >= BAR.minActionsPerSecond && http.latency.p99 < BAR.maxP99Ms && http.non2xx === 0;
      const result = {
        ...machine(),
        workload: { connections: CONNECTIONS, durationSeconds: DURATION_S, dossiers: ready.ids.length, action: 'POST /api/dossiers/:id/actions (note) — authenticate, load (or the row this process last wrote), engine apply, one statement: dossier update with version check, hash-chained event, outbox row' },
        http: { actionsPerSecond, p50Ms: http.latency.p50, p99Ms: http.latency.p99, non2xx: http.non2xx, errors: http.errors },
        serverCpuPerAction: serverCpu,
        database: { ...db, what: 'begin; update dossier (version+1, snapshot); insert event; commit — pool of the server\'s size' },
        ratioOfDatabaseCeiling: ratio,
        bar: BAR,
        pass,
      };
      return {
        result, pass,
        summary: [
          `  HTTP actions           ${actionsPerSecond} /s   p50 ${http.latency.p50} ms   p99 ${http.latency.p99} ms   non-2xx ${http.non2xx}`,
          `  server CPU per action  ${serverCpu ? `${serverCpu.totalMs} ms (user ${serverCpu.userMs}, system ${serverCpu.systemMs})` : 'n/a'}`,
          `  database alone         ${db.txPerSecond} tx/s   p99 ${db.p99Ms} ms`,
          `  ratio                  ${ratio} of the database's ceiling   bar ≥ ${BAR.minActionsPerSecond}/s, p99 < ${BAR.maxP99Ms} ms: ${pass ? 'PASS' : 'FAIL'}`,
        ],
      };
    } finally {
      await stop();
    }
  },
};

export default bench;
