import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileProcedure } from '../src/compile/index';
import { createCalendar, VN_DEFAULT_CALENDAR } from '../src/calendar/index';
import { validateDefinition } from '../src/definition/validate';
import { validateLinks } from '../src/definition/checkHandoffs';
import { apply, outputsOf, replay, start } from '../src/runtime/index';
import type { ProcedureDefinition } from '../src/definition/types';
import type { Actor, UnitInfo } from '../src/delegation/types';
import type { DossierEvent, DossierSnapshot } from '../src/runtime/types';

const calendar = createCalendar(VN_DEFAULT_CALENDAR);
const at = (local: string): string => new Date(`${local}+07:00`).toISOString();
const read = (slug: string): ProcedureDefinition =>
  JSON.parse(readFileSync(new URL(`../../procedures/${slug}/procedure.json`, import.meta.url), 'utf8')) as ProcedureDefinition;
const PARENT = 'xac-nhan-tinh-trang-hon-nhan-xac-minh';
const CHILD = 'xac-minh-tinh-trang-hon-nhan';
const ANPHU = '000.01.31.H99';
const TANLAP = '000.03.31.H99';
const units: { [code: string]: UnitInfo } = {
  [ANPHU]: { code: ANPHU, name: 'Ủy ban nhân dân xã An Phú', kind: 'commune' },
  [TANLAP]: { code: TANLAP, name: 'Ủy ban nhân dân xã Tân Lập', kind: 'commune' },
  '000.13.31.H99': { code: '000.13.31.H99', name: 'Công an xã Tân Lập', kind: 'police' },
};
const officer = (id: string, role: string, unit = ANPHU): Actor => ({ id, name: id, kind: 'officer', grants: [{ role, unit }] });
const desk = officer('desk', 'desk');
const specialist = officer('spec', 'specialist');
const system: Actor = { id: 'system', name: 'Hệ thống', kind: 'system', grants: [] };
const data = { personName: 'Kiều Thị Mỹ', dateOfBirth: '1996-04-18', maritalStatus: 'never-married', purpose: 'marriage' };

/** A parent dossier accepted and at `verify`, with its events so far. */
function atVerify() {
  const proc = compileProcedure(read(PARENT));
  const s = start(proc, { dossierId: 'P1', channel: 'direct', receivingUnit: ANPHU, applicant: { name: 'Kiều Thị Mỹ' }, data }, { now: at('2026-03-10T08:15:00'), actor: desk, calendar, units });
  if (!s.ok) throw new Error(s.error.code);
  const a = apply(proc, s.value.snapshot, { step: 'intake', action: 'accept' }, { now: at('2026-03-10T08:20:00'), actor: desk, calendar, units });
  if (!a.ok) throw new Error(a.error.code);
  return { proc, snap: a.value.snapshot, events: [...s.value.events, ...a.value.events] as DossierEvent[] };
}

describe('hand-off unit chosen at run time', () => {
  it('should spawn the linked dossier at the unit the data names, checked against the directory passed in', () => {
    // given a dossier at verify
    const { proc, snap } = atVerify();
    // when the specialist names the former commune
    const r = apply(proc, snap, { step: 'verify', action: 'askPreviousCommune', inputs: { previousCommune: TANLAP } }, { now: at('2026-03-10T10:00:00'), actor: specialist, calendar, units });
    // then the spawn goes there, the link records it, and the legal time moves to the verification case
    if (!r.ok) throw new Error(r.error.code);
    expect(r.value.effects).toContainEqual(expect.objectContaining({ type: 'spawn', procedure: CHILD, unit: TANLAP, key: 'previousCommune' }));
    expect(r.value.snapshot.links['previousCommune']).toMatchObject({ unit: TANLAP, outcome: null });
    expect(r.value.effects).toContainEqual(expect.objectContaining({ type: 'deadlineChanged', kind: 'legal-case' }));
  });

  it.each([
    ['a unit of a kind not allowed', '000.13.31.H99', /police/],
    ['a code not in the directory', '000.99.31.H99', /000\.99\.31\.H99/],
    ['an empty code', ' ', /no unit code/],
  ])('should refuse %s with HANDOFF_UNIT_INVALID pointing at the input, changing nothing', (_what, code, message) => {
    const { proc, snap } = atVerify();
    const r = apply(proc, snap, { step: 'verify', action: 'askPreviousCommune', inputs: { previousCommune: code } }, { now: at('2026-03-10T10:00:00'), actor: specialist, calendar, units });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('HANDOFF_UNIT_INVALID');
    expect(r.error.message.en).toMatch(message);
    // the unit came from this action's inputs: the pointer is into them, as for any input error
    expect(r.error.issues).toEqual([expect.objectContaining({ path: '/previousCommune' })]);
  });

  it('should take the code as it is when no directory is given (replay needs none)', () => {
    const { proc, snap } = atVerify();
    const r = apply(proc, snap, { step: 'verify', action: 'askPreviousCommune', inputs: { previousCommune: '000.13.31.H99' } }, { now: at('2026-03-10T10:00:00'), actor: specialist, calendar });
    expect(r.ok && r.value.snapshot.links['previousCommune']?.unit).toBe('000.13.31.H99');
  });
});

