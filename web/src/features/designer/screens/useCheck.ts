/** Runs the engine's validation and analysis on the definition, debounced (~300 ms) so typing stays smooth. */
import { useEffect, useState } from 'react';
import type { ProcedureDefinition } from '@motcua/engine';
import { checkDefinition, type CheckResult } from '../model/check';

export function useCheck(def: ProcedureDefinition, delay = 300): { result: CheckResult; pending: boolean; checked: ProcedureDefinition } {
  const [state, setState] = useState<{ def: ProcedureDefinition; result: CheckResult }>(() => ({ def, result: checkDefinition(def) }));
  useEffect(() => {
    if (state.def === def) return undefined;
    const timer = setTimeout(() => setState({ def, result: checkDefinition(def) }), delay);
    return () => clearTimeout(timer);
  }, [def, delay, state.def]);
  return { result: state.result, pending: state.def !== def, checked: state.def };
}
