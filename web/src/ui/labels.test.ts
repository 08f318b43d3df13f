import { describe, expect, it } from 'vitest';
import { isUnder, labelsAt } from './labels';

describe('labelsAt', () => {
  // the desk's answer to an online dossier: papers to add and a reason
  const labelOf = labelsAt({ '/inputs/documents': 'Giấy tờ cần bổ sung', '/inputs/reason': 'Lý do' });
  it('should name the field an issue points at, or one inside it', () => {
    expect(labelOf('/inputs/reason')).toBe('Lý do');
    expect(labelOf('/inputs/documents/2')).toBe('Giấy tờ cần bổ sung');
  });
  it('should know no label for a pointer elsewhere, one that only starts alike, or none', () => {
    expect(labelOf('/expectedVersion')).toBeUndefined();
    expect(labelOf('/inputs/reasons')).toBeUndefined();
    expect(labelOf(undefined)).toBeUndefined();
  });
  it('should tell a pointer inside another from one that only starts alike', () => {
    expect(isUnder('/inputs/reason', '/inputs/reason')).toBe(true);
    expect(isUnder('/inputs/reasonable', '/inputs/reason')).toBe(false);
  });
});
