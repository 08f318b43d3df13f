import { validateDefinition } from '../definition/validate';
import type { ProcedureDefinition } from '../definition/types';
import { DefinitionError } from '../runtime/errors';
import { compileUnchecked, type CompiledProcedure } from './compile';

export { compileUnchecked, GLOBAL_STEP, actionKey, actionInfo, eventTypeOf, type CompiledProcedure, type StepInfo, type ActionInfo } from './compile';

/** Validates and compiles a definition; throws `DefinitionError` (with the issues) when it does not validate. */
export function compileProcedure(def: unknown): CompiledProcedure {
  const result = validateDefinition(def);
  if (!result.ok) {
    const first = result.issues.find((i) => i.severity !== 'warning');
    throw new DefinitionError(`Invalid procedure definition: ${first ? `${first.path} ${first.message.en}` : ''}`, result.issues);
  }
  return compileUnchecked(def as ProcedureDefinition);
}
