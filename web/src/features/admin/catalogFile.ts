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

export type ParsedCatalog = { ok: true; body: CatalogFile; count: CatalogCount } | { ok: false; message: Bilingual };

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
  for (const [i, p] of data.procedures.entries()) {
    if (!isObject(p) || typeof p.id !== 'string' || !Array.isArray(p.versions)) {
      return { ok: false, message: { vi: `Thủ tục thứ ${i + 1} thiếu mã hoặc danh sách phiên bản`, en: `Procedure ${i + 1} has no id or versions` } };
    }
    count.procedures++;
    for (const v of p.versions) {
      if (!isObject(v)) continue;
      count.versions++;
      if (v.status === 'draft' || v.status === 'published' || v.status === 'retired') count.byStatus[v.status]++;
    }
  }
  // The outline is checked above; the server validates the rest of each entry.
  return { ok: true, body: data as unknown as CatalogFile, count };
}
