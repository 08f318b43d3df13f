import { describe, expect, it } from 'vitest';
import { validateDefinition } from '../src/definition/validate';
import type { StepDefinition } from '../src/definition/types';
import { minimalDefinition, richDefinition } from './fixtures/definitions';
import { edit, type Edit } from './fixtures/edit';
import { miniDefinition } from './fixtures/mini';

const rich = (...edits: Edit[]): unknown => edit(richDefinition(), ...edits);

describe('validateDefinition: valid definitions', () => {
  it('should accept the minimal definition without any issue', () => {
    // given one intake step and one final step
    // when it is validated
    const result = validateDefinition(minimalDefinition());
    // then it is ok and clean
    expect(result).toEqual({ ok: true, issues: [] });
  });

  it('should accept the rich definition without any issue, not even a warning', () => {
    // given parallel branches that join, routes, hand-off, supplement, payment, withdrawal, extension
    // when it is validated
    const result = validateDefinition(richDefinition());
    // then nothing is reported
    expect(result).toEqual({ ok: true, issues: [] });
  });

  it('should accept the runtime fixture', () => {
    // given the definition the runtime tests compile
    // when it is validated
    const result = validateDefinition(miniDefinition());
    // then it is ok
    expect(result.issues).toEqual([]);
  });

  it('should leave its input untouched', () => {
    // given a definition and a copy of it
    const def = richDefinition();
    const copy = structuredClone(def);
    // when it is validated
    validateDefinition(def);
    // then the input did not change
    expect(def).toEqual(copy);
  });

  it('should let a branch step leave the parallel step for a top-level step', () => {
    // given a site check that goes back to the top-level review (as in the rich fixture)
    const def = rich(['/steps/2/branches/1/steps/0/actions/0/target', 'review']);
    // when it is validated
    const result = validateDefinition(def);
    // then it is fine
    expect(result.ok).toBe(true);
  });

  it('should accept extension inputs that require hours instead of days', () => {
    // given an extension asked in working hours
    const def = rich(['/steps/1/actions/2/inputs/required', ['hours', 'reason']]);
    // when it is validated
    // then it is fine
    expect(validateDefinition(def).ok).toBe(true);
  });
});

