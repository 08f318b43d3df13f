/**
 * Unit kinds (docs/delegation.md, "Routing"): a procedure names the kinds of unit competent to
 * decide it (`catalog.competentUnitKinds`). Intake checks it (dossiers/routing.ts); so do
 * hand-offs, when a linked dossier is opened at another unit, and delegations limited to
 * procedures. Pure checks over a definition and unit rows; the callers fetch them.
 */
import type { ProcedureDefinition } from '@motcua/engine';
import type { UnitRow } from '../directory';
import { HttpError } from '../http/errors';

/** The kinds allowed to decide a procedure, or null when the procedure does not say. */
export const competentKinds = (def: ProcedureDefinition): string[] | null => def.catalog.competentUnitKinds ?? null;

/** Whether a unit may decide a procedure (always, when the procedure names no kinds). */
export function mayDecide(def: ProcedureDefinition, unit: Pick<UnitRow, 'kind'>): boolean {
  const kinds = competentKinds(def);
  return kinds === null || kinds.includes(unit.kind);
}

/** Words for a unit that may not decide a procedure. */
export function kindMessage(def: ProcedureDefinition, unit: Pick<UnitRow, 'code' | 'name' | 'kind'>): { vi: string; en: string } {
  const kinds = (competentKinds(def) ?? []).join(', ');
  return {
    vi: `${unit.name} (${unit.code}) là đơn vị loại "${unit.kind}", không có thẩm quyền giải quyết thủ tục ${def.catalog.code} "${def.id}" (chỉ: ${kinds})`,
    en: `${unit.name} (${unit.code}) is a unit of kind "${unit.kind}" and cannot decide procedure ${def.catalog.code} "${def.id}" (only: ${kinds})`,
  };
}

/** 422 when a hand-off would open a linked dossier at a unit of a kind its procedure does not allow. */
export function checkHandoffUnit(def: ProcedureDefinition, unit: Pick<UnitRow, 'code' | 'name' | 'kind'>, step: string): void {
  if (mayDecide(def, unit)) return;
  const m = kindMessage(def, unit);
  throw new HttpError(422, 'HANDOFF_UNIT_KIND', { vi: `Liên thông ở bước "${step}": ${m.vi}`, en: `Hand-off at step "${step}": ${m.en}` });
}
