/** Units (đơn vị): the tree administrators keep, each within their own subtree. */
import type { Static } from 'typebox';
import type { AuthUser } from '../auth/middleware';
import type { Deps } from '../deps';
import { forbidden, notFound } from '../http/errors';
import { isForeignKeyViolation, isUniqueViolation } from '../db/errors';
import { adminScope, conflict, invalidField, requireInScope } from './common';
import { deleteUnitRow, insertUnit, unitUsage, updateUnitRow, type UnitRow } from './repo';
import type { UnitCreateBody, UnitQuery, UnitUpdateBody } from './schemas';

export interface UnitView {
  code: string;
  name: string;
  kind: string;
  parent: string | null;
  collectiveName: string | null;
  headTitle: string | null;
  oneStop: boolean;
  oneStopName: string | null;
  province: string | null;
  childCount: number;
}

const UNIT = { vi: 'đơn vị', en: 'unit' };

async function view(deps: Deps, u: UnitRow): Promise<UnitView> {
  const children = (await deps.directory.allUnits()).filter((c) => c.parent === u.code).length;
  return {
    code: u.code, name: u.name, kind: u.kind, parent: u.parent ?? null,
    collectiveName: u.collectiveName ?? null, headTitle: u.headTitle ?? null, oneStop: u.oneStop, oneStopName: u.oneStopName ?? null, province: u.province ?? null, childCount: children,
  };
}

/** A unit the administrator manages: 404 when unknown, 403 when outside their subtree. */
async function managedUnit(deps: Deps, user: AuthUser, code: string): Promise<UnitRow> {
  const unit = await deps.directory.unit(code);
  if (!unit) throw notFound(UNIT, code);
  requireInScope(await adminScope(deps, user), [code]);
  return unit;
}

/** Whether the user administers a unit strictly above `code` (an admin grant at an ancestor, not at the unit itself). */
async function administersAbove(deps: Deps, user: AuthUser, code: string): Promise<boolean> {
  for (const g of user.grants) {
    if (g.role === 'admin' && g.unit !== code && (await deps.directory.subtree(g.unit)).includes(code)) return true;
  }
  return false;
}

/** The units the administrator manages, parents before children (a flat tree). */
export async function listUnits(deps: Deps, user: AuthUser, query: Static<typeof UnitQuery>): Promise<UnitView[]> {
  const scope = await adminScope(deps, user);
  const all = await deps.directory.allUnits();
  const childCount = new Map<string, number>();
  for (const u of all) if (u.parent) childCount.set(u.parent, (childCount.get(u.parent) ?? 0) + 1);
  const q = query.q?.trim().toLocaleLowerCase('vi');
  const depth = (u: UnitRow): number => {
    let d = 0;
    for (let p = u.parent; p && d < 20; d++) p = all.find((x) => x.code === p)?.parent ?? null;
    return d;
  };
  return all
    .filter((u) => scope.has(u.code))
    .filter((u) => query.parent === undefined || u.parent === query.parent)
    .filter((u) => query.kind === undefined || u.kind === query.kind)
    .filter((u) => !q || u.code.toLowerCase().includes(q) || u.name.toLocaleLowerCase('vi').includes(q))
    .map((u) => ({ u, d: depth(u) }))
    .sort((a, b) => a.d - b.d || a.u.code.localeCompare(b.u.code))
    .map(({ u }) => ({
      code: u.code, name: u.name, kind: u.kind, parent: u.parent ?? null,
      collectiveName: u.collectiveName ?? null, headTitle: u.headTitle ?? null, oneStop: u.oneStop, oneStopName: u.oneStopName ?? null, province: u.province ?? null, childCount: childCount.get(u.code) ?? 0,
    }));
}

export async function getUnit(deps: Deps, user: AuthUser, code: string): Promise<UnitView> {
  return view(deps, await managedUnit(deps, user, code));
}

