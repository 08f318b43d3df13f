import { describe, expect, it } from 'vitest';
import { checkDefinition, issueMarks } from './check';
import { applyCommand } from './commands';
import { realBirth, small } from './fixtures';

describe('checkDefinition', () => {
  it('should find no error in a real procedure', () => {
    const r = checkDefinition(realBirth());
    expect(r.errors).toBe(0);
    expect(r.analysis?.metrics.steps).toBeGreaterThan(3);
  });

  it('should report a step without a role and mark its node', () => {
    const def = applyCommand(small(), { type: 'step.update', id: 'review', patch: { role: undefined } });
    const r = checkDefinition(def);
    const issue = r.issues.find((i) => i.code === 'DEF_STEP_NEEDS_ROLE');
    expect(issue?.path).toBe('/steps/1/role');
    expect(r.analysis).toBeNull();
    expect(issueMarks(def, r.issues).steps.get('review')?.severity).toBe('error');
  });

  it('should report an unreachable step as a warning from the analysis', () => {
    const def = applyCommand(small(), { type: 'step.add', kind: 'task', position: { x: 0, y: 0 }, name: { vi: 'Lẻ', en: 'Alone' } });
    const r = checkDefinition(def);
    expect(r.issues.some((i) => i.code === 'AN_UNREACHABLE_STEP' && i.severity === 'warning')).toBe(true);
    expect(r.issues[0]!.severity).toBe('error');
  });
});

describe('checkDefinition: sealed slips', () => {
  it('should warn at /settings/sealSlips while no slip 01–03 is issued, and not once the intake issues the receipt', () => {
    const sealed = applyCommand(small(), { type: 'definition.update', patch: { settings: { sealSlips: true } } });
    const warned = checkDefinition(sealed).issues.find((i) => i.code === 'AN_SEAL_WITHOUT_SLIP');
    expect(warned).toMatchObject({ path: '/settings/sealSlips', severity: 'warning' });
    expect(warned?.message.vi).toContain('phiếu 01');
    const accept = sealed.steps[0]!.actions![0]!;
    accept.effects = [{ type: 'issueSlip', slip: 'receipt' }];
    expect(checkDefinition(sealed).issues.some((i) => i.code === 'AN_SEAL_WITHOUT_SLIP')).toBe(false);
  });
});

describe('checkDefinition: field code', () => {
  it('should note at /catalog/fieldCode while the procedure has no field code, and not once it has one', () => {
    const warned = checkDefinition(small()).issues.find((i) => i.code === 'AN_FIELD_WITHOUT_CODE');
    expect(warned).toMatchObject({ source: 'analysis', path: '/catalog/fieldCode', severity: 'info' });
    expect(warned?.message.vi).toContain('Chưa có mã lĩnh vực');
    const coded = applyCommand(small(), { type: 'catalog.update', patch: { fieldCode: 'TEST-HT' } });
    expect(checkDefinition(coded).issues.some((i) => i.code === 'AN_FIELD_WITHOUT_CODE')).toBe(false);
  });
});
