/**
 * Reads the shipped catalog under `procedures/`: definitions, their scenarios and the
 * demo province's units. Test helper; reads files, no other side effects.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Actor, Channel, ProcedureDefinition, ReturnVia, Text, UnitInfo } from '../../engine/src/index';

export const PROCEDURES_DIR = fileURLToPath(new URL('../../procedures/', import.meta.url));

/** What a step (or the whole scenario) expects; every key is optional. */
export interface Expectation {
  active?: string[];
  status?: 'active' | 'waiting-citizen' | 'done';
  outcome?: string | null;
  /** ISO instant with offset, or null for "no due date" (paused, not accepted). */
  dueAt?: string | null;
  paused?: boolean;
  /** "type" or "type:detail" (slip kind, spawned procedure, outcome). */
  effects?: string[];
  /** Fees of the requestPayment effect of this step, by id (VND). */
  fees?: { id: string; amount: number }[];
  /** The action must fail with this engine error code and change nothing. */
  error?: string;
  timeliness?: 'early' | 'on-time' | 'late' | null;
}

export interface ScenarioStep {
  at: string;
  actor: string;
  step: string;
  action: string;
  inputs?: { [key: string]: unknown };
  expect?: Expectation;
}

export interface ScenarioFile {
  name: Text;
  actors: { [name: string]: Actor };
  start: {
    at: string;
    actor: string;
    channel: Channel;
    receivingUnit: string;
    competentUnit?: string;
    returnUnit?: string;
    returnVia?: ReturnVia;
    applicant: { id?: string; name: string };
    data?: { [key: string]: unknown };
    expect?: Expectation;
  };
  steps: ScenarioStep[];
  expect?: Expectation;
}

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
  scenarios: { name: string; file: string; scenario: ScenarioFile }[];
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
            scenario: readJson(join(scenarioDir, f)) as ScenarioFile,
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
    };
  }
  return out;
}
