import { describe, expect, it } from 'vitest';
import type { StepDefinition } from '@motcua/engine';
import { small } from './fixtures';
import { stepNameOf } from './targets';

describe('stepNameOf', () => {
  it('should name a step by its name, not its id: "issued" reads "Đã trả kết quả"', () => {
    expect(stepNameOf(small().steps, 'issued', 'vi')).toBe('Đã trả kết quả');
    expect(stepNameOf(small().steps, 'review', 'vi')).toBe('Thẩm định');
  });

  it('should use the English name when asked, the Vietnamese one when there is none', () => {
    const steps: StepDefinition[] = [{ id: 'a', kind: 'final', name: { vi: 'Xong', en: 'Done' }, outcome: 'approved' }, { id: 'b', kind: 'final', name: { vi: 'Dừng' }, outcome: 'stopped' }];
    expect(stepNameOf(steps, 'a', 'en')).toBe('Done');
    expect(stepNameOf(steps, 'b', 'en')).toBe('Dừng');
  });

  it('should find a step inside a parallel step\'s branch', () => {
    const steps = [{ id: 'par', kind: 'parallel', name: { vi: 'Song song' }, branches: [{ id: 'x', name: { vi: 'Nhánh' }, steps: [{ id: 'check', kind: 'task', name: { vi: 'Xác minh' }, role: 'specialist' }] }] }] as unknown as StepDefinition[];
    expect(stepNameOf(steps, 'check', 'vi')).toBe('Xác minh');
  });

  it('should keep an unknown id as it is', () => {
    expect(stepNameOf(small().steps, 'nowhere', 'vi')).toBe('nowhere');
  });
});
