import { describe, expect, it } from 'vitest';
import { waitingStepKeys, withoutWaiting } from './waiting';

describe('waitingStepKeys', () => {
  it('should find the waiting steps of each procedure, inside branches too', () => {
    const keys = waitingStepKeys([
      { id: 'khai-sinh', steps: [{ id: 'intake', kind: 'intake' }, { id: 'supplementWait', kind: 'wait-citizen' }] },
      { id: 'lien-thong', steps: [{ id: 'split', kind: 'parallel', branches: [{ steps: [{ id: 'wait', kind: 'wait-citizen' }] }] }] },
    ]);
    expect([...keys].sort()).toEqual(['khai-sinh/supplementWait', 'lien-thong/wait']);
  });
});

describe('withoutWaiting', () => {
  it('should drop only the waiting step of the same procedure', () => {
    const steps = [
      { procedureId: 'khai-sinh', step: 'supplementWait' },
      { procedureId: 'khai-tu', step: 'supplementWait' },
      { procedureId: 'khai-sinh', step: 'review' },
    ];
    expect(withoutWaiting(steps, new Set(['khai-sinh/supplementWait']))).toEqual([steps[1], steps[2]]);
  });
});
