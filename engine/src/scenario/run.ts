import type { CompiledProcedure } from '../compile/compile';
import type { Calendar } from '../calendar/types';
import type { UnitInfo } from '../delegation/types';
import { apply, start } from '../runtime/apply';
import { replay } from '../runtime/replay';
import { timeliness } from '../runtime/clock';
import { toLocalIso } from '../calendar/local';
import type { DossierEvent, DossierSnapshot, Effect } from '../runtime/types';
import type { Scenario, ScenarioExpectation, ScenarioStepReport, ScenarioReport } from './types';

const instant = (t: string): number => Date.parse(t);
type Fees = { id: string; amount: number }[];
const sortFees = (fees: Fees): Fees => [...fees].sort((a, b) => a.id.localeCompare(b.id)).map((f) => ({ id: f.id, amount: f.amount }));

/** Short labels of effects: "issueSlip:receipt", "spawn:the-bhyt@<unit>" ("spawn:the-bhyt" matches it), "setOutcome:approved". */
export function effectLabel(e: Effect): string {
  switch (e.type) {
    case 'issueSlip': return `issueSlip:${e.slip}`;
    case 'spawn': return `spawn:${e.procedure}@${e.unit}`;
    case 'setOutcome': return `setOutcome:${e.outcome}`;
    case 'dossierClosed': return `dossierClosed:${e.outcome}`;
    default: return e.type;
  }
}

function check(exp: ScenarioExpectation | undefined, snap: DossierSnapshot, effects: Effect[] | null, calendar: Calendar): string[] {
  if (!exp) return [];
  const out: string[] = [];
  const active = snap.active.map((a) => a.step).sort();
  if (exp.active && JSON.stringify([...exp.active].sort()) !== JSON.stringify(active)) {
    out.push(`active: expected [${[...exp.active].sort().join(', ')}], got [${active.join(', ')}]`);
  }
  if (exp.status !== undefined && exp.status !== snap.status) out.push(`status: expected ${exp.status}, got ${snap.status}`);
  if (exp.outcome !== undefined && exp.outcome !== snap.outcome) out.push(`outcome: expected ${String(exp.outcome)}, got ${String(snap.outcome)}`);
  if (exp.dueAt !== undefined) {
    const got = snap.clock.dueAt;
    const same = exp.dueAt === null ? got === null : got !== null && instant(got) === instant(exp.dueAt);
    if (!same) out.push(`dueAt: expected ${String(exp.dueAt)}, got ${got === null ? 'null' : toLocalIso(got)}`);
  }
  if (exp.lawfulDueAt !== undefined) {
    const got = snap.clock.lawfulDueAt;
    const same = exp.lawfulDueAt === null ? got === null : got !== null && instant(got) === instant(exp.lawfulDueAt);
    if (!same) out.push(`lawfulDueAt: expected ${String(exp.lawfulDueAt)}, got ${got === null ? 'null' : toLocalIso(got)}`);
  }
  for (const [step, due] of Object.entries(exp.stepDueAt ?? {})) {
    const got = snap.active.find((a) => a.step === step)?.dueAt;
    const same = got !== undefined && (due === null ? got === null : got !== null && instant(got) === instant(due));
    if (!same) out.push(`stepDueAt ${step}: expected ${String(due)}, got ${got === undefined ? 'no such active step' : got === null ? 'null' : toLocalIso(got)}`);
  }
  if (exp.paused !== undefined && exp.paused !== (snap.clock.pausedAt !== null)) out.push(`paused: expected ${String(exp.paused)}`);
  if (effects && exp.effects) {
    const labels = effects.map(effectLabel);
    for (const e of exp.effects) {
      if (!labels.some((l) => l === e || l.startsWith(`${e}:`) || l.startsWith(`${e}@`))) out.push(`effects: expected ${e} among [${labels.join(', ')}]`);
    }
  }
  if (effects && exp.fees) {
    const payment = effects.find((e): e is Extract<Effect, { type: 'requestPayment' }> => e.type === 'requestPayment');
    if (!payment) out.push('fees: no requestPayment effect');
    else if (JSON.stringify(sortFees(payment.fees)) !== JSON.stringify(sortFees(exp.fees))) {
      out.push(`fees: expected ${JSON.stringify(sortFees(exp.fees))}, got ${JSON.stringify(sortFees(payment.fees))}`);
    }
  }
  const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
  for (const [field, want] of Object.entries(exp.data ?? {})) {
    if (!same(snap.data[field], want)) out.push(`data.${field}: expected ${JSON.stringify(want)}, got ${JSON.stringify(snap.data[field])}`);
  }
  for (const [key, want] of Object.entries(exp.links ?? {})) {
    const link = snap.links[key];
    if (!link) {
      out.push(`links.${key}: no such linked dossier`);
      continue;
    }
    if (want.unit !== undefined && want.unit !== link.unit) out.push(`links.${key}.unit: expected ${want.unit}, got ${link.unit}`);
    if (want.outcome !== undefined && want.outcome !== link.outcome) out.push(`links.${key}.outcome: expected ${String(want.outcome)}, got ${String(link.outcome)}`);
    for (const [name, v] of Object.entries(want.outputs ?? {})) {
      if (!same(link.outputs?.[name], v)) out.push(`links.${key}.outputs.${name}: expected ${JSON.stringify(v)}, got ${JSON.stringify(link.outputs?.[name])}`);
    }
  }
  if (exp.timeliness !== undefined) {
    const got = timeliness(snap, calendar);
    if (got !== exp.timeliness) out.push(`timeliness: expected ${String(exp.timeliness)}, got ${String(got)}`);
  }
  return out;
}

