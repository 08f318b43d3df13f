/**
 * Delegations (ủy quyền, ký thay, thừa lệnh, quyền): recorded by an administrator of the
 * delegator's units or by the delegator, checked by the engine, revoked by setting `revokedAt`.
 */
import { randomUUID } from 'node:crypto';
import { and, desc, eq, gt, inArray, isNull, lte, not, or, type SQL } from 'drizzle-orm';
import type { Static } from 'typebox';
import {
  previewSigning, validateDelegation,
  type Delegation, type DelegationKind, type DelegationScope, type Grant, type SigningFormula, type ValidationIssue,
} from '@motcua/engine';
import type { AuthUser } from '../auth/middleware';
import { accessChanged } from '../auth/revocation';
import type { Deps } from '../deps';
import { delegations, grants, users } from '../db/schema';
import { HttpError, forbidden, notFound } from '../http/errors';
import { adminScope, conflict, grantOf, instant, invalid, invalidField, iso } from './common';
import type { DelegationCreateBody, DelegationPreviewBody, DelegationQuery } from './schemas';

type Row = typeof delegations.$inferSelect;
type Person = { id: string; name: string; active: boolean; grants: Grant[] };
export type DelegationStatus = 'active' | 'pending' | 'expired' | 'revoked';

/** Stored open-ended delegations (not authorisations) end here for the engine, which wants an instant. */
const OPEN_END = '9999-12-31T23:59:59.999Z';
const MAX_CHAIN = 5;
const DELEGATION = { vi: 'bản giao quyền', en: 'delegation' };

async function people(deps: Deps, ids: string[]): Promise<Map<string, Person>> {
  const unique = [...new Set(ids)];
  const out = new Map<string, Person>();
  if (unique.length === 0) return out;
  for (const u of await deps.db.select({ id: users.id, name: users.name, active: users.active }).from(users).where(inArray(users.id, unique))) {
    out.set(u.id, { ...u, grants: [] });
  }
  for (const g of await deps.db.select().from(grants).where(inArray(grants.userId, unique))) out.get(g.userId)?.grants.push(grantOf(g));
  return out;
}

function toEngine(row: Row, from: Person | undefined): Delegation {
  return {
    id: row.id, kind: row.kind as DelegationKind, to: row.toUser, scope: row.scope as DelegationScope,
    from: { id: row.fromUser, name: from?.name ?? row.fromUser, grants: from?.grants ?? [] },
    validFrom: iso(row.validFrom), validTo: iso(row.validTo) ?? OPEN_END,
    ...(row.revokedAt ? { revokedAt: iso(row.revokedAt) } : {}),
    ...(row.decision ? { decision: row.decision } : {}),
    ...(row.derivedFrom ? { derivedFrom: row.derivedFrom } : {}),
  };
}

const inForce = (at: string): SQL => and(
  lte(delegations.validFrom, at),
  or(isNull(delegations.validTo), gt(delegations.validTo, at)),
  or(isNull(delegations.revokedAt), gt(delegations.revokedAt, at)),
)!;

/**
 * Delegations to a user in force at `at`, as the engine's `resolveAuthority` wants them (each
 * delegator with their grants), followed by the delegations their delegators' authority rests on
 * (named in `derivedFrom`, or in force to the delegator), so chains such as TL. then KT. resolve.
 */
