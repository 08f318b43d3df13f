/**
 * A province's peak hour on PostgreSQL, and its ceiling in the same run.
 *
 * Load (`peak/load.ts`): officer sessions at the demo province's communes receive new
 * dossiers and move them through real procedures of `procedures/` to the end — intake,
 * acceptance, handling, approval, return, some with a supplement pause and a hand-back from
 * the leader — opening inboxes and dossiers around every action, citizens looking dossiers
 * up (ten reads per action), while 200 socket.io clients of the communes' officers receive
 * the live updates and a webhook receiver takes the outbox's deliveries.
 *
 * Ceiling: the SQL statements the server sent for each action of one dossier's happy path,
 * captured from the server process, replayed by `pgbench` (prepared, one client per
 * session) on the same database once the server has stopped (`lib/pgbench.ts`).
 *
 * Figures → `bench/results/peak.json`: actions/s and reads/s with p50/p99, server CPU per
 * action (the server process's CPU over the window ÷ actions; it includes the reads), live
 * update latency commit → socket (p99), outbox commit → webhook delivered (p99), and the
 * share of the pgbench ceiling.
 *
 * Settings: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres; the bench
 * creates and drops its own database), PEAK_SECONDS (60), PEAK_SESSIONS (50),
 * PEAK_SOCKETS (200), PEAK_CEILING_SECONDS (20), PGBENCH (path to pgbench).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { machine } from './lib/machine';
import type { Bench } from './lib/types';
import { cpuPerAction, processCpuSeconds } from './server/cpu';
import { findPgbench, PGBENCH_MISSING, runPgbench, scriptDir, scriptFor, seedClientDossiers, type ActionCapture } from './lib/pgbench';
import type { CapturedStatement } from './lib/capture';
import { Client } from './peak/http';
import { loadFlows, type Role } from './peak/playbook';
import { session, type Officers, type Tally } from './peak/load';
import type { FromServer, ToServer } from './peak/serve';
import { demoPeople, demoUnits } from '../server/src/demo/people';

const BAR = { minActionsPerSecond: 1000, maxActionP99Ms: 150, maxLiveP99Ms: 200, maxWebhookP99Ms: 1000 };
const SECONDS = Number(process.env['PEAK_SECONDS'] ?? 60);
const WARMUP_SECONDS = Math.min(5, Math.max(1, Math.round(SECONDS / 10)));
const SESSIONS = Number(process.env['PEAK_SESSIONS'] ?? 50);
const SOCKETS = Number(process.env['PEAK_SOCKETS'] ?? 200);
const CEILING_SECONDS = Number(process.env['PEAK_CEILING_SECONDS'] ?? 20);

const percentile = (xs: number[], p: number): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round((s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN) * 10) / 10;
};
const stats = (xs: number[]) => ({ count: xs.length, p50Ms: percentile(xs, 50), p99Ms: percentile(xs, 99) });

/** The server process and a typed request/answer over its IPC channel. */
async function startServer(webhookUrl: string): Promise<{ child: ChildProcess; port: number; database: string; ask(m: ToServer): Promise<FromServer> }> {
  const child = fork(fileURLToPath(new URL('./peak/serve.ts', import.meta.url)), [], {
    // PEAK_NODE_ARGS: extra Node flags for the server process, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
    execArgv: [...(process.env['PEAK_NODE_ARGS'] ?? '').split(' ').filter(Boolean), '--import', 'tsx'], env: { ...process.env, BENCH_WEBHOOK_URL: webhookUrl }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<Extract<FromServer, { type: 'ready' }>>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`peak server exited early (${code})`)));
    child.on('message', (m: FromServer) => { if (m.type === 'ready') resolve(m); });
  });
  const ask = (m: ToServer): Promise<FromServer> => new Promise((resolve) => {
    const want = m.type === 'commits' ? 'commits' : 'captured';
    const on = (a: FromServer): void => { if (a.type === want) { child.off('message', on); resolve(a); } };
    child.on('message', on);
    child.send(m);
  });
  return { child, port: ready.port, database: ready.database, ask };
}

