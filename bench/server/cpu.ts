/**
 * Server CPU per dossier action, the figure that bounds actions/s on a small machine more
 * than wall time does (which other work on the machine disturbs): starts `serve.ts` in its
 * own process, warms it up, then sends a fixed number of actions and reads the server
 * process's user + system CPU time from /proc before and after.
 *
 *   npx tsx bench/server/cpu.ts [actions=6000] [connections=50]
 *   SERVE_NODE_ARGS=--cpu-prof npx tsx bench/server/cpu.ts   (profile written on exit)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type { CapturedStatement } from '../lib/capture';

export interface Ready { port: number; token: string; ids: string[]; database: string }

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU seconds (user, system) a process has used so far; null where /proc is missing. */
export function processCpuSeconds(pid: number): { user: number; system: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at ") ".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { user: Number(fields[11]) / TICKS_PER_SECOND, system: Number(fields[12]) / TICKS_PER_SECOND };
  } catch {
    return null;
  }
}

/**
 * Nanoseconds on a CPU of all of a process's threads so far (/proc/<pid>/task/<tid>/schedstat),
 * worker threads included: fine enough to time one request, where /proc/<pid>/stat counts in 10 ms ticks.
 * Threads that ended are no longer counted: time a request only across threads that live on.
 */
export function threadsCpuNs(pid: number): number | null {
  try {
    let ns = 0;
    let read = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
        read += 1;
      } catch {
        // the thread ended between the listing and the read
      }
    }
    // None read: the process is ending (not "no time at all").
    return read > 0 ? ns : null;
  } catch {
    return null;
  }
}

/** Nanoseconds on a CPU of a process's main thread (the one running its event loop) so far; null once it is gone. */
export function mainThreadCpuNs(pid: number): number | null {
  try {
    return Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[0]);
  } catch {
    return null;
  }
}

/**
 * The PostgreSQL processes on this machine (by command name); with `database`, only the
 * backends connected to it (their process title names it), leaving out other databases'
 * work, such as tests running meanwhile, and the server's own background processes.
 */
export function postgresPids(database?: string): number[] {
  const out: number[] = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') continue;
      if (database !== undefined && !readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(' ').includes(database)) continue;
      out.push(Number(pid));
    } catch {
      // gone
    }
  }
  return out;
}

/** Nanoseconds on a CPU so far of each PostgreSQL process (`postgresPids`), by pid. */
export function postgresCpuNs(database?: string): Map<number, number> {
  return new Map(postgresPids(database).map((p) => [p, threadsCpuNs(p)]).filter((e): e is [number, number] => e[1] !== null));
}

/**
 * PostgreSQL's CPU between two readings of `postgresCpuNs`, in ns: by backend, so that one the
 * pool closed meanwhile does not count as negative time (what it spent since the first
 * reading is lost: a small undercount), and one it opened counts in full.
 */
export function postgresSpentNs(before: Map<number, number>, after: Map<number, number>): number {
  let ns = 0;
  for (const [pid, t] of after) ns += t - (before.get(pid) ?? 0);
  return ns;
}

/**
 * CPU seconds the whole machine has been busy so far, all cores (/proc/stat), as user and
 * system (interrupts included); `steal` apart: time the hypervisor gave to other machines.
 */
export function machineCpuSeconds(): { user: number; system: number; steal: number } | null {
  try {
    const [, ...f] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
    const [user, nice, system, , , irq, softirq, steal] = f.map(Number) as number[];
    return { user: (user! + nice!) / TICKS_PER_SECOND, system: (system! + irq! + softirq!) / TICKS_PER_SECOND, steal: (steal ?? 0) / TICKS_PER_SECOND };
  } catch {
    return null;
  }
}

/** Server CPU per action between two readings: total, user and system, in ms. */
export function cpuPerAction(before: ReturnType<typeof processCpuSeconds>, after: ReturnType<typeof processCpuSeconds>, actions: number) {
  if (!before || !after || actions === 0) return null;
  const round = (s: number) => Math.round((s * 1_000_000) / actions) / 1000;
  const user = after.user - before.user;
  const system = after.system - before.system;
  return { totalMs: round(user + system), userMs: round(user), systemMs: round(system) };
}

/** Starts the bench server in its own process; resolves once it prints its ready line. */
export async function startServer(env: NodeJS.ProcessEnv = {}, nodeArgs: string[] = []): Promise<{ ready: Ready; child: ChildProcess; capture(work: () => Promise<void>): Promise<CapturedStatement[]>; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', fileURLToPath(new URL('./serve.ts', import.meta.url))], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'], env: { ...process.env, ...env },
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited early (${code})`)));
    // The first JSON line: V8 flags passed in SERVE_NODE_ARGS (--log-deopt, --trace-gc) print to stdout too.
    const onLine = (l: string) => {
      if (!l.startsWith('{')) return;
      lines.off('line', onLine);
      resolve(JSON.parse(l) as Ready);
    };
    lines.on('line', onLine);
  });
  return {
    ready, child,
    capture: async (work: () => Promise<void>): Promise<CapturedStatement[]> => {
      const ask = (type: string) => new Promise<CapturedStatement[]>((resolve) => {
        const on = (m: { type: string; statements: CapturedStatement[] }) => { if (m.type === 'captured') { child.off('message', on); resolve(m.statements); } };
        child.on('message', on);
        child.send({ type });
      });
      await ask('capture-start');
      await work();
      return ask('capture-stop');
    },
    stop: () => new Promise((resolve) => { child.once('exit', () => resolve()); child.kill('SIGTERM'); }),
  };
}

/** autocannon options for "note" actions round-robin over `ids` (no two in flight on one dossier). */
export function actionLoad(ready: Ready, ids: string[], connections: number, limit: { duration: number } | { amount: number }): autocannon.Options {
  let n = 0;
  return {
    url: `http://127.0.0.1:${ready.port}`,
    connections,
    ...limit,
    requests: [{
      method: 'POST',
      setupRequest: (req) => {
        const id = ids[n++ % ids.length] as string;
        return { ...req, path: `/api/dossiers/${id}/actions`, headers: { authorization: `Bearer ${ready.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ step: 'work', action: 'note', inputs: { text: 'Đã kiểm tra hồ sơ' } }) };
      },
    }],
  };
}

async function main(): Promise<void> {
  const actions = Number(process.argv[2] ?? 6000);
  const connections = Number(process.argv[3] ?? 50);
  const nodeArgs = (process.env['SERVE_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
  const { ready, child, stop } = await startServer({ BENCH_DOSSIERS: process.env['BENCH_DOSSIERS'] ?? '500' }, nodeArgs);
  try {
    await autocannon(actionLoad(ready, ready.ids, connections, { amount: 2000 }));
    const before = processCpuSeconds(child.pid as number);
    const t = performance.now();
    const r = await autocannon(actionLoad(ready, ready.ids, connections, { amount: actions }));
    const wall = (performance.now() - t) / 1000;
    const after = processCpuSeconds(child.pid as number);
    console.log(JSON.stringify({
      actions: r['2xx'], non2xx: r.non2xx, connections, actionsPerSecond: Math.round(r['2xx'] / wall),
      p50Ms: r.latency.p50, p99Ms: r.latency.p99, serverCpuPerAction: cpuPerAction(before, after, r['2xx']),
    }));
  } finally {
    await stop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
