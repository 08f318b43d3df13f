import { describe, expect, it } from 'vitest';
import { DEFINITION_ISSUE_CODES } from '../src/definition/issues';
import { validateDefinition } from '../src/definition/validate';
import { minimalDefinition, richDefinition } from './fixtures/definitions';
import { edit, type Edit } from './fixtures/edit';

const label = { vi: 'Nhãn' };
const name = { vi: 'Tên' };
const spawn = (key: string): unknown => ({ type: 'spawn', procedure: 'cap-ban-sao', unit: 'competent', key });
const extraTime = (over: object = {}): unknown => ({
  id: 'extraTime', label, intent: 'extra-time', mergeInputs: false,
  inputs: { type: 'object', required: ['days', 'reason'], properties: { days: { type: 'integer', minimum: 1, maximum: 2 }, reason: { type: 'string' } } },
  effects: [{ type: 'grantExtraTime' }, { type: 'issueSlip', slip: 'extra-time-notice' }],
  ...over,
});
const lawful = (days: number): Edit => ['/catalog/extraTime', { days, basis: 'Luật Hộ tịch 2014, Điều 18 khoản 2' }];
const extendInputs = { type: 'object', properties: { days: { type: 'integer' }, reason: { type: 'string' } } };

interface Case {
  when: string;
  edits: Edit[];
  code: string;
  /** Every path reported with this code, in order. */
  paths: string[];
  base?: () => unknown;
}

