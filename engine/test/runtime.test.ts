import { describe, expect, it } from 'vitest';
import { compileProcedure } from '../src/compile/index';
import { createCalendar } from '../src/calendar/index';
import { VN_DEFAULT_CALENDAR } from '../src/calendar/defaults';
import { apply, availableActions, replay, start, timeliness, progress } from '../src/runtime/index';
import type { Actor } from '../src/delegation/types';
import type { DossierEvent, DossierSnapshot, Result, Transition } from '../src/runtime/types';
import { ANPHU, BHXH, BINHMINH, actors, miniDefinition } from './fixtures/mini';

const calendar = createCalendar(VN_DEFAULT_CALENDAR);
const proc = compileProcedure(miniDefinition());
const at = (local: string): string => new Date(`${local}+07:00`).toISOString();

function ok(r: Result<Transition>): Transition {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message.en}`);
  return r.value;
}

/** Drives one dossier and keeps its log, as the server would. */
class Dossier {
  events: DossierEvent[] = [];
  constructor(public snapshot: DossierSnapshot) {}
  static start(data: { [k: string]: unknown } = { childName: 'Bé Na' }, when = '2026-03-02T08:15:00', extra = {}): Dossier {
    const t = ok(start(proc, { dossierId: 'D1', channel: 'direct', receivingUnit: ANPHU, applicant: { id: 'cd-001', name: 'Trần Văn Bình' }, data, ...extra },
      { now: at(when), actor: actors.desk, calendar }));
    const d = new Dossier(t.snapshot);
    d.events.push(...t.events);
    return d;
  }
  act(actor: Actor, step: string, action: string, when: string, inputs: { [k: string]: unknown } = {}): Transition {
    const t = ok(apply(proc, this.snapshot, { step, action, inputs }, { now: at(when), actor, calendar }));
    this.snapshot = t.snapshot;
    this.events.push(...t.events);
    return t;
  }
  try(actor: Actor, step: string, action: string, when: string, inputs: { [k: string]: unknown } = {}, expectedVersion?: number) {
    return apply(proc, this.snapshot, { step, action, inputs, ...(expectedVersion !== undefined ? { expectedVersion } : {}) }, { now: at(when), actor, calendar });
  }
  steps(): string[] {
    return this.snapshot.active.map((a) => a.step).sort();
  }
}

describe('runtime', () => {
  it('should start a dossier at its intake step with the clock not yet running', () => {
    // given / when
    const d = Dossier.start();
    // then
    expect(d.steps()).toEqual(['intake']);
    expect(d.snapshot.version).toBe(1);
    expect(d.snapshot.clock.receivedAt).toBeNull();
    expect(d.events[0]?.type).toBe('dossier.started');
  });

  it('should refuse to start with invalid intake data, saying which field', () => {
    const r = start(proc, { dossierId: 'D1', channel: 'direct', receivingUnit: ANPHU, applicant: { name: 'X' }, data: {} },
      { now: at('2026-03-02T08:15:00'), actor: actors.desk, calendar });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('START_INVALID');
    expect(r.error.issues?.[0]?.path).toBe('/childName');
  });

  it('should refuse non-geographic intake for a procedure that does not allow it', () => {
    const def = miniDefinition();
    def.catalog.nonGeographic = false;
    const local = compileProcedure(def);
    const r = start(local, { dossierId: 'D1', channel: 'direct', receivingUnit: ANPHU, competentUnit: BINHMINH, applicant: { name: 'X' }, data: { childName: 'A' } },
      { now: at('2026-03-02T08:15:00'), actor: actors.desk, calendar });
    expect(r.ok ? null : r.error.code).toBe('START_INVALID');
  });

  it('should route a non-geographic dossier: intake at the receiving desk, handling at the competent unit', () => {
    // given a dossier received in An Phú for Bình Minh
    const d = Dossier.start({ childName: 'A' }, '2026-03-02T08:15:00', { competentUnit: BINHMINH });
    d.act(actors.desk, 'intake', 'accept', '2026-03-02T08:20:00');
    // then the review step belongs to Bình Minh: An Phú's specialist may not act, Bình Minh's may
    expect(d.snapshot.active[0]?.unit).toBe(BINHMINH);
    const r = d.try(actors.specialist, 'review', 'propose', '2026-03-02T09:00:00', { verified: true });
    expect(r.ok ? null : r.error.code).toBe('ACTION_FORBIDDEN_UNIT');
    d.act(actors.otherSpecialist, 'review', 'propose', '2026-03-02T09:00:00', { verified: true });
    expect(d.steps()).toEqual(['sign']);
    expect(d.snapshot.routing.returnUnit).toBe(ANPHU);
  });

  it('should start the legal clock on acceptance and issue the receipt slip', () => {
    // given
    const d = Dossier.start();
    // when accepted on Monday 2 March 2026 at 08:20 with a 3-working-day deadline
    const t = d.act(actors.desk, 'intake', 'accept', '2026-03-02T08:20:00');
    // then the appointment is Thursday 5 March 17:00 local
    expect(d.snapshot.clock.receivedAt).toBe(at('2026-03-02T08:20:00'));
    expect(d.snapshot.clock.dueAt).toBe(at('2026-03-05T17:00:00'));
    expect(t.effects).toContainEqual({ type: 'issueSlip', slip: 'receipt', step: 'intake' });
    expect(d.snapshot.active[0]).toMatchObject({ step: 'review', unit: ANPHU, role: 'specialist', dueAt: at('2026-03-03T17:00:00') });
  });

  it('should reject actions from the wrong role or unit and change nothing', () => {
    const d = Dossier.start();
    d.act(actors.desk, 'intake', 'accept', '2026-03-02T08:20:00');
    const before = structuredClone(d.snapshot);
    expect(d.try(actors.citizen, 'review', 'propose', '2026-03-02T09:00:00', { verified: true })).toMatchObject({ ok: false, error: { code: 'ACTION_FORBIDDEN_ROLE' } });
    expect(d.try(actors.otherSpecialist, 'review', 'propose', '2026-03-02T09:00:00', { verified: true })).toMatchObject({ ok: false, error: { code: 'ACTION_FORBIDDEN_UNIT' } });
    expect(d.try(actors.specialist, 'sign', 'approve', '2026-03-02T09:00:00')).toMatchObject({ ok: false, error: { code: 'ACTION_NOT_AVAILABLE' } });
    expect(d.try(actors.specialist, 'review', 'fly', '2026-03-02T09:00:00')).toMatchObject({ ok: false, error: { code: 'ACTION_UNKNOWN' } });
    expect(d.try(actors.system, 'review', 'propose', '2026-03-02T09:00:00', { verified: true })).toMatchObject({ ok: false, error: { code: 'ACTION_FORBIDDEN_ROLE' } });
    expect(d.snapshot).toEqual(before);
  });

  it('should report missing inputs with a pointer to the field', () => {
    const d = Dossier.start();
    d.act(actors.desk, 'intake', 'accept', '2026-03-02T08:20:00');
    const r = d.try(actors.specialist, 'review', 'propose', '2026-03-02T09:00:00', {});
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('ACTION_INPUT_INVALID');
    expect(r.error.issues?.[0]?.path).toBe('/verified');
    // the words alone: the desk shows them under the field the pointer names
    expect(r.error.issues?.[0]?.message).toEqual({ vi: 'Bắt buộc phải nhập', en: 'Required' });
  });

  it('should say what is wrong with an input in plain words, the pointer only in its path', () => {
    // given a dossier at review
    const d = Dossier.start();
    d.act(actors.desk, 'intake', 'accept', '2026-03-02T08:20:00');
    // when the specialist proposes with a value of the wrong type
    const r = d.try(actors.specialist, 'review', 'propose', '2026-03-02T09:00:00', { verified: 'yes' });
    // then the issue points at the field and its message does not repeat the pointer
    expect(r).toMatchObject({ ok: false, error: { code: 'ACTION_INPUT_INVALID' } });
    if (r.ok) return;
    expect(r.error.issues).toEqual([{ path: '/verified', message: { vi: 'Phải có kiểu boolean', en: 'Must be boolean' } }]);
  });

  it('should take the conditional route on dossier data and join parallel branches', () => {
    // given a dossier that needs verification
    const d = Dossier.start({ childName: 'A', needsVerification: true });
    d.act(actors.desk, 'intake', 'accept', '2026-03-02T08:20:00');
    // when the specialist proposes
    d.act(actors.specialist, 'review', 'propose', '2026-03-02T09:00:00', { verified: true });
    // then both consultations run in parallel
    expect(d.steps()).toEqual(['askPolice', 'askTax', 'consult']);
    expect(d.snapshot.data['verified']).toBe(true);
    d.act(actors.specialist, 'askPolice', 'answer', '2026-03-02T10:00:00');
    expect(d.steps()).toEqual(['askTax', 'consult']);
    // and when the last branch ends, the join moves on
    const t = d.act(actors.specialist, 'askTax', 'answer', '2026-03-02T11:00:00');
    expect(d.steps()).toEqual(['sign']);
    expect(t.events[0]).toMatchObject({ from: ['askTax', 'taxDone', 'policeDone', 'consult'], to: ['taxDone', 'sign'] });
  });

  it('should take the else route when the condition does not hold', () => {
    const d = Dossier.start({ childName: 'A', needsVerification: false });
    d.act(actors.desk, 'intake', 'accept', '2026-03-02T08:20:00');
    d.act(actors.specialist, 'review', 'propose', '2026-03-02T09:00:00', { verified: true });
    expect(d.steps()).toEqual(['sign']);
  });

  it('should pause the clock while waiting for the citizen and resume with the time that was left', () => {
    // given a dossier accepted on Monday, due Thursday 17:00
    const d = Dossier.start();
    d.act(actors.desk, 'intake', 'accept', '2026-03-02T08:20:00');
    // when the specialist asks for a supplement on Tuesday 09:00 (1,260 working minutes left)
    const paused = d.act(actors.specialist, 'review', 'requestSupplement', '2026-03-03T09:00:00');
    expect(d.snapshot.status).toBe('waiting-citizen');
    expect(d.snapshot.clock).toMatchObject({ dueAt: null, remainingMinutes: 1260, pausedAt: at('2026-03-03T09:00:00') });
    expect(paused.effects).toContainEqual({ type: 'issueSlip', slip: 'supplement-request', step: 'review' });
    expect(d.snapshot.active[0]?.timeoutAt).not.toBeNull();
    // and the citizen brings the papers the next Monday at 10:00
    d.act(actors.citizen, 'supplement', 'submit', '2026-03-09T10:00:00');
    // then the 1,260 minutes run again from then: Thursday 12 March 08:30
    expect(d.snapshot.status).toBe('active');
    expect(d.snapshot.clock.dueAt).toBe(at('2026-03-12T08:30:00'));
    expect(d.snapshot.clock.pausedMinutes).toBe(360 + 3 * 450 + 150);
    expect(d.snapshot.supplementRounds).toBe(1);
  });

  it('should let the desk record a supplement on the applicant\'s behalf but not a stranger', () => {
    const d = Dossier.start();
    d.act(actors.desk, 'intake', 'accept', '2026-03-02T08:20:00');
    d.act(actors.specialist, 'review', 'requestSupplement', '2026-03-03T09:00:00');
    expect(d.try(actors.stranger, 'supplement', 'submit', '2026-03-04T09:00:00')).toMatchObject({ ok: false, error: { code: 'ACTION_FORBIDDEN_ROLE' } });
    d.act(actors.desk, 'supplement', 'submit', '2026-03-04T09:00:00');
    expect(d.steps()).toEqual(['review']);
  });

  it('should stop handling when the system raises the supplement timeout', () => {
    const d = Dossier.start();
    d.act(actors.desk, 'intake', 'accept', '2026-03-02T08:20:00');
    d.act(actors.specialist, 'review', 'requestSupplement', '2026-03-03T09:00:00');
    expect(d.try(actors.desk, 'supplement', 'expire', '2026-04-20T09:00:00')).toMatchObject({ ok: false, error: { code: 'ACTION_FORBIDDEN_ROLE' } });
    const t = d.act(actors.system, 'supplement', 'expire', '2026-04-20T09:00:00');
    expect(d.snapshot).toMatchObject({ status: 'done', outcome: 'stopped' });
    expect(t.effects).toContainEqual({ type: 'dossierClosed', outcome: 'stopped' });
    expect(timeliness(d.snapshot, calendar)).toBe('on-time');
  });

  it('should move the appointment once with a reason, and refuse a second time', () => {
    const d = Dossier.start();
    d.act(actors.desk, 'intake', 'accept', '2026-03-02T08:20:00');
    const t = d.act(actors.specialist, 'review', 'extend', '2026-03-04T09:00:00', { days: 2, reason: 'Chờ xác minh' });
    expect(d.snapshot.clock.dueAt).toBe(at('2026-03-09T17:00:00'));
    expect(d.snapshot.clock.originalDueAt).toBe(at('2026-03-05T17:00:00'));
    expect(d.steps()).toEqual(['review']);
    expect(t.effects).toContainEqual({ type: 'deadlineChanged', dueAt: at('2026-03-09T17:00:00'), reason: 'Chờ xác minh', kind: 'apology' });
    expect(t.effects).toContainEqual({ type: 'issueSlip', slip: 'apology', step: 'review' });
    expect(d.try(actors.specialist, 'review', 'extend', '2026-03-05T09:00:00', { days: 1, reason: 'x' })).toMatchObject({ ok: false, error: { code: 'ACTION_LIMIT_REACHED' } });
    expect(availableActions(proc, d.snapshot, { now: at('2026-03-05T09:00:00'), actor: actors.specialist, calendar }).map((a) => a.action)).not.toContain('extend');
  });

  it('should detect a stale version and report the current one', () => {
    const d = Dossier.start();
    const r = d.try(actors.desk, 'intake', 'accept', '2026-03-02T08:20:00', {}, 0);
    expect(r).toMatchObject({ ok: false, error: { code: 'DOSSIER_VERSION_CONFLICT', currentVersion: 1 } });
    expect(d.try(actors.desk, 'intake', 'accept', '2026-03-02T08:20:00', {}, 1).ok).toBe(true);
  });

  it('should let the applicant withdraw from any open step and then refuse every action', () => {
    const d = Dossier.start();
    d.act(actors.desk, 'intake', 'accept', '2026-03-02T08:20:00');
    d.act(actors.citizen, '*', 'withdraw', '2026-03-02T10:00:00', { reason: 'Không còn nhu cầu' });
    expect(d.snapshot).toMatchObject({ status: 'done', outcome: 'withdrawn', active: [] });
    expect(d.try(actors.specialist, 'review', 'propose', '2026-03-02T11:00:00', { verified: true })).toMatchObject({ ok: false, error: { code: 'DOSSIER_CLOSED' } });
    expect(availableActions(proc, d.snapshot, { now: at('2026-03-02T11:00:00'), actor: actors.citizen, calendar })).toEqual([]);
  });

  it('should refuse at intake with a reason and never start the clock', () => {
    const d = Dossier.start();
    const t = d.act(actors.desk, 'intake', 'refuse', '2026-03-02T08:20:00', { reason: 'Ngoài thẩm quyền' });
    expect(d.snapshot).toMatchObject({ status: 'done', outcome: 'refused' });
    expect(d.snapshot.clock.receivedAt).toBeNull();
    expect(t.effects).toContainEqual({ type: 'issueSlip', slip: 'refusal', step: 'intake' });
    expect(timeliness(d.snapshot, calendar)).toBeNull();
  });

  it('should run the whole happy path: fees, hand-off to another unit, return of the result', () => {
    // given
    const d = Dossier.start({ childName: 'A', ageDays: 90 });
    d.act(actors.desk, 'intake', 'accept', '2026-03-02T08:20:00');
    d.act(actors.specialist, 'review', 'propose', '2026-03-02T09:00:00', { verified: true });
    d.act(actors.leader, 'sign', 'sendBack', '2026-03-02T10:00:00', { reason: 'Sửa tên' });
    expect(d.steps()).toEqual(['review']);
    d.act(actors.specialist, 'review', 'propose', '2026-03-02T11:00:00', { verified: true });
    // when the leader approves, the late-registration fee is requested
    const approved = d.act(actors.leader, 'sign', 'approve', '2026-03-02T14:00:00');
    expect(approved.effects).toContainEqual({ type: 'requestPayment', fees: [{ id: 'late', amount: 8000 }] });
    // and once paid, a linked dossier is spawned at social insurance
    const paid = d.act(actors.system, 'pay', 'paid', '2026-03-02T15:00:00');
    expect(paid.effects).toContainEqual({ type: 'spawn', key: 'link', procedure: 'the-bhyt', unit: BHXH, step: 'link', data: expect.objectContaining({ childName: 'A', ageDays: 90 }) });
    expect(d.snapshot.links['link']).toEqual({ procedure: 'the-bhyt', unit: BHXH, outcome: null });
    // then the linked outcome routes on
    d.act(actors.system, 'link', 'done', '2026-03-03T09:00:00', { outcome: 'approved' });
    expect(d.snapshot.links['link']?.outcome).toBe('approved');
    expect(d.steps()).toEqual(['result']);
    const returned = d.act(actors.desk, 'result', 'handOver', '2026-03-03T10:00:00');
    expect(returned.effects).toContainEqual({ type: 'returnResult', via: 'desk', unit: ANPHU });
    expect(d.snapshot).toMatchObject({ status: 'done', outcome: 'approved', closedAt: at('2026-03-03T10:00:00') });
    expect(timeliness(d.snapshot, calendar)).toBe('early');
    // and replaying the log rebuilds exactly the stored snapshot
    expect(replay(proc, d.events, { calendar })).toEqual({ ok: true, value: d.snapshot });
  });

  it('should count a result returned after the appointment as late, and show overdue before', () => {
    const d = Dossier.start();
    d.act(actors.desk, 'intake', 'accept', '2026-03-02T08:20:00');
    expect(progress(d.snapshot, at('2026-03-02T09:00:00'), calendar)).toBe('within');
    expect(progress(d.snapshot, at('2026-03-05T09:00:00'), calendar)).toBe('due-soon');
    expect(progress(d.snapshot, at('2026-03-06T09:00:00'), calendar)).toBe('overdue');
    d.act(actors.specialist, 'review', 'propose', '2026-03-06T09:00:00', { verified: true });
    d.act(actors.leader, 'sign', 'approve', '2026-03-06T10:00:00');
    d.act(actors.system, 'pay', 'paid', '2026-03-06T10:00:00');
    d.act(actors.system, 'link', 'done', '2026-03-06T11:00:00', { outcome: 'rejected' });
    expect(d.snapshot.outcome).toBe('rejected');
    expect(timeliness(d.snapshot, calendar)).toBe('late');
  });

  it('should offer each actor only the actions they may take now', () => {
    const d = Dossier.start();
    const now = at('2026-03-02T08:20:00');
    expect(availableActions(proc, d.snapshot, { now, actor: actors.desk, calendar }).map((a) => `${a.step}:${a.action}`).sort())
      .toEqual(['*:reissueSlip', '*:withdraw', 'intake:accept', 'intake:refuse']);
    expect(availableActions(proc, d.snapshot, { now, actor: actors.citizen, calendar }).map((a) => `${a.step}:${a.action}`)).toEqual(['*:withdraw']);
    expect(availableActions(proc, d.snapshot, { now, actor: actors.specialist, calendar })).toEqual([]);
  });

  it('should let a delegate act on behalf of the leader and record it', () => {
    // given the leader authorised the specialist (TUQ.) for this procedure
    const d = Dossier.start();
    d.act(actors.desk, 'intake', 'accept', '2026-03-02T08:20:00');
    d.act(actors.specialist, 'review', 'propose', '2026-03-02T09:00:00', { verified: true });
    const delegations = [{
      id: 'uq-1', kind: 'authorisation' as const, to: actors.specialist.id, decision: '12/QĐ-UBND',
      from: { id: 'chair', name: 'Chủ tịch', title: 'CHỦ TỊCH', grants: [{ role: 'leader', unit: ANPHU, position: 'head' as const, title: 'CHỦ TỊCH' }] },
      scope: { procedures: ['mini'] }, validFrom: at('2026-03-01T00:00:00'), validTo: at('2026-03-31T00:00:00'),
    }];
    const ctx = { now: at('2026-03-02T10:00:00'), actor: actors.specialist, calendar, delegations };
    // when the specialist lists and takes the leader's action
    const offer = availableActions(proc, d.snapshot, ctx).find((a) => a.action === 'approve');
    expect(offer?.onBehalfOf?.id).toBe('chair');
    const t = ok(apply(proc, d.snapshot, { step: 'sign', action: 'approve' }, ctx));
    // then the event records on whose behalf
    expect(t.events[0]).toMatchObject({ onBehalfOf: { id: 'chair' }, delegationId: 'uq-1' });
    // and outside the validity period it is refused
    expect(apply(proc, d.snapshot, { step: 'sign', action: 'approve' }, { ...ctx, now: at('2026-04-02T10:00:00') }).ok).toBe(false);
  });
});

describe('actions offered', () => {
  it('should offer an action whose guard reads its inputs, and judge the guard when applied', () => {
    // given an approval that requires the inputs to confirm presence
    const def = miniDefinition();
    const sign = def.steps.find((s) => s.id === 'sign')!;
    sign.actions![0] = { ...sign.actions![0]!, guard: { '==': [{ var: 'inputs.present' }, true] }, inputs: { type: 'object', properties: { present: { type: 'boolean' } } } };
    const local = compileProcedure(def);
    const started = start(local, { dossierId: 'G', channel: 'direct', receivingUnit: ANPHU, applicant: { name: 'B' }, data: { childName: 'A' } }, { now: at('2026-03-02T08:00:00'), actor: actors.desk, calendar });
    if (!started.ok) throw new Error(started.error.code);
    let snap = started.value.snapshot;
    for (const [actor, step, action, inputs] of [[actors.desk, 'intake', 'accept', {}], [actors.specialist, 'review', 'propose', { verified: true }]] as const) {
      const r = apply(local, snap, { step, action, inputs }, { now: at('2026-03-02T09:00:00'), actor, calendar });
      if (!r.ok) throw new Error(r.error.code);
      snap = r.value.snapshot;
    }
    // when the leader looks, then approve is offered
    const ctx = { now: at('2026-03-02T10:00:00'), actor: actors.leader, calendar };
    expect(availableActions(local, snap, ctx).map((a) => a.action)).toContain('approve');
    // and applying it without the confirmation fails on the guard, with it succeeds
    const refused = apply(local, snap, { step: 'sign', action: 'approve', inputs: { present: false } }, ctx);
    expect(refused).toMatchObject({ ok: false, error: { code: 'ACTION_GUARD_FAILED' } });
    // (the officer reads the action's label, not its id)
    if (refused.ok) throw new Error('approve should be refused');
    expect(refused.error.message.vi).toContain(`"${sign.actions![0]!.label.vi}"`);
    expect(refused.error.message.vi).not.toContain('"approve"');
    expect(apply(local, snap, { step: 'sign', action: 'approve', inputs: { present: true } }, ctx).ok).toBe(true);
  });
});
