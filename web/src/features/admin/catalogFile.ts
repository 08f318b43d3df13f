/** Reading a catalog export file before import: JSON and the shape the server takes, counted. Pure. */
import type { Bilingual } from '../../api/client';

export interface CatalogVersion {
  version: number;
  status: 'draft' | 'published' | 'retired';
  effectiveFrom?: string | null;
  effectiveTo?: string | null;
  definition: unknown;
}
export interface CatalogFile {
  exportedAt?: string;
  procedures: { id: string; versions: CatalogVersion[] }[];
}

export interface CatalogCount {
  procedures: number;
  versions: number;
  byStatus: Record<CatalogVersion['status'], number>;
}

/** One procedure of the file as the preview lists it: its name first, the id beside it. */
export interface CatalogEntry {
  id: string;
  /** The Vietnamese name from the newest version's catalog facts; null when no version gives one. */
  name: string | null;
  versions: { version: number | null; status: string }[];
}

export type ParsedCatalog = { ok: true; body: CatalogFile; count: CatalogCount; entries: CatalogEntry[] } | { ok: false; message: Bilingual };

/**
 * The procedure's Vietnamese name (`catalog.name.vi`, the name the public catalog shows) from
 * its newest version that has one. Definitions are not validated here, so nothing is assumed.
 */
export function nameOf(versions: readonly unknown[]): string | null {
  const withNumber = versions.filter(isObject).map((v) => ({ n: typeof v.version === 'number' ? v.version : 0, def: v.definition }));
  for (const { def } of withNumber.sort((a, b) => b.n - a.n)) {
    const catalog = isObject(def) ? def.catalog : undefined;
    const name = isObject(catalog) ? catalog.name : undefined;
    const vi = typeof name === 'string' ? name : isObject(name) ? name.vi : undefined;
    if (typeof vi === 'string' && vi.trim() !== '') return vi.trim();
  }
  return null;
}

/** Names by id, for the import's answer (which speaks of ids only). */
export const namesById = (entries: readonly CatalogEntry[]): Map<string, string> =>
  new Map(entries.flatMap((e) => (e.name ? [[e.id, e.name] as const] : [])));

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Parses the file text. Only the outline is checked here (so a wrong file is named at once);
 * the server checks every definition and answers with JSON pointers.
 */
export function parseCatalog(text: string): ParsedCatalog {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, message: { vi: 'Tệp không phải JSON hợp lệ', en: 'The file is not valid JSON' } };
  }
  if (!isObject(data) || !Array.isArray(data.procedures)) {
    return { ok: false, message: { vi: 'Tệp không phải bản xuất danh mục (thiếu "procedures")', en: 'Not a catalog export (no "procedures")' } };
  }
  const count: CatalogCount = { procedures: 0, versions: 0, byStatus: { draft: 0, published: 0, retired: 0 } };
  const entries: CatalogEntry[] = [];
  for (const [i, p] of data.procedures.entries()) {
    if (!isObject(p) || typeof p.id !== 'string' || !Array.isArray(p.versions)) {
      return { ok: false, message: { vi: `Thủ tục thứ ${i + 1} thiếu mã hoặc danh sách phiên bản`, en: `Procedure ${i + 1} has no id or versions` } };
    }
    count.procedures++;
    entries.push({
      id: p.id, name: nameOf(p.versions),
      versions: p.versions.filter(isObject).map((v) => ({ version: typeof v.version === 'number' ? v.version : null, status: typeof v.status === 'string' ? v.status : '?' })),
    });
    for (const v of p.versions) {
      if (!isObject(v)) continue;
      count.versions++;
      if (v.status === 'draft' || v.status === 'published' || v.status === 'retired') count.byStatus[v.status]++;
    }
  }
  // The outline is checked above; the server validates the rest of each entry.
  return { ok: true, body: data as unknown as CatalogFile, count, entries };
}
