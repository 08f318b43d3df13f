import { describe, expect, it } from 'vitest';
import { locate, tokens } from './pointer';
import { small } from './fixtures';

describe('locate', () => {
  const def = small();
  it('should find the action behind a pointer into its fields', () => {
    expect(locate(def, '/steps/2/actions/1/guard')).toEqual({ kind: 'action', step: 'sign', action: 'back', field: 'guard' });
  });
  it('should find the step and field', () => {
    expect(locate(def, '/steps/1/role')).toEqual({ kind: 'step', step: 'review', field: 'role' });
    expect(locate(def, '/steps/0')).toEqual({ kind: 'step', step: 'intake', field: null });
  });
  it('should read server pointers prefixed with /definition', () => {
    expect(locate(def, '/definition/steps/1/sla')).toEqual({ kind: 'step', step: 'review', field: 'sla' });
  });
  it('should send catalog and role pointers to the procedure panel', () => {
    expect(locate(def, '/catalog/legalDeadline')).toEqual({ kind: 'procedure', field: 'legalDeadline' });
    expect(locate(def, '/roles/2')).toEqual({ kind: 'procedure', field: 'roles' });
    expect(locate(def, '')).toEqual({ kind: 'none' });
  });
  it('should unescape tokens', () => {
    expect(tokens('/a~1b/c~0d')).toEqual(['a/b', 'c~d']);
  });
});
