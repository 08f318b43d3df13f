/**
 * Live updates over socket.io, on the HTTP server's port at `/socket.io`.
 *
 * The in-process bus announces changes after their transaction commits; this module
 * relays them to rooms. With several server processes on PostgreSQL, each bus message is
 * also sent to the other processes through `@socket.io/postgres-adapter` (one NOTIFY per
 * message) and every process relays it to its own sockets — so a client sees the change
 * whichever process it is connected to. On PGlite (one process) the in-memory adapter.
 *
 * The contract (namespaces, rooms, events, payloads) is in ./events.ts.
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { decodeJwt } from 'jose';
import type { BusMessage } from '../bus';
import type { Deps } from '../deps';
import { loadUser, type AuthUser } from '../auth/middleware';
import { verificationSecrets, verifyToken } from '../auth/tokens';
import { visibleDossier } from '../dossiers/service';
import { lensesOf, ownRooms } from '../dossiers/visibility';
import { HttpError } from '../http/errors';
import { adapterReady, postgresAdapter } from './adapter';
import { MAX_CODE_LENGTH, servePublic, type PublicNamespace } from './public';
import type {
  DossierChanged, InterServerEvents, OfficerClientEvents, OfficerData, OfficerServerEvents, RealtimeError, Text,
} from './events';

export type * from './events';

export type RealtimeServer = Server<OfficerClientEvents, OfficerServerEvents, InterServerEvents, OfficerData>;
type OfficerSocket = Socket<OfficerClientEvents, OfficerServerEvents, InterServerEvents, OfficerData>;

export interface Realtime {
  io: RealtimeServer;
  /** Disconnects this process's clients and stops the adapter; the HTTP server is left to its owner (close it after). */
  close(): Promise<void>;
}

/** Dossier rooms one officer socket may watch at once. */
const MAX_WATCHED = 200;
/** Bus messages per NOTIFY to the other processes (a dossier change is ~250 bytes of JSON). */
const FORWARD_BATCH = 20;
/** setTimeout's longest delay; a token living longer is not timed out by the socket. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export const rooms = {
  user: (id: string) => `user:${id}`,
  unit: (code: string) => `unit:${code}`,
  /** Officers holding a role at a unit (who hear of the dossiers a step of theirs waits on, not the rest). */
  role: (r: { unit: string; role: string }) => `role:${r.unit}:${r.role}`,
  dossier: (id: string) => `dossier:${id}`,
};

const fail = (code: RealtimeError['code'], message: Text) => ({ ok: false as const, error: { code, message } });

const BAD_ID = fail('BAD_REQUEST', {
  vi: `Mã hồ sơ phải là chuỗi 1–${MAX_CODE_LENGTH} ký tự`, en: `The dossier code must be a string of 1–${MAX_CODE_LENGTH} characters`,
});
const UNAVAILABLE = fail('UNAVAILABLE', { vi: 'Máy chủ tạm thời không xử lý được, hãy thử lại', en: 'The server could not handle this now; try again' });
const UNAUTHENTICATED: RealtimeError = {
  code: 'UNAUTHENTICATED', message: { vi: 'Cần đăng nhập (thiếu hoặc sai mã xác thực)', en: 'Authentication required (missing or invalid token)' },
};

const validId = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= MAX_CODE_LENGTH;

