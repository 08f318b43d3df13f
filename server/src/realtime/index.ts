/**
 * Live updates over socket.io, on the HTTP server's port at `/socket.io`: officers on `/`
 * (./officers.ts), citizens on `/public` (./citizens.ts), and the relay of the in-process
 * bus to both, across processes on PostgreSQL (./busRelay.ts, through
 * `@socket.io/postgres-adapter`); on PGlite (one process) the in-memory adapter.
 *
 * The contract (namespaces, rooms, events, payloads) is in ./events.ts.
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { Deps } from '../deps';
import { adapterReady, postgresAdapter } from './adapter';
import { relayBus } from './busRelay';
import { servePublic, type PublicNamespace } from './citizens';
import { serveOfficers, type RealtimeServer } from './officers';

export type * from './events';
export { rooms, type RealtimeServer } from './officers';

export interface Realtime {
  io: RealtimeServer;
  /** Disconnects this process's clients and stops the adapter; the HTTP server is left to its owner (close it after). */
  close(): Promise<void>;
}

/**
 * Same origin only: a browser page of another site may not open a socket (CORS is not
 * enabled, and WebSockets ignore CORS, hence the explicit check). Clients that send no
 * Origin (other servers, tests) are let through; they still need a token on `/`.
 */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  const forwarded = req.headers['x-forwarded-host'];
  const host = (typeof forwarded === 'string' ? forwarded.split(',')[0]?.trim() : undefined) || req.headers.host;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** Attaches socket.io to the HTTP server and relays the bus to it; resolves once the adapter is listening. */
export async function attachRealtime(httpServer: HttpServer, deps: Deps): Promise<Realtime> {
  const log = deps.logger.child({ module: 'realtime' });
  const pool = deps.database.pool;
  let closing = false;

  const io: RealtimeServer = new Server(httpServer, {
    path: '/socket.io',
    serveClient: false,
    // Clients send dossier codes, nothing big.
    maxHttpBufferSize: 16 * 1024,
    allowRequest: (req, fn) => {
      const ok = !closing && sameOrigin(req);
      fn(ok ? null : closing ? 'Server shutting down' : 'Cross-origin connections are not allowed', ok);
    },
    ...(pool ? { adapter: await postgresAdapter(pool, log) } : {}),
  });
  const pub = io.of('/public') as unknown as PublicNamespace;

  serveOfficers(io, deps, log);
  const publicSide = servePublic(pub, deps, log);
  const relay = relayBus({ io, pub, deps, log, crossProcess: Boolean(pool), refreshPublic: publicSide.refresh });

  if (pool && !(await adapterReady(pool, [io.of('/')]))) {
    log.warn('realtime: the PostgreSQL adapter is not listening yet; other processes\' updates may be missed until it reconnects');
  }
  log.debug({ adapter: pool ? 'postgres' : 'memory' }, 'realtime: attached');

  return {
    io,
    close: async () => {
      if (closing) return;
      closing = true;
      relay.stop(); // what this process committed last still reaches the others
      // This process's sockets only (a broadcast disconnect would reach the other processes' clients).
      for (const nsp of [io.of('/'), io.of('/public')]) for (const socket of nsp.sockets.values()) socket.disconnect(true);
      await Promise.allSettled([io.of('/'), io.of('/public')].map(async (nsp) => { await nsp.adapter.close(); }));
      io.engine.close();
      await publicSide.settled();
    },
  };
}
