/**
 * The default namespace `/`: officers, each with an access token. A socket joins its user's
 * room and the rooms of its own units and roles on connecting, a dossier's room on request
 * (checked against the visibility rule), and is closed when its token expires or its
 * user's access changes.
 */
import type { Server} from 'socket.io';
import { type Socket } from 'socket.io';
import type { Logger } from 'pino';
import { decodeJwt } from 'jose';
import type { Deps } from '../deps';
import { currentUser, loadUser, type AuthUser, verificationSecrets, verifyToken } from '../auth/service';
import { visibleDossier } from '../dossiers/service';
import { audienceSees, lensesOf, loadDossier, ownRooms, sees } from '../dossiers/index';
import { HttpError } from '../http/errors';
import type { BusMessage } from '../bus';
import { MAX_CODE_LENGTH } from './citizens';
import { Claims } from './claims';
import type { DossierChanged, InterServerEvents, OfficerClientEvents, OfficerData, OfficerServerEvents, RealtimeError, Text } from './events';

export type RealtimeServer = Server<OfficerClientEvents, OfficerServerEvents, InterServerEvents, OfficerData>;
type OfficerSocket = Socket<OfficerClientEvents, OfficerServerEvents, InterServerEvents, OfficerData>;

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

/** Who a token belongs to and the rooms they may join now; null when the token is invalid or revoked. */
async function authenticate(deps: Deps, token: string): Promise<OfficerData | null> {
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
}

/** Closes the socket when its token expires (tokens outliving a timer are left to revocation). */
function expireWithToken(socket: OfficerSocket, deps: Deps): (() => void) {
  const { expiresAt } = socket.data;
  const left = expiresAt === null ? null : expiresAt - deps.clock.now().getTime();
  const expiry = left !== null && left <= MAX_TIMER_MS ? setTimeout(() => {
    socket.emit('session:expired');
    socket.disconnect(true);
  }, Math.max(left, 0)) : null;
  expiry?.unref();
  return () => { if (expiry) clearTimeout(expiry); };
}

/**
 * `dossier:watch`: joins a dossier's room once the user, as they are now, may see it.
 * `watches`: the dossier rooms this socket holds or has asked for (./claims.ts): a watch counts
 * against the limit from the moment it is asked for, so a burst sent at once cannot pass it.
 */
function watch(
  socket: OfficerSocket, deps: Deps, log: Logger, watches: Claims, id: unknown, reply: Parameters<OfficerClientEvents['dossier:watch']>[1] & object,
): void {
  if (!validId(id)) return reply(BAD_ID);
  const room = rooms.dossier(id);
  const limit = deps.config.officerWatchLimit;
  const claim = watches.claim(room, limit);
  if (!claim) {
    return reply(fail('TOO_MANY', { vi: `Chỉ theo dõi được tối đa ${limit} hồ sơ cùng lúc`, en: `At most ${limit} dossiers can be watched at once` }));
  }
  (async () => {
    // Grants and delegations as they are now, not as they were when the socket connected.
    const current: AuthUser | null = await loadUser(deps, socket.data.user.id);
    if (!current || current.tokenVersion !== socket.data.tokenVersion) {
      reply({ ok: false, error: UNAUTHENTICATED });
      socket.disconnect(true);
      return;
    }
    const row = await visibleDossier(deps, current, id);
    // An unwatch sent meanwhile withdrew the claim: it wins.
    if (claim.settle() && socket.connected) await socket.join(room);
    reply({ ok: true, dossierId: row.id, version: row.version, status: row.status });
  })().catch((err: unknown) => {
    claim.settle();
    if (err instanceof HttpError) {
      // A dossier watched before and no longer visible (or gone) is left too.
      void socket.leave(room);
      reply(fail(err.status === 404 ? 'NOT_FOUND' : err.status === 403 ? 'FORBIDDEN' : 'BAD_REQUEST', err.messages));
    } else {
      log.error({ err, dossier: id }, 'realtime: dossier:watch failed');
      reply(UNAVAILABLE);
    }
  });
}

/** Serves `/`: authenticates every socket, joins its rooms, answers watch and unwatch. */
export function serveOfficers(io: RealtimeServer, deps: Deps, log: Logger): void {
  io.use((socket, next) => {
    const token = tokenOf(socket.handshake.auth);
    if (!token) {
      next(refusal(UNAUTHENTICATED));
      return;
    }
    authenticate(deps, token).then((data) => {
      if (!data) return next(refusal(UNAUTHENTICATED));
      socket.data = data;
      next();
    }, (err: unknown) => {
      log.warn({ err }, 'realtime: could not authenticate a socket');
      next(refusal(UNAVAILABLE.error));
    }).catch((err: unknown) => log.error({ err }, 'realtime: connection handler failed'));
  });

  io.on('connection', (socket: OfficerSocket) => {
    const { user, units, roles } = socket.data;
    // Joined synchronously, before any later bus message can be relayed.
    void socket.join([rooms.user(user.id), ...units.map(rooms.unit), ...roles]);
    log.debug({ socket: socket.id, user: user.id, units: units.length }, 'realtime: officer connected');
    const stopExpiry = expireWithToken(socket, deps);
    socket.on('disconnect', (reason) => {
      stopExpiry();
      log.debug({ socket: socket.id, user: user.id, reason }, 'realtime: officer disconnected');
    });
    const watches = new Claims(() => [...socket.rooms].filter((r) => r.startsWith('dossier:')));
    socket.on('dossier:watch', (id, ack) => watch(socket, deps, log, watches, id, typeof ack === 'function' ? ack : () => {}));
    socket.on('dossier:unwatch', (id, ack) => {
      const reply = typeof ack === 'function' ? ack : () => {};
      if (!validId(id)) return reply(BAD_ID);
      watches.withdraw(rooms.dossier(id));
      void socket.leave(rooms.dossier(id));
      reply({ ok: true, dossierId: id });
    });
  });
}

