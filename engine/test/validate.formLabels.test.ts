import { describe, expect, it } from 'vitest';
import { validateDefinition } from '../src/definition/validate';
import { richDefinition } from './fixtures/definitions';
import { edit } from './fixtures/edit';

const warnings = (def: unknown, code: string) => {
  const result = validateDefinition(def);
  return { ok: result.ok, found: result.issues.filter((i) => i.code === code) };
};

describe('validateDefinition: form choices carry labels', () => {
  it('should warn, at the enum, when a data field lists bare codes', () => {
    // given a data field whose choices are bare codes
    const def = edit(richDefinition(), ['/data/properties/sex', { title: 'Giới tính (Sex)', enum: ['male', 'female'] }]);
    // when it is validated
    const { ok, found } = warnings(def, 'DEF_ENUM_WITHOUT_LABELS');
    // then it is still publishable, with a warning that says how to label them
    expect(ok).toBe(true);
    expect(found.map((i) => [i.path, i.severity])).toEqual([['/data/properties/sex/enum', 'warning']]);
    expect(found[0]?.message.vi).toContain('"x-title-en"');
    expect(found[0]?.message.en).toContain('"male"');
  });

  it('should accept labelled choices and name the missing label of one that lacks it', () => {
    const labelled = edit(richDefinition(), ['/data/properties/sex', {
      title: 'Giới tính (Sex)',
      oneOf: [{ const: 'male', title: 'Nam', 'x-title-en': 'Male' }, { const: 'female', title: 'Nữ', 'x-title-en': 'Female' }],
    }]);
    expect(warnings(labelled, 'DEF_ENUM_WITHOUT_LABELS').found).toEqual([]);
    const halfway = edit(labelled, ['/data/properties/sex/oneOf/1/x-title-en', undefined]);
    const { found } = warnings(halfway, 'DEF_ENUM_WITHOUT_LABELS');
    expect(found.map((i) => i.path)).toEqual(['/data/properties/sex/oneOf/1']);
    expect(found[0]?.message.en).toContain('"x-title-en"');
  });

  it('should check the step forms too', () => {
    const def = edit(richDefinition(), ['/steps/1/form', { type: 'object', properties: { result: { enum: ['ok', 'bad'] } } }]);
    expect(warnings(def, 'DEF_ENUM_WITHOUT_LABELS').found.map((i) => i.path)).toEqual(['/steps/1/form/properties/result/enum']);
  });

  it('should warn when x-order names a field the form does not have', () => {
    const def = edit(richDefinition(), ['/data/x-order', ['parcel', 'applicant', 'parcell']]);
    const { ok, found } = warnings(def, 'DEF_FORM_ORDER');
    expect(ok).toBe(true);
    expect(found.map((i) => i.path)).toEqual(['/data/x-order/2']);
    expect(found[0]?.message.vi).toContain('"parcell"');
  });
});

describe('validateDefinition: intake shortcuts', () => {
  it('should warn when x-within-days does not count from a date field, or x-applicant-is sets an unknown field', () => {
    const def = edit(richDefinition(),
      ['/data/properties/onTime', { type: 'boolean', 'x-within-days': { from: 'applicant', days: 60 } }],
      ['/data/x-applicant-is', [{ title: 'Người nộp là chủ đất', set: { owner: '$applicant.name' } }]]);
    const result = validateDefinition(def);
    expect(result.ok).toBe(true);
    expect(result.issues.filter((i) => i.code === 'DEF_FORM_ORDER').map((i) => i.path))
      .toEqual(['/data/properties/onTime/x-within-days', '/data/x-applicant-is/0/set/owner']);
  });
});
