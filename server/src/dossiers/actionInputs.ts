/**
 * What every route that takes an action (the officer's, the bulk one, the preview, the
 * applicant's) does to the action's inputs around the engine: text trimmed before the engine
 * sees it, and the engine's refusals pointed into the request body.
 */
import { HttpError, type Issue } from '../http/errors';

/**
 * Strings trimmed, in objects and arrays too (what was typed into the action's form): a
 * reason of spaces alone is then empty and the action's schema (minLength) refuses it; a
 * reason given is kept without the spaces typed around it.
 */
export function trimmed(v: unknown): unknown {
  if (typeof v === 'string') return v.trim();
  if (Array.isArray(v)) return v.map(trimmed);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, trimmed(x)]));
  return v;
}

/** The action's inputs, trimmed (see {@link trimmed}). */
export const trimmedInputs = (inputs: { [k: string]: unknown } | undefined): { [k: string]: unknown } =>
  trimmed(inputs ?? {}) as { [k: string]: unknown };

// The engine's refusals whose issues point into the action's inputs: a bad input, extra time
// asked beyond the law (`/days`), a hand-off unit named by an input (`/previousCommune`).
const INTO_INPUTS = new Set(['ACTION_INPUT_INVALID', 'ACTION_LIMIT_REACHED', 'HANDOFF_UNIT_INVALID']);

/**
 * Whether an issue of `code` at `path` points elsewhere than the inputs, so is kept as it is: a
 * hand-off unit read from data the action did not give points at `/data/…` (the engine's
 * pointerOfRule), the dossier's own data, which is not in this body; one given by an expression
 * that reads no single field has no pointer (""). An input named `data` keeps its pointer into
 * the inputs when it was given.
 */
const notIntoInputs = (code: string, path: string, inputs: { [k: string]: unknown }): boolean =>
  code === 'HANDOFF_UNIT_INVALID' && (path === '' || ((path === '/data' || path.startsWith('/data/')) && !Object.hasOwn(inputs, 'data')));

/**
 * The error with the pointers of the engine's refusals of the inputs (ACTION_INPUT_INVALID,
 * ACTION_LIMIT_REACHED, HANDOFF_UNIT_INVALID) re-rooted at `inputsAt`, where the inputs sit in
 * the request body (`/inputs`, `/items/3/inputs`): the engine points into the inputs alone,
 * the house rule is a pointer into the body. A hand-off's pointer into the dossier's data is
 * kept as it is; any other error is returned as is.
 */
export function pointedIntoBody(e: unknown, inputsAt: string, inputs: { [k: string]: unknown } = {}): unknown {
  if (!(e instanceof HttpError) || !INTO_INPUTS.has(e.code) || !e.issues) return e;
  const rooted = (path: string): string => (notIntoInputs(e.code, path, inputs) ? path : `${inputsAt}${path === '/' || path === '' ? '' : path}`);
  return new HttpError(e.status, e.code, e.messages, e.issues.map((i) => ({ ...i, path: rooted(i.path) })), e.details);
}

/** Runs an action's work, its refusals of `inputs` pointing into the body at `inputsAt` (see {@link pointedIntoBody}). */
export async function withInputsAt<T>(inputsAt: string, inputs: { [k: string]: unknown } | undefined, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw pointedIntoBody(e, inputsAt, inputs ?? {});
  }
}

/**
 * The issues of item `i`'s refusal in a bulk body (`/items/<i>/…`), as the single action would
 * answer them rooted at the item: the engine's at `/items/<i>/inputs/…` (see
 * {@link pointedIntoBody}), others (INPUT_TOO_LONG at `/inputs/reason`) under `/items/<i>`.
 */
export function itemIssues(e: HttpError, i: number, inputs: { [k: string]: unknown } | undefined): Issue[] | undefined {
  if (INTO_INPUTS.has(e.code)) return (pointedIntoBody(e, `/items/${i}/inputs`, inputs ?? {}) as HttpError).issues;
  return e.issues?.map((x) => ({ ...x, path: `/items/${i}${x.path}` }));
}
