/**
 * What every route that takes an action (the officer's, the bulk one, the preview, the
 * applicant's) does to the action's inputs around the engine: text trimmed before the engine
 * sees it, and the engine's refusals pointed into the request body.
 */
import { HttpError } from '../http/errors';

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

/**
 * The error with the pointers of an ACTION_INPUT_INVALID re-rooted at `inputsAt`, where the
 * inputs sit in the request body (`/inputs`, `/items/3/inputs`): the engine points into the
 * inputs alone, the house rule is a pointer into the body. Any other error is returned as is.
 */
export function pointedIntoBody(e: unknown, inputsAt: string): unknown {
  if (!(e instanceof HttpError) || e.code !== 'ACTION_INPUT_INVALID' || !e.issues) return e;
  return new HttpError(e.status, e.code, e.messages, e.issues.map((i) => ({ ...i, path: `${inputsAt}${i.path === '/' ? '' : i.path}` })), e.details);
}

/** Runs an action's work, its ACTION_INPUT_INVALID pointing into the body at `inputsAt` (see {@link pointedIntoBody}). */
export async function withInputsAt<T>(inputsAt: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw pointedIntoBody(e, inputsAt);
  }
}
