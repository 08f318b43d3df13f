/**
 * Crash test: the real server (`server/src/main.ts` in its own process) on PostgreSQL is
 * killed with SIGKILL while officers send actions and intakes, then restarted on the same
 * database. An acknowledged action survives the crash and is in the history exactly once;
 * every history's hash chain still holds; a request whose answer was lost, retried with the
 * same Idempotency-Key, is applied once; the outbox drains to a webhook receiver. Papers
 * uploaded meanwhile leave no file without its record after the restart.
 *
 * PostgreSQL only: PGlite runs with fsync off and is not crash-safe by design.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain, type HistoryRow } from '../../server/src/dossiers/chain';
import { defaultConfig } from '../../server/src/config';
import {
  filesUnder, intakeBody, login, post, randomPdf, seed, sendUpload, sleep, REQUEST_TIMEOUT_MS, type DossierAnswer, type Upload,
} from './support/fixture';
import {
  createDatabase, dropDatabase, killHard, startReceiver, startServer, stopServer, type Receiver, type ServerProcess,
} from './support/process';

/** The lease a claimed delivery keeps (the server runs with the default). */
const LEASE_MS = defaultConfig().webhookLeaseMs;

const BASE = process.env['DATABASE_URL']?.trim() || '';
const SKIP_REASON = 'skipped: needs DATABASE_URL (PostgreSQL); PGlite runs with fsync off and is not crash-safe by design';

if (!BASE) process.stderr.write(`tests/faults/crash.test.ts ${SKIP_REASON}\n`);

/** Clients taking the repeatable `note` action, each on dossiers of its own (no version conflicts). */
const NOTE_CLIENTS = 12;
const DOSSIERS_PER_NOTE_CLIENT = 3;
/** Clients receiving new dossiers (intake + accept in one request). */
const INTAKE_CLIENTS = 4;
/**
 * The kill comes once this many requests and KILL_AFTER_UPLOADS uploads were acknowledged, or
 * after MAX_LOAD_MS, not before MIN_LOAD_MS. Counted, not timed: on a machine busy with other
 * tests the first upload (its checker worker starting) took longer than the whole load once did.
 */
const KILL_AFTER_ACKS = 600;
const KILL_AFTER_UPLOADS = 6;
/** Clients uploading papers (desk officer) to the note clients' dossiers. */
const UPLOAD_CLIENTS = 3;
const UPLOAD_BYTES = 256 * 1024;
const MIN_LOAD_MS = 1500;
const MAX_LOAD_MS = 30_000;
const DRAIN_TIMEOUT_MS = 60_000;

type Kind = 'note' | 'intake';

/** One request sent under load, and what became of it. */
interface Sent {
  key: string;
  kind: Kind;
  token: string;
  path: string;
  body: Record<string, unknown>;
  /** pending: no answer yet; acked: a 2xx answer was read in full; refused: a non-2xx answer; lost: no answer (the crash). */
  outcome: 'pending' | 'acked' | 'refused' | 'lost';
  status?: number;
  answer?: unknown;
  error?: string;
}

