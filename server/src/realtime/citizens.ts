/**
 * The `/public` namespace: citizens track a dossier by code, anonymously, under the same
 * rule as the REST lookup (../dossiers/lookup.ts, docs/public-lookup.md): the code alone
 * shows the status; the public fields need a second factor; every subscription counts
 * against the same per-address and per-code limits.
 *
 * Two rooms per dossier keep the two audiences apart: `status:<code>` gets the status only,
 * `full:<code>` the public fields.
 */
import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';
import type { Logger } from 'pino';
import type { Namespace } from 'socket.io';
import type { DossierSnapshot } from '@motcua/engine';
import type { Deps } from '../deps';
import { HttpError } from '../http/errors';
import { safeError } from '../http/logSafe';
import { lookUp, type Factor } from '../dossiers/index';
import { loadDossier, type DossierRow } from '../dossiers/index';
import { Claims } from './claims';
import type {
  InterServerEvents, PublicClientEvents, PublicDossier, PublicDossierStatus, PublicServerEvents, RealtimeError, Text,
} from './events';

/** The longest dossier code accepted from a client (codes are `<unit>-YYMMDD-XXXX`, about 25 characters). */
export const MAX_CODE_LENGTH = 64;

export type PublicNamespace = Namespace<PublicClientEvents, PublicServerEvents, InterServerEvents, Record<string, never>>;

const publicRooms = {
  status: (code: string) => `status:${code}`,
  full: (code: string) => `full:${code}`,
};

const fail = (code: RealtimeError['code'], message: Text) => ({ ok: false as const, error: { code, message } });
const BAD_ID = fail('BAD_REQUEST', {
  vi: `Mã hồ sơ phải là chuỗi 1–${MAX_CODE_LENGTH} ký tự hợp lệ; kèm theo (nếu có) key hoặc last4 (4 chữ số)`,
  en: `The dossier code must be a valid string of 1–${MAX_CODE_LENGTH} characters; optionally with key or last4 (4 digits)`,
});
const UNAVAILABLE = fail('UNAVAILABLE', { vi: 'Máy chủ tạm thời không xử lý được, hãy thử lại', en: 'The server could not handle this now; try again' });
const MISMATCH = fail('FORBIDDEN', {
  vi: 'Thông tin xác minh không khớp với hồ sơ', en: 'The verification details do not match the dossier',
});

/** A code a client may send: text PostgreSQL can compare (no NUL, no lone surrogate). */
export const validCode = (v: unknown): v is string =>
  typeof v === 'string' && v.length > 0 && v.length <= MAX_CODE_LENGTH && !v.includes('\u0000') && !/\p{Cs}/u.test(v);

/** `subscribe`'s argument read: a code, or a code with a factor; null when malformed. */
export function readSubscription(v: unknown): { code: string; factor: Factor } | null {
  if (validCode(v)) return { code: v, factor: {} };
  if (v === null || typeof v !== 'object') return null;
  const { code, key, last4 } = v as { code?: unknown; key?: unknown; last4?: unknown };
  if (!validCode(code)) return null;
  if (key !== undefined && !(typeof key === 'string' && key.length <= 64 && validCode(key))) return null;
  if (last4 !== undefined && !(typeof last4 === 'string' && /^[0-9]{4}$/.test(last4))) return null;
  return { code, factor: { ...(typeof key === 'string' && key ? { key } : {}), ...(typeof last4 === 'string' ? { last4 } : {}) } };
}

const statusOf = (row: DossierRow): PublicDossierStatus => ({ dossierId: row.id, version: row.version, status: row.status });

/** The public fields of a dossier (for a verified tracker): status, current steps by name, deadline. */
async function fullOf(deps: Deps, row: Pick<DossierRow, 'snapshot' | 'procedureId' | 'procedureVersion'>): Promise<PublicDossier> {
  const proc = await deps.directory.procedure(row.procedureId, row.procedureVersion);
  // From the snapshot (ISO timestamps on either driver); only the fields a citizen may see.
  const s = row.snapshot as DossierSnapshot;
  return {
    dossierId: s.dossierId,
    version: s.version,
    status: s.status,
    outcome: s.outcome,
    dueAt: s.clock.dueAt,
    closedAt: s.closedAt,
    current: s.active.map((a) => {
      const name = proc?.steps.get(a.step)?.def.name;
      return { name: name ? { vi: name.vi, ...(name.en ? { en: name.en } : {}) } : null, since: a.enteredAt };
    }),
  };
}

/** A dossier as a verified citizen may see it. Null when unknown. */
export async function publicDossier(deps: Deps, code: string): Promise<PublicDossier | null> {
  const row = await loadDossier(deps.db, code);
  return row ? fullOf(deps, row) : null;
}

/** The address of a socket's client, by the same rule as Express's `trust proxy` ('loopback'). */
const trustLoopback = proxyaddr.compile('loopback');
export const socketAddress = (req: IncomingMessage): string => {
  try {
    return proxyaddr(req, trustLoopback);
  } catch {
    return req.socket.remoteAddress ?? 'unknown';
  }
};

/**
 * At most `publicSocketsPerAddress` open `/public` sockets per client address on this process.
 * Counted when the handshake is let through (synchronously, so a burst of handshakes cannot all
 * pass) and given back when the socket or its connection closes, whichever comes first (a
 * connection that closes between the handshake and the socket's start never has a socket to
 * disconnect). Per process, not across processes: the count lives where the sockets do, and
 * a shared one would cost a round trip per connection; N processes admit at most N times the
 * cap, still a bound.
 */
