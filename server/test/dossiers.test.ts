import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createHarness, login, publishFixture, seedPeople, type Harness, ANPHU_STAFF } from './support/harness';
import { dossiers, outbox, statsDaily } from '../src/db/schema';

const ANPHU = '000.01.31.H99';
const BINHMINH = '000.02.31.H99';
let h: Harness;
const auth: { [name: string]: string } = {};

const intakeBody = (extra: object = {}) => ({
  procedureId: 'xac-nhan-tinh-trang-hon-nhan', channel: 'direct', receivingUnit: ANPHU,
  applicant: { id: '079196004040', name: 'Kiều Thị Mỹ', phone: '0912345678' },
  data: { personName: 'Kiều Thị Mỹ', dateOfBirth: '1996-04-18', maritalStatus: 'never-married', purpose: 'marriage' },
  ...extra,
});

beforeAll(async () => {
  // given a commune with a desk officer, a specialist and a deputy chair, and a specialist of another ward
  h = await createHarness({ now: '2026-03-02T01:15:00.000Z' });
  await seedPeople(h, [
    ...ANPHU_STAFF,
    { username: 'nam', name: 'Đỗ Văn Nam', grants: [{ role: 'specialist', unit: BINHMINH }] },
  ]);
  await publishFixture(h, 'xac-nhan-tinh-trang-hon-nhan');
  for (const u of ['lan', 'hung', 'tuan', 'nam']) auth[u] = await login(h, u);
});
afterAll(async () => h.close());

async function receive(extra: object = {}) {
  const res = await h.http.post('/api/dossiers').set('Authorization', auth['lan']!).send(intakeBody(extra));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; version: number; actions: { step: string; action: string }[]; clock: { dueAt: string | null } };
}

const act = (who: string, id: string, body: object, key?: string) => {
  const r = h.http.post(`/api/dossiers/${encodeURIComponent(id)}/actions`).set('Authorization', auth[who]!);
  return (key ? r.set('Idempotency-Key', key) : r).send(body);
};

