/**
 * The per-citizen draft limit holds under concurrency (migration 0026, `insertDraftWithin`):
 * a create that starts while another's insert is not yet committed waits for it, and then
 * counts it. PostgreSQL only: PGlite has one connection, so two creates never overlap there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './support/harness';
import { insertDraftWithin } from '../src/online/repo';

const ON_POSTGRES = !!process.env['DATABASE_URL']?.trim();

describe.skipIf(!ON_POSTGRES)('draft limit under concurrency', () => {
  let h: Harness;
  beforeAll(async () => { h = await createHarness(); });
  afterAll(async () => { await h.close(); });

  const at = '2026-03-02T01:00:00.000Z';
  const until = '2026-04-01T01:00:00.000Z';

  it('should make a second create wait for the first one\'s commit and then find no room', async () => {
    const pool = h.deps.database.pool!;
    const first = await pool.connect();
    try {
      // given a citizen with room for one draft, whose first create is written and not yet committed
      await first.query('begin');
      const made = await first.query('select id from motcua_insert_draft($1, $2, $3, $4::jsonb, null, $5, $6, 1)', ['d-1', '001199000777', 'dang-ky-khai-sinh', '{}', at, until]);
      expect(made.rows).toEqual([{ id: 'd-1' }]);
      // when a second create for the same citizen starts meanwhile
      let settled = false;
      const second = insertDraftWithin(h.deps.db, {
        id: 'd-2', personalId: '001199000777', procedureId: 'dang-ky-khai-sinh', data: {}, receivingUnit: null, updatedAt: at, expiresAt: until,
      }, 1).finally(() => { settled = true; });
      // (it waits on the citizen's lock; a create without the lock would have settled at once, with a row)
      for (;;) {
        // Asked on a connection of its own: inside a transaction the activity view keeps its first reading.
        const waiting = await pool.query(`select 1 from pg_stat_activity where wait_event_type = 'Lock' and query like '%motcua_insert_draft%' and state = 'active'`);
        if (waiting.rowCount || settled) break;
      }
      await first.query('commit');
      // then it counts the first draft and writes nothing
      expect(await second).toBeNull();
      const rows = await pool.query('select id from online_drafts where personal_id = $1', ['001199000777']);
      expect(rows.rows).toEqual([{ id: 'd-1' }]);
    } finally {
      first.release();
    }
  });
});
