/** Users and their roles per unit, kept by administrators within their subtree. Password hashes never leave this file. */
import { randomUUID } from 'node:crypto';
import type { Static } from 'typebox';
import type { Grant } from '@motcua/engine';
import { visibleUnits, type AuthUser, hashPassword, accessChanged, revokeTokens } from '../auth/service';
import type { Deps } from '../deps';
import { grantRowsOf, insertUserWithGrants, officerRowsAt, replaceUnitGrants, searchUserRows, setUserRow, userIdByUsername, userRow, type UserRow } from './repo';
import { forbidden, notFound, type Issue } from '../http/errors';
import { isForeignKeyViolation, isUniqueViolation } from '../db/errors';
import { iso } from '../db/time';
import { adminScope, conflict, grantOf, invalid, invalidField, requireInScope } from './common';
import { mayWriteCatalog } from '../catalog/service';
import { audit } from './audit';
import type { GrantInput, UserCreateBody, UserQuery, UserUpdateBody } from './schemas';


export interface AdminUserView {
  id: string;
  username: string;
  name: string;
  active: boolean;
  createdAt: string;
  grants: Grant[];
}

const USER = { vi: 'người dùng', en: 'user' };
const COMMON_PASSWORDS = new Set(['12345678', '123456789', '1234567890', 'password', 'password1', 'matkhau1', 'matkhau123', 'qwertyui', '11111111', '88888888', 'abcd1234', 'admin123']);

function toView(u: UserRow, held: Grant[]): AdminUserView {
  return { id: u.id, username: u.username, name: u.name, active: u.active, createdAt: iso(u.createdAt), grants: held };
}