const cases: Case[] = [
  // ids
  { when: 'a branch step reuses a top-level step id', edits: [['/steps/2/branches/1/steps/0/id', 'review']], code: 'DEF_DUPLICATE_STEP_ID', paths: ['/steps/2/branches/1/steps/0/id'] },
  { when: 'a step is named like the procedure', edits: [['/id', 'approved']], code: 'DEF_DUPLICATE_STEP_ID', paths: ['/steps/8/id'] },
  { when: 'two branches share an id', edits: [['/steps/2/branches/1/id', 'site']], code: 'DEF_DUPLICATE_BRANCH_ID', paths: ['/steps/2/branches/1/id'] },
  { when: 'two actions of a step share an id', edits: [['/steps/3/actions/2/id', 'approve']], code: 'DEF_DUPLICATE_ACTION_ID', paths: ['/steps/3/actions/2/id'] },
  { when: 'two global actions share an id', edits: [['/globalActions/1', { id: 'withdraw', label, role: 'applicant', target: 'withdrawn' }]], code: 'DEF_DUPLICATE_ACTION_ID', paths: ['/globalActions/1/id'] },
  { when: 'a role is declared twice', edits: [['/roles/4', { id: 'desk', name }]], code: 'DEF_DUPLICATE_ROLE', paths: ['/roles/4/id'] },
  { when: 'a document is listed twice', edits: [['/catalog/documents/3', { id: 'don-dang-ky', name, form: 'copy', count: 1 }]], code: 'DEF_DUPLICATE_DOCUMENT', paths: ['/catalog/documents/3/id'] },
  { when: 'a fee is listed twice', edits: [['/catalog/fees/2', { id: 'le-phi-cap-gcn', name, amount: 0 }]], code: 'DEF_DUPLICATE_FEE', paths: ['/catalog/fees/2/id'] },
  // initial steps and targets
  { when: 'the initial step does not exist', edits: [['/initial', 'reception']], code: 'DEF_UNKNOWN_INITIAL', paths: ['/initial'] },
  { when: 'the initial step is inside a branch', edits: [['/initial', 'site-check']], code: 'DEF_UNKNOWN_INITIAL', paths: ['/initial'] },
  { when: 'a branch starts at a step of another branch', edits: [['/steps/2/branches/0/initial', 'registry-done']], code: 'DEF_UNKNOWN_INITIAL', paths: ['/steps/2/branches/0/initial'] },
  { when: 'an action targets a misspelt step', edits: [['/steps/3/actions/1/target', 'reveiw']], code: 'DEF_UNKNOWN_TARGET', paths: ['/steps/3/actions/1/target'] },
  { when: 'a route targets a missing step', edits: [['/steps/1/actions/0/target/1/target', 'sign']], code: 'DEF_UNKNOWN_TARGET', paths: ['/steps/1/actions/0/target/1/target'] },
  { when: 'a parallel step joins to a missing step', edits: [['/steps/2/next', 'sign']], code: 'DEF_UNKNOWN_TARGET', paths: ['/steps/2/next'] },
  { when: 'a global action targets a missing step', edits: [['/globalActions/0/target', 'rut']], code: 'DEF_UNKNOWN_TARGET', paths: ['/globalActions/0/target'] },
  { when: 'a top-level route enters a branch', edits: [['/steps/1/actions/0/target/1/target', 'site-check']], code: 'DEF_TARGET_INTO_BRANCH', paths: ['/steps/1/actions/0/target/1/target'] },
  { when: 'a branch step jumps into the other branch', edits: [['/steps/2/branches/0/steps/0/actions/0/target', 'registry-done']], code: 'DEF_TARGET_INTO_BRANCH', paths: ['/steps/2/branches/0/steps/0/actions/0/target'] },
  { when: 'a parallel step joins into its own branch', edits: [['/steps/2/next', 'site-done']], code: 'DEF_TARGET_INTO_BRANCH', paths: ['/steps/2/next'] },
  { when: 'a global action targets a branch step', edits: [['/globalActions/0/target', 'site-done']], code: 'DEF_TARGET_INTO_BRANCH', paths: ['/globalActions/0/target'] },
  // roles
  { when: 'a step role is not declared', edits: [['/steps/3/role', 'mayor']], code: 'DEF_UNDECLARED_ROLE', paths: ['/steps/3/role'] },
  { when: 'an action role is not declared', edits: [['/steps/1/actions/2/role', 'mayor']], code: 'DEF_UNDECLARED_ROLE', paths: ['/steps/1/actions/2/role'] },
  { when: 'an assign effect names an undeclared role', edits: [['/steps/0/actions/0/effects/1/role', 'mayor']], code: 'DEF_UNDECLARED_ROLE', paths: ['/steps/0/actions/0/effects/1/role'] },
  { when: 'a notification goes to an undeclared role', edits: [['/globalActions/0/effects/0/to/role', 'mayor']], code: 'DEF_UNDECLARED_ROLE', paths: ['/globalActions/0/effects/0/to/role'] },
  { when: 'a step and its actions have no role', edits: [['/steps/3/role', undefined]], code: 'DEF_STEP_NEEDS_ROLE', paths: ['/steps/3/role'] },
  { when: 'a branch task has no role', edits: [['/steps/2/branches/1/steps/0/role', undefined]], code: 'DEF_STEP_NEEDS_ROLE', paths: ['/steps/2/branches/1/steps/0/role'] },
  { when: 'a global action has no role', edits: [['/globalActions/0/role', undefined]], code: 'DEF_ACTION_NEEDS_ROLE', paths: ['/globalActions/0/role'] },
  // final steps
  { when: 'a final step has actions', edits: [['/steps/8/actions', [{ id: 'reopen', label, role: 'desk', target: 'review' }]]], code: 'DEF_FINAL_HAS_ACTIONS', paths: ['/steps/8/actions'] },
  { when: 'a top-level final step has no outcome', edits: [['/steps/10/outcome', undefined]], code: 'DEF_TOP_FINAL_NEEDS_OUTCOME', paths: ['/steps/10/outcome'] },
  { when: 'a task carries an outcome', edits: [['/steps/7/outcome', 'approved']], code: 'DEF_OUTCOME_ONLY_ON_FINAL', paths: ['/steps/7/outcome'] },
  { when: 'no top-level step is final', edits: [['/steps/1', { id: 'done', kind: 'task', name, role: 'desk' }]], code: 'DEF_NO_FINAL', paths: ['/steps'], base: minimalDefinition },
  // parallel and handoff steps
  { when: 'a parallel step has one branch', edits: [['/steps/2/branches/1', undefined]], code: 'DEF_PARALLEL_NEEDS_BRANCHES', paths: ['/steps/2/branches'] },
  { when: 'a parallel step has no next', edits: [['/steps/2/next', undefined]], code: 'DEF_PARALLEL_NEEDS_BRANCHES', paths: ['/steps/2/next'] },
  { when: 'a branch never ends', edits: [['/steps/2/branches/1/steps/1/kind', 'task']], code: 'DEF_BRANCH_NEEDS_FINAL', paths: ['/steps/2/branches/1/steps'] },
  {
    when: 'a task has branches',
    edits: [['/steps/1/branches', [{ id: 'x', name, initial: 'x-end', steps: [{ id: 'x-end', kind: 'final', name }] }]]],
    code: 'DEF_BRANCHES_ONLY_ON_PARALLEL', paths: ['/steps/1/branches'],
  },
  { when: 'a task has next', edits: [['/steps/1/next', 'approval']], code: 'DEF_NEXT_ONLY_ON_PARALLEL', paths: ['/steps/1/next'] },
  { when: 'a handoff step has no handoff', edits: [['/steps/5/handoff', undefined]], code: 'DEF_HANDOFF_NEEDS_TARGET', paths: ['/steps/5/handoff'] },
  { when: 'a run-time hand-off unit reads a variable outside data, inputs and dossier', edits: [['/steps/5/handoff/unit', { expression: { var: 'previousCommune' } }]], code: 'DEF_HANDOFF_UNIT_EXPRESSION', paths: ['/steps/5/handoff/unit/expression/var'] },
  { when: 'a task has a handoff', edits: [['/steps/1/handoff', { procedure: 'cap-ban-sao', unit: 'competent' }]], code: 'DEF_HANDOFF_ONLY_ON_HANDOFF', paths: ['/steps/1/handoff'] },
  {
    when: 'a handoff step has no system action',
    edits: [['/steps/5/actions/0/role', 'specialist'], ['/steps/5/actions/1/role', 'specialist']],
    code: 'DEF_HANDOFF_NEEDS_SYSTEM_ACTION', paths: ['/steps/5/actions'],
  },
  // embedded schemas
  { when: 'a form uses an unknown type', edits: [['/steps/1/form/properties/opinion/type', 'text']], code: 'DEF_INVALID_FORM_SCHEMA', paths: ['/steps/1/form/properties/opinion/type'] },
  { when: 'inputs are not an object schema', edits: [['/steps/3/actions/1/inputs', { type: 'string' }]], code: 'DEF_INVALID_INPUTS_SCHEMA', paths: ['/steps/3/actions/1/inputs/type'] },
  { when: 'inputs are a boolean schema', edits: [['/steps/3/actions/1/inputs', true]], code: 'DEF_INVALID_INPUTS_SCHEMA', paths: ['/steps/3/actions/1/inputs'] },
  {
    when: 'inputs refer to a missing definition',
    edits: [['/steps/3/actions/1/inputs/properties/reason', { $ref: '#/$defs/reason' }]],
    code: 'DEF_INVALID_INPUTS_SCHEMA', paths: ['/steps/3/actions/1/inputs'],
  },
  {
    when: 'two inputs schemas share an $id',
    edits: [['/steps/3/actions/1/inputs/$id', 'https://motcua.dev/inputs/reason'], ['/steps/3/actions/2/inputs/$id', 'https://motcua.dev/inputs/reason']],
    code: 'DEF_INVALID_INPUTS_SCHEMA', paths: ['/steps/3/actions/2/inputs/$id'],
  },
  { when: 'the data schema has a wrong keyword value', edits: [['/data/properties/parcelCount/minimum', 'one']], code: 'DEF_INVALID_DATA_SCHEMA', paths: ['/data/properties/parcelCount/minimum'] },
  { when: 'the data schema names an unknown meta-schema', edits: [['/data/$schema', 'http://json-schema.org/draft-04/schema#']], code: 'DEF_INVALID_DATA_SCHEMA', paths: ['/data'] },
  // patterns that backtrack for exponential time (ReDoS): every dossier's data is checked against them on the server
  { when: 'the data schema has a nested-repetition pattern', edits: [['/data/properties/applicant/properties/fullName/pattern', '^(a+)+$']], code: 'DEF_INVALID_DATA_SCHEMA', paths: ['/data/properties/applicant/properties/fullName/pattern'] },
  { when: 'the data schema has an overlapping patternProperties key', edits: [['/data/patternProperties', { '^x-(a|ab)*$': { type: 'string' } }]], code: 'DEF_INVALID_DATA_SCHEMA', paths: ['/data/patternProperties/^x-(a|ab)*$'] },
  { when: 'inputs have a pattern in a $defs entry', edits: [['/steps/3/actions/1/inputs/$defs', { words: { type: 'string', pattern: '(\\w+\\s?)*$' } }]], code: 'DEF_INVALID_INPUTS_SCHEMA', paths: ['/steps/3/actions/1/inputs/$defs/words/pattern'] },
  { when: 'a form field has an overlapping-alternatives pattern', edits: [['/steps/1/form/properties/opinion/pattern', '(a|a)*$']], code: 'DEF_INVALID_FORM_SCHEMA', paths: ['/steps/1/form/properties/opinion/pattern'] },
  // rules
  { when: 'a guard uses an unknown operator', edits: [['/steps/3/actions/0/guard', { and: [{ eval: 'x' }, true] }]], code: 'DEF_INVALID_GUARD', paths: ['/steps/3/actions/0/guard/and/0/eval'] },
  { when: 'a route condition writes to the console', edits: [['/steps/1/actions/0/target/0/when', { log: 1 }]], code: 'DEF_INVALID_GUARD', paths: ['/steps/1/actions/0/target/0/when/log'] },
  { when: 'a join route has a bad condition', edits: [['/steps/2/next', [{ when: { 'a/b': 1 }, target: 'approval' }, { target: 'approval' }]]], code: 'DEF_INVALID_GUARD', paths: ['/steps/2/next/0/when/a~1b'] },
  { when: 'a fee condition calls a method', edits: [['/catalog/fees/1/when', { '==': [{ method: ['x', 'y'] }, true] }]], code: 'DEF_INVALID_GUARD', paths: ['/catalog/fees/1/when/==/0/method'] },
  { when: 'a fee quantity is not a rule', edits: [['/catalog/fees/1/quantity', { pages: 1, copies: 2 }]], code: 'DEF_INVALID_GUARD', paths: ['/catalog/fees/1/quantity'] },
  { when: 'a document condition is unknown', edits: [['/catalog/documents/2/when', { exempt: [] }]], code: 'DEF_INVALID_GUARD', paths: ['/catalog/documents/2/when/exempt'] },
  { when: 'a set value uses an unknown operator', edits: [['/steps/3/actions/0/effects/0/value', { now: [] }]], code: 'DEF_INVALID_GUARD', paths: ['/steps/3/actions/0/effects/0/value/now'] },
  // references into the catalog and the step
  { when: 'a step checks a document the catalog lacks', edits: [['/steps/0/documents/3', 'so-ho-khau']], code: 'DEF_UNKNOWN_DOCUMENT', paths: ['/steps/0/documents/3'] },
  { when: 'payment asks for an unknown fee', edits: [['/steps/6/onEnter/0/fees/1', 'phi-khac']], code: 'DEF_UNKNOWN_FEE', paths: ['/steps/6/onEnter/0/fees/1'] },
  { when: 'a timeout names a missing action', edits: [['/steps/4/timeout/action', 'expired']], code: 'DEF_UNKNOWN_TIMEOUT_ACTION', paths: ['/steps/4/timeout/action'] },
  { when: 'a timeout action is not the system\'s', edits: [['/steps/4/timeout/action', 'receive-supplement']], code: 'DEF_UNKNOWN_TIMEOUT_ACTION', paths: ['/steps/4/timeout/action'] },
  // extension inputs, spawn keys, set paths
  { when: 'an extension does not require a reason', edits: [['/steps/1/actions/2/inputs/required', ['days']]], code: 'DEF_EXTEND_NEEDS_INPUT', paths: ['/steps/1/actions/2/inputs'] },
  { when: 'an extension does not require how long', edits: [['/steps/1/actions/2/inputs', { ...extendInputs, required: ['reason'] }]], code: 'DEF_EXTEND_NEEDS_INPUT', paths: ['/steps/1/actions/2/inputs'] },
  { when: 'an extension has no inputs', edits: [['/steps/1/actions/2/inputs', undefined]], code: 'DEF_EXTEND_NEEDS_INPUT', paths: ['/steps/1/actions/2/inputs'] },
  // lawful extra time (docs/records.md)
  { when: 'lawful extra time is granted but the law granting it is not declared', edits: [['/steps/1/actions/3', extraTime()]], code: 'DEF_EXTRA_TIME_UNDECLARED', paths: ['/steps/1/actions/3'] },
  { when: 'lawful extra time is granted without saying why', edits: [lawful(2), ['/steps/1/actions/3', extraTime({ inputs: { type: 'object', required: ['days'], properties: { days: { type: 'integer' } } } })]], code: 'DEF_EXTRA_TIME_NEEDS_REASON', paths: ['/steps/1/actions/3/inputs'] },
  { when: 'lawful extra time issues an apology (form 04 is for real lateness)', edits: [lawful(2), ['/steps/1/actions/3', extraTime({ effects: [{ type: 'grantExtraTime' }, { type: 'issueSlip', slip: 'apology' }] })]], code: 'DEF_EXTRA_TIME_IS_NOT_APOLOGY', paths: ['/steps/1/actions/3/effects'] },
  { when: 'lawful extra time offers more days than the law allows', edits: [lawful(1), ['/steps/1/actions/3', extraTime()]], code: 'DEF_EXTRA_TIME_OVER_MAXIMUM', paths: ['/steps/1/actions/3/inputs/properties/days/maximum'] },
  {
    when: 'two spawns share a key',
    edits: [['/steps/3/actions/0/effects/1', spawn('thue')], ['/steps/3/actions/2/effects/1', spawn('thue')]],
    code: 'DEF_SPAWN_KEY_DUPLICATE', paths: ['/steps/3/actions/2/effects/1/key'],
  },
  { when: 'a spawn key is a handoff step id', edits: [['/steps/3/actions/0/effects/1', spawn('tax')]], code: 'DEF_SPAWN_KEY_DUPLICATE', paths: ['/steps/3/actions/0/effects/1/key'] },
  // case-dependent deadlines
  { when: 'a legal-time case has a bad condition', edits: [['/catalog/legalDeadline/cases', [{ when: { eval: 'x' }, days: 20 }]]], code: 'DEF_INVALID_GUARD', paths: ['/catalog/legalDeadline/cases/0/when/eval'] },
  { when: 'a step SLA counts from an action the step lacks', edits: [['/steps/1/sla', { days: 1, from: 'reply' }]], code: 'DEF_SLA_FROM_UNKNOWN', paths: ['/steps/1/sla/from'] },
  { when: 'a step SLA counts from an action that leaves the step', edits: [['/steps/1/sla', { days: 1, from: 'propose' }]], code: 'DEF_SLA_FROM_LEAVES_STEP', paths: ['/steps/1/actions/0/target'] },
  { when: 'a set path reaches the prototype', edits: [['/steps/3/actions/0/effects/0/path', 'decision.__proto__.approved']], code: 'DEF_UNSAFE_SET_PATH', paths: ['/steps/3/actions/0/effects/0/path'] },
  // size: each step within the schema's cap on actions, but more embedded schemas in all than MAX_EMBEDDED_SCHEMAS
  {
    when: 'the definition embeds more than 200 schemas in all',
    edits: Array.from({ length: 5 }, (_, k): Edit => [`/steps/${11 + k}`, {
      id: `pad${k}`, kind: 'task', name, role: 'specialist',
      actions: Array.from({ length: 45 }, (_, i) => ({ id: `a${i}`, label, intent: 'proceed', inputs: { type: 'object', properties: { x: { type: 'string' } } } })),
    }]),
    code: 'DEF_TOO_MANY_SCHEMAS', paths: ['/steps/15/actions/9/inputs'],
  },
];

