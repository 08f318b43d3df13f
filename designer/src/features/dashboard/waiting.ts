/**
 * Steps where the clock waits for the citizen (kind `wait-citizen`) are not the agency's
 * bottlenecks: the bottleneck view leaves them out unless asked. The bottleneck answer
 * carries no step kind, so kinds come from the procedures' public descriptions. Pure.
 */

interface StepLike {
  id: string;
  kind: string;
  branches?: { steps: unknown[] }[];
}

/** Keys "procedureId/stepId" of the waiting steps of the procedures given (branches included). */
export function waitingStepKeys(procedures: readonly { id: string; steps: readonly StepLike[] }[]): Set<string> {
  const out = new Set<string>();
  const walk = (procedureId: string, steps: readonly StepLike[]): void => {
    for (const s of steps) {
      if (s.kind === 'wait-citizen') out.add(`${procedureId}/${s.id}`);
      // Branch steps have the same shape as the top-level ones.
      for (const b of s.branches ?? []) walk(procedureId, b.steps as StepLike[]);
    }
  };
  for (const p of procedures) walk(p.id, p.steps);
  return out;
}

/** The steps without the waiting ones. */
export function withoutWaiting<T extends { procedureId: string; step: string }>(steps: readonly T[], waiting: ReadonlySet<string>): T[] {
  return steps.filter((s) => !waiting.has(`${s.procedureId}/${s.step}`));
}
