/**
 * Follows docs/tutorial-first-procedure.md from top to bottom, as a designer would: every
 * `json procedure` block must validate without issues, every `json scenario` block must play on
 * the procedure above it, every `json fragment` must be a step of the procedure that follows it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  allSteps, compileProcedure, createCalendar, runScenario, validateDefinition, VN_DEFAULT_CALENDAR,
  type ProcedureDefinition, type Scenario, type StepDefinition,
} from '../engine/src/index';
import { loadDemoUnits, unitInfos } from './procedures/load';

const text = readFileSync(new URL('../docs/tutorial-first-procedure.md', import.meta.url), 'utf8');
const blocks = [...text.matchAll(/```json (procedure|scenario|fragment)\n([\s\S]*?)```/g)].map((m, i) => ({ i, kind: m[1]!, json: m[2]! }));
const calendar = createCalendar(VN_DEFAULT_CALENDAR);
const units = unitInfos(loadDemoUnits());

describe('docs/tutorial-first-procedure.md', () => {
  it('should have procedures, scenarios and one fragment per step kind', () => {
    expect(blocks.filter((b) => b.kind === 'procedure').length).toBeGreaterThanOrEqual(2);
    expect(blocks.filter((b) => b.kind === 'scenario').length).toBeGreaterThanOrEqual(2);
    const kinds = blocks.filter((b) => b.kind === 'fragment').map((b) => (JSON.parse(b.json) as StepDefinition).kind);
    expect(new Set(kinds)).toEqual(new Set(['intake', 'task', 'approval', 'parallel', 'handoff', 'wait-citizen', 'payment', 'return-result', 'final']));
  });

  it('should hold true, block by block, in reading order', () => {
    let current: ProcedureDefinition | null = null;
    const pending: { i: number; step: StepDefinition }[] = [];
    for (const b of blocks) {
      const value = JSON.parse(b.json) as unknown;
      if (b.kind === 'procedure') {
        current = value as ProcedureDefinition;
        const result = validateDefinition(current);
        expect(result.issues.map((x) => `${x.code} ${x.path}: ${x.message.en}`), `block ${b.i}`).toEqual([]);
        const steps = allSteps(current.steps);
        for (const f of pending.splice(0)) expect(steps, `fragment ${f.i} (${f.step.id})`).toContainEqual(f.step);
      } else if (b.kind === 'fragment') {
        pending.push({ i: b.i, step: value as StepDefinition });
      } else {
        expect(current, `scenario ${b.i} needs a procedure above it`).not.toBeNull();
        const report = runScenario(compileProcedure(current!), value as Scenario, calendar, { units });
        expect(report.failures, `scenario ${b.i}`).toEqual([]);
      }
    }
    expect(pending).toEqual([]);
  });
});
