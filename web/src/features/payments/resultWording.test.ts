import { describe, expect, it } from 'vitest';
import { resultWording } from './resultWording';
import payments from '../../i18n/payments';

const reason = { vi: 'Tài khoản không đủ số dư để thực hiện giao dịch', en: 'The account does not hold enough money for the payment' };

describe('the payment result in words', () => {
  it('should say the citizen cancelled, not that the payment failed, and offer paying again', () => {
    const w = resultWording({ status: 'failed', failure: { kind: 'cancelled', code: '24', reason: { vi: 'hủy', en: 'cancelled' } } });
    expect(w).toEqual({ heading: 'result.cancelled', reason: null, code: null, payAgain: true });
    expect(payments.vi.result.cancelled).toMatch(/hủy/);
  });

  it('should say the bank refused, with its reason and code, and offer paying again', () => {
    expect(resultWording({ status: 'failed', failure: { kind: 'refused', code: '51', reason } }))
      .toEqual({ heading: 'result.refused', reason, code: '51', payAgain: true });
  });

  it('should say the time to pay ran out', () => {
    expect(resultWording({ status: 'failed', failure: { kind: 'expired', code: '11', reason } }).heading).toBe('result.expired');
  });

  it('should go by the stored state: paid or waiting whatever the return, and "not completed" without a signed reason', () => {
    expect(resultWording({ status: 'paid', failure: null }).heading).toBe('result.paid');
    expect(resultWording({ status: 'pending', failure: { kind: 'cancelled', code: '24', reason } })).toMatchObject({ heading: 'result.checking', payAgain: false });
    expect(resultWording({ status: 'failed', failure: null })).toEqual({ heading: 'result.failed', reason: null, code: null, payAgain: true });
    expect(resultWording({ status: 'refunded', failure: null }).payAgain).toBe(false);
  });

  it('should have the words of every heading in Vietnamese and English', () => {
    for (const k of ['paid', 'checking', 'failed', 'cancelled', 'refused', 'expired', 'reason'] as const) {
      expect(payments.vi.result[k]).toBeTruthy();
      expect(payments.en.result[k]).toBeTruthy();
    }
  });
});