describe('validateDefinition: semantic checks', () => {
  it.each(cases)('should report $code when $when', ({ edits, code, paths, base }) => {
    // given a valid definition with one mistake
    const def = edit(base ? base() : richDefinition(), ...edits);
    // when it is validated
    const result = validateDefinition(def);
    // then the issue points at the culprit, is an error, and says what to do in both languages
    expect(result.ok).toBe(false);
    expect(result.issues.filter((i) => i.code === code).map((i) => i.path)).toEqual(paths);
    for (const i of result.issues) {
      expect(i.severity ?? 'error').toBe('error');
      expect(i.message.vi.length).toBeGreaterThan(10);
      expect(i.message.en.length).toBeGreaterThan(10);
    }
  });

  it('should cover every semantic code with a case', () => {
    // given the codes only the schema, the guards of the validator or warnings produce
    // (and the link checks of validateLinks, exercised in runTimeHandoff.test.ts; the data reads in dataReads.test.ts)
    const elsewhere = ['DEF_SCHEMA', 'DEF_TOO_MANY_ISSUES', 'DEF_UNCHECKABLE', 'DEF_CONDITIONAL_ROUTE_NO_ELSE', 'DEF_ROUTE_AFTER_ELSE', 'DEF_ENUM_WITHOUT_LABELS', 'DEF_FORM_ORDER',
      'DEF_HANDOFF_OUTPUT_MAPPING', 'DEF_HANDOFF_OUTPUT_UNKNOWN', 'DEF_HANDOFF_UNIT_KINDS', 'DEF_DATA_FIELD_MISSING', 'DEF_DATA_FIELD_UNKNOWN'];
    // when the cases above are listed by code
    const covered = new Set(cases.map((c) => c.code));
    // then each remaining code is exercised
    expect(DEFINITION_ISSUE_CODES.filter((c) => !elsewhere.includes(c) && !covered.has(c))).toEqual([]);
  });
});

