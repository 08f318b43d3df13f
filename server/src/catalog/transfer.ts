/**
 * Import and export of a whole catalog. An import is checked in full before anything is
 * written, and then written in one transaction: all of it or nothing. Published and
 * retired versions already in the catalog are never overwritten.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProcedureDefinition } from '@motcua/engine';
import type { Tx } from '../db/client';
import { allVersions, headDefinition, insertProcedureIfAbsent, insertVersion, updateVersion } from './repo';
import { HttpError } from '../http/errors';
import type { Deps } from '../deps';
import { checkDefinition, errorsOf, publishCheck, unknownRefs, type Finding, type Notice } from './definitions';
import { parseInstant, type RecordChange } from './lifecycle';
import { iso } from '../db/time';
import { forgetVersions, headOf, lockProcedure, ms, publishedIds, setHead, versionMetas, type VersionStatus } from './service';

export interface CatalogVersionData {
  version: number;
  status: VersionStatus;
  effectiveFrom?: string | null;
  effectiveTo?: string | null;
  definition: unknown;
}

export interface CatalogData {
  exportedAt?: string;
  procedures: { id: string; versions: CatalogVersionData[] }[];
}

export interface ImportResult {
  imported: { id: string; version: number; status: string }[];
  skipped: { id: string; version: number; reason: { vi: string; en: string } }[];
  /** What the server changed in the definitions it was sent (version numbers). */
  notices: Notice[];
}

/** Every procedure with every version (drafts included), oldest version first. */
export async function exportCatalog(deps: Deps): Promise<Required<CatalogData>> {
  const rows = await allVersions(deps);
  const byId = new Map<string, CatalogVersionData[]>();
  for (const r of rows) {
    byId.set(r.procedureId, [...(byId.get(r.procedureId) ?? []), {
      version: r.version, status: r.status as VersionStatus, effectiveFrom: iso(r.effectiveFrom), effectiveTo: iso(r.effectiveTo), definition: r.definition,
    }]);
  }
  return { exportedAt: deps.clock.now().toISOString(), procedures: [...byId].map(([id, versions]) => ({ id, versions })) };
}

interface PlannedVersion {
  version: number;
  status: VersionStatus;
  from: Date | null;
  to: Date | null;
  definition: ProcedureDefinition;
}

const issue = (path: string, vi: string, en: string): Finding => ({ code: 'CATALOG_IMPORT', path, severity: 'error', message: { vi, en } });

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/**
 * The procedure's name as its catalog facts give it (`catalog.name`), from its newest version
 * that has one: the file may hold invalid definitions, so nothing about their shape is assumed.
 */
export function importedName(versions: readonly { version: unknown; definition: unknown }[]): { vi: string; en: string } | null {
  const newestFirst = [...versions].sort((a, b) => (typeof b.version === 'number' ? b.version : 0) - (typeof a.version === 'number' ? a.version : 0));
  for (const v of newestFirst) {
    const catalog = (v.definition as { catalog?: { name?: unknown } } | null | undefined)?.catalog;
    const name = catalog?.name as { vi?: unknown; en?: unknown } | string | null | undefined;
    const vi = typeof name === 'string' ? text(name) : text(name?.vi);
    if (vi) return { vi, en: (typeof name === 'object' ? text(name?.en) : null) ?? vi };
  }
  return null;
}

/**
 * Says which procedure (name and id, and the version when the pointer is inside one) an issue
 * concerns: an administrator reading "/procedures/3/versions/0/…" cannot tell which of a
 * hundred procedures that is. The pointer itself is kept for tools and for finding the spot.
 */
function naming(data: CatalogData, i: Finding): Finding {
  const m = /^\/procedures\/(\d+)(?:\/versions\/(\d+))?/.exec(i.path);
  const p = m ? data.procedures[Number(m[1])] : undefined;
  if (!m || !p) return i;
  const name = importedName(p.versions);
  const v = m[2] === undefined ? undefined : p.versions[Number(m[2])]?.version;
  const where = {
    vi: `${name ? `Thủ tục "${name.vi}" (${p.id})` : `Thủ tục "${p.id}"`}${v === undefined ? '' : `, phiên bản ${v}`}`,
    en: `${name ? `Procedure "${name.en}" (${p.id})` : `Procedure "${p.id}"`}${v === undefined ? '' : `, version ${v}`}`,
  };
  return { ...i, message: { vi: `${where.vi}: ${i.message.vi}`, en: `${where.en}: ${i.message.en}` } };
}