export async function createUnit(deps: Deps, user: AuthUser, body: Static<typeof UnitCreateBody>): Promise<UnitView> {
  const parent = await deps.directory.unit(body.parent);
  if (!parent) throw invalidField('UNIT_PARENT_UNKNOWN', '/parent', `Không có đơn vị cấp trên "${body.parent}"`, `No parent unit "${body.parent}"`);
  requireInScope(await adminScope(deps, user), [body.parent]);
  if (await deps.directory.unit(body.code)) {
    throw conflict('UNIT_EXISTS', `Mã đơn vị ${body.code} đã tồn tại`, `Unit code ${body.code} already exists`);
  }
  let row: UnitRow | undefined;
  try {
    row = await insertUnit(deps, {
      code: body.code, name: body.name, kind: body.kind, parent: body.parent,
      collectiveName: body.collectiveName ?? null, headTitle: body.headTitle ?? null, oneStop: body.oneStop ?? false,
      oneStopName: body.oneStopName ?? null,
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('UNIT_EXISTS', `Mã đơn vị ${body.code} đã tồn tại`, `Unit code ${body.code} already exists`);
    throw err;
  }
  deps.directory.invalidateUnits();
  return view(deps, row!);
}

export async function updateUnit(deps: Deps, user: AuthUser, code: string, body: Static<typeof UnitUpdateBody>): Promise<UnitView> {
  const unit = await managedUnit(deps, user, code);
  if (body.parent !== undefined && body.parent !== unit.parent) {
    if (!(await deps.directory.unit(body.parent))) {
      throw invalidField('UNIT_PARENT_UNKNOWN', '/parent', `Không có đơn vị cấp trên "${body.parent}"`, `No parent unit "${body.parent}"`);
    }
    if ((await deps.directory.subtree(code)).includes(body.parent)) {
      throw invalidField('UNIT_CYCLE', '/parent',
        `Không thể đặt ${body.parent} làm cấp trên của ${code}: ${body.parent} là chính nó hoặc thuộc nó`,
        `${body.parent} cannot be the parent of ${code}: it is ${code} itself or below it`);
    }
    requireInScope(await adminScope(deps, user), [body.parent]);
  }
  if (body.kind !== undefined && body.kind !== unit.kind && !(await administersAbove(deps, user, code))) {
    // A unit's kind decides what it may do (a top-level "province" makes its administrators the
    // province's: webhooks, province-wide parameters and templates), so it is set from above:
    // never by the unit's own administrators, and for a top-level unit not through the API at all.
    throw forbidden({
      vi: `Loại của đơn vị ${code} do quản trị viên đơn vị cấp trên quyết định, không phải quản trị viên của chính đơn vị`,
      en: `The kind of unit ${code} is set by an administrator of a unit above it, not by the unit's own administrators`,
    });
  }
  if (body.oneStopName !== undefined && body.oneStopName !== null && body.oneStopName.trim() === '') {
    throw invalidField('UNIT_ONE_STOP_NAME_INVALID', '/oneStopName',
      'Tên Bộ phận Một cửa không được để trống (dùng null để bỏ)', 'The one-stop body\'s name cannot be blank (send null to clear it)');
  }
  if (body.province !== undefined && body.province !== null && (body.kind ?? unit.kind) === 'province') {
    // A province's report is its own tree; it is never counted in another province's total.
    throw invalidField('UNIT_PROVINCE_INVALID', '/province',
      `${unit.name} là đơn vị cấp tỉnh, không tính vào tổng của tỉnh khác`, `${unit.name} is a province and is not counted in another province's total`);
  }
  if (body.province !== undefined && body.province !== null) {
    const province = await deps.directory.unit(body.province);
    // Only a province's totals take in units outside its tree (docs/domain.md, "The report as submitted").
    if (!province || province.kind !== 'province' || body.province === code) {
      throw invalidField('UNIT_PROVINCE_INVALID', '/province',
        `"${body.province}" không phải một đơn vị cấp tỉnh`, `"${body.province}" is not a unit of kind "province"`);
    }
    // Counting a unit in a province's totals is that province's decision: its administrator's.
    requireInScope(await adminScope(deps, user), [body.province]);
  }

  const changes: Partial<UnitRow> = {};
  if (body.province !== undefined) changes.province = body.province;
  if (body.name !== undefined) changes.name = body.name;
  if (body.kind !== undefined) changes.kind = body.kind;
  if (body.parent !== undefined) changes.parent = body.parent;
  if (body.collectiveName !== undefined) changes.collectiveName = body.collectiveName;
  if (body.headTitle !== undefined) changes.headTitle = body.headTitle;
  if (body.oneStop !== undefined) changes.oneStop = body.oneStop;
  if (body.oneStopName !== undefined) changes.oneStopName = body.oneStopName === null ? null : body.oneStopName.trim();
  const row = await updateUnitRow(deps, code, changes);
  deps.directory.invalidateUnits();
  return view(deps, row ?? unit);
}

/** Deletes an empty unit (no units below, no users, no dossiers) with its own calendar. */
export async function deleteUnit(deps: Deps, user: AuthUser, code: string): Promise<void> {
  await managedUnit(deps, user, code);
  const children = (await deps.directory.allUnits()).filter((u) => u.parent === code).length;
  const usage = await unitUsage(deps, code);
  const users = usage.users;
  const dossierCount = usage.dossiers;
  if (children > 0 || users > 0 || dossierCount > 0) {
    throw conflict('UNIT_IN_USE',
      `Không thể xóa đơn vị ${code}: còn ${children} đơn vị trực thuộc, ${users} người dùng, ${dossierCount} hồ sơ`,
      `Unit ${code} cannot be deleted: it still has ${children} units below, ${users} users and ${dossierCount} dossiers`,
      { children, users, dossiers: dossierCount });
  }
  try {
    await deleteUnitRow(deps, code);
  } catch (err) {
    if (isForeignKeyViolation(err)) {
      throw conflict('UNIT_IN_USE', `Không thể xóa đơn vị ${code}: vừa có người dùng được gán vào`, `Unit ${code} cannot be deleted: users were just assigned to it`);
    }
    throw err;
  }
  deps.directory.invalidateUnits();
}
