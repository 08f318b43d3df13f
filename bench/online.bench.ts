/**
 * Online submissions over HTTP, each with a 2 MB document: citizens signed in through the
 * demo OpenID Connect provider create a draft, upload the birth registration's papers (the
 * birth certificate 2 MB, the declaration and identity paper small), and submit, through the
 * real routes of a server process on PostgreSQL (bench/online/serve.ts). `ONLINE_PROCESSES=N`
 * runs N processes on one database and one uploads folder, as production runs stateless
 * processes behind a load balancer; the bench is then the balancer: it sends each request
 * (sign-in hops included) to the next process in turn, not a citizen to one process, so a
 * citizen's path crosses processes. The default is one: on this 2-core machine the load
 * generator and PostgreSQL share the cores, and a second process costs more than it gives.
 *
 * Load: open loop, `ONLINE_RATE` (50) submissions started per second for `ONLINE_SECONDS`
 * (20) after a warm-up, spread over `ONLINE_CITIZENS` (50) citizens; a submission's latency is
 * from its first request to the submit's answer (five requests). Baseline in the same run:
 * the same submissions with a 2 KB birth certificate, so the ratio shows what the 2 MB costs.
 * Server CPU per submission from /proc (the server processes' sum).
 * Bar (issue 12): ≥ 50 submissions/s with p99 < 1 s, no errors.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { cpuPerAction, machineCpuSeconds, mainThreadCpuNs, postgresCpuNs, postgresSpentNs, processCpuSeconds, threadsCpuNs } from './server/cpu';
import { machine } from './lib/machine';
import type { Bench } from './lib/types';
import { Jar } from '../server/test/support/cookies';

const RATE = Number(process.env['ONLINE_RATE'] ?? 50);
const SECONDS = Number(process.env['ONLINE_SECONDS'] ?? 20);
const CITIZENS = Number(process.env['ONLINE_CITIZENS'] ?? 50);
const PROCESSES = Math.max(1, Math.floor(Number(process.env['ONLINE_PROCESSES'] ?? 1)));
const DOC_BYTES = 2 * 1024 * 1024;
const BAR = { rate: 50, maxP99Ms: 1000 };

interface Ready {
  port: number; issuer: string; clientId: string; clientSecret: string; databaseUrl: string; uploads: string; publicUrl: string;
  unit: string; citizens: { personalId: string; password: string }[];
}

/** The load balancer: each call is the next server process's base URL (round-robin per request). */
type Balancer = () => string;
const roundRobin = (bases: string[]): Balancer => {
  let i = 0;
  return () => bases[i++ % bases.length]!;
};

const BIRTH = {
  childName: 'Trần Gia Bảo', dateOfBirth: '2026-02-20', sex: 'male', placeOfBirth: 'Trạm Y tế xã An Phú', ethnicity: 'Kinh', nationality: 'Việt Nam',
  motherName: 'Trần Thị Mai', motherPersonalId: '001199000001', declarantRelation: 'mother', birthProof: 'birth-certificate', onTime: true,
};

/** The image bytes of a scanned paper of `size` bytes: bytes that do not compress (as a JPEG's do), made once per size. */
const imageBytes = new Map<number, Buffer>();
function imageOf(size: number): Buffer {
  let out = imageBytes.get(size);
  if (out) return out;
  out = Buffer.alloc(size);
  let x = 2166136261;
  for (let i = 0; i + 4 <= size; i += 4) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    out.writeInt32LE(x | 0, i);
  }
  imageBytes.set(size, out);
  return out;
}

/**
 * A scanned paper of about `bytes` bytes as the chunks of its file: one page with an image
 * stream, and `tag` in the file's trailer, so no two uploads are one file (each has its own
 * SHA-256). The image's bytes are shared by every paper of that size: the load generator
 * copies no megabytes per upload (it runs on the same two cores as the servers).
 */