describe('validateDefinition: schema', () => {
  const cases: { when: string; edits: Edit[]; path: string }[] = [
    { when: 'a required field is missing', edits: [['/catalog/name', undefined]], path: '/catalog/name' },
    { when: 'an object has an unknown property', edits: [['/steps/0/colour', 'red']], path: '/steps/0/colour' },
    { when: 'a step id has a space and capitals', edits: [['/steps/1/id', 'Tham Dinh']], path: '/steps/1/id' },
    { when: 'a step id has a dot', edits: [['/steps/1/id', 'review.v2']], path: '/steps/1/id' },
    { when: 'an action id has a colon', edits: [['/steps/1/actions/0/id', 'review:propose']], path: '/steps/1/actions/0/id' },
    { when: 'a duration has both days and hours', edits: [['/steps/1/sla', { days: 1, hours: 2 }]], path: '/steps/1/sla' },
    { when: 'a duration is empty', edits: [['/catalog/legalDeadline', {}]], path: '/catalog/legalDeadline' },
    { when: 'a legal time gives both days and hours', edits: [['/catalog/legalDeadline', { days: 3, hours: 2 }]], path: '/catalog/legalDeadline' },
    { when: 'a legal-time case gives no time', edits: [['/catalog/legalDeadline/cases', [{ when: true }]]], path: '/catalog/legalDeadline/cases/0' },
    { when: 'a step SLA counts from a non-id', edits: [['/steps/1/sla', { days: 1, from: 'Reply Received' }]], path: '/steps/1/sla/from' },
    { when: 'a duration has fractional days', edits: [['/steps/1/sla', { days: 1.5 }]], path: '/steps/1/sla/days' },
    { when: 'a duration has zero hours', edits: [['/steps/1/sla', { hours: 0 }]], path: '/steps/1/sla/hours' },
    { when: 'a fee is negative', edits: [['/catalog/fees/0/amount', -1000]], path: '/catalog/fees/0/amount' },
    { when: 'a fee has fractions of a đồng', edits: [['/catalog/fees/0/amount', 1000.5]], path: '/catalog/fees/0/amount' },
    { when: 'a fee cap is not an integer', edits: [['/catalog/fees/1/max', 99.9]], path: '/catalog/fees/1/max' },
    { when: 'the cut-off time is not HH:MM', edits: [['/settings/cutoffTime', '3pm']], path: '/settings/cutoffTime' },
    { when: 'the cut-off time is 24:00', edits: [['/settings/cutoffTime', '24:00']], path: '/settings/cutoffTime' },
    { when: 'a step kind is unknown', edits: [['/steps/1/kind', 'review']], path: '/steps/1/kind' },
    { when: 'an intent is unknown', edits: [['/steps/1/actions/0/intent', 'forward']], path: '/steps/1/actions/0/intent' },
    { when: 'an outcome is unknown', edits: [['/steps/8/outcome', 'done']], path: '/steps/8/outcome' },
    { when: 'a slip is unknown', edits: [['/steps/0/actions/0/effects/0/slip', 'form-07']], path: '/steps/0/actions/0/effects/0/slip' },
    { when: 'the online level is unknown', edits: [['/catalog/onlineLevel', 'level-4']], path: '/catalog/onlineLevel' },
    { when: 'an effect type is unknown', edits: [['/steps/0/actions/0/effects/0', { type: 'print' }]], path: '/steps/0/actions/0/effects/0/type' },
    { when: 'an effect misses a field', edits: [['/steps/0/actions/0/effects/1/role', undefined]], path: '/steps/0/actions/0/effects/1/role' },
    { when: 'a unit is a number', edits: [['/steps/0/unit', 5]], path: '/steps/0/unit' },
    { when: 'a unit is an unknown word', edits: [['/steps/0/unit', 'district']], path: '/steps/0/unit' },
    { when: 'a named unit has no code', edits: [['/steps/2/branches/1/steps/0/unit', { unit: '' }]], path: '/steps/2/branches/1/steps/0/unit/unit' },
    { when: 'a target is an empty route list', edits: [['/steps/1/actions/0/target', []]], path: '/steps/1/actions/0/target' },
    { when: 'a notify recipient is neither applicant nor a role', edits: [['/steps/4/onEnter/0/to', 'citizen']], path: '/steps/4/onEnter/0/to' },
    { when: 'a branch step deep inside is wrong', edits: [['/steps/2/branches/0/steps/0/kind', 'check']], path: '/steps/2/branches/0/steps/0/kind' },
    { when: 'a version is zero', edits: [['/version', 0]], path: '/version' },
    { when: 'a layout position is not a number', edits: [['/layout/intake/x', 'left']], path: '/layout/intake/x' },
    { when: 'a Vietnamese text is empty', edits: [['/steps/1/name/vi', '']], path: '/steps/1/name/vi' },
    { when: 'a form is a string', edits: [['/steps/1/form', 'object']], path: '/steps/1/form' },
  ];

  it.each(cases)('should report DEF_SCHEMA at the culprit when $when', ({ edits, path }) => {
    // given the rich definition with one mistake
    const def = rich(...edits);
    // when it is validated
    const result = validateDefinition(def);
    // then exactly one schema issue points at the culprit, in both languages
    expect(result.ok).toBe(false);
    expect(result.issues.map((i) => [i.code, i.path])).toEqual([['DEF_SCHEMA', path]]);
    expect(result.issues[0]?.message.vi).not.toBe('');
    expect(result.issues[0]?.message.en).not.toBe('');
  });

  it('should say in words what an id looks like', () => {
    // given an id with a dot
    const def = rich(['/steps/1/id', 'review.v2']);
    // when it is validated
    const [first] = validateDefinition(def).issues;
    // then the message explains the rule rather than quoting a regular expression
    expect(first?.message.en).toContain('lowercase letter');
    expect(first?.message.vi).toContain('chữ thường');
  });

  it('should list the allowed effect types when one is unknown', () => {
    // given an effect of an unknown type
    const def = rich(['/steps/0/actions/0/effects/0', { type: 'print' }]);
    // when it is validated
    const [first] = validateDefinition(def).issues;
    // then the message names the choices
    expect(first?.message.en).toContain('"issueSlip"');
  });

  it('should report every schema problem at once, and no semantic check', () => {
    // given two schema mistakes and a duplicate step id
    const def = rich(['/version', 'three'], ['/steps/3/kind', 'sign'], ['/steps/4/id', 'review']);
    // when it is validated
    const result = validateDefinition(def);
    // then both schema issues are reported and the duplicate waits for the shape to be right
    expect(result.issues.map((i) => i.path)).toEqual(['/version', '/steps/3/kind']);
    expect(result.issues.every((i) => i.code === 'DEF_SCHEMA')).toBe(true);
  });

  it('should leave embedded schemas and rules open', () => {
    // given UI hints in a form, an extra keyword in inputs and any JSON in a rule
    const def = rich(
      ['/steps/1/form/x-widget', 'textarea'],
      ['/steps/3/actions/1/inputs/properties/reason/x-rows', 4],
      ['/steps/3/actions/0/guard', { in: [{ var: 'data.parcel.mapSheet' }, [1, 2, 3]] }],
    );
    // when it is validated
    // then it is fine
    expect(validateDefinition(def).issues).toEqual([]);
  });

  it('should cap a flood of schema issues and say how many were left out', () => {
    // given a definition with 500 unknown properties
    const def = edit(minimalDefinition(), ...Array.from({ length: 500 }, (_, i): Edit => [`/extra${i}`, i]));
    // when it is validated
    const { issues } = validateDefinition(def);
    // then 100 are listed and a last issue counts the rest
    expect(issues).toHaveLength(101);
    expect(issues.at(-1)).toMatchObject({ code: 'DEF_TOO_MANY_ISSUES', path: '' });
    expect(issues.at(-1)?.message.en).toContain('400');
  });
});

