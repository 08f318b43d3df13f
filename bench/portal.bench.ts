/**
 * National portal sync: commit → acknowledged by the portal simulator, at a steady 500
 * actions per second. Three processes, as deployed: this one generates the load; the server
 * (./portal/serve.ts: its own pool, the commits, the outbox loop with the portal adapter);
 * the portal simulator (./portal/simulate.ts) over real HTTP on 127.0.0.1. Each action's
 * commit time is taken in the server when its transaction returns; its acknowledgement in
 * the simulator when it answers the progress entry of its event (wall clock, same host).
 *
 * Same run, same actions: a baseline with the portal connection off (its subscription
 * inactive: nothing is delivered), then the load with it on. Figures: the rates of both and
 * their ratio, latency percentiles, anything not acknowledged within 30 s, and the server's
 * CPU per action in both phases — their difference is the CPU one delivered event costs,
 * which the other work on a shared machine disturbs less than rates and latencies.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createDatabase } from '../tests/faults/support/process';
import { machine } from './lib/machine';
import type { Bench } from './lib/types';
import type { FromServer, ToServer } from './portal/serve';
import type { FromSimulator, ToSimulator } from './portal/simulate';

const BAR = { rate: 500, maxP99Ms: 1000 };
const SECONDS = Number(process.env['PORTAL_BENCH_SECONDS'] ?? 20);
const DOSSIERS = Number(process.env['PORTAL_BENCH_DOSSIERS'] ?? 400);
const BATCH = Number(process.env['PORTAL_BENCH_BATCH'] ?? 100);
/** The simulator's port (helper range of this checkout; 0: any free one). */
const SIM_PORT = process.env['PORTAL_SIM_PORT'] ?? '3451';

async function benchDatabase(): Promise<string | null> {
  const base = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
  const name = process.env['BENCH_DB'] ?? 'motcua_bench_portal';
  try {
    return await createDatabase(base, name);
  } catch {
    return null;
  }
}

const pct = (xs: number[], p: number): number => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! * 10) / 10;
};

/** A child process speaking a typed request/answer protocol over IPC. */
function child<In, Out extends { type: string }>(file: string, env: NodeJS.ProcessEnv = {}) {
  const proc: ChildProcess = fork(fileURLToPath(new URL(file, import.meta.url)), [], {
    execArgv: [...process.execArgv.filter((a) => !a.startsWith('--expose-gc'))], env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const wait = <T extends Out['type']>(type: T, when: (m: Extract<Out, { type: T }>) => boolean = () => true): Promise<Extract<Out, { type: T }>> =>
    new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`${file} exited (${code})`));
      const on = (m: Out): void => {
        if (m.type === type && when(m as Extract<Out, { type: T }>)) {
          proc.off('message', on);
          proc.off('exit', onExit);
          resolve(m as Extract<Out, { type: T }>);
        }
      };
      proc.on('message', on);
      proc.once('exit', onExit);
    });
  return { proc, wait, send: (m: In) => proc.send(m as object) };
}

const wall = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

