/**
 * Reads the shipped catalog under `procedures/`: definitions, their scenarios and the
 * demo province's units. Test helper; reads files, no other side effects.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProcedureDefinition, Scenario, UnitInfo } from '../../engine/src/index';

export const PROCEDURES_DIR = fileURLToPath(new URL('../../procedures/', import.meta.url));

export interface DemoUnit {
  code: string;
  name: string;
  kind: 'province' | 'commune' | 'ward' | 'police' | 'social-insurance' | 'department';
  parent?: string;
  collectiveName?: string;
  headTitle?: string;
}

export interface CatalogEntry {
  slug: string;
  dir: string;
  /** Parsed JSON, unchecked: validation is what the tests do with it. */
  definition: ProcedureDefinition;
  scenarios: { name: string; file: string; scenario: Scenario }[];
  hasReadme: boolean;
}

const readJson = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));

/** Every `procedures/<slug>/procedure.json` with its scenarios, sorted by slug. */
export function loadCatalog(): CatalogEntry[] {
  return readdirSync(PROCEDURES_DIR)
    .filter((slug) => statSync(join(PROCEDURES_DIR, slug)).isDirectory() && existsSync(join(PROCEDURES_DIR, slug, 'procedure.json')))
    .sort()
    .map((slug) => {
      const dir = join(PROCEDURES_DIR, slug);
      const scenarioDir = join(dir, 'scenarios');
      const scenarios = existsSync(scenarioDir)
        ? readdirSync(scenarioDir).filter((f) => f.endsWith('.json')).sort().map((f) => ({
            name: f.replace(/\.json$/, ''),
            file: join(scenarioDir, f),
            scenario: readJson(join(scenarioDir, f)) as Scenario,
          }))
        : [];
      return {
        slug,
        dir,
        definition: readJson(join(dir, 'procedure.json')) as ProcedureDefinition,
        scenarios,
        hasReadme: existsSync(join(dir, 'README.md')),
      };
    });
}

export function loadDemoUnits(): DemoUnit[] {
  return readJson(join(PROCEDURES_DIR, 'demo-units.json')) as DemoUnit[];
}

/** Demo units as the engine's signing formula needs them, keyed by code. */
export function unitInfos(units: DemoUnit[]): { [code: string]: UnitInfo } {
  const out: { [code: string]: UnitInfo } = {};
  for (const u of units) {
    out[u.code] = {
      code: u.code,
      name: u.name,
      ...(u.collectiveName ? { collectiveName: u.collectiveName } : {}),
      ...(u.headTitle ? { headTitle: u.headTitle } : {}),
      ...(u.parent ? { parent: u.parent } : {}),
      kind: u.kind,
    };
  }
  return out;
}
