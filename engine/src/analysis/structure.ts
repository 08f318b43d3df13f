/**
 * Structural findings: steps nothing reaches, steps nothing leaves, loops with no way out,
 * parallel branches that never join, routes that may match nothing, hand-offs that never
 * come back.
 */
import { defaultUnit } from '../compile/compile';
import type { ActionDefinition, RouteBranch, StepDefinition } from '../definition/types';
import { finding, quoteList } from './codes';
import { branchFinals, isTopFinal, listOf, movesFrom, type MoveKind, type ProcedureGraph, type StepNode } from './graph';
import { unitKey } from './metrics';
import { canFinish, components, loopsOnItself, PROGRESS_MOVES, reachable } from './reach';
import type { AnalysisFinding } from './types';

const ALL_MOVES: readonly MoveKind[] = ['action', 'timeout', 'global', 'enter', 'next'];
const FLOW_MOVES: readonly MoveKind[] = [...PROGRESS_MOVES, 'enter', 'next'];

/** Steps the initial step can reach by any move, global actions included; empty when `initial` does not resolve. */
export function reachableSteps(g: ProcedureGraph): Set<string> {
  return g.initial === null ? new Set() : reachable(g, [g.initial], ALL_MOVES);
}

function unreachable(g: ProcedureGraph, reached: Set<string>): AnalysisFinding[] {
  if (g.initial === null) return [];
  // Inside a parallel step nothing reaches, only the parallel step itself is worth reporting.
  return [...g.nodes.values()]
    .filter((n) => !reached.has(n.id) && (n.parallel === null || reached.has(n.parallel)))
    .map((n) => finding('AN_UNREACHABLE_STEP', n.path,
      `Bước "${n.id}" không thể đạt tới từ bước bắt đầu "${g.initial ?? ''}"`,
      `Step "${n.id}" cannot be reached from the initial step "${g.initial ?? ''}"`));
}

/** A timeout whose action resolves nowhere is given the benefit of the doubt: the sweeper may still move the dossier. */
function hasOpaqueTimeout(g: ProcedureGraph, step: StepDefinition): boolean {
  const name = step.timeout?.action;
  if (name === undefined) return false;
  return !listOf(step.actions).some((a) => a?.id === name) && !listOf(g.def.globalActions).some((a) => a?.id === name);
}

/** Whether a non-final step has a move of its own (global actions aside) to another step. */
function isDeadEnd(g: ProcedureGraph, n: StepNode): boolean {
  if (n.step.kind === 'final') return false;
  const moves = movesFrom(g, n.id, [...PROGRESS_MOVES, 'next']);
  return !moves.some((m) => m.to !== n.id) && !hasOpaqueTimeout(g, n.step);
}

function deadEnds(g: ProcedureGraph): AnalysisFinding[] {
  return [...g.nodes.values()].filter((n) => isDeadEnd(g, n)).map((n) => finding('AN_DEAD_END', n.path,
    `Bước "${n.id}" không có thao tác, hẹn giờ hay bước tiếp theo nào chuyển hồ sơ đi: hồ sơ sẽ bị kẹt tại đây`,
    `Step "${n.id}" has no action, timeout or next step that moves the dossier on: it would be stuck here`));
}

function noWayOut(g: ProcedureGraph, reached: Set<string>): AnalysisFinding[] {
  const finishes = canFinish(g);
  const loops = components(g, reached);
  const aside = listOf(g.def.globalActions).length > 0;
  const asideVi = aside ? ' (không kể các thao tác chung như rút hồ sơ)' : '';
  const asideEn = aside ? ' (global actions such as withdrawal aside)' : '';
  return [...g.nodes.values()]
    .filter((n) => reached.has(n.id) && n.step.kind !== 'final' && !finishes.has(n.id) && !isDeadEnd(g, n))
    .map((n) => {
      const members = loops.get(n.id) ?? [n.id];
      const inLoop = members.length > 1 || loopsOnItself(g, n.id);
      const loopVi = inLoop ? `; vòng lặp không lối ra: ${quoteList(members)}` : '';
      const loopEn = inLoop ? `; loop with no way out: ${quoteList(members)}` : '';
      return finding('AN_NO_WAY_OUT', n.path,
        `Từ bước "${n.id}" hồ sơ không thể tới bước kết thúc nào${asideVi}${loopVi}`,
        `From step "${n.id}" the dossier can never reach a final step${asideEn}${loopEn}`);
    });
}

function branchesWithoutFinal(g: ProcedureGraph): AnalysisFinding[] {
  const found: AnalysisFinding[] = [];
  for (const [pid, infos] of g.branches) {
    for (const b of infos) {
      const seen = b.initial === null ? new Set<string>() : reachable(g, [b.initial], FLOW_MOVES);
      if (branchFinals(g, b).some((f) => seen.has(f))) continue;
      found.push(finding('AN_BRANCH_WITHOUT_FINAL', b.path,
        `Nhánh "${b.branch.id}" của bước song song "${pid}" không tới được bước kết thúc nào của nhánh, nên bước song song không bao giờ hoàn thành`,
        `Branch "${b.branch.id}" of parallel step "${pid}" reaches none of its final steps, so the parallel step never completes`));
    }
  }
  return found;
}

