import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { tabError } from './sight';

const refused = (status: number, code: string) => new ApiError(status, code, { vi: 'Hồ sơ không thuộc đơn vị của bạn', en: 'Not your unit' });

describe('tabError', () => {
  it('should not repeat the refusal of a dossier out of sight under the page\'s notice', () => {
    // given the dossier moved to another unit: the history tab's reading is refused
    expect(tabError(refused(403, 'FORBIDDEN'), true)).toBeNull();
    expect(tabError(refused(404, 'NOT_FOUND'), true)).toBeNull();
  });
  it('should show the refusal while the dossier is in sight, and any other error always', () => {
    const forbidden = refused(403, 'FORBIDDEN');
    expect(tabError(forbidden, false)).toBe(forbidden);
    const down = refused(503, 'DB_UNAVAILABLE');
    expect(tabError(down, true)).toBe(down);
    const network = new TypeError('Failed to fetch');
    expect(tabError(network, true)).toBe(network);
    expect(tabError(null, true)).toBeNull();
  });
});