function pdfOf(bytes: number, tag: string): Buffer[] {
  const size = Math.max(64, bytes - 420);
  const head = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n'
    + '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</XObject<</Im1 4 0 R>>>>>>endobj\n'
    + `4 0 obj<</Type/XObject/Subtype/Image/Width 1000/Height 1000/ColorSpace/DeviceGray/BitsPerComponent 8/Filter/DCTDecode/Length ${size}>>stream\n`);
  const tail = Buffer.from(`\nendstream\nendobj\n% ${tag}\ntrailer<</Root 1 0 R>>\n%%EOF\n`);
  return [head, imageOf(size), tail];
}

/**
 * Keep-alive connections to the servers, as a browser keeps them; one idle for 4 s is closed
 * here, before the server's own 5 s (Node's keepAliveTimeout) could close it under a request.
 */
const agent = new Agent({ keepAlive: true, maxSockets: 1024, timeout: 4000 });

/**
 * A POST whose body is written as the chunks given (a paper's megabytes are never copied into
 * one buffer, as FormData and Blob would), through the keep-alive agent; the status and JSON answer.
 */
function post(url: string, headers: { [k: string]: string }, chunks: Buffer[], retried = false): Promise<{ status: number; body: { id?: string } }> {
  return new Promise((resolve, reject) => {
    const length = chunks.reduce((n, c) => n + c.length, 0);
    const req = request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': String(length) } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('error', reject);
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(parts).toString('utf8') || '{}') as { id?: string } });
        } catch (e) {
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      });
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      // A kept-alive connection the server closed as it went idle, just as this request took it
      // (Node's documented race, `request.reusedSocket`): nothing reached the server; sent again once.
      if (e.code === 'ECONNRESET' && req.reusedSocket && !retried) post(url, headers, chunks, true).then(resolve, reject);
      else reject(e);
    });
    for (const c of chunks) req.write(c);
    req.end();
  });
}