describe('validateDefinition: size caps', () => {
  const action = (i: number): object => ({ id: `a${i}`, label: { vi: 'x' }, intent: 'proceed', inputs: { type: 'object', properties: { x: { type: 'string' } } } });

  it('should refuse more actions on one step than the schema allows, at the list, without compiling their schemas', () => {
    // given 300 actions, each with its own inputs schema, on the review step (the schema allows 50)
    const def = rich(['/steps/1/actions', Array.from({ length: 300 }, (_, i) => action(i))]);
    // when it is validated
    const { ok, issues } = validateDefinition(def);
    // then it is refused with one issue at the list, in both languages
    expect(ok).toBe(false);
    expect(issues).toEqual([expect.objectContaining({ code: 'DEF_SCHEMA', path: '/steps/1/actions' })]);
    expect(issues[0]?.message.vi).toContain('không được có quá 50 phần tử');
    expect(issues[0]?.message.en).toContain('50');
  });

  it.each([
    ['/steps', 200],
    ['/roles', 50],
    ['/catalog/documents', 100],
  ] as const)('should cap %s at %i items', (pointer, max) => {
    // given a list one longer than its cap (copies of its first item: the cap is checked first)
    const def = richDefinition() as unknown as { [k: string]: unknown };
    const list = pointer.split('/').slice(1).reduce<unknown>((node, k) => (node as { [k: string]: unknown })[k], def) as unknown[];
    while (list.length <= max) list.push(structuredClone(list[0]));
    // when it is validated
    const { ok, issues } = validateDefinition(def);
    // then the list itself is named
    expect(ok).toBe(false);
    expect(issues.map((i) => i.path)).toContain(pointer);
  });

  it('should compile each embedded schema on its own, as a fresh Ajv would, though one Ajv compiles them all', () => {
    // given a data schema and a form with the same $id (forms may share one), and a form that refers to it
    const id = 'https://motcua.dev/test/applicant';
    const def = rich(
      ['/data/$id', id],
      ['/steps/0/form', { $id: id, type: 'object', properties: { sets: { type: 'integer' } } }],
      ['/steps/1/form', { type: 'object', properties: { who: { $ref: id } } }],
    );
    // when it is validated
    const { issues } = validateDefinition(def);
    // then the shared $id does not collide, and only the form referring outside itself is refused:
    // nothing compiled before leaks into the next
    expect(issues.map((i) => `${i.code} ${i.path}`)).toEqual(['DEF_INVALID_FORM_SCHEMA /steps/1/form']);
  });

  it('should refuse an embedded schema with more than 200 properties, at its "properties"', () => {
    const properties = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`f${i}`, { type: 'string' }]));
    const { ok, issues } = validateDefinition(rich(['/steps/1/form', { type: 'object', properties }]));
    expect(ok).toBe(false);
    expect(issues).toEqual([expect.objectContaining({ code: 'DEF_SCHEMA', path: '/steps/1/form/properties' })]);
  });
});