/** The webhook receiver: records commit (the outbox row's `createdAt`) → delivered, per event. */
function webhookReceiver(): Promise<{ server: Server; url: string; latencies: Map<string, number> }> {
  const latencies = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = Date.now();
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { eventId: string; createdAt: string };
        if (!latencies.has(body.eventId)) latencies.set(body.eventId, at - Date.parse(body.createdAt));
      } catch { /* counted as missing */ }
      res.writeHead(200).end();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const a = server.address();
    resolve({ server, url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/hook`, latencies });
  }));
}

async function login(http: Client, username: string): Promise<string> {
  const r = await http.call<{ token: string }>('POST', '/api/auth/login', null, { username, password: `${username}@123` });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.token;
}

/** Desk, specialist and deputy chair of every commune and ward of the demo province. */
async function signIn(http: Client): Promise<Officers[]> {
  const units = demoUnits().filter((u) => u.kind === 'commune' || u.kind === 'ward');
  const people = demoPeople();
  const out: Officers[] = [];
  for (const u of units) {
    const who = (role: Role, position?: string) => people.find((p) => p.grants.some((g) => g.unit === u.code && g.role === role && (!position || g.position === position)));
    const tokens = {} as Officers['tokens'];
    for (const [role, position] of [['desk'], ['specialist'], ['leader', 'deputy']] as [Role, string?][]) {
      const p = who(role, position);
      if (!p) throw new Error(`no ${role} at ${u.code}`);
      tokens[role] = await login(http, p.username);
    }
    out.push({ unit: u.code, tokens });
  }
  return out;
}

/** Sockets of the officers, spread over the communes; each records when it heard of `dossierId@version`. */
async function openSockets(port: number, officers: Officers[], heard: [string, number][]): Promise<Socket[]> {
  const tokens = officers.flatMap((o) => Object.values(o.tokens));
  const sockets = Array.from({ length: SOCKETS }, (_, i) => io(`http://127.0.0.1:${port}`, {
    auth: { token: tokens[i % tokens.length] }, transports: ['websocket'], reconnection: false,
  }));
  for (const s of sockets) s.on('dossier:changed', (p: { dossierId: string; version: number }) => { heard.push([`${p.dossierId}@${p.version}`, Date.now()]); });
  await Promise.all(sockets.map((s) => new Promise<void>((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', (e) => reject(e));
  })));
  return sockets;
}

/** The statements of every action of one happy path, each captured alone. */
async function captureActions(http: Client, officers: Officers, flow: ReturnType<typeof loadFlows>[number], ask: (m: ToServer) => Promise<FromServer>): Promise<ActionCapture[]> {
  const captured = async (work: () => Promise<void>): Promise<CapturedStatement[]> => {
    await ask({ type: 'capture-start' });
    await work();
    const a = await ask({ type: 'capture-stop' });
    return a.type === 'captured' ? a.statements : [];
  };
  const out: ActionCapture[] = [];
  let id = '';
  const intake = await captured(async () => {
    const r = await http.call<{ id: string }>('POST', '/api/dossiers', officers.tokens.desk, {
      procedureId: flow.procedureId, channel: 'direct', receivingUnit: officers.unit, applicant: flow.start.applicant, data: flow.start.data,
    });
    if (r.status !== 201) throw new Error(`capture intake: ${r.status} ${JSON.stringify(r.body)}`);
    id = r.body.id;
  });
  out.push({ label: `${flow.procedureId} intake`, dossierId: id, versionBefore: null, statements: intake });
  for (const step of flow.steps) {
    const before = await http.call<{ version: number }>('GET', `/api/dossiers/${encodeURIComponent(id)}`, officers.tokens[step.role]);
    const statements = await captured(async () => {
      const r = await http.call('POST', `/api/dossiers/${encodeURIComponent(id)}/actions`, officers.tokens[step.role], { step: step.step, action: step.action, ...(step.inputs ? { inputs: step.inputs } : {}) });
      if (r.status !== 200) throw new Error(`capture ${step.step}.${step.action}: ${r.status} ${JSON.stringify(r.body)}`);
    });
    out.push({ label: `${flow.procedureId} ${step.step}.${step.action}`, dossierId: id, versionBefore: before.body.version, statements });
  }
  return out;
}

