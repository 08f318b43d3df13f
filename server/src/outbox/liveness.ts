/**
 * Which server processes are alive, so that a starting process can release the webhook
 * claims of dead ones instead of letting them wait out their lease (5 minutes by default).
 *
 * PGlite: one process only, so every claim found at start belongs to a dead process.
 * PostgreSQL: every running process holds a shared session advisory lock on one key, on a
 * connection kept for its lifetime; a starting process that can take that lock exclusively
 * knows it is alone (a process that died lost its session and its lock with it). If the
 * connection drops, the lock is taken again on a fresh one; while it is missing, a starting
 * process may release a claim of a live one, which then sends a delivery twice at worst
 * (deliveries are at least once; receivers de-duplicate by event id).
 */
import { randomUUID } from 'node:crypto';
import { and, eq, isNotNull, ne } from 'drizzle-orm';
import type pg from 'pg';
import { webhookDeliveries } from '../db/schema';
import type { Deps } from '../deps';
import { isConnectionError, outageLog } from '../db/outage';
import { safeError } from '../http/logSafe';

/** This process, as `webhook_deliveries.claimed_by` names it. */
export const PROCESS_ID = randomUUID();

/** pg advisory lock key held (shared) by every live server process. */
const ALIVE_LOCK = '8029514750419401729';
const RETRY_MS = 5000;

/** Gives back the leases of processes that are gone: due now, attempts kept (they may have been sent). */
export async function releaseOrphanClaims(deps: Deps): Promise<number> {
  const released = await deps.db.update(webhookDeliveries)
    .set({ nextAttemptAt: deps.clock.now().toISOString(), claimedBy: null })
    .where(and(eq(webhookDeliveries.status, 'pending'), isNotNull(webhookDeliveries.claimedBy), ne(webhookDeliveries.claimedBy, PROCESS_ID)))
    .returning({ id: webhookDeliveries.id });
  if (released.length) deps.logger.info({ deliveries: released.length }, 'webhook claims of a stopped process released: sent again now');
  return released.length;
}

export interface Liveness {
  /** Whether this process was the only one running when it started. */
  alone: boolean;
  stop(): Promise<void>;
}

/**
 * Marks this process alive and, when it is the only one, releases the claims left by
 * processes that died. Call once at start, before the background jobs claim anything.
 */
export async function startLiveness(deps: Deps): Promise<Liveness> {
  const pool = deps.database.pool;
  if (!pool) {
    await releaseOrphanClaims(deps);
    return { alone: true, stop: async () => {} };
  }
  let client: pg.PoolClient | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;

  const hold = async (probeAlone: boolean): Promise<boolean> => {
    const c = await pool.connect();
    c.on('error', (err) => {
      deps.logger.warn({ err }, 'liveness: the connection holding the process lock failed; taking it again');
      if (client === c) client = null;
      try {
        c.release(err);
      } catch {
        // already released
      }
      if (!stopped && !timer) timer = setTimeout(retry, RETRY_MS).unref();
    });
    let alone = false;
    try {
      if (probeAlone) {
        alone = (await c.query<{ ok: boolean }>(`select pg_try_advisory_lock(${ALIVE_LOCK}) as ok`)).rows[0]?.ok === true;
        if (alone) await releaseOrphanClaims(deps);
        // Until the shared lock below is held, another starting process may also find itself alone: harmless, this one claims nothing yet.
        if (alone) await c.query(`select pg_advisory_unlock(${ALIVE_LOCK})`);
      }
      await c.query(`select pg_advisory_lock_shared(${ALIVE_LOCK})`);
    } catch (err) {
      c.release(err as Error);
      throw err;
    }
    client = c;
    return alone;
  };

  function retry(): void {
    timer = null;
    if (stopped || client) return;
    hold(false).catch((err: unknown) => {
      if (isConnectionError(err)) outageLog(deps.logger).report(err, 'liveness');
      else deps.logger.warn({ err: safeError(err) }, 'liveness: could not take the process lock; retrying');
      if (!stopped && !timer) timer = setTimeout(retry, RETRY_MS).unref();
    });
  }

  const alone = await hold(true);
  if (!alone) deps.logger.info('other server processes are running: their webhook claims are left to their leases');
  return {
    alone,
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      const c = client;
      client = null;
      if (!c) return;
      try {
        await c.query(`select pg_advisory_unlock_shared(${ALIVE_LOCK})`);
        c.release();
      } catch (err) {
        c.release(err as Error);
      }
    },
  };
}
