import type { CompiledProcedure } from '../compile/compile';
import type { Calendar } from '../calendar/types';
import { apply, start } from '../runtime/apply';
import { replay } from '../runtime/replay';
import { timeliness } from '../runtime/clock';
import type { DossierEvent, DossierSnapshot, Effect } from '../runtime/types';
import type { Scenario, ScenarioExpectation, ScenarioStepReport, ScenarioReport } from './types';

const toIso = (t: string): string => new Date(Date.parse(t)).toISOString();

/** Short labels of effects: "issueSlip:receipt", "spawn:the-bhyt", "setOutcome:approved". */
export function effectLabel(e: Effect): string {
  switch (e.type) {
    case 'issueSlip': return `issueSlip:${e.slip}`;
    case 'spawn': return `spawn:${e.procedure}`;
    case 'setOutcome': return `setOutcome:${e.outcome}`;
    case 'dossierClosed': return `dossierClosed:${e.outcome}`;
    default: return e.type;
  }
}

function check(exp: ScenarioExpectation | undefined, snap: DossierSnapshot, effects: string[], calendar: Calendar): string[] {
  if (!exp) return [];
  const out: string[] = [];
  const active = snap.active.map((a) => a.step).sort();
  if (exp.active && JSON.stringify([...exp.active].sort()) !== JSON.stringify(active)) {
    out.push(`active: expected [${[...exp.active].sort().join(', ')}], got [${active.join(', ')}]`);
  }
  if (exp.status !== undefined && exp.status !== snap.status) out.push(`status: expected ${exp.status}, got ${snap.status}`);
  if (exp.outcome !== undefined && exp.outcome !== snap.outcome) out.push(`outcome: expected ${String(exp.outcome)}, got ${String(snap.outcome)}`);
  if (exp.dueAt !== undefined) {
    const want = exp.dueAt === null ? null : toIso(exp.dueAt);
    if (want !== snap.clock.dueAt) out.push(`dueAt: expected ${String(want)}, got ${String(snap.clock.dueAt)}`);
  }
  if (exp.paused !== undefined && exp.paused !== (snap.clock.pausedAt !== null)) out.push(`paused: expected ${String(exp.paused)}`);
  for (const e of exp.effects ?? []) {
    if (!effects.some((got) => got === e || got.startsWith(`${e}:`))) out.push(`effects: expected ${e} among [${effects.join(', ')}]`);
  }
  if (exp.timeliness !== undefined) {
    const got = timeliness(snap, calendar);
    if (got !== exp.timeliness) out.push(`timeliness: expected ${String(exp.timeliness)}, got ${String(got)}`);
  }
  return out;
}

/**
 * Runs a scenario through the engine and checks every expectation, then that replaying
 * the collected events rebuilds the final snapshot. Pure; never throws on a bad scenario.
 */
export function runScenario(proc: CompiledProcedure, scenario: Scenario, calendar: Calendar, dossierId = 'SCENARIO-1'): ScenarioReport {
  const failures: string[] = [];
  const steps: ScenarioStepReport[] = [];
  const starter = scenario.actors[scenario.start.actor];
  if (!starter) return { ok: false, steps, failures: [`start: unknown actor "${scenario.start.actor}"`] };
  const { at, actor: _a, expect: startExpect, ...input } = scenario.start;
  const started = start(proc, { dossierId, ...input }, { now: toIso(at), actor: starter, calendar });
  if (!started.ok) return { ok: false, steps, failures: [`start: ${started.error.code} ${started.error.message.en}`] };
  let snapshot = started.value.snapshot;
  const events: DossierEvent[] = [...started.value.events];
  failures.push(...check(startExpect, snapshot, started.value.effects.map(effectLabel), calendar).map((f) => `start: ${f}`));

  scenario.steps.forEach((s, index) => {
    const actor = scenario.actors[s.actor];
    const report: ScenarioStepReport = { index, at: s.at, actor: s.actor, step: s.step, action: s.action, ok: false, active: [], status: snapshot.status, dueAt: snapshot.clock.dueAt, effects: [], failures: [] };
    if (!actor) {
      report.failures.push(`unknown actor "${s.actor}"`);
    } else {
      const r = apply(proc, snapshot, { step: s.step, action: s.action, inputs: s.inputs ?? {} }, { now: toIso(s.at), actor, calendar });
      if (r.ok) {
        snapshot = r.value.snapshot;
        events.push(...r.value.events);
        report.ok = true;
        report.effects = r.value.effects.map(effectLabel);
        if (s.expect?.error) report.failures.push(`expected error ${s.expect.error}, but the action succeeded`);
      } else {
        report.error = { code: r.error.code, message: r.error.message.en };
        if (s.expect?.error !== r.error.code) report.failures.push(`unexpected error ${r.error.code}: ${r.error.message.en}`);
      }
      report.failures.push(...check(s.expect?.error ? { ...s.expect, error: undefined, effects: undefined } : s.expect, snapshot, report.effects, calendar));
    }
    report.active = snapshot.active.map((a) => a.step);
    report.status = snapshot.status;
    report.dueAt = snapshot.clock.dueAt;
    failures.push(...report.failures.map((f) => `step ${index + 1} (${s.step}.${s.action}): ${f}`));
    steps.push(report);
  });

  failures.push(...check(scenario.expect, snapshot, [], calendar).map((f) => `end: ${f}`));
  const rebuilt = replay(proc, events, { calendar });
  if (!rebuilt.ok) failures.push(`replay: ${rebuilt.error.message.en}`);
  else if (JSON.stringify(rebuilt.value) !== JSON.stringify(snapshot)) failures.push('replay: the rebuilt snapshot differs from the stored one');
  return { ok: failures.length === 0, steps, failures };
}
