import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileProcedure } from '../src/compile/index';
import { createCalendar } from '../src/calendar/index';
import { VN_DEFAULT_CALENDAR } from '../src/calendar/defaults';
import { apply, replay, start } from '../src/runtime/index';
import { migrationFate, validateMigrationPlan, type MigrationPlan } from '../src/migration/index';
import type { ProcedureDefinition, StepDefinition } from '../src/definition/types';
import type { Actor } from '../src/delegation/types';
import type { DossierEvent, DossierSnapshot, Result, Transition } from '../src/runtime/types';
import { ANPHU, actors, miniDefinition } from './fixtures/mini';

const calendar = createCalendar(VN_DEFAULT_CALENDAR);
const at = (local: string): string => new Date(`${local}+07:00`).toISOString();
const v1 = compileProcedure(miniDefinition());

function step(def: ProcedureDefinition, id: string): StepDefinition {
  const s = def.steps.find((x) => x.id === id);
  if (!s) throw new Error(id);
  return s;
}

/** Version 2: same steps, a new label; the base every other variant starts from. */
function v2Def(change: (d: ProcedureDefinition) => void = () => {}): ProcedureDefinition {
  const d = miniDefinition();
  d.version = 2;
  step(d, 'review').name = { vi: 'Thẩm định hồ sơ' };
  change(d);
  return d;
}
const v2 = compileProcedure(v2Def());