export async function activeDelegationsFor(deps: Deps, userId: string, at: Date): Promise<Delegation[]> {
  const when = at.toISOString();
  const rows = new Map<string, Row>();
  const visited = new Set<string>();
  let frontier = [userId];
  for (let depth = 0; depth < MAX_CHAIN && frontier.length > 0; depth++) {
    frontier.forEach((u) => visited.add(u));
    const found = await deps.db.select().from(delegations).where(and(inArray(delegations.toUser, frontier), inForce(when)));
    const fresh = found.filter((r) => !rows.has(r.id));
    fresh.forEach((r) => rows.set(r.id, r));
    const parents = [...new Set(fresh.map((r) => r.derivedFrom).filter((p): p is string => !!p && !rows.has(p)))];
    if (parents.length > 0) for (const r of await deps.db.select().from(delegations).where(inArray(delegations.id, parents))) rows.set(r.id, r);
    frontier = [...new Set([...rows.values()].map((r) => r.fromUser))].filter((u) => !visited.has(u));
  }
  const list = [...rows.values()];
  const who = await people(deps, list.map((r) => r.fromUser));
  // The user's own delegations first, then the ones they rest on.
  return list.sort((a, b) => Number(b.toUser === userId) - Number(a.toUser === userId)).map((r) => toEngine(r, who.get(r.fromUser)));
}

export function statusOf(row: Row, now: Date): DelegationStatus {
  const t = now.getTime();
  if (row.revokedAt && new Date(row.revokedAt).getTime() <= t) return 'revoked';
  if (new Date(row.validFrom).getTime() > t) return 'pending';
  if (row.validTo && new Date(row.validTo).getTime() <= t) return 'expired';
  return 'active';
}

/** Units a delegation covers: its scope's units, else the units where the delegator holds a role in scope. */
function coveredUnits(scope: DelegationScope, from: Person | undefined): string[] {
  if (scope.units && scope.units.length > 0) return scope.units;
  return [...new Set((from?.grants ?? []).filter((g) => !scope.roles || scope.roles.includes(g.role)).map((g) => g.unit))];
}

/** The delegator may manage their own delegations; an administrator those whose units are all within their scope. */
async function mayManage(deps: Deps, user: AuthUser, fromId: string, covered: string[]): Promise<boolean> {
  if (user.id === fromId) return true;
  if (!user.grants.some((g) => g.role === 'admin') || covered.length === 0) return false;
  const scope = await adminScope(deps, user);
  return covered.every((u) => scope.has(u));
}

/** The delegator and the delegate see a delegation; so does an administrator of one of its units. */
function mayView(user: AuthUser, scope: Set<string>, row: Row, from: Person | undefined): boolean {
  if (user.id === row.fromUser || user.id === row.toUser) return true;
  return coveredUnits(row.scope as DelegationScope, from).some((u) => scope.has(u));
}

const refuse = () => forbidden({
  vi: 'Chỉ người giao quyền hoặc quản trị viên của các đơn vị trong phạm vi giao mới được làm việc này',
  en: 'Only the delegator, or an administrator of every unit in its scope, may do this',
});

function view(row: Row, who: Map<string, Person>, now: Date) {
  return {
    id: row.id, kind: row.kind,
    from: { id: row.fromUser, name: who.get(row.fromUser)?.name ?? row.fromUser },
    to: { id: row.toUser, name: who.get(row.toUser)?.name ?? row.toUser },
    scope: row.scope as DelegationScope,
    validFrom: iso(row.validFrom), validTo: iso(row.validTo), revokedAt: iso(row.revokedAt),
    decision: row.decision ?? null, derivedFrom: row.derivedFrom ?? null,
    status: statusOf(row, now), createdBy: row.createdBy, createdAt: iso(row.createdAt),
  };
}

type Draft = Static<typeof DelegationPreviewBody>;

