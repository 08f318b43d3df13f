import { describe, expect, it } from 'vitest';
import { compileProcedure } from '../src/compile/index';
import { createCalendar } from '../src/calendar/index';
import { VN_DEFAULT_CALENDAR } from '../src/calendar/defaults';
import { apply, progress, replay, start, timeliness } from '../src/runtime/index';
import type { ActionDefinition, ProcedureDefinition } from '../src/definition/types';
import type { Actor } from '../src/delegation/types';
import type { DossierEvent, DossierSnapshot, Result, Transition } from '../src/runtime/types';
import { ANPHU, actors, miniDefinition } from './fixtures/mini';

// The rules tested here are written out in docs/records.md ("Lawful extra time").
const calendar = createCalendar(VN_DEFAULT_CALENDAR);
const at = (local: string): string => new Date(`${local}+07:00`).toISOString();

const extraTime: ActionDefinition = {
  id: 'extraTime', label: { vi: 'Kéo dài theo luật' }, intent: 'extra-time', mergeInputs: false,
  inputs: { type: 'object', required: ['days', 'reason'], properties: { days: { type: 'integer', minimum: 1, maximum: 5 }, reason: { type: 'string', minLength: 1 } } },
  effects: [{ type: 'grantExtraTime' }, { type: 'issueSlip', slip: 'extra-time-notice' }],
};

function definition(): ProcedureDefinition {
  const def = miniDefinition();
  def.catalog.extraTime = { days: 5, basis: 'Luật Hộ tịch 2014, Điều 18 khoản 2' };
  def.steps.find((s) => s.id === 'review')?.actions?.push(extraTime);
  return def;
}
const proc = compileProcedure(definition());