const bench: Bench = {
  title: `portal sync: commit → acknowledged by the simulator at ${BAR.rate} actions/s for ${SECONDS} s (server and simulator in their own processes)`,
  async run(log) {
    const url = await benchDatabase();
    const sim = child<ToSimulator, FromSimulator>('./portal/simulate.ts', { PORTAL_SIM_PORT: SIM_PORT });
    const portal = await sim.wait('ready');
    const server = child<ToServer, FromServer>('./portal/serve.ts');
    const figures = async () => {
      const f = sim.wait('figures');
      sim.send({ type: 'figures' });
      return f;
    };
    const cpu = async () => {
      const f = server.wait('cpu');
      server.send({ type: 'cpu' });
      const c = await f;
      return (c.userUs + c.systemUs) / 1000;
    };
    log(`  ${url ? 'postgresql' : 'pglite'}; receiving ${DOSSIERS} dossiers…`);
    const readyP = server.wait('ready');
    server.send({ type: 'setup', url, dossiers: DOSSIERS, portal, batchSize: BATCH });
    const { ids, kind } = await readyP;
    // The setup's own events reach the portal first.
    for (let t = 0; t < 600 && (await figures()).counted < DOSSIERS * 2; t++) await sleep(100);
    log(`  setup synced (${(await figures()).counted} events)`);

    let n = 0;
    const load = async (seconds: number) => {
      const committed = new Map<string, number>();
      const commitMs: number[] = [];
      const busy = new Set<string>();
      let errors = 0;
      /** Actions not started: every dossier had one in flight (the load generator's closed set). */
      let skipped = 0;
      let next = 0;
      const inflight = new Map<number, { started: number; id: string; done: () => void }>();
      const onActed = (m: FromServer): void => {
        if (m.type !== 'acted') return;
        const w = inflight.get(m.n);
        if (!w) return;
        inflight.delete(m.n);
        busy.delete(w.id);
        if (m.ok && m.key) {
          committed.set(m.key, m.at);
          commitMs.push(wall() - w.started);
        } else errors++;
        w.done();
      };
      server.proc.on('message', onActed);
      const one = (): Promise<void> | null => {
        let id: string | undefined;
        for (let k = 0; k < ids.length; k++) {
          const c = ids[next++ % ids.length]!;
          if (!busy.has(c)) {
            id = c;
            break;
          }
        }
        if (!id) {
          skipped++;
          return null;
        }
        busy.add(id);
        const me = ++n;
        return new Promise<void>((done) => {
          inflight.set(me, { started: wall(), id: id!, done });
          server.send({ type: 'act', n: me, id: id! });
        });
      };
      const cpu0 = await cpu();
      const started = performance.now();
      const all: Promise<void>[] = [];
      const tickMs = 20;
      const perTick = (BAR.rate * tickMs) / 1000;
      for (let tick = 0; performance.now() - started < seconds * 1000; tick++) {
        const wait = started + tick * tickMs - performance.now();
        if (wait > 0) await sleep(wait);
        for (let i = 0; i < perTick; i++) {
          const p = one();
          if (p) all.push(p);
        }
      }
      await Promise.all(all);
      const elapsed = (performance.now() - started) / 1000;
      server.proc.off('message', onActed);
      return { committed, commitMs, errors, skipped, elapsed, cpu0, ended: wall() };
    };

    // Baseline: the same actions, the portal connection off.
    let done = server.wait('done', (m) => m.what === 'portal');
    server.send({ type: 'portal', on: false });
    await done;
    log(`  baseline (portal off) for ${SECONDS} s…`);
    const base = await load(SECONDS);
    const baseCpu = (await cpu()) - base.cpu0;
    // The baseline's events are fanned out while the connection is off: none of them reaches the portal.
    done = server.wait('done', (m) => m.what === 'settle');
    server.send({ type: 'settle' });
    await done;
    done = server.wait('done', (m) => m.what === 'portal');
    server.send({ type: 'portal', on: true });
    await done;
    await sleep(1000);

    log(`  with the portal for ${SECONDS} s…`);
    const run = await load(SECONDS);
    let f = await figures();
    for (let t = 0; t < 300; t++) {
      const acked = new Set(f.acked.map(([k]) => k));
      if ([...run.committed.keys()].every((k) => acked.has(k))) break;
      await sleep(100);
      f = await figures();
    }
    const runCpu = (await cpu()) - run.cpu0;
    const acked = new Map(f.acked);
    const lat: number[] = [];
    let unacked = 0;
    let lastAck = 0;
    for (const [e, t] of run.committed) {
      const a = acked.get(e);
      if (a === undefined) {
        unacked++;
      }
      else {
        lat.push(Math.max(0, a - t));
        lastAck = Math.max(lastAck, a);
      }
    }
    const stopped = server.wait('done', (m) => m.what === 'stop');
    server.send({ type: 'stop' });
    await stopped;
    sim.send({ type: 'stop' });

    const rate = (x: { committed: Map<string, number>; elapsed: number }) => Math.round(x.committed.size / x.elapsed);
    const perAction = (ms: number, count: number) => (count ? Math.round((ms / count) * 1000) / 1000 : null);
    const baseCpuPerAction = perAction(baseCpu, base.committed.size);
    const runCpuPerAction = perAction(runCpu, run.committed.size);
    const delivered = run.committed.size - unacked;
    const result = {
      machine: machine(), database: kind, seconds: SECONDS, targetRate: BAR.rate, dossiers: DOSSIERS, batchSize: BATCH,
      processes: 'load generator, server (commits + outbox loop, pool of 20) and portal simulator each in its own Node process',
      skippedNote: 'skipped: actions the load generator did not start because every dossier already had one in flight (the server was behind)',
      uptimeLoadNote: 'the machine is shared: see machine.loadAverage; compare the ratio to the baseline and the CPU per delivered event',
      baseline: {
        what: 'the same actions with the portal connection off (nothing delivered)',
        achievedRate: rate(base), actions: base.committed.size, errors: base.errors, skipped: base.skipped,
        commitMs: { p50: pct(base.commitMs, 50), p99: pct(base.commitMs, 99) },
        serverCpuMsPerAction: baseCpuPerAction,
      },
      portal: {
        achievedRate: rate(run), actions: run.committed.size, errors: run.errors, skipped: run.skipped, unacked,
        duplicatesAtPortal: f.duplicates, outOfOrder: f.outOfOrder, invalidAtPortal: f.invalid,
        ackMs: { p50: pct(lat, 50), p95: pct(lat, 95), p99: pct(lat, 99), max: pct(lat, 100) },
        commitMs: { p50: pct(run.commitMs, 50), p99: pct(run.commitMs, 99) },
        lastAckSecondsAfterLoad: Math.round((lastAck - run.ended) / 100) / 10,
        serverCpuMsPerAction: runCpuPerAction,
        requests: f.calls,
      },
      ratioToBaseline: Math.round((rate(run) / Math.max(1, rate(base))) * 100) / 100,
      serverCpuMsPerDeliveredEvent: baseCpuPerAction !== null && runCpuPerAction !== null && delivered > 0
        ? Math.round(((runCpu - baseCpuPerAction * run.committed.size) / delivered) * 1000) / 1000 : null,
      serverCpuNote: 'server process CPU (user + system) per action in each phase; per delivered event = (portal-phase CPU − baseline CPU per action × actions) ÷ events acknowledged, the drain after the load included',
    };
    const pass = result.portal.ackMs.p99 <= BAR.maxP99Ms && unacked === 0 && result.portal.achievedRate >= BAR.rate * 0.9;
    return {
      result, pass,
      summary: [
        `  baseline (portal off): ${result.baseline.actions} actions at ${result.baseline.achievedRate}/s, ${base.errors} errors, server CPU ${baseCpuPerAction} ms/action`,
        `  with the portal: ${result.portal.actions} actions at ${result.portal.achievedRate}/s (target ${BAR.rate}, ratio ${result.ratioToBaseline}), ${run.errors} errors, ${unacked} not acknowledged`,
        `  commit → acknowledged: p50 ${result.portal.ackMs.p50} ms, p95 ${result.portal.ackMs.p95} ms, p99 ${result.portal.ackMs.p99} ms (bar ${BAR.maxP99Ms}), max ${result.portal.ackMs.max} ms`,
        `  server CPU ${runCpuPerAction} ms/action with the portal; ${result.serverCpuMsPerDeliveredEvent} ms per delivered event`,
      ],
    };
  },
};

export default bench;