function ok(r: Result<Transition>): Transition {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message.en}`);
  return r.value;
}

interface Driven { snapshot: DossierSnapshot; events: DossierEvent[] }

const PATHS: { [name: string]: [Actor, string, string, { [k: string]: unknown }][] } = {
  intake: [],
  review: [[actors.desk, 'intake', 'accept', {}]],
  consult: [[actors.desk, 'intake', 'accept', {}], [actors.specialist, 'review', 'propose', { verified: true }]],
  consultHalf: [[actors.desk, 'intake', 'accept', {}], [actors.specialist, 'review', 'propose', { verified: true }], [actors.specialist, 'askPolice', 'answer', {}]],
  supplement: [[actors.desk, 'intake', 'accept', {}], [actors.specialist, 'review', 'requestSupplement', {}]],
  sign: [[actors.desk, 'intake', 'accept', {}], [actors.specialist, 'review', 'propose', { verified: true }], [actors.specialist, 'askPolice', 'answer', {}], [actors.specialist, 'askTax', 'answer', {}]],
  extended: [[actors.desk, 'intake', 'accept', {}], [actors.specialist, 'review', 'extend', { days: 2, reason: 'Chờ xác minh' }]],
  closed: [[actors.desk, 'intake', 'refuse', { reason: 'Thiếu giấy tờ' }]],
};

function drive(path: keyof typeof PATHS, needsVerification = true): Driven {
  const t = ok(start(v1, { dossierId: `D-${path}`, channel: 'direct', receivingUnit: ANPHU, applicant: { name: 'Trần Văn Bình' }, data: { childName: 'Bé Na', needsVerification } },
    { now: at('2026-03-02T08:15:00'), actor: actors.desk, calendar }));
  let snapshot = t.snapshot;
  const events = [...t.events];
  PATHS[path]!.forEach(([actor, s, a, inputs], i) => {
    const r = ok(apply(v1, snapshot, { step: s, action: a, inputs }, { now: at(`2026-03-0${3 + i}T09:00:00`), actor, calendar }));
    snapshot = r.snapshot;
    events.push(...r.events);
  });
  return { snapshot, events };
}

const ctx = { now: at('2026-03-10T10:00:00'), actor: { id: 'admin', name: 'Quản trị', kind: 'officer' as const }, calendar };
const identity = (from = 1, to = 2): MigrationPlan => ({ from, to, steps: {} });

describe('migration plan validation', () => {
  it('should accept the identity plan between versions with the same steps', () => {
    const check = validateMigrationPlan(v1, v2, identity());
    expect(check.ok).toBe(true);
    expect(check.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(check.resolved['review']).toBe('review');
    expect(check.resolved['policeDone']).toBe('policeDone');
  });

  it('should point at every unknown step, wrong version and incompatible kind, in Vietnamese and English', () => {
    const check = validateMigrationPlan(v1, v2, { from: 3, to: 2, steps: { nowhere: 'review', review: 'ghost', intake: 'review', consult: 'sign', supplement: 'sign' } });
    expect(check.ok).toBe(false);
    const byPath = Object.fromEntries(check.issues.map((i) => [i.path, i.code]));
    expect(byPath).toMatchObject({
      '/from': 'PLAN_FROM', '/steps/nowhere': 'PLAN_UNKNOWN_SOURCE', '/steps/review': 'PLAN_UNKNOWN_TARGET',
      '/steps/intake': 'PLAN_KIND_MISMATCH', '/steps/consult': 'PLAN_KIND_MISMATCH', '/steps/supplement': 'PLAN_KIND_MISMATCH',
    });
    for (const i of check.issues) {
      expect(i.message.vi.length).toBeGreaterThan(5);
      expect(i.message.en.length).toBeGreaterThan(5);
    }
  });

  it('should escape step ids in pointers and warn about steps gone without a target', () => {
    const gone = compileProcedure(v2Def((d) => { step(d, 'review').id = 'appraise'; for (const s of d.steps) for (const a of s.actions ?? []) if (a.target === 'review') a.target = 'appraise'; }));
    const check = validateMigrationPlan(v1, gone, { from: 1, to: 2, steps: { 'a/b~c': null } });
    expect(check.issues.map((i) => [i.path, i.code, i.severity])).toEqual(expect.arrayContaining([
      ['/steps/a~1b~0c', 'PLAN_UNKNOWN_SOURCE', 'error'],
      ['/steps/review', 'PLAN_STEP_UNMAPPED', 'warning'],
    ]));
  });

  it('should warn that dossiers keep their legal time and fees when the new version changes them', () => {
    const longer = compileProcedure(v2Def((d) => { d.catalog.legalDeadline = { days: 5 }; }));
    const check = validateMigrationPlan(v1, longer, identity());
    expect(check.ok).toBe(true);
    expect(check.issues.map((i) => i.code)).toContain('PLAN_LEGAL_TERMS_KEPT');
  });
});

describe('dossier fates', () => {
  it('should move a dossier in review to the renamed step, keeping the legal clock, the step times and the data', () => {
    const renamed = compileProcedure(v2Def((d) => {
      step(d, 'review').id = 'appraise';
      for (const s of d.steps) for (const a of s.actions ?? []) if (a.target === 'review') a.target = 'appraise';
      d.catalog.legalDeadline = { days: 10 };
    }));
    const d = drive('extended');
    const plan: MigrationPlan = { from: 1, to: 2, steps: { review: 'appraise' } };
    const fate = migrationFate(v1, renamed, d.snapshot, plan, ctx);
    expect(fate.fate).toBe('moves');
    if (fate.fate !== 'moves') return;
    expect(fate.snapshot.clock).toStrictEqual(d.snapshot.clock);
    expect(fate.snapshot.clock.extensions).toBe(1);
    expect(fate.snapshot.procedure).toEqual({ id: 'mini', version: 2, code: '9.999999' });
    expect(fate.snapshot.version).toBe(d.snapshot.version + 1);
    expect(fate.snapshot.state).toBe('appraise');
    expect(fate.snapshot.active).toEqual([{ ...d.snapshot.active[0], step: 'appraise' }]);
    expect(fate.moves).toEqual([{ from: 'review', to: 'appraise' }]);
    expect(fate.event).toMatchObject({ type: 'dossier.migrated', seq: fate.snapshot.version, fromVersion: 1, toVersion: 2, plan });
    // and the history with its move replays to the same snapshot, from either version
    const log = [...d.events, fate.event!];
    const versions = (v: number) => (v === 1 ? v1 : v === 2 ? renamed : null);
    expect(replay(renamed, log, { calendar, versions })).toStrictEqual({ ok: true, value: fate.snapshot });
    expect(replay(v1, log, { calendar, versions })).toStrictEqual({ ok: true, value: fate.snapshot });
    // and without the other version, replay says which one it needs
    const r = replay(renamed, log, { calendar });
    expect(r.ok).toBe(false);
    // and the dossier goes on under the new version
    const after = ok(apply(renamed, fate.snapshot, { step: 'appraise', action: 'propose', inputs: { verified: true } }, { now: at('2026-03-11T09:00:00'), actor: actors.specialist, calendar }));
    expect(after.snapshot.active.map((a) => a.step)).toContain('askPolice');
    expect(after.snapshot.clock.dueAt).toBe(d.snapshot.clock.dueAt);
    expect(replay(renamed, [...log, ...after.events], { calendar, versions })).toStrictEqual({ ok: true, value: after.snapshot });
  });

  it('should keep a dossier on the old version when the plan says so for its step', () => {
    const fate = migrationFate(v1, v2, drive('review').snapshot, { from: 1, to: 2, steps: { review: null } }, ctx);
    expect(fate).toMatchObject({ fate: 'stays', reasons: [{ code: 'STAYS', step: 'review' }] });
  });

  it('should move a half-done parallel step branch by branch, finished branches included', () => {
    const d = drive('consultHalf');
    const fate = migrationFate(v1, v2, d.snapshot, identity(), ctx);
    expect(fate.fate).toBe('moves');
    if (fate.fate !== 'moves') return;
    expect(fate.snapshot.state).toEqual(d.snapshot.state);
    expect(fate.snapshot.active).toEqual(d.snapshot.active);
  });

  it('should refuse a parallel step that gains a branch the dossier never entered', () => {
    const wider = compileProcedure(v2Def((d) => {
      step(d, 'consult').branches!.push({ id: 'land', name: { vi: 'Đất đai' }, initial: 'askLand', steps: [
        { id: 'askLand', kind: 'task', name: { vi: 'Hỏi đất đai' }, role: 'specialist', actions: [{ id: 'answer', label: { vi: 'Có ý kiến' }, target: 'landDone' }] },
        { id: 'landDone', kind: 'final', name: { vi: 'Xong' } },
      ] });
    }));
    const fate = migrationFate(v1, wider, drive('consult').snapshot, identity(), ctx);
    expect(fate).toMatchObject({ fate: 'cannot', reasons: [{ code: 'BRANCH_WITHOUT_COUNTERPART', step: 'consult' }] });
    if (fate.fate === 'cannot') expect(fate.reasons[0]!.message.en).toContain('land');
    // while a dossier not in the parallel step moves
    expect(migrationFate(v1, wider, drive('review').snapshot, identity(), ctx).fate).toBe('moves');
  });

  it('should refuse two parallel steps merged into one', () => {
    const fate = migrationFate(v1, v2, drive('consult').snapshot, { from: 1, to: 2, steps: { askPolice: 'review', askTax: 'review', consult: 'consult' } }, ctx);
    expect(fate).toMatchObject({ fate: 'cannot', reasons: [{ code: 'BRANCHES_MERGED' }] });
  });

  it('should refuse to lose a pending timer, and keep a paused clock paused', () => {
    const d = drive('supplement');
    expect(d.snapshot.clock.pausedAt).not.toBeNull();
    const noTimer = compileProcedure(v2Def((def) => { delete step(def, 'supplement').timeout; step(def, 'supplement').actions = step(def, 'supplement').actions!.filter((a) => a.id !== 'expire'); }));
    expect(migrationFate(v1, noTimer, d.snapshot, identity(), ctx)).toMatchObject({ fate: 'cannot', reasons: [{ code: 'TIMER_NO_PLACE', step: 'supplement' }] });
    const fate = migrationFate(v1, v2, d.snapshot, identity(), ctx);
    expect(fate.fate).toBe('moves');
    if (fate.fate !== 'moves') return;
    expect(fate.snapshot.status).toBe('waiting-citizen');
    expect(fate.snapshot.clock).toStrictEqual(d.snapshot.clock);
    expect(fate.snapshot.active[0]!.timeoutAt).toBe(d.snapshot.active[0]!.timeoutAt);
  });

  it('should start a timer the new step has from when the dossier entered it', () => {
    const timed = compileProcedure(v2Def((def) => {
      const r = step(def, 'review');
      r.timeout = { after: { days: 5 }, action: 'remind' };
      r.actions!.push({ id: 'remind', label: { vi: 'Nhắc' }, role: 'system' });
    }));
    const d = drive('review');
    const fate = migrationFate(v1, timed, d.snapshot, identity(), ctx);
    expect(fate.fate).toBe('moves');
    if (fate.fate !== 'moves') return;
    expect(fate.snapshot.active[0]!.timeoutAt).toBe(new Date(calendar.addWorkingTime(Date.parse(d.snapshot.active[0]!.enteredAt), { days: 5 })).toISOString());
    expect(fate.notes).toHaveLength(1);
  });

  it('should say which inputs the target step needs and the dossier lacks, and move once the plan gives them', () => {
    const stricter = compileProcedure(v2Def((def) => {
      const r = step(def, 'review');
      r.form = { type: 'object', properties: { verified: { type: 'boolean' }, checkedBy: { type: 'string' } } };
      r.actions![0]!.inputs = { type: 'object', properties: { verified: { type: 'boolean' }, checkedBy: { type: 'string' } }, required: ['verified', 'checkedBy'] };
      step(def, 'sign').actions![0]!.guard = { '!!': { var: 'data.checkedBy' } };
    }));
    const d = drive('sign');
    expect(migrationFate(v1, stricter, d.snapshot, identity(), ctx)).toMatchObject({
      fate: 'cannot', reasons: [{ code: 'INPUTS_MISSING', step: 'sign', fields: ['/checkedBy'] }],
    });
    const fate = migrationFate(v1, stricter, d.snapshot, { ...identity(), data: { checkedBy: 'Chưa ghi nhận (hồ sơ chuyển phiên bản)' } }, ctx);
    expect(fate.fate).toBe('moves');
    if (fate.fate === 'moves') expect(fate.snapshot.data['checkedBy']).toBe('Chưa ghi nhận (hồ sơ chuyển phiên bản)');
    // and the new version's intake schema is checked too
    const required = compileProcedure(v2Def((def) => { (def.data as { required: string[] }).required.push('birthPlace'); }));
    expect(migrationFate(v1, required, d.snapshot, identity(), ctx)).toMatchObject({ fate: 'cannot', reasons: [{ code: 'INPUTS_MISSING' }] });
  });

  it('should not move a closed dossier, nor one on another version', () => {
    expect(migrationFate(v1, v2, drive('closed').snapshot, identity(), ctx)).toMatchObject({ fate: 'cannot', reasons: [{ code: 'CLOSED' }] });
    const d = drive('review');
    const moved = migrationFate(v1, v2, d.snapshot, identity(), ctx);
    if (moved.fate !== 'moves') throw new Error('expected a move');
    expect(migrationFate(v1, v2, moved.snapshot, identity(), ctx)).toMatchObject({ fate: 'cannot', reasons: [{ code: 'WRONG_VERSION' }] });
  });

  it('should refuse to move a dossier whose linked dossier has not answered to a hand-off step of another id', () => {
    const d = drive('sign');
    const signed = ok(apply(v1, d.snapshot, { step: 'sign', action: 'approve' }, { now: at('2026-03-09T09:00:00'), actor: actors.leader, calendar }));
    const paid = ok(apply(v1, signed.snapshot, { step: 'pay', action: 'paid' }, { now: at('2026-03-09T10:00:00'), actor: actors.system, calendar }));
    expect(paid.snapshot.links['link']).toMatchObject({ outcome: null });
    const renamed = compileProcedure(v2Def((def) => { step(def, 'link').id = 'linkBhxh'; step(def, 'pay').actions![0]!.target = 'linkBhxh'; }));
    expect(validateMigrationPlan(v1, renamed, { from: 1, to: 2, steps: { link: 'linkBhxh' } }).issues.map((i) => i.code)).toContain('PLAN_HANDOFF_RENAMED');
    expect(migrationFate(v1, renamed, paid.snapshot, { from: 1, to: 2, steps: { link: 'linkBhxh' } }, ctx)).toMatchObject({ fate: 'cannot', reasons: [{ code: 'LINK_PENDING' }] });
    expect(migrationFate(v1, v2, paid.snapshot, identity(), ctx).fate).toBe('moves');
  });
});

describe('migration properties', () => {
  const names = Object.keys(PATHS) as (keyof typeof PATHS)[];
  const attempt = (n: keyof typeof PATHS, v: boolean): Driven | null => {
    try {
      return drive(n, v);
    } catch {
      return null; // a path through the consultation needs verification
    }
  };
  const driven = new Map(names.flatMap((n) => [true, false].map((v): [string, Driven | null] => [`${n}:${v}`, attempt(n, v)]))
    .filter((e): e is [string, Driven] => e[1] !== null));
  const oldIds = [...v1.steps.keys()];
  const newIds = [...v2.steps.keys()];
  const planArb = fc.record({
    steps: fc.dictionary(fc.oneof(fc.constantFrom(...oldIds), fc.string({ maxLength: 6 })), fc.oneof(fc.constantFrom(...newIds), fc.constant(null), fc.string({ maxLength: 6 })), { maxKeys: 6 }),
    data: fc.option(fc.dictionary(fc.constantFrom('checkedBy', 'note'), fc.string()), { nil: undefined }),
  });

  it('should answer every plan with pointers into it, and every dossier with a fate that keeps its clock and replays', () => {
    fc.assert(fc.property(planArb, fc.constantFrom(...driven.keys()), (p, key) => {
      const plan: MigrationPlan = { from: 1, to: 2, steps: p.steps, ...(p.data ? { data: p.data } : {}) };
      const check = validateMigrationPlan(v1, v2, plan);
      for (const i of check.issues) expect(i.path).toMatch(/^(|\/from|\/to|\/data|\/steps\/.*)$/);
      const d = driven.get(key)!;
      const fate = migrationFate(v1, v2, d.snapshot, plan, ctx, check);
      if (d.snapshot.status === 'done') expect(fate.fate).toBe('cannot');
      if (fate.fate !== 'moves') {
        expect(fate.reasons.length).toBeGreaterThan(0);
        return;
      }
      // a move never touches the legal clock, the routing, the links or the parameters
      expect(fate.snapshot.clock).toStrictEqual(d.snapshot.clock);
      expect(fate.snapshot.routing).toStrictEqual(d.snapshot.routing);
      expect(fate.snapshot.links).toStrictEqual(d.snapshot.links);
      expect(fate.snapshot.status).toBe(d.snapshot.status);
      for (const [k, v] of Object.entries(d.snapshot.data)) expect(fate.snapshot.data[k]).toStrictEqual(v);
      // and its history replays to the moved snapshot
      expect(replay(v2, [...d.events, fate.event!], { calendar, versions: (v) => (v === 1 ? v1 : null) })).toStrictEqual({ ok: true, value: fate.snapshot });
    }), { numRuns: 300 });
  });

  it('should move every open dossier under the identity plan between equal versions', () => {
    for (const [key, d] of driven) {
      const fate = migrationFate(v1, v2, d.snapshot, identity(), ctx);
      expect(fate.fate, key).toBe(d.snapshot.status === 'done' ? 'cannot' : 'moves');
    }
  });
});
