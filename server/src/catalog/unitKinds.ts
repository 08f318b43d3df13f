/**
 * Unit kinds (docs/delegation.md, "Routing"): a procedure names the kinds of unit competent to
 * decide it (`catalog.competentUnitKinds`). Intake checks it (dossiers/routing.ts); so do
 * hand-offs, when a linked dossier is opened at another unit, and delegations limited to
 * procedures; the desk's procedure list asks it before any intake (`intakeAt`). Pure checks
 * over a definition and unit rows; the callers fetch them.
 */
import type { Channel, ProcedureDefinition } from '@motcua/engine';
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

/** Unit kinds as an officer names them (the kinds are codes in the unit table). */
const KIND_NAMES: { [kind: string]: { vi: string; en: string } } = {
  province: { vi: 'UBND tỉnh', en: 'the province committee' }, commune: { vi: 'UBND xã', en: 'a commune committee' },
  ward: { vi: 'UBND phường', en: 'a ward committee' }, police: { vi: 'Công an cấp xã', en: 'the commune police' },
  'social-insurance': { vi: 'cơ quan Bảo hiểm xã hội', en: 'social insurance' }, department: { vi: 'Sở, ngành', en: 'a department' },
};
export const kindNames = (kinds: readonly string[], lang: 'vi' | 'en'): string =>
  kinds.map((k) => KIND_NAMES[k]?.[lang] ?? k).join(lang === 'vi' ? ' hoặc ' : ' or ');

/** Unit kinds and the administrative level whose procedures they receive and decide themselves. */
export const LEVEL_OF_KIND: { [kind: string]: 'commune' | 'province' | 'central' } = { commune: 'commune', ward: 'commune', province: 'province', department: 'province' };
const LEVEL_NAMES = { commune: { vi: 'cấp xã', en: 'commune-level' }, province: { vi: 'cấp tỉnh', en: 'province-level' }, central: { vi: 'trung ương', en: 'central' } } as const;

/** What the intake needs of a procedure to tell whether a desk can receive it. */
export interface IntakeFacts {
  code: string;
  level: 'commune' | 'province' | 'central';
  /** Absent in the catalog: the receiving unit's own kind decides it, at its level. */
  competentUnitKinds: readonly string[] | null;
  /** As the province's list says (catalog/nonGeographic.ts), not only the definition. */
  nonGeographic: boolean;
  /** The catalog's channels (absent or null: every channel). */
  channels?: readonly Channel[] | null;
}

/** Channels a desk takes dossiers in by: the applicant at the counter, or papers sent by post. */
const DESK_CHANNELS: readonly Channel[] = ['direct', 'postal'];
const CHANNEL_NAMES: { [c in Channel]: { vi: string; en: string } } = {
  direct: { vi: 'trực tiếp', en: 'in person' }, online: { vi: 'trực tuyến', en: 'online' }, postal: { vi: 'qua bưu chính', en: 'by post' },
};
/** Channels in words ("trực tuyến hoặc qua bưu chính"). */
export const channelNames = (channels: readonly Channel[], lang: 'vi' | 'en'): string =>
  channels.map((c) => CHANNEL_NAMES[c][lang]).join(lang === 'vi' ? ' hoặc ' : ' or ');

/** Why no desk can receive a procedure whatever its unit (one received online only), or null when a desk can. */
export function channelReason(channels: readonly Channel[] | null | undefined): { vi: string; en: string } | null {
  if (!channels || channels.some((c) => DESK_CHANNELS.includes(c))) return null;
  return {
    vi: `thủ tục chỉ nhận hồ sơ ${channelNames(channels, 'vi')}, không tiếp nhận tại quầy`,
    en: `it accepts dossiers only ${channelNames(channels, 'en')}, not at the desk`,
  };
}

export type IntakeAt =
  | { receivable: true; /** Received here for a unit of another kind (the commune police…). */ forOther: boolean }
  | { receivable: false; reason: { vi: string; en: string } };

/**
 * Whether a desk can receive a procedure at all, and why not (the desk's procedure list):
 * the rules `checkRouting` and the engine apply to one intake, asked of the desk before it
 * chooses. Its own kind decides it; or, for a non-geographic procedure, a one-stop desk takes
 * it in for a unit of a competent kind, which must exist; and never a procedure received
 * online only. Pure.
 */
export function intakeAt(p: IntakeFacts, receiving: Pick<UnitRow, 'kind' | 'name' | 'oneStop'>, units: readonly Pick<UnitRow, 'kind'>[]): IntakeAt {
  // The engine refuses a channel the catalog does not list (runtime/apply.ts): an online-only procedure is no desk's.
  const byChannel = channelReason(p.channels);
  if (byChannel) return { receivable: false, reason: byChannel };
  if (p.competentUnitKinds === null) {
    const level = LEVEL_OF_KIND[receiving.kind];
    if (level === undefined || level === p.level) return { receivable: true, forOther: false };
    return { receivable: false, reason: levelReason(p, receiving) };
  }
  const kinds = p.competentUnitKinds;
  if (kinds.includes(receiving.kind)) return { receivable: true, forOther: false };
  if (!p.nonGeographic) {
    return { receivable: false, reason: { vi: `thủ tục do ${kindNames(kinds, 'vi')} tiếp nhận và giải quyết`, en: `it is received and decided by ${kindNames(kinds, 'en')}` } };
  }
  if (!receiving.oneStop) {
    return { receivable: false, reason: { vi: `thủ tục do ${kindNames(kinds, 'vi')} giải quyết; ${receiving.name} không phải Bộ phận Một cửa nên không tiếp nhận thay`, en: `it is decided by ${kindNames(kinds, 'en')}; ${receiving.name} is not a one-stop desk, so it cannot take it in for them` } };
  }
  if (!units.some((u) => kinds.includes(u.kind))) {
    return { receivable: false, reason: { vi: `chưa có đơn vị nào thuộc ${kindNames(kinds, 'vi')} trong danh mục đơn vị để chuyển hồ sơ`, en: `no unit of ${kindNames(kinds, 'en')} is in the unit directory to send the dossier to` } };
  }
  return { receivable: true, forOther: true };
}

export function levelReason(p: Pick<IntakeFacts, 'level'>, receiving: Pick<UnitRow, 'name'>): { vi: string; en: string } {
  const name = LEVEL_NAMES[p.level];
  return { vi: `thủ tục ${name.vi}, không tiếp nhận và giải quyết tại ${receiving.name}`, en: `a ${name.en} procedure, not received or decided at ${receiving.name}` };
}