const bench: Bench = {
  title: `peak: a province's peak hour on PostgreSQL (${SESSIONS} officer sessions, ${SOCKETS} live sockets, webhooks) vs pgbench on the server's own statements`,
  async run(log) {
    const pgbench = findPgbench();
    if (!pgbench) {
      log(`  ${PGBENCH_MISSING}`);
      return { result: { ...machine(), error: PGBENCH_MISSING }, pass: false, summary: [`  ${PGBENCH_MISSING}`] };
    }
    const flows = loadFlows();
    const receiver = await webhookReceiver();
    const server = await startServer(receiver.url);
    const http = new Client(server.port, SESSIONS + 8);
    const heard: [string, number][] = [];
    let sockets: Socket[] = [];
    try {
      const officers = await signIn(http);
      log(`  server on ${server.port}; ${flows.length} flows from ${new Set(flows.map((f) => f.procedureId)).size} procedures; ${officers.length} communes`);
      sockets = await openSockets(server.port, officers, heard);
      log(`  ${sockets.length} sockets connected; warm-up ${WARMUP_SECONDS} s, then ${SECONDS} s`);

      const tally: Tally = { actions: [], reads: [], errors: new Map(), flowsDone: 0 };
      const recent = new Map(officers.map((o) => [o.unit, [] as string[]]));
      const t0 = performance.now();
      const from = t0 + WARMUP_SECONDS * 1000;
      const until = from + SECONDS * 1000;
      let cpuBefore: ReturnType<typeof processCpuSeconds> = null;
      const cpuTimer = setTimeout(() => { cpuBefore = processCpuSeconds(server.child.pid as number); }, WARMUP_SECONDS * 1000);
      const windowStartEpoch = Date.now() + WARMUP_SECONDS * 1000;
      await Promise.all(Array.from({ length: SESSIONS }, (_, i) => session({
        http, officers: officers[i % officers.length] as Officers, flows, recent: recent.get((officers[i % officers.length] as Officers).unit) ?? [], until, from, tally, seed: i * 31,
      })));
      clearTimeout(cpuTimer);
      const cpuAfter = processCpuSeconds(server.child.pid as number);
      const elapsed = (performance.now() - from) / 1000;
      const windowEndEpoch = Date.now();

      // Let the outbox drain what the window committed, then read the commit stamps.
      const drainUntil = performance.now() + 10_000;
      let last = -1;
      while (performance.now() < drainUntil && receiver.latencies.size !== last) {
        last = receiver.latencies.size;
        await new Promise((r) => setTimeout(r, 1500));
      }
      const commitsAnswer = await server.ask({ type: 'commits' });
      const commits = new Map(commitsAnswer.type === 'commits' ? commitsAnswer.commits : []);
      const live = heard.map(([k, at]) => [commits.get(k), at] as const)
        .filter(([c]) => c !== undefined && c >= windowStartEpoch && c <= windowEndEpoch).map(([c, at]) => at - (c as number));
      const webhook = [...receiver.latencies.values()];

      // The ceiling: one happy path's statements, captured, then replayed by pgbench.
      const happy = flows.find((f) => f.procedureId === 'dang-ky-khai-sinh' && f.scenario === 'happy-path') ?? (flows[0] as (typeof flows)[number]);
      const captures = await captureActions(http, officers[0] as Officers, happy, server.ask);
      for (const s of sockets) s.close();
      sockets = [];
      await new Promise<void>((resolve) => { server.child.once('exit', () => resolve()); server.child.kill('SIGTERM'); });

      const scripts = scriptDir();
      let ceiling: Awaited<ReturnType<typeof runPgbench>> | null = null;
      try {
        const db = new pg.Client({ connectionString: server.database });
        await db.connect();
        try {
          await seedClientDossiers(db, captures[1]?.dossierId ?? captures[0]?.dossierId ?? '', SESSIONS);
        } finally {
          await db.end();
        }
        const list = captures.map((c, i) => scriptFor(c, i, scripts.dir));
        log(`  pgbench ${CEILING_SECONDS} s: ${captures.length} actions, ${captures.reduce((n, c) => n + c.statements.length, 0)} statements, ${SESSIONS} clients`);
        ceiling = await runPgbench(pgbench, server.database, list, { clients: SESSIONS, seconds: CEILING_SECONDS });
      } finally {
        scripts.remove();
      }

      const actionsPerSecond = Math.round(tally.actions.length / elapsed);
      const readsPerSecond = Math.round(tally.reads.length / elapsed);
      const cpu = cpuPerAction(cpuBefore, cpuAfter, tally.actions.length);
      const a = stats(tally.actions);
      const r = stats(tally.reads);
      const liveP99 = percentile(live, 99);
      const webhookP99 = percentile(webhook, 99);
      const share = ceiling ? Math.round((actionsPerSecond / ceiling.tps) * 100) / 100 : null;
      const errors = Object.fromEntries(tally.errors);
      const errorCount = [...tally.errors.values()].reduce((x, y) => x + y, 0);
      const pass = actionsPerSecond >= BAR.minActionsPerSecond && a.p99Ms < BAR.maxActionP99Ms && liveP99 < BAR.maxLiveP99Ms
        && webhookP99 < BAR.maxWebhookP99Ms && errorCount === 0;
      const result = {
        ...machine(),
        workload: {
          seconds: SECONDS, warmupSeconds: WARMUP_SECONDS, sessions: SESSIONS, sockets: SOCKETS, communes: officers.length,
          flows: flows.map((f) => `${f.procedureId} ${f.scenario} (${f.steps.length + 1} actions)`),
          readsPerAction: 10,
        },
        actions: { perSecond: actionsPerSecond, ...a },
        reads: { perSecond: readsPerSecond, ...r },
        flowsCompleted: tally.flowsDone,
        errors,
        serverCpuPerAction: cpu ? { ...cpu, note: 'server process CPU over the window ÷ actions; includes the ten reads around each action' } : null,
        liveUpdates: { deliveries: live.length, p50Ms: percentile(live, 50), p99Ms: liveP99, what: 'commit (bus announcement after commit) → dossier:changed on an officer socket' },
        webhooks: { delivered: webhook.length, p50Ms: percentile(webhook, 50), p99Ms: webhookP99, what: 'outbox row created (in the commit) → webhook received' },
        ceiling: ceiling ? {
          tps: ceiling.tps, latencyAvgMs: ceiling.latencyAvgMs, clients: ceiling.clients, seconds: ceiling.seconds, failed: ceiling.failed,
          actions: captures.map((c) => ({ action: c.label, statements: c.statements.length })),
          what: 'pgbench -M prepared replaying the statements the server sent for each action of one happy path (captured), equal weights',
        } : null,
        shareOfCeiling: share,
        bar: BAR,
        pass,
      };
      return {
        result, pass,
        summary: [
          `  actions   ${actionsPerSecond} /s   p50 ${a.p50Ms} ms   p99 ${a.p99Ms} ms   (${tally.flowsDone} dossiers to the end, ${errorCount} errors)`,
          `  reads     ${readsPerSecond} /s   p50 ${r.p50Ms} ms   p99 ${r.p99Ms} ms`,
          `  server CPU per action  ${cpu ? `${cpu.totalMs} ms` : 'n/a'} (reads included)`,
          `  live updates  p99 ${liveP99} ms over ${live.length} deliveries   webhooks p99 ${webhookP99} ms over ${webhook.length}`,
          `  pgbench ceiling  ${ceiling?.tps ?? 'n/a'} actions/s   share ${share ?? 'n/a'}`,
          `  bar ≥ ${BAR.minActionsPerSecond}/s, p99 < ${BAR.maxActionP99Ms} ms, live p99 < ${BAR.maxLiveP99Ms} ms, webhook p99 < ${BAR.maxWebhookP99Ms} ms: ${pass ? 'PASS' : 'FAIL'}`,
          ...(errorCount ? [`  errors: ${JSON.stringify(errors)}`] : []),
        ],
      };
    } finally {
      for (const s of sockets) s.close();
      http.close();
      receiver.server.close();
      if (server.child.exitCode === null) server.child.kill('SIGTERM');
    }
  },
};

export default bench;
