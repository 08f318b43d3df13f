/**
 * What the server does with each kind of engine `Effect`: one exhaustive `switch`, so a
 * new kind added to the engine fails the type check here until it is handled.
 */
import type { Effect } from '@motcua/engine';

export type SpawnEffect = Extract<Effect, { type: 'spawn' }>;
/** Effects an outside system hears of through the outbox (webhooks, the national portal). */
export type ExternalEffect = Extract<Effect, { type: 'notify' | 'returnResult' | 'requestPayment' | 'issueSlip' }>;
export type AssignEffect = Extract<Effect, { type: 'assign' }>;
export type SignResultEffect = Extract<Effect, { type: 'signResult' }>;

export interface EffectPlan {
  /** Linked dossiers to open at other units, in the same transaction. */
  spawns: SpawnEffect[];
  /** Written to the outbox with the commit. */
  external: ExternalEffect[];
  /** Steps to be held by a person of a role at a unit (persisted as the step's holder pool). */
  assigns: AssignEffect[];
  /** Results to sign and issue before the commit (../esign/service.ts); a refusal refuses the action. */
  signs: SignResultEffect[];
}

/** Sorts a transition's effects by what the server does with them. */
export function planEffects(effects: readonly Effect[]): EffectPlan {
  const plan: EffectPlan = { spawns: [], external: [], assigns: [], signs: [] };
  for (const e of effects) {
    switch (e.type) {
      case 'spawn':
        plan.spawns.push(e);
        break;
      case 'notify':
      case 'returnResult':
      case 'requestPayment':
      case 'issueSlip':
        plan.external.push(e);
        break;
      case 'assign':
        plan.assigns.push(e);
        break;
      case 'signResult':
        plan.signs.push(e);
        break;
      // The engine has already written these into the snapshot (outcome, clock, closure):
      // the row's columns follow from it.
      case 'setOutcome':
      case 'deadlineChanged':
      case 'clockPaused':
      case 'clockResumed':
      case 'dossierClosed':
        break;
      default: {
        const unhandled: never = e;
        throw new Error(`Unhandled engine effect ${JSON.stringify(unhandled)}`);
      }
    }
  }
  return plan;
}
