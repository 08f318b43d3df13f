import { describe, expect, it } from 'vitest';
import { kindNames } from '../src/dossiers/routing';

describe('routing refusals in words', () => {
  it('should name the kinds of unit that decide a procedure as officers say them, not as codes', () => {
    expect(kindNames(['police'], 'vi')).toBe('Công an cấp xã');
    expect(kindNames(['commune', 'ward'], 'vi')).toBe('UBND xã hoặc UBND phường');
    expect(kindNames(['commune', 'ward'], 'en')).toBe('a commune committee or a ward committee');
    expect(kindNames(['some-new-kind'], 'vi')).toBe('some-new-kind');
  });
});