/** A multipart/form-data body (the paper's id, then its file) as chunks around the file's own. */
function multipart(paper: string, file: Buffer[]): { type: string; chunks: Buffer[] } {
  const b = `motcua-bench-${paper}`;
  const before = Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="paper"\r\n\r\n${paper}\r\n`
    + `--${b}\r\nContent-Disposition: form-data; name="file"; filename="${paper}.pdf"\r\nContent-Type: application/pdf\r\n\r\n`);
  return { type: `multipart/form-data; boundary=${b}`, chunks: [before, ...file, Buffer.from(`\r\n--${b}--\r\n`)] };
}

function setCookies(res: Response): string[] { return res.headers.getSetCookie(); }

/** Signs a citizen in through the provider as a browser would: motcua's redirect, the provider's form, the callback. */
async function signIn(next: Balancer, issuer: string, who: { personalId: string; password: string }): Promise<{ cookie: string; csrf: string }> {
  const app = new Jar();
  const base = next();
  const start = await fetch(`${base}/api/oidc/login?as=citizen`, { redirect: 'manual' });
  app.take(setCookies(start));
  const idp = new Jar();
  let url = new URL(start.headers.get('location')!, base).href;
  for (let hop = 0; hop < 20 && url.startsWith(issuer); hop++) {
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: idp.header() } });
    idp.take(setCookies(res));
    if (res.status >= 300 && res.status < 400) { url = new URL(res.headers.get('location')!, url).href; continue; }
    const action = /<form method="post" action="([^"]+)"/.exec(await res.text())?.[1];
    if (!action) throw new Error(`no sign-in form at ${url}`);
    const form = await fetch(new URL(action, url), {
      method: 'POST', redirect: 'manual', headers: { cookie: idp.header(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ personalId: who.personalId, password: who.password }).toString(),
    });
    idp.take(setCookies(form));
    url = new URL(form.headers.get('location')!, url).href;
  }
  const back = new URL(url);
  const cb = await fetch(`${next()}${back.pathname}${back.search}`, { redirect: 'manual', headers: { cookie: app.header() } });
  if (cb.status !== 302) throw new Error(`callback: ${cb.status}`);
  app.take(setCookies(cb));
  return { cookie: app.header(), csrf: app.values.get('motcua_citizen_csrf') ?? '' };
}

/** The kinds of request a submission makes, timed apart to show where its latency goes. */
const KINDS = ['draft', 'certificate', 'smallPaper', 'submit'] as const;
type Kind = typeof KINDS[number];
type Timings = { [k in Kind]: number[] };

/** Runs one request of a kind: the open loop times it, the one-at-a-time stage also reads the CPU it cost. */
type Around = <T>(kind: Kind, call: () => Promise<T>) => Promise<T>;

/** An `Around` that adds each request's latency to `times`. */
const timing = (times: Timings): Around => async (kind, call) => {
  const t0 = performance.now();
  const out = await call();
  times[kind].push(performance.now() - t0);
  return out;
};

/** One online submission through the real routes: draft, three papers, submit, each request run through `timed`. */
async function submit(next: Balancer, unit: string, s: { cookie: string; csrf: string }, n: number, certificateBytes: number, timed: Around): Promise<void> {
  const headers = { cookie: s.cookie, 'x-csrf-token': s.csrf };
  const expect = (r: { status: number; body: unknown }, status: number, what: string) => {
    if (r.status !== status) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
  };
  const json = (body: unknown) => [Buffer.from(JSON.stringify(body))];
  const draft = await timed('draft', () => post(`${next()}/api/me/drafts`, { ...headers, 'content-type': 'application/json' },
    json({ procedureId: 'dang-ky-khai-sinh', data: { ...BIRTH, childName: `Trần Gia Bảo ${n}` }, receivingUnit: unit })));
  expect(draft, 201, 'draft');
  for (const [paper, bytes] of [['birthCertificate', certificateBytes], ['declaration', 2048], ['identity', 2048]] as const) {
    const form = multipart(paper, pdfOf(bytes, `${n}-${paper}`));
    const kind = paper === 'birthCertificate' ? 'certificate' : 'smallPaper';
    expect(await timed(kind, () => post(`${next()}/api/me/drafts/${draft.body.id}/files`, { ...headers, 'content-type': form.type }, form.chunks)), 201, `upload ${paper}`);
  }
  expect(await timed('submit', () => post(`${next()}/api/me/drafts/${draft.body.id}/submit`, { ...headers, 'content-type': 'application/json', 'idempotency-key': `bench-${n}` }, json({}))), 201, 'submit');
}

const pct = (xs: number[], p: number): number => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]! * 10) / 10;
};

interface Stage {
  submissions: number; errors: number; firstError: string | null; seconds: number; submissionsPerSecond: number; p50Ms: number; p99Ms: number; maxMs: number;
  serverCpuPerSubmission: ReturnType<typeof cpuPerAction>;
  /**
   * Where the machine's CPU went per submission (ms): the server processes, PostgreSQL's backends of this run, this
   * load generator, all of the machine (the rest is the kernel's work for no one of them, and
   * anything else running), and time the hypervisor took away (steal). At 50 submissions/s
   * the two cores give 40 ms per submission in all.
   */
  machineCpuPerSubmission: { serverMs: number | null; postgresMs: number | null; generatorMs: number; machineMs: number | null; stealMs: number | null };
  /** The slowest submissions: when each started (s into the stage) and its latency (ms). */
  slowest: { atS: number; ms: number }[];
  /** Each kind of request's own latency (ms): which one makes a slow submission slow. */
  perRequest: { [k in Kind]: { p50Ms: number; p99Ms: number; maxMs: number } };
}

/** The server processes' CPU so far, summed; null when one cannot be read. */
function serversCpu(children: ChildProcess[]): ReturnType<typeof processCpuSeconds> {
  let user = 0;
  let system = 0;
  for (const c of children) {
    const t = processCpuSeconds(c.pid!);
    if (!t) return null;
    user += t.user;
    system += t.system;
  }
  return { user, system };
}

interface Ctx {
  balancer: Balancer; unit: string; sessions: { cookie: string; csrf: string }[]; children: ChildProcess[]; next: { n: number };
  /** The bench's database name: its backends' CPU is PostgreSQL's share. */
  database: string;
}

/** Starts `rate` submissions a second for `seconds`, each by the next citizen; waits for all; times each. */
async function openLoop(ctx: Ctx, rate: number, seconds: number, bytes: number): Promise<Stage> {
  const latencies: number[] = [];
  /** When each submission started (s into the stage), beside its latency: whether the slow ones come together (a stall) or spread out (a queue). */
  const starts: number[] = [];
  const times = Object.fromEntries(KINDS.map((k) => [k, [] as number[]])) as Timings;
  let errors = 0;
  let firstError: string | null = null;
  const inflight: Promise<void>[] = [];
  const before = serversCpu(ctx.children);
  const pgBefore = postgresCpuNs(ctx.database);
  const machineBefore = machineCpuSeconds();
  const generatorBefore = process.cpuUsage();
  const started = performance.now();
  const total = Math.round(rate * seconds);
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const n = ctx.next.n++;
    const t0 = performance.now();
    inflight.push(submit(ctx.balancer, ctx.unit, ctx.sessions[n % ctx.sessions.length]!, n, bytes, timing(times))
      .then(() => { latencies.push(performance.now() - t0); starts.push((t0 - started) / 1000); })
      .catch((e: unknown) => { errors++; firstError ??= String(e); }));
  }
  await Promise.all(inflight);
  const wall = (performance.now() - started) / 1000;
  const after = serversCpu(ctx.children);
  const generator = process.cpuUsage(generatorBefore);
  const machineAfter = machineCpuSeconds();
  const per = (t: ReturnType<typeof cpuPerAction>) => t?.totalMs ?? null;
  const machineCpuPerSubmission = {
    serverMs: per(cpuPerAction(before, after, latencies.length)),
    postgresMs: latencies.length ? Math.round(postgresSpentNs(pgBefore, postgresCpuNs(ctx.database)) / latencies.length / 1000) / 1000 : null,
    generatorMs: Math.round((generator.user + generator.system) / latencies.length) / 1000,
    machineMs: per(cpuPerAction(machineBefore, machineAfter, latencies.length)),
    stealMs: machineBefore && machineAfter && latencies.length ? Math.round(((machineAfter.steal - machineBefore.steal) * 1_000_000) / latencies.length) / 1000 : null,
  };
  return {
    submissions: latencies.length, errors, firstError, seconds: Math.round(wall * 10) / 10,
    submissionsPerSecond: Math.round((latencies.length / wall) * 10) / 10,
    p50Ms: pct(latencies, 50), p99Ms: pct(latencies, 99), maxMs: pct(latencies, 100),
    serverCpuPerSubmission: cpuPerAction(before, after, latencies.length),
    machineCpuPerSubmission,
    slowest: latencies.map((ms, i) => ({ atS: Math.round(starts[i]! * 100) / 100, ms: Math.round(ms) })).sort((a, b) => b.ms - a.ms).slice(0, 12),
    perRequest: Object.fromEntries(KINDS.map((k) => [k, { p50Ms: pct(times[k], 50), p99Ms: pct(times[k], 99), maxMs: pct(times[k], 100) }])) as Stage['perRequest'],
  };
}

/** Submissions made one at a time in the one-at-a-time stage (the machine otherwise quiet). */
const ALONE = Number(process.env['ONLINE_ALONE'] ?? 60);

/**
 * The CPU each kind of request costs when requests come one at a time: the server's threads
 * (workers and libuv's pool included) and PostgreSQL's processes, read to the nanosecond
 * around each request. Under the open loop the same requests cost more (busy cores, requests
 * interleaved): this is the floor the code sets, the open loop what the machine makes of it.
 */
async function alone(ctx: Ctx, count: number, bytes: number) {
  const spent = Object.fromEntries(KINDS.map((k) => [k, { server: 0, main: 0, postgres: 0, requests: 0 }])) as { [k in Kind]: { server: number; main: number; postgres: number; requests: number } };
  const pids = ctx.children.map((c) => c.pid!);
  const servers = () => pids.reduce((n, p) => n + (threadsCpuNs(p) ?? Number.NaN), 0);
  // The event loop's thread: one core at most, whatever the workers do beside it.
  const mains = () => pids.reduce((n, p) => n + (mainThreadCpuNs(p) ?? Number.NaN), 0);
  const postgres = () => postgresCpuNs(ctx.database);
  const measured: Around = async (kind, call) => {
    const [s0, m0, p0] = [servers(), mains(), postgres()];
    const out = await call();
    const [s1, m1, p1] = [servers(), mains(), postgres()];
    const k = spent[kind];
    k.server += s1 - s0;
    k.main += m1 - m0;
    k.postgres += postgresSpentNs(p0, p1);
    k.requests += 1;
    return out;
  };
  for (let i = 0; i < count; i++) {
    const n = ctx.next.n++;
    await submit(ctx.balancer, ctx.unit, ctx.sessions[n % ctx.sessions.length]!, n, bytes, measured);
  }
  const ms = (ns: number, per: number) => Math.round(ns / per / 1000) / 1000;
  const perKind = Object.fromEntries(KINDS.map((k) => [k, {
    serverMs: ms(spent[k].server, spent[k].requests), mainThreadMs: ms(spent[k].main, spent[k].requests), postgresMs: ms(spent[k].postgres, spent[k].requests),
  }])) as { [k in Kind]: { serverMs: number; mainThreadMs: number; postgresMs: number } };
  const total = (f: 'server' | 'main' | 'postgres') => ms(KINDS.reduce((n, k) => n + spent[k][f], 0), count);
  return {
    submissions: count, perRequest: perKind, perSubmission: { serverMs: total('server'), mainThreadMs: total('main'), postgresMs: total('postgres') },
    what: 'CPU per request and per submission, requests one at a time: the server processes (all threads; mainThread: the event loop alone) and the run\'s PostgreSQL backends',
  };
}

const bench: Bench = {
  title: `online submissions with a 2 MB document over HTTP: ${RATE}/s for ${SECONDS} s, ${CITIZENS} citizens, ${PROCESSES} server process${PROCESSES === 1 ? '' : 'es'}, PostgreSQL`,
  async run(log) {
    const nodeArgs = (process.env['SERVE_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
    // One signing secret for every process, as a deployment's TOKEN_SECRET is: a session made by one verifies on another.
    const tokenSecret = randomBytes(32).toString('hex');
    const start = <T>(env: NodeJS.ProcessEnv): { child: ChildProcess; ready: Promise<T> } => {
      const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', fileURLToPath(new URL('./online/serve.ts', import.meta.url))], {
        stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ONLINE_CITIZENS: String(CITIZENS), ONLINE_TOKEN_SECRET: tokenSecret, ...env },
      });
      const ready = new Promise<T>((resolve, reject) => {
        child.once('exit', (code) => reject(new Error(`server exited early (${code})`)));
        createInterface({ input: child.stdout! }).once('line', (l) => resolve(JSON.parse(l) as T));
      });
      return { child, ready };
    };
    // The first process creates and seeds the database and runs the provider; the others join it.
    const first = start<Ready>({});
    const children = [first.child];
    try {
      const ready = await first.ready;
      const others = Array.from({ length: PROCESSES - 1 }, () => start<{ port: number }>({ ONLINE_JOIN: JSON.stringify(ready) }));
      children.push(...others.map((o) => o.child));
      const ports = [ready.port, ...(await Promise.all(others.map((o) => o.ready))).map((r) => r.port)];
      const balancer = roundRobin(ports.map((p) => `http://127.0.0.1:${p}`));
      const sessions = [];
      for (const c of ready.citizens) sessions.push(await signIn(balancer, ready.issuer, c));
      log(`  ${sessions.length} citizens signed in through the provider; ${PROCESSES} server process${PROCESSES === 1 ? '' : 'es'}, requests round-robin; warming up…`);
      const ctx: Ctx = { balancer, unit: ready.unit, sessions, children, next: { n: 0 }, database: new URL(ready.databaseUrl).pathname.slice(1) };
      const warm = Math.min(5, Math.max(2, SECONDS / 10));
      await openLoop(ctx, RATE, warm, DOC_BYTES);
      log(`  baseline: the same submissions with a 2 KB birth certificate, ${RATE}/s for ${SECONDS} s…`);
      const small = await openLoop(ctx, RATE, SECONDS, 2048);
      log(`  ${small.submissionsPerSecond}/s, p99 ${small.p99Ms} ms; the 2 MB run…`);
      const big = await openLoop(ctx, RATE, SECONDS, DOC_BYTES);
      log(`  ${ALONE} submissions one at a time, the CPU each request costs…`);
      const oneAtATime = await alone(ctx, ALONE, DOC_BYTES);
      const result = {
        machine: machine(), database: 'postgresql', serverProcesses: PROCESSES, balancing: 'round-robin per request', targetRate: RATE, seconds: SECONDS, citizens: CITIZENS, documentBytes: DOC_BYTES,
        requestsPerSubmission: 5, online: big, baselineSmallDocument: small, oneAtATime,
        ratio: {
          submissionsPerSecond: Math.round((big.submissionsPerSecond / small.submissionsPerSecond) * 100) / 100,
          serverCpu: big.serverCpuPerSubmission && small.serverCpuPerSubmission ? Math.round((big.serverCpuPerSubmission.totalMs / small.serverCpuPerSubmission.totalMs) * 100) / 100 : null,
          what: 'the 2 MB run ÷ the 2 KB baseline of the same run (throughput; server CPU per submission)',
        },
        bar: BAR,
      };
      const pass = big.errors === 0 && big.submissionsPerSecond >= BAR.rate * 0.98 && big.p99Ms < BAR.maxP99Ms;
      return {
        result, pass,
        summary: [
          `  ${PROCESSES} server process${PROCESSES === 1 ? '' : 'es'} (round-robin per request); 2 MB: ${big.submissions} submissions, ${big.submissionsPerSecond}/s (target ${RATE}), p50 ${big.p50Ms} ms, p99 ${big.p99Ms} ms (bar ${BAR.maxP99Ms}), ${big.errors} errors${big.firstError ? ` (${big.firstError})` : ''}, server CPU ${big.serverCpuPerSubmission?.totalMs ?? '?'} ms/submission`,
          `  2 MB run, CPU per submission: ${Object.entries(big.machineCpuPerSubmission).map(([k, v]) => `${k} ${v ?? '?'}`).join(', ')} (40 ms = both cores at 50/s)`,
          `  2 MB run, slowest (started at s: ms): ${big.slowest.map((x) => `${x.atS}: ${x.ms}`).join(', ')}`,
          `  2 MB run, p99 per request: ${KINDS.map((k) => `${k} ${big.perRequest[k].p99Ms} ms`).join(', ')}`,
          `  one at a time (2 MB), CPU per submission: server ${oneAtATime.perSubmission.serverMs} ms (event loop ${oneAtATime.perSubmission.mainThreadMs}), PostgreSQL ${oneAtATime.perSubmission.postgresMs} ms`,
          `    per request (server/event loop/PostgreSQL ms): ${KINDS.map((k) => `${k} ${oneAtATime.perRequest[k].serverMs}/${oneAtATime.perRequest[k].mainThreadMs}/${oneAtATime.perRequest[k].postgresMs}`).join(', ')}`,
          `  2 KB baseline: ${small.submissionsPerSecond}/s, p50 ${small.p50Ms} ms, p99 ${small.p99Ms} ms, server CPU ${small.serverCpuPerSubmission?.totalMs ?? '?'} ms/submission; ratio CPU ${result.ratio.serverCpu}`,
          `  load average at start ${result.machine.loadAverage.start.join(' ')}, at end ${result.machine.loadAverage.end.join(' ')}`,
        ],
      };
    } finally {
      // The joiners first: the first process removes the uploads folder they write to.
      for (const child of children.reverse()) {
        if (child.exitCode !== null || child.signalCode !== null) continue;
        await new Promise<void>((r) => { child.once('exit', () => r()); child.kill('SIGTERM'); });
      }
    }
  },
};

export default bench;
