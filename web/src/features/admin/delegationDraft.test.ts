import { describe, expect, it } from 'vitest';
import { toDelegationBody, toggle, type DelegationForm } from './delegationDraft';

const form: DelegationForm = {
  kind: 'deputy', from: 'u-chairman', to: 'u-vice', roles: ['leader'], units: [], procedures: [],
  validFrom: '2026-04-01T08:00', validTo: '', decision: ' 12/QĐ-UBND ',
};

describe('delegation draft', () => {
  it('should send instants with the Vietnam offset, an open end, and only the scope lists chosen', () => {
    expect(toDelegationBody(form)).toEqual({
      kind: 'deputy', from: 'u-chairman', to: 'u-vice', scope: { roles: ['leader'] },
      validFrom: '2026-04-01T08:00:00+07:00', validTo: null, decision: '12/QĐ-UBND',
    });
  });

  it('should wait for both people and a start date', () => {
    expect(toDelegationBody({ ...form, to: '' })).toBeNull();
    expect(toDelegationBody({ ...form, validFrom: '' })).toBeNull();
  });

  it('should toggle checkbox values without repeats', () => {
    expect(toggle(['a'], 'a', true)).toEqual(['a']);
    expect(toggle(['a', 'b'], 'a', false)).toEqual(['b']);
  });
});