/** Builds the engine's view of a draft and checks it against the delegations it may rest on. */
async function draft(deps: Deps, user: AuthUser, body: Draft, id: string) {
  const who = await people(deps, [body.from, body.to]);
  const from = who.get(body.from);
  const to = who.get(body.to);
  if (!from || !from.active) throw invalidField('USER_UNKNOWN', '/from', `Không có người dùng đang hoạt động "${body.from}"`, `No active user "${body.from}"`);
  if (!to || !to.active) throw invalidField('USER_UNKNOWN', '/to', `Không có người dùng đang hoạt động "${body.to}"`, `No active user "${body.to}"`);
  if (!(await mayManage(deps, user, body.from, coveredUnits(body.scope, from)))) throw refuse();
  const upstream = await deps.db.select().from(delegations).where(and(
    or(eq(delegations.toUser, body.from), body.derivedFrom ? eq(delegations.id, body.derivedFrom) : undefined),
    or(isNull(delegations.revokedAt), body.derivedFrom ? eq(delegations.id, body.derivedFrom) : undefined),
  ));
  if (body.derivedFrom && !upstream.some((r) => r.id === body.derivedFrom)) {
    throw invalidField('DELEGATION_PARENT_UNKNOWN', '/derivedFrom', `Không có bản giao quyền "${body.derivedFrom}"`, `No delegation "${body.derivedFrom}"`);
  }
  const uppers = await people(deps, upstream.map((r) => r.fromUser));
  const existing = upstream.map((r) => toEngine(r, uppers.get(r.fromUser)));
  const delegation = {
    id, kind: body.kind, to: body.to, scope: body.scope,
    from: { id: from.id, name: from.name, grants: from.grants },
    validFrom: body.validFrom ?? deps.clock.now().toISOString(),
    validTo: body.validTo ?? undefined,
    ...(body.decision ? { decision: body.decision } : {}),
    ...(body.derivedFrom ? { derivedFrom: body.derivedFrom } : {}),
  } as Delegation;
  // The API names the delegator by id: issues about its name or grants point at `/from`.
  const issues = validateDelegation(delegation, existing).issues
    .map((i): ValidationIssue => (i.path.startsWith('/from/') ? { ...i, path: '/from' } : i));
  return { delegation, existing, from, to, issues };
}

export async function createDelegation(deps: Deps, user: AuthUser, body: Static<typeof DelegationCreateBody>) {
  deps.directory.forget('delegations:');
  const id = `dlg-${randomUUID()}`;
  const { delegation, from, to, issues } = await draft(deps, user, body, id);
  const errors = issues.filter((i) => i.severity !== 'warning');
  const period = { validFrom: instant(delegation.validFrom), validTo: body.validTo ? instant(body.validTo) : null };
  if (errors.length === 0 && !period.validFrom) errors.push({ code: 'DELEGATION_DATE_INVALID', path: '/validFrom', message: { vi: 'Ngày bắt đầu ngoài khoảng cho phép', en: 'The start is out of range' } });
  if (errors.length === 0 && body.validTo && !period.validTo) errors.push({ code: 'DELEGATION_DATE_INVALID', path: '/validTo', message: { vi: 'Ngày hết hiệu lực ngoài khoảng cho phép', en: 'The end is out of range' } });
  if (errors.length > 0) {
    throw invalid('DELEGATION_INVALID', { vi: 'Bản giao quyền không hợp lệ', en: 'The delegation is not valid' }, errors);
  }
  const [row] = await deps.db.insert(delegations).values({
    id, kind: body.kind, fromUser: body.from, toUser: body.to, scope: body.scope,
    validFrom: period.validFrom!.toISOString(), validTo: period.validTo?.toISOString() ?? null,
    decision: body.decision ?? null, derivedFrom: body.derivedFrom ?? null, createdBy: user.id,
  }).returning();
  const who = new Map([[from.id, from], [to.id, to]]);
  // The delegate's open sockets rejoin, now with the delegator's rooms.
  accessChanged(deps, body.to);
  return { ...view(row!, who, deps.clock.now()), warnings: issues.filter((i) => i.severity === 'warning') };
}

