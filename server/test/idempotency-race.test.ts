/**
 * Two requests with one Idempotency-Key that both pass the "answered already?" check: the
 * second's change collides with the first's on a unique row before its stored answer
 * does, and it must answer the first's result, not 500. Seen in CI as a rare race of the
 * citizen's double submission; here the barrier makes the order certain.
 *
 * PostgreSQL only: PGlite runs one transaction at a time, so the barrier inside both
 * transactions could never be passed there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createHarness, type Harness } from './support/harness';
import { runOnce } from '../src/dossiers/idempotency';

const onPostgres = !!process.env['DATABASE_URL'];

describe.skipIf(!onPostgres)('runOnce under a race on one key', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
    await h.deps.db.execute(sql`create table race_probe (external_id text primary key, n int not null)`);
  });
  afterAll(async () => { await h?.close(); });

  it('answers the first request\'s stored result to the one whose insert collided', async () => {
    let arrived = 0;
    let release!: () => void;
    const bothIn = new Promise<void>((r) => { release = r; });
    const attempt = (n: number) => runOnce(h.deps, 'race-user', 'race-key', { same: true }, async (tx) => {
      // Both transactions are open before either writes: the second insert waits on the first's row.
      arrived += 1;
      if (arrived === 2) release();
      await bothIn;
      await tx.execute(sql`insert into race_probe (external_id, n) values ('one', ${n})`);
      return { status: 201, body: { n }, notices: [] };
    });
    const [a, b] = await Promise.all([attempt(1), attempt(2)]);
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(a.body).toEqual(b.body);
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    const rows = (await h.deps.db.execute(sql`select n from race_probe`)) as unknown as { rows: { n: number }[] };
    expect(rows.rows).toEqual([a.body]);
  });
});