function ok(r: Result<Transition>): Transition {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message.en}`);
  return r.value;
}

class Dossier {
  events: DossierEvent[] = [];
  constructor(public snapshot: DossierSnapshot) {}
  static accepted(when: string): Dossier {
    const t = ok(start(proc, { dossierId: 'D1', channel: 'direct', receivingUnit: ANPHU, applicant: { name: 'Trần Văn Bình' }, data: { childName: 'Na' } },
      { now: at(when), actor: actors.desk, calendar }));
    const d = new Dossier(t.snapshot);
    d.events.push(...t.events);
    d.act(actors.desk, 'intake', 'accept', when);
    return d;
  }
  try(actor: Actor, step: string, action: string, when: string, inputs: { [k: string]: unknown } = {}): Result<Transition> {
    return apply(proc, this.snapshot, { step, action, inputs }, { now: at(when), actor, calendar });
  }
  act(actor: Actor, step: string, action: string, when: string, inputs: { [k: string]: unknown } = {}): Transition {
    const t = ok(this.try(actor, step, action, when, inputs));
    this.snapshot = t.snapshot;
    this.events.push(...t.events);
    return t;
  }
  finish(when: string): void {
    this.act(actors.specialist, 'review', 'propose', when, { verified: true });
    this.act(actors.leader, 'sign', 'approve', when);
    this.act(actors.system, 'pay', 'paid', when);
    this.act(actors.system, 'link', 'done', when, { outcome: 'approved' });
    this.act(actors.desk, 'result', 'handOver', when);
  }
}

describe('lawful extra time is not lateness', () => {
  it('should give a new appointment and a notice, never an apology, and not count the dossier late when returned by it', () => {
    // given a dossier accepted Monday 2 March 2026, due Thursday 5 March (3 working days)
    const d = Dossier.accepted('2026-03-02T08:20:00');
    // when the specialist grants 2 lawful days for verification
    const t = d.act(actors.specialist, 'review', 'extraTime', '2026-03-03T09:00:00', { days: 2, reason: 'Cần xác minh' });
    // then both the appointment and the lawful date move; no apology, no apology counted
    expect(d.snapshot.clock).toMatchObject({ dueAt: at('2026-03-09T17:00:00'), lawfulDueAt: at('2026-03-09T17:00:00'), extraTimeDays: 2, extensions: 0 });
    expect(t.effects).toContainEqual({ type: 'issueSlip', slip: 'extra-time-notice', step: 'review' });
    expect(t.effects).toContainEqual({ type: 'deadlineChanged', dueAt: at('2026-03-09T17:00:00'), reason: 'Cần xác minh', kind: 'extra-time' });
    expect(t.effects.some((e) => e.type === 'issueSlip' && e.slip === 'apology')).toBe(false);
    expect(progress(d.snapshot, at('2026-03-06T09:00:00'), calendar)).toBe('within');
    // and returned on the new appointment day it is on time
    d.finish('2026-03-09T15:00:00');
    expect(timeliness(d.snapshot, calendar)).toBe('on-time');
    expect(replay(proc, d.events, { calendar })).toEqual({ ok: true, value: d.snapshot });
  });

  it('should refuse lawful extra time beyond the legal maximum, naming the maximum and its basis', () => {
    const d = Dossier.accepted('2026-03-02T08:20:00');
    d.act(actors.specialist, 'review', 'extraTime', '2026-03-03T09:00:00', { days: 3, reason: 'Xác minh lần 1' });
    const r = d.try(actors.specialist, 'review', 'extraTime', '2026-03-03T10:00:00', { days: 3, reason: 'Xác minh lần 2' });
    expect(r).toMatchObject({ ok: false, error: { code: 'ACTION_LIMIT_REACHED' } });
    if (!r.ok) expect(r.error.message.en).toContain('Điều 18');
    // the remaining two days are still allowed, and then nothing more
    d.act(actors.specialist, 'review', 'extraTime', '2026-03-03T10:00:00', { days: 2, reason: 'Xác minh lần 2' });
    expect(d.snapshot.clock.extraTimeDays).toBe(5);
    expect(d.try(actors.specialist, 'review', 'extraTime', '2026-03-03T11:00:00', { days: 1, reason: 'x' })).toMatchObject({ ok: false, error: { code: 'ACTION_LIMIT_REACHED' } });
  });

  it('should not use up the one apology allowed', () => {
    const d = Dossier.accepted('2026-03-02T08:20:00');
    d.act(actors.specialist, 'review', 'extraTime', '2026-03-03T09:00:00', { days: 1, reason: 'Cần xác minh' });
    d.act(actors.specialist, 'review', 'extend', '2026-03-06T09:00:00', { days: 1, reason: 'Chậm do ốm' });
    expect(d.snapshot.clock).toMatchObject({ extensions: 1, extraTimeDays: 1, lawfulDueAt: at('2026-03-06T17:00:00'), dueAt: at('2026-03-09T17:00:00') });
  });

  it('should judge lateness against slip 01 even after an apology moved the appointment (Decree 61/2018 Art. 19)', () => {
    // given a dossier due Thursday 5 March whose appointment an apology moved to Friday 6 March
    const d = Dossier.accepted('2026-03-02T08:20:00');
    d.act(actors.specialist, 'review', 'extend', '2026-03-05T09:00:00', { days: 1, reason: 'Chậm do mất điện' });
    expect(d.snapshot.clock).toMatchObject({ dueAt: at('2026-03-06T17:00:00'), lawfulDueAt: at('2026-03-05T17:00:00') });
    // then on Friday morning it is already overdue, and returned on Friday it is late
    expect(progress(d.snapshot, at('2026-03-06T09:00:00'), calendar)).toBe('overdue');
    d.finish('2026-03-06T10:00:00');
    expect(timeliness(d.snapshot, calendar)).toBe('late');
  });

  it('should keep the lawful date across a pause for a supplement', () => {
    const d = Dossier.accepted('2026-03-02T08:20:00');
    d.act(actors.specialist, 'review', 'extraTime', '2026-03-02T09:00:00', { days: 1, reason: 'Cần xác minh' });
    d.act(actors.specialist, 'review', 'requestSupplement', '2026-03-02T10:00:00');
    expect(d.snapshot.clock.lawfulDueAt).toBeNull();
    d.act(actors.citizen, 'supplement', 'submit', '2026-03-03T10:00:00');
    // a working day paused: both dates move by one working day, from Friday 6 to Monday 9 March
    expect(d.snapshot.clock).toMatchObject({ dueAt: at('2026-03-09T17:00:00'), lawfulDueAt: at('2026-03-09T17:00:00') });
  });
});
