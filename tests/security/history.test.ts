/**
 * Hostile insider with write access to the database: editing any column the history shows
 * is detected, and so is cutting the last events off a history (moving `last_hash` back)
 * once a signed checkpoint listed them. Runs on PGlite and, with DATABASE_URL, PostgreSQL.
 */
import { createPublicKey, verify } from 'node:crypto';
import canonicalize from 'canonicalize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawOf } from '../../server/src/db/raw';
import { hashEventV1 } from '../../server/src/dossiers/chain';
import { takeCheckpoints } from '../../server/src/audit/checkpoints';
import { startCheckpointJob } from '../../server/src/audit/job';
import { ANPHU_STAFF, createHarness, login, publishFixture, seedPeople, type Harness } from '../../server/test/support/harness';

const PROVINCE = '000.00.00.H99';
const ANPHU = '000.01.31.H99';
const BINHMINH = '000.02.31.H99';
let h: Harness;
const auth: { [name: string]: string } = {};
const ids: string[] = [];

const sql = async <T>(text: string, values: unknown[] = []) => rawOf(h.deps.db).query<T>({ text, values });
const get = (path: string, who = 'admin') => h.http.get(path).set('Authorization', auth[who]!);
const unitReport = async () => {
  const res = await get(`/api/units/${ANPHU}/history/verify`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as {
    ok: boolean; tampered: { dossierId: string; seq: number; reason: string }[];
    truncated: { dossierId: string; reason: string; checkpointed: { seq: number } }[];
    checkpoints: { count: number; problems: { number: number; reason: string }[] }; headMismatches: string[];
  };
};
const dossierVerify = async (id: string) => (await get(`/api/dossiers/${encodeURIComponent(id)}/verify`, 'lan')).body as { ok: boolean; matchesHead: boolean };

beforeAll(async () => {
  // given a commune with officers, an administrator of the province and one of another ward
  h = await createHarness({ now: '2026-03-02T01:15:00.000Z' });
  await seedPeople(h, [
    ...ANPHU_STAFF,
    { username: 'admin', name: 'Quản trị tỉnh', grants: [{ role: 'admin', unit: PROVINCE }] },
    { username: 'adminbm', name: 'Quản trị Bình Minh', grants: [{ role: 'admin', unit: BINHMINH }] },
  ]);
  await publishFixture(h, 'xac-nhan-tinh-trang-hon-nhan');
  for (const u of ['lan', 'hung', 'admin', 'adminbm']) auth[u] = await login(h, u);
  // and three dossiers received, accepted and proposed (three events each)
  for (let i = 0; i < 3; i++) {
    const r = await h.http.post('/api/dossiers').set('Authorization', auth['lan']!).send({
      procedureId: 'xac-nhan-tinh-trang-hon-nhan', channel: 'direct', receivingUnit: ANPHU, accept: true,
      applicant: { id: `07919600404${i}`, name: 'Kiều Thị Mỹ', phone: '0912345678' },
      data: { personName: 'Kiều Thị Mỹ', dateOfBirth: '1996-04-18', maritalStatus: 'never-married', purpose: 'marriage' },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const p = await h.http.post(`/api/dossiers/${encodeURIComponent(r.body.id)}/actions`).set('Authorization', auth['hung']!)
      .send({ step: 'verify', action: 'propose', inputs: { certificateNo: `4${i}/2026/XNTTHN` } });
    expect(p.status, JSON.stringify(p.body)).toBe(200);
    ids.push(r.body.id as string);
  }
});
afterAll(async () => h.close());

describe('history tampering', () => {
  it('should verify an untouched unit', async () => {
    const report = await unitReport();
    expect(report).toMatchObject({ ok: true, tampered: [], truncated: [], headMismatches: [] });
  });

  // Each column the history route shows, edited in place as an insider with SQL would.
  const edits: [string, string][] = [
    ['actor_id', `actor_id = 'u-someone-else'`],
    ['actor_name', `actor_name = 'Người khác'`],
    ['at', `at = at - interval '3 days'`],
    ['type', `type = 'dossier.started'`],
    ['payload', `payload = jsonb_set(payload, '{inputs,certificateNo}', '"99/2026/GIA"')`],
    ['seq', 'seq = 7'],
    ['hash', `hash = repeat('a', 64)`],
  ];
  for (const [column, set] of edits) {
    it(`should detect an edited ${column}`, async () => {
      const id = ids[0]!;
      const [before] = await sql<{ n: number }>('select count(*)::int as n from dossier_events where dossier_id = $1', [id]);
      // when the insider edits the last event's column
      const [saved] = await sql<{ row: unknown }>('select to_jsonb(e) as row from dossier_events e where dossier_id = $1 and seq = 3', [id]);
      await sql(`update dossier_events set ${set} where dossier_id = $1 and seq = 3`, [id]);
      try {
        // then the dossier's check and the unit's report both name the event
        expect((await dossierVerify(id)).ok).toBe(false);
        const report = await unitReport();
        expect(report.ok).toBe(false);
        expect(report.tampered.map((t) => t.dossierId)).toContain(id);
        expect(report.tampered.filter((t) => t.dossierId !== id)).toEqual([]);
      } finally {
        await sql(`delete from dossier_events where dossier_id = $1 and seq in (3, 7)`, [id]);
        await sql('insert into dossier_events select * from jsonb_populate_record(null::dossier_events, $1::jsonb)', [JSON.stringify(saved!.row)]);
      }
      expect((await sql<{ n: number }>('select count(*)::int as n from dossier_events where dossier_id = $1', [id]))[0]!.n).toBe(before!.n);
      expect((await dossierVerify(id)).ok).toBe(true);
    });
  }

  it('should still check events written before chain version 2, columns included', async () => {
    // given a history re-chained by the old rule (payload only), as events written before the upgrade are
    const id = ids[1]!;
    const events = await sql<{ seq: number; payload: unknown }>('select seq, payload from dossier_events where dossier_id = $1 order by seq', [id]);
    let prev = '0'.repeat(64);
    for (const e of events) {
      const hash = hashEventV1(prev, e.payload);
      await sql('update dossier_events set chain = 1, prev_hash = $3, hash = $4 where dossier_id = $1 and seq = $2', [id, e.seq, prev, hash]);
      prev = hash;
    }
    await sql('update dossiers set last_hash = $2 where id = $1', [id, prev]);
    expect(await dossierVerify(id)).toMatchObject({ ok: true, matchesHead: true });
    // when the actor's name of an old event is changed
    await sql(`update dossier_events set actor_name = 'Người khác' where dossier_id = $1 and seq = 2`, [id]);
    // then it shows, though the old rule did not hash that column
    expect((await dossierVerify(id)).ok).toBe(false);
    expect((await unitReport()).tampered).toEqual([expect.objectContaining({ dossierId: id, seq: 2, reason: 'column actor_name differs from the hashed event' })]);
    await sql(`update dossier_events set actor_name = (payload->'actor'->>'name') where dossier_id = $1 and seq = 2`, [id]);
    expect((await unitReport()).ok).toBe(true);
  });
});

describe('truncation against signed checkpoints', () => {
  it('should sign a checkpoint an auditor can check with the exported public key', async () => {
    // when the checkpoint job runs (by the clock: once now, not again until the interval has passed)
    const job = startCheckpointJob(h.deps, { timer: false });
    const run = await job.tick();
    expect(run).toMatchObject({ checkpoints: 1, heads: 3, refused: [] });
    expect(await job.tick()).toBeNull();
    h.clock.advance(h.deps.config.checkpointIntervalMs);
    expect(await job.tick()).toMatchObject({ checkpoints: 0 });
    await job.stop();
    // then the export carries it with the key, and the signature checks out with node's crypto alone
    const res = await get(`/api/units/${ANPHU}/history/checkpoints`);
    expect(res.status).toBe(200);
    const { keys, checkpoints } = res.body as { keys: { keyId: string; publicKey: string }[]; checkpoints: { unit: string; number: number; takenAt: string; heads: [string, number, string][]; prevSignature: string; keyId: string; signature: string }[] };
    expect(checkpoints).toHaveLength(1);
    const c = checkpoints[0]!;
    expect(c.heads.map((x) => x[0]).sort()).toEqual([...ids].sort());
    const key = keys.find((k) => k.keyId === c.keyId)!;
    const publicKey = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(key.publicKey, 'base64')]), format: 'der', type: 'spki' });
    const text = canonicalize({ unit: c.unit, number: c.number, takenAt: c.takenAt, heads: c.heads, prevSignature: c.prevSignature })!;
    expect(verify(null, Buffer.from(text), publicKey, Buffer.from(c.signature, 'base64'))).toBe(true);
    // and only administrators of the unit (or above) may read or verify it
    expect((await get(`/api/units/${ANPHU}/history/checkpoints`, 'adminbm')).status).toBe(403);
    expect((await get(`/api/units/${ANPHU}/history/verify`, 'adminbm')).status).toBe(403);
  });

  it('should detect the last events cut off with last_hash moved back, which the chain alone does not', async () => {
    const id = ids[2]!;
    // when the insider deletes the last event and moves the head and version back
    const [ev] = await sql<{ prev_hash: string }>('select prev_hash from dossier_events where dossier_id = $1 and seq = 3', [id]);
    await sql('delete from outbox where dossier_id = $1 and event_id = $2', [id, `${id}#3`]);
    await sql('delete from dossier_events where dossier_id = $1 and seq = 3', [id]);
    await sql('update dossiers set last_hash = $2, version = 2 where id = $1', [id, ev!.prev_hash]);
    // then the chain still holds on its own…
    expect(await dossierVerify(id)).toMatchObject({ ok: true, matchesHead: true });
    // …but the unit's report shows the cut against the checkpoint
    const report = await unitReport();
    expect(report.ok).toBe(false);
    expect(report.truncated).toEqual([expect.objectContaining({ dossierId: id, checkpointed: expect.objectContaining({ seq: 3 }) })]);
    expect(report.truncated[0]!.reason).toMatch(/cut off/);
    // and the next checkpoint refuses to sign the shortened history
    const run = await takeCheckpoints(h.deps);
    expect(run.refused.map((r) => r.dossierId)).toEqual([id]);
  });

  it('should detect a forged or removed checkpoint', async () => {
    // when the insider rewrites the checkpoint's heads to match the cut history
    await sql(`update history_checkpoints set heads = (select jsonb_agg(case when h->>0 = $2 then jsonb_build_array(h->>0, 2, h->>2) else h end)
                 from jsonb_array_elements(heads) h) where unit = $1`, [ANPHU, ids[2]]);
    // then its signature no longer holds, and its heads are not trusted
    const report = await unitReport();
    expect(report.checkpoints.problems).toEqual([expect.objectContaining({ number: 1, reason: 'signature does not match its content' })]);
    expect(report.ok).toBe(false);
  });
});