type DossierNotice = BusMessage & { type: 'dossier.changed' };

/** Whether a watcher's user, as they are now, may see the dossier as the change left it. */
async function watcherSees(deps: Deps, socket: OfficerSocket, m: DossierNotice): Promise<boolean> {
  const user = await currentUser(deps, socket.data.user.id);
  if (!user || user.tokenVersion !== socket.data.tokenVersion) return false;
  const lenses = await lensesOf(deps, user);
  const a = m.audience;
  if (a?.procedure !== undefined) return audienceSees(lenses, { units: a.units, roles: a.roles, procedure: a.procedure });
  // Relayed from a process of an earlier version (no procedure named): the rule on the row as it is now.
  const row = await loadDossier(deps.db, m.dossierId);
  return row !== null && sees(lenses, row);
}

/**
 * Tells this process's officer sockets of a dossier's change.
 *
 * The unit and role rooms (joined on connecting, for the user's own grants) are the visibility
 * rule itself (`audienceOf`): whoever is in one of the change's rooms may see the dossier.
 * A dossier's own room is not: it was joined after a check, and what held then may not hold
 * now — the dossier went to another unit or role or was closed, or the delegation that let
 * the watcher in ran out (the end of a period announces nothing, unlike a revocation or a
 * change of grants, which close the socket). So a watcher in none of the change's other rooms
 * is checked before it is told, against the change's own audience (no read of the dossier)
 * with the user's lenses (cached, as for requests), and leaves the room when it may no longer
 * see the dossier, so later changes skip it. Checking when a change is sent, rather than
 * re-checking every room whenever grants or dossiers move, costs nothing for the officers of
 * the dossier's units and roles (most watchers), one cached check for a delegate, and cannot
 * miss a way of losing sight of a dossier, since it asks the rule itself.
 *
 * The check is asynchronous: a socket with one under way gets every later change through the
 * same queue, so no change overtakes an earlier one.
 */
export function dossierDelivery(io: RealtimeServer, deps: Deps, log: Logger): (m: DossierNotice) => void {
  const officers = io.of('/');
  const queues = new Map<string, Promise<void>>();
  const enqueue = (socket: OfficerSocket, task: () => Promise<void>) => {
    const next: Promise<void> = (queues.get(socket.id) ?? Promise.resolve()).then(task)
      .catch((err: unknown) => log.warn({ err, socket: socket.id }, 'realtime: a change for a dossier\'s watcher was not sent'))
      .finally(() => { if (queues.get(socket.id) === next) queues.delete(socket.id); });
    queues.set(socket.id, next);
  };
  return (m) => {
    const payload: DossierChanged = {
      dossierId: m.dossierId, version: m.version, status: m.status, units: m.units, assignees: m.assignees, step: m.step, action: m.action,
    };
    const heard = m.audience ? [...m.audience.units.map(rooms.unit), ...m.audience.roles.map(rooms.role)] : m.units.map(rooms.unit);
    const direct = [...heard, ...m.assignees.map(rooms.user)];
    const hears = (s: OfficerSocket) => direct.some((r) => s.rooms.has(r));
    const queued = [...queues.keys()];
    io.local.to(direct).except(queued).emit('dossier:changed', payload);
    for (const id of queued) {
      const s = officers.sockets.get(id);
      if (s && hears(s)) enqueue(s, async () => { s.emit('dossier:changed', payload); });
    }
    const room = rooms.dossier(m.dossierId);
    for (const id of [...(officers.adapter.rooms.get(room) ?? [])]) {
      const s = officers.sockets.get(id);
      if (!s || hears(s)) continue;
      enqueue(s, async () => {
        if (await watcherSees(deps, s, m)) {
          s.emit('dossier:changed', payload);
          return;
        }
        await s.leave(room);
        // Told only which dossier it was (what they watched): an open page stops offering actions they may no longer take.
        s.emit('dossier:unwatched', { dossierId: m.dossierId });
      });
    }
  };
}

/**
 * Ends this process's sockets of a user whose access changed: revoked ones (token older
 * than `tokenVersion`) for good, the others (roles or delegations changed, `null`) so they
 * reconnect and join the rooms they may see now. Also forgets the cached user (and, on a
 * change of access, the cached delegations), so this process's HTTP requests see the change
 * at once too.
 */
export function closeSessions(io: RealtimeServer, deps: Deps, userId: string, tokenVersion: number | null): void {
  deps.directory.forget(`user:${userId}`);
  // A delegation recorded or revoked: every cached list of delegations, since a delegate
  // further down a chain (a KT. resting on a TL.) holds the revoked one in their own list.
  if (tokenVersion === null) deps.directory.forget('delegations:');
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
}
