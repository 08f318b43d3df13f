import { describe, expect, it } from 'vitest';
import { checkDefinition } from './check';
import { newProcedureTemplate } from './template';

describe('new procedure template', () => {
  it('should check clean before the designer did anything: no error, no warning, only notes on roles not used yet', () => {
    // given a brand-new procedure
    const def = newProcedureTemplate({ id: 'xac-nhan-moi', code: '1.000001', name: 'Xác nhận mới' });
    // when the designer's live checks run on it
    const check = checkDefinition(def);
    // then nothing is wrong with it: the intake step leads on to the end, no dead end
    expect(check.issues.filter((i) => i.severity !== 'info'), JSON.stringify(check.issues)).toEqual([]);
    expect(check.errors).toBe(0);
    expect(check.issues.map((i) => i.code)).not.toContain('AN_DEAD_END');
    // and what is left to do is only said as notes: the specialist and leader roles wait for their steps,
    // and the national field code waits to be filled in from the national catalog
    expect(check.issues.every((i) => i.code === 'AN_UNUSED_ROLE' || i.code === 'AN_FIELD_WITHOUT_CODE')).toBe(true);
  });
});
