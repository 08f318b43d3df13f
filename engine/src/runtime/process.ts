import { actionInfo, type CompiledProcedure, type RuleScope } from '../compile/compile';
import type { Calendar } from '../calendar/types';
import { resolveUnit } from './scope';
import { outcomeInput, runEffect } from './effects';
import { answersIn, handoffTarget } from './handoff';
import type { UnitInfo } from '../delegation/types';
import { pauseClock, resumeClock, reviseLegalCase, startClock, stepDue } from './clock';
import type { ActiveStep, DossierSnapshot, Effect } from './types';

/** An action object as XState's pure `transition()` returns it, unexecuted. */
export interface MarkerAction {
  type: string;
  params?: unknown;
}

export interface ProcessContext {
  now: string;
  calendar: Calendar;
  inputs: { [key: string]: unknown };
  scope: RuleScope;
  /** The unit directory, for hand-off units chosen at run time (absent on replay). */
  units?: { [code: string]: UnitInfo };
}

function paramsOf(a: MarkerAction): { step?: string; action?: string } {
  return (a.params ?? {}) as { step?: string; action?: string };
}

function isWaiting(proc: CompiledProcedure, active: ActiveStep[]): boolean {
  return active.some((a) => proc.steps.get(a.step)?.def.kind === 'wait-citizen');
}

/**
 * Applies the entry, exit and transition markers of one XState macrostep to a draft
 * snapshot: active steps and their due dates, effects, outcome, and the legal clock
 * (started on acceptance, paused while waiting for the citizen, resumed after).
 */
export function processMarkers(
  proc: CompiledProcedure,
  draft: DossierSnapshot,
  markers: readonly MarkerAction[],
  ctx: ProcessContext,
): { effects: Effect[]; from: string[]; to: string[] } {
  const { now, calendar } = ctx;
  const effects: Effect[] = [];
  const from: string[] = [];
  const to: string[] = [];
  const wasWaiting = isWaiting(proc, draft.active);
  const effectCtx = (step: string) => ({ def: proc.definition, step, scope: ctx.scope, inputs: ctx.inputs, calendar });

  for (const marker of markers) {
    const { step, action } = paramsOf(marker);
    if (step === undefined) continue;
    if (marker.type === 'exited') {
      draft.active = draft.active.filter((a) => a.step !== step);
      from.push(step);
    } else if (marker.type === 'took' && action !== undefined) {
      const info = actionInfo(proc, step, action);
      if (!info) continue;
      const link = draft.links[step];
      if (info.role === 'system' && link) {
        const answers = answersIn(ctx.inputs);
        draft.links = { ...draft.links, [step]: { ...link, outcome: outcomeInput(ctx.inputs), ...(answers ? { outputs: answers } : {}) } };
      }
      for (const spec of info.def.effects ?? []) effects.push(...runEffect(draft, spec, effectCtx(step)));
      // A step whose SLA counts from this action (e.g. the verification reply) starts its budget now.
      const owner = proc.steps.get(step)?.def;
      if (owner?.sla?.from === action) {
        draft.active = draft.active.map((a) => (a.step === step ? { ...a, dueAt: stepDue(owner.sla, now, calendar) } : a));
      }
    } else if (marker.type === 'entered') {
      const info = proc.steps.get(step);
      if (!info) continue;
      to.push(step);
      const def = info.def;
      if (def.kind === 'final') {
        if (info.topLevel) {
          draft.outcome = def.outcome ?? draft.outcome ?? 'approved';
          draft.closedAt = now;
        }
      } else {
        draft.active = [...draft.active, {
          step,
          enteredAt: now,
          // An SLA counted from an event has no due date until the event.
          dueAt: def.sla?.from === undefined ? stepDue(def.sla, now, calendar) : null,
          unit: resolveUnit(info.unit, draft.routing),
          role: def.role ?? null,
          assignee: null,
          timeoutAt: def.timeout ? stepDue(def.timeout.after, now, calendar) : null,
        }];
      }
      if (def.kind === 'handoff' && def.handoff) {
        // A unit chosen at run time is resolved on the data as it stands now (throws HandoffTargetError).
        const unit = handoffTarget(def.handoff, step, { ...ctx.scope, data: draft.data }, draft.routing, ctx.units);
        effects.push(...runEffect(draft, { type: 'spawn', procedure: def.handoff.procedure, unit: { unit }, key: step, ...(def.handoff.data ? { data: def.handoff.data } : {}) }, effectCtx(step)));
      }
      for (const spec of def.onEnter ?? []) effects.push(...runEffect(draft, spec, effectCtx(step)));
    }
  }

  const done = draft.closedAt !== null;
  const waiting = !done && isWaiting(proc, draft.active);
  if (waiting && !wasWaiting) {
    draft.supplementRounds += 1;
    const paused = pauseClock(draft.clock, now, calendar);
    draft.clock = paused.clock;
    if (paused.effect) effects.push(paused.effect);
  } else if (!waiting && wasWaiting && !done) {
    const resumed = resumeClock(draft.clock, proc.definition, now, calendar);
    draft.clock = resumed.clock;
    if (resumed.effect) effects.push(resumed.effect);
  }
  const inIntake = draft.active.some((a) => proc.steps.get(a.step)?.def.kind === 'intake');
  // Effects (`set`) may have changed data since the action's scope was built.
  const scope = { ...ctx.scope, data: draft.data };
  if (draft.clock.receivedAt === null && !done && !waiting && !inIntake) {
    draft.clock = startClock(draft.clock, proc.definition, now, calendar, scope);
    effects.push({ type: 'deadlineChanged', dueAt: draft.clock.dueAt, reason: null });
  } else if (!done) {
    const revised = reviseLegalCase(draft.clock, proc.definition, scope, calendar);
    draft.clock = revised.clock;
    if (revised.effect) effects.push(revised.effect);
  }
  draft.status = done ? 'done' : waiting ? 'waiting-citizen' : 'active';
  if (done && draft.outcome) effects.push({ type: 'dossierClosed', outcome: draft.outcome });
  return { effects, from, to };
}
