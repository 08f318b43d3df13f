import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import type { Logger } from 'pino';
import * as schema from './schema';
import { isConnectionError, outageLog } from './outage';

export type Schema = typeof schema;
/** The one database type the server codes against: PGlite and node-postgres both satisfy it. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** The node-postgres pool (PostgreSQL only), for LISTEN/NOTIFY and the socket.io adapter. */
  pool: pg.Pool | null;
  /**
   * PostgreSQL only: a second, small pool for single statements a transaction takes outside
   * itself (a dossier's running number, see ../dossiers/code.ts). Its own pool, so a request
   * holding a connection of the main one never waits for another of that same pool.
   */
  outside: pg.Pool | null;
  close(): Promise<void>;
}

const MIGRATIONS = fileURLToPath(new URL('../../drizzle', import.meta.url));

export interface OpenOptions {
  /** postgres://… — a PostgreSQL server; without it, embedded PGlite. */
  url?: string;
  /** PGlite data folder; omitted = in memory. */
  dataDir?: string;
  poolSize?: number;
  /** Where a lost connection is reported (once per outage); without it, silently survived. */
  logger?: Logger;
  /** How long a query waits for a connection before failing (a 503 during an outage); default 5 s. */
  connectTimeoutMs?: number;
}

/**
 * A node-postgres pool that survives the database going away. pg-pool listens for errors
 * only on idle clients: a client checked out (held by a transaction, or the LISTEN client)
 * whose connection drops emits 'error' with no listener, and Node ends the process. Every
 * client gets its own listener as it is created; the query in flight fails on its own and
 * the pool drops the broken client when it is released. A new connection that succeeds
 * after an outage ends it in the log.
 */
export function resilientPool(config: pg.PoolConfig, logger?: Logger): pg.Pool {
  const outage = outageLog(logger);
  const pool = new pg.Pool({ connectionTimeoutMillis: 5000, keepAlive: true, ...config });
  const lost = (where: string) => (err: unknown) => {
    if (isConnectionError(err)) outage.report(err, where);
    else logger?.warn({ err }, `database client error (${where})`);
  };
  pool.on('error', lost('idle client'));
  const connectedAt = new WeakMap<pg.PoolClient, number>();
  pool.on('connect', (client) => {
    client.on('error', lost('client'));
    connectedAt.set(client, Date.now());
    outage.recovered();
  });
  // A client connected since the outage began, checked out again, is a live connection: the
  // outage (or a connection error taken for one) is over even when no new connection was needed.
  pool.on('acquire', (client) => {
    const since = outage.since;
    if (since !== null && (connectedAt.get(client) ?? 0) > since) outage.recovered();
  });
  return pool;
}

/** Opens the database and applies pending migrations (same SQL on PGlite and PostgreSQL). */
export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.url) {
    const pool = resilientPool({ connectionString: options.url, max: options.poolSize ?? 20, connectionTimeoutMillis: options.connectTimeoutMs ?? 5000 }, options.logger);
    const db = drizzlePg(pool, { schema });
    await migratePg(db, { migrationsFolder: MIGRATIONS });
    const outside = resilientPool({ connectionString: options.url, max: 2, connectionTimeoutMillis: options.connectTimeoutMs ?? 5000 }, options.logger);
    return {
      db: db as unknown as Db, kind: 'postgres', pool, outside,
      close: async () => { await Promise.all([pool.end(), outside.end()]); },
    };
  }
  const client = options.dataDir ? new PGlite(options.dataDir) : new PGlite();
  const db = drizzlePglite(client, { schema });
  await migratePglite(db, { migrationsFolder: MIGRATIONS });
  return { db: db as unknown as Db, kind: 'pglite', pool: null, outside: null, close: () => client.close() };
}

/** One round trip: whether the database answers. */
export async function ping(db: Db): Promise<void> {
  await db.execute(sql`select 1`);
}
