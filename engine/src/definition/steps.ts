/**
 * One walk over a step tree, for every caller that needs "all steps, parallel branch steps
 * included": the authored definition and the public catalog's copy of it have the same tree.
 */

/** A step that may hold parallel branches of further steps. */
export interface BranchingStep<S> {
  branches?: readonly { steps: readonly S[] }[];
}

/** One step met by the walk, with its JSON pointer and the parallel step that encloses it. */
export interface StepVisit<S> {
  step: S;
  /** JSON pointer from the definition root, e.g. `/steps/2/branches/0/steps/1`. */
  pointer: string;
  /** The enclosing parallel step, null at top level. */
  parent: S | null;
  /** JSON pointer of the branch the step sits in, "" at top level. */
  branchPointer: string;
}

/** Every step in document order, each parallel step followed by its branches' steps; pure. */
export function walkSteps<S extends BranchingStep<S>>(steps: readonly S[], base = '/steps'): StepVisit<S>[] {
  const out: StepVisit<S>[] = [];
  const visit = (list: readonly S[], at: string, parent: S | null, branchPointer: string): void => {
    list.forEach((step, i) => {
      const pointer = `${at}/${i}`;
      out.push({ step, pointer, parent, branchPointer });
      (step.branches ?? []).forEach((b, j) => visit(b.steps, `${pointer}/branches/${j}/steps`, step, `${pointer}/branches/${j}`));
    });
  };
  visit(steps, base, null, '');
  return out;
}

/** Every step of a tree, parallel branch steps included, in document order; pure. */
export function allSteps<S extends BranchingStep<S>>(steps: readonly S[]): S[] {
  return walkSteps(steps).map((v) => v.step);
}

/** The first step with this id anywhere in the tree (ids are unique across branches); pure. */
export function findStep<S extends BranchingStep<S> & { id: string }>(steps: readonly S[], id: string): S | undefined {
  return allSteps(steps).find((s) => s.id === id);
}
