/**
 * Rate limits kept in the application's own database (table `rate_limits`), through
 * rate-limiter-flexible's store contract: the library does the counting, blocking and
 * insurance; this store only reads and writes counters — with the injected clock, so tests
 * move time instead of waiting.
 *
 * Several server processes on one PostgreSQL share the counters (one atomic upsert per
 * hit), so a client spread over processes by a load balancer gets no more than the limit.
 * On PGlite there is one process anyway. While the database is unreachable the library
 * falls back to a per-process memory limiter (its "insurance"), which counts in real time.
 */
import { createRequire } from 'node:module';
import type { Response } from 'express';
import { RateLimiterMemory, RateLimiterRes, type RateLimiterStoreAbstract as StoreAbstract } from 'rate-limiter-flexible';
import { rawOf, type Raw } from '../db/raw';
import type { Clock } from '../clock';
import type { Db } from '../db/client';
import { HttpError } from './errors';

// The base class of the library's own stores (typed in its declarations) is not re-exported by its index.
const RateLimiterStoreAbstract = createRequire(import.meta.url)('rate-limiter-flexible/lib/RateLimiterStoreAbstract.js') as typeof StoreAbstract;

interface Row { points: number; expire_ms: number | null }

/** Expired counters are swept about once per this many writes. */
const SWEEP_EVERY = 500;

/** A rate-limiter-flexible store over `rate_limits`; the library calls the underscored methods. */
class DbLimiter extends RateLimiterStoreAbstract {
  private readonly raw: Raw;
  private writes = 0;

  constructor(db: Db, private readonly clock: Clock, opts: { keyPrefix: string; points: number; duration: number; blockDuration?: number }) {
    super({ ...opts, storeClient: db, insuranceLimiter: new RateLimiterMemory(opts) });
    this.raw = rawOf(db);
  }

  private now(): number {
    return this.clock.now().getTime();
  }

  async _upsert(rlKey: string, points: number, msDuration: number, forceExpire = false): Promise<Row> {
    const now = this.now();
    const expire = msDuration > 0 ? new Date(now + msDuration).toISOString() : null;
    if (++this.writes % SWEEP_EVERY === 0) {
      await this.raw.query({ text: 'delete from rate_limits where expire < $1', values: [new Date(now).toISOString()] });
    }
    // A counter whose window has passed starts again; `forceExpire` (block, set) always does.
    // Committed without waiting for the WAL flush (synchronous_commit off for this statement
    // alone): a counter is worth no disk wait on every public request, and a crash loses at
    // most the last moment's counts. The counter row of a code many look up is then locked for
    // the statement, not for a flush too.
    const [row] = await this.raw.query<Row>({
      name: 'motcua_rate_limit_upsert',
      text: `with quick as (select set_config('synchronous_commit', 'off', true))
        insert into rate_limits (key, points, expire) select $1, $2, $3::timestamptz from quick
        on conflict (key) do update set
          points = case when $4::boolean or rate_limits.expire <= $5::timestamptz then $2 else rate_limits.points + $2 end,
          expire = case when $4::boolean or rate_limits.expire <= $5::timestamptz then $3::timestamptz else rate_limits.expire end
        returning points, (extract(epoch from expire) * 1000)::float8 as expire_ms`,
      values: [rlKey, points, expire, forceExpire, new Date(now).toISOString()],
    });
    return row!;
  }

  async _get(rlKey: string): Promise<Row | null> {
    const [row] = await this.raw.query<Row>({
      name: 'motcua_rate_limit_get',
      text: `select points, (extract(epoch from expire) * 1000)::float8 as expire_ms from rate_limits
        where key = $1 and (expire is null or expire > $2::timestamptz)`,
      values: [rlKey, this.clock.now().toISOString()],
    });
    return row ?? null;
  }

  async _delete(rlKey: string): Promise<boolean> {
    return (await this.raw.query({ text: 'delete from rate_limits where key = $1 returning key', values: [rlKey] })).length > 0;
  }

  _getRateLimiterRes(_rlKey: string, changedPoints: number, row: Row): RateLimiterRes {
    const consumed = Number(row.points);
    return new RateLimiterRes(
      Math.max(this.points - consumed, 0),
      row.expire_ms === null ? -1 : Math.max(Number(row.expire_ms) - this.now(), 0),
      consumed,
      changedPoints === consumed,
    );
  }
}

export interface LimitPolicy {
  /** Counted events allowed per window. */
  points: number;
  /** The window, in seconds. */
  duration: number;
  /** Once over the limit, refused for this long (seconds); default: until the window ends. */
  blockDuration?: number;
}

/** A 429 with `retryAfterSeconds`; the caller's HTTP answer also gets a Retry-After header. */
export function tooMany(msBeforeNext: number, what: { vi: string; en: string }, res?: Response | null): HttpError {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  res?.setHeader('Retry-After', String(seconds));
  const minutes = Math.ceil(seconds / 60);
  return new HttpError(429, 'TOO_MANY_REQUESTS', {
    vi: `Quá nhiều ${what.vi}; vui lòng thử lại sau ${minutes} phút`,
    en: `Too many ${what.en}; try again in ${minutes} minute(s)`,
  }, undefined, { retryAfterSeconds: seconds });
}

/** A named limit over keys (an address, a dossier code); its `db` is the database itself, never a transaction (a counter commits on its own). */
export class Limit {
  private readonly limiter: DbLimiter;

  constructor(db: Db, clock: Clock, readonly name: string, readonly policy: LimitPolicy, private readonly what: { vi: string; en: string }) {
    this.limiter = new DbLimiter(db, clock, { keyPrefix: name, ...policy });
  }

  /** Counts one event for `key`; over the limit, returns the wait in ms, else null. */
  async hit(key: string): Promise<number | null> {
    try {
      await this.limiter.consume(key);
      return null;
    } catch (e) {
      if (e instanceof RateLimiterRes) return e.msBeforeNext;
      throw e;
    }
  }

  /** The wait in ms when `key` is already at the limit, without counting; null when it may go on. */
  async blocked(key: string): Promise<number | null> {
    const r = await this.limiter.get(key);
    return r && r.consumedPoints >= this.policy.points && r.msBeforeNext > 0 ? r.msBeforeNext : null;
  }

  /** Throws a 429 (Retry-After on `res`) when `key` is at the limit, not counting. */
  async check(key: string, res?: Response | null): Promise<void> {
    const wait = await this.blocked(key);
    if (wait !== null) throw tooMany(wait, this.what, res);
  }

  /** Counts one event for `key`; throws a 429 (Retry-After on `res`) when it goes over the limit. */
  async take(key: string, res?: Response | null): Promise<void> {
    const wait = await this.hit(key);
    if (wait !== null) throw tooMany(wait, this.what, res);
  }

  /** Takes back one event counted by `take` for what did not happen after all (a refused form, a replay). */
  async giveBack(key: string): Promise<void> {
    await this.limiter.reward(key, 1);
  }
}
