import { describe, expect, it } from 'vitest';
import { retireImpact } from './retire';

const now = new Date('2026-03-02T03:00:00Z');

describe('retireImpact', () => {
  it('should warn when the version in force has no successor, with its open dossiers', () => {
    // given v1 in force with 3 open dossiers, v2 a draft, v0 long retired
    const versions = [
      { version: 0, status: 'retired', effectiveTo: '2026-01-01T00:00:00Z', openDossiers: 1 },
      { version: 1, status: 'published', effectiveTo: null, openDossiers: 3 },
      { version: 2, status: 'draft', effectiveTo: null, openDossiers: 0 },
    ];
    // then retiring v1 leaves the procedure unable to receive, and says 3 dossiers continue on v1
    expect(retireImpact(versions, 1, now)).toEqual({ noSuccessor: true, openDossiers: 3 });
  });

  it('should not warn when another version is scheduled or in force after it', () => {
    const versions = [
      { version: 1, status: 'published', effectiveTo: '2026-04-01T00:00:00Z', openDossiers: 2 },
      { version: 2, status: 'published', effectiveTo: null, openDossiers: 0 },
    ];
    expect(retireImpact(versions, 1, now)).toEqual({ noSuccessor: false, openDossiers: 2 });
    // and a published version that already ended is no successor
    expect(retireImpact([{ ...versions[0]!, version: 3 }, { ...versions[1]!, effectiveTo: '2026-03-01T00:00:00Z' }], 3, now).noSuccessor).toBe(true);
  });
});