/** A dossier code shaped like Circular 01/2018 Art. 19: `<unit>-YYMMDD-0001`. */
function dossierIdOf(unit: string, at: string): string {
  const l = toLocalIso(at);
  return `${unit}-${l.slice(2, 4)}${l.slice(5, 7)}${l.slice(8, 10)}-0001`;
}

export interface ScenarioOptions {
  units?: { [code: string]: UnitInfo };
  dossierId?: string;
}

/**
 * Runs a scenario through the engine and checks every expectation (a failed action must
 * leave the snapshot untouched), then that replaying the collected events rebuilds the
 * final snapshot. Pure; never throws on a bad scenario.
 */
export function runScenario(proc: CompiledProcedure, scenario: Scenario, calendar: Calendar, options: ScenarioOptions = {}): ScenarioReport {
  const failures: string[] = [];
  const steps: ScenarioStepReport[] = [];
  const units = options.units ? { units: options.units } : {};
  const { at, actor: starterName, expect: startExpect, ...input } = scenario.start;
  const starter = scenario.actors[starterName];
  if (!starter) return { ok: false, steps, failures: [`start: unknown actor "${starterName}"`], events: [] };
  const dossierId = options.dossierId ?? dossierIdOf(input.receivingUnit, at);
  const started = start(proc, { dossierId, ...input }, { now: new Date(instant(at)).toISOString(), actor: starter, calendar, ...units });
  if (!started.ok) return { ok: false, steps, failures: [`start: ${started.error.code} ${started.error.message.en}`], events: [] };
  let snapshot = started.value.snapshot;
  const events: DossierEvent[] = [...started.value.events];
  failures.push(...check(startExpect, snapshot, started.value.effects, calendar).map((f) => `start: ${f}`));

  scenario.steps.forEach((s, index) => {
    const report: ScenarioStepReport = { index, at: s.at, actor: s.actor, step: s.step, action: s.action, ok: false, active: [], status: snapshot.status, dueAt: snapshot.clock.dueAt, effects: [], failures: [] };
    const actor = scenario.actors[s.actor];
    if (!actor) {
      report.failures.push(`unknown actor "${s.actor}"`);
    } else {
      const before = JSON.stringify(snapshot);
      const r = apply(proc, snapshot, { step: s.step, action: s.action, inputs: s.inputs ?? {}, expectedVersion: snapshot.version },
        { now: new Date(instant(s.at)).toISOString(), actor, calendar, ...units });
      if (r.ok) {
        snapshot = r.value.snapshot;
        events.push(...r.value.events);
        report.ok = true;
        report.effects = r.value.effects.map(effectLabel);
        if (s.expect?.error) report.failures.push(`expected error ${s.expect.error}, but the action succeeded`);
        report.failures.push(...check(s.expect, snapshot, r.value.effects, calendar));
      } else {
        report.error = { code: r.error.code, message: r.error.message.en };
        if (s.expect?.error !== r.error.code) {
          const detail = r.error.issues ? ` ${JSON.stringify(r.error.issues.map((x) => `${x.path} ${x.message.en}`))}` : '';
          report.failures.push(`${s.expect?.error ? `expected error ${s.expect.error}, got` : 'unexpected error'} ${r.error.code}: ${r.error.message.en}${detail}`);
        }
        if (JSON.stringify(snapshot) !== before) report.failures.push('a failed action changed the snapshot');
        const { error: _e, effects: _f, fees: _g, ...rest } = s.expect ?? {};
        report.failures.push(...check(rest, snapshot, null, calendar));
      }
    }
    report.active = snapshot.active.map((a) => a.step);
    report.status = snapshot.status;
    report.dueAt = snapshot.clock.dueAt;
    failures.push(...report.failures.map((f) => `step ${index + 1} (${s.at} ${s.actor} ${s.step}.${s.action}): ${f}`));
    steps.push(report);
  });

  failures.push(...check(scenario.expect, snapshot, null, calendar).map((f) => `end: ${f}`));
  const rebuilt = replay(proc, events, { calendar });
  if (!rebuilt.ok) failures.push(`replay: ${rebuilt.error.code} ${rebuilt.error.message.en}`);
  else if (JSON.stringify(rebuilt.value) !== JSON.stringify(snapshot)) failures.push('replay: the rebuilt snapshot differs from the stored one');
  return { ok: failures.length === 0, steps, failures, events, snapshot };
}
