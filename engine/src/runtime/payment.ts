import type { CompiledProcedure } from '../compile/compile';
import type { DossierSnapshot } from './types';

/**
 * The action that moves a dossier on once its fees are paid: on an active step of kind
 * "payment", the first action taken by the system (role "system"). The server takes it,
 * as the system, when the payment provider's notification of a successful payment is
 * verified; null when no payment step waits (fees asked at the desk's acceptance, as the
 * shipped procedures do: the payment is then recorded beside the dossier, not as a step). Pure.
 */
export function paymentAction(proc: CompiledProcedure, snapshot: DossierSnapshot): { step: string; action: string } | null {
  if (snapshot.status === 'done') return null;
  for (const a of snapshot.active) {
    const step = proc.steps.get(a.step)?.def;
    if (step?.kind !== 'payment') continue;
    const action = (step.actions ?? []).find((x) => (x.role ?? step.role) === 'system');
    if (action) return { step: step.id, action: action.id };
  }
  return null;
}