function capPerAddress(pub: PublicNamespace, deps: Deps, log: Logger): void {
  const open = new Map<string, number>();
  pub.use((socket, next) => {
    // Closed already: socket.io drops it, and its connection's close has been and gone.
    if (socket.conn.readyState !== 'open') return next(new Error('closed'));
    const address = socketAddress(socket.request);
    const limit = deps.config.publicSocketsPerAddress;
    const count = open.get(address) ?? 0;
    if (count >= limit) {
      log.info({ address, limit }, 'realtime: public socket refused, too many from one address');
      next(Object.assign(new Error('TOO_MANY'), {
        data: {
          code: 'TOO_MANY',
          message: {
            vi: `Quá nhiều kết nối theo dõi hồ sơ từ cùng một địa chỉ (tối đa ${limit}); hãy đóng bớt các trang đang mở rồi thử lại`,
            en: `Too many dossier-tracking connections from one address (at most ${limit}); close some open pages and try again`,
          },
        } satisfies RealtimeError,
      }));
      return;
    }
    open.set(address, count + 1);
    let counted = true;
    const release = () => {
      if (!counted) return;
      counted = false;
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    };
    socket.once('disconnect', release);
    socket.conn.once('close', release);
    next();
  });
}

/** Serves `/public`; returns the refresher the bus relay calls when a dossier changed. */
export function servePublic(pub: PublicNamespace, deps: Deps, log: Logger): { refresh(code: string): void; settled(): Promise<unknown> } {
  capPerAddress(pub, deps, log);
  pub.on('connection', (socket) => {
    log.debug({ socket: socket.id }, 'realtime: public client connected');
    socket.on('disconnect', (reason) => log.debug({ socket: socket.id, reason }, 'realtime: public client disconnected'));
    const address = socketAddress(socket.request);
    // The codes this socket tracks (in either room) or has asked to (./claims.ts): a
    // subscription counts from the moment it is asked, as the lookup's reads come before the join.
    const tracked = new Claims(function* () {
      for (const r of socket.rooms) {
        if (r.startsWith('status:')) yield r.slice('status:'.length);
        else if (r.startsWith('full:')) yield r.slice('full:'.length);
      }
    });

    socket.on('subscribe', (subscription, ack) => {
      const reply = typeof ack === 'function' ? ack : () => {};
      const sub = readSubscription(subscription);
      if (!sub) return reply(BAD_ID);
      const { code, factor } = sub;
      const limit = deps.config.publicTrackLimit;
      const claim = tracked.claim(code, limit);
      if (!claim) {
        return reply(fail('TOO_MANY', { vi: `Chỉ theo dõi được tối đa ${limit} hồ sơ cùng lúc`, en: `At most ${limit} dossiers can be tracked at once` }));
      }
      lookUp(deps, null, address, code, factor).then(async ({ row, verified }) => {
        if (!row) {
          claim.settle();
          return reply(fail('NOT_FOUND', { vi: `Không tìm thấy hồ sơ "${code}"`, en: `No dossier "${code}"` }));
        }
        if (factor.key || factor.last4) {
          if (!verified) {
            claim.settle();
            return reply(MISMATCH);
          }
          const dossier = await fullOf(deps, row);
          // An unsubscribe sent meanwhile withdrew the claim: it wins (the answer still goes back).
          if (claim.settle() && socket.connected) { await socket.leave(publicRooms.status(code)); await socket.join(publicRooms.full(code)); }
          return reply({ ok: true, dossier, verified: true });
        }
        if (claim.settle() && socket.connected && !socket.rooms.has(publicRooms.full(code))) await socket.join(publicRooms.status(code));
        reply({ ok: true, dossier: statusOf(row), verified: false });
      }).catch((err: unknown) => {
        claim.settle();
        if (err instanceof HttpError && err.status === 429) return reply(fail('TOO_MANY', err.messages as Text));
        log.error({ err: safeError(err) }, 'realtime: public subscribe failed');
        reply(UNAVAILABLE);
      });
    });

    socket.on('unsubscribe', (code, ack) => {
      const reply = typeof ack === 'function' ? ack : () => {};
      if (!validCode(code)) return reply(BAD_ID);
      tracked.withdraw(code);
      void socket.leave(publicRooms.status(code));
      void socket.leave(publicRooms.full(code));
      reply({ ok: true, dossierId: code });
    });
  });

  /** Per dossier, refreshes run one after another, so trackers never see a version go back. */
  const queue = new Map<string, Promise<void>>();
  const refresh = (code: string) => {
    const rooms = pub.adapter.rooms;
    const statusRoom = publicRooms.status(code);
    const fullRoom = publicRooms.full(code);
    if (!rooms.get(statusRoom)?.size && !rooms.get(fullRoom)?.size) return; // nobody tracks it on this process: no read
    const previous = queue.get(code) ?? Promise.resolve();
    const next = previous.then(async () => {
      const row = await loadDossier(deps.db, code);
      if (!row) return;
      if (rooms.get(statusRoom)?.size) pub.local.to(statusRoom).emit('dossier:changed', statusOf(row));
      if (rooms.get(fullRoom)?.size) pub.local.to(fullRoom).emit('dossier:changed', await fullOf(deps, row));
    }).catch((err: unknown) => log.warn({ err: safeError(err), dossier: code }, 'realtime: public refresh failed'))
      .finally(() => { if (queue.get(code) === next) queue.delete(code); });
    queue.set(code, next);
  };
  return { refresh, settled: () => Promise.allSettled(queue.values()) };
}
