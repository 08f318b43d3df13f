/**
 * Read models for process designers and administrators: the procedure list with the state
 * of its versions, one procedure with every version, metrics and the diff of versions.
 */
import { analyze, diff, validateDefinition, type AnalysisReport, type DefinitionDiff, type ProcedureDefinition } from '@motcua/engine';
import { openByVersion } from '../dossiers/service';
import { HttpError, notFound } from '../http/errors';
import type { Deps } from '../deps';
import { prefixIssues } from './definitions';
import { fold } from './public';
import { allProcedures, versionsOf } from './repo';
import { iso } from '../db/time';
import { getProcedure, ms, PROCEDURE, requireVersion, versionInfo, versionMetas, type VersionMeta, type VersionRow } from './service';

/** The version in force at `at` among a procedure's versions (metadata only). */
function inForceOf(metas: VersionMeta[], at: number): VersionMeta | null {
  let best: VersionMeta | null = null;
  for (const m of metas) {
    if (m.status === 'draft' || !m.effectiveFrom || ms(m.effectiveFrom) > at) continue;
    if (m.effectiveTo && ms(m.effectiveTo) <= at) continue;
    if (!best || ms(m.effectiveFrom) > ms(best.effectiveFrom!)) best = m;
  }
  return best;
}

const brief = (m: VersionMeta | null | undefined) => (m ? { version: m.version, status: m.status, effectiveFrom: iso(m.effectiveFrom), effectiveTo: iso(m.effectiveTo) } : null);

/** Every procedure with its latest version and the published version in force now. */
export async function listProcedures(deps: Deps, q?: string) {
  const rows = await allProcedures(deps);
  const metas = await versionMetas(deps);
  const now = deps.clock.now().getTime();
  const folded = q ? fold(q) : '';
  const items = rows
    .filter((p) => !folded || folded.split(' ').every((w) => fold(`${p.id} ${p.code} ${p.name} ${p.field}`).includes(w)))
    .map((p) => {
      const versions = metas.get(p.id) ?? [];
      const draft = versions.find((v) => v.status === 'draft');
      return {
        id: p.id, code: p.code, name: p.name, field: p.field, createdAt: iso(p.createdAt),
        latest: brief(versions.at(-1)), inForce: brief(inForceOf(versions, now)),
        draftVersion: draft?.version ?? null, versionCount: versions.length,
      };
    });
  return { items, total: items.length };
}

/**
 * One procedure with every version (definitions included) and, per version, its open
 * dossiers: they keep that version to the end, which retiring it must say.
 */
export async function procedureWithVersions(deps: Deps, id: string) {
  const p = await getProcedure(deps, id);
  if (!p) throw notFound(PROCEDURE, id);
  const rows = await versionsOf(deps, id);
  const openBy = await openByVersion(deps.db, id);
  const inForce = inForceOf(rows, deps.clock.now().getTime());
  return {
    id: p.id, code: p.code, name: p.name, field: p.field, createdAt: iso(p.createdAt),
    inForce: brief(inForce), draftVersion: rows.find((r) => r.status === 'draft')?.version ?? null,
    versions: rows.map((r) => ({ ...versionInfo(r), openDossiers: openBy.get(r.version) ?? 0, definition: r.definition })),
  };
}

/** A stored definition, re-checked (the engine may be newer than the row): 422 if it no longer validates. */
function definitionOf(row: VersionRow): ProcedureDefinition {
  const result = validateDefinition(row.definition);
  if (!result.ok) {
    throw new HttpError(422, 'DEFINITION_INVALID', {
      vi: `Định nghĩa của phiên bản ${row.version} không còn hợp lệ; sửa bản nháp rồi thử lại`,
      en: `The definition of version ${row.version} no longer validates; fix the draft and retry`,
    }, prefixIssues(result.issues.filter((i) => i.severity !== 'warning'), `/versions/${row.version}/definition`));
  }
  return row.definition as ProcedureDefinition;
}

/** The analysis of one version: findings, metrics, SLA paths. */
export async function versionMetrics(deps: Deps, id: string, version: number): Promise<AnalysisReport & { procedureId: string; version: number; status: string }> {
  const row = await requireVersion(deps, id, version);
  return { procedureId: id, version, status: row.status, ...analyze(definitionOf(row)) };
}

/** What changed from one version to another and what the change saves. */
export async function versionDiff(deps: Deps, id: string, from: number, to: number): Promise<DefinitionDiff> {
  const [a, b] = await Promise.all([requireVersion(deps, id, from), requireVersion(deps, id, to)]);
  return diff(definitionOf(a), definitionOf(b));
}
