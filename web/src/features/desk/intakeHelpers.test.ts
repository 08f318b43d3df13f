import { describe, expect, it } from 'vitest';
import { applicantShortcuts, applyComputed, applyShortcut, checkApplicantPhone, INTAKE_STEPS } from './intakeHelpers';
import desk from '../../i18n/desk';

const schema = {
  type: 'object',
  'x-applicant-is': [{ title: 'Người đi khai là mẹ', 'x-title-en': 'The applicant is the mother', set: { motherName: '$applicant.name', motherPersonalId: '$applicant.id', declarantRelation: 'mother' } }],
  properties: {
    dateOfBirth: { type: 'string', format: 'date' },
    onTime: { type: 'boolean', 'x-within-days': { from: 'dateOfBirth', days: 60 } },
  },
};

describe('intake shortcuts', () => {
  it('should compute "within 60 days of the birth" from the date of birth, and leave it alone without one', () => {
    expect(applyComputed(schema, { dateOfBirth: '2026-10-06' }, '2026-12-05')).toEqual({ dateOfBirth: '2026-10-06', onTime: true });
    expect(applyComputed(schema, { dateOfBirth: '2026-10-05' }, '2026-12-05')).toEqual({ dateOfBirth: '2026-10-05', onTime: false });
    expect(applyComputed(schema, { dateOfBirth: '2026-12-06' }, '2026-12-05')['onTime']).toBe(false);
    const untouched = { onTime: false };
    expect(applyComputed(schema, untouched, '2026-12-05')).toBe(untouched);
  });

  it('should copy the applicant into the declaration', () => {
    const [mother] = applicantShortcuts(schema);
    expect(mother?.titleEn).toBe('The applicant is the mother');
    expect(applyShortcut(mother!, { name: 'Trần Thị Mai', id: '079196001234' }, { childName: 'An' }))
      .toEqual({ childName: 'An', motherName: 'Trần Thị Mai', motherPersonalId: '079196001234', declarantRelation: 'mother' });
    expect(applyShortcut(mother!, { name: 'Trần Thị Mai' }, {})).toEqual({ motherName: 'Trần Thị Mai', declarantRelation: 'mother' });
  });
});

describe('intake words', () => {
  it('should name, in the "papers missing" note, the step where the officer requests a supplement or refuses: the last one, by its name', () => {
    const last = INTAKE_STEPS[INTAKE_STEPS.length - 1]!;
    for (const words of [desk.vi, desk.en]) {
      expect(Object.keys(words.intake.steps)).toEqual([...INTAKE_STEPS]);
      expect(words.intake.missingRequired).toContain(`“${words.intake.steps[last]}”`);
    }
  });
});

describe('the applicant\'s phone at intake', () => {
  it('should put a typed number in national form and leave the rest of the form alone', () => {
    const r = checkApplicantPhone({ applicant: { name: 'Bình', phone: '+84 912 345 678' }, data: { a: 1 } });
    expect(r).toEqual({ ok: true, form: { applicant: { name: 'Bình', phone: '0912345678' }, data: { a: 1 } } });
  });

  it('should refuse a number that is not Vietnamese, and accept no number at all', () => {
    expect(checkApplicantPhone({ applicant: { name: 'Bình', phone: '09123' } }).ok).toBe(false);
    const none = { applicant: { name: 'Bình' } };
    expect(checkApplicantPhone(none)).toEqual({ ok: true, form: none });
  });
});
