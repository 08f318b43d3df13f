import { describe, expect, it } from 'vitest';
import { blankGrant, toGrantBody, toGrantRows } from './grants';

describe('grants', () => {
  it('should send position and title only when given', () => {
    expect(toGrantBody([
      { role: 'leader', unit: 'U1', position: 'deputy', title: ' PHÓ CHỦ TỊCH ' },
      { role: 'desk', unit: 'U1', position: '', title: '' },
    ])).toEqual([
      { role: 'leader', unit: 'U1', position: 'deputy', title: 'PHÓ CHỦ TỊCH' },
      { role: 'desk', unit: 'U1' },
    ]);
  });

  it('should drop rows without a unit and repeated role-unit pairs', () => {
    expect(toGrantBody([blankGrant(''), blankGrant('U1'), { ...blankGrant('U1'), title: 'x' }])).toEqual([{ role: 'specialist', unit: 'U1' }]);
  });

  it('should read server grants, ignoring roles it does not know', () => {
    expect(toGrantRows([{ role: 'leader', unit: 'U', position: 'head' }, { role: 'applicant', unit: 'U' }]))
      .toEqual([{ role: 'leader', unit: 'U', position: 'head', title: '' }]);
  });
});
