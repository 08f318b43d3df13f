/**
 * Final outcomes that contradict the action reaching them: a leader's refusal (intent
 * `refuse`) that ends in a final step with outcome `approved`, a withdrawal that ends as
 * `stopped`, an action that sets one outcome and ends in a final step of another. The result
 * the citizen receives and the report's counts follow the final step's outcome, so such a
 * definition records a refusal as a grant (form II.06a would count it as resolved in favour).
 *
 * From the action's targets the walk follows only steps that hand the result back without
 * deciding anything (`return-result`): a task or an approval may overrule what was proposed
 * (a specialist's proposed rejection goes to a leader who may still approve), so reaching an
 * `approved` final step through one of them is lawful.
 */
import type { ActionDefinition, ActionIntent, Outcome } from '../definition/types';
import { finding } from './codes';
import { isTopFinal, listOf, type ProcedureGraph } from './graph';
import type { AnalysisFinding } from './types';

/** The outcomes an intent may end in; intents absent here may end anywhere. */
const OUTCOMES_OF: { [i in ActionIntent]?: readonly Outcome[] } = {
  refuse: ['refused', 'rejected'],
  withdraw: ['withdrawn'],
  stop: ['stopped'],
};

function setOutcome(action: ActionDefinition): Outcome | null {
  for (const e of listOf(action.effects)) if (e && e.type === 'setOutcome') return e.outcome;
  return null;
}

/** Top-level final steps reached from `start` through result-returning steps only. */
function finalsReached(g: ProcedureGraph, start: string[]): string[] {
  const seen = new Set<string>();
  const finals: string[] = [];
  const queue = [...start];
  while (queue.length > 0) {
    const id = queue.shift()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const node = g.nodes.get(id);
    if (!node) continue;
    if (isTopFinal(node)) { finals.push(id); continue; }
    if (node.step.kind !== 'return-result') continue;
    for (const m of g.out.get(id) ?? []) if (m.kind === 'action') queue.push(m.to);
  }
  return finals;
}

/** One finding per action and contradicting final step; pure. */
export function outcomeFindings(g: ProcedureGraph): AnalysisFinding[] {
  const out: AnalysisFinding[] = [];
  const reported = new Set<string>();
  for (const [from, moves] of g.out) {
    // Group the moves of one action: its routes are separate moves with one path.
    for (const m of moves) {
      const action = m.action;
      if (!action || (m.kind !== 'action' && m.kind !== 'global')) continue;
      const allowed = OUTCOMES_OF[action.intent ?? 'proceed'];
      const set = setOutcome(action);
      if (!allowed && !set) continue;
      for (const final of finalsReached(g, [m.to])) {
        const outcome = g.nodes.get(final)?.step.outcome;
        if (outcome === undefined) continue;
        const contradicts = (allowed && !allowed.includes(outcome)) || (set !== null && set !== outcome);
        const key = `${m.path}\u0000${final}`;
        if (!contradicts || reported.has(key)) continue;
        reported.add(key);
        const expected = set !== null ? `"${set}"` : (allowed ?? []).map((o) => `"${o}"`).join(' / ');
        const why = set !== null ? `đặt kết quả "${set}"` : `có ý định "${action.intent}"`;
        const whyEn = set !== null ? `sets the outcome "${set}"` : `has intent "${action.intent}"`;
        out.push(finding('AN_OUTCOME_CONTRADICTS_INTENT', m.path,
          `Thao tác "${action.id}" tại bước "${from}" ${why} nhưng dẫn tới bước kết thúc "${final}" có kết quả "${outcome}" (cần ${expected}): hồ sơ bị từ chối sẽ được ghi nhận là giải quyết`,
          `Action "${action.id}" at step "${from}" ${whyEn} but reaches final step "${final}" with outcome "${outcome}" (expected ${expected}): a refused dossier would be recorded as granted`));
      }
    }
  }
  return out;
}
