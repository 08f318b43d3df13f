/**
 * `analyze`: everything the designer and the publishing check want to know about one
 * definition, in one report.
 */
import type { LegalDeadline, ProcedureDefinition } from '../definition/types';
import { actorFindings } from './actors';
import { finding, formatNumber, quoteList } from './codes';
import { buildGraph, type ProcedureGraph } from './graph';
import { measure } from './metrics';
import { outcomeFindings } from './outcomes';
import { checkCasePaths, type CasePath, type CasePathReport } from './casePaths';
import { hoursPerDayOf, legalDays, longestSlaPath, weightOf } from './sla';
import { reachableSteps, structureFindings } from './structure';
import type { AnalysisFinding, AnalysisOptions, AnalysisReport, SlaPathSummary } from './types';

/** The legal time in words, e.g. "3 ngày làm việc" / "the same working day". */
function legalWords(legal: number): { vi: string; en: string } {
  return legal > 0
    ? { vi: `${formatNumber(legal, 'vi')} ngày làm việc`, en: `${formatNumber(legal, 'en')} working days` }
    : { vi: 'trong ngày làm việc', en: 'the same working day' };
}

/** Which case a route is judged in, for the message; empty when the legal time has no cases. */
function caseWords(g: ProcedureGraph, path: CasePath): { vi: string; en: string } {
  const cases = g.def.catalog?.legalDeadline?.cases ?? [];
  if (cases.length === 0) return { vi: '', en: '' };
  const named = path.cases.map((i) => {
    if (i < 0) return { vi: 'trường hợp thông thường', en: 'the ordinary case' };
    const note = cases[i]?.note;
    return { vi: `trường hợp ${i + 1}${note ? ` (${note.vi})` : ''}`, en: `case ${i + 1}${note ? ` (${note.en ?? note.vi})` : ''}` };
  });
  return { vi: `, ${named.map((n) => n.vi).join(' hoặc ')}`, en: `, ${named.map((n) => n.en).join(' or ')}` };
}

/**
 * Every route from the initial step to a final step must fit the legal time of its case
 * (`casePaths.ts`), loops of the normal flow taken once round. The same working day
 * (`{ days: 0 }`) still leaves one working day of hours, or every same-day procedure with
 * hour SLAs would warn.
 */
function slaFinding(g: ProcedureGraph, longest: SlaPathSummary | null, hoursPerDay: number): AnalysisFinding[] {
  const deadline = g.def.catalog?.legalDeadline;
  if (!longest || deadline === undefined || deadline === null) return [];
  const checked = checkCasePaths(g, hoursPerDay, (id) => weightOf(g, id, hoursPerDay, new Map()));
  return [...exceedsFinding(g, checked, deadline, longest, hoursPerDay), ...(checked.truncated ? [truncatedFinding(checked)] : [])];
}

/** The walk stopped at its bound: say so, or a clean result would read as every route checked. */
function truncatedFinding(checked: CasePathReport): AnalysisFinding {
  return finding('AN_SLA_PATHS_TRUNCATED', '/catalog/legalDeadline',
    `Quy trình có quá nhiều đường xử lý để so hết với thời hạn giải quyết theo quy định: việc kiểm tra đã dừng sau ${formatNumber(checked.paths, 'vi')} đường tới bước kết thúc, các đường còn lại chưa được xét (thường do nhiều bước chuyển qua lại lẫn nhau). Bớt các chuyển bước qua lại để mọi đường được kiểm tra`,
    `The workflow has too many routes to judge them all against the legal deadline: the check stopped after ${formatNumber(checked.paths, 'en')} routes to a final step and the others were not examined (usually many steps that move back and forth between each other). Fewer moves between steps let every route be checked`);
}