describe.skipIf(!BASE)(`crash: kill -9 the server under load${BASE ? '' : ` (${SKIP_REASON})`}`, () => {
  const runId = `${process.pid}_${Date.now()}`;
  const dbName = `motcua_crash_${runId}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'motcua-crash-'));
  const uploadDir = join(dataDir, 'uploads');
  const uploads: Upload[] = [];
  const tokenSecret = randomBytes(32).toString('hex');
  const hookSecret = `hook-${randomBytes(16).toString('hex')}`;
  let databaseUrl = '';
  let dbCreated = false;
  let server: ServerProcess | null = null;
  let receiver: Receiver | null = null;
  let sql: pg.Pool | null = null;
  const sent: Sent[] = [];
  const tokens = new Map<string, string>();
  const figures: Record<string, number | string> = {};
  const killOnExit = () => server?.child.kill('SIGKILL');

  const q = async <T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> => (await sql!.query<T>(text, params)).rows;
  const url = () => server!.url;
  const tail = () => `\n--- server log (tail) ---\n${server?.log().slice(-4000) ?? ''}`;

  beforeAll(async () => {
    process.once('exit', killOnExit);
    // given a fresh database with officers and a procedure whose `note` action repeats
    databaseUrl = await createDatabase(BASE, dbName);
    dbCreated = true;
    await seed(databaseUrl);
    sql = new pg.Pool({ connectionString: databaseUrl, max: 4 });
    // and the real server in its own process
    const firstStartAt = Date.now();
    server = await startServer({ databaseUrl, dataDir, tokenSecret, readyTimeoutMs: 60_000 });
    figures['firstStartMs'] = server.readyMs;
    for (const u of ['admin', 'desk', 'spec1', 'spec2', 'spec3']) tokens.set(u, await login(url(), u));
    // and a webhook receiver subscribed to every dossier topic
    receiver = await startReceiver(hookSecret);
    const sub = await post(`${url()}/api/webhooks`, tokens.get('admin')!, { url: receiver.url, secret: hookSecret, topics: ['dossier.*'] });
    if (sub.status !== 201) throw new Error(`subscribe: ${sub.status} ${JSON.stringify(sub.body)}`);
    // and dossiers waiting at the specialists' step, a few per note client
    const owned: string[][] = [];
    for (let c = 0; c < NOTE_CLIENTS; c++) {
      const ids: string[] = [];
      for (let i = 0; i < DOSSIERS_PER_NOTE_CLIENT; i++) {
        const r = await post(`${url()}/api/dossiers`, tokens.get('desk')!, intakeBody(`setup-${runId}-c${c}-${i}`), `setup-${runId}-c${c}-${i}`);
        if (r.status !== 201) throw new Error(`setup intake: ${r.status} ${JSON.stringify(r.body)}`);
        ids.push((r.body as DossierAnswer).id);
      }
      owned.push(ids);
    }

    // when officers send actions and intakes concurrently, each with its own Idempotency-Key…
    let stop = false;
    let acked = 0;
    let uploadsAcked = 0;
    const client = async (make: (n: number) => Omit<Sent, 'outcome'>): Promise<void> => {
      for (let n = 0; !stop; n++) {
        const s: Sent = { ...make(n), outcome: 'pending' };
        sent.push(s);
        try {
          const r = await post(`${url()}${s.path}`, s.token, s.body, s.key);
          s.status = r.status;
          s.answer = r.body;
          s.outcome = r.status >= 200 && r.status < 300 ? 'acked' : 'refused';
          if (s.outcome === 'acked') acked++;
          else stop = true; // nothing should be refused before the crash: stop and let the checks say why
        } catch (e) {
          const err = e as { message?: string; cause?: { code?: string; message?: string } };
          s.outcome = 'lost';
          s.error = err.cause?.code ?? err.cause?.message ?? err.message ?? String(e);
          return;
        }
      }
    };
    const clients: Promise<void>[] = [];
    for (let c = 0; c < NOTE_CLIENTS; c++) {
      const spec = `spec${(c % 3) + 1}`;
      clients.push(client((n) => {
        const key = `note-${runId}-c${c}-${n}`;
        const id = owned[c]![n % DOSSIERS_PER_NOTE_CLIENT]!;
        return { key, kind: 'note', token: tokens.get(spec)!, path: `/api/dossiers/${encodeURIComponent(id)}/actions`, body: { step: 'work', action: 'note', inputs: { text: key } } };
      }));
    }
    // …and papers are uploaded meanwhile
    for (let c = 0; c < UPLOAD_CLIENTS; c++) {
      clients.push((async () => {
        for (let n = 0; !stop; n++) {
          const u: Upload = { key: `upload-${runId}-c${c}-${n}`, dossierId: owned[(c + n) % NOTE_CLIENTS]![0]!, data: randomPdf(UPLOAD_BYTES), outcome: 'pending' };
          uploads.push(u);
          try {
            const r = await sendUpload(url(), tokens.get('desk')!, u);
            u.status = r.status;
            u.id = r.body?.id;
            u.outcome = r.status === 201 ? 'acked' : 'refused';
            if (u.outcome === 'acked') uploadsAcked++;
            if (u.outcome === 'refused') stop = true;
          } catch {
            u.outcome = 'lost';
            return;
          }
        }
      })());
    }
    for (let c = 0; c < INTAKE_CLIENTS; c++) {
      clients.push(client((n) => {
        const key = `intake-${runId}-c${c}-${n}`;
        return { key, kind: 'intake', token: tokens.get('desk')!, path: '/api/dossiers', body: intakeBody(key) };
      }));
    }
    const loadStart = performance.now();
    while (!stop) {
      const elapsed = performance.now() - loadStart;
      if (elapsed >= MAX_LOAD_MS || (elapsed >= MIN_LOAD_MS && acked >= KILL_AFTER_ACKS && uploadsAcked >= KILL_AFTER_UPLOADS)) break;
      await sleep(10);
    }
    // …the server is killed with SIGKILL in the middle of it
    stop = true;
    const pendingAtKill = sent.filter((s) => s.outcome === 'pending').length;
    const killedAt = Date.now();
    const how = await killHard(server);
    if (how !== 'SIGKILL') throw new Error(`the server did not die of SIGKILL: ${how}${tail()}`);
    await Promise.all(clients);
    figures['loadMs'] = Math.round(performance.now() - loadStart);
    figures['ackedBeforeKill'] = sent.filter((s) => s.outcome === 'acked').length;
    figures['inFlightAtKill'] = pendingAtKill;
    figures['lost'] = sent.filter((s) => s.outcome === 'lost').length;
    figures['refusedBeforeKill'] = sent.filter((s) => s.outcome === 'refused').length;
    figures['receivedBeforeKill'] = receiver.seen.size;
    const left = filesUnder(uploadDir);
    figures['uploadsAcked'] = uploads.filter((u) => u.outcome === 'acked').length;
    figures['uploadsLost'] = uploads.filter((u) => u.outcome === 'lost').length;
    figures['stagedAtKill'] = left.filter((f) => f.endsWith('.part')).length;

    // Deliveries the dead process had claimed keep its lease (WEBHOOK_LEASE_SECONDS, 5 min by default) before
    // another worker may send them again. The test does not wait 5 minutes: while the server is down
    // it lets exactly those leases expire (after checking they are leases, not retry backoffs).
    const leased = await q<{ id: string; ahead_ms: string; last_error: string | null }>(
      `select id, extract(epoch from (next_attempt_at - $1::timestamptz)) * 1000 as ahead_ms, last_error
         from webhook_deliveries where status = 'pending' and next_attempt_at > now()`, [new Date(killedAt).toISOString()]);
    for (const l of leased) {
      const ahead = Number(l.ahead_ms);
      if (l.last_error !== null || ahead > LEASE_MS + 5000 || ahead < LEASE_MS - (killedAt - firstStartAt) - 5000) {
        throw new Error(`delivery ${l.id} waits ${ahead} ms past the kill with error ${l.last_error}: not a lease of the dead process`);
      }
    }
    await q(`update webhook_deliveries set next_attempt_at = now() where id = any($1::bigint[])`, [leased.map((l) => l.id)]);
    figures['leasesExpired'] = leased.length;

    // then the server restarts on the same database
    const restartAt = Date.now();
    server = await startServer({ databaseUrl, dataDir, tokenSecret, readyTimeoutMs: 60_000 });
    figures['restartReadyMs'] = server.readyMs;
    figures['killToReadyMs'] = Date.now() - killedAt;
    figures['downToRestartMs'] = restartAt - killedAt;
  }, 150_000);

  afterAll(async () => {
    console.log(`crash test figures: ${JSON.stringify(figures)}`);
    process.off('exit', killOnExit);
    if (server) await stopServer(server);
    await receiver?.close();
    await sql?.end();
    if (dbCreated) await dropDatabase(BASE, dbName);
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  /** Keys found in the histories: note keys (the note text) and intake keys (the applicant's name). */
  async function keysInHistory(): Promise<Map<string, { dossierId: string; seq: number }[]>> {
    const rows = await q<{ key: string; dossier_id: string; seq: number }>(
      `select payload->'inputs'->>'text' as key, dossier_id, seq from dossier_events where type = 'action.applied' and payload->>'action' = 'note'
       union all
       select payload->'input'->'applicant'->>'name' as key, dossier_id, seq from dossier_events where type = 'dossier.started'`);
    const out = new Map<string, { dossierId: string; seq: number }[]>();
    for (const r of rows) out.set(r.key, [...(out.get(r.key) ?? []), { dossierId: r.dossier_id, seq: r.seq }]);
    return out;
  }

  it('should have put the server under load and killed it with requests in flight', () => {
    // then the run did what a crash test needs: answers before the kill, requests without one
    expect(sent.filter((s) => s.outcome === 'refused').map((s) => `${s.key}: ${s.status} ${JSON.stringify(s.answer)}`)).toEqual([]);
    expect(sent.filter((s) => s.outcome === 'pending').map((s) => s.key)).toEqual([]);
    expect(figures['ackedBeforeKill']).toBeGreaterThan(50);
    expect(figures['lost']).toBeGreaterThan(0);
  });

  it('should keep every acknowledged request exactly once, with the answer its history shows', async () => {
    // when the histories and the stored answers are read back after the restart
    const inHistory = await keysInHistory();
    const stored = new Map((await q<{ key: string; status: number; body: DossierAnswer }>('select key, status, body from idempotency_keys'))
      .map((r) => [r.key, r]));
    const problems: string[] = [];
    for (const s of sent.filter((x) => x.outcome === 'acked')) {
      const found = inHistory.get(s.key) ?? [];
      const answer = s.answer as DossierAnswer;
      // then each acknowledged request is in one history, once, where its answer said
      if (found.length !== 1) problems.push(`${s.key}: ${found.length} events`);
      else if (found[0]!.dossierId !== answer.id) problems.push(`${s.key}: in ${found[0]!.dossierId}, answered ${answer.id}`);
      else if (s.kind === 'note' && found[0]!.seq !== answer.version) problems.push(`${s.key}: seq ${found[0]!.seq}, answered version ${answer.version}`);
      // and its answer is stored for retries
      const row = stored.get(s.key);
      if (!row) problems.push(`${s.key}: no stored answer`);
      else if (row.status !== s.status || row.body.id !== answer.id || row.body.version !== answer.version) problems.push(`${s.key}: stored answer differs`);
    }
    // and a request whose answer was lost is applied at most once, and only along with its stored answer
    for (const s of sent.filter((x) => x.outcome === 'lost')) {
      const n = (inHistory.get(s.key) ?? []).length;
      if (n > 1) problems.push(`${s.key} (lost): ${n} events`);
      if (n !== (stored.has(s.key) ? 1 : 0)) problems.push(`${s.key} (lost): ${n} events but ${stored.has(s.key) ? 'an' : 'no'} answer stored`);
    }
    // and nothing is in a history that nobody asked for
    const asked = new Set(sent.map((s) => s.key));
    const unknown = [...inHistory.keys()].filter((k) => !asked.has(k) && !k.startsWith(`setup-${runId}-`));
    expect(unknown).toEqual([]);
    expect(problems).toEqual([]);
    figures['lostButCommitted'] = sent.filter((s) => s.outcome === 'lost' && stored.has(s.key)).length;
  });

  it('should keep every history whole: versions match event counts and every hash chain verifies', async () => {
    // when each dossier's stored version and head are compared with its history
    const rows = await q<{ id: string; version: number; last_hash: string; n: number; min: number; max: number }>(
      `select d.id, d.version, d.last_hash, count(e.seq)::int as n, min(e.seq) as min, max(e.seq) as max
         from dossiers d left join dossier_events e on e.dossier_id = d.id group by d.id order by d.id`);
    // then the events are 1..version without gaps
    expect(rows.filter((r) => !(r.n === r.version && r.min === 1 && r.max === r.version)).map((r) => `${r.id}: version ${r.version}, ${r.n} events ${r.min}..${r.max}`)).toEqual([]);
    // and the chain verifies up to the stored head, both here and through the API
    const broken: string[] = [];
    for (const r of rows) {
      const events = await q<HistoryRow>(
        `select dossier_id as "dossierId", seq, type, at::text, actor_id as "actorId", actor_name as "actorName", payload,
                prev_hash as "prevHash", hash, chain from dossier_events where dossier_id = $1 order by seq`, [r.id]);
      const v = verifyChain(events);
      if (!v.ok || v.head !== r.last_hash) broken.push(`${r.id}: ${JSON.stringify(v)}`);
    }
    expect(broken).toEqual([]);
    const viaApi: string[] = [];
    for (let i = 0; i < rows.length; i += 8) {
      await Promise.all(rows.slice(i, i + 8).map(async (r) => {
        const res = await fetch(`${url()}/api/dossiers/${encodeURIComponent(r.id)}/verify`, {
          headers: { Authorization: `Bearer ${tokens.get('spec1')!}` }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        const body = (await res.json()) as { ok?: boolean; matchesHead?: boolean; length?: number };
        if (res.status !== 200 || !body.ok || !body.matchesHead || body.length !== r.version) viaApi.push(`${r.id}: ${res.status} ${JSON.stringify(body)}`);
      }));
    }
    expect(viaApi).toEqual([]);
    figures['dossiers'] = rows.length;
    figures['events'] = rows.reduce((a, r) => a + r.n, 0);
  });

  it('should apply a request whose answer was lost once when retried with the same key, and answer a second retry the same', async () => {
    const lost = sent.filter((s) => s.outcome === 'lost');
    const problems: string[] = [];
    // when every request without an answer is sent again, twice, with the same key
    for (const s of lost) {
      const first = await post(`${url()}${s.path}`, s.token, s.body, s.key);
      const second = await post(`${url()}${s.path}`, s.token, s.body, s.key);
      // then the first retry succeeds (applied now, or the answer stored before the crash) and the second repeats it
      if (first.status < 200 || first.status >= 300) problems.push(`${s.key}: retry ${first.status} ${JSON.stringify(first.body)}`);
      if (second.status !== first.status) problems.push(`${s.key}: second retry ${second.status} after ${first.status}`);
      expect(second.body, s.key).toEqual(first.body);
      if (s.kind === 'note' && second.headers.get('idempotent-replayed') !== 'true') problems.push(`${s.key}: second retry not marked replayed`);
      s.status = first.status;
      s.answer = first.body;
    }
    // and an acknowledged request retried after the crash gets its first answer, applying nothing
    const acked = sent.filter((s) => s.outcome === 'acked');
    const sample = acked.filter((_, i) => i % Math.max(1, Math.floor(acked.length / 40)) === 0);
    for (const s of sample) {
      const again = await post(`${url()}${s.path}`, s.token, s.body, s.key);
      if (again.status !== s.status) problems.push(`${s.key}: replay ${again.status}, first ${s.status}`);
      expect(again.body, s.key).toEqual(s.answer);
    }
    expect(problems).toEqual([]);
    // and now every request ever sent is in a history exactly once, where its answer says
    const inHistory = await keysInHistory();
    const counts = sent.map((s) => ({ s, found: inHistory.get(s.key) ?? [] }));
    expect(counts.filter(({ found }) => found.length !== 1).map(({ s, found }) => `${s.key}: ${found.length}`)).toEqual([]);
    expect(counts.filter(({ s, found }) => found[0]!.dossierId !== (s.answer as DossierAnswer).id).map(({ s }) => s.key)).toEqual([]);
    const notes = await q<{ n: number }>(`select count(*)::int as n from dossier_events where type = 'action.applied' and payload->>'action' = 'note'`);
    expect(notes[0]!.n).toBe(sent.filter((s) => s.kind === 'note').length);
    figures['retried'] = lost.length;
    figures['replaySample'] = sample.length;
  });

  it('should leave no uploaded file without its record after the restart, and every record with its file whole', async () => {
    expect(uploads.filter((u) => u.outcome === 'refused').map((u) => `${u.key}: ${u.status}`)).toEqual([]);
    expect(figures['uploadsAcked']).toBeGreaterThanOrEqual(KILL_AFTER_UPLOADS);
    const rows = await q<{ id: string; storage_key: string; sha256: string }>('select id, storage_key, sha256 from documents');
    const files = filesUnder(uploadDir);
    // then nothing is staged any more (the running process's heartbeat aside)
    expect(files.filter((f) => f.startsWith('.tmp/') && !f.endsWith('/alive'))).toEqual([]);
    // and every blob in place has its row, every row its blob, whole
    const keys = new Set(rows.map((r) => r.storage_key));
    expect(files.filter((f) => !f.startsWith('.tmp/') && !keys.has(f))).toEqual([]);
    expect(rows.filter((r) => {
      const path = join(uploadDir, ...r.storage_key.split('/'));
      return !existsSync(path) || createHash('sha256').update(readFileSync(path)).digest('hex') !== r.sha256;
    }).map((r) => r.id)).toEqual([]);
    // and every acknowledged upload is among them
    const ids = new Set(rows.map((r) => r.id));
    expect(uploads.filter((u) => u.outcome === 'acked' && !ids.has(u.id!)).map((u) => u.key)).toEqual([]);
    figures['documentsAfterRestart'] = rows.length;
  });

  it('should store an upload whose answer was lost once when sent again with its key', async () => {
    for (const u of uploads.filter((x) => x.outcome === 'lost')) {
      const again = await sendUpload(url(), tokens.get('desk')!, u);
      expect(again.status, u.key).toBe(201);
      u.id = again.body?.id;
    }
    const rows = await q<{ id: string; sha256: string }>('select id, sha256 from documents');
    expect(rows).toHaveLength(uploads.length);
    const byId = new Map(rows.map((r) => [r.id, r.sha256]));
    for (const u of uploads) expect(byId.get(u.id!), u.key).toBe(createHash('sha256').update(u.data).digest('hex'));
  });

  it('should drain the outbox: every event fanned out, delivered and seen by the receiver', async () => {
    // when the restarted server's background loop has had its bounded time
    const started = performance.now();
    let state = { unfanned: -1, outbox: -1, deliveries: -1, undelivered: -1, received: -1 };
    const drained = () => state.unfanned === 0 && state.undelivered === 0 && state.deliveries === state.outbox && state.received === state.outbox;
    while (performance.now() - started < DRAIN_TIMEOUT_MS) {
      const [o] = await q<{ outbox: number; unfanned: number }>(`select count(*)::int as outbox, count(*) filter (where fanned_out_at is null)::int as unfanned from outbox`);
      const [d] = await q<{ deliveries: number; undelivered: number }>(
        `select count(*)::int as deliveries, count(*) filter (where status <> 'delivered')::int as undelivered from webhook_deliveries`);
      state = { ...o!, ...d!, received: receiver!.seen.size };
      if (drained()) break;
      await sleep(200);
    }
    figures['drainMs'] = Math.round(performance.now() - started);
    // then nothing is left to send
    expect(state, `outbox not drained within ${DRAIN_TIMEOUT_MS} ms${tail()}`).toMatchObject({ unfanned: 0, undelivered: 0 });
    expect(state.deliveries).toBe(state.outbox);
    // and the receiver saw every event id (at least once; duplicates only from sends cut off by the crash)
    const eventIds = (await q<{ event_id: string }>('select event_id from outbox')).map((r) => r.event_id).sort();
    expect([...receiver!.seen.keys()].sort()).toEqual(eventIds);
    expect(receiver!.rejected).toEqual([]);
    // and the one event per history entry is there: outbox progress rows equal events
    const [e] = await q<{ events: number; progress: number }>(
      `select (select count(*)::int from dossier_events) as events, (select count(*)::int from outbox where topic = 'dossier.progress') as progress`);
    expect(e!.progress).toBe(e!.events);
    figures['outboxRows'] = eventIds.length;
    figures['duplicateDeliveries'] = [...receiver!.seen.values()].reduce((a, n) => a + n - 1, 0);
  });
});
