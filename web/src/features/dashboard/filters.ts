/**
 * The dashboard's filters live in the URL (?unit=…&children=1&period=lastQuarter&groupBy=procedure&view=bottlenecks)
 * so a report can be bookmarked, shared, and the Back button undoes a change. Pure.
 */
import { parsePreset, resolvePeriod, type Period, type PeriodPreset } from './period';
import type { UnitOption } from './units';

export type View = 'report' | 'bottlenecks' | 'desk' | 'catalogue';
export type GroupBy = 'field' | 'procedure' | 'unit';
const VIEW_NAMES: readonly View[] = ['report', 'bottlenecks', 'desk', 'catalogue'];
const GROUPS: readonly GroupBy[] = ['field', 'procedure', 'unit'];

export interface Filters {
  unit: string | null;
  children: boolean;
  preset: PeriodPreset;
  customFrom: string;
  customTo: string;
  groupBy: GroupBy;
  view: View;
}

/** Reads the filters; an unknown or missing unit falls back to the first readable one. */
export function readFilters(params: URLSearchParams, units: readonly UnitOption[]): Filters {
  const wanted = params.get('unit');
  const unit = units.find((u) => u.code === wanted) ?? units[0] ?? null;
  const childrenParam = params.get('children');
  return {
    unit: unit?.code ?? null,
    // Counting the subtree is the natural default where it is allowed.
    children: !!unit?.subtree && childrenParam !== '0',
    preset: parsePreset(params.get('period')),
    customFrom: params.get('from') ?? '',
    customTo: params.get('to') ?? '',
    groupBy: GROUPS.find((g) => g === params.get('groupBy')) ?? 'field',
    view: VIEW_NAMES.find((v) => v === params.get('view')) ?? 'report',
  };
}

/** Writes the filters back, leaving defaults out so URLs stay short. */
export function writeFilters(f: Filters): URLSearchParams {
  const p = new URLSearchParams();
  if (f.unit) p.set('unit', f.unit);
  if (!f.children) p.set('children', '0');
  if (f.preset !== 'quarter') p.set('period', f.preset);
  if (f.preset === 'custom') {
    if (f.customFrom) p.set('from', f.customFrom);
    if (f.customTo) p.set('to', f.customTo);
  }
  if (f.groupBy !== 'field') p.set('groupBy', f.groupBy);
  if (f.view !== 'report') p.set('view', f.view);
  return p;
}

/** The period the filters stand for today, or null while a custom date is incomplete. */
export function filterPeriod(f: Filters, today: string): Period | null {
  return resolvePeriod(f.preset, today, { from: f.customFrom, to: f.customTo });
}
