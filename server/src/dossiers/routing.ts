/**
 * Where a desk may route a dossier at intake (docs/delegation.md, "Routing"): the competent
 * unit must be of a kind the procedure's catalog entry names (`competentUnitKinds`; absent:
 * the receiving unit's kind); only a one-stop desk (a unit with `oneStop`) takes in a dossier
 * for another unit; the result goes back at the receiving or competent unit or at another
 * one-stop desk. Both are data: the catalog entry and the unit table.
 */
import type { Channel, ProcedureDefinition } from '@motcua/engine';
import type { Directory, UnitRow } from '../directory';
import { HttpError, notFound } from '../http/errors';
import { channelNames, channelReason, kindNames, LEVEL_OF_KIND, levelReason } from '../catalog/service';

export { kindNames };

export interface Routing {
  receivingUnit: string;
  competentUnit?: string;
  returnUnit?: string;
}

const refuse = (path: string, vi: string, en: string): HttpError =>
  new HttpError(422, 'ROUTING_NOT_ALLOWED', { vi, en }, [{ path, message: { vi, en } }]);

async function unitOf(directory: Directory, code: string): Promise<UnitRow> {
  const unit = await directory.unit(code);
  if (!unit) throw notFound({ vi: 'đơn vị', en: 'unit' }, code);
  return unit;
}

/**
 * 422 with a pointer at `/channel` for a channel the catalog does not list. The engine refuses it
 * too (runtime/apply.ts), but without a pointer and in codes; a desk that sends a direct intake
 * of an online-only procedure is told so in words, before the intake takes a number.
 */
export function checkChannel(def: ProcedureDefinition, channel: Channel): void {
  const accepted = def.catalog.channels;
  if (!accepted || accepted.includes(channel)) return;
  const desk = channel !== 'online' ? channelReason(accepted) : null;
  const vi = `Thủ tục ${def.catalog.code} không nhận hồ sơ ${channelNames([channel], 'vi')}: ${desk ? desk.vi : `chỉ nhận ${channelNames(accepted, 'vi')}`}`;
  const en = `Procedure ${def.catalog.code} does not accept dossiers ${channelNames([channel], 'en')}: ${desk ? desk.en : `only ${channelNames(accepted, 'en')}`}`;
  throw new HttpError(422, 'CHANNEL_NOT_ACCEPTED', { vi, en }, [{ path: '/channel', message: { vi, en } }]);
}

/** Throws 404 for an unknown unit and 422 (with a pointer into the intake body) for a unit the procedure may not go to. */
export async function checkRouting(directory: Directory, def: ProcedureDefinition, routing: Routing): Promise<void> {
  const receiving = await unitOf(directory, routing.receivingUnit);
  const competent = await unitOf(directory, routing.competentUnit ?? routing.receivingUnit);
  const kinds = def.catalog.competentUnitKinds ?? [receiving.kind];
  // A procedure that names no kinds is decided at its level: a province-level one is no commune's.
  const level = LEVEL_OF_KIND[competent.kind];
  if (def.catalog.competentUnitKinds === undefined && level !== undefined && level !== def.catalog.level) {
    const why = levelReason(def.catalog, competent);
    throw refuse(routing.competentUnit ? '/competentUnit' : '/receivingUnit',
      `${competent.name} (${competent.code}) không có thẩm quyền giải quyết thủ tục ${def.catalog.code}: ${why.vi}`,
      `${competent.name} (${competent.code}) cannot decide procedure ${def.catalog.code}: ${why.en}`);
  }
  if (!kinds.includes(competent.kind)) {
    throw refuse(routing.competentUnit ? '/competentUnit' : '/receivingUnit',
      `${competent.name} (${competent.code}) không có thẩm quyền giải quyết thủ tục ${def.catalog.code}: thủ tục này do ${kindNames(kinds, 'vi')} tiếp nhận và giải quyết`,
      `${competent.name} (${competent.code}) cannot decide procedure ${def.catalog.code}: it is received and decided by ${kindNames(kinds, 'en')}`);
  }
  if (competent.code !== receiving.code && !receiving.oneStop) {
    throw refuse('/receivingUnit',
      `${receiving.name} (${receiving.code}) không phải Bộ phận Một cửa nên không tiếp nhận hồ sơ phi địa giới cho đơn vị khác`,
      `${receiving.name} (${receiving.code}) is not a one-stop desk, so it cannot take in a non-geographic dossier for another unit`);
  }
  if (routing.returnUnit === undefined || routing.returnUnit === receiving.code || routing.returnUnit === competent.code) return;
  const back = await unitOf(directory, routing.returnUnit);
  if (!back.oneStop) {
    throw refuse('/returnUnit',
      `${back.name} (${back.code}) không phải Bộ phận Một cửa: chỉ trả kết quả tại nơi tiếp nhận, cơ quan giải quyết hoặc một Bộ phận Một cửa khác`,
      `${back.name} (${back.code}) is not a one-stop desk: results are returned at the receiving unit, the competent unit or another one-stop desk`);
  }
}
