/**
 * Outage test: the real server (its own process) on a private PostgreSQL server that is
 * stopped with `pg_ctl stop -m immediate` for 10 s under load and started again, twice.
 * The server process survives; during the outage it answers 503 with Retry-After, never
 * 500; within 5 s of the database's return it answers 2xx again, without a restart. Every
 * request, retried with its Idempotency-Key until it succeeds, is in the history exactly
 * once, and every hash chain verifies.
 *
 * Runs with the fault suite (DATABASE_URL set) and needs PostgreSQL's binaries for the
 * private server (the machine's shared server is never stopped).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMUNE, intakeBody, login, post, seed, sleep, REQUEST_TIMEOUT_MS, type DossierAnswer } from './support/fixture';
import { freePort, startServer, stopServer, type ServerProcess } from './support/process';
import { postgresBin, startPrivatePostgres, type PrivatePostgres } from './support/postgres';

const BASE = process.env['DATABASE_URL']?.trim() || '';
const BIN = postgresBin();
const SKIP = !BASE ? 'needs DATABASE_URL (the fault suite runs on PostgreSQL)' : !BIN ? 'needs PostgreSQL binaries under /usr/lib/postgresql' : '';
if (SKIP) process.stderr.write(`tests/faults/outage.test.ts skipped: ${SKIP}\n`);

const OUTAGES = 2;
const OUTAGE_MS = 10_000;
const LOAD_BEFORE_MS = 1000;
const LOAD_AFTER_MS = 1500;
/** The server must answer 2xx again within this long after the database accepts connections. */
const BACK_WITHIN_MS = 5000;
const NOTE_CLIENTS = 6;
const INTAKE_CLIENTS = 1;
/** A refused client pauses this long before its next request (a load generator, not a DoS). */
const PAUSE_AFTER_REFUSAL_MS = 250;

/**
 * A GET, sent again once when the connection was closed under it: a kept-alive socket the
 * server closed as idle just as it was reused (a race of HTTP keep-alive, not an answer).
 */
