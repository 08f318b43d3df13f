import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateLinks, type StepDefinition } from '../../engine/src/index';
import { loadCatalog, loadDemoUnits, PROCEDURES_DIR } from './load';

const catalog = loadCatalog();
const units = loadDemoUnits();
const unitCodes = new Set(units.map((u) => u.code));

function allSteps(steps: StepDefinition[]): StepDefinition[] {
  return steps.flatMap((s) => [s, ...allSteps((s.branches ?? []).flatMap((b) => b.steps))]);
}

describe('procedure catalog', () => {
  it('should ship at least 12 procedures', () => {
    expect(catalog.length).toBeGreaterThanOrEqual(12);
  });

  it('should give every procedure a unique national code and an id equal to its folder', () => {
    const codes = catalog.map((e) => e.definition.catalog.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const e of catalog) expect(e.definition.id).toBe(e.slug);
  });

  it('should require at least one paper and the reason before issuing a supplement request (Circular 01/2018, form 02)', () => {
    for (const e of catalog) {
      for (const step of allSteps(e.definition.steps)) {
        for (const a of step.actions ?? []) {
          if (!(a.effects ?? []).some((f) => f.type === 'issueSlip' && f.slip === 'supplement-request')) continue;
          const inputs = a.inputs as { required?: string[]; properties?: { documents?: { minItems?: number } } };
          expect(inputs.required, `${e.slug} ${step.id}.${a.id}`).toEqual(expect.arrayContaining(['reason', 'documents']));
          expect(inputs.properties?.documents?.minItems, `${e.slug} ${step.id}.${a.id}`).toBeGreaterThanOrEqual(1);
        }
      }
    }
  });

  it('should declare lawful extra time with its basis wherever verification lengthens the time, and never apologise for it', () => {
    for (const e of catalog) {
      const grants = allSteps(e.definition.steps).flatMap((s) => s.actions ?? []).filter((a) => a.intent === 'extra-time');
      if (grants.length === 0) continue;
      expect(e.definition.catalog.extraTime?.basis, e.slug).toMatch(/(Luật|Nghị định) /u);
      for (const a of grants) expect((a.effects ?? []).some((f) => f.type === 'issueSlip' && f.slip === 'apology'), `${e.slug} ${a.id}`).toBe(false);
    }
  });

  it('should certify a signature only in person: the signer signs before the certifier (Decree 23/2015 Art. 24)', () => {
    const signature = catalog.find((e) => e.definition.catalog.code === '2.000884');
    expect(signature?.definition.catalog).toMatchObject({ onlineLevel: 'none', channels: ['direct'] });
  });

  it('should use a code of the national procedure database (Decree 63/2010/NĐ-CP: the national procedure database) or mark a local code clearly', () => {
    for (const e of catalog) {
      const c = e.definition.catalog;
      if (/^[12]\.\d{6}$/.test(c.code)) expect(c.localCode ?? false, e.slug).toBe(false);
      else expect(c.localCode, `${e.slug}: ${c.code} is not a national code`).toBe(true);
    }
  });

  it('should point every definition at the shared JSON Schema', () => {
    for (const e of catalog) expect(e.definition.$schema).toBe('../../engine/schema/procedure.schema.json');
  });

  it('should have a README with a state diagram for every procedure, and list it in the index', () => {
    const index = readFileSync(join(PROCEDURES_DIR, 'README.md'), 'utf8');
    for (const e of catalog) {
      expect(e.hasReadme, `${e.slug}/README.md`).toBe(true);
      expect(readFileSync(join(e.dir, 'README.md'), 'utf8')).toContain('stateDiagram-v2');
      expect(index).toContain(`\`${e.definition.catalog.code}\``);
      expect(index).toContain(`(${e.slug}/README.md)`);
    }
  });

  it('should have at least four scenarios per procedure, including a happy path with a due date', () => {
    for (const e of catalog) {
      expect(e.scenarios.length, e.slug).toBeGreaterThanOrEqual(4);
      const happy = e.scenarios.find((s) => s.name.startsWith('happy-path'));
      expect(happy, `${e.slug} happy path`).toBeDefined();
      expect(happy?.scenario.steps.some((s) => s.expect?.dueAt !== undefined && s.expect.dueAt !== null), `${e.slug} happy path dueAt`).toBe(true);
    }
  });

  it('should list the demo province units the scenarios and the server rely on', () => {
    for (const code of ['000.00.00.H99', '000.01.31.H99', '000.02.31.H99', '000.03.31.H99', '000.11.31.H99', '000.00.07.H99']) {
      expect(unitCodes.has(code), code).toBe(true);
    }
    expect(new Set(units.map((u) => u.code)).size).toBe(units.length);
    for (const u of units) if (u.parent) expect(unitCodes.has(u.parent), `${u.code} parent`).toBe(true);
  });

  it('should only use demo units in scenarios and named unit scopes', () => {
    for (const e of catalog) {
      for (const { name, scenario } of e.scenarios) {
        const used = [scenario.start.receivingUnit, scenario.start.competentUnit, scenario.start.returnUnit,
          ...Object.values(scenario.actors).flatMap((a) => a.grants.map((g) => g.unit))];
        for (const u of used) if (u !== undefined) expect(unitCodes.has(u), `${e.slug}/${name}: ${u}`).toBe(true);
      }
      for (const s of allSteps(e.definition.steps)) {
        for (const scope of [s.unit, s.handoff?.unit]) {
          if (scope && typeof scope === 'object' && 'unit' in scope) expect(unitCodes.has(scope.unit), `${e.slug}/${s.id}`).toBe(true);
        }
      }
    }
  });

  it('should hand off only to procedures that exist in the catalog', () => {
    const ids = new Set(catalog.map((e) => e.slug));
    for (const e of catalog) {
      for (const s of allSteps(e.definition.steps)) {
        if (s.handoff) expect(ids.has(s.handoff.procedure), `${e.slug}/${s.id} → ${s.handoff.procedure}`).toBe(true);
      }
    }
  });

  it('should map only outputs the linked procedure declares, to units of a kind it accepts (validateLinks)', () => {
    const bySlug = new Map(catalog.map((e) => [e.slug, e.definition]));
    for (const e of catalog) expect(validateLinks(e.definition, (id) => bySlug.get(id) ?? null), e.slug).toEqual([]);
  });

  it('should keep the "(check)" label out of what citizens read (it lives in the README, by JSON pointer)', () => {
    for (const e of catalog) expect(JSON.stringify(e.definition), e.slug).not.toContain('(check)');
  });

  it('should use the shared role ids and mark every unsure fact with (check)', () => {
    for (const e of catalog) {
      expect(e.definition.roles.map((r) => r.id).sort()).toEqual(['desk', 'leader', 'specialist']);
      expect(readFileSync(join(e.dir, 'README.md'), 'utf8')).toContain('(check)');
    }
  });
});