describe('validateDefinition: warnings', () => {
  it('should warn, without failing, when every route has a condition', () => {
    // given routes whose conditions may all be false
    const def = edit(richDefinition(), ['/steps/1/actions/0/target/1/when', { '!': { var: 'data.needsConsult' } }]);
    // when it is validated
    const result = validateDefinition(def);
    // then a warning points at the route list and the definition is still ok
    expect(result.ok).toBe(true);
    expect(result.issues).toEqual([expect.objectContaining({ code: 'DEF_CONDITIONAL_ROUTE_NO_ELSE', path: '/steps/1/actions/0/target', severity: 'warning' })]);
  });

  it('should warn when routes follow the unconditional one', () => {
    // given the else route first
    const def = edit(richDefinition(), ['/steps/1/actions/0/target', [{ target: 'approval' }, { when: { var: 'data.needsConsult' }, target: 'consult' }]]);
    // when it is validated
    const result = validateDefinition(def);
    // then the unreachable route is pointed at
    expect(result.ok).toBe(true);
    expect(result.issues).toEqual([expect.objectContaining({ code: 'DEF_ROUTE_AFTER_ELSE', path: '/steps/1/actions/0/target/1', severity: 'warning' })]);
  });

  it('should fail when a warning comes with an error', () => {
    // given a route warning and an unknown role
    const def = edit(richDefinition(),
      ['/steps/1/actions/0/target/1/when', { var: 'data.feeExempt' }],
      ['/steps/3/role', 'mayor']);
    // when it is validated
    const result = validateDefinition(def);
    // then the error decides
    expect(result.ok).toBe(false);
    expect(result.issues.map((i) => i.code).sort()).toEqual(['DEF_CONDITIONAL_ROUTE_NO_ELSE', 'DEF_UNDECLARED_ROLE']);
  });
});