export async function listDelegations(deps: Deps, user: AuthUser, query: Static<typeof DelegationQuery>) {
  const now = deps.clock.now().toISOString();
  const rows = await deps.db.select().from(delegations).where(and(
    query.to !== undefined ? eq(delegations.toUser, query.to) : undefined,
    query.from !== undefined ? eq(delegations.fromUser, query.from) : undefined,
    query.active === true ? inForce(now) : query.active === false ? not(inForce(now)) : undefined,
  )).orderBy(desc(delegations.createdAt), desc(delegations.id)).limit(5000);
  const who = await people(deps, rows.flatMap((r) => [r.fromUser, r.toUser]));
  const scope = await adminScope(deps, user);
  const visible = rows.filter((r) => mayView(user, scope, r, who.get(r.fromUser))).slice(0, query.limit ?? 200);
  return { items: visible.map((r) => view(r, who, deps.clock.now())) };
}

async function visibleRow(deps: Deps, user: AuthUser, id: string) {
  const [row] = await deps.db.select().from(delegations).where(eq(delegations.id, id));
  if (!row) throw notFound(DELEGATION, id);
  const who = await people(deps, [row.fromUser, row.toUser]);
  if (!mayView(user, await adminScope(deps, user), row, who.get(row.fromUser))) {
    throw forbidden({ vi: `Bạn không được xem bản giao quyền "${id}"`, en: `You may not see delegation "${id}"` });
  }
  return { row, who };
}

/** A delegation with the signature block its delegate prints. */
export async function getDelegation(deps: Deps, user: AuthUser, id: string) {
  const { row, who } = await visibleRow(deps, user, id);
  const chain = await activeDelegationsFor(deps, row.fromUser, deps.clock.now());
  const signing = previewSigning({
    delegation: toEngine(row, who.get(row.fromUser)),
    delegate: { name: who.get(row.toUser)?.name ?? row.toUser, grants: who.get(row.toUser)?.grants ?? [] },
    units: await deps.directory.unitInfos(), delegations: chain,
  });
  return { ...view(row, who, deps.clock.now()), signing };
}

export async function revokeDelegation(deps: Deps, user: AuthUser, id: string) {
  deps.directory.forget('delegations:');
  const { row, who } = await visibleRow(deps, user, id);
  if (!(await mayManage(deps, user, row.fromUser, coveredUnits(row.scope as DelegationScope, who.get(row.fromUser))))) throw refuse();
  const now = deps.clock.now();
  if (row.revokedAt) {
    throw conflict('DELEGATION_ALREADY_REVOKED', `Bản giao quyền đã bị thu hồi lúc ${iso(row.revokedAt)}`, `The delegation was already revoked at ${iso(row.revokedAt)}`);
  }
  const [updated] = await deps.db.update(delegations).set({ revokedAt: now.toISOString() })
    .where(and(eq(delegations.id, id), isNull(delegations.revokedAt))).returning();
  if (!updated) throw conflict('DELEGATION_ALREADY_REVOKED', 'Bản giao quyền vừa bị thu hồi', 'The delegation was just revoked');
  // The delegate's open sockets leave the rooms the delegation let them into.
  accessChanged(deps, updated.toUser);
  return view(updated, who, now);
}

/** The signature block a draft delegation would give its delegate, with the issues that would stop it being saved. */
export async function previewDelegation(deps: Deps, user: AuthUser, body: Draft): Promise<SigningFormula & { issues: ValidationIssue[] }> {
  const { delegation, existing, to, issues } = await draft(deps, user, body, 'preview');
  if (body.unit !== undefined && !(await deps.directory.unit(body.unit))) {
    throw new HttpError(422, 'UNIT_UNKNOWN', { vi: `Không có đơn vị "${body.unit}"`, en: `No unit "${body.unit}"` },
      [{ path: '/unit', message: { vi: `Không có đơn vị "${body.unit}"`, en: `No unit "${body.unit}"` } }]);
  }
  const formula = previewSigning({
    delegation, delegate: { name: to.name, grants: to.grants }, units: await deps.directory.unitInfos(), delegations: existing,
    ...(body.role !== undefined ? { role: body.role } : {}), ...(body.unit !== undefined ? { unit: body.unit } : {}),
  });
  return { ...formula, issues };
}
