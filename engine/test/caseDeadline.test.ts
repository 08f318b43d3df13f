import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analysis/index';
import { checkCasePaths, MAX_WALK_WORK } from '../src/analysis/casePaths';
import { buildGraph } from '../src/analysis/graph';
import { weightOf } from '../src/analysis/sla';
import { compileProcedure } from '../src/compile/index';
import { createCalendar } from '../src/calendar/index';
import { VN_DEFAULT_CALENDAR } from '../src/calendar/defaults';
import { validateDefinition } from '../src/definition/validate';
import { apply, progress, replay, start, timeliness } from '../src/runtime/index';
import type { ProcedureDefinition, StepDefinition } from '../src/definition/types';
import type { Actor } from '../src/delegation/types';
import type { DossierEvent, DossierSnapshot, Result, Transition } from '../src/runtime/types';
import { ANPHU, actors } from './fixtures/mini';

// Issue 15, item 4: a legal time that depends on the case, and a step SLA counted from an event.
const calendar = createCalendar(VN_DEFAULT_CALENDAR);
const at = (local: string): string => new Date(`${local}+07:00`).toISOString();
const needsVerification = { var: 'data.needsVerification' };

/** 3 working days, 20 when verification is needed; the decision is due 1 day after the reply. */
function definition(): ProcedureDefinition {
  return {
    id: 'xac-minh', version: 1,
    catalog: {
      code: '9.999998', name: { vi: 'Thủ tục có xác minh' }, field: 'Hộ tịch', level: 'commune',
      decidingAuthority: 'UBND cấp xã', implementingBody: 'UBND cấp xã',
      legalDeadline: { days: 3, cases: [{ when: needsVerification, days: 20, note: { vi: 'Cần xác minh', en: 'Verification needed' } }] },
      fees: [], documents: [], result: { vi: 'Giấy xác nhận' }, legalBasis: ['Luật Hộ tịch 2014'],
      onlineLevel: 'partial', postal: false, nonGeographic: false,
    },
    settings: { supplementClock: 'pause' },
    roles: [{ id: 'desk', name: { vi: 'Một cửa' } }, { id: 'specialist', name: { vi: 'Hộ tịch' } }, { id: 'leader', name: { vi: 'Lãnh đạo' } }],
    initial: 'intake',
    steps: [
      { id: 'intake', kind: 'intake', name: { vi: 'Tiếp nhận' }, role: 'desk', actions: [{ id: 'accept', label: { vi: 'Tiếp nhận' }, intent: 'proceed', target: 'review' }] },
      {
        id: 'review', kind: 'task', name: { vi: 'Kiểm tra' }, role: 'specialist', sla: { days: 2 },
        form: { type: 'object', properties: { needsVerification: { type: 'boolean', title: 'Cần xác minh' } } },
        actions: [{
          id: 'propose', label: { vi: 'Đề xuất' }, intent: 'proceed',
          inputs: { type: 'object', properties: { needsVerification: { type: 'boolean' } }, required: ['needsVerification'] },
          target: [{ when: needsVerification, target: 'verify' }, { target: 'sign' }],
        }],
      },
      {
        id: 'verify', kind: 'task', name: { vi: 'Chờ trả lời xác minh' }, role: 'specialist', sla: { days: 1, from: 'recordReply' },
        actions: [
          { id: 'recordReply', label: { vi: 'Ghi nhận văn bản trả lời' }, intent: 'proceed', mergeInputs: true, inputs: { type: 'object', properties: { reply: { type: 'string', minLength: 1 } }, required: ['reply'] } },
          { id: 'conclude', label: { vi: 'Trình ký' }, intent: 'proceed', guard: { '!!': { var: 'data.reply' } }, target: 'sign' },
        ],
      },
      {
        id: 'sign', kind: 'approval', name: { vi: 'Ký' }, role: 'leader', sla: { hours: 4 },
        actions: [{ id: 'approve', label: { vi: 'Ký' }, intent: 'proceed', target: 'done' }],
      },
      { id: 'done', kind: 'final', name: { vi: 'Xong' }, outcome: 'approved' },
    ],
  };
}

