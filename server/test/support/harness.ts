/**
 * Test harness: a real database per test file (a fresh PostgreSQL database when
 * DATABASE_URL is set, else in-memory PGlite), the real app, a manual clock.
 */
import pg from 'pg';
import { pino, type Logger } from 'pino';
import request from 'supertest';
import type { Grant, ProcedureDefinition } from '@motcua/engine';
import { openDatabase, type Database } from '../../src/db/client';
import { defaultConfig, type ServerConfig } from '../../src/config';
import { ManualClock } from '../../src/clock';
import { Bus } from '../../src/bus';
import { Directory } from '../../src/directory';
import { createApp, httpServer, type App } from '../../src/app';
import type { Deps } from '../../src/deps';
import { grants, procedures, procedureVersions, units, users } from '../../src/db/schema';
import { hashPassword } from '../../src/auth/passwords';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Harness {
  deps: Deps;
  app: App;
  clock: ManualClock;
  http: ReturnType<typeof request>;
  close(): Promise<void>;
}

let counter = 0;

async function freshPostgres(url: string): Promise<string> {
  const name = `motcua_t_${process.pid}_${Date.now()}_${counter++}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function dropPostgres(url: string, dbUrl: string): Promise<void> {
  const name = new URL(dbUrl).pathname.slice(1);
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`drop database if exists "${name}" with (force)`);
  await admin.end();
}

/** Opens a fresh database and app; `now` is the manual clock's start (ISO). */
export async function createHarness(options: { now?: string; config?: Partial<ServerConfig>; logger?: Logger } = {}): Promise<Harness> {
  const base = process.env['DATABASE_URL'];
  const url = base ? await freshPostgres(base) : undefined;
  const database: Database = await openDatabase(url ? { url, poolSize: 10 } : {});
  const clock = new ManualClock(new Date(options.now ?? '2026-03-02T01:00:00.000Z'));
  // Uploads go to a folder of this harness's own, removed on close (unless the test brings one).
  const uploads = options.config?.uploadDir === undefined ? mkdtempSync(join(tmpdir(), 'motcua-test-uploads-')) : null;
  const config = defaultConfig({ loginRateLimit: 1000, demo: false, ...(uploads ? { uploadDir: uploads } : {}), ...(options.config ?? {}) });
  const deps: Deps = {
    database, db: database.db, clock, config,
    logger: options.logger ?? pino({ level: process.env['LOG_LEVEL'] ?? 'silent' }),
    bus: new Bus(),
    directory: new Directory(database.db, clock),
  };
  const app = createApp(deps);
  return {
    deps, app, clock, http: request(httpServer(app.app)),
    close: async () => {
      await database.close();
      if (base && url) await dropPostgres(base, url);
      if (uploads) rmSync(uploads, { recursive: true, force: true });
    },
  };
}

export const DEMO_UNITS = [
  { code: '000.00.00.H99', name: 'UBND tỉnh Demo', kind: 'province', collectiveName: 'ỦY BAN NHÂN DÂN', headTitle: 'CHỦ TỊCH', oneStop: true },
  { code: '000.01.31.H99', name: 'UBND xã An Phú', kind: 'commune', parent: '000.00.00.H99', collectiveName: 'ỦY BAN NHÂN DÂN', headTitle: 'CHỦ TỊCH', oneStop: true },
  { code: '000.02.31.H99', name: 'UBND phường Bình Minh', kind: 'ward', parent: '000.00.00.H99', collectiveName: 'ỦY BAN NHÂN DÂN', headTitle: 'CHỦ TỊCH', oneStop: true },
];

/** Inserts units and users directly (fixtures), returns nothing; password = username + "-pass". */
/** Runs `work` with some settings of the harness's server changed, and puts them back after, whatever happens. */
export async function withConfig(h: Harness, values: Partial<ServerConfig>, work: () => Promise<void>): Promise<void> {
  const saved = Object.fromEntries(Object.keys(values).map((k) => [k, h.deps.config[k as keyof ServerConfig]])) as Partial<ServerConfig>;
  Object.assign(h.deps.config, values);
  try {
    await work();
  } finally {
    Object.assign(h.deps.config, saved);
  }
}

/**
 * A second server process on the harness's PostgreSQL database (PostgreSQL only): its own
 * pool, bus, directory and app, as another process behind the load balancer would have.
 */
export async function secondProcess(h: Harness, bus = new Bus()): Promise<{ deps: Deps; app: App; close(): Promise<void> }> {
  const { rows: [current] } = await h.deps.database.pool!.query<{ name: string }>('select current_database() as name');
  const url = new URL(process.env['DATABASE_URL']!);
  url.pathname = `/${current!.name}`;
  const database = await openDatabase({ url: url.toString(), poolSize: 4 });
  const deps: Deps = { ...h.deps, database, db: database.db, bus, directory: new Directory(database.db, h.clock) };
  return { deps, app: createApp(deps), close: () => database.close() };
}

export async function seedPeople(h: Harness, people: { username: string; name?: string; grants: Grant[] }[]): Promise<void> {
  await h.deps.db.insert(units).values(DEMO_UNITS).onConflictDoNothing();
  for (const p of people) {
    await h.deps.db.insert(users).values({ id: `u-${p.username}`, username: p.username, name: p.name ?? p.username, passwordHash: await hashPassword(`${p.username}-pass`) });
    if (p.grants.length) await h.deps.db.insert(grants).values(p.grants.map((g) => ({ userId: `u-${p.username}`, role: g.role, unit: g.unit, position: g.position ?? null, title: g.title ?? null })));
  }
  h.deps.directory.invalidateUnits();
}

/** Signs in and returns the bearer header value. */
export async function login(h: Harness, username: string): Promise<string> {
  const res = await h.http.post('/api/auth/login').send({ username, password: `${username}-pass` });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  return `Bearer ${(res.body as { token: string }).token}`;
}

/** Publishes a shipped procedure directly (fixture), in force from 2026-01-01. */
export async function publishFixture(h: Harness, slug: string): Promise<ProcedureDefinition> {
  const { readFileSync } = await import('node:fs');
  const def = JSON.parse(readFileSync(new URL(`../../../procedures/${slug}/procedure.json`, import.meta.url), 'utf8')) as ProcedureDefinition;
  await h.deps.db.insert(procedures).values({ id: def.id, code: def.catalog.code, name: def.catalog.name.vi, field: def.catalog.field }).onConflictDoNothing();
  await h.deps.db.insert(procedureVersions).values({ procedureId: def.id, version: def.version, status: 'published', definition: def, effectiveFrom: '2026-01-01T00:00:00.000Z', publishedAt: '2026-01-01T00:00:00.000Z', publishedBy: 'fixture' });
  return def;
}

/** The commune staff most tests need: desk officer, specialist and deputy chair of An Phú. */
export const ANPHU_STAFF: { username: string; name: string; grants: Grant[] }[] = [
  { username: 'lan', name: 'Nguyễn Thị Lan', grants: [{ role: 'desk', unit: '000.01.31.H99' }] },
  { username: 'hung', name: 'Lê Văn Hùng', grants: [{ role: 'specialist', unit: '000.01.31.H99' }] },
  { username: 'tuan', name: 'Phạm Minh Tuấn', grants: [{ role: 'leader', unit: '000.01.31.H99', position: 'deputy', title: 'PHÓ CHỦ TỊCH' }] },
];
