/**
 * The catalog's search and filters live in the URL (?q=khai sinh&field=Hộ tịch&page=2), so
 * a citizen can share a search and Back returns to it. Pure.
 */
import type { CatalogQuery } from './types';

export const PAGE_SIZE = 20;
const LEVELS = ['commune', 'province', 'central'] as const;
const ONLINE = ['full', 'partial', 'none'] as const;

export interface CatalogFilters {
  q: string;
  field: string;
  level: '' | (typeof LEVELS)[number];
  onlineLevel: '' | (typeof ONLINE)[number];
  nonGeographic: boolean;
  unit: string;
  page: number;
}

const oneOf = <T extends string>(list: readonly T[], v: string | null): T | '' => ((list as readonly string[]).includes(v ?? '') ? (v as T) : '');

export function readCatalog(params: URLSearchParams): CatalogFilters {
  const page = Number(params.get('page'));
  return {
    q: params.get('q') ?? '',
    field: params.get('field') ?? '',
    level: oneOf(LEVELS, params.get('level')),
    onlineLevel: oneOf(ONLINE, params.get('onlineLevel')),
    nonGeographic: params.get('nonGeographic') === '1',
    unit: params.get('unit') ?? '',
    page: Number.isInteger(page) && page > 1 ? page : 1,
  };
}

/** Back to the URL; any change other than the page starts again from page 1. */
export function writeCatalog(current: CatalogFilters, change: Partial<CatalogFilters>): URLSearchParams {
  const next = { ...current, ...change };
  if (!('page' in change)) next.page = 1;
  const p = new URLSearchParams();
  if (next.q.trim()) p.set('q', next.q.trim());
  if (next.field) p.set('field', next.field);
  if (next.level) p.set('level', next.level);
  if (next.onlineLevel) p.set('onlineLevel', next.onlineLevel);
  if (next.nonGeographic) p.set('nonGeographic', '1');
  if (next.unit.trim()) p.set('unit', next.unit.trim());
  if (next.page > 1) p.set('page', String(next.page));
  return p;
}

/** The API query for the filters: empty filters are left out. */
export function toApiQuery(f: CatalogFilters): CatalogQuery {
  return {
    ...(f.q.trim() ? { q: f.q.trim() } : {}),
    ...(f.field ? { field: f.field } : {}),
    ...(f.level ? { level: f.level } : {}),
    ...(f.onlineLevel ? { onlineLevel: f.onlineLevel } : {}),
    ...(f.nonGeographic ? { nonGeographic: true } : {}),
    ...(f.unit.trim() ? { unit: f.unit.trim() } : {}),
    page: f.page,
    pageSize: PAGE_SIZE,
  };
}

export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / Math.max(1, pageSize)));
}
