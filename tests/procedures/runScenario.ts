/**
 * Plays one scenario file through the engine's public API (start / apply / timeliness /
 * replay) and lists every expectation that does not hold. Pure apart from the engine calls.
 */
import {
  apply,
  replay,
  start,
  timeliness,
  type Calendar,
  type CompiledProcedure,
  type DossierEvent,
  type DossierSnapshot,
  type Effect,
  type UnitInfo,
} from '../../engine/src/index';
import type { Expectation, ScenarioFile } from './load';

/** "issueSlip:receipt", "spawn:<procedure>", "setOutcome:approved", "dossierClosed:refused", else the type. */
export function effectLabel(e: Effect): string {
  switch (e.type) {
    case 'issueSlip': return `issueSlip:${e.slip}`;
    case 'spawn': return `spawn:${e.procedure}`;
    case 'setOutcome': return `setOutcome:${e.outcome}`;
    case 'dossierClosed': return `dossierClosed:${e.outcome}`;
    default: return e.type;
  }
}

const instant = (iso: string): number => Date.parse(iso);
const sortFees = (fees: { id: string; amount: number }[]): { id: string; amount: number }[] =>
  [...fees].sort((a, b) => a.id.localeCompare(b.id)).map((f) => ({ id: f.id, amount: f.amount }));

function check(where: string, exp: Expectation | undefined, snap: DossierSnapshot, effects: Effect[] | null, calendar: Calendar): string[] {
  if (!exp) return [];
  const out: string[] = [];
  const fail = (m: string): void => { out.push(`${where}: ${m}`); };
  if (exp.active) {
    const want = [...exp.active].sort();
    const got = snap.active.map((a) => a.step).sort();
    if (JSON.stringify(want) !== JSON.stringify(got)) fail(`active: expected [${want.join(', ')}], got [${got.join(', ')}]`);
  }
  if (exp.status !== undefined && exp.status !== snap.status) fail(`status: expected ${exp.status}, got ${snap.status}`);
  if (exp.outcome !== undefined && exp.outcome !== snap.outcome) fail(`outcome: expected ${String(exp.outcome)}, got ${String(snap.outcome)}`);
  if (exp.dueAt !== undefined) {
    const got = snap.clock.dueAt;
    const same = exp.dueAt === null ? got === null : got !== null && instant(got) === instant(exp.dueAt);
    if (!same) fail(`dueAt: expected ${String(exp.dueAt)}, got ${got === null ? 'null' : new Date(instant(got) + 7 * 3_600_000).toISOString().replace('Z', '+07:00')}`);
  }
  if (exp.paused !== undefined && exp.paused !== (snap.clock.pausedAt !== null)) fail(`paused: expected ${String(exp.paused)}`);
  if (effects && exp.effects) {
    const labels = effects.map(effectLabel);
    for (const e of exp.effects) {
      if (!labels.some((l) => l === e || l.startsWith(`${e}:`))) fail(`effects: expected ${e} among [${labels.join(', ')}]`);
    }
  }
  if (effects && exp.fees) {
    const payment = effects.find((e): e is Extract<Effect, { type: 'requestPayment' }> => e.type === 'requestPayment');
    if (!payment) fail('fees: no requestPayment effect');
    else if (JSON.stringify(sortFees(payment.fees)) !== JSON.stringify(sortFees(exp.fees))) {
      fail(`fees: expected ${JSON.stringify(sortFees(exp.fees))}, got ${JSON.stringify(sortFees(payment.fees))}`);
    }
  }
  if (exp.timeliness !== undefined) {
    const got = timeliness(snap, calendar);
    if (got !== exp.timeliness) fail(`timeliness: expected ${String(exp.timeliness)}, got ${String(got)}`);
  }
  return out;
}

/** A dossier code shaped like Circular 01/2018 Art. 19: `<unit>-YYMMDD-0001`. */
function dossierIdOf(unit: string, at: string): string {
  const local = new Date(instant(at) + 7 * 3_600_000).toISOString();
  return `${unit}-${local.slice(2, 4)}${local.slice(5, 7)}${local.slice(8, 10)}-0001`;
}

/** Runs a scenario; returns the failures (empty when every expectation holds). */
export function runScenario(
  proc: CompiledProcedure,
  scenario: ScenarioFile,
  calendar: Calendar,
  units: { [code: string]: UnitInfo },
): { failures: string[]; snapshot: DossierSnapshot | null; events: DossierEvent[] } {
  const failures: string[] = [];
  const { at, actor: starterName, expect: startExpect, ...rest } = scenario.start;
  const starter = scenario.actors[starterName];
  if (!starter) return { failures: [`start: unknown actor "${starterName}"`], snapshot: null, events: [] };
  const started = start(proc, { dossierId: dossierIdOf(rest.receivingUnit, at), ...rest }, { now: at, actor: starter, calendar, units });
  if (!started.ok) return { failures: [`start: ${started.error.code} — ${started.error.message.en}`], snapshot: null, events: [] };
  let snapshot = started.value.snapshot;
  const events: DossierEvent[] = [...started.value.events];
  failures.push(...check('start', startExpect, snapshot, started.value.effects, calendar));

  scenario.steps.forEach((s, i) => {
    const where = `step ${i + 1} ${s.at} ${s.actor} ${s.step}.${s.action}`;
    const actor = scenario.actors[s.actor];
    if (!actor) {
      failures.push(`${where}: unknown actor "${s.actor}"`);
      return;
    }
    const before = structuredClone(snapshot);
    const r = apply(proc, snapshot, { step: s.step, action: s.action, inputs: s.inputs ?? {}, expectedVersion: snapshot.version }, { now: s.at, actor, calendar, units });
    if (s.expect?.error) {
      if (r.ok) failures.push(`${where}: expected error ${s.expect.error}, but the action succeeded`);
      else if (r.error.code !== s.expect.error) failures.push(`${where}: expected error ${s.expect.error}, got ${r.error.code} — ${r.error.message.en}`);
      if (JSON.stringify(before) !== JSON.stringify(snapshot)) failures.push(`${where}: a failed action changed the snapshot`);
      const { error: _e, effects: _f, fees: _g, ...rest2 } = s.expect;
      failures.push(...check(where, rest2, snapshot, null, calendar));
      return;
    }
    if (!r.ok) {
      failures.push(`${where}: unexpected error ${r.error.code} — ${r.error.message.en}${r.error.issues ? ` ${JSON.stringify(r.error.issues.map((x) => x.message.en))}` : ''}`);
      return;
    }
    snapshot = r.value.snapshot;
    events.push(...r.value.events);
    failures.push(...check(where, s.expect, snapshot, r.value.effects, calendar));
  });

  failures.push(...check('end', scenario.expect, snapshot, null, calendar));
  const rebuilt = replay(proc, events, { calendar });
  if (!rebuilt.ok) failures.push(`replay: ${rebuilt.error.code} — ${rebuilt.error.message.en}`);
  else if (JSON.stringify(rebuilt.value) !== JSON.stringify(snapshot)) failures.push('replay: the rebuilt snapshot differs from the final one');
  return { failures, snapshot, events };
}
