/**
 * The one publish gate: what `POST /api/procedures/validate` calls "publishable" is exactly
 * what publishing accepts. A definition is blocked by analysis errors, by a hand-off to a
 * procedure not published, and by a national code another procedure already uses while in
 * force (the public catalog and the reports would list the procedure twice); versions of one
 * procedure share their code by design.
 */
import type { ProcedureDefinition } from '@motcua/engine';
import { publishCheck, unknownRefs, type Finding } from './definitions';
import { proceduresUsingCode } from './repo';
import { dbOf, publishedIds, type Source } from './service';

/** Procedures other than `def` whose published version with the same national code is in force at or after `from`. */
async function duplicateCode(source: Source, def: ProcedureDefinition, from: Date, prefix: string): Promise<Finding[]> {
  const ids = await proceduresUsingCode(dbOf(source), def.id, def.catalog.code, from);
  return ids.map((id) => ({
    code: 'CATALOG_DUPLICATE_CODE', path: `${prefix}/catalog/code`, severity: 'error' as const,
    message: {
      vi: `Mã thủ tục ${def.catalog.code} đang được thủ tục "${id}" sử dụng: một mã chỉ thuộc một thủ tục còn hiệu lực (tạo phiên bản mới của "${id}" hoặc ngừng áp dụng nó trước)`,
      en: `National code ${def.catalog.code} is in use by procedure "${id}": one code belongs to one procedure in force (make a new version of "${id}" or retire it first)`,
    },
  }));
}

/** Every finding that blocks publishing `def` from `from`, and the notes that do not. */
export async function publishGate(source: Source, def: ProcedureDefinition, from: Date, prefix = ''): Promise<{ errors: Finding[]; notes: Finding[] }> {
  const analysis = publishCheck(def, prefix);
  const errors = [
    ...analysis.errors,
    ...unknownRefs(def, await publishedIds(source), prefix),
    ...await duplicateCode(source, def, from, prefix),
  ];
  return { errors, notes: analysis.notes };
}
