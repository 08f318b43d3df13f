import { describe, expect, it } from 'vitest';
import { compileProcedure } from '../src/compile/index';
import { createCalendar } from '../src/calendar/index';
import { VN_DEFAULT_CALENDAR } from '../src/calendar/defaults';
import { validateDefinition } from '../src/definition/validate';
import { apply, replay, start } from '../src/runtime/index';
import type { ProcedureDefinition } from '../src/definition/types';
import type { Actor } from '../src/delegation/types';
import type { DossierEvent, DossierSnapshot, Effect, Result, Transition } from '../src/runtime/types';
import { ANPHU, actors, miniDefinition } from './fixtures/mini';

// Issue 15, item 5: a fee tied to a provincial parameter charges the value recorded at intake.
const calendar = createCalendar(VN_DEFAULT_CALENDAR);
const at = (local: string): string => new Date(`${local}+07:00`).toISOString();

function definition(): ProcedureDefinition {
  const def = miniDefinition();
  const fee = def.catalog.fees[0];
  if (fee) fee.param = 'fee.khai-sinh-qua-han';
  return def;
}
const proc = compileProcedure(definition());

function ok(r: Result<Transition>): Transition {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message.en}`);
  return r.value;
}

/** Runs a late dossier to its payment step; returns the fees asked and the log. */
function toPayment(parameters?: { [key: string]: number }): { fees: Effect[]; snapshot: DossierSnapshot; events: DossierEvent[] } {
  const events: DossierEvent[] = [];
  const t0 = ok(start(proc, { dossierId: 'D1', channel: 'direct', receivingUnit: ANPHU, applicant: { name: 'Trần Văn Bình' }, data: { childName: 'Na', ageDays: 90 }, ...(parameters ? { parameters } : {}) },
    { now: at('2026-03-02T08:00:00'), actor: actors.desk, calendar }));
  let snapshot = t0.snapshot;
  events.push(...t0.events);
  const fees: Effect[] = [];
  const act = (actor: Actor, step: string, action: string, inputs: { [k: string]: unknown } = {}): void => {
    const t = ok(apply(proc, snapshot, { step, action, inputs }, { now: at('2026-03-02T09:00:00'), actor, calendar }));
    snapshot = t.snapshot;
    events.push(...t.events);
    fees.push(...t.effects.filter((e) => e.type === 'requestPayment'));
  };
  act(actors.desk, 'intake', 'accept');
  act(actors.specialist, 'review', 'propose', { verified: true });
  act(actors.leader, 'sign', 'approve');
  return { fees, snapshot, events };
}

describe('provincial parameters in fees', () => {
  it('should accept a fee tied to a parameter and refuse a malformed key', () => {
    expect(validateDefinition(definition()).ok).toBe(true);
    const bad = definition();
    bad.catalog.fees[0]!.param = 'Fee Khai Sinh';
    expect(validateDefinition(bad).issues.map((i) => i.path)).toEqual(['/catalog/fees/0/param']);
  });

  it('should charge the value recorded at intake, keep it on the dossier and replay to the same snapshot', () => {
    const { fees, snapshot, events } = toPayment({ 'fee.khai-sinh-qua-han': 12_000 });
    expect(fees).toEqual([{ type: 'requestPayment', fees: [{ id: 'late', amount: 12_000 }] }]);
    expect(snapshot.parameters).toEqual({ 'fee.khai-sinh-qua-han': 12_000 });
    expect(replay(proc, events, { calendar })).toEqual({ ok: true, value: snapshot });
  });

  it('should charge the published amount when no value was recorded, and keep the old snapshot shape', () => {
    const { fees, snapshot } = toPayment();
    expect(fees).toEqual([{ type: 'requestPayment', fees: [{ id: 'late', amount: 8000 }] }]);
    expect('parameters' in snapshot).toBe(false);
  });
});