function isOpenRoute(target: string | RouteBranch[] | undefined): boolean {
  return Array.isArray(target) && target.length > 0 && target.every((b) => b?.when !== undefined);
}

function routesWithoutElse(g: ProcedureGraph): AnalysisFinding[] {
  const found: AnalysisFinding[] = [];
  const check = (stepId: string | null, a: ActionDefinition | undefined, path: string): void => {
    if (!a || !isOpenRoute(a.target)) return;
    found.push(finding('AN_ROUTE_WITHOUT_ELSE', `${path}/target`,
      `Thao tác "${a.id}" ${stepId === null ? 'chung' : `tại bước "${stepId}"`} không có nhánh mặc định (không điều kiện): nếu không điều kiện nào đúng, hồ sơ không đi tiếp`,
      `${stepId === null ? 'Global action' : 'Action'} "${a.id}"${stepId === null ? '' : ` of step "${stepId}"`} has no default route (one without a condition): when no condition holds, the dossier goes nowhere`));
  };
  for (const n of g.nodes.values()) {
    listOf(n.step.actions).forEach((a, k) => check(n.id, a, `${n.path}/actions/${k}`));
    if (n.step.kind === 'parallel' && isOpenRoute(n.step.next)) {
      found.push(finding('AN_ROUTE_WITHOUT_ELSE', `${n.path}/next`,
        `Bước tiếp theo của bước song song "${n.id}" không có nhánh mặc định: nếu không điều kiện nào đúng, hồ sơ không đi tiếp`,
        `The next step of parallel step "${n.id}" has no default route: when no condition holds, the dossier goes nowhere`));
    }
  }
  listOf(g.def.globalActions).forEach((a, k) => check(null, a, `/globalActions/${k}`));
  return found;
}

function finalsWithoutOutcome(g: ProcedureGraph): AnalysisFinding[] {
  return [...g.nodes.values()].filter((n) => isTopFinal(n) && n.step.outcome === undefined).map((n) => finding('AN_FINAL_WITHOUT_OUTCOME', n.path,
    `Bước kết thúc "${n.id}" không nêu kết quả của hồ sơ (outcome)`,
    `Final step "${n.id}" does not say how the dossier ended (outcome)`));
}

/** Whether the dossier is back at the desk here: a return step, a receiving or return unit, or a `returnResult` effect. */
function bringsBack(step: StepDefinition): boolean {
  if (step.kind === 'final') return false;
  if (step.kind === 'return-result') return true;
  const unit = unitKey(defaultUnit(step));
  if (unit === 'receiving' || unit === 'return') return true;
  const effects = [...listOf(step.onEnter), ...listOf(step.actions).flatMap((a) => listOf(a?.effects))];
  return effects.some((e) => e?.type === 'returnResult');
}

function handoffs(g: ProcedureGraph): AnalysisFinding[] {
  const found: AnalysisFinding[] = [];
  for (const n of g.nodes.values()) {
    if (n.step.kind !== 'handoff') continue;
    const h = n.step.handoff;
    if (!h || typeof h.procedure !== 'string' || h.procedure === '' || unitKey(h.unit) === null) {
      found.push(finding('AN_HANDOFF_WITHOUT_TARGET', n.path,
        `Bước liên thông "${n.id}" không nêu thủ tục và đơn vị nhận liên thông`,
        `Hand-off step "${n.id}" names no procedure and unit to hand the dossier off to`));
    }
    const after = movesFrom(g, n.id, [...PROGRESS_MOVES, 'next']).map((m) => m.to).filter((id) => id !== n.id);
    const seen = reachable(g, after, FLOW_MOVES);
    if ([...seen].some((id) => { const s = g.nodes.get(id)?.step; return s !== undefined && bringsBack(s); })) continue;
    found.push(finding('AN_HANDOFF_WITHOUT_RETURN', n.path,
      `Sau bước liên thông "${n.id}", hồ sơ không quay về bộ phận tiếp nhận hay bước trả kết quả nào`,
      `After hand-off step "${n.id}" the dossier never comes back to the receiving desk or a result-return step`));
  }
  return found;
}

/** Structural findings of a step graph; pure. */
export function structureFindings(g: ProcedureGraph, reached: Set<string>): AnalysisFinding[] {
  return [
    ...unreachable(g, reached),
    ...deadEnds(g),
    ...noWayOut(g, reached),
    ...branchesWithoutFinal(g),
    ...routesWithoutElse(g),
    ...finalsWithoutOutcome(g),
    ...handoffs(g),
  ];
}
