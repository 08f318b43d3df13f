/**
 * Fault test: a webhook receiver goes off the network while officers keep working on many
 * dossiers, then comes back on the same address. The real server (its own process, on
 * PostgreSQL) must deliver every event, and each dossier's events strictly in the order
 * they were committed: no event reaches the receiver before every earlier event of its
 * dossier was acknowledged.
 *
 * PostgreSQL only, like the crash test (the server runs as a separate process).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/src/db/client';
import { grants, procedureVersions, procedures, units, users } from '../../server/src/db/schema';
import { hashPassword } from '../../server/src/auth/passwords';
import { ROOT, createDatabase, dropDatabase, startServer, stopServer, type ServerProcess } from './support/process';

const BASE = process.env['DATABASE_URL']?.trim() || '';
const SKIP_REASON = 'skipped: needs DATABASE_URL (PostgreSQL)';
if (!BASE) process.stderr.write(`tests/faults/webhook-order.test.ts ${SKIP_REASON}\n`);

const PROVINCE = '000.00.00.H99';
const COMMUNE = '000.01.31.H99';
const DOSSIERS = 12;
const NOTES_DURING_OUTAGE = 4;
const DRAIN_TIMEOUT_MS = 120_000;

const sleep = (ms: number) => new Promise<void>((ok) => setTimeout(ok, ms));

async function seed(databaseUrl: string): Promise<void> {
  const database = await openDatabase({ url: databaseUrl, poolSize: 2 });
  try {
    const db = database.db;
    await db.insert(units).values([
      { code: PROVINCE, name: 'UBND tỉnh Demo', kind: 'province' },
      { code: COMMUNE, name: 'UBND xã An Phú', kind: 'commune', parent: PROVINCE },
    ]);
    for (const [username, role, unit] of [['admin', 'admin', PROVINCE], ['desk', 'desk', COMMUNE], ['spec', 'specialist', COMMUNE]] as const) {
      await db.insert(users).values({ id: `u-${username}`, username, name: username, passwordHash: await hashPassword(`${username}-pass`) });
      await db.insert(grants).values({ userId: `u-${username}`, role, unit });
    }
    const def = JSON.parse(readFileSync(join(ROOT, 'bench/fixtures/server-loop.json'), 'utf8')) as {
      id: string; catalog: { code: string; name: { vi: string }; field: string };
    };
    await db.insert(procedures).values({ id: def.id, code: def.catalog.code, name: def.catalog.name.vi, field: def.catalog.field });
    await db.insert(procedureVersions).values({
      procedureId: def.id, version: 1, status: 'published', definition: def, effectiveFrom: '2020-01-01T00:00:00.000Z',
      publishedAt: '2020-01-01T00:00:00.000Z', publishedBy: 'fault-test',
    });
  } finally {
    await database.close();
  }
}

async function post(url: string, token: string | null, body: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, {
    method: 'POST', body: JSON.stringify(body), signal: AbortSignal.timeout(15_000),
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
}

/** A receiver that can go off the network and come back on the same port; it logs every validly signed request in arrival order. */
class Receiver {
  readonly arrivals: { eventId: string; acceptedBefore: ReadonlySet<string> }[] = [];
  readonly accepted = new Set<string>();
  readonly bad: string[] = [];
  private server: Server | null = null;
  port = 0;

  constructor(private readonly secret: string) {}

  async up(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const ts = String(req.headers['x-motcua-timestamp'] ?? '');
        const expected = `sha256=${createHmac('sha256', this.secret).update(`${ts}.${body}`).digest('hex')}`;
        const eventId = String(req.headers['x-motcua-event-id'] ?? '');
        if (req.headers['x-motcua-signature'] !== expected) {
          this.bad.push(eventId);
          res.statusCode = 401;
          return res.end();
        }
        this.arrivals.push({ eventId, acceptedBefore: new Set(this.accepted) });
        this.accepted.add(eventId);
        res.statusCode = 204;
        res.end();
      });
    });
    await new Promise<void>((ok) => server.listen(this.port, '127.0.0.1', ok));
    const a = server.address();
    this.port = typeof a === 'object' && a ? a.port : 0;
    this.server = server;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((ok) => server.close(() => ok()));
  }
}

