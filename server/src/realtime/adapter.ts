import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type pg from 'pg';
import type { Namespace } from 'socket.io';
import { createAdapter } from '@socket.io/postgres-adapter';
import { isConnectionError, outageLog } from '../db/outage';
import { isUniqueViolation } from '../db/errors';

/** Channel prefix of the NOTIFY channels (`<prefix>#<namespace>`), distinct from other socket.io apps on the same database. */
const CHANNEL_PREFIX = 'motcua.io';
const TABLE = 'socket_io_attachments';
/** socket.io-adapter's MessageType.SERVER_SIDE_EMIT, and the uid its emitters use (not counted as a server). */
const SERVER_SIDE_EMIT = 9;
const EMITTER_UID = 'emitter';

/** The table the adapter keeps payloads over the NOTIFY size limit in (its README's DDL). */
async function ensureTable(pool: pg.Pool): Promise<void> {
  try {
    await pool.query(`CREATE TABLE IF NOT EXISTS ${TABLE} (
      id          bigserial UNIQUE,
      created_at  timestamptz DEFAULT NOW(),
      payload     bytea
    )`);
  } catch (e) {
    // Two processes starting together may race on IF NOT EXISTS: the loser sees a duplicate.
    if (!isUniqueViolation(e) && (e as { code?: string }).code !== '42P07') throw e;
  }
}

/**
 * The pool as the adapter sees it. The adapter keeps one client checked out for LISTEN and
 * listens to its `end` but not its `error`: a checked-out pg client without an error
 * listener takes the process down when the connection drops. Here the error is logged
 * and the client handed back to the pool as broken (so `pool.end()` does not wait for
 * it); the adapter then reconnects on `end`, every 1–3 s until the database is back
 * (the pool's own listener logs the outage once).
 */
function guardedPool(pool: pg.Pool, log: Logger): pg.Pool {
  const connect = async (): Promise<pg.PoolClient> => {
    const client = await pool.connect();
    const release = (err: Error) => {
      try {
        client.release(err);
      } catch {
        // already released by the adapter
      }
    };
    client.on('error', (err) => {
      log.debug({ err }, 'realtime: the LISTEN connection failed; reconnecting');
      release(err);
    });
    // A connection that ends while its LISTEN query runs emits no 'error': the adapter
    // reconnects on 'end' but would keep the dead client checked out of the pool.
    client.once('end', () => release(new Error('LISTEN connection ended')));
    return client;
  };
  return { connect, query: pool.query.bind(pool) } as unknown as pg.Pool;
}

/** The socket.io adapter over PostgreSQL LISTEN/NOTIFY, so several server processes share rooms. */
export async function postgresAdapter(pool: pg.Pool, log: Logger): Promise<ReturnType<typeof createAdapter>> {
  await ensureTable(pool);
  return createAdapter(guardedPool(pool, log), {
    channelPrefix: CHANNEL_PREFIX,
    tableName: TABLE,
    errorHandler: (err) => {
      if (isConnectionError(err)) outageLog(log).report(err, 'realtime');
      else log.warn({ err }, 'realtime: PostgreSQL adapter error');
    },
  });
}

/**
 * Resolves once each namespace receives what other processes publish: a server-side emit
 * is NOTIFYed on the namespace's channel (as socket.io's emitters do) until the adapter's
 * LISTEN connection delivers it back. The adapter connects in the background; without
 * this, events published in the first moments after start could miss this process.
 * Gives up (false) after `timeoutMs`: the server still runs, rooms stay local meanwhile.
 */
export async function adapterReady(pool: pg.Pool, namespaces: Namespace[], timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (const nsp of namespaces) {
    const nonce = randomUUID();
    let resolve: () => void = () => {};
    const arrived = new Promise<void>((r) => { resolve = r; });
    const onProbe = (got: unknown) => { if (got === nonce) resolve(); };
    nsp.on('motcua:probe', onProbe);
    try {
      const message = JSON.stringify({ uid: EMITTER_UID, nsp: nsp.name, type: SERVER_SIDE_EMIT, data: { packet: ['motcua:probe', nonce] } });
      let ok = false;
      while (!ok && Date.now() < deadline) {
        await pool.query('SELECT pg_notify($1, $2)', [`${CHANNEL_PREFIX}#${nsp.name}`, message]);
        let timer: NodeJS.Timeout | undefined;
        ok = await Promise.race([
          arrived.then(() => true),
          new Promise<boolean>((r) => { timer = setTimeout(() => r(false), 100); }),
        ]);
        clearTimeout(timer);
      }
      if (!ok) return false;
    } finally {
      nsp.off('motcua:probe', onProbe);
    }
  }
  return true;
}
