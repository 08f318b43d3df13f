/** Naming the field a server issue points at, for an error box that reads as words. Pure. */

/** The field a JSON pointer names, in words ("Quyển số" for "/inputs/book"), when the caller's form knows it. */
export type LabelOf = (path: string | undefined) => string | undefined;

/** Whether JSON pointer `path` is `at` or inside it ("/inputs/documents/2" is inside "/inputs/documents"). */
export const isUnder = (path: string | undefined, at: string): boolean => path === at || (path ?? '').startsWith(`${at}/`);

/**
 * A {@link LabelOf} for a hand-made form: each field's pointer in the request body with its
 * label ({ '/inputs/reason': 'Lý do' }); an issue inside a field takes the field's label.
 */
export function labelsAt(labels: { readonly [pointer: string]: string }): LabelOf {
  return (path) => Object.entries(labels).find(([at]) => isUnder(path, at))?.[1];
}