describe.skipIf(!BASE)(`faults: a webhook receiver down then up${BASE ? '' : ` (${SKIP_REASON})`}`, () => {
  const dbName = `motcua_hookorder_${process.pid}_${Date.now()}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'motcua-hookorder-'));
  const secret = `hook-${randomBytes(16).toString('hex')}`;
  let databaseUrl = '';
  let server: ServerProcess | null = null;
  const receiver = new Receiver(secret);
  let sql: pg.Pool | null = null;

  afterAll(async () => {
    if (server) await stopServer(server);
    await receiver.down();
    await sql?.end();
    if (databaseUrl) await dropDatabase(BASE, dbName);
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('should deliver every dossier\'s events, each dossier in commit order, after the receiver returns', async () => {
    // given the real server on PostgreSQL and a subscribed receiver
    databaseUrl = await createDatabase(BASE, dbName);
    await seed(databaseUrl);
    sql = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    server = await startServer({ databaseUrl, dataDir, tokenSecret: randomBytes(32).toString('hex'), readyTimeoutMs: 60_000 });
    const token = async (u: string) => ((await post(`${server!.url}/api/auth/login`, null, { username: u, password: `${u}-pass` })).body as { token: string }).token;
    const [admin, desk, spec] = [await token('admin'), await token('desk'), await token('spec')];
    await receiver.up();
    const sub = await post(`${server.url}/api/webhooks`, admin, { url: `http://127.0.0.1:${receiver.port}/hook`, secret, topics: ['dossier.*'] });
    expect(sub.status, JSON.stringify(sub.body)).toBe(201);
    // and dossiers received while it is up
    const ids: string[] = [];
    for (let i = 0; i < DOSSIERS; i++) {
      const r = await post(`${server.url}/api/dossiers`, desk, { procedureId: 'bench-loop', channel: 'direct', receivingUnit: COMMUNE, applicant: { name: `hook-${i}` }, accept: true });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      ids.push((r.body as { id: string }).id);
    }
    // when the receiver goes off the network while officers keep working on every dossier
    await receiver.down();
    for (let n = 0; n < NOTES_DURING_OUTAGE; n++) {
      await Promise.all(ids.map(async (id) => {
        const r = await post(`${server!.url}/api/dossiers/${encodeURIComponent(id)}/actions`, spec, { step: 'work', action: 'note', inputs: { text: `note ${n}` } });
        expect(r.status, JSON.stringify(r.body)).toBe(200);
      }));
      await sleep(500);
    }
    // and comes back on the same address
    await receiver.up();
    const expected = (await sql.query<{ event_id: string; dossier_id: string }>('select event_id, dossier_id from outbox order by id')).rows;
    const started = performance.now();
    while (receiver.accepted.size < expected.length && performance.now() - started < DRAIN_TIMEOUT_MS) await sleep(250);
    // then every event arrived
    expect(receiver.bad).toEqual([]);
    expect([...receiver.accepted].sort(), `${receiver.accepted.size} of ${expected.length} after ${DRAIN_TIMEOUT_MS} ms`).toEqual(expected.map((e) => e.event_id).sort());
    // and no event arrived before every earlier event of its dossier had been acknowledged
    const earlier = new Map<string, string[]>();
    const seen = new Map<string, string[]>();
    for (const e of expected) {
      earlier.set(e.event_id, [...(seen.get(e.dossier_id) ?? [])]);
      seen.set(e.dossier_id, [...(seen.get(e.dossier_id) ?? []), e.event_id]);
    }
    const early = receiver.arrivals.flatMap((a) => (earlier.get(a.eventId) ?? []).filter((x) => !a.acceptedBefore.has(x)).map((x) => `${a.eventId} before ${x}`));
    expect(early).toEqual([]);
    console.log(`webhook order fault test: ${expected.length} events of ${DOSSIERS} dossiers, ${receiver.arrivals.length} requests, drained in ${Math.round(performance.now() - started)} ms`);
  }, 300_000);
});