function instant(value: string | null | undefined, path: string, issues: Finding[]): Date | null {
  if (value === null || value === undefined) return null;
  try {
    return parseInstant(value, path);
  } catch (e) {
    if (e instanceof HttpError) issues.push(...(e.issues ?? []).map((i) => ({ ...i, code: 'CATALOG_IMPORT', severity: 'error' })));
    return null;
  }
}

/** Checks everything an import brings, writes nothing; issues point into the request body. */
async function planImport(deps: Deps, data: CatalogData): Promise<{ plan: { id: string; versions: PlannedVersion[] }[]; issues: Finding[]; notices: Notice[] }> {
  const issues: Finding[] = [];
  const notices: Notice[] = [];
  const known = await publishedIds(deps);
  for (const p of data.procedures) if (p.versions.some((v) => v.status === 'published')) known.add(p.id);
  const ids = new Set<string>();
  const plan = data.procedures.map((p, i) => {
    const pp = `/procedures/${i}`;
    // The procedure is named by naming() below.
    if (ids.has(p.id)) issues.push(issue(`${pp}/id`, 'Mã thủ tục xuất hiện hai lần trong tệp', 'The procedure id appears twice in the file'));
    ids.add(p.id);
    const seen = new Set<number>();
    let drafts = 0;
    let lastFrom: Date | null = null;
    const versions = p.versions.map((v, j): PlannedVersion => {
      const vp = `${pp}/versions/${j}`;
      if (seen.has(v.version)) issues.push(issue(`${vp}/version`, `Phiên bản ${v.version} xuất hiện hai lần`, `Version ${v.version} appears twice`));
      seen.add(v.version);
      if (v.status === 'draft' && ++drafts > 1) {
        issues.push(issue(`${vp}/status`, 'Mỗi thủ tục chỉ có một bản nháp', 'A procedure has at most one draft'));
      }
      const from = instant(v.effectiveFrom, `${vp}/effectiveFrom`, issues);
      const to = instant(v.effectiveTo, `${vp}/effectiveTo`, issues);
      if (v.status !== 'draft' && !v.effectiveFrom) {
        issues.push(issue(`${vp}/effectiveFrom`, 'Phiên bản đã công bố phải có ngày hiệu lực', 'A published version needs an effective date'));
      }
      if (v.status === 'published' && from && to && to <= from) {
        issues.push(issue(`${vp}/effectiveTo`, 'Ngày hết hiệu lực phải sau ngày hiệu lực', 'The end must be after the effective date'));
      }
      if (v.status === 'published' && from) {
        if (lastFrom && from <= lastFrom) {
          issues.push(issue(`${vp}/effectiveFrom`, 'Các phiên bản công bố sau phải có ngày hiệu lực muộn hơn', 'Later published versions must take effect later'));
        }
        lastFrom = from;
      }
      const prefix = `${vp}/definition`;
      const checked = checkDefinition(v.definition, { id: p.id, version: v.version }, prefix);
      notices.push(...checked.notices);
      if (!checked.ok) issues.push(...errorsOf(checked.issues).map((x) => ({ ...x, severity: 'error' })));
      else if (v.status === 'published') issues.push(...publishCheck(checked.definition, prefix).errors, ...unknownRefs(checked.definition, known, prefix));
      return { version: v.version, status: v.status, from, to, definition: checked.definition };
    });
    return { id: p.id, versions: [...versions].sort((a, b) => a.version - b.version) };
  });
  return { plan, issues: issues.map((i) => naming(data, i)), notices };
}

/**
 * Imports a catalog (the export's shape): validates every definition first and writes
 * nothing when any is invalid (422, pointers into the body); existing published or retired
 * versions are skipped, existing drafts replaced; published versions' ends are chained.
 */