function ok(r: Result<Transition>): Transition {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message.en}`);
  return r.value;
}

class Dossier {
  events: DossierEvent[] = [];
  readonly proc;
  snapshot: DossierSnapshot;
  constructor(def: ProcedureDefinition, when: string) {
    this.proc = compileProcedure(def);
    const t = ok(start(this.proc, { dossierId: 'D1', channel: 'direct', receivingUnit: ANPHU, applicant: { name: 'Trần Thị Hoa' } }, { now: at(when), actor: actors.desk, calendar }));
    this.snapshot = t.snapshot;
    this.events.push(...t.events);
  }
  act(actor: Actor, step: string, action: string, when: string, inputs: { [k: string]: unknown } = {}): Transition {
    const t = ok(apply(this.proc, this.snapshot, { step, action, inputs }, { now: at(when), actor, calendar }));
    this.snapshot = t.snapshot;
    this.events.push(...t.events);
    return t;
  }
  due(step: string): string | null | undefined {
    return this.snapshot.active.find((a) => a.step === step)?.dueAt;
  }
}

describe('legal time that depends on the case', () => {
  it('should accept the definition', () => {
    expect(validateDefinition(definition())).toEqual({ ok: true, issues: [] });
  });

  it('should move the appointment to 20 working days when verification turns out to be needed, without an apology and without lateness', () => {
    // given a dossier accepted Monday 2 March 2026: the ordinary case, due Thursday 5 March
    const d = new Dossier(definition(), '2026-03-02T08:00:00');
    d.act(actors.desk, 'intake', 'accept', '2026-03-02T08:20:00');
    expect(d.snapshot.clock).toMatchObject({ dueAt: at('2026-03-05T17:00:00'), legalCase: -1 });
    // when the specialist finds that verification is needed
    const t = d.act(actors.specialist, 'review', 'propose', '2026-03-03T10:00:00', { needsVerification: true });
    // then the legal time is 20 working days from acceptance: Monday 30 March, judged so too
    expect(d.snapshot.clock).toMatchObject({
      dueAt: at('2026-03-30T17:00:00'), lawfulDueAt: at('2026-03-30T17:00:00'), originalDueAt: at('2026-03-05T17:00:00'), legalCase: 0, extensions: 0,
    });
    expect(t.effects).toContainEqual({ type: 'deadlineChanged', dueAt: at('2026-03-30T17:00:00'), reason: null, kind: 'legal-case' });
    expect(t.effects.some((e) => e.type === 'issueSlip')).toBe(false);
    expect(progress(d.snapshot, at('2026-03-09T09:00:00'), calendar)).toBe('within');
    // and the verify step has no due date until the reply comes
    expect(d.due('verify')).toBeNull();
    d.act(actors.specialist, 'verify', 'recordReply', '2026-03-16T14:00:00', { reply: 'Chưa đăng ký kết hôn' });
    // then the decision is due one working day after the reply
    expect(d.due('verify')).toBe(at('2026-03-17T17:00:00'));
    d.act(actors.specialist, 'verify', 'conclude', '2026-03-17T09:00:00');
    d.act(actors.leader, 'sign', 'approve', '2026-03-17T15:00:00');
    // then returned on 17 March it is early, not late against the ordinary 5 March
    expect(timeliness(d.snapshot, calendar)).toBe('early');
    expect(replay(d.proc, d.events, { calendar })).toEqual({ ok: true, value: d.snapshot });
  });

  it('should keep the ordinary time when no case holds, so returning after it is late', () => {
    // given the same procedure, no verification
    const d = new Dossier(definition(), '2026-03-02T08:00:00');
    d.act(actors.desk, 'intake', 'accept', '2026-03-02T08:20:00');
    d.act(actors.specialist, 'review', 'propose', '2026-03-03T10:00:00', { needsVerification: false });
    // when signed on Friday 6 March
    d.act(actors.leader, 'sign', 'approve', '2026-03-06T09:00:00');
    // then it was due on 5 March and is late
    expect(d.snapshot.clock).toMatchObject({ dueAt: at('2026-03-05T17:00:00'), legalCase: -1 });
    expect(timeliness(d.snapshot, calendar)).toBe('late');
  });

  it('should count the case from acceptance when it already holds then, and shorten it when it stops holding', () => {
    // given intake data that already says verification is needed
    const def = definition();
    def.steps[0] = { ...(def.steps[0] as StepDefinition), actions: [{ id: 'accept', label: { vi: 'Tiếp nhận' }, intent: 'proceed', target: 'review', mergeInputs: true, inputs: { type: 'object', properties: { needsVerification: { type: 'boolean' } } } }] };
    const d = new Dossier(def, '2026-03-02T08:00:00');
    d.act(actors.desk, 'intake', 'accept', '2026-03-02T08:20:00', { needsVerification: true });
    expect(d.snapshot.clock).toMatchObject({ dueAt: at('2026-03-30T17:00:00'), originalDueAt: at('2026-03-30T17:00:00'), legalCase: 0 });
    // when the specialist finds it is not needed after all
    d.act(actors.specialist, 'review', 'propose', '2026-03-03T10:00:00', { needsVerification: false });
    // then the ordinary 3 days apply again
    expect(d.snapshot.clock).toMatchObject({ dueAt: at('2026-03-05T17:00:00'), lawfulDueAt: at('2026-03-05T17:00:00'), legalCase: -1 });
    expect(replay(d.proc, d.events, { calendar })).toEqual({ ok: true, value: d.snapshot });
  });

  it('should leave procedures without cases exactly as they were (no legalCase in the clock)', () => {
    const def = definition();
    def.catalog.legalDeadline = { days: 3 };
    const d = new Dossier(def, '2026-03-02T08:00:00');
    d.act(actors.desk, 'intake', 'accept', '2026-03-02T08:20:00');
    d.act(actors.specialist, 'review', 'propose', '2026-03-03T10:00:00', { needsVerification: true });
    expect('legalCase' in d.snapshot.clock).toBe(false);
    expect(d.snapshot.clock.dueAt).toBe(at('2026-03-05T17:00:00'));
  });
});

describe('analysis of case-dependent deadlines and loops', () => {
  const slaFinding = (def: ProcedureDefinition) => analyze(def).findings.find((f) => f.code === 'AN_SLA_EXCEEDS_LEGAL');
  const stepOf = (def: ProcedureDefinition, id: string): StepDefinition => def.steps.find((s) => s.id === id) as StepDefinition;

  it('should judge each route against its own case', () => {
    // given: ordinary route 2 days + 4 hours (fits 3), verification route 3 days + 4 hours (fits 20, not 3)
    const def = definition();
    // when analysed
    // then nothing overruns
    expect(slaFinding(def)).toBeUndefined();
    // and without the case the verification route overruns the 3 days
    def.catalog.legalDeadline = { days: 3 };
    expect(slaFinding(def)?.message.en).toContain('3.5 working days');
  });

  it('should name the case and point at it when a route overruns the time of its case', () => {
    // given verification whose reply step alone takes 25 days
    const def = definition();
    stepOf(def, 'verify').sla = { days: 25, from: 'recordReply' };
    const found = slaFinding(def);
    expect(found?.path).toBe('/catalog/legalDeadline/cases/0');
    expect(found?.message.vi).toContain('trường hợp 1 (Cần xác minh)');
    expect(found?.message.en).toContain('"review", "verify", "sign", "done"');
    expect(found?.message.en).toContain('27.5 working days');
  });

  it('should point at the base time when the ordinary route overruns', () => {
    const def = definition();
    stepOf(def, 'review').sla = { days: 3 };
    const found = slaFinding(def);
    expect(found?.path).toBe('/catalog/legalDeadline');
    expect(found?.message.en).toContain('the ordinary case');
    expect(found?.message.en).toContain('"intake", "review", "sign", "done"');
  });

  it('should walk a route that returns to an earlier step once round', () => {
    // given verification that may send the dossier back to review for a second look (normal flow, not rework)
    const def = definition();
    stepOf(def, 'verify').sla = { days: 8, from: 'recordReply' };
    stepOf(def, 'verify').actions?.push({ id: 'reviewAgain', label: { vi: 'Kiểm tra lại' }, intent: 'proceed', target: 'review' });
    // when analysed: the acyclic routes fit (2.5 days ordinary, 10.5 with verification), but once
    // round with verification first needed, then not (review 2 + verify 8 + review 2 + sign 0.5),
    // the ordinary 3 days apply again to 12.5 days of work
    const found = slaFinding(def);
    // then the loop is reported
    expect(found?.message.en).toContain('"intake", "review", "verify", "review", "sign", "done"');
    expect(found?.message.en).toContain('12.5 working days');
    expect(found?.message.en).toContain('goes back from step "verify" to step "review" once');
    expect(analyze(def).slaLongestPath?.workingDays).toBe(10.5);
  });

  it('should not count a rework loop against the legal time', () => {
    const def = definition();
    stepOf(def, 'verify').sla = { days: 8, from: 'recordReply' };
    stepOf(def, 'sign').actions?.push({ id: 'sendBack', label: { vi: 'Trả lại' }, intent: 'rework', target: 'review' });
    expect(slaFinding(def)).toBeUndefined();
  });

  /** `n` steps after review that may each move to every other and leave only by rework (skipped by the walk). */
  const withClique = (n: number): ProcedureDefinition => {
    const def = definition();
    const ids = Array.from({ length: n }, (_, i) => `c${i}`);
    stepOf(def, 'review').actions?.push({ id: 'detour', label: { vi: 'Rẽ' }, intent: 'proceed', target: 'c0' });
    def.steps.push(...ids.map((id): StepDefinition => ({
      id, kind: 'task', name: { vi: id }, role: 'specialist', sla: { hours: 1 },
      actions: [
        ...ids.filter((o) => o !== id).map((o) => ({ id: `to${o}`, label: { vi: o }, intent: 'proceed' as const, target: o })),
        { id: 'back', label: { vi: 'Trả lại' }, intent: 'rework' as const, target: 'review' },
      ],
    })));
    return def;
  };

  it('should stop the route walk at its work budget and say that not every route was judged', () => {
    // given 8 steps that each move to every other and leave only by rework: no route through
    // them reaches a final step, so the routes-to-a-final cap never applied and the walk tried
    // each of their orders (7 steps took 80 s, 8 hours)
    const def = withClique(8);
    expect(validateDefinition(def).ok).toBe(true);
    // when analysed
    const report = analyze(def);
    // then the cut is a warning at the legal time, and the analysis is still ok
    const cut = report.findings.filter((f) => f.code === 'AN_SLA_PATHS_TRUNCATED');
    expect(cut).toEqual([expect.objectContaining({ severity: 'warning', path: '/catalog/legalDeadline' })]);
    expect(cut[0]?.message.vi).toContain('chưa được xét');
    expect(cut[0]?.message.en).toContain('not examined');
    expect(report.ok).toBe(true);
  });

  it('should count the walk\'s work and stop exactly at the budget given', () => {
    const def = withClique(4);
    const g = buildGraph(def);
    const weight = (id: string) => weightOf(g, id, 8, new Map());
    // given a small walk that finishes within the default budget
    const whole = checkCasePaths(g, 8, weight);
    expect(whole.truncated).toBe(false);
    expect(whole.work).toBeLessThan(MAX_WALK_WORK);
    // when the budget is one unit short, or the route cap one route short
    const short = checkCasePaths(g, 8, weight, { maxWork: whole.work - 1 });
    const fewer = checkCasePaths(g, 8, weight, { maxPaths: whole.paths - 1 });
    // then the walk stops there and says so; with the budget it needs, it does not
    expect(short).toMatchObject({ truncated: true, work: whole.work - 1 });
    expect(fewer).toMatchObject({ truncated: true, paths: whole.paths - 1 });
    expect(checkCasePaths(g, 8, weight, { maxWork: whole.work })).toMatchObject({ truncated: false, paths: whole.paths });
    // and no truncation finding without the cut
    expect(analyze(def).findings.map((f) => f.code)).not.toContain('AN_SLA_PATHS_TRUNCATED');
  });
});