describe('validateDefinition: robustness', () => {
  it.each([null, undefined, 0, 42, 'definition', true, [], [minimalDefinition()], () => 1])('should refuse %s without throwing', (input) => {
    // given something that is not a definition
    // when it is validated
    const result = validateDefinition(input);
    // then it is refused with a message at the root
    expect(result.ok).toBe(false);
    expect(result.issues[0]).toMatchObject({ code: 'DEF_SCHEMA', path: '' });
  });

  it('should refuse a value whose getter throws, without throwing', () => {
    // given an object that throws when its id is read
    const def = minimalDefinition();
    Object.defineProperty(def, 'id', { enumerable: true, get: () => { throw new Error('boom'); } });
    // when it is validated
    const result = validateDefinition(def);
    // then it is refused as uncheckable
    expect(result).toMatchObject({ ok: false, issues: [{ code: 'DEF_UNCHECKABLE', path: '' }] });
  });

  it('should refuse parallel steps nested thousands deep without throwing', () => {
    // given 5 000 parallel steps each inside the branch of the previous one
    const def = minimalDefinition();
    let steps: StepDefinition[] = def.steps;
    for (let i = 0; i < 5000; i += 1) {
      const inner: StepDefinition[] = [{ id: `end${i}`, kind: 'final', name: { vi: 'Xong' } }];
      steps.push({ id: `p${i}`, kind: 'parallel', name: { vi: 'Song song' }, next: 'done', branches: [{ id: 'b', name: { vi: 'Nhánh' }, initial: `end${i}`, steps: inner }] });
      steps = inner;
    }
    // when it is validated
    const result = validateDefinition(def);
    // then it is refused, whichever check gives up first
    expect(result.ok).toBe(false);
  });

  it('should refuse a condition nested deeper than anyone writes', () => {
    // given a guard of 1 000 nested "!"
    let rule: unknown = true;
    for (let i = 0; i < 1000; i += 1) rule = { '!': [rule] };
    const def = edit(richDefinition(), ['/steps/3/actions/0/guard', rule]);
    // when it is validated
    const result = validateDefinition(def);
    // then the guard is refused where it gets too deep
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]?.code).toBe('DEF_INVALID_GUARD');
    expect(result.issues[0]?.path.startsWith('/steps/3/actions/0/guard/!/0/!/0')).toBe(true);
  });

  it('should refuse a cyclic embedded schema without throwing', () => {
    // given a form schema that contains itself
    const form: { [k: string]: unknown } = { type: 'object' };
    form['properties'] = { self: form };
    const def = edit(richDefinition(), ['/steps/1/form', form]);
    // when it is validated
    const result = validateDefinition(def);
    // then it is refused
    expect(result.ok).toBe(false);
  });
});