export async function importCatalog(deps: Deps, data: CatalogData, by: string, record: RecordChange<ImportResult> = async () => {}): Promise<ImportResult> {
  const { plan, issues, notices } = await planImport(deps, data);
  if (issues.length > 0) {
    throw new HttpError(422, 'CATALOG_INVALID', {
      vi: `Không nhập gì: ${issues.length} lỗi trong danh mục gửi lên, xem danh sách kèm thủ tục và vị trí`,
      en: `Nothing imported: ${issues.length} problem(s) in the catalog, see the list with their procedures and locations`,
    }, issues);
  }
  const result: ImportResult = { imported: [], skipped: [], notices };
  const now = deps.clock.now().toISOString();
  await deps.db.transaction(async (tx) => {
    for (const p of plan) {
      const last = p.versions.at(-1);
      if (!last) continue;
      await insertProcedureIfAbsent(tx, { id: p.id, ...headOf(last.definition), createdAt: now });
      await lockProcedure(tx, p.id);
      const existing = new Map((await versionMetas(tx, [p.id])).get(p.id)?.map((r) => [r.version, r]) ?? []);
      let draft = [...existing.values()].find((r) => r.status === 'draft')?.version;
      let touched = false;
      for (const v of p.versions) {
        const cur = existing.get(v.version);
        if (cur && cur.status !== 'draft') {
          result.skipped.push({ id: p.id, version: v.version, reason: {
            vi: `Phiên bản ${v.version} đã ${cur.status === 'published' ? 'công bố' : 'ngừng áp dụng'} trong danh mục, không bao giờ ghi đè`,
            en: `Version ${v.version} is already ${cur.status} in the catalog and is never overwritten`,
          } });
          continue;
        }
        if (v.status === 'draft' && draft !== undefined && draft !== v.version) {
          result.skipped.push({ id: p.id, version: v.version, reason: {
            vi: `Thủ tục đã có bản nháp (phiên bản ${draft}); mỗi thủ tục chỉ có một bản nháp`,
            en: `The procedure already has a draft (version ${draft}); a procedure has at most one draft`,
          } });
          continue;
        }
        const values = {
          status: v.status, definition: v.definition,
          effectiveFrom: v.from?.toISOString() ?? null, effectiveTo: v.to?.toISOString() ?? null,
          publishedAt: v.status === 'draft' ? null : now, publishedBy: v.status === 'draft' ? null : by, updatedAt: now,
        };
        if (cur) {
          await updateVersion(tx, p.id, v.version, values);
        } else {
          await insertVersion(tx, { procedureId: p.id, version: v.version, ...values, createdAt: now });
        }
        if (cur && v.status !== 'draft') draft = undefined;
        if (v.status === 'draft') draft = v.version;
        result.imported.push({ id: p.id, version: v.version, status: v.status });
        touched = true;
      }
      if (touched) await chainEnds(tx, p.id, now);
    }
    await record(tx, result);
  });
  forgetVersions(deps);
  for (const id of new Set(result.imported.map((r) => r.id))) deps.bus.publish({ type: 'catalog.changed', procedureId: id });
  return result;
}

/** Ends each published version where the next one starts, and shows the latest on the procedure row. */
async function chainEnds(tx: Tx, id: string, now: string): Promise<void> {
  const rows = (await versionMetas(tx, [id])).get(id) ?? [];
  const published = rows.filter((r) => r.status === 'published' && r.effectiveFrom);
  for (let k = 0; k + 1 < published.length; k++) {
    const a = published[k]!;
    const next = published[k + 1]!.effectiveFrom!;
    if (!a.effectiveTo || ms(a.effectiveTo) > ms(next)) {
      await updateVersion(tx, id, a.version, { effectiveTo: next, updatedAt: now });
    }
  }
  const head = await headDefinition(tx, id);
  if (head) await setHead(tx, id, head);
}

/**
 * Publishes every `<dir>/<slug>/procedure.json` from `effectiveFrom` (used by the demo seed
 * and tests); versions already published are skipped, so running it twice is harmless.
 */
export async function importProcedureDirectory(deps: Deps, dir: string, publishedBy: string, effectiveFrom: Date): Promise<ImportResult> {
  const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const files: string[] = [];
  const data: CatalogData = { procedures: [] };
  for (const name of entries) {
    const file = join(dir, name, 'procedure.json');
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      continue;
    }
    let def: unknown;
    try {
      def = JSON.parse(text);
    } catch (e) {
      throw new Error(`${file}: not valid JSON (${(e as Error).message})`, { cause: e });
    }
    const { id, version } = (def ?? {}) as { id?: unknown; version?: unknown };
    if (typeof id !== 'string') throw new Error(`${file}: the definition has no "id"`);
    files.push(file);
    data.procedures.push({ id, versions: [{
      version: typeof version === 'number' && Number.isInteger(version) && version > 0 ? version : 1,
      status: 'published', effectiveFrom: effectiveFrom.toISOString(), effectiveTo: null, definition: def,
    }] });
  }
  try {
    return await importCatalog(deps, data, publishedBy);
  } catch (e) {
    if (!(e instanceof HttpError) || !e.issues) throw e;
    const lines = e.issues.slice(0, 20).map((i) => {
      const m = /^\/procedures\/(\d+)\/versions\/\d+(?:\/definition)?(.*)$/.exec(i.path);
      return m ? `${files[Number(m[1])]} ${m[2] || '/'}: ${i.message.en}` : `${i.path}: ${i.message.en}`;
    });
    throw new Error(`Importing ${dir} failed:\n${lines.join('\n')}`, { cause: e });
  }
}
