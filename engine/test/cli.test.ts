import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main';
import { miniDefinition } from './fixtures/mini';

const dir = mkdtempSync(join(tmpdir(), 'motcua-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, value: unknown): string => {
  const p = join(dir, name);
  writeFileSync(p, typeof value === 'string' ? value : JSON.stringify(value));
  return p;
};

async function run(...argv: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await main(argv, (s) => lines.push(s));
  return { code, out: lines.join('\n') };
}

describe('cli', () => {
  it('should accept a valid definition and exit 0', async () => {
    const { code, out } = await run('validate', write('ok.json', miniDefinition()));
    expect(code).toBe(0);
    expect(out).toContain('1 valid, 0 invalid');
  });

  it('should point at the culprit of an invalid definition and exit 1', async () => {
    // given a definition whose action targets a step that does not exist
    const def = miniDefinition();
    def.steps[0]!.actions![0]!.target = 'nowhere';
    // when validated as JSON
    const { code, out } = await run('validate', write('bad.json', def), '--json');
    // then
    expect(code).toBe(1);
    const [result] = JSON.parse(out) as { ok: boolean; issues: { code: string; path: string }[] }[];
    expect(result?.issues).toContainEqual(expect.objectContaining({ code: 'DEF_UNKNOWN_TARGET', path: '/steps/0/actions/0/target' }));
  });

  it('should exit 2 on unreadable JSON and unknown commands', async () => {
    expect((await run('validate', write('broken.json', '{ not json'))).code).toBe(2);
    expect((await run('frobnicate')).code).toBe(2);
    expect((await run('validate', join(dir, 'missing.json'))).code).toBe(2);
  });

  it('should analyse and report metrics as JSON', async () => {
    const { code, out } = await run('analyze', write('a.json', miniDefinition()), '--json');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ ok: true, metrics: { legalDeadlineDays: 3 } });
  });

  it('should summarise what a restructuring saves', async () => {
    const next = miniDefinition();
    next.version = 2;
    next.catalog.legalDeadline = { days: 2 };
    const { code, out } = await run('diff', write('v1.json', miniDefinition()), write('v2.json', next), '--lang', 'en');
    expect(code).toBe(0);
    expect(out).toContain('−1 day of legal deadline');
  });

  it('should simulate a scenario and fail when an expectation is not met', async () => {
    const scenario = {
      name: { vi: 'Thử', en: 'Try' },
      actors: { desk: { id: 'lan', name: 'Lan', kind: 'officer', grants: [{ role: 'desk', unit: '000.01.31.H99' }] } },
      start: { at: '2026-03-02T08:15:00+07:00', actor: 'desk', channel: 'direct', receivingUnit: '000.01.31.H99', applicant: { name: 'B' }, data: { childName: 'A' } },
      steps: [{ at: '2026-03-02T08:20:00+07:00', actor: 'desk', step: 'intake', action: 'accept', expect: { active: ['review'], dueAt: '2026-03-05T17:00:00+07:00' } }],
    };
    const def = write('sim.json', miniDefinition());
    expect((await run('simulate', def, write('s.json', scenario))).code).toBe(0);
    scenario.steps[0]!.expect.active = ['sign'];
    const failed = await run('simulate', def, write('s2.json', scenario));
    expect(failed.code).toBe(1);
    expect(failed.out).toContain('active: expected [sign], got [review]');
  });
});
