import { describe, expect, it } from 'vitest';
import { normalizeVnPhone } from '../src/contact/phone';

describe('Vietnamese phone numbers', () => {
  it('should keep one national form for the ways people write a mobile number', () => {
    for (const typed of ['0912345678', '0912 345 678', '0912.345.678', '0912-345-678', '+84912345678', '+84 912 345 678', '0084912345678']) {
      expect(normalizeVnPhone(typed), typed).toBe('0912345678');
    }
  });

  it('should accept an 11-digit landline with its 02x area code', () => {
    expect(normalizeVnPhone('(024) 3825 1234')).toBe('02438251234');
    expect(normalizeVnPhone('+84 24 3825 1234')).toBe('02438251234');
  });

  it('should refuse what is not a Vietnamese phone number', () => {
    for (const typed of ['', '123', '091234567', '09123456789', '1912345678', '0112345678', '+1 415 555 0100', 'số 0912345678', '0912345678x', '02438251']) {
      expect(normalizeVnPhone(typed), typed).toBeNull();
    }
  });
});