describe('answers coming back', () => {
  it('should give the outputs the child declares, evaluated on the child at its end', () => {
    // given a verification dossier answered "married" at Tân Lập
    const child = compileProcedure(read(CHILD));
    const s = start(child, { dossierId: 'C1', channel: 'direct', receivingUnit: TANLAP, applicant: { name: 'Kiều Thị Mỹ' }, data: { personName: 'Kiều Thị Mỹ', dateOfBirth: '1996-04-18' } }, { now: at('2026-03-10T10:00:00'), actor: system, calendar });
    if (!s.ok) throw new Error(s.error.code);
    const r = apply(child, s.value.snapshot, { step: 'lookup', action: 'propose', inputs: { statusFound: 'married', answerNote: 'Đăng ký kết hôn năm 2019' } }, { now: at('2026-03-11T10:00:00'), actor: officer('s2', 'specialist', TANLAP), calendar });
    if (!r.ok) throw new Error(r.error.code);
    // when its outputs are read / then each declared output has its value, the unit included
    expect(outputsOf(child, r.value.snapshot)).toEqual({ maritalStatus: 'married', note: 'Đăng ký kết hôn năm 2019', answeredBy: TANLAP });
  });

  it('should write the answer into the parent data before its guards run, and replay to the same snapshot', () => {
    // given a parent waiting for the former commune
    const { proc, snap, events } = atVerify();
    const asked = apply(proc, snap, { step: 'verify', action: 'askPreviousCommune', inputs: { previousCommune: TANLAP } }, { now: at('2026-03-10T10:00:00'), actor: specialist, calendar, units });
    if (!asked.ok) throw new Error(asked.error.code);
    // when the answer "married" comes back
    const answered = apply(proc, asked.value.snapshot, { step: 'previousCommune', action: 'answered', inputs: { outcome: 'approved', outputs: { maritalStatus: 'married', note: 'x', answeredBy: TANLAP } } }, { now: at('2026-03-12T15:00:00'), actor: system, calendar, units });
    if (!answered.ok) throw new Error(answered.error.code);
    const s: DossierSnapshot = answered.value.snapshot;
    // then it is in data and in the link, and the certificate cannot be proposed
    expect(s.data).toMatchObject({ previousStatus: 'married', previousAnswer: 'x', previousAnsweredBy: TANLAP });
    expect(s.links['previousCommune']).toMatchObject({ outcome: 'approved', outputs: { maritalStatus: 'married' } });
    const propose = apply(proc, s, { step: 'verify', action: 'propose', inputs: { certificateNo: '1/2026' } }, { now: at('2026-03-13T09:00:00'), actor: specialist, calendar, units });
    expect(!propose.ok && propose.error.code).toBe('ACTION_GUARD_FAILED');
    // and the log alone rebuilds the snapshot, without the directory
    const replayed = replay(proc, [...events, ...asked.value.events, ...answered.value.events], { calendar });
    expect(replayed.ok && replayed.value).toEqual(s);
  });
});

describe('validating run-time units and answer mappings', () => {
  const parent = (): ProcedureDefinition => structuredClone(read(PARENT));
  const at = (def: ProcedureDefinition) => def.steps.findIndex((s) => s.id === 'previousCommune');

  it('should point at an unknown operator in the unit expression', () => {
    const def = parent();
    const i = at(def);
    def.steps[i]!.handoff!.unit = { expression: { eval: 'data.previousCommune' }, kinds: ['commune'] };
    const r = validateDefinition(def);
    expect(r.issues).toContainEqual(expect.objectContaining({ code: 'DEF_INVALID_GUARD', path: `/steps/${i}/handoff/unit/expression/eval` }));
  });

  it('should point at a variable outside data, inputs and dossier, and at a data field nobody declares', () => {
    const def = parent();
    const i = at(def);
    def.steps[i]!.handoff!.unit = { expression: { or: [{ var: 'previousCommune' }, { var: 'data.formerCommune' }] } };
    const issues = validateDefinition(def).issues.filter((x) => x.code === 'DEF_HANDOFF_UNIT_EXPRESSION');
    expect(issues.map((x) => x.path)).toEqual([`/steps/${i}/handoff/unit/expression/or/0/var`, `/steps/${i}/handoff/unit/expression/or/1/var`]);
    expect(issues[1]!.message.en).toMatch(/no field "formerCommune"/);
  });

  it('should refuse a unit kind or a shape the schema does not know, with its pointer', () => {
    const def = parent();
    const i = at(def);
    (def.steps[i]!.handoff!.unit as unknown as { kinds: unknown }).kinds = [];
    expect(validateDefinition(def).issues).toContainEqual(expect.objectContaining({ path: `/steps/${i}/handoff/unit/kinds` }));
  });

  it('should check mapped outputs and kinds against the linked procedure (validateLinks)', () => {
    const def = parent();
    const i = at(def);
    def.steps[i]!.handoff!.outputs = { previousStatus: 'status' };
    def.steps[i]!.handoff!.unit = { expression: { var: 'data.previousCommune' }, kinds: ['police'] };
    const issues = validateLinks(def, () => read(CHILD));
    expect(issues.map((x) => [x.code, x.path])).toEqual([
      ['DEF_HANDOFF_OUTPUT_UNKNOWN', `/steps/${i}/handoff/outputs/previousStatus`],
      ['DEF_HANDOFF_UNIT_KINDS', `/steps/${i}/handoff/unit/kinds`],
    ]);
    expect(issues[0]!.message.en).toContain('"maritalStatus", "note", "answeredBy"');
  });

  it('should check a declared output as a rule', () => {
    const child = structuredClone(read(CHILD));
    child.outputs!['maritalStatus']!.value = { eval: 'x' };
    expect(validateDefinition(child).issues).toContainEqual(expect.objectContaining({ code: 'DEF_INVALID_GUARD', path: '/outputs/maritalStatus/value/eval' }));
  });
});