/** A connection error the client receives as `connect_error` (`err.message` = code, `err.data` = { code, message }). */
function refusal(error: RealtimeError): Error & { data: RealtimeError } {
  return Object.assign(new Error(error.code), { data: error });
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

function tokenOf(auth: unknown): string | null {
  const raw = (auth as { token?: unknown } | undefined)?.token;
  if (typeof raw !== 'string') return null;
  const token = raw.replace(/^Bearer\s+/i, '').trim();
  return token.length > 0 ? token : null;
}

function expiryOf(token: string): number | null {
  try {
    const { exp } = decodeJwt(token);
    return typeof exp === 'number' ? exp * 1000 : null;
  } catch {
    return null;
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

  // ---- officers: token required --------------------------------------------------------
  io.use((socket, next) => {
    const token = tokenOf(socket.handshake.auth);
    if (!token) {
      next(refusal(UNAUTHENTICATED));
      return;
    }
    const authenticate = async (): Promise<OfficerData | null> => {
      const claims = await verifyToken(token, verificationSecrets(deps.config), deps.clock.now());
      const user = claims ? await loadUser(deps, claims.sub) : null;
      // A revoked token (signed before the user's last logout or password change) is refused.
      if (!user || user.tokenVersion !== claims?.ver) return null;
      const own = ownRooms(await lensesOf(deps, user));
      return {
        user: { id: user.id, username: user.username, name: user.name },
        units: own.units, roles: own.roles.map(rooms.role),
        expiresAt: expiryOf(token),
        tokenVersion: user.tokenVersion,
      };
    };
    authenticate().then((data) => {
      if (!data) return next(refusal(UNAUTHENTICATED));
      socket.data = data;
      next();
    }, (err: unknown) => {
      log.warn({ err }, 'realtime: could not authenticate a socket');
      next(refusal(UNAVAILABLE.error));
    }).catch((err: unknown) => log.error({ err }, 'realtime: connection handler failed'));
  });

  io.on('connection', (socket: OfficerSocket) => {
    const { user, units, roles, expiresAt } = socket.data;
    // Joined synchronously, before any later bus message can be relayed.
    void socket.join([rooms.user(user.id), ...units.map(rooms.unit), ...roles]);
    log.debug({ socket: socket.id, user: user.id, units: units.length }, 'realtime: officer connected');

    const left = expiresAt === null ? null : expiresAt - deps.clock.now().getTime();
    const expiry = left !== null && left <= MAX_TIMER_MS ? setTimeout(() => {
      socket.emit('session:expired');
      socket.disconnect(true);
    }, Math.max(left, 0)) : null;
    expiry?.unref();
    socket.on('disconnect', (reason) => {
      if (expiry) clearTimeout(expiry);
      log.debug({ socket: socket.id, user: user.id, reason }, 'realtime: officer disconnected');
    });

    socket.on('dossier:watch', (id, ack) => {
      const reply = typeof ack === 'function' ? ack : () => {};
      if (!validId(id)) return reply(BAD_ID);
      const room = rooms.dossier(id);
      if (!socket.rooms.has(room) && [...socket.rooms].filter((r) => r.startsWith('dossier:')).length >= MAX_WATCHED) {
        return reply(fail('TOO_MANY', { vi: `Chỉ theo dõi được tối đa ${MAX_WATCHED} hồ sơ cùng lúc`, en: `At most ${MAX_WATCHED} dossiers can be watched at once` }));
      }
      (async () => {
        // Grants and delegations as they are now, not as they were when the socket connected.
        const current: AuthUser | null = await loadUser(deps, user.id);
        if (!current || current.tokenVersion !== socket.data.tokenVersion) {
          reply({ ok: false, error: UNAUTHENTICATED });
          socket.disconnect(true);
          return;
        }
        const row = await visibleDossier(deps, current, id);
        if (socket.connected) await socket.join(room);
        reply({ ok: true, dossierId: row.id, version: row.version, status: row.status });
      })().catch((err: unknown) => {
        if (err instanceof HttpError) {
          reply(fail(err.status === 404 ? 'NOT_FOUND' : err.status === 403 ? 'FORBIDDEN' : 'BAD_REQUEST', err.messages));
        } else {
          log.error({ err, dossier: id }, 'realtime: dossier:watch failed');
          reply(UNAVAILABLE);
        }
      });
    });

    socket.on('dossier:unwatch', (id, ack) => {
      const reply = typeof ack === 'function' ? ack : () => {};
      if (!validId(id)) return reply(BAD_ID);
      void socket.leave(rooms.dossier(id));
      reply({ ok: true, dossierId: id });
    });
  });

  // ---- citizens: anonymous, by code (status; public fields with a second factor) -----
  const publicSide = servePublic(pub, deps, log);

  // ---- the bus → rooms -----------------------------------------------------------------
  /** Emits one bus message to this process's sockets. */
  const relayLocally = (m: BusMessage) => {
    switch (m.type) {
      case 'dossier.changed': {
        const payload: DossierChanged = {
          dossierId: m.dossierId, version: m.version, status: m.status, units: m.units, assignees: m.assignees, step: m.step, action: m.action,
        };
        // Only those who may see the dossier hear of it (a dossier's own room is joined after a visibility check).
        const heard = m.audience ? [...m.audience.units.map(rooms.unit), ...m.audience.roles.map(rooms.role)] : m.units.map(rooms.unit);
        io.local.to([...heard, ...m.assignees.map(rooms.user), rooms.dossier(m.dossierId)]).emit('dossier:changed', payload);
        publicSide.refresh(m.dossierId);
        break;
      }
      case 'stats.changed':
        if (m.units.length) io.local.to(m.units.map(rooms.unit)).emit('stats:changed', { units: m.units });
        break;
      case 'delegation.changed':
        io.local.to([rooms.user(m.from), rooms.user(m.to)]).emit('delegation:changed', {
          delegationId: m.delegationId, change: m.change, from: m.from, to: m.to, by: m.by,
        });
        break;
      case 'catalog.changed':
        io.local.emit('catalog:changed', { procedureId: m.procedureId });
        pub.local.emit('catalog:changed', { procedureId: m.procedureId });
        break;
      case 'access.changed':
        closeSessions(m.userId, m.tokenVersion);
        break;
    }
  };

  /**
   * Ends this process's sockets of a user whose access changed: revoked ones (token older
   * than `tokenVersion`) for good, the others (roles or delegations changed, `null`) so they
   * reconnect and join the rooms they may see now. Also forgets the cached user, so this
   * process's HTTP requests see the change at once too.
   */
  const closeSessions = (userId: string, tokenVersion: number | null) => {
    deps.directory.forget(`user:${userId}`);
    const officers = io.of('/');
    for (const id of [...(officers.adapter.rooms.get(rooms.user(userId)) ?? [])]) {
      const socket = officers.sockets.get(id);
      const data = socket?.data as OfficerData | undefined;
      if (!socket || data?.user?.id !== userId) continue;
      if (tokenVersion === null) socket.emit('session:changed');
      else if (data.tokenVersion < tokenVersion) socket.emit('session:revoked');
      else continue;
      socket.disconnect(true);
    }
  };

  const safely = (m: BusMessage) => {
    // The publisher has already committed: a failure here must never reach it.
    try {
      relayLocally(m);
    } catch (err) {
      log.error({ err, type: m.type }, 'realtime: relay failed');
    }
  };

  // Other processes: the messages committed here within one turn of the event loop go out
  // together, one NOTIFY per batch (kept well under PostgreSQL's 8000-byte payload limit).
  let outgoing: BusMessage[] = [];
  const forward = () => {
    const batch = outgoing;
    outgoing = [];
    for (let i = 0; i < batch.length; i += FORWARD_BATCH) {
      try {
        io.serverSideEmit('motcua:bus', batch.slice(i, i + FORWARD_BATCH));
      } catch (err) {
        log.error({ err }, 'realtime: could not forward bus messages to the other processes');
      }
    }
  };
  if (pool) io.on('motcua:bus', (batch) => { if (Array.isArray(batch)) for (const m of batch) safely(m); });
  const unsubscribe = deps.bus.subscribe((m) => {
    safely(m);
    if (pool && !closing) {
      if (outgoing.length === 0) setImmediate(forward);
      outgoing.push(m);
    }
  });

  if (pool && !(await adapterReady(pool, [io.of('/')]))) {
    log.warn('realtime: the PostgreSQL adapter is not listening yet; other processes\' updates may be missed until it reconnects');
  }
  log.debug({ adapter: pool ? 'postgres' : 'memory' }, 'realtime: attached');

  return {
    io,
    close: async () => {
      if (closing) return;
      closing = true;
      unsubscribe();
      forward(); // what this process committed last still reaches the others
      // This process's sockets only (a broadcast disconnect would reach the other processes' clients).
      for (const nsp of [io.of('/'), io.of('/public')]) for (const socket of nsp.sockets.values()) socket.disconnect(true);
      await Promise.allSettled([io.of('/'), io.of('/public')].map(async (nsp) => { await nsp.adapter.close(); }));
      io.engine.close();
      await publicSide.settled();
    },
  };
}