describe('dossiers', () => {
  it('should receive a dossier with a code in the prescribed format and offer the desk its actions', async () => {
    const d = await receive();
    expect(d.id).toMatch(/^000\.01\.31\.H99-260302-\d{4}$/);
    expect(d.actions.map((a) => a.action)).toEqual(expect.arrayContaining(['accept', 'refuse']));
    expect(d.clock.dueAt).toBeNull();
  });

  it('should keep the papers ticked at the desk with the dossier, in the catalog\'s words, for the specialist to read', async () => {
    // never married: the divorce decree the desk ticked with "tick all" is not part of this dossier
    const d = await receive({ accept: true, papers: ['declaration', 'divorceProof', 'identity'] });
    const seen = await h.http.get(`/api/dossiers/${encodeURIComponent(d.id)}`).set('Authorization', auth['hung']!);
    expect(seen.status).toBe(200);
    expect(seen.body.data.intakePapers).toEqual([
      { id: 'declaration', name: expect.objectContaining({ vi: 'Tờ khai cấp Giấy xác nhận tình trạng hôn nhân' }), form: expect.any(String), count: expect.any(Number) },
      expect.objectContaining({ id: 'identity' }),
    ]);
    const unknown = await h.http.post('/api/dossiers').set('Authorization', auth['lan']!).send(intakeBody({ papers: ['declaration', 'khong-co'] }));
    expect(unknown.status).toBe(422);
    expect(unknown.body.error).toMatchObject({ code: 'UNKNOWN_PAPER', issues: [expect.objectContaining({ path: '/papers/1' })] });
  });

  it('should accept in one click and give the appointment of the legal deadline', async () => {
    const d = await receive({ accept: true });
    // Monday 2 March 2026 08:15 + 3 working days → Thursday 5 March 17:00 local
    expect(d.clock.dueAt).toBe('2026-03-05T10:00:00.000Z');
  });

  it('should run the whole path, keep a verifiable history, write the outbox and the rollups', async () => {
    const d = await receive({ accept: true });
    const proposed = await act('hung', d.id, { step: 'verify', action: 'propose', inputs: { certificateNo: '41/2026/XNTTHN' } });
    expect(proposed.status, JSON.stringify(proposed.body)).toBe(200);
    // the history carries the action's input form, so officers read its titles, not `certificateNo`
    const events = await h.http.get(`/api/dossiers/${encodeURIComponent(d.id)}/events`).set('Authorization', auth['hung']!);
    const propose = (events.body as { payload: { action?: string }; inputForm: { properties?: { [k: string]: { title?: string } } } | null }[]).find((e) => e.payload.action === 'propose');
    expect(propose?.inputForm?.properties?.['certificateNo']?.title).toEqual(expect.any(String));
    const approved = await act('tuan', d.id, { step: 'sign', action: 'approve', expectedVersion: proposed.body.version });
    expect(approved.status).toBe(200);
    const returned = await act('lan', d.id, { step: 'return', action: 'returnResult' });
    expect(returned.body).toMatchObject({ status: 'done', outcome: 'approved', timeliness: 'early' });
    const verify = await h.http.get(`/api/dossiers/${d.id}/verify`).set('Authorization', auth['lan']!);
    expect(verify.body).toMatchObject({ ok: true, length: 5, matchesHead: true });
    const rows = await h.deps.db.select().from(outbox).where(sql`${outbox.dossierId} = ${d.id} and ${outbox.topic} = 'dossier.progress'`);
    expect(rows.map((r) => (r.payload as { status: number }).status)).toEqual([1, 4, 4, 9, 10]);
    const [stats] = await h.deps.db.select({ received: sql<number>`sum(${statsDaily.receivedDirect})::int`, early: sql<number>`sum(${statsDaily.resolvedEarly})::int` }).from(statsDaily);
    expect(stats?.received).toBeGreaterThanOrEqual(1);
    expect(stats?.early).toBeGreaterThanOrEqual(1);
  });

  it('should keep another unit out: 403 on reading and acting', async () => {
    const d = await receive({ accept: true });
    expect((await h.http.get(`/api/dossiers/${d.id}`).set('Authorization', auth['nam']!)).status).toBe(403);
    const r = await act('nam', d.id, { step: 'verify', action: 'propose', inputs: { certificateNo: 'x' } });
    expect(r.status).toBe(403);
  });

  it('should refuse an action of the wrong role with the engine\'s reason', async () => {
    const d = await receive({ accept: true });
    const r = await act('lan', d.id, { step: 'verify', action: 'propose', inputs: { certificateNo: 'x' } });
    expect(r.status).toBe(403);
    expect(r.body.error).toMatchObject({ code: 'ACTION_FORBIDDEN_ROLE', message: { vi: expect.any(String), en: expect.any(String) } });
  });

  it('should let exactly one of 50 concurrent conflicting actions win and tell the others why', async () => {
    // given an accepted dossier
    const d = await receive({ accept: true });
    // when 50 requests race to propose on the same version
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) =>
      act('hung', d.id, { step: 'verify', action: 'propose', inputs: { certificateNo: `N${i}` }, expectedVersion: d.version })));
    // then one wins and the rest get 409 with the current state
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    expect(results.find((r) => r.status === 409)?.body.error.code).toBe('DOSSIER_VERSION_CONFLICT');
    const events = await h.http.get(`/api/dossiers/${d.id}/events`).set('Authorization', auth['hung']!);
    expect(events.body.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3]);
    expect((await h.http.get(`/api/dossiers/${d.id}/verify`).set('Authorization', auth['hung']!)).body.ok).toBe(true);
  });

  it('should apply a retried request once and return the first answer', async () => {
    const d = await receive({ accept: true });
    const body = { step: 'verify', action: 'propose', inputs: { certificateNo: 'R1' } };
    const first = await act('hung', d.id, body, 'key-1');
    const again = await act('hung', d.id, body, 'key-1');
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.version).toBe(first.body.version);
    const events = await h.http.get(`/api/dossiers/${d.id}/events`).set('Authorization', auth['hung']!);
    expect(events.body).toHaveLength(3);
    // and the history names each action by the label the officer clicked
    expect(events.body[2]).toMatchObject({ label: { vi: 'Trình ký kết quả', en: 'Submit for signature' }, payload: { action: 'propose' } });
    expect(events.body[0].label).toBeNull();
    const reused = await act('hung', d.id, { ...body, inputs: { certificateNo: 'OTHER' } }, 'key-1');
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('should act on a dossier another writer changed after this process last wrote it', async () => {
    // given a dossier this process just wrote (and remembers)…
    const d = await receive({ accept: true });
    const proposed = await act('hung', d.id, { step: 'verify', action: 'propose', inputs: { certificateNo: 'S1' } });
    expect(proposed.status).toBe(200);
    // …then approved by a path that does not tell the remembered row (as another process would)
    const bulk = await h.http.post('/api/dossiers/bulk-actions').set('Authorization', auth['tuan']!)
      .send({ items: [{ id: d.id, step: 'sign', action: 'approve' }] });
    expect(bulk.body.succeeded).toBe(1);
    // when the leader approves again on the version they saw: 409, nothing written
    const stale = await act('tuan', d.id, { step: 'sign', action: 'approve', expectedVersion: proposed.body.version });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('DOSSIER_VERSION_CONFLICT');
    // and the desk returns the result on whatever is current: it applies to the row as it is now
    const returned = await act('lan', d.id, { step: 'return', action: 'returnResult' });
    expect(returned.status, JSON.stringify(returned.body)).toBe(200);
    expect(returned.body.version).toBe(proposed.body.version + 2);
    const events = await h.http.get(`/api/dossiers/${d.id}/events`).set('Authorization', auth['lan']!);
    expect(events.body.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    // and the 409 named who changed it, when, and with which action: the approval, by its label
    const approval = events.body[3] as { actor: unknown; at: string; label: { vi: string } | null };
    expect(approval.label?.vi).toBeTruthy();
    expect(stale.body.error.lastChange).toEqual({ actor: approval.actor, at: approval.at, label: approval.label });
    expect((await h.http.get(`/api/dossiers/${d.id}/verify`).set('Authorization', auth['lan']!)).body).toMatchObject({ ok: true, matchesHead: true });
  });

  it('should answer bad input with 4xx and a pointer, never 500, and write nothing', async () => {
    const count = async () => (await h.deps.db.select({ n: sql<number>`count(*)::int` }).from(dossiers))[0]?.n;
    const before = await count();
    const malformed = await h.http.post('/api/dossiers').set('Authorization', auth['lan']!).set('Content-Type', 'application/json').send('{"procedureId":');
    expect(malformed.status).toBe(400);
    const wrong = await h.http.post('/api/dossiers').set('Authorization', auth['lan']!).send({ ...intakeBody(), channel: 'fax', applicant: { name: 7 } });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.issues.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(['/channel', '/applicant/name']));
    const badData = await h.http.post('/api/dossiers').set('Authorization', auth['lan']!).send(intakeBody({ data: { personName: '' } }));
    expect(badData.status).toBe(422);
    expect(badData.body.error.code).toBe('START_INVALID');
    const unknown = await h.http.post('/api/dossiers').set('Authorization', auth['lan']!).send(intakeBody({ procedureId: 'khong-co' }));
    expect(unknown.status).toBe(422);
    expect((await act('hung', 'NO-SUCH', { step: 'verify', action: 'propose' })).status).toBe(404);
    expect(await count()).toBe(before);
  });

  it('should list inboxes: mine, overdue', async () => {
    const d = await receive({ accept: true });
    const mine = await h.http.get('/api/dossiers?box=mine').set('Authorization', auth['hung']!);
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((i: { id: string }) => i.id)).toContain(d.id);
    expect((await h.http.get('/api/dossiers?box=mine').set('Authorization', auth['tuan']!)).body.items.map((i: { id: string }) => i.id)).not.toContain(d.id);
    h.clock.set('2026-03-06T02:00:00.000Z');
    try {
      // the day after the appointment (a fresh sign-in: the morning's token has expired)
      const overdue = await h.http.get('/api/dossiers?box=overdue').set('Authorization', await login(h, 'hung'));
      expect(overdue.body.items.map((i: { id: string }) => i.id)).toContain(d.id);
    } finally {
      h.clock.set('2026-03-02T01:15:00.000Z');
    }
  });

  it('should let a citizen track by code and rate once after the result is returned', async () => {
    const d = await receive({ accept: true });
    const v1 = await act('hung', d.id, { step: 'verify', action: 'propose', inputs: { certificateNo: 'P' } });
    await act('tuan', d.id, { step: 'sign', action: 'approve', expectedVersion: v1.body.version });
    const early = await h.http.post(`/api/public/dossiers/${d.id}/rating`).send({ score: 5, applicantId: '079196004040' });
    expect(early.status).toBe(409);
    await act('lan', d.id, { step: 'return', action: 'returnResult' });
    // the code alone tells only that the dossier exists and its status
    const status = await h.http.get(`/api/public/dossiers/${d.id}`);
    expect(status.body).toEqual({ id: d.id, status: 'done', verified: false });
    const track = await h.http.post(`/api/public/dossiers/${d.id}/lookup`).send({ last4: '4040' });
    expect(track.status).toBe(200);
    expect(track.body).toMatchObject({ status: 'done', outcome: 'approved' });
    expect(track.body.data).toBeUndefined();
    // and its times are ISO 8601, as the API promises
    const isoTime = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
    for (const at of [track.body.receivedAt, track.body.closedAt, ...track.body.timeline.map((e: { at: string }) => e.at)]) expect(at).toMatch(isoTime);
    expect((await h.http.post(`/api/public/dossiers/${d.id}/rating`).send({ score: 5, applicantId: 'wrong' })).status).toBe(404);
    expect((await h.http.post(`/api/public/dossiers/${d.id}/rating`).send({ score: 5, applicantId: '079196004040' })).status).toBe(200);
    expect((await h.http.post(`/api/public/dossiers/${d.id}/rating`).send({ score: 4, applicantId: '079196004040' })).status).toBe(409);
  });
  it('should refuse an apology whose new appointment lies past the working calendar, at /inputs/days in both languages, writing nothing', async () => {
    // the statutory holidays (Tết, Giỗ Tổ by the lunar calendar) are known to 2199: 100,000 working days lands beyond
    const d = await receive({ accept: true });
    const far = { step: 'verify', action: 'extend', inputs: { days: 100_000, reason: 'Chờ xác minh' } };
    for (const path of ['preview', 'actions']) {
      const res = await h.http.post(`/api/dossiers/${encodeURIComponent(d.id)}/${path}`).set('Authorization', auth['hung']!).send(far);
      expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(422);
      expect(res.body.error.message).toEqual({ vi: expect.stringContaining('2199'), en: expect.stringContaining('2199') });
      expect(res.body.error.issues).toEqual([expect.objectContaining({ path: '/inputs/days', message: { vi: expect.any(String), en: expect.any(String) } })]);
    }
    const seen = await h.http.get(`/api/dossiers/${encodeURIComponent(d.id)}`).set('Authorization', auth['hung']!);
    expect(seen.body).toMatchObject({ version: 2, clock: { extensions: 0 } });
    // a sensible apology still moves the appointment
    const near = await act('hung', d.id, { ...far, inputs: { days: 2, reason: 'Chờ xác minh' } });
    expect(near.status, JSON.stringify(near.body)).toBe(200);
    expect(near.body.clock.extensions).toBe(1);
  });

  it('should refuse extra time beyond what the law still allows at /inputs/days (action and preview), and per bulk item at /items/<i>/inputs/days', async () => {
    // given a dossier at verify that had 2 of its 3 lawful working days of extra time
    const d = await receive({ accept: true });
    const first = await act('hung', d.id, { step: 'verify', action: 'extraTime', inputs: { days: 2, reason: 'Chờ xác minh' } });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    // when 2 more are asked
    const more = { step: 'verify', action: 'extraTime', inputs: { days: 2, reason: 'Chờ thêm' } };
    for (const path of ['preview', 'actions']) {
      const res = await h.http.post(`/api/dossiers/${encodeURIComponent(d.id)}/${path}`).set('Authorization', auth['hung']!).send(more);
      // then the refusal points into the body, like a bad input's
      expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'ACTION_LIMIT_REACHED', issues: [{ path: '/inputs/days', message: { vi: 'Tối đa 1', en: 'At most 1' } }] });
    }
    // and in a bulk body, at the item
    const bulk = await h.http.post('/api/dossiers/bulk-actions').set('Authorization', auth['hung']!).send({ items: [{ id: d.id, ...more }] });
    expect(bulk.status, JSON.stringify(bulk.body)).toBe(200);
    expect(bulk.body.results[0]).toMatchObject({ ok: false, error: { code: 'ACTION_LIMIT_REACHED', issues: [{ path: '/items/0/inputs/days' }] } });
  });

  it('should refuse a refusal reason of spaces alone at /inputs/reason (action and preview), and keep a given reason without its spaces', async () => {
    const d = await receive();
    const blank = { step: 'intake', action: 'refuse', inputs: { reason: '   ' } };
    for (const path of ['preview', 'actions']) {
      const res = await h.http.post(`/api/dossiers/${encodeURIComponent(d.id)}/${path}`).set('Authorization', auth['lan']!).send(blank);
      expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(422);
      expect(res.body.error.code).toBe('ACTION_INPUT_INVALID');
      // a pointer into the request body, where the reason is under `inputs`
      expect(res.body.error.issues).toEqual([{ path: '/inputs/reason', message: { vi: expect.any(String), en: expect.any(String) } }]);
      // and its message is the words alone, for the desk to show under the field (the pointer is the path's)
      expect(res.body.error.issues[0].message.vi).toBe('Phải dài ít nhất 1 ký tự');
    }
    const missing = await act('lan', d.id, { step: 'intake', action: 'refuse', inputs: {} });
    expect(missing.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['/inputs/reason']);
    const refused = await act('lan', d.id, { step: 'intake', action: 'refuse', inputs: { reason: '  Thiếu tờ khai  ' } });
    expect(refused.status, JSON.stringify(refused.body)).toBe(200);
    const events = await h.http.get(`/api/dossiers/${encodeURIComponent(d.id)}/events`).set('Authorization', auth['lan']!);
    const refusal = (events.body as { payload: { action?: string; inputs?: { reason?: string } } }[]).find((e) => e.payload.action === 'refuse');
    expect(refusal?.payload.inputs).toEqual({ reason: 'Thiếu tờ khai' });
  });

  it('should say, per item of a bulk action, which input is wrong by its pointer in the request body', async () => {
    const [a, b] = [await receive({ accept: true }), await receive({ accept: true })];
    for (const x of [a, b]) expect((await act('hung', x.id, { step: 'verify', action: 'propose', inputs: { certificateNo: 'B1' } })).status).toBe(200);
    const res = await h.http.post('/api/dossiers/bulk-actions').set('Authorization', auth['tuan']!).send({ items: [
      { id: a.id, step: 'sign', action: 'sendBack', inputs: { reason: '  Sai số  ' } },
      { id: b.id, step: 'sign', action: 'sendBack', inputs: { reason: ' ' } },
    ] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ succeeded: 1, failed: 1 });
    expect(res.body.results[1]).toMatchObject({ id: b.id, ok: false, error: { code: 'ACTION_INPUT_INVALID', issues: [{ path: '/items/1/inputs/reason', message: { vi: expect.any(String), en: expect.any(String) } }] } });
    const events = await h.http.get(`/api/dossiers/${encodeURIComponent(a.id)}/events`).set('Authorization', auth['tuan']!);
    const sentBack = (events.body as { payload: { action?: string; inputs?: { reason?: string } } }[]).find((e) => e.payload.action === 'sendBack');
    expect(sentBack?.payload.inputs).toEqual({ reason: 'Sai số' });
  });
});
