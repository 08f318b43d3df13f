import type { RuleScope } from '../compile/compile';
import type { Calendar } from '../calendar/types';
import type { EffectSpec, Outcome, ProcedureDefinition } from '../definition/types';
import { evaluate, holds } from '../expr/jsonLogic';
import { extendClock, grantExtraTime } from './clock';
import { resolveUnit, setPath } from './scope';
import type { DossierSnapshot, Effect } from './types';

const OUTCOMES: ReadonlySet<string> = new Set(['approved', 'rejected', 'refused', 'withdrawn', 'stopped']);

/**
 * Fees due now: those whose condition holds, quantity from data, capped. A fee tied to a
 * provincial parameter charges the value recorded on the dossier at intake, else its default.
 */
export function feesDue(def: ProcedureDefinition, ids: string[] | undefined, scope: RuleScope, parameters?: { [key: string]: number }): { id: string; amount: number }[] {
  return def.catalog.fees
    .filter((f) => (ids ? ids.includes(f.id) : true) && holds(f.when, scope))
    .map((f) => {
      const q = f.quantity === undefined ? 1 : Number(evaluate(f.quantity, scope));
      const recorded = f.param !== undefined ? parameters?.[f.param] : undefined;
      const amount = typeof recorded === 'number' && Number.isFinite(recorded) ? recorded : f.amount;
      const total = amount * (Number.isFinite(q) && q > 0 ? q : 0);
      return { id: f.id, amount: f.max !== undefined ? Math.min(f.max, total) : total };
    })
    .filter((f) => f.amount > 0);
}

export interface EffectContext {
  def: ProcedureDefinition;
  /** The step the effect belongs to (for slips and assignment). */
  step: string;
  scope: RuleScope;
  inputs: { [key: string]: unknown };
  calendar: Calendar;
}

/**
 * Resolves an effect for this dossier and applies what it changes on the draft snapshot
 * (data, outcome, deadline, links); returns the effects the server must run.
 */
export function runEffect(draft: DossierSnapshot, spec: EffectSpec, ctx: EffectContext): Effect[] {
  switch (spec.type) {
    case 'issueSlip':
      return [{ type: 'issueSlip', slip: spec.slip, step: ctx.step }];
    case 'assign':
      return [{ type: 'assign', step: ctx.step, role: spec.role, unit: resolveUnit(spec.unit ?? 'competent', draft.routing) }];
    case 'notify':
      return [{
        type: 'notify',
        to: spec.to === 'applicant' ? 'applicant' : { role: spec.to.role, unit: resolveUnit(spec.to.unit ?? 'competent', draft.routing) },
        template: spec.template,
      }];
    case 'spawn': {
      const unit = resolveUnit(spec.unit, draft.routing);
      draft.links = { ...draft.links, [spec.key]: { procedure: spec.procedure, unit, outcome: null } };
      const scope = { ...ctx.scope, data: draft.data };
      const data = spec.data
        ? Object.fromEntries(Object.entries(spec.data).map(([field, rule]) => [field, evaluate(rule, scope)]).filter(([, v]) => v !== null && v !== undefined))
        : { ...draft.data };
      return [{ type: 'spawn', key: spec.key, procedure: spec.procedure, unit, step: ctx.step, data }];
    }
    case 'setOutcome':
      draft.outcome = spec.outcome;
      return [{ type: 'setOutcome', outcome: spec.outcome }];
    case 'set':
      draft.data = setPath(draft.data, spec.path, evaluate(spec.value, { ...ctx.scope, data: draft.data }));
      return [];
    case 'extendDeadline': {
      const days = ctx.inputs['days'];
      const hours = ctx.inputs['hours'];
      const by = typeof days === 'number' ? { days } : typeof hours === 'number' ? { hours } : null;
      if (by === null) return [];
      draft.clock = extendClock(draft.clock, by, ctx.calendar);
      const reason = typeof ctx.inputs['reason'] === 'string' ? ctx.inputs['reason'] : null;
      return [{ type: 'deadlineChanged', dueAt: draft.clock.dueAt, reason, kind: 'apology' }];
    }
    case 'grantExtraTime': {
      const left = extraTimeLeft(ctx.def, draft);
      const asked = ctx.inputs['days'];
      // Without "days" the whole lawful extra time left is granted; never more than the law allows.
      const days = typeof asked === 'number' ? Math.min(asked, left) : left;
      if (days <= 0) return [];
      draft.clock = grantExtraTime(draft.clock, days, ctx.calendar);
      const reason = typeof ctx.inputs['reason'] === 'string' ? ctx.inputs['reason'] : null;
      return [{ type: 'deadlineChanged', dueAt: draft.clock.dueAt, reason, kind: 'extra-time' }];
    }
    case 'requestPayment':
      return [{ type: 'requestPayment', fees: feesDue(ctx.def, spec.fees, ctx.scope, draft.parameters) }];
    case 'returnResult':
      return [{ type: 'returnResult', via: draft.routing.returnVia, unit: draft.routing.returnUnit }];
    case 'signResult':
      return [{ type: 'signResult', step: ctx.step, unit: draft.routing.competent, seal: spec.seal !== false, ...(spec.title ? { title: spec.title } : {}), ...(spec.paperType ? { paperType: spec.paperType } : {}) }];
  }
}

/** Working days of lawful extra time the dossier may still be granted (0 when the procedure grants none). */
export function extraTimeLeft(def: ProcedureDefinition, snapshot: DossierSnapshot): number {
  const max = def.catalog.extraTime?.days ?? 0;
  return Math.max(0, max - (snapshot.clock.extraTimeDays ?? 0));
}

/** Reads a linked dossier's outcome from a system action's inputs. */
export function outcomeInput(inputs: { [key: string]: unknown }): Outcome | null {
  const o = inputs['outcome'];
  return typeof o === 'string' && OUTCOMES.has(o) ? (o as Outcome) : null;
}
