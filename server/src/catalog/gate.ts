/**
 * The one publish gate: what `POST /api/procedures/validate` calls "publishable" is exactly
 * what publishing accepts. A definition is blocked by analysis errors, by a hand-off to a
 * procedure not published, and by a national code another procedure already uses while in
 * force (the public catalog and the reports would list the procedure twice); versions of one
 * procedure share their code by design.
 */
import { and, desc, eq, gt, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import type { Channel, ProcedureDefinition } from '@motcua/engine';
import { procedureVersions } from '../db/schema';
import { procedureRefs, publishCheck, unknownRefs, type Finding } from './definitions';
import { dbOf, publishedIds, type Source } from './service';

/** Procedures other than `def` whose published version with the same national code is in force at or after `from`. */
async function duplicateCode(source: Source, def: ProcedureDefinition, from: Date, prefix: string): Promise<Finding[]> {
  const t = from.toISOString();
  const rows = await dbOf(source).selectDistinct({ id: procedureVersions.procedureId }).from(procedureVersions).where(and(
    eq(procedureVersions.status, 'published'),
    ne(procedureVersions.procedureId, def.id),
    sql`${procedureVersions.definition}->'catalog'->>'code' = ${def.catalog.code}`,
    or(isNull(procedureVersions.effectiveTo), gt(procedureVersions.effectiveTo, t)),
  ));
  return rows.map((r) => ({
    code: 'CATALOG_DUPLICATE_CODE', path: `${prefix}/catalog/code`, severity: 'error' as const,
    message: {
      vi: `Mã thủ tục ${def.catalog.code} đang được thủ tục "${r.id}" sử dụng: một mã chỉ thuộc một thủ tục còn hiệu lực (tạo phiên bản mới của "${r.id}" hoặc ngừng áp dụng nó trước)`,
      en: `National code ${def.catalog.code} is in use by procedure "${r.id}": one code belongs to one procedure in force (make a new version of "${r.id}" or retire it first)`,
    },
  }));
}

const ALL_CHANNELS: Channel[] = ['direct', 'online', 'postal'];

/**
 * A linked dossier is created on its parent's channel (a direct bundle spawns direct
 * dossiers), so every channel the parent accepts must be one its linked procedures accept:
 * otherwise the hand-off fails at run time with 422 on the citizen's dossier. Checked against
 * the latest published version of each linked procedure.
 */
async function childChannels(source: Source, def: ProcedureDefinition, prefix: string): Promise<Finding[]> {
  const refs = procedureRefs(def).filter((r) => r.procedure !== def.id);
  if (refs.length === 0) return [];
  const rows = await dbOf(source).select({ id: procedureVersions.procedureId, definition: procedureVersions.definition })
    .from(procedureVersions)
    .where(and(eq(procedureVersions.status, 'published'), inArray(procedureVersions.procedureId, [...new Set(refs.map((r) => r.procedure))])))
    .orderBy(desc(procedureVersions.version));
  const latest = new Map<string, ProcedureDefinition>();
  for (const r of rows) if (!latest.has(r.id)) latest.set(r.id, r.definition as ProcedureDefinition);
  const parent = def.catalog.channels ?? ALL_CHANNELS;
  const out: Finding[] = [];
  for (const ref of refs) {
    const child = latest.get(ref.procedure);
    if (!child) continue; // unknownRefs reports it
    const accepted = child.catalog.channels ?? ALL_CHANNELS;
    const missing = parent.filter((c) => !accepted.includes(c));
    if (missing.length === 0) continue;
    out.push({
      code: 'CATALOG_CHILD_CHANNEL', path: `${prefix}${ref.path}`, severity: 'error',
      message: {
        vi: `Hồ sơ liên thông "${ref.procedure}" được tạo theo kênh của hồ sơ này, nhưng thủ tục đó không nhận kênh ${missing.map((c) => `"${c}"`).join(', ')} (chỉ: ${accepted.join(', ')}); giới hạn kênh của thủ tục này (catalog.channels) hoặc mở kênh ở thủ tục liên thông`,
        en: `The linked dossier "${ref.procedure}" is created on this dossier's channel, but that procedure does not accept ${missing.map((c) => `"${c}"`).join(', ')} (only: ${accepted.join(', ')}); limit this procedure's channels (catalog.channels) or open them on the linked one`,
      },
    });
  }
  return out;
}

/** Every finding that blocks publishing `def` from `from`, and the notes that do not. */
export async function publishGate(source: Source, def: ProcedureDefinition, from: Date, prefix = ''): Promise<{ errors: Finding[]; notes: Finding[] }> {
  const analysis = publishCheck(def, prefix);
  const errors = [
    ...analysis.errors,
    ...unknownRefs(def, await publishedIds(source), prefix),
    ...await duplicateCode(source, def, from, prefix),
    ...await childChannels(source, def, prefix),
  ];
  return { errors, notes: analysis.notes };
}
