import { describe, expect, it } from 'vitest';
import { checkDefinition } from './check';
import { newProcedureTemplate } from './template';

describe('new procedure template', () => {
  it('should check clean before the designer did anything: no error, one warning for the field code still to fill in, only notes on roles not used yet', () => {
    // given a brand-new procedure
    const def = newProcedureTemplate({ id: 'xac-nhan-moi', code: '1.000001', name: 'Xác nhận mới' });
    // when the designer's live checks run on it
    const check = checkDefinition(def);
    // then nothing is wrong with it: the intake step leads on to the end, no dead end
    // (the national field code cannot be guessed: the designer fills it in from the national catalog)
    expect(check.issues.filter((i) => i.severity !== 'info').map((i) => [i.code, i.path]), JSON.stringify(check.issues))
      .toEqual([['AN_FIELD_WITHOUT_CODE', '/catalog/fieldCode']]);
    expect(check.errors).toBe(0);
    expect(check.issues.map((i) => i.code)).not.toContain('AN_DEAD_END');
    // and what is left to do is only said as notes: the specialist and leader roles wait for their steps
    expect(check.issues.filter((i) => i.severity === 'info').every((i) => i.code === 'AN_UNUSED_ROLE')).toBe(true);
  });
});