/** The route that overruns its legal time the most; when the walk was cut short, the acyclic longest path. */
function exceedsFinding(g: ProcedureGraph, checked: CasePathReport, deadline: LegalDeadline, longest: SlaPathSummary, hoursPerDay: number): AnalysisFinding[] {
  const worst = checked.worst;
  if (worst) {
    const legal = legalWords(worst.legalDays);
    const kase = caseWords(g, worst);
    const loopVi = worst.loop ? `; đường này quay lại bước "${worst.loop.to}" từ bước "${worst.loop.from}" một lần` : '';
    const loopEn = worst.loop ? `; this route goes back from step "${worst.loop.from}" to step "${worst.loop.to}" once` : '';
    const only = worst.cases.length === 1 && (worst.cases[0] ?? -1) >= 0 ? `/cases/${worst.cases[0]}` : '';
    return [finding('AN_SLA_EXCEEDS_LEGAL', `/catalog/legalDeadline${only}`,
      `Tổng thời hạn các bước trên đường dài nhất (${quoteList(worst.steps)}) là ${formatNumber(worst.workingDays, 'vi')} ngày làm việc, vượt thời hạn giải quyết theo quy định (${legal.vi}${kase.vi})${loopVi}`,
      `Step SLAs along the longest path (${quoteList(worst.steps)}) add up to ${formatNumber(worst.workingDays, 'en')} working days, more than the legal deadline (${legal.en}${kase.en})${loopEn}`)];
  }
  if (!checked.truncated) return [];
  // Too many routes to walk them all: the acyclic longest path against the longest legal time.
  const legalNow = Math.max(legalDays(deadline, hoursPerDay), ...(deadline.cases ?? []).map((c) => legalDays(c.days !== undefined ? { days: c.days } : { hours: c.hours ?? 0 }, hoursPerDay)));
  const budget = legalNow > 0 ? legalNow : 1;
  if (longest.workingDays <= budget) return [];
  const legal = legalWords(legalNow);
  return [finding('AN_SLA_EXCEEDS_LEGAL', '/catalog/legalDeadline',
    `Tổng thời hạn các bước trên đường dài nhất (${quoteList(longest.steps)}) là ${formatNumber(longest.workingDays, 'vi')} ngày làm việc, vượt thời hạn giải quyết theo quy định (${legal.vi})`,
    `Step SLAs along the longest path (${quoteList(longest.steps)}) add up to ${formatNumber(longest.workingDays, 'en')} working days, more than the legal deadline (${legal.en})`)];
}

/** The slips a unit's seal goes on when `settings.sealSlips` is set (server/src/esign/slips.ts). */
const SEALABLE_SLIPS: ReadonlySet<string> = new Set(['receipt', 'supplement-request', 'refusal']);

/** Whether any effect anywhere (steps, branches, actions, entry effects, global actions) issues a sealable slip. */
function issuesSealableSlip(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(issuesSealableSlip);
  if (node === null || typeof node !== 'object') return false;
  const o = node as { [k: string]: unknown };
  if (o['type'] === 'issueSlip' && typeof o['slip'] === 'string' && SEALABLE_SLIPS.has(o['slip'])) return true;
  return Object.values(o).some(issuesSealableSlip);
}

/** Sealed slips asked for where no slip 01–03 is ever issued: the setting would do nothing. */
function sealFinding(def: ProcedureDefinition): AnalysisFinding[] {
  // `analyze` never throws, even on a definition that does not resolve (null where objects belong).
  const d = def as Partial<ProcedureDefinition> | null;
  if (d?.settings?.sealSlips !== true || issuesSealableSlip([d.steps, d.globalActions])) return [];
  return [finding('AN_SEAL_WITHOUT_SLIP', '/settings/sealSlips',
    'Đã bật đóng dấu số phiếu nhưng quy trình không phát hành phiếu nào trong số phiếu 01 (tiếp nhận), 02 (yêu cầu bổ sung), 03 (từ chối): cài đặt này không có tác dụng',
    'Sealed slips are on but the workflow issues none of slips 01 (receipt), 02 (supplement request) or 03 (refusal): the setting does nothing')];
}

/**
 * A catalog without the field's national code: the portal sync sends the field's name as the
 * code rather than stopping (provinces that sync today keep syncing), so the gap is shown here.
 */
function fieldCodeFinding(def: ProcedureDefinition): AnalysisFinding[] {
  // `analyze` never throws, even when the catalog is not an object.
  const catalog = (def as Partial<ProcedureDefinition> | null)?.catalog as Partial<ProcedureDefinition['catalog']> | null | undefined;
  if (catalog === null || typeof catalog !== 'object') return [];
  if (typeof catalog.fieldCode === 'string' && catalog.fieldCode.trim() !== '') return [];
  return [finding('AN_FIELD_WITHOUT_CODE', '/catalog/fieldCode',
    'Chưa có mã lĩnh vực: Cổng Dịch vụ công quốc gia sẽ nhận tên lĩnh vực thay cho mã (MaLinhVuc). Điền mã lĩnh vực theo Cơ sở dữ liệu quốc gia về thủ tục hành chính',
    'No field code: the national public service portal will receive the field\'s name in place of its code (MaLinhVuc). Fill in the field code from the national database of administrative procedures')];
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
    ...sealFinding(def),
    ...fieldCodeFinding(def),
  ];
  if (metrics.happyPath === null && g.initial !== null) {
    findings.push(finding('AN_NO_HAPPY_PATH', '',
      'Không có đường xử lý thuận: không chuỗi thao tác tiến tới (intent "proceed") nào dẫn từ bước bắt đầu tới bước kết thúc có kết quả "approved"',
      'No happy path: no chain of forward actions (intent "proceed") leads from the initial step to a final step with outcome "approved"'));
  }
  return { ok: !findings.some((f) => f.severity === 'error'), findings, metrics, slaLongestPath, slaHappyPath };
}
