// The shape of the periodic report "results of handling procedures" (form II.06a), as the
// server produces it. Counts are plain numbers so exports and the API share one model.

/** The figures of one row of form II.06a (a field, a procedure, or the total). */
export interface ReportCounts {
  /** Dossiers to handle in the period: `total` = carriedOver + online + direct + postal, as in the form. */
  received: { total: number; carriedOver: number; online: number; direct: number; postal: number };
  /** Dossiers whose result was returned: `total` = early + onTime + late. */
  resolved: { total: number; early: number; onTime: number; late: number };
  /** Dossiers still being handled at the end of the period: `total` = withinDeadline + overdue. */
  inProgress: { total: number; withinDeadline: number; overdue: number };
  /** Dossiers refused (form 03). */
  refused: number;
  /** Dossiers withdrawn by the citizen. */
  withdrawn: number;
  /** Apologies issued (form 04) in the period, for real lateness; lawful extra time is not counted. */
  apologies: number;
  /** (early + onTime) / resolved.total, null when nothing resolved */
  onTimeRate: number | null;
  /** (late in progress + late resolved) / (received new + carried over), null when 0 */
  lateRate: number | null;
  /** Citizens' ratings in the period; `average` is null when nobody rated. */
  satisfaction: { count: number; average: number | null };
}

/** One row of the report: the figures of one field or one procedure. */
export interface ReportRow extends ReportCounts {
  /** Field code or national procedure code. */
  key: string;
  /** Field or procedure name as shown on the form. */
  label: string;
}

/** The statistics report of one unit over one period, grouped by field or by procedure. */
export interface StatisticsReport {
  /** The reporting unit; `includesChildren` when its subordinate units are counted too. */
  unit: { code: string; name: string; includesChildren: boolean };
  /** Local dates "YYYY-MM-DD", both inclusive. */
  period: { from: string; to: string };
  /** What each row stands for. */
  groupBy: 'field' | 'procedure';
  /** One row per field or procedure, in the order they are to be printed. */
  rows: ReportRow[];
  /** The "Tổng cộng" row. */
  total: ReportCounts;
  /** ISO instant the report was computed at. */
  generatedAt: string;
}
