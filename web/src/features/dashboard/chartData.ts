/**
 * Shapes the server's statistics into what the charts and the export links need. Pure:
 * no React, no fetching; labels in the current language are passed in.
 */
import type { paths } from '../../api/client';

export type Report = paths['/api/stats/report']['get']['responses'][200]['content']['application/json'];
export type ReportRow = Report['rows'][number];
export type ReportCounts = Report['total'];
export type Bottlenecks = paths['/api/stats/bottlenecks']['get']['responses'][200]['content']['application/json'];
export type BottleneckStep = Bottlenecks['steps'][number];
export type Summary = paths['/api/stats/summary']['get']['responses'][200]['content']['application/json'];

/** What the report is asked for; the same parameters serve the table and the exports. */
export interface ReportParams {
  unit: string;
  children: boolean;
  from: string;
  to: string;
  groupBy: 'field' | 'procedure' | 'unit';
}

/** A rate (0–1) as a percentage with one decimal, or null when there is nothing to rate. */
export function percent(rate: number | null | undefined): number | null {
  if (rate == null || !Number.isFinite(rate)) return null;
  return Math.round(rate * 1000) / 10;
}

/** Cuts a long field or procedure name for an axis tick; the table keeps the full text. */
export function shortLabel(label: string, max = 28): string {
  const clean = label.trim();
  return clean.length <= max ? clean : `${clean.slice(0, max - 1).trimEnd()}…`;
}

export interface ResolvedBar {
  label: string;
  fullLabel: string;
  early: number;
  onTime: number;
  late: number;
}

/** One stacked bar per group: resolved early / on time / late; groups with nothing resolved are left out. */
export function resolvedBars(rows: readonly ReportRow[]): ResolvedBar[] {
  return rows
    .filter((r) => r.resolved.total > 0)
    .map((r) => ({ label: shortLabel(r.label), fullLabel: r.label, early: r.resolved.early, onTime: r.resolved.onTime, late: r.resolved.late }));
}

export interface Slice {
  key: 'online' | 'direct' | 'postal';
  value: number;
}

/** New dossiers of the period by channel (carried over excluded: they were counted when received); empty channels dropped. */
export function channelSlices(counts: ReportCounts): Slice[] {
  const all: Slice[] = [
    { key: 'online', value: counts.received.online },
    { key: 'direct', value: counts.received.direct },
    { key: 'postal', value: counts.received.postal },
  ];
  return all.filter((s) => s.value > 0);
}

export interface RateBar {
  label: string;
  fullLabel: string;
  rate: number;
  resolved: number;
}

/** On-time rate (%) per group that resolved something, lowest first so the weak groups stand out. */
export function onTimeBars(rows: readonly ReportRow[]): RateBar[] {
  const out: RateBar[] = [];
  for (const r of rows) {
    const rate = percent(r.onTimeRate);
    if (rate === null) continue;
    out.push({ label: shortLabel(r.label), fullLabel: r.label, rate, resolved: r.resolved.total });
  }
  return out.sort((a, b) => a.rate - b.rate || b.resolved - a.resolved);
}

export interface StepBar {
  key: string;
  label: string;
  /** The whole name with the procedure's code, for the tooltip (codes are for systems). */
  fullLabel: string;
  step: string;
  procedure: string;
  days: number;
  latePercent: number;
  count: number;
}

/**
 * Steps as the bottleneck view lists them: "step name · procedure name" (its code in the tooltip), average working
 * days, late share in %. Kept in the server's order (worst first); `limit` for the chart.
 */
export function stepBars(steps: readonly BottleneckStep[], stepName: (s: BottleneckStep) => string, limit = Infinity): StepBar[] {
  return steps.slice(0, limit).map((s) => {
    const step = stepName(s) || s.step;
    const procedure = s.procedureCode ?? s.procedureId;
    const name = s.procedureName ?? procedure;
    return {
      key: `${s.procedureId}/${s.step}`,
      label: shortLabel(`${step} · ${name}`, 52),
      fullLabel: `${step} · ${name} (${procedure})`,
      step,
      procedure,
      days: s.averageWorkingDays,
      latePercent: percent(s.lateShare) ?? 0,
      count: s.count,
    };
  });
}

/** The URL of the report as a file (XLSX or CSV) with the same parameters as the table on screen. */
export function exportPath(p: ReportParams, format: 'xlsx' | 'csv' | 'pdf', lang: 'vi' | 'en'): string {
  const q = new URLSearchParams({
    unit: p.unit, children: String(p.children), from: p.from, to: p.to, groupBy: p.groupBy, format, lang,
  });
  return `/api/stats/report?${q.toString()}`;
}
