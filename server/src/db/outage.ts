/**
 * Database outages: telling a lost connection from a bug, and logging an outage once.
 *
 * While PostgreSQL is down or restarting, every query fails with a connection-class error.
 * Those are not bugs: requests answer 503 with Retry-After (see http/errors.ts) and the log
 * says "database unavailable" once when the outage starts and "database is back" once
 * when a new connection succeeds — not one error line per request.
 */
import type { Logger } from 'pino';

/** Node's socket errors that mean "the database cannot be reached right now". */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOENT']);

/**
 * SQLSTATEs of a server that is going away or not accepting connections yet: admin
 * shutdown, crash shutdown, cannot connect now (starting up, recovering), too many
 * connections, and the whole connection-exception class 08.
 */
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

/** node-postgres and pg-pool messages without a code. */
const MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /connection ended unexpectedly/i,
  /not queryable/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
];

function ownConnectionClass(err: object): boolean {
  const { code, message, syscall } = err as { code?: unknown; message?: unknown; syscall?: unknown };
  if (typeof code === 'string') {
    if (SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
    // ENOENT only as a socket error (a Unix-socket path that is gone), never a missing file.
    if (SOCKET_CODES.has(code) && (code !== 'ENOENT' || syscall === 'connect')) return true;
  }
  return typeof message === 'string' && MESSAGES.some((m) => m.test(message));
}

/**
 * Whether an error, or one it wraps (`cause`, as Drizzle wraps the driver's error, or the
 * `errors` of an AggregateError, as Node reports a failed dual-stack connect), says the
 * database connection was lost or could not be made.
 */
export function isConnectionError(err: unknown): boolean {
  const seen = new Set<unknown>();
  const stack: unknown[] = [err];
  while (stack.length > 0) {
    const e = stack.pop();
    if (typeof e !== 'object' || e === null || seen.has(e) || seen.size > 20) continue;
    seen.add(e);
    if (ownConnectionClass(e)) return true;
    const { cause, errors } = e as { cause?: unknown; errors?: unknown };
    stack.push(cause);
    if (Array.isArray(errors)) stack.push(...(errors as unknown[]));
  }
  return false;
}

/** Seconds a client is asked to wait before retrying during an outage. */
export const OUTAGE_RETRY_AFTER_SECONDS = 5;

/**
 * One process's view of the database's availability, for logging outages once. A process
 * talks to one database, so the state is the process's: the pool's hooks, the error
 * handler, the background jobs and the realtime adapter (each with its own child logger)
 * share it, and the first to see the outage logs it.
 */
class OutageState {
  private since: number | null = null;
  private failures = 0;
  private logger: Logger | null = null;

  /** When the outage in progress began (ms since the epoch), or null. */
  get started(): number | null {
    return this.since;
  }

  report(logger: Logger | null, err: unknown, where: string): void {
    this.failures++;
    if (this.since !== null) return;
    this.since = Date.now();
    this.logger = logger;
    const e = err as { code?: unknown; message?: unknown };
    // Only the code and message: a driver error may carry the statement and its parameters.
    logger?.warn({ where, code: e?.code, reason: typeof e?.message === 'string' ? e.message : String(err) }, 'database unavailable: answering 503 until it is back');
  }

  recovered(): void {
    if (this.since === null) return;
    this.logger?.warn({ downMs: Date.now() - this.since, failures: this.failures }, 'database is back');
    this.since = null;
    this.failures = 0;
    this.logger = null;
  }
}

const state = new OutageState();

export interface OutageLog {
  /** When the outage in progress began (ms since the epoch), or null when the database is up. */
  readonly since: number | null;
  /** A connection-class error: the first of an outage is logged (warn), the others counted. */
  report(err: unknown, where: string): void;
  /** A connection succeeded: an outage in progress ends (logged once, with its length). */
  recovered(): void;
}

/** The process's outage log, reporting through `logger`. */
export function outageLog(logger: Logger | null | undefined): OutageLog {
  return {
    get since() { return state.started; },
    report: (err, where) => state.report(logger ?? null, err, where),
    recovered: () => state.recovered(),
  };
}
