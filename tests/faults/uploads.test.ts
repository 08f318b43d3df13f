/**
 * Uploads crash test: the real server is killed with SIGKILL while officers upload papers,
 * then started again on the same database and folder. After the start no file is left on
 * disk without its record (no staged `.part`, no blob without a row), every record has its
 * file whole (checksum), and every acknowledged upload is there.
 *
 * PostgreSQL only (DATABASE_URL), like the other fault tests.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intakeBody, login, post, seed, sleep, REQUEST_TIMEOUT_MS, type DossierAnswer } from './support/fixture';
import { createDatabase, dropDatabase, killHard, startServer, stopServer, type ServerProcess } from './support/process';

const BASE = process.env['DATABASE_URL']?.trim() || '';
if (!BASE) process.stderr.write('tests/faults/uploads.test.ts skipped: needs DATABASE_URL (PostgreSQL)\n');

const CLIENTS = 8;
const DOSSIERS = 4;
const FILE_BYTES = 384 * 1024;
const KILL_AFTER_ACKS = 40;
const MIN_LOAD_MS = 1000;
const MAX_LOAD_MS = 8000;

interface Upload {
  key: string;
  dossierId: string;
  data: Buffer;
  outcome: 'pending' | 'acked' | 'refused' | 'lost';
  status?: number;
  id?: string;
}

/** A small PDF (the server checks the type by content) with random bytes, so every file differs. */
function pdf(): Buffer {
  const body = randomBytes(FILE_BYTES).toString('base64');
  return Buffer.from(`%PDF-1.4\n1 0 obj\n<< /Length ${body.length} >>\nstream\n${body}\nendstream\nendobj\ntrailer\n<< >>\n%%EOF\n`);
}

async function send(url: string, token: string, u: Upload): Promise<{ status: number; body: { id?: string } | null }> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(u.data)], { type: 'application/pdf' }), `${u.key}.pdf`);
  const res = await fetch(`${url}/api/dossiers/${encodeURIComponent(u.dossierId)}/documents`, {
    method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Idempotency-Key': u.key }, body: form, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as { id?: string }) : null };
}

/** Every file under `dir`, as paths relative to it. */
function filesUnder(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p, `${prefix}${name}/`) : [`${prefix}${name}`];
  });
}

