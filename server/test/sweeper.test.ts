import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq, inArray, like } from 'drizzle-orm';
import { createHarness, login, publishFixture, seedPeople, type Harness } from './support/harness';
import { dossierEvents, dossiers, outbox } from '../src/db/schema';
import { sweep } from '../src/sweeper/sweeper';
import type { BusMessage } from '../src/bus';

const ANPHU = '000.01.31.H99';
let h: Harness;
let desk = '';

beforeAll(async () => {
  // given a commune desk and the marital-status procedure (3 working days; the applicant has 30 days to supplement)
  h = await createHarness({ now: '2026-03-02T01:15:00.000Z' });
  await seedPeople(h, [
    { username: 'lan', name: 'Nguyễn Thị Lan', grants: [{ role: 'desk', unit: ANPHU }] },
    { username: 'hung', name: 'Lê Văn Hùng', grants: [{ role: 'specialist', unit: ANPHU }] },
  ]);
  await publishFixture(h, 'xac-nhan-tinh-trang-hon-nhan');
});
afterAll(async () => h.close());

/** Moves the clock and signs in again (tokens expire after a working day). */
async function at(iso: string): Promise<void> {
  h.clock.set(iso);
  desk = await login(h, 'lan');
}

async function receive(accept: boolean): Promise<string> {
  const res = await h.http.post('/api/dossiers').set('Authorization', desk).send({
    procedureId: 'xac-nhan-tinh-trang-hon-nhan', channel: 'direct', receivingUnit: ANPHU, accept,
    applicant: { name: 'Kiều Thị Mỹ', phone: '0912345678' },
    data: { personName: 'Kiều Thị Mỹ', dateOfBirth: '1996-04-18', maritalStatus: 'never-married', purpose: 'marriage' },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

const row = async (id: string) => (await h.deps.db.select().from(dossiers).where(eq(dossiers.id, id)))[0]!;
const outboxOf = (id: string, topic: string) =>
  h.deps.db.select().from(outbox).where(and(eq(outbox.dossierId, id), eq(outbox.topic, topic))).orderBy(asc(outbox.id));

let onTime = '';

describe('sweeper', () => {
  it('should mark a dossier due soon once, one working day before its appointment, and tell the desk', async () => {
    // given a dossier accepted on Monday 08:15, due Thursday 17:00 (local time)
    await at('2026-03-02T01:15:00.000Z');
    onTime = await receive(true);
    expect((await row(onTime)).dueAt).toMatch(/^2026-03-05[T ]10:00:00/);
    // when the sweeper runs on Monday and on Wednesday at 16:00 — more than a working day ahead
    await sweep(h.deps);
    await at('2026-03-04T09:00:00.000Z');
    await sweep(h.deps);
    // then nothing is marked
    expect((await row(onTime)).dueSoonNotifiedAt).toBeNull();
    // when it runs on Thursday at 08:00, less than one working day before the appointment
    await at('2026-03-05T01:00:00.000Z');
    const first = await sweep(h.deps);
    // then the dossier is marked and a due-soon notice for the agency and the desk is in the outbox
    expect(first.dueSoon).toBe(1);
    expect((await row(onTime)).dueSoonNotifiedAt).not.toBeNull();
    const notices = await outboxOf(onTime, 'dossier.dueSoon');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.eventId).toBe(`${onTime}#dueSoon@2026-03-05T10:00:00.000Z`);
    expect(notices[0]!.payload).toMatchObject({
      dossierId: onTime, competentUnit: ANPHU, dueAt: '2026-03-05T10:00:00.000Z', workingMinutesLeft: 420,
      notify: expect.arrayContaining([{ unit: ANPHU, role: 'desk' }]),
    });
    // when it runs again
    const second = await sweep(h.deps);
    // then nothing new happens
    expect(second).toMatchObject({ dueSoon: 0, overdue: 0, timeouts: 0 });
    expect(await outboxOf(onTime, 'dossier.dueSoon')).toHaveLength(1);
  });

  it('should mark an overdue dossier once and record the duty to issue the apology slip (form 04)', async () => {
    // given the same dossier, still open on Friday at 09:00
    await at('2026-03-06T02:00:00.000Z');
    // when the sweeper runs
    const first = await sweep(h.deps);
    // then it is marked overdue with the apology duty in the notice
    expect(first.overdue).toBe(1);
    const r = await row(onTime);
    expect(r.overdueNotifiedAt).not.toBeNull();
    expect(r.version).toBe(2);
    const notices = await outboxOf(onTime, 'dossier.overdue');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.eventId).toBe(`${onTime}#overdue@2026-03-05T10:00:00.000Z`);
    expect(notices[0]!.payload).toMatchObject({
      dossierId: onTime, dueAt: '2026-03-05T10:00:00.000Z', lateWorkingMinutes: 90,
      duty: { slip: 'apology', form: '04', issuedBy: ANPHU, to: 'applicant' },
      steps: [{ step: 'verify', unit: ANPHU, role: 'specialist' }],
    });
    // when it runs again, even much later
    await at('2026-03-09T02:00:00.000Z');
    const second = await sweep(h.deps);
    // then nothing new happens
    expect(second.overdue).toBe(0);
    expect(await outboxOf(onTime, 'dossier.overdue')).toHaveLength(1);
  });

  it('should notify again for the new appointment given to a late dossier', async () => {
    // given the late dossier, extended by three working days on Monday 9 March (apology and new appointment)
    const extended = await h.http.post(`/api/dossiers/${onTime}/actions`).set('Authorization', await login(h, 'hung'))
      .send({ step: 'verify', action: 'extend', inputs: { days: 3, reason: 'Chờ xác minh nơi cư trú trước' } });
    expect(extended.status, JSON.stringify(extended.body)).toBe(200);
    const due = (await row(onTime)).dueAt!;
    const dueIso = new Date(due).toISOString();
    expect(Date.parse(due)).toBeGreaterThan(h.clock.now().getTime());
    expect((await sweep(h.deps)).overdue).toBe(0);
    // when the sweeper runs within a working day of the new appointment, and after it
    h.clock.set(new Date(Date.parse(due) - 3 * 3600_000));
    const soon = await sweep(h.deps);
    h.clock.set(new Date(Date.parse(due) + 24 * 3600_000));
    const late = await sweep(h.deps);
    const again = await sweep(h.deps);
    // then the new appointment gets its own due-soon and overdue notices, once each
    expect([soon.dueSoon, late.overdue, again.dueSoon + again.overdue]).toEqual([1, 1, 0]);
    expect((await outboxOf(onTime, 'dossier.dueSoon')).map((o) => o.eventId)).toEqual([
      `${onTime}#dueSoon@2026-03-05T10:00:00.000Z`, `${onTime}#dueSoon@${dueIso}`,
    ]);
    expect((await outboxOf(onTime, 'dossier.overdue')).map((o) => o.eventId)).toEqual([
      `${onTime}#overdue@2026-03-05T10:00:00.000Z`, `${onTime}#overdue@${dueIso}`,
    ]);
  });

  it('should raise a wait-for-citizen timeout as the system and stop the dossier, once', async () => {
    // given a dossier waiting for the applicant's supplement since Thursday 12 March
    await at('2026-03-12T02:00:00.000Z');
    const waiting = await receive(false);
    const asked = await h.http.post(`/api/dossiers/${waiting}/actions`).set('Authorization', desk)
      .send({ step: 'intake', action: 'requestSupplement', inputs: { reason: 'Thiếu giấy tờ tùy thân', documents: ['Giấy tờ tùy thân của người nộp'] } });
    expect(asked.status, JSON.stringify(asked.body)).toBe(200);
    const before = await row(waiting);
    expect(before.status).toBe('waiting-citizen');
    const timeoutAt = before.nextTimeoutAt!;
    expect(Date.parse(timeoutAt)).toBeGreaterThan(Date.parse('2026-04-01T00:00:00.000Z'));
    const heard: BusMessage[] = [];
    const unsubscribe = h.deps.bus.subscribe((m) => heard.push(m));
    try {
      // when the sweeper runs a minute before the timeout
      h.clock.set(new Date(Date.parse(timeoutAt) - 60_000));
      expect((await sweep(h.deps)).timeouts).toBe(0);
      expect((await row(waiting)).closedAt).toBeNull();
      // and when it runs once the timeout has passed
      h.clock.set(new Date(Date.parse(timeoutAt) + 1000));
      const first = await sweep(h.deps);
      // then the system has taken the step's timeout action and the dossier is stopped
      expect(first.timeouts).toBe(1);
      const after = await row(waiting);
      expect(after).toMatchObject({ status: 'done', outcome: 'stopped', nextTimeoutAt: null });
      expect(after.closedAt).not.toBeNull();
      const events = await h.deps.db.select().from(dossierEvents).where(eq(dossierEvents.dossierId, waiting)).orderBy(dossierEvents.seq);
      expect(events.at(-1)).toMatchObject({ type: 'action.applied', actorId: 'system' });
      expect(events.at(-1)!.payload).toMatchObject({ step: 'intakeWait', action: 'expire' });
      // and the change went out: a progress update, the stop notice, and a live notice after commit
      const progress = await outboxOf(waiting, 'dossier.progress');
      expect(progress.at(-1)!.payload).toMatchObject({ status: 8, actor: { id: 'system' } });
      expect((await outboxOf(waiting, 'dossier.issueSlip')).map((o) => (o.payload as { effect: { slip: string } }).effect.slip)).toContain('stop-notice');
      expect(heard).toContainEqual(expect.objectContaining({ type: 'dossier.changed', dossierId: waiting, status: 'done', action: 'expire' }));
      // and the history still verifies
      const verify = await h.http.get(`/api/dossiers/${waiting}/verify`).set('Authorization', await login(h, 'lan'));
      expect(verify.body.ok).toBe(true);
      // when it runs again
      h.clock.advance(60_000);
      const second = await sweep(h.deps);
      // then nothing new happens
      expect(second.timeouts).toBe(0);
      expect(await h.deps.db.select().from(dossierEvents).where(eq(dossierEvents.dossierId, waiting))).toHaveLength(events.length);
    } finally {
      unsubscribe();
    }
  });

  it('should repair a timeout pointer that no step backs, without acting on the dossier', async () => {
    // given an open dossier whose next timeout says "now" though no active step has one
    const past = new Date(h.clock.now().getTime() - 1000).toISOString();
    await h.deps.db.update(dossiers).set({ nextTimeoutAt: past }).where(eq(dossiers.id, onTime));
    const before = await row(onTime);
    // when the sweeper runs
    const result = await sweep(h.deps);
    // then nothing is applied and the pointer is cleared
    expect(result.timeouts).toBe(0);
    expect(result.failed).toEqual([]);
    const after = await row(onTime);
    expect(after.nextTimeoutAt).toBeNull();
    expect(after.version).toBe(before.version);
  });

  it('should mark each dossier once when two sweepers run side by side', async () => {
    // given six dossiers accepted on Monday 16 March, due Thursday
    await at('2026-03-16T01:15:00.000Z');
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await receive(true));
    // when two sweepers run at once on Thursday morning, in small batches
    await at('2026-03-19T01:00:00.000Z');
    const [a, b] = await Promise.all([sweep(h.deps, { batchSize: 2 }), sweep(h.deps, { batchSize: 2 })]);
    // then each dossier was marked once and has exactly one notice
    expect(a!.dueSoon + b!.dueSoon).toBe(6);
    const notices = await h.deps.db.select().from(outbox).where(and(inArray(outbox.dossierId, ids), like(outbox.topic, 'dossier.dueSoon')));
    expect(notices).toHaveLength(6);
    expect(new Set(notices.map((n) => n.dossierId))).toEqual(new Set(ids));
    // and a third sweep finds nothing to do
    expect((await sweep(h.deps)).dueSoon).toBe(0);
  });
  it('should keep a due-soon mark across an action that leaves the appointment as it is', async () => {
    // given a dossier received on Monday 6 April, due Thursday 9 April 17:00, marked due soon on Thursday morning
    await at('2026-04-06T01:15:00.000Z');
    const id = await receive(true);
    await at('2026-04-09T01:00:00.000Z');
    await sweep(h.deps);
    const marked = (await row(id)).dueSoonNotifiedAt;
    expect(marked).not.toBeNull();
    // when the specialist proposes (the appointment does not move)
    const hung = await login(h, 'hung');
    const res = await h.http.post(`/api/dossiers/${encodeURIComponent(id)}/actions`).set('Authorization', hung)
      .send({ step: 'verify', action: 'propose', inputs: { certificateNo: 'SW1' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    // then the mark stays: the sweeper has nothing new to say
    expect((await row(id)).dueSoonNotifiedAt).toBe(marked);
  });
});
