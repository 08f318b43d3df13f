/**
 * Two officers' actions bumping the same counters (one unit, one procedure, one day) must not
 * wait for each other: a counter row stays locked until its transaction has committed, so
 * with one row per key every such action queued behind the one before (STATS_SHARDS in
 * ../src/db/schema.ts). Here the first transaction holds its bump open while the second
 * bumps the same key with a lock timeout: with one row per key the second fails.
 *
 * PostgreSQL only: PGlite runs one transaction at a time on its one connection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import { createHarness, type Harness } from './support/harness';
import { STATS_SHARD } from '../src/db/schema';
import { bumpDaily } from '../src/stats/index';
import { rows } from '../src/stats/query';
import type { Tx } from '../src/db/client';

const onPostgres = !!process.env['DATABASE_URL'];
const KEY = { unit: 'U1', day: '2026-03-02', procedureId: 'p1', field: 'Hộ tịch' };

describe.skipIf(!onPostgres)('counter rows under concurrent actions', () => {
  let h: Harness;
  const held: pg.PoolClient[] = [];
  beforeAll(async () => { h = await createHarness(); });
  afterAll(async () => {
    for (const c of held) c.release();
    await h?.close();
  });

  /** Two connections of the pool whose writes go to different shards (the pool opens them in turn). */
  async function twoShards(): Promise<[pg.PoolClient, pg.PoolClient]> {
    const pool = h.deps.database.pool!;
    const byShard = new Map<number, pg.PoolClient>();
    while (byShard.size < 2) {
      const c = await pool.connect();
      held.push(c);
      const { rows: [r] } = await c.query<{ shard: number }>(`select ${STATS_SHARD} as shard`);
      if (!byShard.has(r!.shard)) byShard.set(r!.shard, c);
    }
    const [a, b] = [...byShard.values()];
    return [a!, b!];
  }

  it('lets a second transaction bump the same key while the first still holds its bump', async () => {
    const [a, b] = await twoShards();
    await a.query('begin');
    await bumpDaily(drizzle(a) as unknown as Tx, KEY, { receivedDirect: 1 });
    await b.query('begin');
    await b.query(`set local lock_timeout = '2s'`);
    await bumpDaily(drizzle(b) as unknown as Tx, KEY, { receivedDirect: 1 });
    await b.query('commit');
    await a.query('commit');
    const [total] = await rows<{ received: number; shards: number }>(h.deps.db, sql`
      select sum(received_direct)::int as received, count(*)::int as shards from stats_daily where unit = ${KEY.unit}`);
    expect(total).toEqual({ received: 2, shards: 2 });
    const [month] = await rows<{ received: number }>(h.deps.db, sql`select sum(received_direct)::int as received from stats_monthly where unit = ${KEY.unit}`);
    expect(month?.received).toBe(2);
  });
});