async function getOnce(url: string, token: string): Promise<Response> {
  const go = () => fetch(url, { headers: { Authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  try {
    return await go();
  } catch {
    return go();
  }
}

interface Sent {
  key: string;
  kind: 'note' | 'intake';
  token: string;
  path: string;
  body: Record<string, unknown>;
  /** Every answer's status (or the transport error), in order: a refused request is sent again later. */
  tries: (number | string)[];
  answer?: DossierAnswer;
}

describe.skipIf(!!SKIP)('outage: PostgreSQL stopped under load and started again', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'motcua-outage-'));
  const tokenSecret = randomBytes(32).toString('hex');
  let db: PrivatePostgres | null = null;
  let server: ServerProcess | null = null;
  let sql: pg.Pool | null = null;
  const sent: Sent[] = [];
  const tokens = new Map<string, string>();
  /** Statuses answered while the database was down, and whether each 503 carried Retry-After. */
  const duringOutage = { statuses: new Map<string, number>(), without503RetryAfter: 0 };
  const backAfterMs: number[] = [];
  const figures: Record<string, unknown> = {};
  const killOnExit = () => server?.child.kill('SIGKILL');
  const tail = () => `\n--- server log (tail) ---\n${server?.log().slice(-4000) ?? ''}`;

  beforeAll(async () => {
    process.once('exit', killOnExit);
    const t0 = performance.now();
    const phase = (name: string) => { figures[name] = Math.round(performance.now() - t0); };
    // given a private PostgreSQL server with a seeded database, and the server on it
    db = await startPrivatePostgres(await freePort());
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    await admin.query('create database motcua');
    await admin.end();
    const databaseUrl = db.url.replace(/\/postgres$/, '/motcua');
    await seed(databaseUrl);
    sql = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    sql.on('error', () => {});
    phase('seededMs');
    server = await startServer({ databaseUrl, dataDir, tokenSecret, readyTimeoutMs: 60_000 });
    phase('serverReadyMs');
    for (const u of ['desk', 'spec1', 'spec2', 'spec3']) tokens.set(u, await login(server.url, u));
    const owned: string[] = [];
    for (let c = 0; c < NOTE_CLIENTS; c++) {
      const r = await post(`${server.url}/api/dossiers`, tokens.get('desk')!, intakeBody(`setup-${c}`), `setup-${c}`);
      if (r.status !== 201) throw new Error(`setup intake: ${r.status} ${JSON.stringify(r.body)}`);
      owned.push((r.body as DossierAnswer).id);
    }

    // when officers keep sending actions and intakes…
    let down = false;
    let stop = false;
    const send = async (s: Sent): Promise<boolean> => {
      try {
        const r = await post(`${server!.url}${s.path}`, s.token, s.body, s.key);
        s.tries.push(r.status);
        if (down) {
          duringOutage.statuses.set(String(r.status), (duringOutage.statuses.get(String(r.status)) ?? 0) + 1);
          if (r.status === 503 && !/^\d+$/.test(r.headers.get('retry-after') ?? '')) duringOutage.without503RetryAfter++;
        }
        if (r.status >= 200 && r.status < 300) {
          s.answer = r.body as DossierAnswer;
          return true;
        }
      } catch (e) {
        s.tries.push((e as Error).message);
      }
      return false;
    };
    // (a refused request is sent again with its key, as a client honouring Retry-After would, only sooner)
    const client = async (make: (n: number) => Omit<Sent, 'tries'>) => {
      for (let n = 0; !stop; n++) {
        const s: Sent = { ...make(n), tries: [] };
        sent.push(s);
        while (!stop && !(await send(s))) await sleep(PAUSE_AFTER_REFUSAL_MS);
      }
    };
    const clients: Promise<void>[] = [];
    for (let c = 0; c < NOTE_CLIENTS; c++) {
      const token = tokens.get(`spec${(c % 3) + 1}`)!;
      clients.push(client((n) => ({
        key: `note-c${c}-${n}`, kind: 'note', token, path: `/api/dossiers/${encodeURIComponent(owned[c]!)}/actions`,
        body: { step: 'work', action: 'note', inputs: { text: `note-c${c}-${n}` } },
      })));
    }
    for (let c = 0; c < INTAKE_CLIENTS; c++) {
      clients.push(client((n) => ({ key: `intake-c${c}-${n}`, kind: 'intake', token: tokens.get('desk')!, path: '/api/dossiers', body: intakeBody(`intake-c${c}-${n}`) })));
    }

    // …and the database is stopped (immediate) for 10 s and started again, twice
    for (let i = 0; i < OUTAGES; i++) {
      await sleep(LOAD_BEFORE_MS);
      await db.stopImmediate();
      down = true;
      await sleep(OUTAGE_MS);
      down = false;
      await db.start();
      const back = performance.now();
      // a probe asks for a dossier until it gets it (the clients' own answers say the same)
      let ok = false;
      while (!ok && !server.done() && performance.now() - back < 30_000) {
        const res = await fetch(`${server.url}/api/dossiers/${encodeURIComponent(owned[0]!)}`, {
          headers: { Authorization: `Bearer ${tokens.get('desk')!}` }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        }).catch(() => null);
        ok = res?.status === 200;
        await res?.arrayBuffer();
        if (!ok) await sleep(50);
      }
      backAfterMs.push(Math.round(performance.now() - back));
      await sleep(LOAD_AFTER_MS);
    }
    stop = true;
    await Promise.all(clients);
    phase('loadDoneMs');

    // then every request not acknowledged is sent again with its key until it is
    // (eight at a time, given up at once if the server is gone: the checks then say why)
    const unanswered = sent.filter((x) => !x.answer);
    await Promise.all(Array.from({ length: 8 }, async () => {
      for (let s = unanswered.pop(); s && !server!.done(); s = unanswered.pop()) {
        for (let attempt = 0; attempt < 5 && !server!.done() && !(await send(s)); attempt++) await sleep(200);
      }
    }));
    phase('retriedMs');
  }, 180_000);

  afterAll(async () => {
    console.log(`outage test figures: ${JSON.stringify({ ...figures, backAfterMs, duringOutage: Object.fromEntries(duringOutage.statuses), sent: sent.length })}`);
    process.off('exit', killOnExit);
    if (server) await stopServer(server);
    await sql?.end();
    await db?.remove();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('should survive the outages in the same process', () => {
    expect(server!.done(), tail()).toBe(false);
  });

  it('should answer 503 with Retry-After during an outage, never 500', () => {
    const statuses = Object.fromEntries(duringOutage.statuses);
    expect(statuses['503'] ?? 0, JSON.stringify(statuses)).toBeGreaterThan(10);
    expect(Object.keys(statuses).filter((s) => s !== '503' && !s.startsWith('2')), JSON.stringify(statuses)).toEqual([]);
    expect(duringOutage.without503RetryAfter).toBe(0);
    // and nothing at any time answered 500
    expect(sent.filter((s) => s.tries.some((t) => t === 500)).map((s) => `${s.key}: ${s.tries.join(',')}`), tail()).toEqual([]);
  });

  it('should log each outage once as such, and no error', () => {
    const lines = server!.fullLog().split('\n').filter((l) => l.startsWith('{'));
    const byMessage = new Map<string, number>();
    for (const l of lines) { const m = /"msg":"([^"]{0,60})/.exec(l)?.[1] ?? '?'; byMessage.set(m, (byMessage.get(m) ?? 0) + 1); }
    console.log('outage log lines by message:', JSON.stringify([...byMessage]));
    const count = (msg: string) => lines.filter((l) => l.includes(`"msg":"${msg}`)).length;
    expect(count('database unavailable')).toBeGreaterThanOrEqual(OUTAGES);
    expect(count('database unavailable')).toBeLessThanOrEqual(2 * OUTAGES);
    expect(count('database is back')).toBe(count('database unavailable'));
    expect(lines.filter((l) => /"level":(50|60)/.test(l))).toEqual([]);
  });

  it('should serve again within 5 s of each return of the database, without a restart', () => {
    expect(backAfterMs).toHaveLength(OUTAGES);
    for (const ms of backAfterMs) expect(ms).toBeLessThanOrEqual(BACK_WITHIN_MS);
  });

  it('should keep every request exactly once, where its answer says, and every chain whole', async () => {
    expect(sent.filter((s) => !s.answer).map((s) => `${s.key}: ${s.tries.join(',')}`)).toEqual([]);
    const rows = (await sql!.query<{ key: string; dossier_id: string; seq: number }>(
      `select payload->'inputs'->>'text' as key, dossier_id, seq from dossier_events where type = 'action.applied' and payload->>'action' = 'note'
       union all
       select payload->'input'->'applicant'->>'name' as key, dossier_id, seq from dossier_events where type = 'dossier.started'`)).rows;
    const found = new Map<string, { dossierId: string; seq: number }[]>();
    for (const r of rows) found.set(r.key, [...(found.get(r.key) ?? []), { dossierId: r.dossier_id, seq: r.seq }]);
    const problems: string[] = [];
    for (const s of sent) {
      const f = found.get(s.key) ?? [];
      if (f.length !== 1) problems.push(`${s.key}: ${f.length} events (${s.tries.join(',')})`);
      else if (f[0]!.dossierId !== s.answer!.id || (s.kind === 'note' && f[0]!.seq !== s.answer!.version)) problems.push(`${s.key}: not where its answer says`);
    }
    expect(problems).toEqual([]);
    const asked = new Set(sent.map((s) => s.key));
    expect([...found.keys()].filter((k) => !asked.has(k) && !k.startsWith('setup-'))).toEqual([]);
    // and every history verifies through the API
    const ids = (await sql!.query<{ id: string }>('select id from dossiers where receiving_unit = $1', [COMMUNE])).rows.map((r) => r.id);
    const broken: string[] = [];
    await Promise.all(Array.from({ length: 8 }, async () => {
      for (let id = ids.pop(); id; id = ids.pop()) {
        const res = await getOnce(`${server!.url}/api/dossiers/${encodeURIComponent(id)}/verify`, tokens.get('spec1')!);
        const body = (await res.json()) as { ok?: boolean; matchesHead?: boolean };
        if (res.status !== 200 || !body.ok || !body.matchesHead) broken.push(`${id}: ${res.status} ${JSON.stringify(body)}`);
      }
    }));
    expect(broken).toEqual([]);
    figures['dossiers'] = (await sql!.query('select 1 from dossiers')).rowCount ?? 0;
    figures['retried'] = sent.filter((s) => s.tries.length > 1).length;
  });
});
