import { describe, expect, it } from 'vitest';
import { actionInputs, isGeographicRefusal } from '../src/demo/inputs';
import { Rng } from '../src/demo/random';

const REFUSE_SCHEMA = { type: 'object', required: ['reason'], properties: { reason: { type: 'string', minLength: 1 } } };

describe('demo refusals', () => {
  it('should never refuse a dossier of a non-geographic procedure for the applicant\'s place (non-geographic intake, Decree 61/2018 as amended)', () => {
    // given a bank whose only refusal says the dossier is outside the receiving body's competence
    const bank = { starts: [], receivingUnits: [], inputs: new Map([['intake:refuse', [{ reason: 'Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan tiếp nhận' }]]]) };
    for (let seed = 1; seed <= 40; seed++) {
      // when the demo refuses a dossier of a non-geographic procedure
      const inputs = actionInputs(bank, 'intake', 'refuse', REFUSE_SCHEMA, new Rng(seed), Date.parse('2026-03-02T02:00:00Z'), { nonGeographic: true });
      // then the reason is never about the applicant's place
      expect(isGeographicRefusal(inputs?.['reason']), String(inputs?.['reason'])).toBe(false);
      expect(typeof inputs?.['reason']).toBe('string');
    }
    // while a procedure bound to the place may still give it
    const bound = actionInputs(bank, 'intake', 'refuse', REFUSE_SCHEMA, new Rng(3), Date.parse('2026-03-02T02:00:00Z'));
    expect(bound?.['reason']).toBeDefined();
    expect(isGeographicRefusal('Người nộp không cư trú trên địa bàn')).toBe(true);
    expect(isGeographicRefusal('Bản chính có dấu hiệu bị tẩy xóa')).toBe(false);
  });
});