describe.skipIf(!BASE)('uploads: kill -9 the server while officers upload', () => {
  const runId = `${process.pid}_${Date.now()}`;
  const dbName = `motcua_uploads_${runId}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'motcua-uploads-'));
  const uploads = join(dataDir, 'uploads');
  const tokenSecret = randomBytes(32).toString('hex');
  let dbCreated = false;
  let server: ServerProcess | null = null;
  let sql: pg.Pool | null = null;
  let token = '';
  const sent: Upload[] = [];
  const figures: Record<string, number> = {};
  const killOnExit = () => server?.child.kill('SIGKILL');

  beforeAll(async () => {
    process.once('exit', killOnExit);
    const databaseUrl = await createDatabase(BASE, dbName);
    dbCreated = true;
    await seed(databaseUrl);
    sql = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    server = await startServer({ databaseUrl, dataDir, tokenSecret, readyTimeoutMs: 60_000 });
    token = await login(server.url, 'desk');
    const dossiers: string[] = [];
    for (let i = 0; i < DOSSIERS; i++) {
      const r = await post(`${server.url}/api/dossiers`, token, intakeBody(`uploads-${runId}-${i}`), `uploads-${runId}-${i}`);
      if (r.status !== 201) throw new Error(`intake: ${r.status} ${JSON.stringify(r.body)}`);
      dossiers.push((r.body as DossierAnswer).id);
    }

    // when officers upload papers concurrently…
    let stop = false;
    let acked = 0;
    const url = server.url;
    const client = async (c: number) => {
      for (let n = 0; !stop; n++) {
        const u: Upload = { key: `up-${runId}-c${c}-${n}`, dossierId: dossiers[(c + n) % DOSSIERS]!, data: pdf(), outcome: 'pending' };
        sent.push(u);
        try {
          const r = await send(url, token, u);
          u.status = r.status;
          u.outcome = r.status === 201 ? 'acked' : 'refused';
          u.id = r.body?.id;
          if (u.outcome === 'acked') acked++;
          else stop = true;
        } catch {
          u.outcome = 'lost';
          return;
        }
      }
    };
    const clients = Array.from({ length: CLIENTS }, (_, c) => client(c));
    const started = performance.now();
    while (!stop) {
      const elapsed = performance.now() - started;
      if (elapsed >= MAX_LOAD_MS || (elapsed >= MIN_LOAD_MS && acked >= KILL_AFTER_ACKS)) break;
      await sleep(10);
    }
    // …the server is killed in the middle of it
    stop = true;
    const how = await killHard(server);
    if (how !== 'SIGKILL') throw new Error(`the server did not die of SIGKILL: ${how}`);
    await Promise.all(clients);
    const left = filesUnder(uploads);
    figures['acked'] = acked;
    figures['lost'] = sent.filter((u) => u.outcome === 'lost').length;
    figures['stagedAtKill'] = left.filter((f) => f.endsWith('.part')).length;
    figures['filesAtKill'] = left.filter((f) => !f.startsWith('.tmp/')).length;

    // then it starts again on the same database and folder
    server = await startServer({ databaseUrl, dataDir, tokenSecret, readyTimeoutMs: 60_000 });
  }, 120_000);

  afterAll(async () => {
    console.log(`uploads crash figures: ${JSON.stringify(figures)}`);
    process.off('exit', killOnExit);
    if (server) await stopServer(server);
    await sql?.end();
    if (dbCreated) await dropDatabase(BASE, dbName);
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('should have killed the server with uploads in flight', () => {
    expect(sent.filter((u) => u.outcome === 'refused').map((u) => `${u.key}: ${u.status}`)).toEqual([]);
    expect(figures['acked']).toBeGreaterThanOrEqual(10);
    expect(figures['lost']).toBeGreaterThan(0);
  });

  it('should leave no file without its record after the start, and every record with its file whole', async () => {
    const rows = (await sql!.query<{ id: string; storage_key: string; sha256: string }>('select id, storage_key, sha256 from documents')).rows;
    const files = filesUnder(uploads);
    // then nothing is staged any more (the heartbeat of the running process aside)
    expect(files.filter((f) => f.startsWith('.tmp/') && !f.endsWith('/alive'))).toEqual([]);
    // and every blob in place has its row, every row its blob, whole
    const keys = new Set(rows.map((r) => r.storage_key));
    expect(files.filter((f) => !f.startsWith('.tmp/') && !keys.has(f))).toEqual([]);
    const broken = rows.filter((r) => {
      const path = join(uploads, ...r.storage_key.split('/'));
      return !existsSync(path) || createHash('sha256').update(readFileSync(path)).digest('hex') !== r.sha256;
    });
    expect(broken.map((r) => r.id)).toEqual([]);
    // and every acknowledged upload is among them
    const ids = new Set(rows.map((r) => r.id));
    expect(sent.filter((u) => u.outcome === 'acked' && !ids.has(u.id!)).map((u) => u.key)).toEqual([]);
    figures['documents'] = rows.length;
  });

  it('should store an upload whose answer was lost once when sent again with its key', async () => {
    const lost = sent.filter((u) => u.outcome === 'lost');
    for (const u of lost) {
      const again = await send(server!.url, token, u);
      expect(again.status, u.key).toBe(201);
      u.id = again.body?.id;
    }
    const rows = (await sql!.query<{ id: string; sha256: string }>('select id, sha256 from documents')).rows;
    expect(rows).toHaveLength(sent.length);
    const byId = new Map(rows.map((r) => [r.id, r.sha256]));
    for (const u of sent) expect(byId.get(u.id!), u.key).toBe(createHash('sha256').update(u.data).digest('hex'));
  });
});
