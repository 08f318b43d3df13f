import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateScenario } from '../src/scenario/validate';
import { main } from '../src/cli/main';

const shipped = (): Record<string, unknown> => JSON.parse(readFileSync(
  new URL('../../procedures/chung-thuc-chu-ky/scenarios/happy-path.json', import.meta.url), 'utf8')) as Record<string, unknown>;

describe('scenario schema', () => {
  it('should accept a shipped scenario', () => {
    expect(validateScenario(shipped())).toEqual([]);
  });

  it('should reject a misspelled key at any level, naming it, instead of ignoring it', () => {
    // given a scenario whose first step says "expct" and whose start says "chanel"
    const s = shipped() as { steps: Record<string, unknown>[]; start: Record<string, unknown> };
    s.steps[0]!['expct'] = { status: 'done' };
    s.start['chanel'] = 'direct';
    // when it is validated
    const issues = validateScenario(s);
    // then both keys are named with their JSON pointers
    expect(issues).toEqual(expect.arrayContaining([
      expect.objectContaining({ path: '/steps/0/expct', message: expect.objectContaining({ en: expect.stringContaining('"expct"') }) }),
      expect.objectContaining({ path: '/start/chanel', message: expect.objectContaining({ en: expect.stringContaining('"chanel"') }) }),
    ]));
  });

  it('should reject an unknown expectation key and a wrong status value', () => {
    const s = shipped() as { expect?: Record<string, unknown> };
    s.expect = { outcom: 'approved', status: 'finished' };
    const issues = validateScenario(s);
    expect(issues.map((i) => i.path)).toEqual(['/expect/outcom', '/expect/status']);
  });

  it('should make `motcua simulate` refuse a scenario with an unknown key', async () => {
    // given a scenario file with a misspelled key (written to a temporary file)
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'motcua-scenario-'));
    const s = shipped() as { steps: Record<string, unknown>[] };
    s.steps[0]!['inputz'] = {};
    writeFileSync(join(dir, 's.json'), JSON.stringify(s));
    // when it is simulated
    const lines: string[] = [];
    const code = await main(['simulate', new URL('../../procedures/chung-thuc-chu-ky/procedure.json', import.meta.url).pathname, join(dir, 's.json')], (l) => lines.push(l));
    // then the CLI stops with a usage error naming the key
    expect(code).not.toBe(0);
    expect(lines.join('\n')).toContain('"inputz"');
  });
});