async function grantsByUser(deps: Deps, ids: string[]): Promise<Map<string, Grant[]>> {
  const out = new Map<string, Grant[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return out;
  for (const g of await grantRowsOf(deps, ids)) out.get(g.userId)?.push(grantOf(g));
  return out;
}

/** Refuses guessable passwords (length is checked by the request schema). */
export function checkPassword(password: string, username: string, name: string): void {
  const p = password.toLowerCase();
  if (p === username.toLowerCase() || p === name.toLowerCase() || COMMON_PASSWORDS.has(p) || /^(.)\1*$/.test(p)) {
    throw invalidField('WEAK_PASSWORD', '/password',
      'Mật khẩu quá dễ đoán (trùng tên đăng nhập, họ tên, lặp một ký tự hoặc quá phổ biến)',
      'The password is too easy to guess (same as the username or name, one repeated character, or very common)');
  }
}

/** Checks grants to be given: units exist (422), within the administrator's scope (403), no repeats (422). */
async function checkGrants(deps: Deps, scope: Set<string>, list: Static<typeof GrantInput>[]): Promise<void> {
  const issues: Issue[] = [];
  const seen = new Set<string>();
  for (const [i, g] of list.entries()) {
    if (!(await deps.directory.unit(g.unit))) {
      issues.push({ path: `/grants/${i}/unit`, message: { vi: `Không có đơn vị "${g.unit}"`, en: `No unit "${g.unit}"` } });
    }
    const key = `${g.role}\u0000${g.unit}`;
    if (seen.has(key)) {
      issues.push({ path: `/grants/${i}`, message: { vi: `Vai trò ${g.role} tại ${g.unit} bị lặp`, en: `Role ${g.role} at ${g.unit} is listed twice` } });
    }
    seen.add(key);
  }
  if (issues.length > 0) throw invalid('GRANTS_INVALID', { vi: 'Danh sách vai trò không hợp lệ', en: 'Invalid grants' }, issues);
  requireInScope(scope, list.map((g) => g.unit));
}

/**
 * A granter never gives more than they hold: every role here is within an administrator's
 * reach at their own units (the scope check), except `designer`, which writes the province's
 * catalog — only someone who may write it (../catalog/owner.ts) gives it. Grants the user
 * already holds are kept as they are.
 */
async function checkGrantable(deps: Deps, user: AuthUser, list: Static<typeof GrantInput>[], held: Grant[] = []): Promise<void> {
  for (const [i, g] of list.entries()) {
    if (held.some((h) => h.role === g.role && h.unit === g.unit)) continue;
    if (g.role === 'designer' && !(await mayWriteCatalog(deps, user))) {
      throw forbidden({
        vi: `Bạn không được giao vai trò thiết kế quy trình (/grants/${i}): chỉ người quản lý danh mục thủ tục của tỉnh mới được giao`,
        en: `You may not grant the designer role (/grants/${i}): only those who write the province's catalog may grant it`,
      });
    }
  }
}

/**
 * A user the administrator manages (holding a role at one of their units): 404 when unknown, 403 otherwise.
 * With `wholly`, every role of the user must be within the scope: an account that also serves elsewhere
 * (e.g. a province administrator with a role at a commune) is renamed, locked or given a new password only
 * by an administrator of all its units.
 */
async function managedUser(deps: Deps, scope: Set<string>, id: string, wholly = false): Promise<{ row: UserRow; held: Grant[] }> {
  const row = await userRow(deps, id);
  if (!row) throw notFound(USER, id);
  const held = (await grantsByUser(deps, [id])).get(id) ?? [];
  if (!held.some((g) => scope.has(g.unit))) {
    throw forbidden({ vi: `Người dùng "${id}" không thuộc đơn vị bạn quản trị`, en: `User "${id}" does not belong to a unit you administer` });
  }
  const elsewhere = held.find((g) => !scope.has(g.unit));
  if (wholly && elsewhere) {
    throw forbidden({
      vi: `Người dùng "${id}" còn có vai trò tại ${elsewhere.unit} (ngoài phạm vi của bạn): chỉ được sửa vai trò tại đơn vị bạn quản trị`,
      en: `User "${id}" also holds a role at ${elsewhere.unit} (outside your scope): you may only change their roles at your units`,
    });
  }
  return { row, held };
}

export async function listUsers(deps: Deps, user: AuthUser, query: Static<typeof UserQuery>) {
  const scope = await adminScope(deps, user);
  if (query.unit !== undefined) {
    if (!(await deps.directory.unit(query.unit))) throw notFound({ vi: 'đơn vị', en: 'unit' }, query.unit);
    requireInScope(scope, [query.unit]);
  }
  const unitsToSearch = query.unit !== undefined ? [query.unit] : [...scope];
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? 50;
  if (unitsToSearch.length === 0) return { items: [], total: 0, page, pageSize };
  const { rows, total } = await searchUserRows(deps, {
    units: unitsToSearch, role: query.role, text: query.q?.trim() || undefined, active: query.active, page, pageSize,
  });
  const held = await grantsByUser(deps, rows.map((r) => r.id));
  return { items: rows.map((r) => toView(r, held.get(r.id) ?? [])), total, page, pageSize };
}

export async function getUser(deps: Deps, user: AuthUser, id: string): Promise<AdminUserView> {
  const { row, held } = await managedUser(deps, await adminScope(deps, user), id);
  return toView(row, held);
}

export async function createUser(deps: Deps, user: AuthUser, body: Static<typeof UserCreateBody>): Promise<AdminUserView> {
  const scope = await adminScope(deps, user);
  await checkGrants(deps, scope, body.grants);
  await checkGrantable(deps, user, body.grants);
  checkPassword(body.password, body.username, body.name);
  const taken = () => conflict('USERNAME_TAKEN', `Tên đăng nhập "${body.username}" đã có người dùng`, `The username "${body.username}" is taken`);
  if (await userIdByUsername(deps, body.username)) throw taken();
  const id = `u-${randomUUID()}`;
  const passwordHash = await hashPassword(body.password);
  try {
    await deps.db.transaction(async (tx) => {
      await insertUserWithGrants(tx, { id, username: body.username, name: body.name, passwordHash, active: body.active ?? true }, body.grants);
      await audit(tx, deps.clock.now(), {
        actor: user, action: 'user.created', subject: `user:${id}`, units: body.grants.map((g) => g.unit),
        details: { username: body.username, grants: body.grants },
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw taken();
    if (isForeignKeyViolation(err)) throw conflict('UNIT_GONE', 'Một đơn vị vừa bị xóa, vui lòng tải lại', 'A unit was just deleted; reload and retry');
    throw err;
  }
  return getUser(deps, user, id);
}

/** Updates name and active flag, and replaces the user's grants at the units the administrator manages. */
export async function updateUser(deps: Deps, user: AuthUser, id: string, body: Static<typeof UserUpdateBody>): Promise<AdminUserView> {
  deps.directory.forget('user:');
  const scope = await adminScope(deps, user);
  const { held } = await managedUser(deps, scope, id, body.name !== undefined || body.active !== undefined);
  if (id === user.id && body.active === false) {
    throw invalidField('SELF_LOCKOUT', '/active', 'Không thể tự khóa tài khoản của chính mình', 'You cannot deactivate your own account');
  }
  if (body.grants !== undefined) {
    await checkGrants(deps, scope, body.grants);
    await checkGrantable(deps, user, body.grants, held);
    const kept = held.filter((g) => !scope.has(g.unit));
    if (kept.length + body.grants.length === 0) {
      throw invalidField('GRANTS_EMPTY', '/grants', 'Người dùng phải có ít nhất một vai trò; hãy khóa tài khoản nếu không dùng nữa',
        'A user needs at least one role; deactivate the account instead');
    }
    const lost = held.filter((g) => g.role === 'admin' && scope.has(g.unit) && !body.grants!.some((n) => n.role === 'admin' && n.unit === g.unit));
    if (id === user.id && lost.length > 0) {
      throw invalidField('SELF_LOCKOUT', '/grants', 'Không thể tự bỏ quyền quản trị của chính mình', 'You cannot remove your own administrator role');
    }
  }
  try {
    await deps.db.transaction(async (tx) => {
      const changes: Partial<UserRow> = {};
      if (body.name !== undefined) changes.name = body.name;
      if (body.active !== undefined) changes.active = body.active;
      if (Object.keys(changes).length > 0) await setUserRow(tx, id, changes);
      if (body.grants !== undefined) await replaceUnitGrants(tx, id, [...scope], body.grants);
      await audit(tx, deps.clock.now(), {
        actor: user, action: 'user.updated', subject: `user:${id}`, units: [...held, ...(body.grants ?? [])].map((g) => g.unit),
        details: { ...body, ...(body.grants !== undefined ? { before: held.filter((g) => scope.has(g.unit)) } : {}) },
      });
    });
  } catch (err) {
    if (isForeignKeyViolation(err)) throw conflict('UNIT_GONE', 'Một đơn vị vừa bị xóa, vui lòng tải lại', 'A unit was just deleted; reload and retry');
    throw err;
  }
  // After the commit: a deactivated user's sessions end now, a regranted one's sockets rejoin.
  if (body.active === false) await revokeTokens(deps, id, 'deactivated');
  else if (body.grants !== undefined) accessChanged(deps, id);
  return getUser(deps, user, id);
}

export async function resetPassword(deps: Deps, user: AuthUser, id: string, password: string): Promise<void> {
  deps.directory.forget('user:');
  const { row, held } = await managedUser(deps, await adminScope(deps, user), id, true);
  checkPassword(password, row.username, row.name);
  const passwordHash = await hashPassword(password);
  await deps.db.transaction(async (tx) => {
    await setUserRow(tx, id, { passwordHash });
    await audit(tx, deps.clock.now(), { actor: user, action: 'user.password', subject: `user:${id}`, units: held.map((g) => g.unit), details: {} });
  });
  // Whoever held the old password (or a token obtained with it) is signed out everywhere.
  await revokeTokens(deps, id, 'password');
}

/** Active officers holding a role at a unit, for pickers; for its own officers, officers above it with oversight, and administrators. */
export async function unitOfficers(deps: Deps, user: AuthUser, code: string, role: string | undefined) {
  if (!(await deps.directory.unit(code))) throw notFound({ vi: 'đơn vị', en: 'unit' }, code);
  if (!(await visibleUnits(deps, user)).has(code)) {
    throw forbidden({ vi: `Bạn không thuộc đơn vị ${code}`, en: `You do not belong to unit ${code}` });
  }
  const rows = await officerRowsAt(deps, code, role);
  const byId = new Map<string, { id: string; name: string; grants: Grant[] }>();
  for (const r of rows) {
    const entry = byId.get(r.id) ?? { id: r.id, name: r.name, grants: [] };
    entry.grants.push(grantOf(r.g));
    byId.set(r.id, entry);
  }
  return { items: [...byId.values()] };
}
