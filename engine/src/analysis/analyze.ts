/**
 * `analyze`: everything the designer and the publishing check want to know about one
 * definition, in one report.
 */
import type { ProcedureDefinition } from '../definition/types';
import { actorFindings } from './actors';
import { finding, formatNumber, quoteList } from './codes';
import { buildGraph, type ProcedureGraph } from './graph';
import { measure } from './metrics';
import { outcomeFindings } from './outcomes';
import { hoursPerDayOf, legalDays, longestSlaPath } from './sla';
import { reachableSteps, structureFindings } from './structure';
import type { AnalysisFinding, AnalysisOptions, AnalysisReport, SlaPathSummary } from './types';

/**
 * The SLA budget the longest path must fit in. The same working day (`{ days: 0 }`) still
 * leaves one working day of hours, or every same-day procedure with hour SLAs would warn.
 */
function slaFinding(g: ProcedureGraph, longest: SlaPathSummary | null, hoursPerDay: number): AnalysisFinding[] {
  const deadline = g.def.catalog?.legalDeadline;
  if (!longest || deadline === undefined || deadline === null) return [];
  const legal = legalDays(deadline, hoursPerDay);
  const budget = legal > 0 ? legal : 1;
  if (longest.workingDays <= budget) return [];
  const legalVi = legal > 0 ? `${formatNumber(legal, 'vi')} ngày làm việc` : 'trong ngày làm việc';
  const legalEn = legal > 0 ? `${formatNumber(legal, 'en')} working days` : 'the same working day';
  return [finding('AN_SLA_EXCEEDS_LEGAL', '/catalog/legalDeadline',
    `Tổng thời hạn các bước trên đường dài nhất (${quoteList(longest.steps)}) là ${formatNumber(longest.workingDays, 'vi')} ngày làm việc, vượt thời hạn giải quyết theo quy định (${legalVi})`,
    `Step SLAs along the longest path (${quoteList(longest.steps)}) add up to ${formatNumber(longest.workingDays, 'en')} working days, more than the legal deadline (${legalEn})`)];
}

/** Analyses a definition that passed validation: findings, metrics and SLA paths; pure, never throws. */
export function analyze(def: ProcedureDefinition, options: AnalysisOptions = {}): AnalysisReport {
  const hoursPerDay = hoursPerDayOf(options.hoursPerDay);
  const g = buildGraph(def);
  const reached = reachableSteps(g);
  const { metrics, slaHappyPath } = measure(g, { ...options, hoursPerDay });
  const slaLongestPath = longestSlaPath(g, hoursPerDay);
  const findings = [
    ...structureFindings(g, reached),
    ...actorFindings(g),
    ...outcomeFindings(g),
    ...slaFinding(g, slaLongestPath, hoursPerDay),
  ];
  if (metrics.happyPath === null && g.initial !== null) {
    findings.push(finding('AN_NO_HAPPY_PATH', '',
      'Không có đường xử lý thuận: không chuỗi thao tác tiến tới (intent "proceed") nào dẫn từ bước bắt đầu tới bước kết thúc có kết quả "approved"',
      'No happy path: no chain of forward actions (intent "proceed") leads from the initial step to a final step with outcome "approved"'));
  }
  return { ok: !findings.some((f) => f.severity === 'error'), findings, metrics, slaLongestPath, slaHappyPath };
}
