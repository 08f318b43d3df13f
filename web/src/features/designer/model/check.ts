/**
 * Live checking in the browser: the engine's validation, then (when the shape holds) its
 * analysis, merged into one list the designer shows and maps onto nodes and edges. Pure.
 */
// The engine's schema checks interpret (no eval under the CSP): installed before any runs.
import '../../../validation/engine';
import { analyze, validateDefinition, type AnalysisReport, type LocalizedText, type ProcedureDefinition } from '@motcua/engine';
import { edgeId, type Severity } from './graph';
import { locate } from './pointer';

export interface DesignerIssue {
  source: 'validation' | 'analysis';
  code: string;
  path: string;
  severity: Severity;
  message: LocalizedText;
}

export interface CheckResult {
  issues: DesignerIssue[];
  analysis: AnalysisReport | null;
  errors: number;
  warnings: number;
}

const rank: { [s in Severity]: number } = { error: 3, warning: 2, info: 1 };

export function checkDefinition(def: ProcedureDefinition): CheckResult {
  const validation = validateDefinition(def);
  const issues: DesignerIssue[] = validation.issues.map((i) => ({
    source: 'validation', code: i.code, path: i.path, severity: i.severity ?? 'error', message: i.message,
  }));
  let analysis: AnalysisReport | null = null;
  if (validation.ok) {
    analysis = analyze(def);
    issues.push(...analysis.findings.map((f) => ({ source: 'analysis' as const, code: f.code, path: f.path, severity: f.severity, message: f.message })));
  }
  issues.sort((a, b) => rank[b.severity] - rank[a.severity]);
  return {
    issues,
    analysis,
    errors: issues.filter((i) => i.severity === 'error').length,
    warnings: issues.filter((i) => i.severity === 'warning').length,
  };
}

/** Worst severity and count per step id, and worst severity per edge id (plain action edges). */
export function issueMarks(def: ProcedureDefinition, issues: readonly DesignerIssue[]): {
  steps: Map<string, { severity: Severity; count: number }>;
  edges: Map<string, Severity>;
} {
  const steps = new Map<string, { severity: Severity; count: number }>();
  const edges = new Map<string, Severity>();
  for (const i of issues) {
    if (i.severity === 'info') continue;
    const t = locate(def, i.path);
    const stepId = t.kind === 'step' ? t.step : t.kind === 'action' ? t.step : null;
    if (stepId !== null) {
      const prev = steps.get(stepId);
      const severity = prev && rank[prev.severity] >= rank[i.severity] ? prev.severity : i.severity;
      steps.set(stepId, { severity, count: (prev?.count ?? 0) + 1 });
    }
    if (t.kind === 'action') {
      const id = edgeId({ kind: 'action', step: t.step, action: t.action, route: null });
      const prev = edges.get(id);
      if (!prev || rank[prev] < rank[i.severity]) edges.set(id, i.severity);
    }
  }
  return { steps, edges };
}
