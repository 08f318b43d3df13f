export { analyze } from './analyze';
export { metrics } from './metrics';
export { diff, summarizeDeltas } from './diff';
export { FINDING_CODES, type FindingCode } from './codes';
export type {
  ActionChange,
  ActionRef,
  AnalysisFinding,
  AnalysisOptions,
  AnalysisReport,
  BranchPath,
  CitizenMetrics,
  DefinitionDiff,
  DefinitionMetrics,
  FindingSeverity,
  HappyPath,
  MetricDeltas,
  MetricsOptions,
  PathMove,
  SlaPathSummary,
  StepChange,
  StepRef,
  ValueChange,
} from './types';
