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

/** What a row of the report stands for. */
export type ReportGroupBy = 'field' | 'procedure' | 'unit';

/** One row of the report: the figures of one field, one procedure or one unit. */
export interface ReportRow extends ReportCounts {
  /** Field, national procedure code or unit code. */
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
  groupBy: ReportGroupBy;
  /** One row per field or procedure, in the order they are to be printed. */
  rows: ReportRow[];
  /** The "Tổng cộng" row. */
  total: ReportCounts;
  /** ISO instant the report was computed at. */
  generatedAt: string;
  /** What the submitted form prints around the table; absent, the export prints the table and title only. */
  form?: ReportForm;
}

/**
 * The parts of form II.06a around the table, as a unit submits it: who reports to whom, the
 * unit of measure, who prepared it and the head's signature block (Decree 30/2020/NĐ-CP).
 */
export interface ReportForm {
  /** "Đơn vị báo cáo". */
  reportingUnit: string;
  /** "Đơn vị nhận báo cáo": the body the report is sent to. */
  receivingUnit: string;
  /** "Đơn vị tính". */
  unitOfMeasure: string;
  /** The locality of the place line ("An Phú, ngày … tháng … năm …"). */
  place: string;
  /** Local date "YYYY-MM-DD" of the place line. */
  date: string;
  /** "Người lập biểu": the name, or null for a blank line to sign on. */
  preparer: string | null;
  /** The head's block: formula lines ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH") and the name under the signature. */
  signature: { lines: string[]; signer: string | null };
}
